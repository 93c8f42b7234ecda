#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorted runs of pre-token counts on disk, and their merge: how tokenizer training stays within a memory
/// budget on corpora with more distinct pre-tokens than fit. A run file is a sequence of records sorted by key
/// bytes (byte order, then length): a LEB128 key length, the key bytes, the count as 8 little-endian bytes.
public enum PreTokenRuns {
    public struct IOError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes the counter's entries sorted by key to `path`.
    public static func write(_ counter: PreTokenCounter, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw IOError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        try counter.forEachSorted { key, count in
            var n = key.count
            repeat {
                buffer.append(UInt8(n & 0x7F) | (n >= 0x80 ? 0x80 : 0))
                n >>= 7
            } while n > 0
            buffer.append(contentsOf: key)
            withUnsafeBytes(of: count.littleEndian) { buffer.append(contentsOf: $0) }
            if buffer.count >= 1 << 20 { try flush(&buffer, file, path) }
        }
        try flush(&buffer, file, path)
    }

    private static func flush(_ buffer: inout [UInt8], _ file: UnsafeMutablePointer<FILE>, _ path: String) throws {
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else { throw IOError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads one run sequentially.
    final class Reader {
        let path: String
        private let file: UnsafeMutablePointer<FILE>
        private var buffer = [UInt8](repeating: 0, count: 1 << 20)
        private var position = 0, filled = 0
        private(set) var key: [UInt8] = []
        private(set) var count: Int64 = 0

        init(path: String) throws {
            self.path = path
            guard let f = fopen(path, "rb") else { throw IOError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
            file = f
        }

        deinit { fclose(file) }

        private func byte() throws -> UInt8? {
            if position == filled {
                filled = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                position = 0
                if filled == 0 { return nil }
            }
            position += 1
            return buffer[position - 1]
        }

        /// Reads the next record into `key` and `count`; false at the end of the run.
        func next() throws -> Bool {
            var n = 0, shift = 0
            while true {
                guard let b = try byte() else {
                    if shift == 0 { return false }
                    throw IOError(description: "\(path): truncated run")
                }
                n |= Int(b & 0x7F) << shift
                shift += 7
                if b < 0x80 { break }
            }
            key.removeAll(keepingCapacity: true)
            for _ in 0..<n {
                guard let b = try byte() else { throw IOError(description: "\(path): truncated run") }
                key.append(b)
            }
            var c: UInt64 = 0
            for k in 0..<8 {
                guard let b = try byte() else { throw IOError(description: "\(path): truncated run") }
                c |= UInt64(b) << UInt64(8 * k)
            }
            count = Int64(bitPattern: c)
            return true
        }
    }

    /// Merges sorted runs: calls `body` once per distinct key, in key order, with the sum of its counts.
    public static func merge(_ paths: [String], _ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) throws {
        var readers: [Reader] = []
        for path in paths {
            let r = try Reader(path: path)
            if try r.next() { readers.append(r) }
        }
        // A binary heap of readers by current key.
        func less(_ a: Reader, _ b: Reader) -> Bool { a.key.lexicographicallyPrecedes(b.key) }
        var heap = readers
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, less(heap[l], heap[m]) { m = l }
                if r < heap.count, less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        var current: [UInt8] = []
        var total: Int64 = 0
        var hasCurrent = false
        while let top = heap.first {
            if hasCurrent && top.key == current {
                total += top.count
            } else {
                if hasCurrent { try current.withUnsafeBufferPointer { try body($0, total) } }
                current = top.key
                total = top.count
                hasCurrent = true
            }
            if try top.next() {
                siftDown(0)
            } else {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
                if !heap.isEmpty { siftDown(0) }
            }
        }
        if hasCurrent { try current.withUnsafeBufferPointer { try body($0, total) } }
    }
}
