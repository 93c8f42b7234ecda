#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a `ByteSource` through one large reusable buffer: lines without copying, exact byte counts,
/// skips. The buffer (1 MiB by default) grows only when a caller asks for a longer line or a larger
/// `peek`, so memory is bounded by the largest record a reader accepts.
public final class BufferedByteReader {
    public let source: ByteSource
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    /// Unread bytes are `storage[start..<end]`.
    private var start = 0
    private var end = 0
    /// Bytes taken from the source so far.
    private var sourceBytes: Int64 = 0
    private var sourceEnded = false

    public init(source: ByteSource, bufferSize: Int = 1 << 20) {
        self.source = source
        capacity = max(bufferSize, 16)
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Decompressed byte offset of the next unread byte.
    public var offset: Int64 { sourceBytes - Int64(end - start) }

    /// Bytes read from the source but not yet consumed.
    public var bufferedCount: Int { end - start }

    /// One line of input.
    public enum Line {
        /// The line without its '\n' (a trailing '\r' is kept), valid until the next call on the reader.
        case line(UnsafeRawBufferPointer, offset: Int64)
        /// The line was longer than allowed and was skipped entirely, streaming, without buffering it.
        case tooLong(offset: Int64, length: Int64)
    }

    /// The next line, or nil at end of stream. A final line without '\n' is still returned.
    public func nextLine(maxBytes: Int) throws -> Line? {
        let lineOffset = offset
        var scanned = start
        while true {
            if scanned < end, let hit = memchr(storage + scanned, 0x0A, end - scanned) {
                let newline = storage.distance(to: hit)
                let lineStart = start
                start = newline + 1
                let length = newline - lineStart
                if length > maxBytes { return .tooLong(offset: lineOffset, length: Int64(length)) }
                return .line(UnsafeRawBufferPointer(start: storage + lineStart, count: length), offset: lineOffset)
            }
            scanned = end
            if end - start > maxBytes {
                return try skipLongLine(offset: lineOffset)
            }
            if sourceEnded {
                guard end > start else { return nil }
                let lineStart = start
                start = end
                return .line(UnsafeRawBufferPointer(start: storage + lineStart, count: end - lineStart), offset: lineOffset)
            }
            let limit = maxBytes >= Int.max - 1 ? Int.max : maxBytes + 1
            let moved = makeRoom(growingUpTo: limit)
            scanned -= moved
            try fill()
        }
    }

    /// Reads exactly `n` bytes (or fewer at end of stream) appending to `into`; returns the count read.
    @discardableResult
    public func read(count n: Int, into destination: inout [UInt8]) throws -> Int {
        guard n > 0 else { return 0 }
        var copied = takeBuffered(upTo: n, into: &destination)
        while copied < n && !sourceEnded {
            let remaining = n - copied
            if remaining >= capacity / 2 {
                copied += try readDirectly(count: remaining, into: &destination)
            } else {
                start = 0
                end = 0
                try fill()
                copied += takeBuffered(upTo: remaining, into: &destination)
            }
        }
        return copied
    }

    /// Skips `n` bytes (fewer at end of stream); returns the count skipped.
    @discardableResult
    public func skip(_ n: Int64) throws -> Int64 {
        guard n > 0 else { return 0 }
        var skipped = Int64(0)
        while true {
            let take = Int(min(Int64(end - start), n - skipped))
            start += take
            skipped += Int64(take)
            if skipped == n || sourceEnded { return skipped }
            start = 0
            end = 0
            try fill()
        }
    }

    /// At least `count` contiguous unread bytes (fewer only at end of stream), without consuming them;
    /// the buffer grows if needed. Valid until the next call on the reader. Use `consume` to move on.
    public func peek(count: Int) throws -> UnsafeRawBufferPointer {
        while end - start < count && !sourceEnded {
            _ = makeRoom(growingUpTo: count)
            try fill()
        }
        return UnsafeRawBufferPointer(start: storage + start, count: min(count, end - start))
    }

    /// Consumes `n` bytes already returned by `peek` (at most `bufferedCount`).
    public func consume(_ n: Int) {
        precondition(n >= 0 && n <= end - start, "consume beyond buffered bytes")
        start += n
    }

    /// Whether the source has reported its end and every byte has been consumed.
    public var isAtEnd: Bool { sourceEnded && start == end }

    // MARK: - Buffer management

    /// Makes free space after `end`: compacts when the free tail is small, grows (up to `limit` bytes of
    /// capacity) when unread bytes fill the buffer. Returns how far unread bytes moved towards the front.
    private func makeRoom(growingUpTo limit: Int) -> Int {
        if start == end {
            let moved = start
            start = 0
            end = 0
            return moved
        }
        let free = capacity - end
        if free >= capacity / 4 && free > 0 { return 0 }
        let unread = end - start
        if start > 0 && unread <= capacity / 2 {
            let moved = start
            memmove(storage, storage + start, unread)
            start = 0
            end = unread
            return moved
        }
        // The unread bytes fill most of the buffer: grow.
        let newCapacity = max(capacity, min(capacity > Int.max / 2 ? Int.max : capacity * 2, max(limit, unread + 1)))
        if newCapacity > capacity {
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: storage + start, byteCount: unread)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        } else if start > 0 {
            memmove(storage, storage + start, unread)
        }
        let moved = start
        start = 0
        end = unread
        return moved
    }

    /// Reads once from the source into the free tail.
    private func fill() throws {
        if end == capacity { _ = makeRoom(growingUpTo: capacity) }
        guard end < capacity else { return }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end))
        if n == 0 {
            sourceEnded = true
        } else {
            end += n
            sourceBytes += Int64(n)
        }
    }

    private func takeBuffered(upTo n: Int, into destination: inout [UInt8]) -> Int {
        let take = min(n, end - start)
        guard take > 0 else { return 0 }
        destination.append(contentsOf: UnsafeRawBufferPointer(start: storage + start, count: take))
        start += take
        return take
    }

    /// Large reads go straight from the source into the destination array, skipping the buffer.
    private func readDirectly(count n: Int, into destination: inout [UInt8]) throws -> Int {
        let base = destination.count
        destination.append(contentsOf: repeatElement(0, count: n))
        var filled = 0
        defer { destination.removeLast(n - filled) }
        while filled < n {
            let got = try destination.withUnsafeMutableBytes { bytes in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[(base + filled)..<(base + n)]))
            }
            if got == 0 { sourceEnded = true; break }
            filled += got
            sourceBytes += Int64(got)
        }
        return filled
    }

    /// Skips the rest of an over-long line, streaming, and reports its full length.
    private func skipLongLine(offset lineOffset: Int64) throws -> Line {
        var length = Int64(end - start)
        start = 0
        end = 0
        while !sourceEnded {
            try fill()
            if let hit = memchr(storage, 0x0A, end) {
                let newline = storage.distance(to: hit)
                length += Int64(newline)
                start = newline + 1
                return .tooLong(offset: lineOffset, length: length)
            }
            length += Int64(end)
            start = 0
            end = 0
        }
        return .tooLong(offset: lineOffset, length: length)
    }
}
