#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one run file: records appended in sorted order (the caller's order), through a 1 MiB buffer.
/// Call `close()` to flush; a writer dropped without `close()` loses what was buffered.
public final class SpillRunWriter<Word: FixedWidthInteger> {
    public let path: String
    public let layout: SpillRecordLayout
    @exclusivity(unchecked) @usableFromInline var buffer: [UInt8] = []
    @usableFromInline let file: UnsafeMutablePointer<FILE>
    @exclusivity(unchecked) @usableFromInline var closed = false
    /// Records written so far.
    @inlinable public var recordCount: Int { written }
    @exclusivity(unchecked) @usableFromInline var written = 0

    public init(path: String, layout: SpillRecordLayout) throws {
        guard let f = fopen(path, "wb") else {
            throw SpillError("cannot create the spill file \(path): \(String(cString: strerror(errno))) (is the directory writable?)")
        }
        self.path = path
        self.layout = layout
        file = f
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if !closed { fclose(file) } }

    /// Appends one record (`layout`'s word count for fixed records).
    @inlinable
    public func append(_ record: UnsafeBufferPointer<Word>) throws {
        switch layout {
        case .fixed(let words): precondition(record.count == words, "a fixed spill record has \(words) words")
        case .lengthPrefixed:
            var n = record.count
            repeat {
                buffer.append(UInt8(n & 0x7F) | (n >= 0x80 ? 0x80 : 0))
                n >>= 7
            } while n > 0
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(record))
        written += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    @usableFromInline
    func flush() throws {
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw SpillError("cannot write the spill file \(path): \(String(cString: strerror(errno))) (disk full?)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() throws {
        guard !closed else { return }
        defer { closed = true; fclose(file) }
        try flush()
        guard fflush(file) == 0 else {
            throw SpillError("cannot write the spill file \(path): \(String(cString: strerror(errno))) (disk full?)")
        }
    }
}
