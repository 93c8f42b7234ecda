/// A stream of decompressed bytes from one file.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes and returns how many; 0 means the end of the stream.
    /// Throws `StreamError` when the compressed data is corrupt or ends in the middle of a frame/member.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes of the underlying (compressed) file consumed so far.
    var compressedOffset: Int64 { get }
}

/// A destination for bytes: a plain, gzip or zstd file.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes and finishes the compressed stream; the file is complete after this returns.
    func close() throws
    /// Uncompressed bytes written so far.
    var bytesWritten: Int64 { get }
}

/// Why a stream could not be read on.
public enum StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file ends in the middle of a compressed frame or member.
    case truncated(format: String, compressedOffset: Int64)
    /// The compressed data is not valid.
    case corrupt(format: String, compressedOffset: Int64, detail: String)
    /// A system call failed (open, read, write) with this errno text.
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case .truncated(let f, let o): "truncated \(f) stream at compressed byte \(o)"
        case .corrupt(let f, let o, let d): "corrupt \(f) stream at compressed byte \(o): \(d)"
        case .io(let p, let d): "\(p): \(d)"
        }
    }
}
