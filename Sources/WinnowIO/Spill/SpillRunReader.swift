#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one run file sequentially through a fixed buffer: `current` is the record at hand (valid until
/// `advance()`), nil at the end of the run.
public final class SpillRunReader<Word: FixedWidthInteger> {
    public let path: String
    public let layout: SpillRecordLayout
    @exclusivity(unchecked) public private(set) var current: UnsafeBufferPointer<Word>?

    private let file: UnsafeMutablePointer<FILE>
    /// File bytes; for fixed records a whole number of records.
    @exclusivity(unchecked) private var storage: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var filled = 0, position = 0
    @exclusivity(unchecked) private var atEnd = false
    /// A length-prefixed record, copied so its words are aligned.
    @exclusivity(unchecked) private var record: UnsafeMutablePointer<Word>
    @exclusivity(unchecked) private var recordCapacity = 16

    /// Opens `path`; `bufferBytes` bounds the read buffer (at least one fixed record).
    public init(path: String, layout: SpillRecordLayout, bufferBytes: Int = 1 << 20) throws {
        guard let f = fopen(path, "rb") else {
            throw SpillError("cannot open the spill file \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.layout = layout
        file = f
        let size = MemoryLayout<Word>.size
        switch layout {
        case .fixed(let words): capacity = max(1, bufferBytes / (words * size)) * words * size
        case .lengthPrefixed: capacity = max(bufferBytes, 64)
        }
        storage = .allocate(byteCount: capacity, alignment: 16)
        record = .allocate(capacity: recordCapacity)
        try advance()
    }

    deinit {
        fclose(file)
        storage.deallocate()
        record.deallocate()
    }

    /// Moves to the next record.
    public func advance() throws {
        switch layout {
        case .fixed(let words): try advanceFixed(recordBytes: words * MemoryLayout<Word>.size, words: words)
        case .lengthPrefixed: try advanceLengthPrefixed()
        }
    }

    private func truncated() -> SpillError {
        SpillError("the spill file \(path) is truncated (was it written completely? delete it and rerun the step)")
    }

    private func advanceFixed(recordBytes: Int, words: Int) throws {
        if position + recordBytes <= filled, current != nil {
            position += recordBytes
            if position + recordBytes <= filled {
                current = UnsafeBufferPointer(start: (storage + position).assumingMemoryBound(to: Word.self), count: words)
                return
            }
        }
        // The buffer holds whole records only, so it is consumed exactly.
        filled = fread(storage, 1, capacity, file)
        position = 0
        if filled % recordBytes != 0 { throw truncated() }
        current = filled > 0 ? UnsafeBufferPointer(start: storage.assumingMemoryBound(to: Word.self), count: words) : nil
    }

    /// Makes `n` bytes available at `position` (moving the rest to the front, growing the buffer for a long
    /// record); false when the file ends first.
    private func ensure(_ n: Int) -> Bool {
        if filled - position >= n { return true }
        if position > 0 {
            let rest = filled - position
            if rest > 0 { memmove(storage, storage + position, rest) }
            filled = rest
            position = 0
        }
        if n > capacity {
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 16)
            bigger.copyMemory(from: storage, byteCount: filled)
            storage.deallocate()
            storage = bigger
            capacity = n
        }
        while filled < n && !atEnd {
            let got = fread(storage + filled, 1, capacity - filled, file)
            if got == 0 { atEnd = true }
            filled += got
        }
        return filled >= n
    }

    private func advanceLengthPrefixed() throws {
        var count = 0, shift = 0
        while true {
            guard ensure(1) else {
                if shift == 0 { current = nil; return }
                throw truncated()
            }
            let b = storage.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            guard shift < 63 else { throw truncated() }
            count |= Int(b & 0x7F) << shift
            shift += 7
            if b < 0x80 { break }
        }
        let bytes = count * MemoryLayout<Word>.size
        guard ensure(bytes) else { throw truncated() }
        if count > recordCapacity {
            record.deallocate()
            recordCapacity = max(count, recordCapacity * 2)
            record = .allocate(capacity: recordCapacity)
        }
        UnsafeMutableRawPointer(record).copyMemory(from: storage + position, byteCount: bytes)
        position += bytes
        current = UnsafeBufferPointer(start: record, count: count)
    }
}
