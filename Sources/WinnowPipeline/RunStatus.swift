import Foundation
import WinnowCore
import WinnowIO

/// What `winnow status RUN_DIR` prints: per step, and per phase of a whole-dataset step, how many tasks are done,
/// running, failed and pending, the documents and bytes read so far, and the log of each failed task. It reads
/// only the run directory (markers, scratch directories, per-task stats, and `_slurm/` when the run was submitted
/// to Slurm, asking `squeue` about its jobs when that command exists), so it works on a local run in progress too.
public struct RunStatus {
    public struct Unit: Sendable {
        public var name: String
        public var taskCount: Int
        public var done: [Int] = []
        public var running: [Int] = []
        public var failed: [Int] = []
        public var pending: [Int] = []
        public var documentsRead = 0
        public var bytesRead = 0
        /// Log files of failed tasks (Slurm runs).
        public var failedLogs: [String] = []
        /// Pending tasks whose last Slurm job is gone from the queue without a marker of either kind: cancelled
        /// after an earlier failure, or dropped by Slurm (a launch failure). Task to job id.
        public var leftByTheirJob: [Int: String] = [:]
        /// What Slurm's accounting (`sacct`) recorded for those tasks, when it answers: task to job state.
        public var accountedStates: [Int: String] = [:]
    }

    public var directory: String
    public var units: [Unit] = []

    /// Reads the status of the run in `directory`.
    public init(directory: String) throws {
        self.directory = directory
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory) else { throw ExecutionError("no run directory \(directory)") }
        let slurm = directory + "/_slurm"
        let queue = Self.slurmQueue(slurm: slurm)
        // Steps in the order they started (step.json is written first).
        let steps = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter {
            fm.fileExists(atPath: directory + "/" + $0 + "/step.json")
        }.sorted { a, b in
            let da = (try? fm.attributesOfItem(atPath: directory + "/" + a + "/step.json"))?[.modificationDate] as? Date ?? .distantPast
            let db = (try? fm.attributesOfItem(atPath: directory + "/" + b + "/step.json"))?[.modificationDate] as? Date ?? .distantPast
            return (da, a) < (db, b)
        }
        guard !steps.isEmpty || queue != nil else {
            throw ExecutionError("\(directory) holds no step of a Winnow run (no <step>/step.json)")
        }
        for step in steps {
            let root = directory + "/" + step
            guard let data = fm.contents(atPath: root + "/step.json"), let manifest = try? JSONParser.parse(Array(data)).objectValue else {
                throw ExecutionError("cannot read \(root)/step.json")
            }
            let taskCount = manifest["task_count"]?.intValue ?? 0
            if let phases = manifest["phases"]?.arrayValue {
                for phase in phases {
                    guard let pair = phase.arrayValue, pair.count == 2, let name = pair[0].stringValue, let n = pair[1].intValue else { continue }
                    units.append(Self.unit(name: "\(step).\(name)", root: root + "/" + name, taskCount: n, slurm: slurm, queue: queue))
                }
            } else {
                units.append(Self.unit(name: step, root: root, taskCount: taskCount, slurm: slurm, queue: queue))
            }
        }
        // Steps submitted to Slurm that have not started yet.
        if let queue {
            let known = Set(units.map(\.name))
            for name in queue.unitOrder where !known.contains(name) { units.append(Self.notStarted(name, queue: queue)) }
            addAccountedStates(queue)
        }
    }

    static func unit(name: String, root: String, taskCount: Int, slurm: String, queue: SlurmQueue?) -> Unit {
        let fm = FileManager.default
        var unit = Unit(name: name, taskCount: taskCount)
        for task in 0..<taskCount {
            let taskName = StepLayout.taskName(task)
            if fm.fileExists(atPath: root + "/completed/" + taskName) {
                unit.done.append(task)
                if let data = fm.contents(atPath: root + "/stats/" + taskName + ".json"),
                   let read = (try? JSONParser.parse(Array(data)))?.objectValue?["stages"]?.arrayValue?.first.flatMap(StageStats.init(json:)),
                   read.name == "read" {
                    unit.documentsRead += read.documentsOut
                    unit.bytesRead += read.bytesIn
                }
            } else if fm.fileExists(atPath: slurm + "/failed/\(name)/\(task)") {
                unit.failed.append(task)
                unit.failedLogs.append(slurm + "/logs/\(name)/\(task).log")
            } else if queue?.queued?[name]?.contains(task) == true || fm.fileExists(atPath: root + "/_tmp/" + taskName) {
                unit.running.append(task)
            } else {
                unit.pending.append(task)
                if let queue, queue.queued != nil, let job = queue.lastJob[name]?[task] { unit.leftByTheirJob[task] = job }
            }
        }
        return unit
    }

    /// This run's Slurm submissions (`_slurm/submissions.jsonl`): the units in the order they were submitted, the
    /// job each task was last submitted in, and, when `squeue` answers, the tasks Slurm still has queued or running.
    struct SlurmQueue {
        var unitOrder: [String] = []
        var lastJob: [String: [Int: String]] = [:]
        /// Job id to the offset of its array (task = array index + offset).
        var offsets: [String: Int] = [:]
        /// Nil when `squeue` is missing or failed: then nothing is known about what left the queue.
        var queued: [String: Set<Int>]?
    }

    static func slurmQueue(slurm: String) -> SlurmQueue? {
        guard let data = FileManager.default.contents(atPath: slurm + "/submissions.jsonl") else { return nil }
        var queue = SlurmQueue()
        var byJob: [String: (unit: String, offset: Int)] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {  // in submission order: later lines win
            guard let o = try? JSONParser.parse(Array(line)).objectValue, let unit = o["unit"]?.stringValue,
                  let job = o["job_id"]?.stringValue else { continue }
            byJob[job] = (unit, o["offset"]?.intValue ?? 0)
            queue.offsets[job] = o["offset"]?.intValue ?? 0
            if queue.lastJob[unit] == nil { queue.unitOrder.append(unit) }
            for task in o["tasks"]?.arrayValue?.compactMap(\.intValue) ?? [] { queue.lastJob[unit, default: [:]][task] = job }
        }
        guard !byJob.isEmpty else { return nil }
        guard let out = try? SlurmExecutor.command("squeue", ["-h", "-r", "-j", byJob.keys.sorted().joined(separator: ","), "-o", "%i"]) else {
            return queue
        }
        var queued: [String: Set<Int>] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "_")
            guard parts.count == 2, let submission = byJob[String(parts[0])], let index = Int(parts[1]) else { continue }
            queued[submission.unit, default: []].insert(index + submission.offset)
        }
        queue.queued = queued
        return queue
    }

    /// Asks `sacct` (when the cluster keeps accounting) how the jobs of tasks left without a marker ended.
    private mutating func addAccountedStates(_ queue: SlurmQueue) {
        let jobs = Set(units.flatMap(\.leftByTheirJob.values)).sorted()
        guard !jobs.isEmpty,
              let out = try? SlurmExecutor.command("sacct", ["-n", "-X", "-P", "-o", "JobID,State", "-j", jobs.joined(separator: ",")]) else { return }
        var states: [String: String] = [:]  // "<job>_<array index>" to state
        for line in out.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 1)
            if fields.count == 2 { states[String(fields[0])] = String(fields[1]).trimmingCharacters(in: .whitespaces) }
        }
        for i in units.indices {
            for (task, job) in units[i].leftByTheirJob {
                let offset = queue.offsets[job] ?? 0
                if let state = states["\(job)_\(task - offset)"] { units[i].accountedStates[task] = state }
            }
        }
    }

    /// A unit submitted to Slurm that has not started yet (no `step.json`): its submitted tasks, queued or not.
    static func notStarted(_ name: String, queue: SlurmQueue) -> Unit {
        let jobs = queue.lastJob[name] ?? [:]
        var unit = Unit(name: name, taskCount: (jobs.keys.max() ?? -1) + 1)
        for task in 0..<unit.taskCount {
            if queue.queued?[name]?.contains(task) == true {
                unit.running.append(task)
            } else {
                unit.pending.append(task)
                if queue.queued != nil, let job = jobs[task] { unit.leftByTheirJob[task] = job }
            }
        }
        return unit
    }

    /// The table `winnow status` prints.
    public func render() -> String {
        var rows = [["step/phase", "tasks", "done", "running", "failed", "pending", "docs read", "MB read"]]
        for u in units {
            rows.append([u.name, "\(u.taskCount)", "\(u.done.count)", "\(u.running.count)", "\(u.failed.count)", "\(u.pending.count)",
                         "\(u.documentsRead)", String(format: "%.2f", Double(u.bytesRead) / 1e6)])
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = rows.map { row in
            row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
        for u in units where !u.failed.isEmpty {
            out += "\(u.name): failed tasks \(u.failed.map(String.init).joined(separator: ", ")); logs:\n"
            out += u.failedLogs.map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        for u in units where !u.leftByTheirJob.isEmpty {
            let jobs = Set(u.leftByTheirJob.values).sorted()
            out += "\(u.name): tasks \(u.leftByTheirJob.keys.sorted().map(String.init).joined(separator: ", ")) left by their job"
                + " \(jobs.joined(separator: ", ")) without finishing or failing: cancelled after an earlier failure, or dropped"
                + " by Slurm (see `sacct -j \(jobs[0])` and the controller's log); submitting again runs them\n"
            let states = u.accountedStates.sorted { $0.key < $1.key }
            if !states.isEmpty { out += "  sacct: " + states.map { "task \($0.key) \($0.value)" }.joined(separator: ", ") + "\n" }
        }
        let total = units.reduce(0) { $0 + $1.taskCount }, done = units.reduce(0) { $0 + $1.done.count }
        out += done == total ? "complete: all \(total) tasks done\n" : "incomplete: \(done) of \(total) tasks done (docs/MB read: completed tasks)\n"
        return out
    }
}
