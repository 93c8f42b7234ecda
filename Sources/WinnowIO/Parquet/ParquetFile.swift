#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open Parquet file: its footer, and byte ranges read on demand with `pread` (column chunks are read
/// one at a time, never the whole file).
final class ParquetFile {
    let path: String
    let size: Int64
    private let descriptor: Int32
    /// Where the footer starts: the end of the column data.
    private(set) var footerStart: Int64 = 0

    /// Opens `path`; throws `StreamError.io` when it is missing or unreadable.
    init(path: String) throws {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StreamError.io(path: path, detail: systemErrorText()) }
        self.path = path
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else {
            let detail = systemErrorText()
            systemClose(descriptor)
            throw StreamError.io(path: path, detail: detail)
        }
        size = Int64(end)
    }

    deinit { systemClose(descriptor) }

    /// `count` bytes at `offset`; throws `ParquetFormatError` when the file ends first.
    func read(offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset + Int64(count) <= size else {
            throw ParquetFormatError("bytes \(offset)..<\(offset + Int64(count)) lie past the end of the \(size)-byte file")
        }
        // Not zero-filled first: pread writes every byte (or the read throws).
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { try readFully(into: UnsafeMutableRawPointer(buffer.baseAddress!), offset: offset, count: count) }
            initialized = count
        }
    }

    /// `count` bytes at `offset` into the first `count` bytes of `buffer`, which grows when it is shorter and
    /// is otherwise overwritten in place (a buffer reused page after page is not allocated again).
    func read(offset: Int64, count: Int, into buffer: inout [UInt8]) throws {
        guard offset >= 0, count >= 0, offset + Int64(count) <= size else {
            throw ParquetFormatError("bytes \(offset)..<\(offset + Int64(count)) lie past the end of the \(size)-byte file")
        }
        if buffer.count < count { buffer = try read(offset: offset, count: count); return }
        if count == 0 { return }
        try buffer.withUnsafeMutableBytes { try readFully(into: $0.baseAddress!, offset: offset, count: count) }
    }

    /// `pread` until `count` bytes at `offset` are at `destination`.
    private func readFully(into destination: UnsafeMutableRawPointer, offset: Int64, count: Int) throws {
        var done = 0
        while done < count {
            let n = pread(descriptor, destination + done, count - done, off_t(offset) + off_t(done))
            if n > 0 {
                done += n
            } else if n == 0 {
                throw ParquetFormatError("the file ended at byte \(offset + Int64(done)) while reading")
            } else if errno != EINTR {
                throw StreamError.io(path: path, detail: systemErrorText())
            }
        }
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Reads and parses the footer: `PAR1` at both ends, the 4-byte footer length before the last magic.
    func readFooter() throws -> ParquetFileMetadata {
        guard size >= 12 else { throw ParquetFormatError("file of \(size) bytes is too short to be Parquet") }
        let head = try read(offset: 0, count: 4)
        guard head == Self.magic else { throw ParquetFormatError("file does not start with PAR1: not Parquet") }
        let tail = try read(offset: size - 8, count: 8)
        guard Array(tail[4..<8]) == Self.magic else {
            throw ParquetFormatError("file does not end with PAR1: it is truncated, or not a complete Parquet file")
        }
        let length = Int64(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length > 0, length <= size - 12 else {
            throw ParquetFormatError("footer length \(length) does not fit in the \(size)-byte file")
        }
        footerStart = size - 8 - length
        let footer = try read(offset: footerStart, count: Int(length))
        var reader = ThriftCompactReader(footer)
        return try ParquetFileMetadata(thrift: &reader)
    }
}
