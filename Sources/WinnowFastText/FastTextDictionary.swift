#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fastText dictionary as training builds it (fastText's `Dictionary`): words then labels with their
/// counts, each word's input rows (its own row and its character n-gram buckets), the token reader that
/// turns a line into input rows and label indices, and the prune index that `quantize -cutoff` adds.
///
/// Built by `FastTextDictionary(text:options:)` as `Dictionary::readFromFile` builds it: every token is
/// counted (`</s>` for each line end); past 0.75 × 30M entries the rarest are dropped with a rising
/// threshold; then words below `minCount` and labels below `minCountLabel` go, and the entries are sorted
/// words first, by count, with libstdc++'s `std::sort`, so equal counts keep fastText's order.
struct FastTextDictionary {
    struct Entry {
        var start: Int
        var length: Int32
        var hash: UInt32
        var isLabel: Bool
        var count: Int64
    }

    /// fastText's `MAX_VOCAB_SIZE`: past 0.75 of it, reading prunes rare words.
    static let maxVocabularySize = 30_000_000
    static let endOfSentence: [UInt8] = Array("</s>".utf8)
    static let endOfSentenceHash = FastTextHash.fnv1a(endOfSentence)

    let labelPrefix: [UInt8]
    let minn: Int, maxn: Int, bucket: Int, wordNgrams: Int

    /// Word bytes; entries point into it.
    private(set) var arena: [UInt8] = []
    private(set) var entries: [Entry] = []
    private(set) var wordCount = 0, labelCount = 0
    /// Tokens read while building, `</s>` and labels included.
    private(set) var tokenCount: Int64 = 0
    /// -1: not pruned; else the number of kept n-gram buckets (`pruneIndex` maps bucket -> row).
    private(set) var pruneIndexSize = -1
    private(set) var pruneIndex: [Int32: Int32] = [:]
    /// The kept buckets in row order (as written to a file).
    private(set) var prunedBuckets: [Int32] = []

    private var table: [Int32] = []
    private var tableMask = 0
    /// Input rows of each entry: `subwords[subwordStart[i]..<subwordStart[i + 1]]`.
    private var subwordStart: [Int32] = []
    private var subwords: [Int32] = []
    /// Scratch for `<token>` when computing the n-grams of a word outside the dictionary.
    private var scratch: [UInt8] = []
    private var wordHashes: [Int32] = []

    init(labelPrefix: [UInt8], minn: Int, maxn: Int, bucket: Int, wordNgrams: Int) {
        self.labelPrefix = labelPrefix
        self.minn = minn; self.maxn = maxn; self.bucket = bucket; self.wordNgrams = wordNgrams
        resizeTable(1 << 16)
        scratch.reserveCapacity(1024)
        wordHashes.reserveCapacity(1024)
    }

    /// Reads every token of `text` and builds the dictionary (fastText's `Dictionary::readFromFile`).
    init(text: UnsafeRawBufferPointer, labelPrefix: [UInt8], minCount: Int, minCountLabel: Int,
         minn: Int, maxn: Int, bucket: Int, wordNgrams: Int) throws {
        self.init(labelPrefix: labelPrefix, minn: minn, maxn: maxn, bucket: bucket, wordNgrams: wordNgrams)
        var reader = FastTextWordReader(text: text)
        var minThreshold: Int64 = 1
        while reader.readWord() {
            if reader.isEndOfLine {
                Self.endOfSentence.withUnsafeBytes { add($0, hash: Self.endOfSentenceHash) }
            } else {
                let token = UnsafeRawBufferPointer(rebasing: text[reader.start..<reader.end])
                add(token, hash: FastTextHash.hash(token))
            }
            if Double(entries.count) > 0.75 * Double(Self.maxVocabularySize) {
                minThreshold += 1
                threshold(words: minThreshold, labels: minThreshold)
            }
        }
        threshold(words: Int64(minCount), labels: Int64(minCountLabel))
        computeSubwordTable()
        guard !entries.isEmpty else { throw FastTextTrainingError.emptyVocabulary }
    }

    // MARK: Entries

    /// The bytes of entry `i`.
    func bytes(_ i: Int) -> ArraySlice<UInt8> {
        let e = entries[i]
        return arena[e.start..<(e.start + Int(e.length))]
    }

    var labelCounts: [Int64] { entries[wordCount...].map(\.count) }

    /// The entry of `token`, or -1.
    @inline(__always)
    func find(_ token: UnsafeRawBufferPointer, hash: UInt32) -> Int32 {
        let slot = findSlot(token, hash: hash)
        return table[slot]
    }

    @inline(__always)
    private func findSlot(_ token: UnsafeRawBufferPointer, hash: UInt32) -> Int {
        var slot = Int(hash) & tableMask
        return arena.withUnsafeBytes { a in
            table.withUnsafeBufferPointer { t in
                entries.withUnsafeBufferPointer { es in
                    while true {
                        let e = t[slot]
                        if e < 0 { return slot }
                        let entry = es[Int(e)]
                        if entry.hash == hash && Int(entry.length) == token.count
                            && (token.count == 0 || memcmp(a.baseAddress! + entry.start, token.baseAddress!, token.count) == 0) {
                            return slot
                        }
                        slot = (slot + 1) & tableMask
                    }
                }
            }
        }
    }

    /// Counts one token (fastText's `Dictionary::add`).
    private mutating func add(_ token: UnsafeRawBufferPointer, hash: UInt32) {
        tokenCount += 1
        let slot = findSlot(token, hash: hash)
        let e = table[slot]
        if e >= 0 {
            entries[Int(e)].count += 1
            return
        }
        let start = arena.count
        arena.append(contentsOf: token)
        entries.append(Entry(start: start, length: Int32(token.count), hash: hash, isLabel: hasLabelPrefix(token), count: 1))
        table[slot] = Int32(entries.count - 1)
        if entries.count * 2 > table.count { resizeTable(table.count * 2) }
    }

    private func hasLabelPrefix(_ token: UnsafeRawBufferPointer) -> Bool {
        guard token.count >= labelPrefix.count else { return false }
        for i in 0..<labelPrefix.count where token[i] != labelPrefix[i] { return false }
        return true
    }

    private mutating func resizeTable(_ size: Int) {
        table = [Int32](repeating: -1, count: size)
        tableMask = size - 1
        for (i, e) in entries.enumerated() {
            var slot = Int(e.hash) & tableMask
            while table[slot] != -1 { slot = (slot + 1) & tableMask }
            table[slot] = Int32(i)
        }
    }

    /// fastText's `Dictionary::threshold`: sorts words before labels and each by count, most frequent first
    /// (libstdc++'s unstable sort, as fastText), then drops words counted fewer than `words` times and labels
    /// fewer than `labels` times.
    private mutating func threshold(words: Int64, labels: Int64) {
        StandardLibrarySort.sort(&entries) { a, b in
            a.isLabel != b.isLabel ? !a.isLabel : a.count > b.count
        }
        entries.removeAll { $0.isLabel ? $0.count < labels : $0.count < words }
        wordCount = entries.prefix { !$0.isLabel }.count
        labelCount = entries.count - wordCount
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        resizeTable(size)
    }

    // MARK: Input rows

    /// fastText's `Dictionary::initNgrams`: each word's rows, itself then the buckets of its character
    /// n-grams (none for `</s>`; labels get only their own index, which is never used).
    private mutating func computeSubwordTable() {
        subwordStart = [0]
        subwordStart.reserveCapacity(entries.count + 1)
        subwords.removeAll(keepingCapacity: true)
        var rows: [Int32] = []
        for i in 0..<entries.count {
            subwords.append(Int32(i))
            if !entries[i].isLabel && !bytes(i).elementsEqual(Self.endOfSentence) {
                rows.removeAll(keepingCapacity: true)
                let e = entries[i]
                arena.withUnsafeBytes { a in
                    addCharacterNgrams(of: UnsafeRawBufferPointer(rebasing: a[e.start..<(e.start + Int(e.length))]), to: &rows)
                }
                subwords.append(contentsOf: rows)
            }
            subwordStart.append(Int32(subwords.count))
        }
    }

    /// Appends the buckets of the n-grams of `<token>`, `minn...maxn` UTF-8 characters long (fastText's
    /// `computeSubwords`), mapped through the prune index if any.
    private mutating func addCharacterNgrams(of token: UnsafeRawBufferPointer, to rows: inout [Int32]) {
        guard maxn > 0 else { return }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(0x3C)
        scratch.append(contentsOf: token)
        scratch.append(0x3E)
        let bucket = UInt32(bucket)
        let minn = minn, maxn = maxn
        scratch.withUnsafeBufferPointer { w in
            FastTextHash.forEachCharNgramBucket(w, minn: minn, maxn: maxn, bucket: bucket) { pushBucket($0, to: &rows) }
        }
    }

    /// fastText's `pushHash`: the row of an n-gram bucket (through the prune index when pruned).
    @inline(__always)
    private func pushBucket(_ bucket: Int32, to rows: inout [Int32]) {
        if pruneIndexSize == 0 || bucket < 0 { return }
        var id = bucket
        if pruneIndexSize > 0 {
            guard let row = pruneIndex[bucket] else { return }
            id = row
        }
        rows.append(Int32(wordCount) + id)
    }

    /// Reads one line (up to and including its `</s>`) as fastText's supervised `Dictionary::getLine`:
    /// `rows` gets the input rows of its words and word n-grams, `labels` its label indices. Returns the
    /// tokens read (labels, unknown words and `</s>` included), which is what training progress counts.
    mutating func readLine(_ reader: inout FastTextWordReader, rows: inout [Int32], labels: inout [Int32]) -> Int {
        reader.rewindAtEnd()
        rows.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
        wordHashes.removeAll(keepingCapacity: true)
        var tokens = 0
        while reader.readWord() {
            let isEOS: Bool
            let hash: UInt32
            let id: Int32
            let token: UnsafeRawBufferPointer
            if reader.isEndOfLine {
                token = Self.endOfSentenceBytes
                isEOS = true
            } else {
                token = UnsafeRawBufferPointer(rebasing: reader.text[reader.start..<reader.end])
                isEOS = token.count == 4 && token[0] == 0x3C && token[1] == 0x2F && token[2] == 0x73 && token[3] == 0x3E
            }
            hash = isEOS ? Self.endOfSentenceHash : FastTextHash.hash(token)
            id = find(token, hash: hash)
            let isLabel = id < 0 ? hasLabelPrefix(token) : entries[Int(id)].isLabel
            tokens += 1
            if !isLabel {
                if id < 0 {
                    if !isEOS { addCharacterNgrams(of: token, to: &rows) }
                } else if maxn <= 0 {
                    rows.append(id)
                } else {
                    let s = Int(subwordStart[Int(id)]), e = Int(subwordStart[Int(id) + 1])
                    subwords.withUnsafeBufferPointer { rows.append(contentsOf: UnsafeBufferPointer(rebasing: $0[s..<e])) }
                }
                wordHashes.append(Int32(bitPattern: hash))
            } else if id >= 0 {
                labels.append(id - Int32(wordCount))
            }
            if isEOS { break }
        }
        addWordNgrams(to: &rows)
        return tokens
    }

    /// fastText's `addWordNgrams`: the sign-extended 32-bit token hashes combined as `h * 116049371 + next`.
    private func addWordNgrams(to rows: inout [Int32]) {
        guard wordNgrams > 1, bucket > 0 else { return }
        let n = wordHashes.count
        let bucket = UInt64(bucket)
        for i in 0..<n {
            var h = UInt64(bitPattern: Int64(wordHashes[i]))
            var j = i + 1
            while j < n && j < i + wordNgrams {
                h = h &* 116_049_371 &+ UInt64(bitPattern: Int64(wordHashes[j]))
                pushBucket(Int32(truncatingIfNeeded: h % bucket), to: &rows)
                j += 1
            }
        }
    }

    nonisolated(unsafe) private static let endOfSentenceBytes: UnsafeRawBufferPointer = {
        let p = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        p.copyBytes(from: endOfSentence)
        return UnsafeRawBufferPointer(p)
    }()

    // MARK: Pruning (quantize -cutoff)

    /// fastText's `Dictionary::prune`: keeps the words among `keep` (input rows, words below `wordCount`,
    /// n-gram rows above), in their dictionary order, and maps each kept n-gram bucket to its new row in
    /// the order given. `keep` becomes the old rows of the new input matrix: the kept words sorted, then the
    /// n-grams as given.
    mutating func prune(keeping keep: inout [Int32]) {
        var words: [Int32] = [], ngrams: [Int32] = []
        for row in keep {
            if Int(row) < wordCount { words.append(row) } else { ngrams.append(row) }
        }
        words.sort()
        keep = words
        pruneIndex = [:]
        prunedBuckets = []
        for (j, row) in ngrams.enumerated() {
            let bucket = row - Int32(wordCount)
            if pruneIndex[bucket] == nil { prunedBuckets.append(bucket) }
            pruneIndex[bucket] = Int32(j)
        }
        keep += ngrams
        pruneIndexSize = pruneIndex.count
        var kept: [Entry] = []
        var j = 0
        for i in 0..<entries.count where entries[i].isLabel || (j < words.count && Int(words[j]) == i) {
            kept.append(entries[i])
            if !entries[i].isLabel { j += 1 }
        }
        entries = kept
        wordCount = words.count
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        resizeTable(size)
        computeSubwordTable()
    }

    /// Restores a dictionary read from a model file: entries in file order and the prune index.
    init(entries words: [(bytes: [UInt8], count: Int64, isLabel: Bool)], tokenCount: Int64, pruneIndex pairs: [(Int32, Int32)]?,
         labelPrefix: [UInt8], minn: Int, maxn: Int, bucket: Int, wordNgrams: Int) {
        self.init(labelPrefix: labelPrefix, minn: minn, maxn: maxn, bucket: bucket, wordNgrams: wordNgrams)
        for w in words {
            let start = arena.count
            arena.append(contentsOf: w.bytes)
            entries.append(Entry(start: start, length: Int32(w.bytes.count), hash: FastTextHash.fnv1a(w.bytes), isLabel: w.isLabel, count: w.count))
        }
        wordCount = entries.prefix { !$0.isLabel }.count
        labelCount = entries.count - wordCount
        self.tokenCount = tokenCount
        if let pairs {
            pruneIndexSize = pairs.count
            for (bucket, row) in pairs.sorted(by: { $0.1 < $1.1 }) {
                pruneIndex[bucket] = row
                prunedBuckets.append(bucket)
            }
        }
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        resizeTable(size)
        computeSubwordTable()
    }

    /// The rows `readLine` would give the word `token` alone, without `</s>` (for tests and tools).
    mutating func inputRows(of token: [UInt8]) -> [Int32] {
        var rows: [Int32] = []
        token.withUnsafeBytes { t in
            let id = find(t, hash: FastTextHash.hash(t))
            if id < 0 {
                addCharacterNgrams(of: t, to: &rows)
            } else if maxn <= 0 {
                rows.append(id)
            } else {
                rows.append(contentsOf: subwords[Int(subwordStart[Int(id)])..<Int(subwordStart[Int(id) + 1])])
            }
        }
        return rows
    }
}
