import CXXHash

/// `sentence_dedup`'s `near_duplicates` settings: MinHash LSH over the character n-grams of each span.
struct NearSpanConfiguration: Sendable {
    /// Character shingles (`near_char_ngram`), `near_bands` x `near_rows`, datatrove's shingle hash and seed.
    var minHash: MinHashConfiguration

    init() {
        minHash = MinHashConfiguration()
        minHash.shingle = .character
        minHash.ngramSize = 5
    }
}

/// The keys of one span (window of n sentences) with `near_duplicates`: its exact hash (the hash of plain
/// `sentence_dedup`, lowest bit cleared) and one key per LSH band of the MinHash signature of its simplified
/// text (xxh3 of the band's rows, seeded with the band's number, lowest bit set). Two spans sharing any key
/// are candidates; the dups phase (`RepeatPolicy.keepFirstNear`) removes every span that shares a key with an
/// earlier one, except the overlapping windows of the earlier one's own document. One per task: it keeps
/// scratch buffers.
final class NearSpanKeys {
    let configuration: NearSpanConfiguration
    private let hasher: MinHasher
    private var text: [UInt8] = []
    private var signature: [UInt64] = []

    init(configuration: NearSpanConfiguration) {
        self.configuration = configuration
        hasher = MinHasher(configuration: configuration.minHash)
    }

    /// Whether a key is a band key (else the exact hash).
    static func isBandKey(_ key: UInt64) -> Bool { key & 1 == 1 }

    /// Calls `body` with the keys of the span whose simplified sentences, joined by spaces, are `joined`: the
    /// exact key, then the band keys (none when the span is shorter than one shingle).
    func forEachKey(_ joined: UnsafeRawBufferPointer, _ body: (UInt64) throws -> Void) rethrows {
        try body(XXH64(joined.baseAddress, joined.count, 0) & ~1)
        text.removeAll(keepingCapacity: true)
        text.append(contentsOf: joined)
        guard hasher.signature(text, into: &signature) else { return }
        let rows = configuration.minHash.rowsPerBand
        try signature.withUnsafeBytes { raw in
            for band in 0..<configuration.minHash.bands {
                try body(XXH3_64bits_withSeed(raw.baseAddress! + band * rows * 8, rows * 8, UInt64(band + 1)) | 1)
            }
        }
    }
}
