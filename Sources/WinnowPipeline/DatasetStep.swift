import WinnowCore
import WinnowIO

/// A whole-dataset step: it must see every document of its input before it can write anything (tokenizer
/// training; later dedup clustering and sharding). In YAML it replaces a step's `stages`:
///
/// ```yaml
/// - name: tokenizer
///   input: {step: quality}
///   run:
///     train_tokenizer: {vocab_size: 32000, pattern: llama3}
/// ```
///
/// It runs as one task: the executor feeds it the input documents in file order and it writes its results
/// under the step's `output/` directory; the completion marker and `stats.json` follow as for other steps.
public protocol DatasetStep: Sendable {
    /// The name used after `run:`.
    static var stepName: String { get }
    /// One-line description for `winnow stages`.
    static var summary: String { get }
    /// Every parameter the step accepts, declared once (YAML validation, defaults, `winnow stages NAME`, docs);
    /// `make` validates against it with `StageParameters.validate(against:)`.
    static var parameters: [ParameterDeclaration] { get }
    /// Validates the parameters (unknown keys are errors).
    static func make(parameters: StageParameters, workers: Int) throws -> Self
    /// Consumes every document (`documents` calls its argument once per document) and writes the results
    /// into `directory`. Returns the step's stats.
    func run(documents: ((Document) throws -> Void) throws -> Void, directory: String) throws -> StageStats
}

/// The whole-dataset steps a pipeline YAML can name after `run:`.
public enum DatasetStepRegistry {
    public static let all: [any DatasetStep.Type] = [TokenizerTrainingStep.self]

    public static func lookup(_ name: String) -> (any DatasetStep.Type)? {
        all.first { $0.stepName == name }
    }
}

/// A `run:` entry of a step, validated.
public struct ConfiguredDatasetStep: Sendable {
    public var type: String
    public var step: any DatasetStep
}
