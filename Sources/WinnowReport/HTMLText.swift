/// Escaping for text and attribute values placed in the report page. Every string that comes from a run
/// (document text, ids, URLs, stage names, reasons, file names) goes through `escape`, so a document holding
/// `<script>` or `</textarea>` shows as text and never as markup.
enum HTMLText {
    /// `s` with `&`, `<`, `>`, `"` and `'` replaced by character references; safe in element content and in
    /// double- or single-quoted attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and line breaks are not allowed in HTML text.
                if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The first `limit` characters (Unicode scalars) of UTF-8 `bytes`, as a string.
    static func prefix(_ bytes: [UInt8], characters limit: Int) -> (text: String, truncated: Bool) {
        var count = 0
        var end = 0
        while end < bytes.count {
            if bytes[end] & 0xC0 != 0x80 {
                if count == limit { return (String(decoding: bytes[..<end], as: UTF8.self), true) }
                count += 1
            }
            end += 1
        }
        return (String(decoding: bytes, as: UTF8.self), false)
    }
}
