import WinnowCore

/// Writes documents as JSON Lines (plain, gzip or zstd by `compression`) into `directory`, with file names
/// fixed by the task: `<prefix>.jsonl.zst`, or `<prefix>_0000.jsonl.zst`, `<prefix>_0001...` when rotation
/// is on. Rotation starts a new file once the current one holds `maxFileBytes` uncompressed bytes or
/// `maxDocuments` documents (0 = no limit). Files are created on the first document, so a task that keeps
/// nothing writes nothing.
public final class JSONLWriter: DocumentWriter {
    public let directory: String
    public let prefix: String
    public let compression: Compression
    public let maxFileBytes: Int
    public let maxDocuments: Int
    public let encoder: JSONLDocumentEncoder

    /// Names (relative to `directory`) of the files written so far, in order.
    public private(set) var files: [String] = []
    public private(set) var documentsWritten = 0
    public private(set) var bytesWritten = 0

    private var sink: ByteSink?
    private var documentsInFile = 0
    private var bytesInFile = 0
    private var buffer: [UInt8] = []

    public let level: Int?

    public init(directory: String, prefix: String, compression: Compression, level: Int? = nil, maxFileBytes: Int = 0,
                maxDocuments: Int = 0, encoder: JSONLDocumentEncoder = JSONLDocumentEncoder()) {
        self.level = level
        self.directory = directory
        self.prefix = prefix
        self.compression = compression
        self.maxFileBytes = maxFileBytes
        self.maxDocuments = maxDocuments
        self.encoder = encoder
        buffer.reserveCapacity(1 << 16)
    }

    public var rotates: Bool { maxFileBytes > 0 || maxDocuments > 0 }

    /// The file name for part `part`.
    public func fileName(part: Int) -> String {
        let ext = "jsonl" + compression.fileSuffix
        return rotates ? "\(prefix)_\(zeroPadded(part, 4)).\(ext)" : "\(prefix).\(ext)"
    }

    public func write(_ document: Document) throws {
        buffer.removeAll(keepingCapacity: true)
        encoder.append(document, to: &buffer)
        try buffer.withUnsafeBytes { try emit(line: $0, newline: false) }
    }

    /// Writes `document`, whose text is the one decoded from `sourceLine`; when the line is exactly what
    /// `write` would write (`JSONLDocumentEncoder.isEncoding`), it is copied instead of encoding the
    /// document again. The output is the same either way.
    public func write(_ document: Document, sourceLine: JSONLSourceLine) throws {
        if encoder.isEncoding(of: document, line: sourceLine, scratch: &buffer) {
            try emit(line: sourceLine.bytes, newline: true)
        } else {
            try write(document)
        }
    }

    /// Writes one encoded line (with its newline, or `newline` adds it), rotating files first if needed.
    private func emit(line: UnsafeRawBufferPointer, newline: Bool) throws {
        let count = line.count + (newline ? 1 : 0)
        if let _ = sink, rotates,
           (maxDocuments > 0 && documentsInFile >= maxDocuments) || (maxFileBytes > 0 && bytesInFile + count > maxFileBytes && documentsInFile > 0) {
            try closeCurrent()
        }
        if sink == nil {
            let name = fileName(part: files.count)
            sink = try createByteSink(path: directory + "/" + name, compression: compression, level: level)
            files.append(name)
        }
        try sink!.write(line)
        if newline { try withUnsafeBytes(of: UInt8(ascii: "\n")) { try sink!.write($0) } }
        documentsInFile += 1
        bytesInFile += count
        documentsWritten += 1
        bytesWritten += count
    }

    private func closeCurrent() throws {
        try sink?.close()
        sink = nil
        documentsInFile = 0
        bytesInFile = 0
    }

    /// Finishes the last file. The writer must not be used afterwards.
    public func close() throws {
        try closeCurrent()
    }
}

/// `n` in decimal with at least `width` digits.
public func zeroPadded(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
