#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes to a file through a large buffer (1 MiB by default), so small writes cost no system call.
public final class FileByteSink: ByteSink {
    public let path: String
    private var descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    public private(set) var bytesWritten: Int64 = 0

    /// Creates or truncates `path`.
    public init(path: String, bufferSize: Int = 1 << 20) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StreamError.io(path: path, detail: systemErrorText()) }
        self.path = path
        buffer = .allocate(byteCount: max(bufferSize, 4096), alignment: 16)
    }

    deinit {
        if descriptor >= 0 {
            try? flush()
            systemClose(descriptor)
        }
        buffer.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        guard descriptor >= 0 else { throw StreamError.io(path: path, detail: "write after close") }
        bytesWritten += Int64(bytes.count)
        if bytes.count <= buffer.count - buffered {
            (buffer.baseAddress! + buffered).copyMemory(from: source, byteCount: bytes.count)
            buffered += bytes.count
            return
        }
        try flush()
        if bytes.count >= buffer.count {
            try writeFully(bytes)
        } else {
            buffer.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            buffered = bytes.count
        }
    }

    /// Hands buffered bytes to the kernel.
    public func flush() throws {
        guard buffered > 0 else { return }
        let count = buffered
        buffered = 0
        try writeFully(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
    }

    public func close() throws {
        guard descriptor >= 0 else { return }
        defer {
            systemClose(descriptor)
            descriptor = -1
        }
        try flush()
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n >= 0 { done += n; continue }
            if errno == EINTR { continue }
            throw StreamError.io(path: path, detail: systemErrorText())
        }
    }
}
