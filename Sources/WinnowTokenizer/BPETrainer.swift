import WinnowCore
import WinnowText

/// How token ids are laid out.
public enum TokenIDLayout: String, Sendable, CaseIterable {
    /// HF `tokenizers`: special tokens first, then the 256 byte symbols in the order of their byte-level
    /// characters, then merges. Merges equal HF `BpeTrainer`'s exactly.
    case hf
    /// tiktoken / llm.c: ids 0-255 are the byte values, merged tokens follow in the order they were learned,
    /// special tokens come last. The same tokenizer as `hf` (same merges), numbered differently; a vocabulary
    /// of at most 65,536 fits uint16 token files.
    case bytes
}

/// Training options; the defaults are HF `BpeTrainer`'s where it has one.
public struct BPETrainingOptions: Sendable {
    /// The size of the final vocabulary: special tokens, the 256 byte symbols and the merges.
    public var vocabSize: Int
    /// A pair seen fewer times than this is never merged; training stops at the first such pair.
    public var minFrequency: Int64 = 0
    /// Special tokens, given the first ids in this order (duplicates are dropped).
    public var specialTokens: [String] = []
    /// When set, no merge creates a pair longer than this many bytes (HF `max_token_length`, with its rule:
    /// a pair is counted after a merge only when its length is below the limit; pairs of single bytes always are).
    public var maxTokenLength: Int? = nil
    public var pattern: SplitPattern = .gpt2
    public var idLayout: TokenIDLayout = .hf
    /// Unicode normalization of each document before splitting (nil: none, the default). It is written into
    /// `tokenizer.json` as the normalizer, so encoding applies it too.
    public var normalization: NormalizationForm? = nil

    public init(vocabSize: Int) {
        self.vocabSize = vocabSize
    }
}

/// A trained byte-level BPE model.
public struct BPEModel: Sendable {
    /// The token strings by id, as in HF's vocab: special tokens as given, the others as byte-level strings
    /// (GPT-2's byte-to-unicode characters, so `Ġ` is a space).
    public var vocab: [String]
    /// The special tokens, and their ids (`specialIDs[k]` is `specialTokens[k]`'s id: the first ids in the `hf`
    /// layout, the last in the `bytes` layout).
    public var specialTokens: [String]
    public var specialIDs: [Int] = []
    /// The merges in rank order: (left id, right id, merged id). A pair appears once.
    public var merges: [(left: Int, right: Int, result: Int)]
    public var pattern: SplitPattern
    /// The normalization applied before splitting (nil: none).
    public var normalization: NormalizationForm? = nil
    /// The number of merge steps training ran. It exceeds `merges.count` when a pair was merged in two steps,
    /// as HF's trainer does when a merge re-creates an existing token (`ab`+`c` after `a`+`bc`) and the pair
    /// gains words after its first heap entry; the pair keeps its last rank, as in HF's merge map.
    public var mergeSteps: Int

    /// Whether `id` is a special token.
    public func isSpecial(_ id: Int) -> Bool { specialIDs.contains(id) }

    /// The bytes of a token (special tokens: their UTF-8).
    public func bytes(of id: Int) -> [UInt8] {
        if isSpecial(id) { return Array(vocab[id].utf8) }
        return ByteLevel.decode(vocab[id]) ?? Array(vocab[id].utf8)
    }

    /// The same tokenizer with its ids in `layout`. Training produces `hf`; `bytes` renumbers: byte b's token is
    /// id b, merged tokens follow in learning order (their `hf` order), specials last. A special token whose text
    /// is a single byte b stands in for that byte, as in `hf`, and so takes id b.
    public func relaid(_ layout: TokenIDLayout) -> BPEModel {
        guard layout == .bytes else { return self }
        var newID = [Int](repeating: -1, count: vocab.count)
        for id in vocab.indices {
            let b = bytes(of: id)
            if b.count == 1, !isSpecial(id) || !vocab.indices.contains(where: { !isSpecial($0) && bytes(of: $0) == b }) {
                newID[id] = Int(b[0])
            }
        }
        var next = 256
        for id in vocab.indices where newID[id] < 0 && !isSpecial(id) { newID[id] = next; next += 1 }
        for id in specialIDs where newID[id] < 0 { newID[id] = next; next += 1 }
        var relaid = self
        relaid.vocab = [String](repeating: "", count: next)
        for id in vocab.indices { relaid.vocab[newID[id]] = vocab[id] }
        relaid.specialIDs = specialIDs.map { newID[$0] }
        relaid.merges = merges.map { (newID[$0.left], newID[$0.right], newID[$0.result]) }
        return relaid
    }
}

/// Trains a byte-level BPE tokenizer on whole documents, with HF `tokenizers`' `BpeTrainer` semantics.
///
/// `add(document:)` splits each document with the pattern and counts the distinct pre-tokens (64-bit counts);
/// `train()` then runs the merges incrementally, as HF does: a max-heap of candidate pairs ordered by count,
/// then by smallest (left id, right id), each carrying the set of words it occurs in; a popped entry whose count
/// is stale is re-pushed with the current count; a merge rewrites only the words of its entry and pushes one new
/// entry per pair that gained occurrences. Pair counts are never recounted from scratch.
///
/// Training is single-threaded (`threads` is not yet an option); pre-token counting can be split across
/// workers with one `BPETrainer` each and `PreTokenCounter.merge`.
public final class BPETrainer {
    public let options: BPETrainingOptions
    public private(set) var counter = PreTokenCounter()
    private let preTokenizer: PreTokenizer

    public init(options: BPETrainingOptions) {
        self.options = options
        preTokenizer = PreTokenizer(pattern: options.pattern)
    }

    private lazy var normalizer: UnicodeNormalizer? = options.normalization.map { UnicodeNormalizer(form: $0) }

    /// Counts the pre-tokens of one document (its whole text).
    public func add(document text: UnsafeBufferPointer<UInt8>) {
        if let normalizer, let normalized = normalizer.normalizeIfChanged(UnsafeRawBufferPointer(text)) {
            normalized.withUnsafeBufferPointer { addNormalized($0) }
        } else {
            addNormalized(text)
        }
    }

    private func addNormalized(_ text: UnsafeBufferPointer<UInt8>) {
        guard let base = text.baseAddress else { return }
        preTokenizer.split(text) { range in
            counter.add(base + range.lowerBound, range.count)
        }
    }

    public func add(document text: [UInt8]) {
        text.withUnsafeBufferPointer { add(document: $0) }
    }

    /// Adds pre-token counts gathered elsewhere.
    public func add(counts: PreTokenCounter) {
        counter.merge(counts)
    }

    /// Runs the merges. Can be called again after adding more documents.
    public func train() -> BPEModel {
        var core = MergeState(options: options)
        core.load(expected: counter.count) { body in counter.forEach(body) }
        core.run()
        return core.model().relaid(options.idLayout)
    }

    /// Runs the merges on counts gathered by a `ParallelPreTokenCounter` (in memory or spilled runs); the
    /// documents added to this trainer are not used.
    /// The counts are consumed: their memory is released once loaded (pass them without keeping a copy).
    public func train(counts: consuming PreTokenCounts) throws -> BPEModel {
        var core = MergeState(options: options)
        var failure: Error?
        do {
            let source = counts
            core.load(expected: source.knownCount ?? 0) { body in
                do { try source.forEach(body) } catch { failure = error }
            }
        }
        counts = .runs([])
        if let failure { throw failure }
        core.run()
        return core.model().relaid(options.idLayout)
    }
}

/// A heap entry: HF's `Merge { pair, count, pos }`.
struct Candidate {
    var count: Int64
    var pair: UInt64
    var positions: [Int32]

    /// Max-heap order: the larger count first, then the smaller (left, right).
    @inline(__always)
    func precedes(_ other: Candidate) -> Bool {
        count != other.count ? count > other.count : pair < other.pair
    }
}

struct CandidateHeap {
    var items: [Candidate] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ c: Candidate) {
        items.append(c)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !items[i].precedes(items[parent]) { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Candidate? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        let n = items.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var best = l
            if l + 1 < n, items[l + 1].precedes(items[l]) { best = l + 1 }
            if !items[best].precedes(items[i]) { break }
            items.swapAt(i, best)
            i = best
        }
        return top
    }
}

@inline(__always) private func pairKey(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

struct MergeState {
    let options: BPETrainingOptions
    let maxLength: Int
    // Vocabulary: display strings (UTF-8) by id, and the reverse map.
    var idToWord: [[UInt8]] = []
    var wordToID: [[UInt8]: UInt32] = [:]
    // Words: symbols and their lengths (characters, i.e. bytes) in flat arrays.
    var symbols: [UInt32] = []
    var lengths: [UInt32] = []
    var wordStart: [Int] = []
    var wordLength: [Int32] = []
    var wordCount: [Int64] = []
    var pairCounts: [UInt64: Int64] = [:]
    var heap = CandidateHeap()
    var merges: [(UInt64, UInt32)] = []

    init(options: BPETrainingOptions) {
        self.options = options
        maxLength = options.maxTokenLength ?? Int.max
    }

    mutating func addWord(_ w: [UInt8]) -> UInt32 {
        if let id = wordToID[w] { return id }
        let id = UInt32(idToWord.count)
        idToWord.append(w)
        wordToID[w] = id
        return id
    }

    /// Loads the words: `forEach` calls its argument with every distinct pre-token and its count.
    mutating func load(expected: Int, _ forEach: ((UnsafeBufferPointer<UInt8>, Int64) -> Void) -> Void) {
        // 1. Special tokens.
        for token in options.specialTokens { _ = addWord(Array(token.utf8)) }
        // 2. The alphabet: the 256 byte-level characters sorted by code point (`initial_alphabet` covers every
        //    character a byte-level word can hold).
        var byteID = [UInt32](repeating: 0, count: 256)
        var scratch: [UInt8] = []
        for b in ByteLevel.bytesInCharacterOrder {
            scratch.removeAll(keepingCapacity: true)
            ByteLevel.appendEncoded(CollectionOfOne(b), to: &scratch)
            _ = addWord(scratch)
        }
        for b in 0..<256 {
            scratch.removeAll(keepingCapacity: true)
            ByteLevel.appendEncoded(CollectionOfOne(UInt8(b)), to: &scratch)
            byteID[b] = wordToID[scratch]!
        }
        // 3. Words.
        wordStart.reserveCapacity(expected)
        wordLength.reserveCapacity(expected)
        wordCount.reserveCapacity(expected)
        forEach { key, count in
            wordStart.append(symbols.count)
            wordLength.append(Int32(key.count))
            wordCount.append(count)
            for b in key {
                symbols.append(byteID[Int(b)])
                lengths.append(1)
            }
        }
        countPairs()
    }

    /// Loads an existing vocabulary and words already split into its tokens, to learn merges on top of it:
    /// `tokens[id]` is each token's bytes (nil for special tokens and unused ids, which never merge); a word is
    /// its token ids and count. New tokens get ids from `tokens.count` on.
    mutating func loadExtension(tokens: [[UInt8]?], words: [(ids: [UInt32], count: Int64)]) {
        for (id, bytes) in tokens.enumerated() {
            idToWord.append(bytes ?? [])
            if let bytes, !bytes.isEmpty, wordToID[bytes] == nil { wordToID[bytes] = UInt32(id) }
        }
        for word in words {
            wordStart.append(symbols.count)
            wordLength.append(Int32(word.ids.count))
            wordCount.append(word.count)
            for id in word.ids {
                symbols.append(id)
                lengths.append(UInt32(tokens[Int(id)]?.count ?? 1))
            }
        }
        countPairs()
    }

    /// Pair counts and the words each pair occurs in, from the loaded words.
    private mutating func countPairs() {
        var whereToUpdate: [UInt64: [Int32]] = [:]
        for w in 0..<wordStart.count {
            let s = wordStart[w]
            let n = Int(wordLength[w])
            if n < 2 { continue }
            let count = wordCount[w]
            for i in s..<(s + n - 1) {
                let pair = pairKey(symbols[i], symbols[i + 1])
                pairCounts[pair, default: 0] += count
                whereToUpdate[pair, default: []].appendUnique(Int32(w))
            }
        }
        for (pair, positions) in whereToUpdate {
            let count = pairCounts[pair]!
            if count > 0 { heap.push(Candidate(count: count, pair: pair, positions: positions)) }
        }
    }

    mutating func run() {
        var whereToUpdate: [UInt64: [Int32]] = [:]
        var scratch: [UInt8] = []
        while idToWord.count < options.vocabSize {
            guard var top = heap.pop() else { break }
            let current = pairCounts[top.pair] ?? 0
            if top.count != current {
                top.count = current
                heap.push(top)
                continue
            }
            if top.count < 1 || options.minFrequency > top.count { break }

            let a = UInt32(truncatingIfNeeded: top.pair >> 32)
            let b = UInt32(truncatingIfNeeded: top.pair)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: idToWord[Int(a)])
            scratch.append(contentsOf: idToWord[Int(b)])
            let newID = addWord(scratch)
            merges.append((top.pair, newID))

            for w in top.positions {
                mergeWord(Int(w), a, b, newID, &whereToUpdate)
            }
            for (pair, positions) in whereToUpdate {
                let count = pairCounts[pair]!
                if count > 0 { heap.push(Candidate(count: count, pair: pair, positions: positions)) }
            }
            whereToUpdate.removeAll(keepingCapacity: true)
        }
    }

    /// HF `Word::merge`: replaces every non-overlapping (a, b), left to right, and updates the pair counts.
    /// The merged pair's own count is not decreased (as in HF); its neighbours' are.
    mutating func mergeWord(_ w: Int, _ a: UInt32, _ b: UInt32, _ replacement: UInt32,
                            _ whereToUpdate: inout [UInt64: [Int32]]) {
        let s = wordStart[w]
        let n = Int(wordLength[w])
        let count = wordCount[w]
        let word = Int32(w)
        var r = 0
        var out = 0
        while r < n {
            if symbols[s + r] == a, r + 1 < n, symbols[s + r + 1] == b {
                let newLength = lengths[s + r] + lengths[s + r + 1]
                if out > 0 {
                    let prev = symbols[s + out - 1]
                    pairCounts[pairKey(prev, a), default: 0] -= count
                    if Int(lengths[s + out - 1] + newLength) < maxLength {
                        let pair = pairKey(prev, replacement)
                        pairCounts[pair, default: 0] += count
                        whereToUpdate[pair, default: []].appendUnique(word)
                    }
                }
                symbols[s + out] = replacement
                lengths[s + out] = newLength
                out += 1
                r += 2
                if r < n {
                    let next = symbols[s + r]
                    pairCounts[pairKey(b, next), default: 0] -= count
                    if Int(lengths[s + r] + newLength) < maxLength {
                        let pair = pairKey(replacement, next)
                        pairCounts[pair, default: 0] += count
                        whereToUpdate[pair, default: []].appendUnique(word)
                    }
                }
            } else {
                symbols[s + out] = symbols[s + r]
                lengths[s + out] = lengths[s + r]
                out += 1
                r += 1
            }
        }
        wordLength[w] = Int32(out)
    }

    func model() -> BPEModel {
        // HF keeps merges in a map from pair to (rank, id): a pair merged twice keeps its last rank.
        var lastRank: [UInt64: Int] = [:]
        for (rank, merge) in merges.enumerated() { lastRank[merge.0] = rank }
        var out: [(left: Int, right: Int, result: Int)] = []
        out.reserveCapacity(lastRank.count)
        for (rank, merge) in merges.enumerated() where lastRank[merge.0] == rank {
            out.append((Int(merge.0 >> 32), Int(merge.0 & 0xFFFF_FFFF), Int(merge.1)))
        }
        let specials = uniqueSpecials()
        return BPEModel(
            vocab: idToWord.map { String(decoding: $0, as: UTF8.self) }, specialTokens: specials,
            specialIDs: specials.map { wordToID[Array($0.utf8)].map(Int.init)! },
            merges: out, pattern: options.pattern, normalization: options.normalization, mergeSteps: merges.count)
    }

    func uniqueSpecials() -> [String] {
        var seen = Set<String>()
        return options.specialTokens.filter { seen.insert($0).inserted }
    }
}

extension Array where Element == Int32 {
    /// Appends `w` unless it is the last element (words are visited in increasing order, so this keeps the
    /// array sorted and free of duplicates).
    @inline(__always)
    fileprivate mutating func appendUnique(_ w: Int32) {
        if last != w { append(w) }
    }
}
