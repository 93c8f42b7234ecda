import WinnowCore

/// Reads WET files (Common Crawl's extracted text, WARC `conversion` records), plain or compressed:
/// each conversion record becomes a document.
///
/// - id: the WARC-Record-ID as written (`<urn:uuid:…>`).
/// - text: the block, which WET writers store as UTF-8; invalid UTF-8 becomes U+FFFD, counted in
///   `replaced_invalid_utf8`. Empty blocks are counted as `skipped_empty_payload`.
/// - metadata: `url`, `date`, `warc_record_id`, and `language` (WARC-Identified-Content-Language)
///   when present.
/// - Other record types (`warcinfo`) are skipped and counted as `skipped_record:<type>`.
public struct WETReader: DocumentReader {
    public var options: ReaderOptions

    public init(options: ReaderOptions = ReaderOptions()) {
        self.options = options
    }

    public func read(
        file: String,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws {
        guard let source = try openInput(file, problem: problem) else { return }
        let parser = WARCRecordParser(file: file, source: source, options: options)
        try parser.forEachRecord(ofType: "conversion", stats: &stats, problem: problem) { record, block, url, stats in
            let text = PayloadDecoding.utf8(block)
            if text.bytes.isEmpty {
                stats.count("skipped_empty_payload")
                return
            }
            if text.replacements > 0 { stats.count("replaced_invalid_utf8", text.replacements) }
            var metadata = JSONObject()
            metadata.reserveCapacity(4)
            metadata.append(key: "url", value: .string(url))
            if let date = record.header.date { metadata.append(key: "date", value: .string(date)) }
            metadata.append(key: "warc_record_id", value: .string(record.header.recordID ?? ""))
            if let language = record.header.identifiedContentLanguage {
                metadata.append(key: "language", value: .string(language))
            }
            try emit(Document(id: record.header.recordID ?? "", text: text.bytes, metadata: metadata,
                              provenance: Provenance(file: file, offset: record.offset, compressedOffset: record.compressedOffset)))
        }
    }
}
