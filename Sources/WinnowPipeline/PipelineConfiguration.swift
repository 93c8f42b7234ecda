import WinnowCore
import WinnowIO

/// A pipeline as written in a YAML file: an output directory and steps that run one after another.
/// Each step writes its results under `<output>/<step name>/`; a later step reads an earlier one's
/// `documents/` through `input: {step: NAME}`. That directory is the whole handoff between steps.
public struct PipelineConfiguration: Sendable {
    public var name: String
    public var file: String
    public var output: String
    public var steps: [StepConfiguration]
    /// `report: true`: write `<output>/report.html` (`winnow report`) when a run completes all steps.
    public var report = false
}

/// One step: read its input, run per-document stages, write the kept documents.
public struct StepConfiguration: Sendable {
    public var name: String
    /// `file:line` of the step in the YAML.
    public var location: String
    public var input: InputConfiguration
    public var stages: [ConfiguredStage]
    /// A whole-dataset step (`run:`) instead of stages; it writes into `<step>/output/`.
    public var datasetStep: ConfiguredDatasetStep? = nil
    public var writer: WriterConfiguration
    /// What a cluster job running this step's tasks asks for (`slurm:` in the YAML).
    public var cluster = ClusterResources()
    /// A canonical text of everything that determines the step's output; a rerun into the same
    /// directory must have the same fingerprint, or resuming would mix two configurations.
    public var fingerprint: String
}

/// Where a step's documents come from.
public struct InputConfiguration: Sendable {
    public enum Source: Sendable, Equatable {
        /// Files, directories and glob patterns.
        case paths([String])
        /// The `documents/` output of an earlier step.
        case step(String)
    }

    public var source: Source
    public var format: InputFormat
    public var options: ReaderOptions
    /// Number of tasks the input files are split into; 0 means one task per file.
    public var tasks: Int
    /// `file:line` of the `paths:` entry, where errors about missing inputs point.
    public var pathsLocation: String? = nil
}

/// A stage in a step, with its validated factory.
public struct ConfiguredStage: Sendable {
    /// The stage's name in outputs and stats: its type, with `_2`, `_3`... for repeats.
    public var name: String
    public var type: String
    public var location: String
    public var factory: StageFactory
}

/// How a step writes documents.
public struct WriterConfiguration: Sendable {
    public var compression: Compression
    public var level: Int?
    public var maxFileBytes: Int
    public var maxDocuments: Int
    /// Keep rejected documents in `excluded/<stage>/`.
    public var writeExcluded: Bool
    /// `format: parquet`: write Parquet with these settings (nil: JSONL).
    public var parquet: ParquetWriterSettings? = nil
}

/// Resources a cluster job asks for; nil fields are left to the cluster's defaults (or the command line's).
public struct ClusterResources: Sendable, Equatable {
    public var partition: String?
    public var cpusPerTask: Int?
    /// Memory per node, as sbatch's `--mem` takes it (`8G`).
    public var memory: String?
    /// Time limit, as sbatch's `--time` takes it (`2:00:00`).
    public var time: String?
    public var sbatchArguments: [String] = []

    public init() {}

    /// These settings, with `other`'s where these have none (the step's YAML wins over the command line).
    public func over(_ other: ClusterResources) -> ClusterResources {
        var r = self
        r.partition = partition ?? other.partition
        r.cpusPerTask = cpusPerTask ?? other.cpusPerTask
        r.memory = memory ?? other.memory
        r.time = time ?? other.time
        r.sbatchArguments = other.sbatchArguments + sbatchArguments
        return r
    }
}
