import WinnowCore
import WinnowIO
import WinnowText

/// Reads `path` with `reader`, checking what every reader promises: documents have valid UTF-8 text and
/// problems lie inside the file.
func readAll(_ reader: some DocumentReader, path: String, fileSize: Int) {
    var stats = StageStats(name: "read")
    do {
        try reader.read(file: path, stats: &stats, problem: { problem in
            fuzzCheck(problem.offset >= 0, "problem at a negative offset: \(problem)")
        }, emit: { document in
            fuzzCheck(UTF8Validation.isValid(document.text), "document \(document.id) has invalid UTF-8 text")
        })
    } catch {
        // A reader may refuse a whole file with an error (an unreadable Parquet footer); only a trap is a finding.
    }
}

/// Small bounds, so that the too-large paths are reached too.
let fuzzReaderOptions: ReaderOptions = {
    var options = ReaderOptions()
    options.maxRecordBytes = 1 << 16
    options.maxDecompressedBytes = 8 << 20
    return options
}()

/// One JSON line: the document decoder (the JSONL reader's inner loop) and the general JSON parser.
let jsonLineTarget = FuzzTarget(name: "json_line", summary: "JSONLDocumentDecoder and JSONParser on one line") { data in
    var decoder = JSONLDocumentDecoder()
    var replacements = 0
    if let document = try? decoder.decode(UnsafeRawBufferPointer(data), replacements: &replacements) {
        fuzzCheck(UTF8Validation.isValid(document.text), "decoded text is not valid UTF-8")
    }
    if let value = try? JSONParser.parse(UnsafeRawBufferPointer(data)) {
        // What was parsed writes and parses back to the same value.
        var written: [UInt8] = []
        JSONWriter.append(value, to: &written)
        fuzzCheck((try? JSONParser.parse(written)) != nil, "the serialized form of a parsed value does not parse")
    }
}

/// A JSONL file: the first byte picks how the rest is stored (as is, gzip, zstd), so that valid compressed
/// streams of any content are read as well as corrupt ones.
let jsonlReaderTarget = FuzzTarget(name: "jsonl_reader", summary: "JSONLReader over plain, gzip and zstd streams") { data in
    guard let first = data.first else { return }
    let body = UnsafeBufferPointer(rebasing: data[1...])
    let path: String
    switch first % 4 {
    case 1: path = compressed(body, name: "input.jsonl.gz") { try GzipByteSink(path: $0, bufferSize: 1 << 12) }
    case 2: path = compressed(body, name: "input.jsonl.zst") { try ZstdByteSink(path: $0, bufferSize: 1 << 12) }
    default: path = ScratchFile.write(body, name: "input.jsonl")
    }
    readAll(JSONLReader(options: fuzzReaderOptions), path: path, fileSize: body.count)
}

func compressed(_ body: UnsafeBufferPointer<UInt8>, name: String, sink makeSink: (String) throws -> ByteSink) -> String {
    let path = "\(ScratchFile.directory)/\(name)"
    do {
        let sink = try makeSink(path)
        try sink.write(UnsafeRawBufferPointer(body))
        try sink.close()
    } catch {
        fuzzCheck(false, "cannot write \(path): \(error)")
    }
    return path
}

/// A WARC file (plain or, from the seeds, gzip members) through the WARC reader: records, HTTP responses,
/// charsets. The first byte picks text-only reading or not.
let warcTarget = FuzzTarget(name: "warc", summary: "WARCReader: WARC records, HTTP responses, payload decoding") { data in
    guard let first = data.first else { return }
    let path = ScratchFile.write(UnsafeBufferPointer(rebasing: data[1...]), name: "input.warc")
    readAll(WARCReader(options: fuzzReaderOptions, textOnly: first & 1 == 0), path: path, fileSize: data.count - 1)
}

/// An HTTP response (status line, headers, body) wrapped in a well-formed WARC response record, so that
/// every input reaches the HTTP parser and the payload decoding behind it.
let httpTarget = FuzzTarget(name: "http", summary: "HTTP response parser (inside a valid WARC record)") { data in
    var file: [UInt8] = Array("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:fuzz>\r\nWARC-Target-URI: http://example.com/\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: \(data.count)\r\n\r\n".utf8)
    file += data
    file += Array("\r\n\r\n".utf8)
    let path = file.withUnsafeBufferPointer { ScratchFile.write($0, name: "input.warc") }
    readAll(WARCReader(options: fuzzReaderOptions, textOnly: false), path: path, fileSize: file.count)
}

/// A WET file (conversion records).
let wetTarget = FuzzTarget(name: "wet", summary: "WETReader") { data in
    let path = ScratchFile.write(data, name: "input.warc.wet")
    readAll(WETReader(options: fuzzReaderOptions), path: path, fileSize: data.count)
}

/// A Parquet file through the Parquet reader (footer, Thrift metadata, pages, encodings, compression).
let parquetTarget = FuzzTarget(name: "parquet", summary: "ParquetReader (WinnowIO)") { data in
    let path = ScratchFile.write(data, name: "input.parquet")
    readAll(ParquetReader(options: fuzzReaderOptions), path: path, fileSize: data.count)
}
