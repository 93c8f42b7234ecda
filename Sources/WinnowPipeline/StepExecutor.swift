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

    /// The input files of the step, in task-assignment order.
    public func inputFiles() throws -> [String] {
        switch step.input.source {
        case .paths(let patterns):
            let listing = try InputFiles.expand(patterns, location: step.input.pathsLocation ?? step.location)
            if !listing.ignored.isEmpty {
                logger.warning("step '\(step.name)': ignored \(listing.ignored.count) files in input directories that are not JSONL, WARC or WET: \(InputFiles.ignoredSummary(listing.ignored))")
            }
            return listing.files
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
        let files = try inputFiles()
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
        try checkManifest(files: files, taskCount: taskCount)

        let selected: [Int]
        if let index = options.taskIndex {
            guard index >= 0, index < taskCount else {
                throw ExecutionError("--task-index \(index) is outside 0..<\(taskCount)")
            }
            selected = [index]
        } else {
            selected = Array(0..<taskCount)
        }
        let pending = selected.filter { !layout.isComplete(task: $0) }
        if pending.count < selected.count {
            logger.info("step '\(step.name)': \(selected.count - pending.count) of \(selected.count) tasks already complete, skipping them")
        }
        let assignment: @Sendable (Int) -> [String] = { task in stride(from: task, to: files.count, by: taskCount).map { files[$0] } }

        let counters = ProgressCounters()
        let totalBytes = pending.flatMap(assignment).reduce(0) { $0 + fileSize($1) }
        let progressLine = options.progress ? ProgressLine(counters: counters, step: step.name, totalTasks: pending.count, totalInputBytes: totalBytes) : nil
        progressLine?.start()

        let runner = self
        let failure = runTasks(pending, workers: options.workers) { task in
            try TaskRunner(step: runner.step, layout: runner.layout, task: task, files: assignment(task),
                           options: runner.options, progress: counters, logger: runner.logger).run()
        }
        progressLine?.stop()

        if let failure {
            throw ExecutionError("step '\(step.name)', task \(failure.task): \(failure.error)")
        }
        let complete = (0..<taskCount).allSatisfy { layout.isComplete(task: $0) }
        if complete {
            try mergeStats(taskCount: taskCount)
            try? FileManager.default.removeItem(atPath: layout.temporary)  // empty by now
        }
        return complete
    }

    /// Refuses to resume into a directory written by a different configuration or input list.
    /// A whole-dataset step also pins its phases and their task counts.
    func checkManifest(files: [String], taskCount: Int, phases: [(name: String, tasks: Int)] = []) throws {
        var manifest = JSONObject()
        manifest["step"] = .string(step.name)
        manifest["configuration"] = .string(step.fingerprint)
        manifest["task_count"] = .number(JSONNumber(taskCount))
        if !phases.isEmpty {
            manifest["phases"] = .array(phases.map { .array([.string($0.name), .number(JSONNumber($0.tasks))]) })
        }
        manifest["input_files"] = .array(files.map { .string($0) })
        let text = JSONWriter.prettyString(.object(manifest))
        if let existing = FileManager.default.contents(atPath: layout.manifest) {
            guard String(decoding: existing, as: UTF8.self) == text else {
                throw ExecutionError("""
                    \(layout.root) holds a run with a different configuration, task count or input files; \
                    delete it or choose another output directory
                    """)
            }
            return
        }
        try writeAtomically(text, to: layout.manifest, scratch: layout.temporary)
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
