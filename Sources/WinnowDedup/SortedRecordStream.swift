/// A k-way merge of sorted record files read on demand (`next()`), for a phase that walks the merged records
/// alongside its documents. Equal records come from the lower-numbered file first.
final class SortedRecordStream {
    private let readers: [SortedRecordReader]
    private var heads: [(record: DedupRecord, source: Int)] = []

    init(paths: [String]) throws {
        readers = try paths.map { try SortedRecordReader(path: $0) }
        for (i, reader) in readers.enumerated() { if let r = try reader.read() { heads.append((r, i)) } }
        heads.sort { Self.less($0, $1) }
    }

    private static func less(_ a: (record: DedupRecord, source: Int), _ b: (record: DedupRecord, source: Int)) -> Bool {
        a.record < b.record || (!(b.record < a.record) && a.source < b.source)
    }

    /// The next record without taking it, or nil at the end.
    var peek: DedupRecord? { heads.first?.record }

    /// Takes the next record. The few files of a phase make a sorted array of heads cheaper than a heap.
    func next() throws -> DedupRecord? {
        guard !heads.isEmpty else { return nil }
        let head = heads.removeFirst()
        if let r = try readers[head.source].read() {
            let entry = (record: r, source: head.source)
            let at = heads.firstIndex { Self.less(entry, $0) } ?? heads.count
            heads.insert(entry, at: at)
        }
        return head.record
    }
}
