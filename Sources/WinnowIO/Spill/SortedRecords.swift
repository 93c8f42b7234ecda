/// Records in sorted order, one at a time: either a sorted buffer held in memory, or the k-way merge of
/// sorted run files (each read through its own bounded buffer), with records of equal key folded together by
/// the order's `combine`. `current` is valid until `advance()` and nil at the end.
public final class SortedRecords<Order: SpillRecordOrder> {
    public typealias Word = Order.Word
    public let order: Order
    /// The record at hand, nil at the end.
    @inlinable public var current: UnsafeBufferPointer<Word>? { currentRecord }
    @exclusivity(unchecked) @usableFromInline var currentRecord: UnsafeBufferPointer<Word>?

    // In memory: fixed records back to back.
    @exclusivity(unchecked) @usableFromInline var memory: UnsafeMutablePointer<Word>?
    @exclusivity(unchecked) @usableFromInline var memoryWords = 0
    @exclusivity(unchecked) @usableFromInline var recordWords = 0
    @exclusivity(unchecked) @usableFromInline var position = 0

    // Merging runs: a binary heap of reader indices by current record.
    @exclusivity(unchecked) @usableFromInline var readers: [SpillRunReader<Word>] = []
    @exclusivity(unchecked) @usableFromInline var heap: [Int] = []
    @exclusivity(unchecked) @usableFromInline var merged: UnsafeMutablePointer<Word>
    @exclusivity(unchecked) @usableFromInline var mergedCapacity = 16

    /// Records already sorted and combined, `recordWords` words each (as `ExternalSorter` hands them over).
    public init(sorted records: [Word], recordWords: Int, order: Order) {
        self.order = order
        self.recordWords = recordWords
        merged = .allocate(capacity: mergedCapacity)
        memoryWords = records.count
        let m = UnsafeMutablePointer<Word>.allocate(capacity: max(records.count, 1))
        records.withUnsafeBufferPointer { if let b = $0.baseAddress { m.initialize(from: b, count: records.count) } }
        memory = m
        currentRecord = records.count >= recordWords && recordWords > 0 ? UnsafeBufferPointer(start: m, count: recordWords) : nil
    }

    /// Merges the run files at `runs`, each sorted by `order` (within a run, equal keys already combined or
    /// meant to be kept), reading each through a buffer of `bufferBytes`.
    public init(runs: [String], layout: SpillRecordLayout, order: Order, bufferBytes: Int = 1 << 20) throws {
        self.order = order
        merged = .allocate(capacity: mergedCapacity)
        for path in runs {
            let reader = try SpillRunReader<Word>(path: path, layout: layout, bufferBytes: bufferBytes)
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

    /// Moves to the next record.
    @inlinable
    public func advance() throws {
        if let memory {
            position += recordWords
            currentRecord = position + recordWords <= memoryWords ? UnsafeBufferPointer(start: memory + position, count: recordWords) : nil
            return
        }
        guard let top = heap.first else { currentRecord = nil; return }
        let first = readers[top].current!
        if first.count > mergedCapacity {
            merged.deallocate()
            mergedCapacity = max(first.count, mergedCapacity * 2)
            merged = .allocate(capacity: mergedCapacity)
        }
        merged.update(from: first.baseAddress!, count: first.count)
        let out = UnsafeMutableBufferPointer(start: merged, count: first.count)
        try step(top)
        while let next = heap.first, order.combine(out, readers[next].current!) {
            try step(next)
        }
        currentRecord = UnsafeBufferPointer(out)
    }

    /// Advances the reader at the top of the heap and restores the heap.
    @inlinable
    func step(_ reader: Int) throws {
        try readers[reader].advance()
        if readers[reader].current == nil {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
    }

    @inlinable
    func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < n, order.less(readers[heap[l]].current!, readers[heap[smallest]].current!) { smallest = l }
            if r < n, order.less(readers[heap[r]].current!, readers[heap[smallest]].current!) { smallest = r }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
