import Foundation
import WinnowCore
import WinnowWordRules

/// Word and phrase lists as files: one entry per line, UTF-8 (a byte-order mark is skipped); blank lines and lines whose first non-space
/// character is `#` are skipped, as is a trailing ` # comment`; surrounding whitespace is trimmed.
enum WordListFile {
    static func entries(of text: String) -> [String] {
        var result: [String] = []
        // `isNewline` also covers "\r\n", which Swift reads as one Character.
        let body = text.hasPrefix("\u{FEFF}") ? Substring(text.dropFirst()) : Substring(text)
        for rawLine in body.split(omittingEmptySubsequences: true, whereSeparator: { $0.isNewline }) {
            var line = Substring(rawLine)
            if let hash = line.range(of: " #") ?? line.range(of: "\t#") { line = line[..<hash.lowerBound] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            result.append(trimmed)
        }
        return result
    }

    /// Reads a list file; a missing or unreadable file is a configuration error for `key`.
    static func read(_ path: String, _ p: StageParameters, key: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw p.error(key, "\(key): cannot read '\(path)'")
        }
        return entries(of: String(decoding: data, as: UTF8.self))
    }
}

/// Case folding that keeps byte lengths: ASCII `A-Z`, and the two-byte UTF-8 range (U+0080-U+07FF: Latin-1,
/// Latin Extended, Greek, Cyrillic, Armenian) where a capital's simple lowercase is one code point of two
/// bytes (`É` -> `é`, `Ж` -> `ж`). Everything else is kept as written. Because lengths are kept, a match in
/// folded text has the same byte offsets as in the original.
enum ByteFold {
    /// Lower-case code point for U+0000-U+07FF.
    static let lower2: [UInt16] = (0..<0x800).map { (cp: Int) -> UInt16 in
        if cp < 0x80 { return UInt16(cp >= 0x41 && cp <= 0x5A ? cp + 0x20 : cp) }
        guard let scalar = Unicode.Scalar(UInt32(cp)) else { return UInt16(cp) }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let l = lower.first, l.value >= 0x80, l.value < 0x800 else { return UInt16(cp) }
        return UInt16(l.value)
    }

    /// ASCII folded: `A-Z` lower-cased; with `asciiSpace`, Python's ASCII whitespace marked as 0x80 (no
    /// folded ASCII byte has that value).
    static let asciiFold: [UInt8] = (0..<128).map { (b: Int) -> UInt8 in
        if b >= 0x41 && b <= 0x5A { return UInt8(b + 0x20) }
        if b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F) { return 0x80 }
        return UInt8(b)
    }

    /// Folds bytes `[0, n)` of `p` into `out` (grown as needed, never shrunk) and returns the folded length.
    /// With `collapseSpaces`, each run of Python whitespace becomes one ASCII space (so a phrase's words match
    /// across line breaks and double spaces); offsets then shift, so callers match and check boundaries on
    /// `out`. The folded text is never longer than the input.
    static func fold(_ p: UnsafePointer<UInt8>, _ n: Int, collapseSpaces: Bool, into out: inout [UInt8]) -> Int {
        if out.count < n { out = [UInt8](repeating: 0, count: max(n, out.count * 2)) }
        guard n > 0 else { return 0 }
        return out.withUnsafeMutableBufferPointer { ob -> Int in
            let o = ob.baseAddress!
            return lower2.withUnsafeBufferPointer { table -> Int in
                asciiFold.withUnsafeBufferPointer { ascii -> Int in
                    var i = 0, k = 0, inSpace = false
                    while i < n {
                        let b = p[i]
                        if b < 0x80 {
                            let l = ascii[Int(b)]
                            if l != 0x80 {
                                o[k] = l; k += 1; inSpace = false
                            } else if !collapseSpaces {
                                o[k] = b; k += 1
                            } else if !inSpace {
                                o[k] = 0x20; k += 1; inSpace = true
                            }
                            i += 1
                            continue
                        }
                        if collapseSpaces {
                            let sl = UTF8Scan.spaceLength(p, i, n)
                            if sl != 0 {
                                if !inSpace { o[k] = 0x20; k += 1 }
                                inSpace = true
                                i += sl
                                continue
                            }
                            inSpace = false
                        }
                        if b >= 0xC2 && b <= 0xDF && i + 1 < n && p[i + 1] & 0xC0 == 0x80 {
                            let l = table[Int(b & 0x1F) << 6 | Int(p[i + 1] & 0x3F)]
                            o[k] = 0xC0 | UInt8(l >> 6)
                            o[k + 1] = 0x80 | UInt8(l & 0x3F)
                            k += 2
                            i += 2
                        } else {
                            o[k] = b; k += 1
                            i += 1
                        }
                    }
                    return k
                }
            }
        }
    }

    /// A list entry folded as text is, with surrounding spaces trimmed.
    static func foldEntry(_ entry: String, collapseSpaces: Bool) -> [UInt8] {
        var bytes = Array(entry.utf8)
        var out: [UInt8] = []
        let length = bytes.withUnsafeBufferPointer { b in
            b.baseAddress.map { fold($0, b.count, collapseSpaces: collapseSpaces, into: &out) } ?? 0
        }
        bytes = Array(out.prefix(length))
        var a = 0, e = bytes.count
        while a < e && bytes[a] == 0x20 { a += 1 }
        while e > a && bytes[e - 1] == 0x20 { e -= 1 }
        return Array(bytes[a..<e])
    }
}

/// Aho-Corasick over bytes, compiled to a full transition table on byte classes (the bytes that occur in some
/// pattern get a class each, all others share class 0): one table load per text byte, whatever the number of
/// patterns. Immutable once built, shared by all tasks.
final class PhraseMatcher: Sendable {
    private let classOf: [UInt8]
    private let classCount: Int
    /// Transitions, state * classCount + class -> state (~state when it has outputs). Automata of fewer than
    /// 32,768 states use 16-bit entries, so that a short list's table stays in the L1 cache.
    private let next: [Int32]
    private let next16: [Int16]
    /// Pattern byte lengths ending in state s: `outputs[outputStart[s] ..< outputStart[s + 1]]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    let patternCount: Int
    /// Whether transitions are 32-bit (32,767 states or more).
    var usesWideTable: Bool { !next.isEmpty }

    /// Patterns are matched as given (fold them first); empty and duplicate patterns are dropped.
    init(patterns: [[UInt8]]) {
        let unique = Array(Set(patterns.filter { !$0.isEmpty }))
        patternCount = unique.count
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for pattern in unique {
            for b in pattern where classOf[Int(b)] == 0 {
                // More than 255 distinct bytes cannot happen in practice with folded text; share the last class.
                if classCount < 256 { classOf[Int(b)] = UInt8(classCount); classCount += 1 }
            }
        }
        // The trie: -1 marks a missing edge.
        var goto: [Int32] = [Int32](repeating: -1, count: classCount)
        var own: [[Int32]] = [[]]
        for pattern in unique {
            var s = 0
            for b in pattern {
                let c = Int(classOf[Int(b)])
                if goto[s * classCount + c] < 0 {
                    goto[s * classCount + c] = Int32(own.count)
                    own.append([])
                    goto.append(contentsOf: repeatElement(-1, count: classCount))
                }
                s = Int(goto[s * classCount + c])
            }
            own[s].append(Int32(pattern.count))
        }
        let states = own.count
        // Breadth-first: failure links and the completed transition table.
        var fail = [Int32](repeating: 0, count: states)
        var outputLists = own
        var queue: [Int] = []
        queue.reserveCapacity(states)
        for c in 0..<classCount {
            let t = goto[c]
            if t < 0 { goto[c] = 0 } else { fail[Int(t)] = 0; queue.append(Int(t)) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            outputLists[s].append(contentsOf: outputLists[Int(fail[s])])
            for c in 0..<classCount {
                let t = goto[s * classCount + c]
                let viaFail = goto[Int(fail[s]) * classCount + c]
                if t < 0 {
                    goto[s * classCount + c] = viaFail
                } else {
                    fail[Int(t)] = viaFail
                    queue.append(Int(t))
                }
            }
        }
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for list in outputLists {
            flat.append(contentsOf: list)
            starts.append(Int32(flat.count))
        }
        // A transition into a state with outputs is stored as ~state (negative), so the scan tests one sign.
        for k in goto.indices where !outputLists[Int(goto[k])].isEmpty { goto[k] = ~goto[k] }
        self.classOf = classOf
        self.classCount = classCount
        if states < Int(Int16.max) {
            self.next16 = goto.map { Int16($0) }
            self.next = []
        } else {
            self.next16 = []
            self.next = goto
        }
        self.outputStart = starts
        self.outputs = flat
    }

    /// Calls `body(start, end)` for every occurrence of every pattern in bytes `[0, n)` of `p` (overlapping
    /// ones included), in order of their end; `body` returns false to stop.
    @inline(__always)
    func forEachMatch(_ p: UnsafePointer<UInt8>, _ n: Int, _ body: (Int, Int) -> Bool) {
        if next.isEmpty {
            next16.withUnsafeBufferPointer { scan($0, p, n, body) }
        } else {
            next.withUnsafeBufferPointer { scan($0, p, n, body) }
        }
    }

    @inline(__always)
    private func scan<T: FixedWidthInteger & SignedInteger>(_ nx: UnsafeBufferPointer<T>, _ p: UnsafePointer<UInt8>, _ n: Int,
                                                            _ body: (Int, Int) -> Bool) {
        classOf.withUnsafeBufferPointer { cls in
            outputStart.withUnsafeBufferPointer { os in
                outputs.withUnsafeBufferPointer { out in
                    var s = 0
                    for i in 0..<n {
                        let t = Int(nx[s &* classCount &+ Int(cls[Int(p[i])])])
                        if t >= 0 { s = t; continue }
                        s = ~t
                        for k in Int(os[s])..<Int(os[s + 1]) where !body(i + 1 - Int(out[k]), i + 1) { return }
                    }
                }
            }
        }
    }
}

/// Language codes as keys: lower case, the part before `_` or `-` (`en_Latn`, `pt-BR`), and the ISO 639-1
/// code for common ISO 639-3 codes (`eng` -> `en`), so that a list configured as `en` serves documents
/// labelled `en`, `eng`, `eng_Latn` or `__label__en`.
enum LanguageKey {
    static func normalize(_ raw: String) -> String {
        var s = Substring(raw)
        if s.hasPrefix("__label__") { s = s.dropFirst(9) }
        if let cut = s.firstIndex(where: { $0 == "_" || $0 == "-" }) { s = s[..<cut] }
        let code = s.lowercased()
        return iso639_3to1[code] ?? code
    }

    static let iso639_3to1: [String: String] = [
        "afr": "af", "ara": "ar", "bel": "be", "ben": "bn", "bul": "bg", "cat": "ca", "ces": "cs", "cze": "cs",
        "cym": "cy", "dan": "da", "deu": "de", "ger": "de", "ell": "el", "gre": "el", "eng": "en", "epo": "eo",
        "spa": "es", "est": "et", "eus": "eu", "fas": "fa", "per": "fa", "pes": "fa", "fin": "fi", "fil": "tl",
        "tgl": "tl", "fra": "fr", "fre": "fr", "gle": "ga", "glg": "gl", "guj": "gu", "heb": "he", "hin": "hi",
        "hrv": "hr", "hun": "hu", "hye": "hy", "arm": "hy", "ind": "id", "isl": "is", "ice": "is", "ita": "it",
        "jpn": "ja", "kat": "ka", "geo": "ka", "kaz": "kk", "khm": "km", "kan": "kn", "kor": "ko", "lao": "lo",
        "lit": "lt", "lav": "lv", "lvs": "lv", "mkd": "mk", "mal": "ml", "mar": "mr", "msa": "ms", "zsm": "ms",
        "mya": "my", "bur": "my", "nep": "ne", "npi": "ne", "nld": "nl", "dut": "nl", "nor": "no", "nob": "no",
        "pan": "pa", "pol": "pl", "por": "pt", "ron": "ro", "rum": "ro", "rus": "ru", "slk": "sk", "slo": "sk",
        "slv": "sl", "sqi": "sq", "alb": "sq", "als": "sq", "srp": "sr", "swe": "sv", "swa": "sw", "swh": "sw",
        "tam": "ta", "tel": "te", "tha": "th", "tur": "tr", "ukr": "uk", "urd": "ur", "uzb": "uz", "uzn": "uz",
        "vie": "vi", "zho": "zh", "chi": "zh", "cmn": "zh",
    ]
}
