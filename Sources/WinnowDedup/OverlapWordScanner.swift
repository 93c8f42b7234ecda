import CXXHash
import WinnowWordRules

/// The words that n-gram overlap (decontamination) compares: maximal runs of characters that are neither
/// whitespace nor datatrove's punctuation, each normalized as `simplify_text` would (lowercase, digit runs ->
/// `0`, accents dropped) and hashed (xxh3-64). Evaluation items and documents go through the same scanner, so
/// "What's the capital of France?" and "whats the capital of france" differ only by the split of "what's".
/// With `words: datatrove` a word is instead each token of datatrove's `NGramsDecontFilter`: `simplify_text`,
/// then spaCy's English word rules (`EnglishWordTokenizer`), applied to each whitespace-separated chunk (both
/// act within chunks, so this gives the tokens of the whole simplified text); such a word's position is its
/// chunk's. One instance per task: it keeps scratch buffers.
final class OverlapWordScanner {
    /// How words are cut: at whitespace and punctuation, each normalized (the default), or as datatrove does.
    enum Words: String, Sendable, CaseIterable { case words, datatrove }

    struct Word {
        /// Bytes `[start, end)` of the text, and the code-point offset of `start` (Python's index).
        var start: Int
        var end: Int
        var character: Int
        var hash: UInt64
    }

    let mode: Words
    private let simplifier = DedupTextSimplifier()
    private let splitter = SimplifiedTextWordSplitter()
    private var tokens: [TokenSpan] = []
    private var normalized: [UInt8] = []
    /// The words of the last `scan` (empty after `scanHashes`).
    var words: [Word] = []
    /// Their hashes, contiguous, for `ngramHash` (also filled by `scanHashes`).
    private(set) var wordHashes: [UInt64] = []

    /// Where an ASCII word of at most `asciiWordCapacity` bytes is normalized with `words: words` (written
    /// without an array's per-append checks; longer words go through `normalized`).
    private let asciiWord = UnsafeMutablePointer<UInt8>.allocate(capacity: asciiWordCapacity)
    private static let asciiWordCapacity = 256

    init(mode: Words = .words) { self.mode = mode }

    deinit { asciiWord.deallocate() }

    /// Fills `words` with the words of bytes `[0, count)` of `p`, stopping once it holds `wordLimit` words or more
    /// (the words up to a known match are all a dropped document needs).
    func scan(_ p: UnsafePointer<UInt8>, _ count: Int, wordLimit: Int = .max) {
        // The scratch arrays move into locals for the loop: no exclusivity checks on class properties per word.
        var words = self.words, wordHashes = self.wordHashes, normalized = self.normalized, tokens = self.tokens
        self.words = []; self.wordHashes = []; self.normalized = []; self.tokens = []
        defer { self.words = words; self.wordHashes = wordHashes; self.normalized = normalized; self.tokens = tokens }
        words.removeAll(keepingCapacity: true)
        wordHashes.removeAll(keepingCapacity: true)
        func finishWord(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ character: Int, ascii: Bool) {
            forEachWordHash(p, start, end, ascii: ascii, normalized: &normalized, tokens: &tokens) { hash in
                words.append(Word(start: start, end: end, character: character, hash: hash))
                wordHashes.append(hash)
            }
        }
        let punctuation = DedupTextSimplifier.asciiPunctuation
        var i = 0, character = 0
        var wordStart = -1, wordCharacter = 0, ascii = true
        while i <= count {
            var separator = true, length = 1, isASCII = true
            if i < count {
                let b = p[i]
                if b < 0x80 {
                    separator = DedupTextSimplifier.isASCIISpace(b) || (punctuation[Int(b)] && mode == .words)
                } else {
                    let (cp, len) = UTF8Scan.decode(p, i, count)
                    length = len
                    isASCII = false
                    separator = DedupTextSimplifier.isUnicodeSpace(cp) || (DedupTextSimplifier.isUnicodePunctuation(cp) && mode == .words)
                }
            }
            if separator {
                if wordStart >= 0 {
                    finishWord(p, wordStart, i, wordCharacter, ascii: ascii)
                    if words.count >= wordLimit { return }
                }
                wordStart = -1
            } else if wordStart < 0 {
                wordStart = i
                wordCharacter = character
                ascii = isASCII
            } else if !isASCII {
                ascii = false
            }
            i += length
            character += 1
        }
    }

    /// Fills the word hashes alone (`words` is left empty) of bytes `[0, count)` of `p`, the same hashes as `scan`:
    /// the first look at a document, whose word positions are needed only when an n-gram matches. With
    /// `words: datatrove` the whole text is simplified and split in one go, as datatrove does (`scan` does it
    /// chunk by chunk between whitespace, for positions; both steps act within such chunks, so the words are the
    /// same: `OverlapWordScannerTests`); with `words: words` this is `scan`.
    func scanHashes(_ p: UnsafePointer<UInt8>, _ count: Int) {
        guard mode == .datatrove else { scan(p, count); return }
        var wordHashes = self.wordHashes, normalized = self.normalized, tokens = self.tokens
        self.wordHashes = []; self.normalized = []; self.tokens = []
        defer { self.wordHashes = wordHashes; self.normalized = normalized; self.tokens = tokens }
        words.removeAll(keepingCapacity: true)
        wordHashes.removeAll(keepingCapacity: true)
        simplifier.simplify(UnsafeBufferPointer(start: p, count: count), into: &normalized)
        normalized.withUnsafeBufferPointer { n in
            guard let q = n.baseAddress else { return }
            tokens.removeAll(keepingCapacity: true)
            splitter.tokenize(q, n.count, into: &tokens)
            for t in tokens { wordHashes.append(XXH3_64bits(q + t.start, t.end - t.start)) }
        }
    }

    /// Calls `body` with the hash of each word the bytes `[start, end)` (a run between separators) make: one,
    /// none (a run that normalizes to nothing) or, with `words: datatrove`, one per spaCy token.
    private func forEachWordHash(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, ascii: Bool,
                                 normalized: inout [UInt8], tokens: inout [TokenSpan], _ body: (UInt64) -> Void) {
        normalized.removeAll(keepingCapacity: true)
        if mode == .datatrove {
            if ascii {
                DedupTextSimplifier.simplifyASCII(p, start, end, into: &normalized)
            } else {
                simplifier.simplify(UnsafeBufferPointer(start: p + start, count: end - start), into: &normalized)
            }
            normalized.withUnsafeBufferPointer { n in
                guard let q = n.baseAddress else { return }
                tokens.removeAll(keepingCapacity: true)
                splitter.tokenize(q, n.count, into: &tokens)
                for t in tokens { body(XXH3_64bits(q + t.start, t.end - t.start)) }
            }
            return
        }
        if ascii && end - start <= Self.asciiWordCapacity {
            // Lowercase, a digit run becomes one 0 (as below).
            let q = asciiWord
            var length = 0, inDigits = false
            for i in start..<end {
                let b = p[i]
                if b &- 0x30 < 10 {
                    if !inDigits { q[length] = 0x30; length += 1 }
                    inDigits = true
                } else {
                    q[length] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b; length += 1
                    inDigits = false
                }
            }
            body(XXH3_64bits(q, length))
            return
        }
        if ascii {
            var inDigits = false
            for i in start..<end {
                let b = p[i]
                if b >= 0x30 && b <= 0x39 {
                    if !inDigits { normalized.append(0x30) }
                    inDigits = true
                } else {
                    normalized.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                    inDigits = false
                }
            }
        } else {
            simplifier.simplify(UnsafeBufferPointer(start: p + start, count: end - start), into: &normalized)
            guard !normalized.isEmpty else { return }
        }
        body(normalized.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) })
    }

    /// The hash of the n words starting at word `index`.
    func ngramHash(at index: Int, size: Int) -> UInt64 {
        wordHashes.withUnsafeBufferPointer { XXH3_64bits($0.baseAddress! + index, size * 8) }
    }

    /// Calls `body(index, hash)` for the n-grams of `size` words of the last `scan` in order (as `ngramHash`),
    /// until it returns false.
    func forEachNGramHash(size: Int, _ body: (Int, UInt64) -> Bool) {
        wordHashes.withUnsafeBufferPointer { hashes in
            guard let base = hashes.baseAddress, hashes.count >= size else { return }
            for i in 0...(hashes.count - size) where !body(i, XXH3_64bits(base + i, size * 8)) { return }
        }
    }
}
