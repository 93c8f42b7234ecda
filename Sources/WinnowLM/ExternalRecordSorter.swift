import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorts fixed-width records of `UInt32` words (n-gram word ids, then payload) with a bounded amount of
/// memory: records are buffered up to `maximumRecordsInMemory`, then sorted and written to disk as a run;
/// `finish()` merges the runs (or, when nothing was spilled, streams the sorted buffer). The result depends
/// only on the records, never on where the spills fell: equal keys are combined by `combine`, and keys are
/// otherwise unique wherever this is used.
final class ExternalRecordSorter {
    /// What to do with two records of equal key.
    enum Combine {
        /// Keys are unique; nothing is combined.
        case none
        /// Add the 64-bit counts stored in the two words after the key.
        case sumCount
    }

    let width: Int
    let keyLength: Int
    let order: NGramRecordOrder
    let combine: Combine
    let maximumRecordsInMemory: Int
    private let directory: String
    private let name: String
    /// Buffered records, `width` words each. The counter writes into it directly (its hash table's arena).
    var buffer: [UInt32] = []
    private(set) var runPaths: [String] = []

    /// Memory for one buffered record: the record, the sorted copy and the permutation entry.
    static func bytesPerRecord(width: Int) -> Int { width * 8 + 4 }

    init(width: Int, keyLength: Int, order: NGramRecordOrder, combine: Combine = .none, memoryBytes: Int,
         directory: String, name: String) {
        self.width = width
        self.keyLength = keyLength
        self.order = order
        self.combine = combine
        self.maximumRecordsInMemory = max(16, memoryBytes / Self.bytesPerRecord(width: width))
        self.directory = directory
        self.name = name
    }

    var bufferedRecords: Int { buffer.count / width }

    /// Buffers one record (`width` words), spilling a run when the buffer is full.
    @inline(__always)
    func append(_ record: UnsafePointer<UInt32>) throws {
        buffer.append(contentsOf: UnsafeBufferPointer(start: record, count: width))
        if buffer.count >= maximumRecordsInMemory * width { try spill() }
    }

    /// Sorts the buffered records (combining equal keys) and writes them to a new run file.
    func spill() throws {
        guard !buffer.isEmpty else { return }
        let path = "\(directory)/\(name).run\(runPaths.count)"
        guard let file = fopen(path, "wb") else { throw LanguageModelTrainingError("cannot create \(path)") }
        defer { fclose(file) }
        var failed = false
        sortedBuffer { chunk in
            if !failed, fwrite(chunk.baseAddress, 4, chunk.count, file) != chunk.count { failed = true }
        }
        if failed { throw LanguageModelTrainingError("cannot write \(path) (disk full?)") }
        runPaths.append(path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the buffered records in sorted order, equal keys combined, in chunks.
    private func sortedBuffer(_ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        let count = bufferedRecords
        let width = self.width, keyLength = self.keyLength, order = self.order
        var permutation = [Int32](unsafeUninitializedCapacity: count) { p, n in
            for i in 0..<count { p[i] = Int32(i) }
            n = count
        }
        buffer.withUnsafeBufferPointer { records in
            let base = records.baseAddress!
            permutation.sort { order.lessThan(base + Int($0) * width, base + Int($1) * width, length: keyLength) }
            let chunkRecords = 4096
            var out = [UInt32](repeating: 0, count: chunkRecords * width)
            out.withUnsafeMutableBufferPointer { out in
                var filled = 0  // records in `out`
                var previous: UnsafeMutablePointer<UInt32>? = nil
                for index in permutation {
                    let record = base + Int(index) * width
                    if combine == .sumCount, let p = previous, NGramRecordOrder.sameKey(p, record, length: keyLength) {
                        Self.addCount(into: p, from: record, keyLength: keyLength)
                        continue
                    }
                    if filled == chunkRecords {
                        body(UnsafeBufferPointer(out))
                        filled = 0
                    }
                    let slot = out.baseAddress! + filled * width
                    slot.update(from: record, count: width)
                    previous = slot
                    filled += 1
                }
                if filled > 0 { body(UnsafeBufferPointer(rebasing: out[0..<(filled * width)])) }
            }
        }
    }

    @inline(__always)
    static func addCount(into a: UnsafeMutablePointer<UInt32>, from b: UnsafePointer<UInt32>, keyLength: Int) {
        let sum = (UInt64(a[keyLength + 1]) << 32 | UInt64(a[keyLength])) &+ (UInt64(b[keyLength + 1]) << 32 | UInt64(b[keyLength]))
        a[keyLength] = UInt32(truncatingIfNeeded: sum)
        a[keyLength + 1] = UInt32(truncatingIfNeeded: sum >> 32)
    }

    /// Ends input and returns the records in sorted order. With runs on disk, the buffered rest is spilled
    /// too and the runs are merged with a read buffer each of at most `readBufferBytes`.
    func finish(readBufferBytes: Int = 1 << 20) throws -> SortedRecordStream {
        if runPaths.isEmpty {
            var sorted: [UInt32] = []
            sorted.reserveCapacity(buffer.count)
            sortedBuffer { sorted.append(contentsOf: $0) }
            buffer = []
            return SortedRecordStream(memory: sorted, width: width)
        }
        try spill()
        buffer = []
        let perRun = max(width * 4 * 64, min(readBufferBytes, (maximumRecordsInMemory * width * 4) / max(runPaths.count, 1)))
        return try SortedRecordStream(runs: runPaths, width: width, keyLength: keyLength, order: order,
                                      combine: combine, bufferBytes: perRun)
    }
}

/// Records in sorted order, one at a time: `current` is valid until `advance()`.
final class SortedRecordStream {
    let width: Int
    private(set) var current: UnsafePointer<UInt32>?

    // In memory.
    private var memory: UnsafeMutablePointer<UInt32>?
    private var memoryRecords = 0
    private var position = 0

    // Merging runs.
    private var readers: [RunReader] = []
    private var heap: [Int] = []
    private let merged: UnsafeMutablePointer<UInt32>
    private let keyLength: Int
    private let order: NGramRecordOrder
    private let combine: ExternalRecordSorter.Combine

    init(memory records: [UInt32], width: Int) {
        self.width = width
        self.keyLength = width
        self.order = .suffix
        self.combine = .none
        merged = .allocate(capacity: width)
        memoryRecords = records.count / width
        let m = UnsafeMutablePointer<UInt32>.allocate(capacity: max(records.count, 1))
        records.withUnsafeBufferPointer { if let b = $0.baseAddress { m.initialize(from: b, count: records.count) } }
        memory = m
        current = memoryRecords > 0 ? UnsafePointer(m) : nil
    }

    init(runs: [String], width: Int, keyLength: Int, order: NGramRecordOrder,
         combine: ExternalRecordSorter.Combine, bufferBytes: Int) throws {
        self.width = width
        self.keyLength = keyLength
        self.order = order
        self.combine = combine
        merged = .allocate(capacity: width)
        for path in runs {
            let reader = try RunReader(path: path, width: width, bufferRecords: max(1, bufferBytes / (width * 4)))
            if reader.current != nil {
                readers.append(reader)
                heap.append(readers.count - 1)
            }
        }
        var i = heap.count / 2 - 1
        while i >= 0 { siftDown(i); i -= 1 }
        try advance()
    }

    deinit {
        memory?.deallocate()
        merged.deallocate()
    }

    /// Moves to the next record (`current` becomes nil at the end).
    func advance() throws {
        if let memory {
            position += 1
            current = position < memoryRecords ? UnsafePointer(memory + position * width) : nil
            return
        }
        guard let top = heap.first else { current = nil; return }
        merged.update(from: readers[top].current!, count: width)
        try step(top)
        if combine == .sumCount {
            while let next = heap.first, NGramRecordOrder.sameKey(merged, readers[next].current!, length: keyLength) {
                ExternalRecordSorter.addCount(into: merged, from: readers[next].current!, keyLength: keyLength)
                try step(next)
            }
        }
        current = UnsafePointer(merged)
    }

    /// Advances the reader at the top of the heap and restores the heap.
    private func step(_ reader: Int) throws {
        try readers[reader].advance()
        if readers[reader].current == nil {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        order.lessThan(readers[a].current!, readers[b].current!, length: keyLength)
    }

    private func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < n, less(heap[l], heap[smallest]) { smallest = l }
            if r < n, less(heap[r], heap[smallest]) { smallest = r }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}

/// Reads one run file sequentially through a fixed buffer.
private final class RunReader {
    let width: Int
    private let file: UnsafeMutablePointer<FILE>
    private let storage: UnsafeMutablePointer<UInt32>
    private let capacity: Int  // records
    private var filled = 0
    private var position = 0
    private(set) var current: UnsafePointer<UInt32>?

    init(path: String, width: Int, bufferRecords: Int) throws {
        guard let f = fopen(path, "rb") else { throw LanguageModelTrainingError("cannot open run \(path)") }
        file = f
        self.width = width
        capacity = bufferRecords
        storage = .allocate(capacity: bufferRecords * width)
        try refill()
    }

    deinit {
        fclose(file)
        storage.deallocate()
    }

    private func refill() throws {
        let words = fread(storage, 4, capacity * width, file)
        if words % width != 0 { throw LanguageModelTrainingError("truncated run file") }
        filled = words / width
        position = 0
        current = filled > 0 ? UnsafePointer(storage) : nil
    }

    func advance() throws {
        position += 1
        if position < filled {
            current = UnsafePointer(storage + position * width)
        } else {
            try refill()
        }
    }
}
