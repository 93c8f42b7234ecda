import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Runs a whole-dataset step: its phases in order, the tasks of each phase on the worker pool, skipping tasks
/// whose completion marker exists. A phase starts only when every task of the phase before it is complete, since
/// it reads their files. When the last phase completes, the phases' stats are merged into the step's
/// `stats.json`, which marks the step complete for the steps that read it.
///
/// With `--phase P` only that phase runs (and with `--task-index I` only that task), as a cluster array job
/// does; the phases before it must be complete.
struct PhasedStepExecutor {
    let executor: StepExecutor
    let configured: ConfiguredDatasetStep

    var step: StepConfiguration { executor.step }
    var options: RunOptions { executor.options }
    var logger: Logger { executor.logger }
    var layout: StepLayout { executor.layout }

    /// Step-level names a phase cannot take: they hold the step's own files.
    static let reservedNames: Set<String> = ["documents", "excluded", "problems", "stats", "completed", "output", "_tmp", "locks", "step.json", "stats.json"]

    func run(files: [String], inputTaskCount: Int) throws -> Bool {
        let phases = configured.step.phases
        try Self.validate(phases, step: step.name)
        try makeDirectory(layout.root)
        layout.removeScratchFiles()
        try executor.checkManifest(files: files, taskCount: inputTaskCount,
                                   phases: phases.map { ($0.name, taskCount(of: $0, inputTaskCount: inputTaskCount)) })

        var selected = Array(phases.indices)
        if let only = options.phase {
            guard let index = phases.firstIndex(where: { $0.name == only }) else {
                throw ExecutionError("step '\(step.name)' has no phase '\(only)' (phases: \(phases.map(\.name).joined(separator: ", ")))")
            }
            selected = [index]
        } else if options.taskIndex != nil {
            throw ExecutionError("""
                step '\(step.name)' is a whole-dataset step with phases \(phases.map(\.name).joined(separator: ", ")): \
                --task-index needs --phase
                """)
        }

        for index in selected {
            let phase = phases[index]
            let phaseLayout = self.phaseLayout(phase, inputTaskCount: inputTaskCount)
            for earlier in phases[..<index] {
                let earlierLayout = self.phaseLayout(earlier, inputTaskCount: inputTaskCount)
                guard earlierLayout.isComplete else {
                    throw ExecutionError("""
                        step '\(step.name)', phase '\(phase.name)' reads phase '\(earlier.name)', which is not complete \
                        (\(earlierLayout.completedTasks) of \(earlierLayout.taskCount) tasks); run that phase first
                        """)
                }
            }
            guard try run(phase, layout: phaseLayout, files: files, inputTaskCount: inputTaskCount) else { return false }
        }
        let layouts = phases.map { phaseLayout($0, inputTaskCount: inputTaskCount) }
        guard layouts.allSatisfy(\.isComplete) else { return false }
        try writeStepStats(layouts)
        removeIfEmpty(layout.temporary)
        return true
    }

    /// Runs the pending tasks of one phase. Returns true when the phase is complete.
    private func run(_ phase: DatasetPhase, layout phaseLayout: PhaseLayout, files: [String], inputTaskCount: Int) throws -> Bool {
        let taskCount = phaseLayout.taskCount
        try makeDirectory(phaseLayout.completed)
        phaseLayout.removeScratchFiles()
        let selected = try selectedTasks(options.taskIndex, taskCount: taskCount, of: "phase '\(phase.name)' of step '\(step.name)'")
        let pending = selected.filter { !phaseLayout.isComplete(task: $0) }
        if pending.isEmpty {
            logger.info("step '\(step.name)', phase '\(phase.name)': already complete, skipping it")
        } else {
            if pending.count < selected.count {
                logger.info("step '\(step.name)', phase '\(phase.name)': \(selected.count - pending.count) of \(selected.count) tasks already complete, skipping them")
            }
            logger.info("step '\(step.name)', phase '\(phase.name)': \(pending.count) task\(pending.count == 1 ? "" : "s")")
            let reads = phase.tasks == .inputFiles
            let assignment: @Sendable (Int) -> [(index: Int, path: String)] = { task in
                guard reads else { return [] }
                return stride(from: task, to: files.count, by: taskCount).map { (index: $0, path: files[$0]) }
            }
            let counters = ProgressCounters()
            let totalBytes = reads ? pending.flatMap(assignment).reduce(0) { $0 + fileSize($1.path) } : 0
            let progressLine = options.progress
                ? ProgressLine(counters: counters, step: "\(step.name)/\(phase.name)", totalTasks: pending.count, totalInputBytes: totalBytes,
                               logInterval: options.progressLogInterval)
                : nil
            progressLine?.start()
            // A phase of one task gets every worker (the task may use threads); otherwise one each.
            let workersPerTask = taskCount == 1 ? options.workers : 1
            let (step, options, logger, locks) = (self.step, self.options, self.logger, layout.locks + "/" + phase.name)
            let failure = runTasks(pending, workers: options.workers) { task in
                // Another run into the same directory may hold the task: it is left to that run (see TaskLock).
                let lockPath = locks + "/" + StepLayout.taskName(task)
                switch try TaskLock.acquire(path: lockPath) {
                case .failure(let held):
                    logger.warning("step '\(step.name)', phase '\(phase.name)': task \(task) is being run by \(held.holder) (\(lockPath)); leaving it to that run")
                case .success(let lock):
                    defer { lock.release() }
                    guard !phaseLayout.isComplete(task: task) else { return }
                    try PhaseTaskRunner(step: step, phase: phase, layout: phaseLayout, task: task, files: assignment(task),
                                        workers: workersPerTask, options: options, progress: counters, logger: logger).run()
                }
            }
            progressLine?.stop()
            if let failure {
                throw ExecutionError("step '\(step.name)', phase '\(phase.name)', task \(failure.task): \(failure.error)")
            }
        }
        guard phaseLayout.isComplete else { return false }
        removeLocks(layout.locks + "/" + phase.name)
        rmdir(layout.locks)
        if !FileManager.default.fileExists(atPath: phaseLayout.mergedStats) {
            let (stages, seconds) = try mergeTaskStats(directory: phaseLayout.stats, taskCount: taskCount)
            var o = JSONObject()
            o["step"] = .string(step.name)
            o["phase"] = .string(phase.name)
            o["tasks"] = .number(JSONNumber(taskCount))
            o["task_seconds"] = .number(JSONNumber((seconds * 1000).rounded() / 1000))
            o["stages"] = .array(stages.map(\.json))
            try writeAtomically(JSONWriter.prettyString(.object(o)), to: phaseLayout.mergedStats, scratch: phaseLayout.temporary)
        }
        removeIfEmpty(phaseLayout.temporary)
        return true
    }

    /// The step's `stats.json`: every phase's merged rows in phase order (`stages`), and per phase its task count.
    private func writeStepStats(_ layouts: [PhaseLayout]) throws {
        var rows: [JSONValue] = []
        var phases: [JSONValue] = []
        var seconds = 0.0
        for phaseLayout in layouts {
            guard let data = FileManager.default.contents(atPath: phaseLayout.mergedStats),
                  let value = try? JSONParser.parse(Array(data)), let o = value.objectValue else {
                throw ExecutionError("missing or unreadable phase stats \(phaseLayout.mergedStats)")
            }
            rows += o["stages"]?.arrayValue ?? []
            seconds += o["task_seconds"]?.doubleValue ?? 0
            var p = JSONObject()
            p["phase"] = .string(phaseLayout.name)
            p["tasks"] = .number(JSONNumber(phaseLayout.taskCount))
            p["task_seconds"] = o["task_seconds"] ?? 0
            phases.append(.object(p))
        }
        var o = JSONObject()
        o["step"] = .string(step.name)
        o["run"] = .string(configured.type)
        o["tasks"] = .number(JSONNumber(layouts.map(\.taskCount).max() ?? 1))
        o["task_seconds"] = .number(JSONNumber((seconds * 1000).rounded() / 1000))
        o["phases"] = .array(phases)
        o["stages"] = .array(rows)
        try writeAtomically(JSONWriter.prettyString(.object(o)), to: layout.mergedStats, scratch: layout.temporary)
    }

    func taskCount(of phase: DatasetPhase, inputTaskCount: Int) -> Int {
        switch phase.tasks {
        case .inputFiles: inputTaskCount
        case .fixed(let n): n
        }
    }

    func phaseLayout(_ phase: DatasetPhase, inputTaskCount: Int) -> PhaseLayout {
        PhaseLayout(step: layout, name: phase.name, writes: phase.writes, taskCount: taskCount(of: phase, inputTaskCount: inputTaskCount))
    }

    /// Phase names are unique directory names, not the step's own; no two phases write the same directory.
    static func validate(_ phases: [DatasetPhase], step: String) throws {
        var names: Set<String> = [], written: Set<String> = []
        guard !phases.isEmpty else { throw ExecutionError("step '\(step)' has no phases") }
        for phase in phases {
            guard !phase.name.isEmpty, !phase.name.contains("/"), !reservedNames.contains(phase.name), names.insert(phase.name).inserted else {
                throw ExecutionError("step '\(step)': phase name '\(phase.name)' is empty, repeated or reserved")
            }
            if case .fixed(let n) = phase.tasks, n < 1 {
                throw ExecutionError("step '\(step)': phase '\(phase.name)' has \(n) tasks")
            }
            for directory in phase.writes where !written.insert(directory).inserted {
                throw ExecutionError("step '\(step)': two phases write '\(directory)/'")
            }
        }
    }
}

/// Adds up the per-task stats (`<directory>/<task>.json`) of tasks `0..<taskCount`, row by row, in task order.
func mergeTaskStats(directory: String, taskCount: Int, only tasks: [Int]? = nil) throws -> (stages: [StageStats], seconds: Double) {
    var merged: [StageStats] = []
    var seconds = 0.0
    for task in tasks ?? Array(0..<taskCount) {
        let path = directory + "/" + StepLayout.taskName(task) + ".json"
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
    return (merged, seconds)
}
