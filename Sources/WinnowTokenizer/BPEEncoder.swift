import WinnowText

/// Encodes bytes to token ids with tiktoken's semantics: split with the vocabulary's preset; a piece that is a
/// token is that token; otherwise its bytes merge pairwise, the adjacent pair whose concatenation is the
/// lowest-ranked token first (the leftmost among equals), until no adjacent pair is a token.
///
/// One encoder per worker: it owns scratch buffers (nothing is allocated per token) and a cache of recently
/// merged pieces. Pieces up to `heapThreshold` bytes merge with a linear scan; longer ones with a min-heap over a
/// linked list, so a 20 kB piece costs O(n log n), not O(n²). Special-token text in the input is ordinary text;
/// BOS/EOS are the caller's.
public final class BPEEncoder {
    public let vocabulary: BPEVocabulary
    private let preTokenizer: PreTokenizer
    private let normalizer: UnicodeNormalizer?
    private var cache: PieceCache
    /// Pieces longer than this merge on the heap path (the two paths give the same ids).
    var heapThreshold = 128

    // Scratch, grown on demand: `capacity` entries each, the heap 3 × `capacity` (a piece of n bytes pushes at most
    // n - 1 pairs at the start and 2 per merge, fewer than 3n in all).
    private var capacity = 0
    private var parts: UnsafeMutablePointer<UInt32>
    private var pairMerges: UnsafeMutablePointer<UInt64>
    private var next: UnsafeMutablePointer<Int32>
    private var previous: UnsafeMutablePointer<Int32>
    private var heap: UnsafeMutablePointer<UInt64>

    public init(vocabulary: BPEVocabulary, cacheSlots: Int = 8192) {
        self.vocabulary = vocabulary
        preTokenizer = PreTokenizer(pattern: vocabulary.pattern)
        normalizer = vocabulary.normalization.map { UnicodeNormalizer(form: $0) }
        cache = PieceCache(slots: cacheSlots)
        capacity = 256
        parts = .allocate(capacity: capacity)
        pairMerges = .allocate(capacity: capacity)
        next = .allocate(capacity: capacity)
        previous = .allocate(capacity: capacity)
        heap = .allocate(capacity: 3 * capacity)
    }

    deinit {
        parts.deallocate()
        pairMerges.deallocate()
        next.deallocate()
        previous.deallocate()
        heap.deallocate()
    }

    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        parts.deallocate(); pairMerges.deallocate(); next.deallocate(); previous.deallocate(); heap.deallocate()
        capacity = max(n, capacity * 2)
        parts = .allocate(capacity: capacity)
        pairMerges = .allocate(capacity: capacity)
        next = .allocate(capacity: capacity)
        previous = .allocate(capacity: capacity)
        heap = .allocate(capacity: 3 * capacity)
    }

    /// Appends the ids of `text` (any bytes; see `PreTokenizer` for ill-formed UTF-8) to `ids`, after the
    /// vocabulary's normalization if it has one.
    public func encode(_ text: UnsafeBufferPointer<UInt8>, into ids: inout [UInt32]) {
        if let normalizer, let normalized = normalizer.normalizeIfChanged(UnsafeRawBufferPointer(text)) {
            normalized.withUnsafeBufferPointer { encodeNormalized($0, into: &ids) }
        } else {
            encodeNormalized(text, into: &ids)
        }
    }

    private func encodeNormalized(_ text: UnsafeBufferPointer<UInt8>, into ids: inout [UInt32]) {
        guard let base = text.baseAddress else { return }
        preTokenizer.split(text) { range in
            encodePiece(base + range.lowerBound, range.count, into: &ids)
        }
    }

    public func encode(_ text: [UInt8], into ids: inout [UInt32]) {
        text.withUnsafeBufferPointer { encode($0, into: &ids) }
    }

    /// The ids of `text`.
    public func encode(_ text: [UInt8]) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(text.count / 3 + 8)
        encode(text, into: &ids)
        return ids
    }

    /// Appends the ids of one pre-token.
    @inline(__always)
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, into ids: inout [UInt32]) {
        if n == 1 {
            ids.append(vocabulary.byteIDs[Int(p[0])])
            return
        }
        let h = ByteStringTable.hash(p, n)
        if let id = vocabulary.pieces.find(p, n, h) {
            ids.append(id)
            return
        }
        if n <= PieceCache.maxKeyBytes, cache.appendCached(p, n, h, to: &ids) { return }
        let start = ids.count
        if n <= heapThreshold { mergeByScan(p, n, into: &ids) } else { mergeByHeap(p, n, into: &ids) }
        if n <= PieceCache.maxKeyBytes { cache.store(p, n, h, ids[start...]) }
    }

    /// Merges with a linear scan for the lowest-ranked pair: O(n · merges), fast for short pieces.
    func mergeByScan(_ p: UnsafePointer<UInt8>, _ n: Int, into ids: inout [UInt32]) {
        reserve(n)
        let pairs = vocabulary.pairs
        vocabulary.byteIDs.withUnsafeBufferPointer { byteIDs in
            for i in 0..<n { parts[i] = byteIDs[Int(p[i])] }
        }
        for i in 0..<(n - 1) { pairMerges[i] = pairs.merge(parts[i], parts[i + 1]) }
        var m = n
        while m > 1 {
            var best = PairTable.none
            var at = -1
            for i in 0..<(m - 1) where pairMerges[i] < best {
                best = pairMerges[i]
                at = i
            }
            if at < 0 { break }
            parts[at] = UInt32(truncatingIfNeeded: best)
            m -= 1
            // Drop part at+1 and the pair that started there; the pairs around `at` are recomputed.
            var j = at + 1
            while j < m {
                parts[j] = parts[j + 1]
                j += 1
            }
            j = at + 1
            while j < m - 1 {
                pairMerges[j] = pairMerges[j + 1]
                j += 1
            }
            if at > 0 { pairMerges[at - 1] = pairs.merge(parts[at - 1], parts[at]) }
            if at < m - 1 { pairMerges[at] = pairs.merge(parts[at], parts[at + 1]) }
        }
        ids.append(contentsOf: UnsafeBufferPointer(start: parts, count: m))
    }

    /// Merges with a min-heap of (rank, position) over a doubly linked list of parts: O(n log n). Stale heap
    /// entries (a part merged away, or a pair that changed) are skipped when popped.
    func mergeByHeap(_ p: UnsafePointer<UInt8>, _ n: Int, into ids: inout [UInt32]) {
        reserve(n)
        let pairs = vocabulary.pairs
        let dead = UInt32.max
        vocabulary.byteIDs.withUnsafeBufferPointer { byteIDs in
            for i in 0..<n {
                parts[i] = byteIDs[Int(p[i])]
                next[i] = i + 1 < n ? Int32(i + 1) : -1
                previous[i] = Int32(i - 1)
            }
        }
        var heapCount = 0
        func push(_ entry: UInt64) {
            assert(heapCount < 3 * capacity)
            var i = heapCount
            heapCount += 1
            while i > 0 {
                let parent = (i - 1) >> 1
                if heap[parent] <= entry { break }
                heap[i] = heap[parent]
                i = parent
            }
            heap[i] = entry
        }
        func pop() -> UInt64 {
            let top = heap[0]
            heapCount -= 1
            let last = heap[heapCount]
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= heapCount { break }
                if child + 1 < heapCount, heap[child + 1] < heap[child] { child += 1 }
                if last <= heap[child] { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = last
            return top
        }
        for i in 0..<(n - 1) {
            let merge = pairs.merge(parts[i], parts[i + 1])
            if merge != PairTable.none { push(merge & 0xFFFF_FFFF_0000_0000 | UInt64(i)) }
        }
        while heapCount > 0 {
            let entry = pop()
            let rank = entry >> 32
            let at = Int(entry & 0xFFFF_FFFF)
            let right = Int(next[at])
            guard parts[at] != dead, right >= 0 else { continue }
            let merge = pairs.merge(parts[at], parts[right])
            guard merge != PairTable.none, merge >> 32 == rank else { continue }
            parts[at] = UInt32(truncatingIfNeeded: merge)
            parts[right] = dead
            let after = next[right]
            next[at] = after
            if after >= 0 { previous[Int(after)] = Int32(at) }
            let before = Int(previous[at])
            if before >= 0 {
                let m = pairs.merge(parts[before], parts[at])
                if m != PairTable.none { push(m & 0xFFFF_FFFF_0000_0000 | UInt64(before)) }
            }
            if after >= 0 {
                let m = pairs.merge(parts[at], parts[Int(after)])
                if m != PairTable.none { push(m & 0xFFFF_FFFF_0000_0000 | UInt64(at)) }
            }
        }
        var i = 0
        while i >= 0 {
            ids.append(parts[i])
            i = Int(next[i])
        }
    }
}
