#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's raw bytes with POSIX `read`, no buffering of its own (callers pass large buffers).
public final class FileByteSource: ByteSource {
    public let path: String
    private var descriptor: Int32
    public private(set) var compressedOffset: Int64 = 0

    /// Opens `path` for reading; throws `StreamError.io` when it is missing or unreadable.
    public init(path: String) throws {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StreamError.io(path: path, detail: systemErrorText()) }
        self.path = path
        #if canImport(Glibc)
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
    }

    deinit {
        if descriptor >= 0 { systemClose(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = systemRead(descriptor, base, buffer.count)
            if n >= 0 {
                compressedOffset += Int64(n)
                return n
            }
            if errno == EINTR { continue }
            throw StreamError.io(path: path, detail: systemErrorText())
        }
    }

    /// Up to `count` bytes from the start of the file, without moving the read position (for magic bytes).
    public func prefix(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(filled)) }
            if n > 0 { filled += n; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw StreamError.io(path: path, detail: systemErrorText())
        }
        return Array(bytes[0..<filled])
    }
}

@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always)
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

func systemClose(_ fd: Int32) {
    _ = close(fd)
}

/// The text of the current `errno`.
func systemErrorText() -> String {
    String(cString: strerror(errno))
}
