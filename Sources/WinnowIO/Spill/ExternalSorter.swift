/// Sorts fixed-size records in bounded memory: records are buffered up to `maximumRecordsInMemory`, then
/// sorted (equal keys combined by the order) and written to disk as a run in `directory`; `finish()` merges
/// the runs, or streams the sorted buffer when nothing was spilled. The output depends only on the records,
/// never on the memory budget (see `SpillRecordOrder`).
///
/// Callers that keep their own table of records (a counting hash table) may write into `buffer` directly,
/// `recordWords` words per record, and call `spill()` when `bufferedRecords` reaches the maximum.
///
/// One thread uses a sorter (and a `SortedRecords`, `SpillRunWriter`) at a time. Their hot stored properties
/// skip Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): from another module every access
/// would otherwise pay a check, a third of the n-gram trainer's time.
public final class ExternalSorter<Order: SpillRecordOrder> {
    public typealias Word = Order.Word
    public let order: Order
    public let recordWords: Int
    public let maximumRecordsInMemory: Int
    public let directory: String
    public let name: String
    /// Buffered records, `recordWords` words each.
    @exclusivity(unchecked) public var buffer: [Word] = []
    /// The run files written so far. The sorter does not delete them: they live in the caller's scratch
    /// directory, which the caller removes when done.
    public var runPaths: [String] { runs }
    @exclusivity(unchecked) @usableFromInline var runs: [String] = []

    /// Memory one buffered record costs: the record, its copy in the sorted output and a permutation entry.
    public static func bytesPerRecord(words: Int) -> Int { words * MemoryLayout<Word>.size * 2 + 4 }

    /// A sorter of `recordWords`-word records using about `memoryBytes` (at least 16 records), spilling to
    /// `directory/name.runN`.
    public init(order: Order, recordWords: Int, memoryBytes: Int, directory: String, name: String) {
        precondition(recordWords > 0)
        self.order = order
        self.recordWords = recordWords
        maximumRecordsInMemory = max(16, memoryBytes / Self.bytesPerRecord(words: recordWords))
        self.directory = directory
        self.name = name
    }

    /// Records in `buffer`.
    @inlinable public var bufferedRecords: Int { buffer.count / recordWords }

    /// Buffers one record (`recordWords` words), spilling a run when the buffer is full.
    @inlinable
    public func append(_ record: UnsafePointer<Word>) throws {
        buffer.append(contentsOf: UnsafeBufferPointer(start: record, count: recordWords))
        if buffer.count >= maximumRecordsInMemory * recordWords { try spill() }
    }

    /// Sorts the buffered records (combining equal keys) and writes them to a new run file.
    @inlinable
    public func spill() throws {
        guard !buffer.isEmpty else { return }
        let writer = try SpillRunWriter<Word>(path: "\(directory)/\(name).run\(runPaths.count)", layout: .fixed(words: recordWords))
        var failure: Error?
        sortedBuffer { chunk in
            guard failure == nil else { return }
            var i = 0
            while i < chunk.count {
                do { try writer.append(UnsafeBufferPointer(rebasing: chunk[i..<(i + recordWords)])) } catch { failure = error; return }
                i += recordWords
            }
        }
        if let failure { throw failure }
        try writer.close()
        runs.append(writer.path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the buffered records in sorted order, equal keys combined, in chunks.
    @inlinable
    func sortedBuffer(_ body: (UnsafeBufferPointer<Word>) -> Void) {
        let count = bufferedRecords
        let width = recordWords, order = self.order
        var permutation = [Int32](unsafeUninitializedCapacity: count) { p, n in
            for i in 0..<count { p[i] = Int32(i) }
            n = count
        }
        buffer.withUnsafeBufferPointer { records in
            let base = records.baseAddress!
            permutation.withUnsafeMutableBufferPointer { Self.sortIndices($0, base: base, width: width, order: order) }
            let chunkRecords = 4096
            var out = [Word](repeating: 0, count: chunkRecords * width)
            out.withUnsafeMutableBufferPointer { out in
                var filled = 0  // records in `out`
                var previous: UnsafeMutablePointer<Word>? = nil
                for index in permutation {
                    let record = UnsafeBufferPointer(start: base + Int(index) * width, count: width)
                    if let p = previous, order.combine(UnsafeMutableBufferPointer(start: p, count: width), record) { continue }
                    if filled == chunkRecords {
                        body(UnsafeBufferPointer(out))
                        filled = 0
                    }
                    let slot = out.baseAddress! + filled * width
                    slot.update(from: record.baseAddress!, count: width)
                    previous = slot
                    filled += 1
                }
                if filled > 0 { body(UnsafeBufferPointer(rebasing: out[0..<(filled * width)])) }
            }
        }
    }

    /// Sorts record indices by `order` (quicksort, median of three, insertion sort below 16): written out
    /// rather than `Array.sort(by:)` so the comparison inlines into the loop across the module boundary.
    /// Not stable; equal keys are combined or, where kept, indistinguishable to the callers.
    @inlinable
    static func sortIndices(_ a: UnsafeMutableBufferPointer<Int32>, base: UnsafePointer<Word>, width: Int, order: Order) {
        @inline(__always) func less(_ x: Int32, _ y: Int32) -> Bool {
            order.less(UnsafeBufferPointer(start: base + Int(x) * width, count: width),
                       UnsafeBufferPointer(start: base + Int(y) * width, count: width))
        }
        var stack: [(Int, Int)] = [(0, a.count - 1)]
        while let (start, end) = stack.popLast() {
            var lo = start, hi = end
            while hi - lo >= 16 {
                let mid = lo + (hi - lo) / 2
                if less(a[mid], a[lo]) { a.swapAt(mid, lo) }
                if less(a[hi], a[lo]) { a.swapAt(hi, lo) }
                if less(a[hi], a[mid]) { a.swapAt(hi, mid) }
                let pivot = a[mid]
                var i = lo, j = hi
                while i <= j {
                    while less(a[i], pivot) { i += 1 }
                    while less(pivot, a[j]) { j -= 1 }
                    if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
                }
                // Loop on the smaller side, push the larger: the stack stays logarithmic.
                if j - lo < hi - i {
                    if i < hi { stack.append((i, hi)) }
                    hi = j
                } else {
                    if lo < j { stack.append((lo, j)) }
                    lo = i
                }
            }
            if lo < hi {
                for k in (lo + 1)...hi {
                    let x = a[k]
                    var m = k - 1
                    while m >= lo && less(x, a[m]) { a[m + 1] = a[m]; m -= 1 }
                    a[m + 1] = x
                }
            }
        }
    }

    /// Ends input and returns the records in sorted order. With runs on disk, the buffered rest is spilled
    /// too and the runs are merged, each through a read buffer of at most `readBufferBytes` (and together
    /// within the sorter's memory budget).
    @inlinable
    public func finish(readBufferBytes: Int = 1 << 20) throws -> SortedRecords<Order> {
        if runPaths.isEmpty {
            var sorted: [Word] = []
            sorted.reserveCapacity(buffer.count)
            sortedBuffer { sorted.append(contentsOf: $0) }
            buffer = []
            return SortedRecords(sorted: sorted, recordWords: recordWords, order: order)
        }
        try spill()
        buffer = []
        let recordBytes = recordWords * MemoryLayout<Word>.size
        let perRun = max(recordBytes * 64, min(readBufferBytes, maximumRecordsInMemory * recordBytes / max(runPaths.count, 1)))
        return try SortedRecords(runs: runPaths, layout: .fixed(words: recordWords), order: order, bufferBytes: perRun)
    }
}
