/// The `articleBody` a page declares in its JSON-LD (schema.org `NewsArticle`, `Article`, `BlogPosting`), used
/// when the DOM's main text is only a teaser of it: paywalled news pages ship the whole article there while
/// their markup shows the first paragraph and hides the rest (`<div class="paywall" hidden>`).
///
/// The body replaces the extracted text when it has at least `minimumChars` characters and three times those
/// of the extraction, and at least half of the extraction's words occur in it (so the body of another article
/// on a listing page, or a JSON-LD summary, never replaces a page's own text). A body holding markup (`<p>`)
/// is not used.
enum JSONLDArticleBody {
    /// Bodies shorter than this (characters, whitespace excluded) are never used.
    static let minimumChars = 500
    /// How many times the extraction's characters the body must have.
    static let lengthFactor = 3

    /// The byte range of the first `"key": "..."` string value in `page[from..<to]`, escapes included.
    static func stringValue(_ key: String, _ page: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Range<Int>? {
        let quoted = Array("\"\(key)\"".utf8)
        var i = from
        while i + quoted.count <= to {
            if page[i] == 0x22, matches(quoted, page, at: i) {
                var j = i + quoted.count
                while j < to, HTMLTokenizer.isSpace(page[j]) { j += 1 }
                guard j < to, page[j] == 0x3A else { i += 1; continue }
                j += 1
                while j < to, HTMLTokenizer.isSpace(page[j]) { j += 1 }
                guard j < to, page[j] == 0x22 else { return nil }
                let start = j + 1
                j = start
                while j < to, page[j] != 0x22 { j += page[j] == 0x5C ? 2 : 1 }
                return j < to ? start..<j : nil
            }
            i += 1
        }
        return nil
    }

    private static func matches(_ needle: [UInt8], _ page: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        for (k, b) in needle.enumerated() where page[i + k] != b { return false }
        return true
    }

    /// Appends the JSON string `page[range]` unescaped, as UTF-8 lines of text (whitespace collapsed within a
    /// line, empty lines dropped; in Markdown a blank line between paragraphs). Returns false when the body holds
    /// markup.
    static func render(_ page: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, format: ExtractionFormat, into out: inout [UInt8]) -> Bool {
        var pendingSpace = false
        var pendingBreak = false
        var i = range.lowerBound
        func put(_ byte: UInt8, _ out: inout [UInt8]) {
            if pendingBreak, !out.isEmpty { out.append(0x0A); if format == .markdown { out.append(0x0A) } }
            else if pendingSpace, !out.isEmpty, out.last != 0x0A { out.append(0x20) }
            pendingBreak = false
            pendingSpace = false
            out.append(byte)
        }
        while i < range.upperBound {
            var b = page[i]
            i += 1
            if b == 0x3C, i < range.upperBound, HTMLTokenizer.isASCIIAlpha(page[i]) || page[i] == 0x2F { return false }
            if b == 0x5C, i < range.upperBound {
                let e = page[i]
                i += 1
                switch e {
                case 0x6E, 0x72: pendingBreak = true; continue  // \n, \r
                case 0x74, 0x62, 0x66: pendingSpace = true; continue  // \t, \b, \f
                case 0x75:  // \uXXXX, surrogate pairs joined
                    guard var scalar = hex4(page, i, range.upperBound) else { continue }
                    i += 4
                    if scalar >= 0xD800, scalar < 0xDC00, i + 6 <= range.upperBound, page[i] == 0x5C, page[i + 1] == 0x75,
                       let low = hex4(page, i + 2, range.upperBound), low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    if value == "\n" { pendingBreak = true; continue }
                    if value.properties.isWhitespace { pendingSpace = true; continue }
                    for unit in String(value).utf8 { put(unit, &out) }
                    continue
                default: b = e  // \" \\ \/
                }
            }
            if b == 0x0A || b == 0x0D { pendingBreak = true } else if HTMLTokenizer.isSpace(b) { pendingSpace = true } else { put(b, &out) }
        }
        return true
    }

    private static func hex4(_ page: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int) -> UInt32? {
        guard at + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let c = page[k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// Whether `body` (rendered) should replace `extracted`: long enough, three times longer, and holding at least
    /// half of the extraction's words.
    static func replaces(_ extracted: [UInt8], with body: [UInt8]) -> Bool {
        let bodyChars = characters(body)
        guard bodyChars >= minimumChars, bodyChars >= lengthFactor * characters(extracted) else { return false }
        var bodyWords = Set<UInt64>()
        forEachWord(body) { bodyWords.insert($0) }
        var words = 0
        var found = 0
        forEachWord(extracted) { words += 1; if bodyWords.contains($0) { found += 1 } }
        return found * 2 >= words
    }

    /// Characters other than whitespace (UTF-8 lead bytes).
    private static func characters(_ text: [UInt8]) -> Int {
        var n = 0
        for b in text where b & 0xC0 != 0x80 && !HTMLTokenizer.isSpace(b) { n += 1 }
        return n
    }

    /// Calls `body` with a hash of each word: a run of bytes that are not ASCII whitespace or punctuation,
    /// ASCII letters lower-cased.
    private static func forEachWord(_ text: [UInt8], _ body: (UInt64) -> Void) {
        var h: UInt64 = 0xcbf29ce484222325
        var inWord = false
        for b in text {
            if b < 0x80 && !HTMLEntities.isAlphanumeric(b) {
                if inWord { body(h) }
                inWord = false
                h = 0xcbf29ce484222325
                continue
            }
            inWord = true
            h = (h ^ UInt64(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)) &* 0x100000001b3
        }
        if inWord { body(h) }
    }
}
