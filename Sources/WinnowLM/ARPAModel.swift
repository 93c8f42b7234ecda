import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem reading an ARPA file.
public struct ARPAError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A back-off n-gram language model read from an ARPA file, scored with KenLM's semantics
/// (log10 probabilities, back-off weights, `<s>`/`</s>`, `<unk>`).
///
/// Layout: words get dense ids (`<unk>` is always id 0, as in KenLM); unigram probabilities and back-offs
/// are arrays indexed by id; each higher order is an open-addressing hash table keyed by a 64-bit hash of
/// the n-gram's ids, hashed from the most recent word backwards so that the scorer extends one hash per
/// extra context word. As in KenLM's `probing` structure, n-grams are identified by that 64-bit hash
/// alone (a collision between two n-grams of one order is possible in principle, at ~2^-64 per pair).
///
/// Values are stored as `Float`, like KenLM, and a token's probability is accumulated in `Float` too.
/// When the ARPA file has no `<unk>`, it gets log10 probability -100 (KenLM's `unknown_missing_logprob`).
public final class ARPAModel: Sendable {
    /// The highest n-gram order.
    public let order: Int
    /// Number of n-grams per order (index 0 = unigrams), as read.
    public let counts: [Int]
    public let unknownID: UInt32 = 0
    public let bosID: UInt32
    public let eosID: UInt32

    /// The model's memory: built from ARPA text, or a mapped binary model file.
    let image: LanguageModelImage
    let store: LanguageModelTables

    /// Reads a model file: Winnow's binary form (`winnow lm build`, recognized by its magic) is
    /// memory-mapped; anything else is parsed as ARPA.
    public convenience init(path: String) throws {
        if let image = try LanguageModelImage(mappingFile: path) {
            self.init(image: image)
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ARPAError("cannot read \(path)")
        }
        try self.init(arpa: [UInt8](data))
    }

    init(image: LanguageModelImage) {
        self.image = image
        self.store = image.tables
        self.order = image.tables.order
        self.counts = image.tables.counts
        self.bosID = image.tables.bosID
        self.eosID = image.tables.eosID
    }

    /// Writes the model in Winnow's binary form, which `init(path:)` maps back without parsing.
    public func writeBinary(to path: String) throws {
        try image.write(to: path)
    }

    /// Whether the model was mapped from a binary file (rather than parsed from ARPA).
    public var isMapped: Bool { image.isMapped }

    /// Parses ARPA text.
    public convenience init(arpa text: [UInt8]) throws {
        self.init(image: try Self.parseARPA(text))
    }

    private static func parseARPA(_ text: [UInt8]) throws -> LanguageModelImage {
        var bytes = text
        bytes.append(0)  // strtod stops at the terminator at worst
        var vocabulary = Vocabulary()
        _ = vocabulary.insert(Array("<unk>".utf8))
        var declared: [Int] = []
        var uniProb: [Float] = [-100]
        var uniBackoff: [Float] = [0]
        var tables: [NGramTable] = []
        var seenUnk = false
        var ids: [UInt32] = []

        try bytes.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress!
            let end = buf.count - 1
            var pos = 0
            var lineNumber = 0
            // Section: -1 header before \data\, 0 counts, n >= 1 n-grams of order n, -2 after \end\.
            var section = -1
            var read: [Int] = []

            func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
            func startsWith(_ s: String, _ a: Int, _ b: Int) -> Bool {
                let u = Array(s.utf8)
                guard b - a >= u.count else { return false }
                for i in 0..<u.count where buf[a + i] != u[i] { return false }
                return true
            }
            func parseInt(_ a: Int, _ b: Int) -> Int? {
                var v = 0, i = a, any = false
                while i < b, buf[i] >= 0x30, buf[i] <= 0x39 {
                    guard v < 1 << 48 else { return nil }  // far beyond any count a file can hold
                    v = v * 10 + Int(buf[i] - 0x30); i += 1; any = true
                }
                return any ? v : nil
            }
            func fail(_ m: String) -> ARPAError { ARPAError("line \(lineNumber): \(m)") }

            while pos < end, section != -2 {
                lineNumber += 1
                var lineEnd = pos
                while lineEnd < end, buf[lineEnd] != 0x0A { lineEnd += 1 }
                var a = pos, b = lineEnd
                pos = lineEnd + 1
                while a < b, isBlank(buf[a]) { a += 1 }
                while b > a, isBlank(buf[b - 1]) { b -= 1 }
                if a == b { continue }
                if buf[a] == 0x5C {  // backslash: a section marker
                    if startsWith("\\data\\", a, b) {
                        section = 0
                    } else if startsWith("\\end\\", a, b) {
                        // KenLM reads one section per declared order; a missing one would leave its table out.
                        guard section >= 1, section == declared.count else {
                            throw fail("\\end\\ before the \\\(section + 1)-grams: section the header declares")
                        }
                        section = -2
                    } else if let n = parseInt(a + 1, b), startsWith("-grams:", a + 1 + String(n).utf8.count, b) {
                        guard section >= 0, n == section + 1, n <= declared.count else {
                            throw fail("unexpected section \\\(n)-grams:")
                        }
                        if section >= 1, read[section - 1] != declared[section - 1] {
                            throw fail("\(section)-grams: header says \(declared[section - 1]), found \(read[section - 1])")
                        }
                        section = n
                        if n >= 2 { tables.append(NGramTable(expected: declared[n - 1])) }
                        ids.reserveCapacity(n)
                    } else {
                        throw fail("unknown section marker")
                    }
                    continue
                }
                if section == -1 { continue }  // free text before \data\
                if section == 0 {
                    guard startsWith("ngram ", a, b) else { throw fail("expected 'ngram N=count'") }
                    var i = a + 6
                    while i < b, isBlank(buf[i]) { i += 1 }
                    guard let n = parseInt(i, b) else { throw fail("bad ngram count line") }
                    while i < b, buf[i] != 0x3D { i += 1 }
                    i += 1
                    while i < b, isBlank(buf[i]) { i += 1 }
                    guard let c = parseInt(i, b), n == declared.count + 1 else { throw fail("bad ngram count line") }
                    // Each n-gram takes a line, so a count beyond the file's size is false; it would size tables.
                    guard c <= end else { throw fail("ngram \(n)=\(c) is more n-grams than the file's \(end) bytes can hold") }
                    declared.append(c)
                    read.append(0)
                    if n == 1 {
                        uniProb.reserveCapacity(c + 1)
                        uniBackoff.reserveCapacity(c + 1)
                    }
                    continue
                }
                // An n-gram line: prob, n words, optional back-off, separated by tabs or spaces.
                let n = section
                var endPtr: UnsafeMutablePointer<CChar>? = nil
                let start = UnsafeMutableRawPointer(mutating: base + a).assumingMemoryBound(to: CChar.self)
                let prob = strtod(start, &endPtr)
                var i = UnsafeRawPointer(endPtr!).assumingMemoryBound(to: UInt8.self) - base
                guard i > a, i <= b else { throw fail("bad probability") }
                ids.removeAll(keepingCapacity: true)
                var newWord = false
                for _ in 0..<n {
                    while i < b, isBlank(buf[i]) { i += 1 }
                    let w = i
                    while i < b, !isBlank(buf[i]) { i += 1 }
                    guard i > w else { throw fail("expected \(n) words") }
                    let word = UnsafeBufferPointer(rebasing: buf[w..<i])
                    if n == 1 {
                        let (id, inserted) = vocabulary.insert(word)
                        newWord = inserted
                        ids.append(id)
                    } else {
                        guard let id = vocabulary.find(word) else {
                            throw fail("word '\(String(decoding: word, as: UTF8.self))' is not a unigram")
                        }
                        ids.append(id)
                    }
                }
                while i < b, isBlank(buf[i]) { i += 1 }
                var backoff = 0.0
                if i < b {
                    let s = UnsafeMutableRawPointer(mutating: base + i).assumingMemoryBound(to: CChar.self)
                    backoff = strtod(s, &endPtr)
                    let j = UnsafeRawPointer(endPtr!).assumingMemoryBound(to: UInt8.self) - base
                    guard j == b, j > i else { throw fail("bad back-off or too many words") }
                    // A back-off on a highest-order n-gram is never used (some tools write 0 there).
                }
                read[n - 1] += 1
                // The tables are sized by the header's counts: more n-grams than declared are an error here.
                guard read[n - 1] <= declared[n - 1] else { throw fail("more \(n)-grams than the header's \(declared[n - 1])") }
                if n == 1 {
                    let id = Int(ids[0])
                    if id == 0 {
                        seenUnk = true
                        uniProb[0] = Float(prob)
                        uniBackoff[0] = Float(backoff)
                    } else {
                        guard newWord else { throw fail("duplicate unigram") }
                        uniProb.append(Float(prob))
                        uniBackoff.append(Float(backoff))
                    }
                } else {
                    var key = NGramHash.start(ids[n - 1])
                    var k = n - 2
                    while k >= 0 { key = NGramHash.extend(key, ids[k]); k -= 1 }
                    tables[n - 2].insert(key: key, prob: Float(prob), backoff: Float(backoff))
                }
            }
            guard section == -2 else { throw ARPAError("no \\end\\ marker") }
            guard !declared.isEmpty else { throw ARPAError("no \\data\\ section") }
            for (k, c) in declared.enumerated() where read[k] != c {
                throw ARPAError("\(k + 1)-grams: header says \(c), found \(read[k])")
            }
        }
        _ = seenUnk
        guard let bos = vocabulary.find(Array("<s>".utf8)), let eos = vocabulary.find(Array("</s>".utf8)) else {
            throw ARPAError("the model has no <s> or </s> unigram")
        }
        return LanguageModelImage(order: declared.count, counts: declared, vocabulary: vocabulary, unigramProb: uniProb,
                                  unigramBackoff: uniBackoff, tables: tables, bos: bos, eos: eos)
    }

    /// The id of a word, or 0 (`<unk>`) when it is not in the vocabulary.
    @inline(__always)
    public func id(of word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        store.find(word) ?? 0
    }

    public func id(of word: String) -> UInt32 {
        let bytes = Array(word.utf8)
        return bytes.withUnsafeBufferPointer { id(of: $0) }
    }

    public var vocabularySize: Int { store.vocabularyCount }

    /// KenLM's `Score`: log10 p(word | context) with back-off. `context` holds the preceding words, most
    /// recent first, at most `order - 1` of them. Returns the probability and the length of the n-gram used.
    @inline(__always)
    func score(_ word: UInt32, context: UnsafeBufferPointer<UInt32>) -> (Float, Int) {
        var prob = store.unigramProb[Int(word)]
        var length = 1
        let available = min(context.count, order - 1)
        var key = NGramHash.start(word)
        var k = 0
        while k < available {
            key = NGramHash.extend(key, context[k])
            guard let p = store.tables[k].prob(key) else { break }
            prob = p
            length = k + 2
            k += 1
        }
        // Back off from every context longer than the one used (length - 1 words).
        if length <= available {
            var ckey = NGramHash.start(context[0])
            if length == 1 { prob += store.unigramBackoff[Int(context[0])] }
            var j = 2
            while j <= available {
                ckey = NGramHash.extend(ckey, context[j - 1])
                if j >= length, let b = store.tables[j - 2].backoff(ckey) { prob += b }
                j += 1
            }
        }
        return (prob, length)
    }

    /// `score(_:context:)` with KenLM's state: `contextBackoffs[j]` is the back-off of the context's (j+1)-gram
    /// ending at `context[0]` (0 when absent), found when the previous word was scored, so no context is
    /// looked up again; `newBackoffs` receives the back-offs of the n-grams ending at `word` for the next
    /// call. Same values, in the same order of Float additions, as `score(_:context:)`.
    @inline(__always)
    func score(_ word: UInt32, context: UnsafeBufferPointer<UInt32>, contextBackoffs: UnsafePointer<Float>,
               newBackoffs: UnsafeMutablePointer<Float>) -> (Float, Int) {
        var prob = store.unigramProb[Int(word)]
        let slots = order - 1
        if slots > 0 { newBackoffs[0] = store.unigramBackoff[Int(word)] }
        var length = 1
        let available = min(context.count, slots)
        var key = NGramHash.start(word)
        var k = 0
        store.tables.withUnsafeBufferPointer { tables in
            while k < available {
                key = NGramHash.extend(key, context[k])
                guard let slot = tables[k].find(key) else { break }
                prob = slot.prob
                length = k + 2
                if k + 1 < slots { newBackoffs[k + 1] = slot.backoff }
                k += 1
            }
        }
        var j = length
        while j < slots { newBackoffs[j] = 0; j += 1 }
        var contextLength = length
        while contextLength <= available {
            prob += contextBackoffs[contextLength - 1]
            contextLength += 1
        }
        return (prob, length)
    }

    /// KenLM's `full_scores` for a whitespace-separated sentence (a convenience for tests and tools; the
    /// stage uses `NGramScorer` directly).
    public func fullScores(_ sentence: String, bos: Bool = true, eos: Bool = true) -> [NGramScorer.TokenScore] {
        var scorer = NGramScorer(model: self)
        var out: [NGramScorer.TokenScore] = []
        let bytes = Array(sentence.utf8)
        scorer.begin(bos: bos)
        bytes.withUnsafeBufferPointer { buf in
            NGramScorer.forEachToken(buf) { out.append(scorer.score(token: $0)) }
        }
        if eos { out.append(scorer.end()) }
        return out
    }

    /// KenLM's `score`: the sentence's total log10 probability.
    public func score(_ sentence: String, bos: Bool = true, eos: Bool = true) -> Double {
        fullScores(sentence, bos: bos, eos: eos).reduce(0) { $0 + Double($1.log10) }
    }
}

/// Hashes of id sequences, built from the most recent word backwards.
enum NGramHash {
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {  // MurmurHash3's fmix64
        var k = x
        k ^= k >> 33
        k &*= 0xFF51AFD7ED558CCD
        k ^= k >> 33
        k &*= 0xC4CEB9FE1A85EC53
        k ^= k >> 33
        return k
    }

    @inline(__always)
    static func start(_ id: UInt32) -> UInt64 { mix(UInt64(id) &+ 0x9E3779B97F4A7C15) }

    @inline(__always)
    static func extend(_ key: UInt64, _ id: UInt32) -> UInt64 {
        mix(key &* 0x2127599BF4325C37 ^ (UInt64(id) &+ 0x632BE59BD9B4E019))
    }
}

/// Open addressing with linear probing; key 0 marks an empty slot (a real key of 0 is stored as 1). Key,
/// probability and back-off share a 16-byte slot, so a hit costs one cache line.
struct NGramTable: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var prob: Float
        var backoff: Float
    }

    private(set) var slots: [Slot]
    let mask: Int

    init(expected: Int) {
        var capacity = 4
        while capacity < expected + expected / 2 + 1 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, prob: 0, backoff: 0), count: capacity)
        mask = capacity - 1
    }

    mutating func insert(key rawKey: UInt64, prob: Float, backoff: Float) {
        let key = rawKey == 0 ? 1 : rawKey
        var i = Int(truncatingIfNeeded: key) & mask
        while slots[i].key != 0 && slots[i].key != key { i = (i + 1) & mask }
        slots[i] = Slot(key: key, prob: prob, backoff: backoff)
    }

    @inline(__always)
    func find(_ rawKey: UInt64) -> Slot? {
        let key = rawKey == 0 ? 1 : rawKey
        return slots.withUnsafeBufferPointer { s in
            var i = Int(truncatingIfNeeded: key) & mask
            while true {
                let v = s[i]
                if v.key == key { return v }
                if v.key == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always) func prob(_ key: UInt64) -> Float? { find(key)?.prob }
    @inline(__always) func backoff(_ key: UInt64) -> Float? { find(key)?.backoff }
}

/// Word bytes to dense ids, without allocating on lookup.
struct Vocabulary: Sendable {
    private(set) var pool: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var hashes: [UInt64] = []
    /// Upper 32 bits of the word's hash, then id + 1 (a probe is one load; `hashes` serves growing); 0 = empty.
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 64)

    /// The probe table, as stored in a binary model.
    var slotTable: [UInt64] { slots }

    var count: Int { starts.count }

    @inline(__always)
    static func hash(_ w: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF29CE484222325 ^ UInt64(w.count)
        var i = 0
        let n = w.count
        if let base = w.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                h = NGramHash.mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < n {
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < n { tail |= UInt64(w[i]) << shift; shift += 8; i += 1 }
                h = NGramHash.mix(h ^ tail)
            }
        }
        return NGramHash.mix(h)
    }

    @inline(__always)
    private func matches(_ id: Int, _ w: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[id]
        let e = id + 1 < starts.count ? starts[id + 1] : pool.count
        guard e - s == w.count else { return false }
        if w.count == 0 { return true }
        return pool.withUnsafeBufferPointer { p in memcmp(p.baseAddress! + s, w.baseAddress!, w.count) == 0 }
    }

    @inline(__always)
    func find(_ w: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let h = Self.hash(w)
        let tag = h >> 32
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let v = slots[i]
                if v == 0 { return nil }
                if v >> 32 == tag {
                    let id = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                    if matches(id, w) { return UInt32(id) }
                }
                i = (i + 1) & mask
            }
        }
    }

    func find(_ w: [UInt8]) -> UInt32? { w.withUnsafeBufferPointer { find($0) } }

    /// Calls `body` with the bytes of the word `id`.
    func withWord<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let s = starts[id]
        let e = id + 1 < starts.count ? starts[id + 1] : pool.count
        return try pool.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
    }

    /// Returns the word's id and whether it was new.
    mutating func insert(_ w: UnsafeBufferPointer<UInt8>) -> (UInt32, Bool) {
        if let id = find(w) { return (id, false) }
        if (count + 1) * 3 >= slots.count * 2 { grow() }
        let id = count
        let h = Self.hash(w)
        starts.append(pool.count)
        pool.append(contentsOf: w)
        hashes.append(h)
        place(id, h)
        return (UInt32(id), true)
    }

    mutating func insert(_ w: [UInt8]) -> (UInt32, Bool) { w.withUnsafeBufferPointer { insert($0) } }

    private mutating func place(_ id: Int, _ h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h >> 32) << 32 | UInt64(id + 1)
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        for id in 0..<count { place(id, hashes[id]) }
    }
}
