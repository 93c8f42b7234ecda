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
        if step.datasetStep != nil { return try runDatasetStep(files: files) }
        let taskCount = options.taskCount ?? (step.input.tasks > 0 ? step.input.tasks : max(files.count, 1))
        if files.isEmpty { logger.warning("step '\(step.name)': no input files") }
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

        let next = Atomic<Int>(0)
        let failures = Mutex<[(Int, Error)]>([])
        let workers = max(1, min(options.workers, pending.count))
        let runner = self
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                if !failures.withLock({ $0.isEmpty }) { return }
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < pending.count else { return }
                let task = pending[i]
                do {
                    try TaskRunner(step: runner.step, layout: runner.layout, task: task, files: assignment(task),
                                   options: runner.options, progress: counters, logger: runner.logger).run()
                } catch {
                    failures.withLock { $0.append((task, error)) }
                }
            }
        }
        progressLine?.stop()

        if let (task, error) = failures.withLock({ $0.min { $0.0 < $1.0 } }) {
            throw ExecutionError("step '\(step.name)', task \(task): \(error)")
        }
        let complete = (0..<taskCount).allSatisfy { layout.isComplete(task: $0) }
        if complete {
            try mergeStats(taskCount: taskCount)
            try? FileManager.default.removeItem(atPath: layout.temporary)  // empty by now
        }
        return complete
    }

    /// A whole-dataset step: one task reading every input file in order; its results go to `output/`, written
    /// into the scratch directory first and moved into place before the completion marker.
    private func runDatasetStep(files: [String]) throws -> Bool {
        guard let configured = step.datasetStep else { return false }
        try makeDirectory(layout.completed)
        layout.removeScratchFiles()
        try checkManifest(files: files, taskCount: 1)
        if let index = options.taskIndex, index != 0 {
            throw ExecutionError("step '\(step.name)' is a whole-dataset step: its only task is 0")
        }
        if layout.isComplete(task: 0) {
            logger.info("step '\(step.name)': already complete, skipping it")
            return true
        }
        let scratch = layout.temporary(task: 0)
        try? FileManager.default.removeItem(atPath: scratch)
        try makeDirectory(scratch + "/output")
        var problems = ProblemLog(path: scratch + "/problems/" + StepLayout.taskName(0) + ".jsonl", task: 0,
                                  logLimit: options.problemLogLimit, strict: options.strict, logger: logger)
        var readStats = StageStats(name: "read")
        let started = Date()
        let format = step.input.format, readerOptions = step.input.options
        var documentsRead = 0, bytesRead = 0
        var stats: StageStats
        do {
            stats = try configured.step.run(documents: { emit in
                for file in files {
                    do {
                        try format.resolve(path: file).reader(options: readerOptions).read(
                            file: file, stats: &readStats, problem: { try problems.record($0) }) { document in
                            documentsRead += 1
                            bytesRead += document.text.count
                            try emit(document)
                        }
                    } catch let error as StreamError {
                        // The file could not be opened or read at all: recorded, and the step goes on.
                        try problems.record(InputProblem(file: file, offset: 0, reason: error.problemReason, detail: error.description))
                    }
                    readStats.bytesIn += fileSize(file)  // input files as stored, as for document steps
                }
            }, directory: scratch + "/output")
        } catch let problem as StrictModeStop {
            throw ExecutionError("strict mode: \(problem.problem)")
        }
        readStats.documentsOut = documentsRead
        readStats.bytesOut = bytesRead
        try problems.close()
        for (reason, n) in problems.counts { readStats.count("problem:" + reason, n) }
        let seconds = Date().timeIntervalSince(started)
        stats.seconds = seconds
        stats.documentsOut = stats.documentsIn
        stats.bytesOut = stats.bytesIn
        // Results into place, then stats, then the marker.
        try? FileManager.default.removeItem(atPath: layout.output)
        try moveReplacing(scratch + "/output", to: layout.output)
        if FileManager.default.fileExists(atPath: scratch + "/problems") {
            try makeDirectory(layout.problems)
            let name = StepLayout.taskName(0) + ".jsonl"
            try moveReplacing(scratch + "/problems/" + name, to: layout.problems + "/" + name)
        }
        var o = JSONObject()
        o["step"] = .string(step.name)
        o["run"] = .string(configured.type)
        o["tasks"] = 1
        o["task_seconds"] = .number(JSONNumber((seconds * 1000).rounded() / 1000))
        o["stages"] = .array([readStats.json, stats.json])
        try writeAtomically(JSONWriter.prettyString(.object(o)), to: layout.mergedStats, scratch: layout.temporary)
        try createMarker(layout.completionMarker(0))
        try? FileManager.default.removeItem(atPath: scratch)
        return true
    }

    /// Refuses to resume into a directory written by a different configuration or input list.
    private func checkManifest(files: [String], taskCount: Int) throws {
        var manifest = JSONObject()
        manifest["step"] = .string(step.name)
        manifest["configuration"] = .string(step.fingerprint)
        manifest["task_count"] = .number(JSONNumber(taskCount))
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
        var merged: [StageStats] = []
        var seconds = 0.0
        for task in 0..<taskCount {
            let path = layout.stats + "/" + StepLayout.taskName(task) + ".json"
            guard let data = FileManager.default.contents(atPath: path),
                  let value = try? JSONParser.parse(Array(data)),
                  let stages = value.objectValue?["stages"]?.arrayValue else {
                throw ExecutionError("missing or unreadable task stats \(path)")
            }
            seconds += value.objectValue?["seconds"]?.doubleValue ?? 0
            for (i, s) in stages.enumerated() {
                guard let stats = StageStats(json: s) else { continue }
                if i < merged.count { merged[i].merge(stats) } else { merged.append(stats) }
            }
        }
        var o = JSONObject()
        o["step"] = .string(step.name)
        o["tasks"] = .number(JSONNumber(taskCount))
        o["task_seconds"] = .number(JSONNumber((seconds * 1000).rounded() / 1000))
        o["stages"] = .array(merged.map(\.json))
        try writeAtomically(JSONWriter.prettyString(.object(o)), to: layout.mergedStats, scratch: layout.temporary)
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
