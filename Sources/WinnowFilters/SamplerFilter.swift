import CXXHash
import WinnowCore

/// Keeps a deterministic random fraction of documents, chosen by a seeded xxh3 hash of the document id,
/// so that the same documents are kept in every run, whatever the number of workers.
///
/// YAML: `- sample: {rate: 0.1, seed: 0}`. Reason: `sampled_out`.
public struct SamplerFilter: DocumentStage, RegisteredStage, Sendable {
    public static let stageName = "sample"
    public static let summary = "keep a deterministic fraction of documents (hash of the id)"

    public var rate: Double
    public var seed: UInt64

    public init(rate: Double, seed: UInt64 = 0) {
        self.rate = rate
        self.seed = seed
    }

    public static let parameters: [ParameterDeclaration] = [
        .double("rate", default: 1, "the fraction of documents kept, between 0 and 1"),
        .int("seed", default: 0, "seed of the id hash: another seed keeps another sample"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let rate = try p.double("rate")
        guard rate >= 0, rate <= 1 else { throw p.error("rate", "rate must be between 0 and 1") }
        let seed = try p.int("seed")
        let stage = SamplerFilter(rate: rate, seed: UInt64(bitPattern: Int64(seed)))
        return StageFactory { stage }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        var id = document.id
        let hash = id.withUTF8 { XXH3_64bits_withSeed($0.baseAddress, $0.count, seed) }
        // The top 53 bits as a fraction in [0, 1).
        let unit = Double(hash >> 11) * 0x1p-53
        return unit < rate ? .keep : .exclude(reason: "sampled_out")
    }
}
