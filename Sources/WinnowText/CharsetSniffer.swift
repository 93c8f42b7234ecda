/// Finds the charset a web page declares, in the order browsers trust: a byte order mark, then the HTTP
/// `Content-Type` charset, then a `<meta charset>` or `<meta http-equiv="Content-Type" content="...">` in the
/// first 1024 bytes (a byte scan following the WHATWG "prescan a byte stream" algorithm, case-insensitive).
/// No statistical detection here (that is `CharsetDetector`'s): when nothing is declared the answer is `nil`.
public enum CharsetSniffer {
    /// How many leading bytes the meta prescan looks at.
    public static let prescanLength = 1024

    /// The canonical name (see `CharsetDecoder.canonicalName`) of the charset that the BOM, the
    /// Content-Type header value or the HTML prefix declares, skipping declarations of unknown charsets.
    public static func declaredCharset(contentType: String?, htmlPrefix: UnsafeRawBufferPointer) -> String? {
        if let bom = byteOrderMark(htmlPrefix) { return bom.charset }
        if let contentType, let label = charsetLabel(contentType: contentType),
           let name = CharsetDecoder.canonicalName(label)
        {
            return name
        }
        return metaCharset(htmlPrefix)
    }

    /// The canonical name of the charset that the BOM, the Content-Type or the HTML prefix declares.
    public static func declaredCharset(contentType: String?, htmlPrefix: [UInt8]) -> String? {
        htmlPrefix.withUnsafeBytes { declaredCharset(contentType: contentType, htmlPrefix: $0) }
    }

    /// The encoding a byte order mark announces (`utf-8`, `utf-16le`, `utf-16be`) and the BOM's length.
    public static func byteOrderMark(_ bytes: UnsafeRawBufferPointer) -> (charset: String, length: Int)? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return ("utf-8", 3) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return ("utf-16be", 2) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return ("utf-16le", 2) }
        return nil
    }

    /// The raw `charset=` label of an HTTP Content-Type value (`text/html; charset="Shift_JIS"` gives
    /// `shift_jis`, lower-cased), whether or not the charset is known.
    public static func charsetLabel(contentType: String) -> String? {
        let bytes = Array(contentType.utf8)
        return bytes.withUnsafeBytes { extractCharset($0) }.map(string)
    }

    /// The canonical name of the charset a `<meta>` element in the first 1024 bytes declares. As in
    /// browsers, a declared UTF-16 means UTF-8 (the page could not have been parsed as ASCII otherwise)
    /// and x-user-defined means windows-1252.
    public static func metaCharset(_ htmlPrefix: UnsafeRawBufferPointer) -> String? {
        var scanner = Prescanner(bytes: UnsafeRawBufferPointer(rebasing: htmlPrefix.prefix(prescanLength)))
        return scanner.run()
    }

    // MARK: Internals

    private static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { CharsetLabels.isASCIIWhitespace(b) }

    @inline(__always)
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// Whether `bytes[at...]` starts with the lower-case ASCII `word`, ignoring case.
    static func matches(_ bytes: UnsafeRawBufferPointer, at i: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where lower(bytes[i + k]) != w[k] { return false }
        return true
    }

    /// WHATWG "extract a character encoding from a meta element", used for Content-Type values too: the
    /// lower-cased label after the first `charset` followed by `=`, quoted or up to whitespace or `;`.
    static func extractCharset(_ s: UnsafeRawBufferPointer) -> [UInt8]? {
        var i = 0
        let n = s.count
        while i < n {
            guard matches(s, at: i, "charset") else { i += 1; continue }
            i += 7
            while i < n, isSpace(s[i]) { i += 1 }
            guard i < n, s[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < n, isSpace(s[i]) { i += 1 }
            guard i < n else { return nil }
            var label = [UInt8]()
            let q = s[i]
            if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                i += 1
                while i < n, s[i] != q { label.append(lower(s[i])); i += 1 }
                guard i < n else { return nil }  // unmatched quote
            } else {
                while i < n, !isSpace(s[i]), s[i] != UInt8(ascii: ";") { label.append(lower(s[i])); i += 1 }
            }
            return label.isEmpty ? nil : label
        }
        return nil
    }

    /// The WHATWG prescan over at most 1024 bytes: skips comments and other tags, reads the attributes of
    /// `<meta>` elements.
    struct Prescanner {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func run() -> String? {
            let n = bytes.count
            while i < n {
                if matches(bytes, at: i, "<!--") {
                    i += 2  // "<!-->" closes the comment too
                    while i < n, !matches(bytes, at: i, "-->") { i += 1 }
                    i += 3
                } else if matches(bytes, at: i, "<meta"), i + 5 < n, isSpace(bytes[i + 5]) || bytes[i + 5] == UInt8(ascii: "/") {
                    i += 5
                    if let found = meta() { return found }
                } else if bytes[i] == UInt8(ascii: "<"), i + 1 < n,
                          isLetter(bytes[i + 1]) || (bytes[i + 1] == UInt8(ascii: "/") && i + 2 < n && isLetter(bytes[i + 2]))
                {
                    while i < n, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                    while attribute() != nil {}
                    i += 1
                } else if matches(bytes, at: i, "<!") || matches(bytes, at: i, "</") || matches(bytes, at: i, "<?") {
                    while i < n, bytes[i] != UInt8(ascii: ">") { i += 1 }
                    i += 1
                } else {
                    i += 1
                }
            }
            return nil
        }

        /// After `<meta`: the charset the element declares, if it is a complete, known declaration.
        private mutating func meta() -> String? {
            var seen: [[UInt8]] = []
            var gotPragma = false
            var needPragma: Bool? = nil
            var charset: [UInt8]? = nil
            while let attribute = attribute() {
                let (name, value) = attribute
                if seen.contains(name) { continue }
                seen.append(name)
                switch String(decoding: name, as: UTF8.self) {
                case "http-equiv":
                    if value == Array("content-type".utf8) { gotPragma = true }
                case "content":
                    if charset == nil, let found = value.withUnsafeBytes({ extractCharset($0) }) {
                        charset = found
                        needPragma = true
                    }
                case "charset":
                    charset = value
                    needPragma = false
                default:
                    break
                }
            }
            guard let needPragma, let charset, !(needPragma && !gotPragma) else { return nil }
            guard let name = CharsetDecoder.canonicalName(String(decoding: charset, as: UTF8.self)) else { return nil }
            switch name {
            case "utf-16le", "utf-16be": return "utf-8"
            case "x-user-defined": return "windows-1252"
            default: return name
            }
        }

        /// WHATWG "get an attribute": the next lower-cased name and value inside a tag, or `nil` at `>` or
        /// at the end of the bytes (position then at the `>`).
        private mutating func attribute() -> (name: [UInt8], value: [UInt8])? {
            let n = bytes.count
            while i < n, isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
            guard i < n, bytes[i] != UInt8(ascii: ">") else { return nil }
            var name = [UInt8]()
            var value = [UInt8]()
            // Name, up to '=', whitespace, '/' or '>'.
            while true {
                guard i < n else { return nil }
                let c = bytes[i]
                if c == UInt8(ascii: "="), !name.isEmpty { i += 1; break }
                if isSpace(c) {
                    while i < n, isSpace(bytes[i]) { i += 1 }
                    guard i < n else { return nil }
                    if bytes[i] != UInt8(ascii: "=") { return (name, []) }
                    i += 1
                    break
                }
                if c == UInt8(ascii: "/") || c == UInt8(ascii: ">") { return (name, []) }
                name.append(lower(c))
                i += 1
            }
            // Value: quoted, or up to whitespace or '>'.
            while i < n, isSpace(bytes[i]) { i += 1 }
            guard i < n else { return nil }
            let q = bytes[i]
            if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                i += 1
                while i < n, bytes[i] != q { value.append(lower(bytes[i])); i += 1 }
                guard i < n else { return nil }
                i += 1
                return (name, value)
            }
            if q == UInt8(ascii: ">") { return (name, []) }
            while i < n, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { value.append(lower(bytes[i])); i += 1 }
            guard i < n else { return nil }
            return (name, value)
        }
    }
}
