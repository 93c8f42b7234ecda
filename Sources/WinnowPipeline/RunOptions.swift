/// How to run a pipeline: choices made on the command line rather than in the YAML.
public struct RunOptions: Sendable {
    /// Worker threads; each runs one task at a time.
    public var workers: Int
    /// Only this step (all steps when nil).
    public var step: String?
    /// Only this phase of a whole-dataset step (with `step`).
    public var phase: String?
    /// Only this task of the step, or of the phase (a cluster array job runs one task per job).
    public var taskIndex: Int?
    /// Overrides the step's task count.
    public var taskCount: Int?
    /// Stop at the first input problem instead of counting it and going on.
    public var strict: Bool
    /// Show progress: redrawn in place on a terminal, or as a log line every `progressLogInterval`.
    public var progress: Bool
    /// When set, progress is a plain line every this many seconds (stderr is a log file, not a terminal).
    public var progressLogInterval: Double? = nil
    /// Log at most this many problems of each reason per task (all are counted and kept in `problems/`).
    public var problemLogLimit: Int
    /// When an input changed since the run that wrote the step (size or modification time), redo the tasks
    /// that read it instead of refusing to go on.
    public var rerunChanged = false

    public init(workers: Int = 1, step: String? = nil, phase: String? = nil, taskIndex: Int? = nil, taskCount: Int? = nil,
                strict: Bool = false, progress: Bool = false, problemLogLimit: Int = 10) {
        self.workers = workers
        self.step = step
        self.phase = phase
        self.taskIndex = taskIndex
        self.taskCount = taskCount
        self.strict = strict
        self.progress = progress
        self.problemLogLimit = problemLogLimit
    }
}
