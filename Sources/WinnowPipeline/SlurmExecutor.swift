import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Runs a pipeline on a Slurm cluster: for every document step and every phase of every whole-dataset step, in
/// pipeline order, one job array whose task `i` runs `winnow run P.yaml --step S [--phase P] --task-index i`, each
/// array depending on the ones submitted before it (`afterok`, `--kill-on-invalid-dep=yes`: a failed task cancels
/// what waits on it instead of leaving it pending forever). Only tasks without a completion marker are submitted,
/// so submitting again resumes; arrays are split to stay below the cluster's `MaxArraySize`.
///
/// Everything lives under `<output>/_slurm/`: the scripts (`<unit>.sh`), the task logs (`logs/<unit>/<task>.log`),
/// a marker per task whose last attempt failed (`failed/<unit>/<task>`, holding the exit code), and one line per
/// submitted array in `submissions.jsonl` (for `winnow status`).
public struct SlurmExecutor {
    public struct Options: Sendable {
        /// Tasks per step (`--task-count` for every task); nil: as the local executor decides, which needs the
        /// input files of every step to be known at submission.
        public var tasks: Int?
        /// Resources for every step; a step's `slurm:` YAML settings win.
        public var resources = ClusterResources()
        /// Largest array index + 1 the cluster accepts; nil: read `MaxArraySize` from `scontrol show config`.
        public var maxArraySize: Int?
        /// Attempts per task inside its job before it counts as failed (1: no retry).
        public var attempts = 1
        /// The `winnow` binary the jobs run (it must be reachable from the compute nodes, with its resources).
        public var binary: String
        /// Print the scripts and the sbatch commands instead of submitting.
        public var dryRun = false
        public var strict = false
        /// Submit only the tasks whose last attempt failed (`failed/<unit>/<task>`), not the rest of what is left.
        public var retryFailedOnly = false

        public init(binary: String) { self.binary = binary }
    }

    public let pipeline: PipelineConfiguration
    public let options: Options
    public let logger: Logger

    public init(pipeline: PipelineConfiguration, options: Options, logger: Logger) {
        self.pipeline = pipeline
        self.options = options
        self.logger = logger
    }

    /// One array's worth of work: a document step, or one phase of a whole-dataset step.
    struct Unit {
        var step: StepConfiguration
        var phase: String?
        var taskCount: Int
        var pending: [Int]
        var name: String { phase.map { "\(step.name).\($0)" } ?? step.name }
    }

    /// A submitted (or, in a dry run, planned) array.
    public struct Submission: Sendable {
        public var unit: String
        public var jobID: String
        public var tasks: [Int]
        public var offset: Int
    }

    var directory: String { absolutePath(pipeline.output) + "/_slurm" }

    /// Plans and submits the pending work. Returns the submissions, in order.
    @discardableResult
    public func submit() throws -> [Submission] {
        var units = try plan()
        if options.retryFailedOnly {
            for i in units.indices {
                units[i].pending = units[i].pending.filter { FileManager.default.fileExists(atPath: directory + "/failed/\(units[i].name)/\($0)") }
            }
            guard units.contains(where: { !$0.pending.isEmpty }) else {
                logger.info("no task has failed (no marker under \(directory)/failed); nothing to retry")
                return []
            }
        }
        guard units.contains(where: { !$0.pending.isEmpty }) else {
            logger.info("every task of every step is complete; nothing to submit")
            return []
        }
        let maxArray = try options.maxArraySize ?? Self.clusterMaxArraySize()
        guard maxArray >= 1 else { throw ExecutionError("MaxArraySize must be at least 1") }
        try makeDirectory(directory)
        var submissions: [Submission] = []
        var dependencies: [String] = []
        for unit in units where !unit.pending.isEmpty {
            var unitJobs: [String] = []
            // Array indices must stay below MaxArraySize: task t runs as index t - offset of its chunk.
            let chunks = Dictionary(grouping: unit.pending) { $0 / maxArray }.sorted { $0.key < $1.key }
            for (chunk, tasks) in chunks {
                let offset = chunk * maxArray
                let script = try writeScript(unit, offset: offset, suffix: chunks.count > 1 ? "-\(chunk)" : "")
                var arguments = ["--parsable", "--array=" + Self.arraySpec(tasks.map { $0 - offset })]
                if !dependencies.isEmpty {
                    arguments += ["--dependency=afterok:" + dependencies.joined(separator: ":"), "--kill-on-invalid-dep=yes"]
                }
                arguments.append(script)
                let jobID: String
                if options.dryRun {
                    jobID = "<\(unit.name)\(chunks.count > 1 ? "-\(chunk)" : "")>"
                    print("sbatch " + arguments.joined(separator: " "))
                    print(try String(contentsOfFile: script, encoding: .utf8))
                } else {
                    jobID = try Self.sbatch(arguments)
                    logger.info("\(unit.name): tasks \(Self.arraySpec(tasks)) submitted as job \(jobID)")
                }
                let submission = Submission(unit: unit.name, jobID: jobID, tasks: tasks, offset: offset)
                submissions.append(submission)
                unitJobs.append(jobID)
                if !options.dryRun { try record(submission) }
            }
            dependencies += unitJobs
        }
        if pipeline.report, !options.retryFailedOnly, !dependencies.isEmpty {
            // Returned (its id is printed with the others) but not recorded: it is no task of a step.
            submissions.append(try submitReport(after: dependencies))
        }
        return submissions
    }

    /// `report: true`: one more job, after every array, that writes `<output>/report.html` (`winnow report`).
    private func submitReport(after dependencies: [String]) throws -> Submission {
        let output = absolutePath(pipeline.output)
        let command = [options.binary, "report", output, "--pipeline", absolutePath(pipeline.file), "--output", output + "/report.html"]
        let lines = scriptHeader(name: "report", log: "\(directory)/logs/report.log", resources: options.resources)
            + ["# Written by `winnow run --executor slurm`: the pipeline's report, after every step.",
               command.map(shellQuote).joined(separator: " ")]
        let path = directory + "/report.sh"
        try makeDirectory(directory + "/logs")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        let arguments = ["--parsable", "--dependency=afterok:" + dependencies.joined(separator: ":"), "--kill-on-invalid-dep=yes", path]
        if options.dryRun {
            print("sbatch " + arguments.joined(separator: " "))
            print(try String(contentsOfFile: path, encoding: .utf8))
            return Submission(unit: "report", jobID: "<report>", tasks: [0], offset: 0)
        }
        let jobID = try Self.sbatch(arguments)
        logger.info("report: submitted as job \(jobID) (writes \(output)/report.html when every step is done)")
        return Submission(unit: "report", jobID: jobID, tasks: [0], offset: 0)
    }

    /// The units of the pipeline in order, with their task counts and the tasks not yet complete.
    func plan() throws -> [Unit] {
        var units: [Unit] = []
        var runOptions = RunOptions(workers: 1, taskCount: options.tasks, strict: options.strict)
        runOptions.progress = false
        for step in pipeline.steps {
            let executor = StepExecutor(pipeline: pipeline, step: step, options: runOptions, logger: logger)
            let taskCount: Int
            if let tasks = options.tasks {
                taskCount = tasks
            } else if step.input.tasks > 0 {
                taskCount = step.input.tasks
            } else if case .step(let earlier) = step.input.source,
                      !FileManager.default.fileExists(atPath: StepLayout(output: pipeline.output, step: earlier).mergedStats) {
                throw ExecutionError("""
                    step '\(step.name)' reads step '\(earlier)', whose output does not exist yet, so its task count is not known \
                    before submission: give --tasks N (or 'tasks:' in the step's input)
                    """)
            } else {
                taskCount = max(try executor.inputFiles().count, 1)
            }
            if let configured = step.datasetStep {
                for phase in configured.step.phases {
                    let count: Int
                    switch phase.tasks {
                    case .inputFiles: count = taskCount
                    case .fixed(let n): count = n
                    }
                    let layout = PhaseLayout(step: executor.layout, name: phase.name, writes: phase.writes, taskCount: count)
                    units.append(Unit(step: step, phase: phase.name, taskCount: count,
                                      pending: (0..<count).filter { !layout.isComplete(task: $0) }))
                }
            } else {
                units.append(Unit(step: step, phase: nil, taskCount: taskCount,
                                  pending: (0..<taskCount).filter { !executor.layout.isComplete(task: $0) }))
            }
        }
        return units
    }

    /// Writes `_slurm/<unit><suffix>.sh`: runs one task with retries, logs to `logs/<unit>/<task>.log`, leaves
    /// `failed/<unit>/<task>` with the exit code when the last attempt failed.
    func writeScript(_ unit: Unit, offset: Int, suffix: String) throws -> String {
        let resources = unit.step.cluster.over(options.resources)
        let output = absolutePath(pipeline.output)
        var lines = scriptHeader(name: unit.name, log: "\(directory)/logs/\(unit.name)/slurm-%A_%a.out", resources: resources)
        var command = [options.binary, "run", absolutePath(pipeline.file), "--output", output, "--step", unit.step.name]
        if let phase = unit.phase { command += ["--phase", phase] }
        command += ["--task-index", "\"$TASK\""]
        if let tasks = options.tasks { command += ["--task-count", "\(tasks)"] }
        command += ["--workers", "\(resources.cpusPerTask ?? 1)", "--quiet"]
        if options.strict { command.append("--strict") }
        lines += [
            "# Written by `winnow run --executor slurm`: task TASK of \(unit.name) (\(unit.taskCount) tasks).",
            "TASK=$(( SLURM_ARRAY_TASK_ID + \(offset) ))",
            "LOG=\(shellQuote(directory))/logs/\(unit.name)/$TASK.log",
            "FAILED=\(shellQuote(directory))/failed/\(unit.name)/$TASK",
            "mkdir -p \"$(dirname \"$LOG\")\" \"$(dirname \"$FAILED\")\"",
            "exec >>\"$LOG\" 2>&1",
            "status=1",
            "for attempt in $(seq 1 \(max(1, options.attempts))); do",
            "  echo \"$(date -u +%FT%TZ) job $SLURM_JOB_ID on $(hostname): \(unit.name) task $TASK, attempt $attempt\"",
            "  " + command.map { $0 == "\"$TASK\"" ? $0 : shellQuote($0) }.joined(separator: " "),
            "  status=$?",
            "  if [ $status -eq 0 ]; then rm -f \"$FAILED\"; exit 0; fi",
            "  echo \"attempt $attempt failed with exit code $status\"",
            "done",
            "echo $status > \"$FAILED\"",
            "exit $status",
        ]
        let path = directory + "/\(unit.name)\(suffix).sh"
        try makeDirectory(directory + "/logs/" + unit.name)  // sbatch opens --output before the script runs
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private func record(_ submission: Submission) throws {
        var o = JSONObject()
        o["unit"] = .string(submission.unit)
        o["job_id"] = .string(submission.jobID)
        o["offset"] = .number(JSONNumber(submission.offset))
        o["tasks"] = .array(submission.tasks.map { .number(JSONNumber($0)) })
        o["submitted"] = .string(ISO8601DateFormatter().string(from: Date()))
        let line = JSONWriter.string(.object(o)) + "\n"
        let path = directory + "/submissions.jsonl"
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try handle.close()
        } else {
            try line.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// The `#!` line and `#SBATCH` directives every script starts with: job name, directory, Slurm's own log, and
    /// the resources given.
    func scriptHeader(name: String, log: String, resources: ClusterResources) -> [String] {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=winnow-\(pipeline.name)-\(name)",
                     "#SBATCH --chdir=\(FileManager.default.currentDirectoryPath)",
                     "#SBATCH --output=\(log)"]
        if let p = resources.partition { lines.append("#SBATCH --partition=\(p)") }
        if let c = resources.cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(c)") }
        if let m = resources.memory { lines.append("#SBATCH --mem=\(m)") }
        if let t = resources.time { lines.append("#SBATCH --time=\(t)") }
        for a in resources.sbatchArguments { lines.append("#SBATCH \(a)") }
        return lines
    }

    /// Runs `sbatch --parsable ...` and returns the job id it answers (`id` or `id;cluster`), which must be a number.
    static func sbatch(_ arguments: [String]) throws -> String {
        let out = try command("sbatch", arguments)
        let jobID = String(out.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !jobID.isEmpty, jobID.allSatisfy(\.isNumber) else { throw ExecutionError("sbatch answered '\(out)', not a job id") }
        return jobID
    }

    /// `0-3,5,7-9` for sbatch's `--array`.
    static func arraySpec(_ indices: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = indices.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// The cluster's `MaxArraySize` (Slurm's default is 1001).
    static func clusterMaxArraySize() throws -> Int {
        let config = try command("scontrol", ["show", "config"])
        for line in config.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            if let value = line.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { return value }
        }
        return 1001
    }

    /// Runs a Slurm command; its standard output, or an error with its standard error.
    static func command(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw ExecutionError("cannot run \(name): \(error.localizedDescription) (is Slurm installed on this machine?)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ExecutionError("\(name) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// `path` made absolute against the current directory (a job runs elsewhere).
func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// Single-quotes a word for bash.
func shellQuote(_ word: String) -> String {
    if !word.isEmpty, word.utf8.allSatisfy({ PipelineLoader.isNameByte($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "=") }) {
        return word
    }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
