import CXXHash
import WinnowCore

/// `run: {exact_dedup: {...}}` and `winnow dedup exact`: one document per identical text, by a 64-bit xxh3
/// hash of the raw text or, with `normalize: true`, of the text after datatrove's `simplify_text` (case,
/// punctuation, whitespace, digits and accents ignored). Same phases as MinHash (`hashes`, `buckets`,
/// `clusters`, `filter`); parameters `normalize` (false), `keep` (first | longest | none), `annotate`
/// (adds `exact_cluster_id`, `exact_cluster_size`), `memory`. Empty texts take no part.
public struct ExactDedupStep: DatasetStep {
    public static let stepName = "exact_dedup"
    public static let summary = "remove documents whose (optionally normalized) text is identical to another's"

    let dedup: DedupPhases

    /// The parameter that decides the hash (shared with `dedup_index --method exact`).
    static let normalizeParameter = ParameterDeclaration.bool("normalize", default: false,
                                                              "hash the text after datatrove's simplify_text (case, punctuation, digits, accents ignored)")

    public static let parameters: [ParameterDeclaration] = [normalizeParameter] + DedupOptions.declarations + [DedupOptions.againstDeclaration]

    /// What decides the hash (an index must have been built with the same).
    static func indexSignature(normalize: Bool) -> String { "exact xxh3-64 normalize=\(normalize)" }

    public static func make(parameters p: StageParameters) throws -> ExactDedupStep {
        try p.validate(against: parameters)
        let normalize = try p.bool("normalize")
        var options = try DedupOptions.read(p, keyCount: 1)
        options.against = try DedupIndex.openAll(p, method: "exact", signature: indexSignature(normalize: normalize))
        try p.finish()
        return ExactDedupStep(normalize: normalize, options: options)
    }

    init(normalize: Bool, options: DedupOptions) {
        dedup = DedupPhases(method: DedupMethod(stage: "exact", keysPhase: "hashes", keyCount: 1, makeKeyer: {
            let simplifier = DedupTextSimplifier()
            var simplified: [UInt8] = []
            return { document, keys in
                if normalize {
                    document.text.withUnsafeBufferPointer { simplifier.simplify($0, into: &simplified) }
                    guard !simplified.isEmpty else { return nil }
                    keys.keys[0] = simplified.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
                } else {
                    guard !document.text.isEmpty else { return nil }
                    keys.keys[0] = document.text.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
                }
                return UInt64(document.text.count)
            }
        }), options: options)
    }

    public var phases: [DatasetPhase] { dedup.phases }
}
