import CMinHash
import CXXHash
import WinnowWordRules

/// What a MinHash signature is computed from, and how; the defaults are datatrove 0.10.1's `MinhashConfig`.
public struct MinHashConfiguration: Sendable, Equatable {
    /// Word n-grams (datatrove) or character n-grams (NeMo Curator uses 24 characters).
    public enum Shingle: String, Sendable, CaseIterable { case word, character }
    /// The shingle hash: xxHash (xxh64, or xxh32 for 32-bit precision) or the first bytes of SHA-1.
    public enum HashFunction: String, Sendable, CaseIterable { case xxhash, sha1 }

    public var shingle: Shingle = .word
    /// Words (or characters) per shingle.
    public var ngramSize = 5
    public var bands = 14
    public var rowsPerBand = 8
    /// 64 or 32 bits per shingle hash and per signature value.
    public var precision = 64
    public var hashFunction: HashFunction = .xxhash
    /// The numpy seed of the permutation parameters.
    public var seed: UInt32 = 1

    public init() {}

    public var permutations: Int { bands * rowsPerBand }
}

/// Computes datatrove-exact MinHash signatures: `simplify_text`, datatrove's English (spaCy rules) word
/// tokenizer (through `SimplifiedTextWordSplitter`'s fast path), n-grams joined by one space, each hashed, then for each of `bands x rows` permutations
/// `min over shingles of ((h * a + b) mod 2^64) mod (2^61 - 1)` (the multiplication wraps at 64 bits as in
/// numpy), masked to 32 bits before the minimum at 32-bit precision. One instance per task: it keeps scratch buffers.
public final class MinHasher {
    public static let mersennePrime: UInt64 = (1 << 61) - 1

    public let configuration: MinHashConfiguration
    /// The permutation parameters, as numpy's `RandomState(seed)` draws them for datatrove.
    public let a: [UInt64]
    public let b: [UInt64]

    private let simplifier = DedupTextSimplifier()
    private let tokenizer = SimplifiedTextWordSplitter()
    private var simplified: [UInt8] = []
    private var tokens: [TokenSpan] = []
    private var shingle: [UInt8] = []
    private var characterStarts: [Int] = []
    private var hashes: [UInt64] = []
    private var wordBounds: [Int64] = []
    private var joined: [UInt8] = []

    public init(configuration: MinHashConfiguration) {
        self.configuration = configuration
        (a, b) = Self.permutationParameters(count: configuration.permutations, seed: configuration.seed)
    }

    /// `np.random.RandomState(seed)`: `a = randint(1, p, size)`, then `b = randint(0, p, size)`.
    public static func permutationParameters(count: Int, seed: UInt32) -> ([UInt64], [UInt64]) {
        var random = LegacyNumpyRandom(seed: seed)
        let a = (0..<count).map { _ in random.uint64(low: 1, high: mersennePrime) }
        let b = (0..<count).map { _ in random.uint64(low: 0, high: mersennePrime) }
        return (a, b)
    }

    /// The hash of one shingle's bytes.
    @inline(__always)
    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        switch (configuration.hashFunction, configuration.precision) {
        case (.xxhash, 32): return UInt64(XXH32(bytes.baseAddress, bytes.count, 0))
        case (.xxhash, _): return XXH64(bytes.baseAddress, bytes.count, 0)
        case (.sha1, 32): return SHA1Digest.prefix64(bytes) & 0xFFFF_FFFF
        case (.sha1, _): return SHA1Digest.prefix64(bytes)
        }
    }

    /// Calls `body` with the bytes of each shingle of `text`, in order (none when the text is shorter than one
    /// n-gram). The simplified text is left in `lastSimplified`.
    public func forEachShingle(_ text: [UInt8], _ body: (UnsafeRawBufferPointer) -> Void) {
        // The scratch buffers move into locals for the loop: no exclusivity checks on class properties per access.
        var simplified = self.simplified, tokens = self.tokens, shingle = self.shingle, characterStarts = self.characterStarts
        self.simplified = []; self.tokens = []; self.shingle = []; self.characterStarts = []
        defer {
            self.simplified = simplified; self.tokens = tokens; self.shingle = shingle; self.characterStarts = characterStarts
        }
        text.withUnsafeBufferPointer { simplifier.simplify($0, into: &simplified) }
        let n = configuration.ngramSize
        let tokenizer = self.tokenizer
        simplified.withUnsafeBufferPointer { s in
            guard let p = s.baseAddress else { return }
            switch configuration.shingle {
            case .word:
                tokens.removeAll(keepingCapacity: true)
                tokenizer.tokenize(p, s.count, into: &tokens)
                guard tokens.count >= n else { return }
                // A shingle is its words joined by one space: when the words are one space apart in the
                // simplified text (almost always), that is the slice from the first word's start to the last
                // word's end, hashed in place. `split` counts the other gaps (none, or several spaces) in the window.
                let bytes = UnsafeRawBufferPointer(s)
                @inline(__always) func oneSpaceApart(_ k: Int) -> Bool { tokens[k + 1].start == tokens[k].end + 1 }
                var split = 0
                for k in 0..<(n - 1) where !oneSpaceApart(k) { split += 1 }
                for first in 0...(tokens.count - n) {
                    if first > 0 {
                        if !oneSpaceApart(first - 1) { split -= 1 }
                        if !oneSpaceApart(first + n - 2) { split += 1 }
                    }
                    if split == 0 {
                        body(UnsafeRawBufferPointer(rebasing: bytes[tokens[first].start..<tokens[first + n - 1].end]))
                        continue
                    }
                    shingle.removeAll(keepingCapacity: true)
                    for k in first..<(first + n) {
                        if k > first { shingle.append(0x20) }
                        shingle.append(contentsOf: UnsafeBufferPointer(rebasing: s[tokens[k].start..<tokens[k].end]))
                    }
                    shingle.withUnsafeBytes { body($0) }
                }
            case .character:
                characterStarts.removeAll(keepingCapacity: true)
                for i in 0..<s.count where s[i] & 0xC0 != 0x80 { characterStarts.append(i) }
                guard characterStarts.count >= n else { return }
                characterStarts.append(s.count)
                for first in 0...(characterStarts.count - 1 - n) {
                    body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(s)[characterStarts[first]..<characterStarts[first + n]]))
                }
            }
        }
    }

    /// The simplified text of the last `forEachShingle` or `signature` call.
    public var lastSimplified: [UInt8] { simplified }

    /// The shingle hashes of `text`, in order (with repeats).
    public func shingleHashes(_ text: [UInt8]) -> [UInt64] {
        var hashes: [UInt64] = []
        forEachShingle(text) { hashes.append(hash($0)) }
        return hashes
    }

    /// Writes the signature of `text` (`bands x rows` values, band-major) into `signature`; returns false (and
    /// leaves it unspecified) when the text has no shingle.
    public func signature(_ text: [UInt8], into signature: inout [UInt64]) -> Bool {
        var unused: [UInt64] = []
        return self.signature(text, into: &signature, shingles: &unused, collectShingles: false)
    }

    /// `signature(_:into:)`, also appending each shingle's hash to `shingles` when `collectShingles` (for the
    /// exact Jaccard check of candidate pairs).
    public func signature(_ text: [UInt8], into signature: inout [UInt64], shingles: inout [UInt64], collectShingles: Bool) -> Bool {
        let count = configuration.permutations
        if signature.count != count { signature = [UInt64](repeating: 0, count: count) }
        for i in 0..<count { signature[i] = UInt64.max }
        // The shingle hashes first, then the permutations over all of them at once (CMinHash's kernel keeps a
        // block of running minima in registers while it walks the hashes).
        var hashes = self.hashes
        self.hashes = []
        defer { self.hashes = hashes }
        if configuration.shingle == .word && configuration.hashFunction == .xxhash {
            wordShingleHashes(text, into: &hashes)
        } else {
            hashes.removeAll(keepingCapacity: true)
            forEachShingle(text) { hashes.append(hash($0)) }
        }
        guard !hashes.isEmpty else { return false }
        if collectShingles { shingles.append(contentsOf: hashes) }
        Self.updateMinima(hashes, a: a, b: b, mask: configuration.precision == 32 ? 0xFFFF_FFFF : .max, into: &signature)
        return true
    }

    /// `shingleHashes(text)` for word shingles and xxHash, in CMinHash: the words' bounds from the splitter's
    /// fast path, then the n-grams hashed in one call (`winnow_word_shingle_hashes`, xxHash inlined) instead of
    /// one closure call per shingle. `hashes` is replaced.
    func wordShingleHashes(_ text: [UInt8], into hashes: inout [UInt64]) {
        var simplified = self.simplified, bounds = self.wordBounds, joined = self.joined
        self.simplified = []; self.wordBounds = []; self.joined = []
        defer { self.simplified = simplified; self.wordBounds = bounds; self.joined = joined }
        text.withUnsafeBufferPointer { simplifier.simplify($0, into: &simplified) }
        let n = configuration.ngramSize
        let words = simplified.withUnsafeBufferPointer { s in
            s.baseAddress.map { tokenizer.wordBounds($0, s.count, into: &bounds) } ?? 0
        }
        let count = words >= n ? words - n + 1 : 0
        hashes.removeAll(keepingCapacity: true)
        hashes.append(contentsOf: repeatElement(0, count: count))
        guard count > 0 else { return }
        if joined.count < simplified.count + n { joined = [UInt8](repeating: 0, count: simplified.count + n) }
        let bits: Int32 = configuration.precision == 32 ? 32 : 64
        simplified.withUnsafeBufferPointer { s in
            bounds.withUnsafeBufferPointer { b in
                joined.withUnsafeMutableBufferPointer { j in
                    hashes.withUnsafeMutableBufferPointer { h in
                        _ = winnow_word_shingle_hashes(s.baseAddress, b.baseAddress, words, n, bits, j.baseAddress, h.baseAddress)
                    }
                }
            }
        }
    }

    /// For each permutation i, `minima[i] = min(minima[i], min over hashes of ((h * a[i] + b[i]) mod 2^64)
    /// mod (2^61 - 1) & mask)`: the multiplication wraps at 64 bits as in numpy. `minima` holds `UInt64.max`
    /// or earlier values of this function.
    static func updateMinima(_ hashes: [UInt64], a: [UInt64], b: [UInt64], mask: UInt64, into minima: inout [UInt64]) {
        precondition(a.count == minima.count && b.count == minima.count)
        hashes.withUnsafeBufferPointer { h in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    minima.withUnsafeMutableBufferPointer { m in
                        winnow_minhash_update(h.baseAddress, h.count, a.baseAddress, b.baseAddress, m.baseAddress, m.count, mask)
                    }
                }
            }
        }
    }
}

/// The paths of CMinHash's permutation kernel, for tests and measurements: every path gives the same minima.
enum MinHashKernel: Int32, CaseIterable, Sendable {
    case scalar = 1, avx2 = 2, avx512 = 3

    /// The path in use (the CPU's best unless forced, or named by WINNOW_MINHASH_KERNEL).
    static var current: MinHashKernel { MinHashKernel(rawValue: winnow_minhash_path()) ?? .scalar }

    /// Forces `kernel`, or restores the CPU's best with nil; false when this CPU lacks it.
    @discardableResult static func force(_ kernel: MinHashKernel?) -> Bool {
        winnow_minhash_force_path(kernel?.rawValue ?? 0) == 0
    }
}
