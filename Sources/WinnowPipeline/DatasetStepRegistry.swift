import WinnowCore
import WinnowDedup
import WinnowShards
import WinnowTokenizer

/// The whole-dataset steps a pipeline YAML can name after `run:` (the `DatasetStep` protocol is in WinnowCore;
/// each capability module implements its own). A new capability module adds its steps here.
public enum DatasetStepRegistry {
    public static let all: [any DatasetStep.Type] = [TokenizerTrainingStep.self, TokenizeStep.self,
                                                    MinHashDedupStep.self, ExactDedupStep.self, URLDedupStep.self,
                                                    SentenceDedupStep.self, LineDedupStep.self, DedupIndexStep.self]

    public static func lookup(_ name: String) -> (any DatasetStep.Type)? {
        all.first { $0.stepName == name }
    }
}

/// A `run:` entry of a step, validated.
public struct ConfiguredDatasetStep: Sendable {
    public var type: String
    public var step: any DatasetStep
}
