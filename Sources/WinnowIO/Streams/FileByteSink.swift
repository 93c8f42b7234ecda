#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes to a file through a large buffer (1 MiB by default), so small writes cost no system call.
public final class FileByteSink: ByteSink {
    public let path: String
    private var descriptor: Int32
    private var buffer: WriteBuffer
    public private(set) var bytesWritten: Int64 = 0

    /// Creates or truncates `path`.
    public init(path: String, bufferSize: Int = 1 << 20) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StreamError.io(path: path, detail: systemErrorText()) }
        self.path = path
        buffer = WriteBuffer(capacity: bufferSize)
    }

    deinit {
        if descriptor >= 0 {
            try? flush()
            systemClose(descriptor)
        }
        buffer.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw StreamError.io(path: path, detail: "write after close") }
        bytesWritten += Int64(bytes.count)
        try buffer.write(bytes) { try writeFully($0) }
    }

    /// Hands buffered bytes to the kernel.
    public func flush() throws {
        try buffer.flush { try writeFully($0) }
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
