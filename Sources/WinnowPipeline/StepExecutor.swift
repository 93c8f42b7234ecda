import Dispatch
import Foundation
import Logging
import Synchronization
import WinnowCore
import WinnowIO

/// Runs the tasks of one step on a pool of worker threads, skipping tasks whose completion marker exists,
/// and merges the task stats into `stats.json` once every task is complete.
///
/// Tasks are the unit of work: input files are dealt to tasks round-robin (file j goes to task
/// j mod taskCount), each task writes only files named after itself, so the output does not depend on the
/// number of workers or on the order in which tasks finish.
public struct StepExecutor: Sendable {
    public let pipeline: PipelineConfiguration
    public let step: StepConfiguration
    public let options: RunOptions
    public let logger: Logger

    public init(pipeline: PipelineConfiguration, step: StepConfiguration, options: RunOptions, logger: Logger) {
        self.pipeline = pipeline
        self.step = step
        self.options = options
        self.logger = logger
    }

    public var layout: StepLayout { StepLayout(output: pipeline.output, step: step.name) }

    /// The input files of the step, in task-assignment order; with `warn`, files left out are logged.
    public func inputFiles(warn: Bool = false) throws -> [String] {
        switch step.input.source {
        case .paths(let patterns):
            let listing = try InputFiles.expand(patterns, location: step.input.pathsLocation ?? step.location, output: pipeline.output)
            // Parquet files split into row-group units when `row_groups_per_task` is set (docs/parquet.md).
            let files = ParquetRowGroupUnits.expand(listing.files, perTask: step.input.options.rowGroupsPerTask)
            if !warn { return files }
            if listing.insideOutput > 0 {
                logger.warning("step '\(step.name)': left out \(listing.insideOutput) files inside the run's own output directory \(pipeline.output)")
            }
            if !listing.ignored.isEmpty {
                logger.warning("step '\(step.name)': ignored \(listing.ignored.count) files in input directories that are not JSONL, WARC or WET: \(InputFiles.ignoredSummary(listing.ignored))")
            }
            return files
        case .step(let earlier):
            let earlierLayout = StepLayout(output: pipeline.output, step: earlier)
            guard FileManager.default.fileExists(atPath: earlierLayout.mergedStats) else {
                throw ExecutionError("step '\(step.name)' reads step '\(earlier)', which has not completed (no \(earlierLayout.mergedStats))")
            }
            return (try? InputFiles.listDirectory(earlierLayout.documents)) ?? []
        }
    }

    /// Runs the pending tasks. Returns true when the whole step is complete.
    @discardableResult
    public func run() throws -> Bool {
        let files = try inputFiles(warn: true)
        let taskCount = options.taskCount ?? (step.input.tasks > 0 ? step.input.tasks : max(files.count, 1))
        if files.isEmpty { logger.warning("step '\(step.name)': no input files") }
        if let configured = step.datasetStep {
            return try PhasedStepExecutor(executor: self, configured: configured).run(files: files, inputTaskCount: taskCount)
        }
        if let phase = options.phase {
            throw ExecutionError("step '\(step.name)' is a document step: it has no phases (--phase \(phase))")
        }
        try makeDirectory(layout.completed)
        layout.removeScratchFiles()
        try checkManifest(files: files, taskCount: taskCount) { changed in
            // Incomplete first, then cleaned: an interruption in between leaves the task to be redone.
            try? FileManager.default.removeItem(atPath: layout.mergedStats)
            for task in 0..<taskCount where stride(from: task, to: files.count, by: taskCount).contains(where: { changed.contains(files[$0]) }) {
                try? FileManager.default.removeItem(atPath: layout.completionMarker(task))
                try layout.clean(task: task)
            }
        }

        let selected = try selectedTasks(options.taskIndex, taskCount: taskCount, of: "step '\(step.name)'")
        let pending = selected.filter { !layout.isComplete(task: $0) }
        if pending.count < selected.count {
            logger.info("step '\(step.name)': \(selected.count - pending.count) of \(selected.count) tasks already complete, skipping them")
        }
        let assignment: @Sendable (Int) -> [String] = { task in stride(from: task, to: files.count, by: taskCount).map { files[$0] } }

        let counters = ProgressCounters()
        let totalBytes = pending.flatMap(assignment).reduce(0) { $0 + fileSize($1) }
        let progressLine = options.progress ? ProgressLine(counters: counters, step: step.name, totalTasks: pending.count, totalInputBytes: totalBytes, logInterval: options.progressLogInterval) : nil
        progressLine?.start()

        let runner = self
        let failure = runTasks(pending, workers: options.workers) { task in
            // Another run into the same directory may hold the task: it is left to that run.
            switch try TaskLock.acquire(path: runner.layout.lock(task: task)) {
            case .failure(let held):
                runner.logger.warning("step '\(runner.step.name)': task \(task) is being run by \(held.holder) (\(runner.layout.lock(task: task))); leaving it to that run")
            case .success(let lock):
                defer { lock.release() }
                guard !runner.layout.isComplete(task: task) else { return }  // finished meanwhile by another run
                runner.logger.debug("step '\(runner.step.name)': task \(task): running")
                try TaskRunner(step: runner.step, layout: runner.layout, task: task, files: assignment(task),
                               options: runner.options, progress: counters, logger: runner.logger).run()
            }
        }
        progressLine?.stop()

        if let failure {
            throw ExecutionError("step '\(step.name)', task \(failure.task): \(failure.error)")
        }
        let complete = (0..<taskCount).allSatisfy { layout.isComplete(task: $0) }
        if complete {
            removeLocks(layout.locks)
            try mergeStats(taskCount: taskCount)
            removeIfEmpty(layout.temporary)
        }
        return complete
    }

    /// Refuses to resume into a directory written by a different configuration or input list.
    /// A whole-dataset step also pins its phases and their task counts.
    /// Records the step's configuration, task count and inputs in `step.json`, or checks a rerun against it.
    ///
    /// Inputs inside the run's output directory (an earlier step's documents) are recorded relative to the
    /// step directory, other inputs as absolute paths, so that the same run resumes under another spelling of
    /// its output path or after the whole directory moved. Each input's size and modification time are
    /// recorded too: when one changed, the rerun refuses, naming the file, or with `--rerun-changed` (document
    /// steps) hands the inputs that changed to `redo`, which makes their tasks incomplete, and then records the
    /// new sizes and times.
    func checkManifest(files: [String], taskCount: Int, phases: [(name: String, tasks: Int)] = [],
                       redo: (Set<String>) throws -> Void = { _ in }) throws {
        var manifest = JSONObject()
        manifest["step"] = .string(step.name)
        manifest["configuration"] = .string(step.fingerprint)
        manifest["task_count"] = .number(JSONNumber(taskCount))
        if !phases.isEmpty {
            manifest["phases"] = .array(phases.map { .array([.string($0.name), .number(JSONNumber($0.tasks))]) })
        }
        let recorded = files.map { recordedPath($0) }
        manifest["input_files"] = .array(recorded.map { .string($0) })
        var identity = manifest
        let versions = files.map(InputVersion.init(path:))
        manifest["input_versions"] = .array(versions.map(\.json))
        let text = JSONWriter.prettyString(.object(manifest))
        guard let existing = FileManager.default.contents(atPath: layout.manifest) else {
            try writeAtomically(text, to: layout.manifest, scratch: layout.temporary)
            return
        }
        guard var previous = (try? JSONParser.parse(Array(existing)))?.objectValue else {
            throw ExecutionError("\(layout.manifest) is not a step record Winnow wrote; delete \(layout.root) or choose another output directory")
        }
        let previousVersions = previous["input_versions"]?.arrayValue ?? []
        previous["input_versions"] = nil
        identity["input_versions"] = nil
        guard JSONWriter.prettyString(.object(previous)) == JSONWriter.prettyString(.object(identity)) else {
            throw ExecutionError("""
                \(layout.root) holds a run with a different configuration, task count or input files; \
                delete it or choose another output directory
                """)
        }
        var changed: [String] = []
        for (index, version) in versions.enumerated() where index < previousVersions.count {
            if InputVersion(json: previousVersions[index]) != version { changed.append(files[index]) }
        }
        guard !changed.isEmpty else { return }
        let list = changed.prefix(3).joined(separator: ", ") + (changed.count > 3 ? " and \(changed.count - 3) more" : "")
        if !phases.isEmpty {
            throw ExecutionError("""
                step '\(step.name)': \(changed.count) input files changed since \(layout.root) was written: \(list). \
                A whole-dataset step is redone as a whole: delete \(layout.root) and run again
                """)
        }
        guard options.rerunChanged else {
            throw ExecutionError("""
                step '\(step.name)': \(changed.count) input file\(changed.count == 1 ? "" : "s") changed since \(layout.root) was written \
                (size or modification time): \(list). Rerun with --rerun-changed to redo the tasks that read \
                \(changed.count == 1 ? "it" : "them"), or delete \(layout.root) to start over
                """)
        }
        logger.warning("step '\(step.name)': \(changed.count) input files changed (\(list)): redoing the tasks that read them")
        try redo(Set(changed))
        try writeAtomically(text, to: layout.manifest, scratch: layout.temporary)
    }

    /// How `step.json` names an input: relative to the step directory inside the run's output, else absolute.
    func recordedPath(_ file: String) -> String {
        let absolute = Self.absolute(file)
        let output = Self.absolute(pipeline.output) + "/"
        guard absolute.hasPrefix(output) else { return absolute }
        return "../" + absolute.dropFirst(output.count)
    }

    /// `path` made absolute against the working directory, with `.`, `..` and repeated slashes resolved.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Adds up the per-task stats of every task into `stats.json`.
    public func mergeStats(taskCount: Int) throws {
        let (merged, seconds) = try mergeTaskStats(directory: layout.stats, taskCount: taskCount)
        var o = JSONObject()
        o["step"] = .string(step.name)
        o["tasks"] = .number(JSONNumber(taskCount))
        o["task_seconds"] = .number(JSONNumber((seconds * 1000).rounded() / 1000))
        o["stages"] = .array(merged.map(\.json))
        try writeAtomically(JSONWriter.prettyString(.object(o)), to: layout.mergedStats, scratch: layout.temporary)
    }
}
