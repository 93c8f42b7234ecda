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
    /// The first `"datePublished": "..."` value in a JSON-LD script (at most 100 bytes).
    static func jsonLDDate(_ page: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String? {
        guard let range = JSONLDArticleBody.stringValue("datePublished", page, from, to), range.count <= 100 else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: page[range]), as: UTF8.self)
    }
}
