#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small helpers for parsing protocol text (WARC and HTTP headers) directly on bytes.
enum ASCIIBytes {
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// Whether `bytes` equals `lowercasedName` ignoring ASCII case (`lowercasedName` must be lower case).
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercasedName: [UInt8]) -> Bool {
        guard bytes.count == lowercasedName.count else { return false }
        for i in 0..<bytes.count where lowercased(bytes[i]) != lowercasedName[i] { return false }
        return true
    }

    /// Whether `bytes` starts with `prefix` exactly.
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for i in 0..<prefix.count where bytes[i] != prefix[i] { return false }
        return true
    }

    /// `bytes` without leading and trailing spaces, tabs and carriage returns.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lower = 0
        var upper = bytes.count
        while lower < upper, isSpaceOrTab(bytes[lower]) || bytes[lower] == 0x0D { lower += 1 }
        while upper > lower, isSpaceOrTab(bytes[upper - 1]) || bytes[upper - 1] == 0x0D { upper -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])
    }

    /// `bytes` without one trailing carriage return.
    static func droppingCR(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if let last = bytes.last, last == 0x0D { return UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        return bytes
    }

    /// A string from header bytes (invalid UTF-8 is replaced).
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A non-negative decimal integer, or nil when `bytes` is empty, has a non-digit, or overflows.
    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte &- 0x30 < 10 else { return nil }
            value = value * 10 + Int64(byte &- 0x30)
        }
        return value
    }

    /// Index of `byte` in `bytes` from `from`, using memchr.
    static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress,
              let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Index of the first occurrence of `needle` in `bytes` from `from`, or nil.
    static func index(of needle: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        guard let first = needle.first else { return from }
        var i = from
        while let hit = index(of: first, in: bytes, from: i) {
            if hit + needle.count > bytes.count { return nil }
            var matches = true
            for k in 1..<needle.count where bytes[hit + k] != needle[k] { matches = false; break }
            if matches { return hit }
            i = hit + 1
        }
        return nil
    }
}
