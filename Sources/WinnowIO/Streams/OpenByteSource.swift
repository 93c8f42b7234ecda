/// Opens a file for reading, decompressing it when its first bytes are a gzip (`1f 8b`) or zstd
/// (`28 b5 2f fd`) magic number; anything else is read as is. `-` (or `/dev/stdin`) is standard input,
/// whose compression is detected on the stream in the same way.
///
/// Throws `StreamError.io` when the file cannot be opened, and `StreamError.corrupt` when its name says
/// gzip or zstd (`.gz`, `.zst`) but its content is not compressed at all, or is empty: `zstd -t` and
/// `gzip -t` reject such files too, and reading them as text would bury the mistake in parse errors.
public func openByteSource(path: String) throws -> ByteSource {
    let file: ByteSource
    let magic: [UInt8]
    if StandardInputSource.isStandardInput(path) {
        var head = [UInt8](repeating: 0, count: 4)
        let sniffer = try StandardInputSource()
        var filled = 0
        while filled < 4 {
            let n = try head.withUnsafeMutableBytes { try sniffer.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n == 0 { break }
            filled += n
        }
        magic = Array(head[0..<filled])
        file = try StandardInputSource()
    } else {
        let plain = try FileByteSource(path: path)
        magic = try plain.prefix(4)
        file = plain
    }
    let compression = Compression(magic: magic)
    if compression == .none, !StandardInputSource.isStandardInput(path) {
        let named = Compression(path: path)
        if named != .none {
            let detail = magic.isEmpty
                ? "the file is empty, but a \(named.fileSuffix) file holds at least a \(named.rawValue) header"
                : "not a \(named.rawValue) stream: the name ends in \(named.fileSuffix) but the content does not start with \(named.rawValue)'s magic number"
            throw StreamError.corrupt(format: named.rawValue, compressedOffset: 0, detail: detail)
        }
    }
    switch compression {
    case .gzip: return try GzipByteSource(input: file)
    case .zstd: return try ZstdByteSource(input: file)
    case .none: return file
    }
}
