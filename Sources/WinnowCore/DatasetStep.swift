/// A whole-dataset step: work that must see every document before it can write anything (tokenizer training,
/// dedup clustering, token sharding). It is an ordered list of **phases**; a phase is a set of independent tasks
/// that hand over to the next phase through files. In YAML a whole-dataset step replaces `stages:` by `run:`:
///
/// ```yaml
/// - name: tokenizer
///   input: {step: quality}
///   run:
///     train_tokenizer: {vocab_size: 32000, pattern: llama3}
/// ```
///
/// Each capability module implements its own steps; the pipeline's executors (local, cluster) run the phases in
/// order, the tasks of one phase in parallel, with the resume contract of document steps: a task writes into a
/// scratch directory, its files are moved into place, and its completion marker is written last.
public protocol DatasetStep: Sendable {
    /// The name used after `run:`.
    static var stepName: String { get }
    /// One-line description for `winnow stages`.
    static var summary: String { get }
    /// Every parameter the step accepts, declared once (YAML validation, defaults, `winnow stages NAME`, docs);
    /// `make` validates against it with `StageParameters.validate(against:)`.
    static var parameters: [ParameterDeclaration] { get }
    /// Validates the parameters (unknown keys are errors, with their YAML line).
    static func make(parameters: StageParameters) throws -> Self
    /// The phases, in the order they run. Names are directory names under the step's directory and must be
    /// unique; the task count of each must be known before the step runs (a cluster submits arrays up front).
    var phases: [DatasetPhase] { get }
}

/// One phase of a whole-dataset step: a set of tasks, each running `run` with its own `PhaseContext`.
///
/// A task writes only through its context: files under the phase's directory (`<step>/<phase>/`), named after the
/// task (`context.taskFile(...)`), and, when the phase declares them in `writes`, files in step-level directories
/// such as `output/` (a single-task phase may name those files freely) or documents through `context.write`.
public struct DatasetPhase: Sendable {
    /// How many tasks a phase has.
    public enum Tasks: Sendable, Equatable {
        /// One task per slice of the step's input files, as a document step splits them (the step's `tasks:` or
        /// `--task-count`, else one task per file). Only such tasks can read the input with `forEachDocument`.
        case inputFiles
        /// A fixed number, from the step's parameters (for example one task per bucket range).
        case fixed(Int)
    }

    public var name: String
    public var tasks: Tasks
    /// Step-level directories (besides `<phase>/`) the phase's tasks write into, such as `output`; `documents`
    /// and `excluded` when the phase writes documents. Two phases of a step never write the same directory.
    public var writes: [String]
    /// Runs one task and returns its stats (named after the phase; the executor adds a `read` row when the task
    /// read input documents).
    public var run: @Sendable (any PhaseContext) throws -> StageStats

    public init(name: String, tasks: Tasks, writes: [String] = [],
                run: @escaping @Sendable (any PhaseContext) throws -> StageStats) {
        self.name = name
        self.tasks = tasks
        self.writes = writes
        self.run = run
    }
}

/// Where a document stands in the step's input: the index of its file in the step's input file list and its
/// ordinal among the documents read from that file. The same for any number of tasks or workers, so it orders
/// documents deterministically (for example, the kept member of a duplicate cluster is the smallest position).
public struct DocumentPosition: Sendable, Hashable, Comparable {
    public var file: Int
    public var record: Int

    public init(file: Int, record: Int) {
        self.file = file
        self.record = record
    }

    public static func < (a: DocumentPosition, b: DocumentPosition) -> Bool {
        (a.file, a.record) < (b.file, b.record)
    }
}

/// What one task of a phase sees: its index, its input, and where it may write. Implemented by the executor.
public protocol PhaseContext: AnyObject {
    /// This task's index, `0..<taskCount`.
    var task: Int { get }
    var taskCount: Int { get }
    /// The worker threads the run may use; a task may use them when it is the only task of its phase.
    var workers: Int { get }
    /// The step's directory, where earlier phases' results are (`<step>/<phase>/...`), read-only.
    var stepDirectory: String { get }

    /// Calls `body` with each input document of this task, in file order, with its position. Input problems
    /// (malformed records, unreadable files) are recorded and counted, and reading goes on.
    func forEachDocument(_ body: (Document, DocumentPosition) throws -> Void) throws

    /// The scratch path of a file this task writes: `relativeDirectory` is under the step's directory (the
    /// phase's own directory or one the phase declared in `writes`); the file is named after the task plus
    /// `suffix` (for example `taskFile(in: "signatures/band-03", suffix: ".bin")` gives `.../00007.bin`). The
    /// directory is created. The file moves into place when the task completes.
    func taskFile(in relativeDirectory: String, suffix: String) throws -> String

    /// The scratch path of a file with a free name in a step-level directory the phase declared in `writes`;
    /// only for a phase with one task. The directory is created.
    func outputFile(in relativeDirectory: String, name: String) throws -> String

    /// The regular files directly in `<step>/<relativeDirectory>`, sorted by name, written by completed tasks of
    /// earlier phases.
    func files(in relativeDirectory: String) throws -> [String]

    /// Writes a kept document to the step's `documents/` (the phase must declare `documents`).
    func write(_ document: Document) throws
    /// As `write`, for the document `forEachDocument` is visiting, unchanged (call it from inside `body`):
    /// the output is the same, but the executor may copy the input line when it is exactly what `write`
    /// would write, instead of encoding the document again.
    func writeUnchanged(_ document: Document) throws
    /// Writes a rejected document to `excluded/<stage>/` with `filter` and `filter_reason` (the phase must
    /// declare `excluded`).
    func exclude(_ document: Document, stage: String, reason: String) throws

    /// Records an input problem (counted, logged, kept in the phase's `problems/`).
    func record(_ problem: InputProblem) throws
}

extension PhaseContext {
    public func writeUnchanged(_ document: Document) throws { try write(document) }
}
