/// One unit of text flowing through a pipeline.
///
/// `text` is UTF-8 bytes (always valid UTF-8: readers repair invalid input). It is a copy-on-write array, so
/// handing a document from stage to stage never copies the text unless a stage rewrites it.
public struct Document: Sendable {
    /// Stable identifier: the input's id field, a WARC-Record-ID, or one derived from provenance.
    public var id: String
    /// The document text as UTF-8 bytes.
    public var text: [UInt8]
    /// Everything else known about the document (url, date, language, scores, ...), in input order.
    public var metadata: JSONObject
    /// Where the document was read from.
    public var provenance: Provenance

    public init(id: String, text: [UInt8], metadata: JSONObject = [:], provenance: Provenance = Provenance()) {
        self.id = id
        self.text = text
        self.metadata = metadata
        self.provenance = provenance
    }

    public init(id: String, text: String, metadata: JSONObject = [:], provenance: Provenance = Provenance()) {
        self.init(id: id, text: Array(text.utf8), metadata: metadata, provenance: provenance)
    }

    /// The text as a Swift string (a copy; avoid on hot paths).
    public var textString: String { String(decoding: text, as: UTF8.self) }
}

/// The input file and byte offset a document came from.
///
/// `offset` is the byte offset of the record in the decompressed stream (the line start for JSONL, the
/// `WARC/1.x` line for WARC). For Common Crawl-style `.warc.gz` files, `compressedOffset` is the offset of
/// the gzip member holding the record, the number the Common Crawl index uses for range requests.
public struct Provenance: Sendable, Hashable {
    public var file: String
    public var offset: Int64
    public var compressedOffset: Int64?

    public init(file: String = "", offset: Int64 = 0, compressedOffset: Int64? = nil) {
        self.file = file
        self.offset = offset
        self.compressedOffset = compressedOffset
    }
}
