import Foundation
import WinnowCore
import WinnowIO

/// One file of a written shard: its name relative to the shard set's directory, size and SHA-256.
public struct ShardFile: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
}

/// What a written shard holds.
public struct ShardRecord: Sendable, Equatable {
    public var index: Int
    /// `validation` for the held-out split (and llm.c's shard 0 without one), else `train`.
    public var role: ShardRole
    public var tokens: Int
    public var documents: Int
    public var files: [ShardFile]
}

/// Writes one shard in a format: `add` each document's tokens (boundary tokens included), then `finish`. The
/// data file is written as documents arrive (its SHA-256 computed on the way); index files are written at the
/// end. The shard's total token count must be known up front (llm.c's header holds it).
final class ShardWriter {
    let format: ShardFormat
    let dtype: TokenDType
    let index: Int
    let role: ShardRole
    let directory: String
    let names: [String]
    let tokenizerName: String
    private let sink: FileByteSink
    private var digest = SHA256Digest()
    private var narrow: [UInt16] = []
    private var lengths: [Int] = []
    private var written = 0
    private let expectedTokens: Int

    init(format: ShardFormat, dtype: TokenDType, directory: String, name: String, index: Int, role: ShardRole, tokens: Int,
         tokenizerName: String) throws {
        self.format = format
        self.dtype = dtype
        self.index = index
        self.role = role
        self.directory = directory
        self.tokenizerName = tokenizerName
        names = format.fileNames(name: name, index: index, role: role)
        expectedTokens = tokens
        sink = try FileByteSink(path: directory + "/" + names[0])
        if format == .llmc {
            // llm.c dev/data/data_common.py: 256 int32s: magic, version, token count, zeros.
            var header: [UInt8] = []
            header.reserveCapacity(1024)
            header.appendLE(Int32(dtype == .uint16 ? 20240520 : 20240801))
            header.appendLE(Int32(dtype == .uint16 ? 1 : 7))
            header.appendLE(Int32(tokens))
            header += [UInt8](repeating: 0, count: 1024 - 12)
            try emit(header)
        }
    }

    func add(_ tokens: UnsafeBufferPointer<UInt32>) throws {
        if dtype == .uint16 {
            let n = tokens.count
            if narrow.count < n { narrow = [UInt16](repeating: 0, count: max(n, narrow.count * 2)) }
            narrow.withUnsafeMutableBufferPointer { out in
                for i in 0..<n { out[i] = UInt16(truncatingIfNeeded: tokens[i]).littleEndian }
            }
            try narrow.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<(n * 2)])) }
        } else {
            #if _endian(little)
            try emit(UnsafeRawBufferPointer(tokens))
            #else
            try tokens.map(\.littleEndian).withUnsafeBytes { try emit($0) }
            #endif
        }
        lengths.append(tokens.count)
        written += tokens.count
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emit($0) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        digest.update(bytes)
        try sink.write(bytes)
    }

    func finish() throws -> ShardRecord {
        guard written == expectedTokens else {
            throw ShardError("shard \(index): wrote \(written) tokens, planned \(expectedTokens)")
        }
        try sink.close()
        var files = [ShardFile(path: names[0], bytes: Int(sink.bytesWritten), sha256: digest.finalize())]
        for (name, contents) in zip(names.dropFirst(), sidecars()) {
            try writeWhole(contents, to: directory + "/" + name)
            var d = SHA256Digest()
            d.update(contents)
            files.append(ShardFile(path: name, bytes: contents.count, sha256: d.finalize()))
        }
        return ShardRecord(index: index, role: role,
                           tokens: written, documents: lengths.count, files: files)
    }

    /// The index files after the data file, in `names` order.
    private func sidecars() -> [[UInt8]] {
        switch format {
        case .megatron:
            // megatron/core/datasets/indexed_dataset.py _IndexWriter.write: one sequence per document.
            var idx: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]
            idx.appendLE(UInt64(1))
            idx.append(dtype.megatronCode)
            idx.appendLE(UInt64(lengths.count))
            idx.appendLE(UInt64(lengths.count + 1))
            for n in lengths { idx.appendLE(Int32(n)) }
            var pointer = 0
            for n in lengths { idx.appendLE(Int64(pointer)); pointer += n * dtype.size }
            for i in 0...lengths.count { idx.appendLE(Int64(i)) }
            return [idx]
        case .llmc:
            return []
        case .datatrove:
            var ends: [UInt8] = []
            var end = 0
            for n in lengths { end += n; ends.appendLE(UInt64(end)) }
            let metadata = "\(tokenizerName)|\(dtype.size)\n\(written)\n\(humanizedTokens(written))"
            return [ends, Array(metadata.utf8)]
        case .memmap:
            var csv = ""
            var start = 0
            for n in lengths { csv += "\(start),\(start + n)\n"; start += n }
            return [Array(csv.utf8)]
        }
    }
}

/// `humanize.metric(n, unit="T")` as datatrove's `.ds.metadata` third line: three significant digits, SI prefix.
func humanizedTokens(_ n: Int) -> String {
    let prefixes = ["", "k", "M", "G", "T", "P"]
    var value = Double(n)
    var p = 0
    while value >= 1000, p < prefixes.count - 1 { value /= 1000; p += 1 }
    // Three significant digits after rounding (99.95 -> "100", 999.9 -> "1.00" of the next prefix).
    var text = String(format: "%.2f", value)
    if Double(text)! >= 10 { text = String(format: "%.1f", value) }
    if Double(text)! >= 100 { text = String(format: "%.0f", value) }
    if Double(text)! >= 1000, p < prefixes.count - 1 { text = "1.00"; p += 1 }
    return "\(text) \(prefixes[p])T"
}

func writeWhole(_ bytes: [UInt8], to path: String) throws {
    let sink = try FileByteSink(path: path)
    try bytes.withUnsafeBytes { try sink.write($0) }
    try sink.close()
}

/// A shard set that cannot be written or read, with what to do.
public struct ShardError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
