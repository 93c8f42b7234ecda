import WinnowCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The WARC header fields Winnow's readers use; values are as written, without surrounding whitespace.
struct WARCHeader {
    var type: String?
    var recordID: String?
    var targetURI: String?
    var date: String?
    var contentLength: Int64?
    var contentType: String?
    var identifiedPayloadType: String?
    var truncated: String?
    var identifiedContentLanguage: String?

    /// The WARC-Type in lower case ("response", "conversion", ...), "" when missing.
    var lowercasedType: String { type?.lowercased() ?? "" }
}

/// One WARC record: its header, where it starts, and its block.
struct WARCRecord {
    var header: WARCHeader
    /// Decompressed offset of the `WARC/1.x` line.
    var offset: Int64
    /// For gzip files, the compressed offset of the member that starts with this record.
    var compressedOffset: Int64?
    /// The block (Content-Length bytes), valid until the next call to `next`; nil when the block was
    /// skipped without being read (larger than `maxRecordBytes`, or not wanted).
    var block: UnsafeRawBufferPointer?
}

/// Splits a WARC 1.0/1.1 stream (plain or decompressed) into records. Tolerates LF-only line ends, blank
/// lines between records and a missing record end at end of file.
///
/// Defects are reported through `problem` and parsing resumes: garbage between records
/// (`invalid_record`), a Content-Length that does not end at CRLF CRLF (`bad_content_length`, then the
/// stream is scanned for the next line starting `WARC/1.`), missing WARC-Type, WARC-Record-ID or
/// Content-Length (`missing_header`), blocks over `maxRecordBytes` (`record_too_large`, skipped
/// streaming; when such a block turns out to run past the end of the file or not to end at CRLF CRLF,
/// `bad_content_length`, and parsing goes on at the first gzip member or `WARC/1.` line that started
/// inside it, whichever comes first, by reopening the file), truncated or corrupt compression (`truncated_stream`, `corrupt_stream`; a gzip file goes
/// on at the next member), and the `maxDecompressedBytes` cap (`decompressed_limit`).
final class WARCRecordParser {
    let file: String
    private(set) var reader: BufferedByteReader
    private let options: ReaderOptions
    private let bufferSize: Int
    private var gzip: GzipByteSource?
    /// Bytes of the previous record (block and record end) to consume before parsing the next one.
    private var pendingConsume = 0
    /// After a framing error: skip lines until one starts with `WARC/1.`, silently.
    private var resynchronizing = false
    private var finished = false
    /// Offset of the record being parsed, for problem reports.
    private var recordOffset: Int64 = 0
    /// A `WARC/1.x` line already consumed (found inside the previous record's header): its offset.
    private var carriedVersionLine: Int64?

    /// Longest header line accepted.
    static let maxHeaderLine = 64 << 10
    /// Most header lines accepted in one record.
    static let maxHeaderLines = 1024

    init(file: String, source: ByteSource, options: ReaderOptions, bufferSize: Int = 1 << 20) {
        self.file = file
        self.options = options
        self.bufferSize = bufferSize
        reader = BufferedByteReader(source: source, bufferSize: bufferSize)
        gzip = source as? GzipByteSource
        gzip?.recordsMemberBoundaries = true
    }

    /// The next record, or nil at the end of the file (or when the file cannot be read on).
    /// `wantsBlock` decides from the header whether the block is needed; unwanted blocks over the
    /// buffer size are skipped without being read into memory.
    func next(wantsBlock: (WARCHeader) -> Bool, problem: (InputProblem) throws -> Void) throws -> WARCRecord? {
        while !finished {
            do {
                if let record = try parseRecord(wantsBlock: wantsBlock, problem: problem) { return record }
            } catch let error as StreamError {
                try handle(error, problem: problem)
            }
        }
        return nil
    }

    private func report(_ reason: String, _ detail: String, at offset: Int64? = nil, _ problem: (InputProblem) throws -> Void) throws {
        try problem(InputProblem(file: file, offset: offset ?? recordOffset, reason: reason, detail: detail))
    }

    private func handle(_ error: StreamError, problem: (InputProblem) throws -> Void) throws {
        switch error {
        case .io:
            throw error
        case .truncated:
            finished = true
            try report("truncated_stream", error.description, problem)
        case .corrupt:
            try report("corrupt_stream", error.description, problem)
            if let gzip, try gzip.skipToNextMember() {
                resynchronizing = true
            } else {
                finished = true
            }
        }
    }

    /// Parses one record; returns nil when it produced none (skipped, reported, or end of file).
    private func parseRecord(wantsBlock: (WARCHeader) -> Bool, problem: (InputProblem) throws -> Void) throws -> WARCRecord? {
        if pendingConsume > 0 {
            reader.consume(min(pendingConsume, reader.bufferedCount))
            pendingConsume = 0
        }
        recordOffset = reader.offset
        if reader.offset >= options.maxDecompressedBytes {
            finished = true
            try report("decompressed_limit", "stopped after \(options.maxDecompressedBytes) decompressed bytes", problem)
            return nil
        }

        // The version line, skipping blank lines (and, after an error, everything up to a WARC/1. line).
        var versionOffset: Int64
        while true {
            if let carried = carriedVersionLine {
                carriedVersionLine = nil
                versionOffset = carried
                break
            }
            guard let line = try reader.nextLine(maxBytes: Self.maxHeaderLine) else {
                finished = true
                return nil
            }
            switch line {
            case .tooLong(let offset, let length):
                if !resynchronizing {
                    resynchronizing = true
                    try report("invalid_record", "a \(length)-byte line where a WARC record should start", at: offset, problem)
                }
                continue
            case .line(let bytes, let offset):
                let text = ASCIIBytes.droppingCR(bytes)
                if text.isEmpty { continue }
                if resynchronizing {
                    guard ASCIIBytes.hasPrefix(text, Self.versionPrefix) else { continue }
                    resynchronizing = false
                } else if !ASCIIBytes.hasPrefix(text, Self.warcPrefix) {
                    resynchronizing = true
                    try report("invalid_record", "expected a WARC/1.x line, found \"\(ASCIIBytes.string(UnsafeRawBufferPointer(rebasing: text.prefix(40))))\"",
                               at: offset, problem)
                    continue
                }
                versionOffset = offset
            }
            break
        }
        recordOffset = versionOffset
        let compressedOffset = gzip?.memberOffset(startingAt: versionOffset)

        // Header fields up to the blank line.
        var header = WARCHeader()
        var badLength: String?
        var lineCount = 0
        while true {
            guard let line = try reader.nextLine(maxBytes: Self.maxHeaderLine) else {
                finished = true
                try report("invalid_record", "file ends inside the WARC header", problem)
                return nil
            }
            guard case .line(let raw, let lineOffset) = line else {
                resynchronizing = true
                try report("invalid_record", "WARC header line longer than \(Self.maxHeaderLine) bytes", problem)
                return nil
            }
            let bytes = ASCIIBytes.droppingCR(raw)
            if bytes.isEmpty { break }
            lineCount += 1
            if lineCount > Self.maxHeaderLines {
                resynchronizing = true
                try report("invalid_record", "more than \(Self.maxHeaderLines) WARC header lines", problem)
                return nil
            }
            if ASCIIBytes.isSpaceOrTab(bytes[0]) { continue }  // folded continuation of a field we do not keep
            guard let colon = ASCIIBytes.index(of: UInt8(ascii: ":"), in: bytes) else {
                if ASCIIBytes.hasPrefix(bytes, Self.versionPrefix) {
                    // A new record starts inside this one's header: the header was cut short.
                    carriedVersionLine = lineOffset
                    try report("invalid_record", "WARC header interrupted by a new record", problem)
                    return nil
                }
                continue
            }
            let name = ASCIIBytes.trimmed(UnsafeRawBufferPointer(rebasing: bytes[..<colon]))
            let value = ASCIIBytes.trimmed(UnsafeRawBufferPointer(rebasing: bytes[(colon + 1)...]))
            switch name.count {
            case 9:
                if ASCIIBytes.equalsIgnoringCase(name, Self.warcType) { header.type = ASCIIBytes.string(value) }
                if ASCIIBytes.equalsIgnoringCase(name, Self.warcDate) { header.date = ASCIIBytes.string(value) }
            case 12:
                if ASCIIBytes.equalsIgnoringCase(name, Self.contentType) { header.contentType = ASCIIBytes.string(value) }
            case 14:
                if ASCIIBytes.equalsIgnoringCase(name, Self.contentLength) {
                    header.contentLength = ASCIIBytes.decimal(value)
                    if header.contentLength == nil { badLength = ASCIIBytes.string(value) }
                } else if ASCIIBytes.equalsIgnoringCase(name, Self.warcRecordID) {
                    header.recordID = ASCIIBytes.string(value)
                } else if ASCIIBytes.equalsIgnoringCase(name, Self.warcTruncated) {
                    header.truncated = ASCIIBytes.string(value)
                }
            case 15:
                if ASCIIBytes.equalsIgnoringCase(name, Self.warcTargetURI) { header.targetURI = ASCIIBytes.string(value) }
            case 28:
                if ASCIIBytes.equalsIgnoringCase(name, Self.warcIdentifiedPayloadType) {
                    header.identifiedPayloadType = ASCIIBytes.string(value)
                }
            case 32:
                if ASCIIBytes.equalsIgnoringCase(name, Self.warcIdentifiedContentLanguage) {
                    header.identifiedContentLanguage = ASCIIBytes.string(value)
                }
            default:
                break
            }
        }

        guard let length = header.contentLength else {
            resynchronizing = true
            if let badLength {
                try report("bad_content_length", "Content-Length '\(badLength)' is not a number", problem)
            } else {
                try report("missing_header", "no Content-Length", problem)
            }
            return nil
        }
        var missing: [String] = []
        if header.type == nil { missing.append("WARC-Type") }
        if header.recordID == nil { missing.append("WARC-Record-ID") }

        let wanted = missing.isEmpty && wantsBlock(header)
        var record = WARCRecord(header: header, offset: versionOffset, compressedOffset: compressedOffset, block: nil)

        if length > Int64(options.maxRecordBytes) || (!wanted && length > Int64(reader.bufferedCount) + (1 << 20)) {
            // Too large to hold (or not wanted and not already in memory): skip it streaming.
            let blockStart = reader.offset
            let (skipped, versionLine) = try skipBlock(length)
            if skipped < length {
                try resynchronize(blockStart: blockStart, versionLine: versionLine,
                                  "Content-Length \(length) runs past the end of the file", problem)
                return nil
            }
            let end = try reader.peek(count: 4)
            guard let endLength = Self.recordEndLength(end, atEndOfStream: end.count < 4) else {
                try resynchronize(blockStart: blockStart, versionLine: versionLine,
                                  "the block of \(length) bytes is not followed by CRLF CRLF", problem)
                return nil
            }
            if wanted {
                // Reported once the length proved right: a wrong one is a bad_content_length instead.
                try report("record_too_large", "block of \(length) bytes exceeds max_record_bytes \(options.maxRecordBytes)", problem)
            }
            reader.consume(endLength)
        } else {
            let count = Int(length)
            let view = try reader.peek(count: count + 4)
            if view.count < count {
                resynchronizing = true
                try report("bad_content_length", "Content-Length \(length) runs past the end of the file", problem)
                return nil
            }
            let tail = UnsafeRawBufferPointer(rebasing: view[count...])
            guard let endLength = Self.recordEndLength(tail, atEndOfStream: view.count < count + 4) else {
                // Leave the block unconsumed: the scan for the next record starts right after the header.
                resynchronizing = true
                try report("bad_content_length", "the block of \(length) bytes is not followed by CRLF CRLF", problem)
                return nil
            }
            if wanted { record.block = UnsafeRawBufferPointer(rebasing: view[..<count]) }
            pendingConsume = count + endLength
        }
        if !missing.isEmpty {
            try report("missing_header", "no " + missing.joined(separator: ", "), problem)
            return nil
        }
        return record
    }

    /// Skips a block of `length` bytes streaming (fewer at end of file), noting the offset of the first
    /// line inside it that starts `WARC/1.`, where parsing goes on if the length proves wrong.
    private func skipBlock(_ length: Int64) throws -> (skipped: Int64, versionLine: Int64?) {
        var skipped: Int64 = 0
        var versionLine: Int64?
        let chunk = max(bufferSize / 2, 1 << 16)
        while skipped < length {
            let want = Int(min(length - skipped, Int64(chunk)))
            // Look a few bytes past the chunk so that a `WARC/1.` line starting at its end is seen whole.
            let view = try reader.peek(count: want + Self.versionPrefix.count)
            if view.isEmpty { break }
            let take = min(want, view.count)
            if versionLine == nil {
                if skipped == 0 && ASCIIBytes.hasPrefix(view, Self.versionPrefix) {
                    versionLine = reader.offset
                } else if let newline = Self.firstVersionLine(in: view), newline < take {
                    versionLine = reader.offset + Int64(newline + 1)
                }
            }
            reader.consume(take)
            skipped += Int64(take)
            if view.count < want { break }
        }
        return (skipped, versionLine)
    }

    /// The index of the first `\nWARC/1.` in `bytes` (the newline's), if any.
    private static func firstVersionLine(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let marker = lineVersionMarker.count
        var index = 0
        while index + marker <= bytes.count, let hit = memchr(base + index, 0x0A, bytes.count - marker + 1 - index) {
            let newline = base.distance(to: UnsafeRawPointer(hit))
            if ASCIIBytes.hasPrefix(UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...]), versionPrefix) { return newline }
            index = newline + 1
        }
        return nil
    }

    /// After a skipped block whose Content-Length proved wrong: goes on at the first gzip member that
    /// started inside the block or the first `WARC/1.` line inside it, whichever comes first, reopening the
    /// file to get back there. Reports a `bad_content_length` problem saying how much was skipped.
    private func resynchronize(blockStart: Int64, versionLine: Int64?, _ what: String,
                               _ problem: (InputProblem) throws -> Void) throws {
        let member = gzip?.firstMemberStart(after: blockStart)
        let candidates = [member, versionLine].compactMap { $0 }
        guard let resume = candidates.min() else {
            finished = true
            try report("bad_content_length", what + "; no later record found", problem)
            return
        }
        try report("bad_content_length", what + "; skipped \(resume - recordOffset) bytes, reading on at offset \(resume)", problem)
        if resume >= reader.offset {
            try reader.skip(resume - reader.offset)
            return
        }
        guard Self.canReopen(file) else {
            finished = true
            try report("bad_content_length", "cannot go back in a stream that is not a regular file; the rest is lost", problem)
            return
        }
        let source = try openByteSource(path: file)
        gzip = source as? GzipByteSource
        gzip?.recordsMemberBoundaries = true
        reader = BufferedByteReader(source: source, bufferSize: bufferSize)
        try reader.skip(resume)
    }

    /// Whether `path` is a regular file that can be read again from the start (not standard input or a pipe).
    private static func canReopen(_ path: String) -> Bool {
        var info = stat()
        return path != "-" && stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The length of the record end (CRLF CRLF, or LF LF from LF-only writers) at the start of `bytes`, or
    /// nil when the bytes are something else. At end of stream a partial or missing end is accepted.
    static func recordEndLength(_ bytes: UnsafeRawBufferPointer, atEndOfStream: Bool) -> Int? {
        let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var i = 0
        var newlines = 0
        while newlines < 2 && i < bytes.count {
            if bytes[i] == lf {
                newlines += 1
                i += 1
            } else if bytes[i] == cr && i + 1 < bytes.count && bytes[i + 1] == lf {
                newlines += 1
                i += 2
            } else if bytes[i] == cr && i + 1 == bytes.count && atEndOfStream {
                i += 1
            } else {
                return nil
            }
        }
        if newlines == 2 { return i }
        return atEndOfStream ? i : nil
    }

    static let warcPrefix = Array("WARC/".utf8)
    static let versionPrefix = Array("WARC/1.".utf8)
    static let lineVersionMarker = Array("\nWARC/1.".utf8)
    static let warcType = Array("warc-type".utf8)
    static let warcDate = Array("warc-date".utf8)
    static let contentType = Array("content-type".utf8)
    static let contentLength = Array("content-length".utf8)
    static let warcRecordID = Array("warc-record-id".utf8)
    static let warcTruncated = Array("warc-truncated".utf8)
    static let warcTargetURI = Array("warc-target-uri".utf8)
    static let warcIdentifiedPayloadType = Array("warc-identified-payload-type".utf8)
    static let warcIdentifiedContentLanguage = Array("warc-identified-content-language".utf8)
}

extension WARCRecordParser {
    /// Reads the file's records of one type (`response`, `conversion`), handing each with its block and
    /// target URI (and `stats`) to `body`. Other types are counted as `skipped_record:<type>`; a record of the type
    /// without a WARC-Target-URI is a `missing_header` problem; one too large to load was already reported.
    func forEachRecord(
        ofType wanted: String, stats: inout StageStats, problem: (InputProblem) throws -> Void,
        _ body: (WARCRecord, UnsafeRawBufferPointer, String, inout StageStats) throws -> Void
    ) throws {
        while let record = try next(wantsBlock: { $0.lowercasedType == wanted }, problem: problem) {
            let type = record.header.lowercasedType
            guard type == wanted else {
                stats.count("skipped_record:" + (type.isEmpty ? "unknown" : type))
                continue
            }
            guard let block = record.block else { continue }
            guard let url = record.header.targetURI else {
                try problem(InputProblem(file: file, offset: record.offset, reason: "missing_header",
                                         detail: "\(wanted) record without WARC-Target-URI"))
                continue
            }
            try body(record, block, url, &stats)
        }
    }
}
