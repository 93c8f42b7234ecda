import WinnowCore

/// `html_extract`: replaces an HTML page's text (as the WARC reader decodes it) by its main text and adds
/// `title`, `canonical_url`, `html_lang` and `date_published` to the metadata where the page has them.
///
/// Parameters: see `parameters` (or `winnow stages html_extract`).
///
/// Pages are excluded, with the reason, when: the HTTP status is a redirect (`http_redirect`) or anything
/// else but 200 (`http_status`); the MIME type (`content_type`, else `warc_identified_payload_type`) is not
/// one of `content_types` (`not_html`); the WARC record was truncated (`warc_truncated`); the page is larger
/// than `max_page_bytes` (`page_too_large`) or takes longer than `max_page_seconds` (`extraction_timeout`,
/// the only reason that depends on the machine); nothing is left (`empty_extraction`). Documents without
/// HTTP metadata (plain HTML from JSONL) are extracted as they are.
public struct HTMLExtractStage: RegisteredStage, DocumentStage {
    public static let stageName = "html_extract"
    public static let summary = "Main text of HTML pages (boilerplate removed; mode precision|balanced|recall|whole_page, format text|markdown)"

    public static let defaultContentTypes = ["text/html", "application/xhtml+xml"]

    public static let parameters: [ParameterDeclaration] = [
        .choice("mode", ExtractionMode.self, default: .balanced,
                "precision | balanced | recall: how much boilerplate to risk; whole_page: all visible text (WET-like)"),
        .choice("format", ExtractionFormat.self, default: .text, "text, or markdown (headings, list markers, code fences)"),
        .stringList("content_types", default: defaultContentTypes, "MIME types to extract; other pages are excluded as not_html"),
        .byteSize("max_page_bytes", default: "8MiB", "larger pages are excluded as page_too_large"),
        .double("max_page_seconds", default: 5, "time budget per page (0: none); over it, extraction_timeout"),
        .int("max_depth", default: 256, "deepest element nesting kept in the tree (deeper markup is flattened)"),
    ]

    public static func makeFactory(_ parameters: StageParameters) throws -> StageFactory {
        let mode = try parameters.choice("mode", as: ExtractionMode.self)
        let format = try parameters.choice("format", as: ExtractionFormat.self)
        let contentTypes = try parameters.stringList("content_types").map { $0.lowercased() }
        let maxBytes = try parameters.byteSize("max_page_bytes")
        let seconds = try parameters.double("max_page_seconds")
        let depth = try parameters.int("max_depth")
        guard seconds >= 0 else { throw parameters.error("max_page_seconds", "max_page_seconds must be 0 (no limit) or more") }
        guard depth >= 8 else { throw parameters.error("max_depth", "max_depth must be at least 8") }
        guard maxBytes > 0 else { throw parameters.error("max_page_bytes", "max_page_bytes must be positive") }
        try parameters.finish()
        let options = HTMLExtractionOptions(mode: mode, format: format, maxDepth: depth,
                                            timeBudget: seconds > 0 ? .milliseconds(Int64(seconds * 1000)) : nil)
        return StageFactory { HTMLExtractStage(options: options, contentTypes: contentTypes, maxPageBytes: maxBytes) }
    }

    private var extractor: HTMLExtractor
    public let contentTypes: [String]
    public let maxPageBytes: Int

    public init(options: HTMLExtractionOptions = HTMLExtractionOptions(), contentTypes: [String] = defaultContentTypes,
                maxPageBytes: Int = 8 << 20) {
        extractor = HTMLExtractor(options: options)
        self.contentTypes = contentTypes
        self.maxPageBytes = maxPageBytes
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        if let reason = skipReason(document.metadata) { return .exclude(reason: reason) }
        if document.text.count > maxPageBytes { return .exclude(reason: "page_too_large") }
        let result = extractor.extract(document.text)
        if result.timedOut { return .exclude(reason: "extraction_timeout") }
        stats.count("blocks_total", result.blocksTotal)
        stats.count("blocks_kept", result.blocksKept)
        if result.text.isEmpty { return .exclude(reason: "empty_extraction") }
        document.text = result.text
        let m = result.metadata
        if let title = m.title, !title.isEmpty { document.metadata["title"] = .string(title) }
        if let url = m.canonicalURL, !url.isEmpty { document.metadata["canonical_url"] = .string(url) }
        if let lang = m.language, !lang.isEmpty { document.metadata["html_lang"] = .string(lang) }
        if let date = m.datePublished { document.metadata["date_published"] = .string(date) }
        return .keep
    }

    /// Why a page is not extracted (HTTP status, MIME type, truncation), or nil.
    public func skipReason(_ metadata: JSONObject) -> String? {
        if let status = metadata["http_status"]?.intValue, status != 200 {
            return (300..<400).contains(status) ? "http_redirect" : "http_status"
        }
        if let type = (metadata["content_type"] ?? metadata["warc_identified_payload_type"])?.stringValue,
           !contentTypes.contains(Self.mimeType(type)) {
            return "not_html"
        }
        if metadata["warc_truncated"] != nil { return "warc_truncated" }
        return nil
    }

    /// A MIME type without parameters, lower case.
    static func mimeType(_ value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return HTMLBytes.trimmed(String(type)).lowercased()
    }
}

/// The stages this module registers, for the pipeline's stage registry.
public enum HTMLStages {
    public static let all: [any RegisteredStage.Type] = [HTMLExtractStage.self]
}
