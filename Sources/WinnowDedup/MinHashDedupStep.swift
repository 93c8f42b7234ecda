import CXXHash
import WinnowCore

/// `run: {minhash_dedup: {...}}` and `winnow dedup minhash`: near-duplicate removal with datatrove-exact MinHash
/// signatures and LSH bands, in the four phases of `DedupPhases` (`signatures`, `buckets`, `clusters`,
/// `filter`). Documents sharing one band (all `rows` values equal) are duplicates; clusters are the
/// connected components, and one member stays (`keep`).
///
/// Parameters: see `parameters` (or `winnow stages minhash_dedup`) and docs/dedup.md.
public struct MinHashDedupStep: DatasetStep {
    public static let stepName = "minhash_dedup"
    public static let summary = "remove near-duplicate documents (MinHash LSH, datatrove-exact signatures)"

    public let configuration: MinHashConfiguration
    let dedup: DedupPhases

    public static let parameters: [ParameterDeclaration] = configurationParameters + [
        .double("jaccard_check", .absent("off"),
                "keep a candidate pair only when the exact Jaccard similarity of its shingle sets is at least this (removes MinHash false positives)"),
    ] + DedupOptions.declarations + [DedupOptions.againstDeclaration]

    /// The parameters that decide the signatures and bands (shared with `dedup_index --method minhash`).
    static let configurationParameters: [ParameterDeclaration] = [
        .int("ngram_size", default: 5, "words (or characters) per shingle"),
        .int("bands", default: 14, "LSH bands: documents sharing all rows of one band are candidates"),
        .int("rows", default: 8, "MinHash values per band"),
        .double("threshold", .absent("none: bands and rows as given"),
                "a Jaccard similarity; bands and rows are chosen for it as datasketch does (instead of bands, rows)"),
        .int("permutations", default: 112, "with threshold: the largest bands x rows to choose from"),
        .int("precision", default: 64, "bits of each MinHash value: 64 or 32"),
        .choice("hash", ["xxhash", "sha1"], default: "xxhash", "the shingle hash (datatrove's default is xxhash)"),
        .choice("shingle", ["word", "character"], default: "word", "word n-grams (datatrove) or character n-grams (NeMo Curator)"),
        .int("seed", default: 1, "the permutation parameters' seed (datatrove's default: 1)"),
    ]

    public static func make(parameters p: StageParameters) throws -> MinHashDedupStep {
        try p.validate(against: parameters)
        let c = try readConfiguration(p)
        var options = try DedupOptions.read(p, keyCount: c.bands)
        if p.has("jaccard_check") {
            let j = try p.optionalDouble("jaccard_check") ?? 0
            guard j > 0 && j <= 1 else { throw p.error("jaccard_check", "jaccard_check must be above 0 and at most 1") }
            options.jaccardCheck = j
        }
        options.against = try DedupIndex.openAll(p, method: "minhash", signature: c.indexSignature)
        try p.finish()
        return MinHashDedupStep(configuration: c, options: options)
    }

    /// Reads `configurationParameters`.
    static func readConfiguration(_ p: StageParameters) throws -> MinHashConfiguration {
        var c = MinHashConfiguration()
        c.ngramSize = try p.int("ngram_size")
        guard c.ngramSize >= 1 else { throw p.error("ngram_size", "ngram_size must be 1 or more") }
        if p.has("threshold") {
            if p.has("bands") || p.has("rows") { throw p.error("threshold", "give either threshold or bands and rows, not both") }
            let t = try p.optionalDouble("threshold") ?? 0.8
            guard t > 0 && t < 1 else { throw p.error("threshold", "threshold must be between 0 and 1") }
            let permutations = try p.int("permutations")
            guard permutations >= 1 && permutations <= 1024 else { throw p.error("permutations", "permutations must be 1...1024") }
            (c.bands, c.rowsPerBand) = LSHParameters.optimal(threshold: t, permutations: permutations)
        } else {
            c.bands = try p.int("bands")
            c.rowsPerBand = try p.int("rows")
            guard c.bands >= 1, c.rowsPerBand >= 1, c.bands * c.rowsPerBand <= 1024 else {
                throw p.error("bands", "bands and rows must be 1 or more, with bands x rows at most 1024")
            }
        }
        c.precision = try p.int("precision")
        guard c.precision == 32 || c.precision == 64 else { throw p.error("precision", "precision must be 32 or 64") }
        c.hashFunction = MinHashConfiguration.HashFunction(rawValue: try p.choice("hash"))!
        c.shingle = MinHashConfiguration.Shingle(rawValue: try p.choice("shingle"))!
        let seed = try p.int("seed")
        guard seed >= 0 && seed <= Int(UInt32.max) else { throw p.error("seed", "seed must be 0...4294967295") }
        c.seed = UInt32(seed)
        return c
    }

    init(configuration: MinHashConfiguration, options: DedupOptions) {
        self.configuration = configuration
        let c = configuration
        dedup = DedupPhases(method: DedupMethod(stage: "minhash", keysPhase: "signatures", keyCount: c.bands, makeKeyer: {
            let hasher = MinHasher(configuration: c)
            var signature: [UInt64] = []
            return { document, keys in
                let collect = keys.shingles != nil
                var shingles = keys.shingles ?? []
                keys.shingles = nil
                defer { if collect { keys.shingles = shingles } }
                shingles.removeAll(keepingCapacity: true)
                guard hasher.signature(document.text, into: &signature, shingles: &shingles, collectShingles: collect) else { return nil }
                signature.withUnsafeBytes { raw in
                    let bandBytes = c.rowsPerBand * 8
                    for band in 0..<c.bands {
                        keys.keys[band] = XXH3_64bits(raw.baseAddress! + band * bandBytes, bandBytes)
                    }
                }
                return UInt64(document.text.count)
            }
        }), options: options)
    }

    public var phases: [DatasetPhase] { dedup.phases }
}
