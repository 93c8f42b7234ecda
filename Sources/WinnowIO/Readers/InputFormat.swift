import WinnowCore

/// The kinds of input files Winnow reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Decide per file: by name (`.jsonl`, `.json`, `.ndjson`, `.warc`, `.wet`, `.parquet`), else by the first
    /// decompressed bytes (`PAR1` for Parquet, `{` for JSONL, `WARC/` for WARC, with a `conversion` record for WET).
    case auto
    case jsonl
    case warc
    case wet
    case parquet

    /// The concrete format of one file (never `.auto`).
    public func resolve(path: String) throws -> InputFormat {
        guard self == .auto else { return self }
        let path = ParquetRowGroupUnits.parse(path).path
        return try Self.byName(path) ?? Self.sniff(path: path)
    }

    /// The format a file's name says (`.wet`, `.warc`, `.arc.gz`, `.jsonl`, `.ndjson`, `.json`), if any.
    static func byName(_ path: String) -> InputFormat? {
        let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? path.lowercased()
        if name.hasSuffix(".parquet") || name.hasSuffix(".pq") { return .parquet }
        if name.contains(".wet") { return .wet }
        if name.contains(".warc") || name.hasSuffix(".arc.gz") { return .warc }
        if name.contains(".jsonl") || name.contains(".ndjson") || name.contains(".json") { return .jsonl }
        return nil
    }

    /// Looks at the first 64 KiB of decompressed content.
    static func sniff(path: String) throws -> InputFormat {
        if let head = try? FileByteSource(path: path).prefix(4), head == Array("PAR1".utf8) { return .parquet }
        let bytes = try head(path: path, count: 65536)
        if bytes.starts(with: Array("WARC/".utf8)) {
            let conversion = Array("WARC-Type: conversion".utf8)
            return bytes.firstRange(of: conversion) != nil ? .wet : .warc
        }
        return .jsonl
    }

    /// The format of a file found in an input directory, or nil when it is not an input file: its name
    /// says JSONL, WARC or WET, or its first decompressed bytes are `{` (after blanks and a byte order
    /// mark) or `WARC/`. A `readme.txt` or a `.DS_Store` is nil; so is a file that cannot be opened.
    public static func recognize(path: String) -> InputFormat? {
        if let named = byName(path) { return named }
        if let head = try? FileByteSource(path: path).prefix(4), head == Array("PAR1".utf8) { return .parquet }
        guard let head = try? Self.head(path: path, count: 64) else { return nil }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        bytes = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if bytes.first == UInt8(ascii: "{") { return .jsonl }
        if bytes.starts(with: Array("WARC/".utf8)) { return try? sniff(path: path) }
        return nil
    }

    /// The first `count` decompressed bytes of a file (fewer when it is shorter).
    static func head(path: String, count: Int) throws -> [UInt8] {
        let source = try openByteSource(path: path)
        var head = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < head.count {
            let n = try head.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n == 0 { break }
            filled += n
        }
        return Array(head[0..<filled])
    }

    /// A reader for this (resolved) format.
    public func reader(options: ReaderOptions) -> any DocumentReader {
        switch self {
        case .auto, .jsonl: JSONLReader(options: options)
        case .warc: WARCReader(options: options)
        case .wet: WETReader(options: options)
        case .parquet: ParquetReader(options: options)
        }
    }
}
