#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Standard input (`-`) as a byte source that can be opened more than once, so that its format and
/// compression can be sniffed before it is read: the first `headLimit` bytes are kept and every new
/// source starts again at byte 0. Opening it again after a reader went past the kept head throws.
public final class StandardInputSource: ByteSource {
    /// Bytes kept for re-reading: enough for format sniffing (64 KiB decompressed, a decompressor input buffer).
    public static let headLimit = 1 << 20

    private struct Shared {
        var head: [UInt8] = []
        /// Whether a reader went past the head, so that the stream cannot be read from its start again.
        var passedHead = false
        var ended = false
    }
    private static let shared = Mutex(Shared())

    private var position: Int64 = 0
    public var compressedOffset: Int64 { position }

    /// A source at the start of standard input; throws when standard input was already read past its head.
    public init() throws {
        let passed = Self.shared.withLock { $0.passedHead }
        if passed { throw StreamError.io(path: "-", detail: "standard input can be read only once") }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try Self.shared.withLock { shared -> Int in
            if position < Int64(shared.head.count) {
                let n = min(buffer.count, shared.head.count - Int(position))
                shared.head.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + Int(position), byteCount: n) }
                position += Int64(n)
                return n
            }
            if shared.ended { return 0 }
            if shared.head.count < Self.headLimit && !shared.passedHead {
                // Still inside the head: read into it, so that a later source can replay these bytes.
                var chunk = [UInt8](repeating: 0, count: min(buffer.count, Self.headLimit - shared.head.count))
                let n = try chunk.withUnsafeMutableBytes { try Self.readStandardInput($0.baseAddress!, $0.count) }
                if n == 0 { shared.ended = true; return 0 }
                shared.head.append(contentsOf: chunk[0..<n])
                chunk.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: n) }
                position += Int64(n)
                return n
            }
            shared.passedHead = true
            let n = try Self.readStandardInput(base, buffer.count)
            if n == 0 { shared.ended = true }
            position += Int64(n)
            return n
        }
    }

    private static func readStandardInput(_ base: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(0, base, count)
            #else
            let n = Darwin.read(0, base, count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw StreamError.io(path: "standard input", detail: systemErrorText())
        }
    }

    /// Whether `path` names standard input: `-`, `/dev/stdin` or `/dev/fd/0`.
    public static func isStandardInput(_ path: String) -> Bool {
        path == "-" || path == "/dev/stdin" || path == "/dev/fd/0"
    }
}
