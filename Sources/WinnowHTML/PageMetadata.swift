/// Metadata found in a page's markup.
public struct PageMetadata: Sendable, Equatable {
    /// `<title>`, whitespace collapsed.
    public var title: String?
    /// `<link rel="canonical" href>`.
    public var canonicalURL: String?
    /// `<html lang>`.
    public var language: String?
    /// The publication date where marked up: `<meta property="article:published_time">` and similar meta
    /// names, `itemprop="datePublished"`, or JSON-LD `"datePublished"`; as written.
    public var datePublished: String?

    public init(title: String? = nil, canonicalURL: String? = nil, language: String? = nil, datePublished: String? = nil) {
        self.title = title
        self.canonicalURL = canonicalURL
        self.language = language
        self.datePublished = datePublished
    }
}

extension PageMetadata {
    /// The first `"datePublished": "..."` value in a JSON-LD script.
    static func jsonLDDate(_ page: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String? {
        let key = Array("\"datePublished\"".utf8)
        var i = from
        while i + key.count <= to {
            if page[i] == 0x22, Array(page[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < to, HTMLTokenizer.isSpace(page[j]) || page[j] == 0x3A { j += 1 }
                guard j < to, page[j] == 0x22 else { return nil }
                let start = j + 1
                j = start
                while j < to, page[j] != 0x22, j - start < 100 { j += 1 }
                guard j < to, page[j] == 0x22 else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: page[start..<j]), as: UTF8.self)
            }
            i += 1
        }
        return nil
    }
}
