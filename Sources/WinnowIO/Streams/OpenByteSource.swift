/// Opens a file for reading, decompressing it when its first bytes are a gzip (`1f 8b`) or zstd
/// (`28 b5 2f fd`) magic number; the file name's extension plays no part. Anything else is read as is.
/// Throws `StreamError.io` when the file cannot be opened.
public func openByteSource(path: String) throws -> ByteSource {
    let file = try FileByteSource(path: path)
    switch Compression(magic: try file.prefix(4)) {
    case .gzip: return try GzipByteSource(input: file)
    case .zstd: return try ZstdByteSource(input: file)
    case .none: return file
    }
}
