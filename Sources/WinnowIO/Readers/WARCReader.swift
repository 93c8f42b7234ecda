import WinnowCore
import WinnowText

/// Reads WARC 1.0/1.1 files (plain, gzip per record or whole-file, zstd): each HTTP `response` record
/// becomes a document whose text is the HTTP body decoded to UTF-8.
///
/// - id: the WARC-Record-ID as written, `<urn:uuid:…>` with its angle brackets (as datatrove does).
/// - metadata: `url`, `date`, `warc_record_id`, `http_status`, `content_type` (the MIME type, lower case,
///   without parameters), `charset` (the charset the text was decoded from, by WinnowText's
///   `CharsetDetector` rule: the declared one, as `CharsetSniffer` finds it (byte order mark, else HTTP
///   Content-Type, else `<meta>` in the first 1024 bytes), unless the page declares UTF-8 or nothing and
///   is not valid UTF-8, when it is detected; its WHATWG name, so a declared iso-8859-1 reads
///   `windows-1252`; absent for valid UTF-8 that declares nothing), `charset_detected` (only when
///   detection ran: true when its guess was used, counted as `charset_detected`; false when it fell back
///   to windows-1252, or to UTF-8 for declared UTF-8, counted as `charset_detection_fallback`),
///   `warc_identified_payload_type` and `warc_truncated` when present, and `http_headers` (names as
///   sent, repeated fields joined with `, `).
/// - The body is de-chunked when `Transfer-Encoding: chunked`, and inflated only when Content-Encoding
///   says gzip or deflate and the bytes really are compressed (Common Crawl stores decoded bodies and
///   renames the header to X-Crawler-Content-Encoding).
/// - Other record types are skipped and counted as `skipped_record:<type>`; with `textOnly`, responses
///   whose MIME type is not textual (images, PDF, ...) are counted as `skipped_non_text_payload`.
///   Responses with an empty body are counted as `skipped_empty_payload`. A file of metadata records
///   only (a WAT file) is a `no_text_records` problem: WAT holds metadata, not text.
/// - Invalid UTF-8 becomes U+FFFD, counted in `replaced_invalid_utf8`.
public struct WARCReader: DocumentReader {
    public var options: ReaderOptions
    /// Emit only responses with a textual MIME type (text/*, XHTML, XML, JSON); unknown types pass.
    public var textOnly: Bool

    public init(options: ReaderOptions = ReaderOptions(), textOnly: Bool = true) {
        self.options = options
        self.textOnly = textOnly
    }

    public func read(
        file: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws {
        guard let source = try openInput(file, problem: problem) else { return }
        let parser = WARCRecordParser(file: file, source: source, options: options)
        let metadataBefore = stats.counters[Self.skippedMetadata] ?? 0
        var responses = 0
        try parser.forEachRecord(ofType: "response", stats: &stats, problem: problem) { record, block, url, stats in
            responses += 1
            if let document = try makeDocument(record, block: block, url: url, file: file, stats: &stats, problem: problem) {
                try emit(document)
            }
        }
        if responses == 0, (stats.counters[Self.skippedMetadata] ?? 0) > metadataBefore {
            try problem(InputProblem(file: file, offset: 0, reason: "no_text_records",
                                     detail: "only WARC metadata records, as in a WAT file: WAT holds metadata about each capture, not its text; read the WET (text) or WARC (HTML) file instead"))
        }
    }

    private static let skippedMetadata = "skipped_record:metadata"

    private func makeDocument(
        _ record: WARCRecord, block: UnsafeRawBufferPointer, url: String, file: String,
        stats: inout StageStats, problem: (InputProblem) throws -> Void
    ) throws -> Document? {
        let header = record.header
        let http = HTTPResponseParser.parse(block)
        if http == nil { stats.count("non_http_response") }
        let bodyStart = http?.bodyStart ?? 0
        let body = UnsafeRawBufferPointer(rebasing: block[bodyStart...])

        let mimeType = (http?.contentType).map(Self.mimeType)
        let payloadType = header.identifiedPayloadType.map(Self.mimeType) ?? mimeType
        if textOnly, let payloadType, !Self.isTextual(payloadType) {
            stats.count("skipped_non_text_payload")
            return nil
        }

        // Transfer and content encodings. `decoded` holds the bytes when they had to be rewritten.
        var decoded: [UInt8]?
        if let encoding = http?.transferEncoding?.lowercased(), encoding.contains("chunked") {
            if let dechunked = HTTPResponseParser.dechunk(body) {
                decoded = dechunked
                stats.count("dechunked_body")
            } else {
                stats.count("bad_chunked_encoding")
            }
        }
        if let encoding = http?.contentEncoding?.lowercased(), encoding != "identity", !encoding.isEmpty {
            let inflated: [UInt8]?? = withBody(decoded, body) { bytes -> [UInt8]?? in
                switch encoding {
                case "gzip", "x-gzip":
                    guard bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else { return .some(nil) }  // not really gzip
                    return .some(PayloadDecoding.inflate(bytes, gzip: true, limit: options.maxRecordBytes))
                case "deflate":
                    return .some(PayloadDecoding.inflate(bytes, gzip: false, limit: options.maxRecordBytes))
                default:
                    return nil  // an encoding we cannot decode
                }
            }
            switch inflated {
            case .some(.some(let bytes)):
                decoded = bytes
                stats.count("decoded_content_encoding:" + encoding)
            case .some(.none):
                break  // the bytes are not compressed after all: use them as they are
            case .none:
                stats.count("skipped_content_encoding:" + encoding)
                return nil
            }
        }

        let text = withBody(decoded, body) { bytes -> PayloadDecoding.Text in
            let declared = CharsetSniffer.declaredCharset(contentType: http?.contentType, htmlPrefix: bytes)
            return PayloadDecoding.text(bytes, charset: declared)
        }
        if text.bytes.isEmpty {
            stats.count("skipped_empty_payload")
            return nil
        }
        if text.replacements > 0 { stats.count("replaced_invalid_utf8", text.replacements) }
        if text.unknownCharset { stats.count("unknown_charset") }
        switch text.detected {
        case true?: stats.count("charset_detected")
        case false?: stats.count("charset_detection_fallback")
        case nil: break
        }

        var metadata = JSONObject()
        metadata.reserveCapacity(10)
        metadata.append(key: "url", value: .string(url))
        if let date = header.date { metadata.append(key: "date", value: .string(date)) }
        metadata.append(key: "warc_record_id", value: .string(header.recordID ?? ""))
        if let status = http?.status { metadata.append(key: "http_status", value: .number(JSONNumber(status))) }
        if let mimeType { metadata.append(key: "content_type", value: .string(mimeType)) }
        if let charset = text.charset { metadata.append(key: "charset", value: .string(charset)) }
        if let detected = text.detected { metadata.append(key: "charset_detected", value: .bool(detected)) }
        if let payload = header.identifiedPayloadType {
            metadata.append(key: "warc_identified_payload_type", value: .string(payload))
        }
        if let truncated = header.truncated { metadata.append(key: "warc_truncated", value: .string(truncated)) }
        if let http { metadata.append(key: "http_headers", value: .object(http.headers)) }

        return Document(id: header.recordID ?? "", text: text.bytes, metadata: metadata,
                        provenance: Provenance(file: file, offset: record.offset, compressedOffset: record.compressedOffset))
    }

    /// Runs `body` on the rewritten bytes when there are some, else on the original slice.
    private func withBody<R>(_ decoded: [UInt8]?, _ original: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let decoded { return decoded.withUnsafeBytes(body) }
        return body(original)
    }

    /// The MIME type of a Content-Type value: lower case, without parameters.
    static func mimeType(_ contentType: String) -> String {
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: " \t").lowercased()
    }

    /// Whether a MIME type is text a language model can read.
    static func isTextual(_ mimeType: String) -> Bool {
        if mimeType.isEmpty || mimeType.hasPrefix("text/") { return true }
        if mimeType.hasSuffix("+xml") || mimeType.hasSuffix("+json") { return true }
        switch mimeType {
        case "application/xhtml+xml", "application/xml", "application/json", "application/javascript",
             "application/x-javascript", "application/ld+json", "application/rss+xml", "application/atom+xml":
            return true
        default:
            return false
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, set.unicodeScalars.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.unicodeScalars.contains(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
