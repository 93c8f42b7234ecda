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
        let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? path.lowercased()
        if name.hasSuffix(".parquet") || name.hasSuffix(".pq") { return .parquet }
        if name.contains(".wet") { return .wet }
        if name.contains(".warc") || name.hasSuffix(".arc.gz") { return .warc }
        if name.contains(".jsonl") || name.contains(".ndjson") || name.contains(".json") { return .jsonl }
        return try Self.sniff(path: path)
    }

    /// Looks at the first 64 KiB of decompressed content.
    static func sniff(path: String) throws -> InputFormat {
        if let head = try? FileByteSource(path: path).prefix(4), head == Array("PAR1".utf8) { return .parquet }
        let source = try openByteSource(path: path)
        var head = [UInt8](repeating: 0, count: 65536)
        var filled = 0
        while filled < head.count {
            let n = try head.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n == 0 { break }
            filled += n
        }
        let bytes = head[0..<filled]
        if bytes.starts(with: Array("WARC/".utf8)) {
            let conversion = Array("WARC-Type: conversion".utf8)
            return bytes.firstRange(of: conversion) != nil ? .wet : .warc
        }
        return .jsonl
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
