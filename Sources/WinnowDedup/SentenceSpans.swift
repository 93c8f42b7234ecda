import CXXHash
import WinnowWordRules

/// The span hashes of `sentence_dedup`, as datatrove's `SentenceDedupSignature` computes them: each sentence
/// is simplified (`simplify_text`), each window of `sentences` consecutive simplified sentences is joined by
/// single spaces and hashed with xxh64 (seed 0); windows whose sentences all simplify to nothing are skipped.
/// Trailing whitespace-only sentences (spaCy makes one of a final line break) are not counted, as datatrove's
/// `sent_tokenize` drops them. One per task: it keeps scratch buffers.
final class SpanHasher {
    let sentences: Int
    private let simplifier = DedupTextSimplifier()
    private var simplified: [UInt8] = []
    private var all: [UInt8] = []
    private var offsets: [Int] = []
    private var joined: [UInt8] = []

    init(sentences: Int) { self.sentences = sentences }

    /// Calls `body(index of the window's first sentence, hash)` for each window of the sentences `spans` of `p`.
    func forEachSpan(_ p: UnsafePointer<UInt8>, _ spans: [(start: Int, end: Int)], _ body: (Int, UInt64) throws -> Void) rethrows {
        try forEachWindow(p, spans) { i, joined in try body(i, XXH64(joined.baseAddress, joined.count, 0)) }
    }

    /// The sentences that count: `spans` without trailing whitespace-only ones.
    private func countedSentences(_ p: UnsafePointer<UInt8>, _ spans: [(start: Int, end: Int)]) -> Int {
        var count = spans.count
        while count > 0 {
            let (a, b) = UTF8Scan.strip(p, spans[count - 1].start, spans[count - 1].end)
            if a < b { break }
            count -= 1
        }
        return count
    }

    /// Calls `body(index of the window's first sentence, the window's simplified sentences joined by spaces)`
    /// for each window that `forEachSpan` hashes, in order.
    func forEachWindow(_ p: UnsafePointer<UInt8>, _ spans: [(start: Int, end: Int)],
                       _ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        let count = countedSentences(p, spans)
        guard count >= sentences else { return }
        all.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        for s in spans[0..<count] {
            simplifier.simplify(UnsafeBufferPointer(start: p + s.start, count: s.end - s.start), into: &simplified)
            offsets.append(all.count)
            all.append(contentsOf: simplified)
        }
        offsets.append(all.count)
        for i in 0...(count - sentences) {
            guard offsets[i + sentences] > offsets[i] else { continue }  // every sentence simplified to nothing
            joined.removeAll(keepingCapacity: true)
            for k in i..<(i + sentences) {
                if k > i { joined.append(0x20) }
                joined.append(contentsOf: all[offsets[k]..<offsets[k + 1]])
            }
            try joined.withUnsafeBytes { try body(i, $0) }
        }
    }
}

/// Cuts duplicate spans out of a text as datatrove's `SentenceDedupFilter` does: a duplicate span starting at
/// sentence `i` removes sentences `i..<i+n`; each sentence carries the text since the previous sentence's end
/// (the whitespace before it), the kept pieces are concatenated (joined by line breaks for line splitting)
/// and leading whitespace is stripped.
struct SpanRemover {
    let sentences: Int

    /// `duplicates`: sorted indices of the first sentences of the duplicate spans.
    func remove(_ text: UnsafeBufferPointer<UInt8>, _ spans: [(start: Int, end: Int)], duplicates: [Int], joinLines: Bool) -> SpanRemoval {
        var kept: [UInt8] = []
        kept.reserveCapacity(text.count)
        var result = SpanRemoval(text: [], removed: [], removedUnits: 0, units: spans.count, rejection: nil)
        var current: [UInt8]? = nil
        var lastEnd = 0, d = 0, dropUntil = 0, keptPieces = 0
        func closeRemoved() {
            guard let c = current else { return }
            let (a, b) = c.withUnsafeBufferPointer { UTF8Scan.strip($0.baseAddress!, 0, $0.count) }
            result.removed.append(Array(c[a..<b]))
            current = nil
        }
        for (index, s) in spans.enumerated() {
            while d < duplicates.count && duplicates[d] <= index {
                if duplicates[d] == index { dropUntil = index + sentences }
                d += 1
            }
            let piece = UnsafeBufferPointer(rebasing: text[(joinLines ? s.start : lastEnd)..<s.end])
            if index >= dropUntil {
                closeRemoved()
                if joinLines && keptPieces > 0 { kept.append(0x0A) }
                kept.append(contentsOf: piece)
                keptPieces += 1
            } else {
                result.removedUnits += 1
                if current == nil { current = [] } else if joinLines { current!.append(0x0A) }
                current!.append(contentsOf: piece)
            }
            lastEnd = s.end
        }
        closeRemoved()
        // Python's lstrip().
        let start = kept.withUnsafeBufferPointer { b -> Int in
            guard let q = b.baseAddress else { return 0 }
            var i = 0
            while i < b.count { let n = UTF8Scan.spaceLength(q, i, b.count); if n == 0 { break }; i += n }
            return i
        }
        result.text = start == 0 ? kept : Array(kept[start...])
        return result
    }
}
