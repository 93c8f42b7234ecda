/// Counts the highest-order n-grams of sentences, KenLM `lmplz`-style, in bounded memory.
///
/// Words get dense ids in order of first appearance after `<unk>` (0), `<s>` (1) and `</s>` (2). Each
/// sentence is padded on the left with `order - 1` `<s>` and ends with `</s>`, and every window of `order`
/// ids ending at a real word or `</s>` is counted, so "a b" at order 3 gives `<s> <s> a`, `<s> a b` and
/// `a b </s>` (the lower orders are derived from these by `KneserNeyTrainer`).
///
/// The counts live in an open-addressing hash table whose entries are fixed-width records in one flat
/// arena (`order` ids and a 64-bit count); when the table holds as many distinct n-grams as the memory
/// budget allows, its records are sorted and written to disk as a run and the table starts empty. `finish()`
/// merges the runs, adding the counts of n-grams seen in several. Memory is the vocabulary plus the table,
/// whatever the corpus size.
final class NGramCounter {
    let order: Int
    private(set) var vocabulary = Vocabulary()
    /// Tokens counted (words, not `</s>`) and sentences.
    private(set) var tokenCount = 0
    private(set) var sentenceCount = 0
    /// `<s>`, `</s>` and `<unk>` found in the text, skipped like whitespace (lmplz's `--skip_symbols`).
    private(set) var skippedSpecialTokens = 0

    private let records: NGramSorter
    private let width: Int
    /// Slot -> record index + 1 (0 = empty).
    private var slots: [Int32]
    private var slotMask: Int
    private var window: [UInt32]

    init(order: Int, memoryBytes: Int, directory: String) {
        precondition(order >= 1)
        self.order = order
        width = order + 2
        // One record in the arena, its sorted copy and permutation at spill time, and two 4-byte slots.
        let perEntry = NGramSorter.bytesPerRecord(words: order + 2) + 8
        records = NGramSorter(width: order + 2, keyLength: order, order: .suffix, sumCounts: true,
                                       memoryBytes: memoryBytes * NGramSorter.bytesPerRecord(words: order + 2) / perEntry,
                                       directory: directory, name: "counts")
        var capacity = 64
        while capacity < records.maximumRecordsInMemory * 2 { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        slotMask = capacity - 1
        window = [UInt32](repeating: 1, count: order)
        for special in ["<unk>", "<s>", "</s>"] { _ = vocabulary.insert(Array(special.utf8)) }
    }

    /// Runs written to disk so far.
    var runCount: Int { records.runPaths.count }

    /// Counts one sentence: its whitespace-separated tokens (`NGramScorer.forEachToken`), then `</s>`.
    func add(sentence: UnsafeBufferPointer<UInt8>) throws {
        for i in 0..<order { window[i] = 1 }  // <s>
        var failure: Error?
        NGramScorer.forEachToken(sentence) { token in
            guard failure == nil else { return }
            let (id, _) = vocabulary.insert(token)
            if id <= 2 {
                skippedSpecialTokens += 1
                return
            }
            tokenCount += 1
            do { try push(id) } catch { failure = error }
        }
        if let failure { throw failure }
        try push(2)
        sentenceCount += 1
    }

    @inline(__always)
    private func push(_ id: UInt32) throws {
        let n = order
        try window.withUnsafeMutableBufferPointer { w in
            var i = 0
            while i < n - 1 { w[i] = w[i + 1]; i += 1 }
            w[n - 1] = id
            try count(UnsafePointer(w.baseAddress!))
        }
    }

    /// Adds 1 to the count of the n-gram `ids` (`order` words).
    @inline(__always)
    private func count(_ ids: UnsafePointer<UInt32>) throws {
        var hash = NGramHash.start(ids[order - 1])
        var k = order - 2
        while k >= 0 { hash = NGramHash.extend(hash, ids[k]); k -= 1 }
        let width = self.width, n = order
        var i = Int(truncatingIfNeeded: hash) & slotMask
        let found: Bool = slots.withUnsafeMutableBufferPointer { slots in
            records.buffer.withUnsafeMutableBufferPointer { arena in
                while true {
                    let entry = Int(slots[i])
                    if entry == 0 { return false }
                    let record = arena.baseAddress! + (entry - 1) * width
                    if NGramRecordOrder.sameKey(record, ids, length: n) {
                        if record[n] == UInt32.max {
                            record[n] = 0
                            record[n + 1] &+= 1
                        } else {
                            record[n] &+= 1
                        }
                        return true
                    }
                    i = (i + 1) & slotMask
                }
            }
        }
        if found { return }
        let index = records.bufferedRecords
        records.buffer.append(contentsOf: UnsafeBufferPointer(start: ids, count: n))
        records.buffer.append(1)
        records.buffer.append(0)
        slots[i] = Int32(index + 1)
        if index + 1 >= records.maximumRecordsInMemory {
            try records.spill()
            for j in slots.indices { slots[j] = 0 }
        }
    }

    /// Ends counting: the distinct n-grams with their counts (`order` ids, count low word, count high word)
    /// in suffix order.
    func finish() throws -> NGramStream {
        slots = []
        return try records.finish()
    }
}
