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
    }

    public var directory: String
    public var units: [Unit] = []

    /// Reads the status of the run in `directory`.
    public init(directory: String) throws {
        self.directory = directory
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory) else { throw ExecutionError("no run directory \(directory)") }
        let slurm = directory + "/_slurm"
        let queued = Self.queuedTasks(slurm: slurm)
        // Steps in the order they started (step.json is written first).
        let steps = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter {
            fm.fileExists(atPath: directory + "/" + $0 + "/step.json")
        }.sorted { a, b in
            let da = (try? fm.attributesOfItem(atPath: directory + "/" + a + "/step.json"))?[.modificationDate] as? Date ?? .distantPast
            let db = (try? fm.attributesOfItem(atPath: directory + "/" + b + "/step.json"))?[.modificationDate] as? Date ?? .distantPast
            return (da, a) < (db, b)
        }
        guard !steps.isEmpty else { throw ExecutionError("\(directory) holds no step of a Winnow run (no <step>/step.json)") }
        for step in steps {
            let root = directory + "/" + step
            guard let data = fm.contents(atPath: root + "/step.json"), let manifest = try? JSONParser.parse(Array(data)).objectValue else {
                throw ExecutionError("cannot read \(root)/step.json")
            }
            let taskCount = manifest["task_count"]?.intValue ?? 0
            if let phases = manifest["phases"]?.arrayValue {
                for phase in phases {
                    guard let pair = phase.arrayValue, pair.count == 2, let name = pair[0].stringValue, let n = pair[1].intValue else { continue }
                    units.append(Self.unit(name: "\(step).\(name)", root: root + "/" + name, taskCount: n, slurm: slurm, queued: queued))
                }
            } else {
                units.append(Self.unit(name: step, root: root, taskCount: taskCount, slurm: slurm, queued: queued))
            }
        }
    }

    static func unit(name: String, root: String, taskCount: Int, slurm: String, queued: [String: Set<Int>]) -> Unit {
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
            } else if queued[name]?.contains(task) == true || fm.fileExists(atPath: root + "/_tmp/" + taskName) {
                unit.running.append(task)
            } else {
                unit.pending.append(task)
            }
        }
        return unit
    }

    /// Tasks of this run that Slurm still has queued or running, per unit (empty without `squeue` or submissions).
    static func queuedTasks(slurm: String) -> [String: Set<Int>] {
        guard let data = FileManager.default.contents(atPath: slurm + "/submissions.jsonl") else { return [:] }
        var byJob: [String: (unit: String, offset: Int)] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let o = try? JSONParser.parse(Array(line)).objectValue, let unit = o["unit"]?.stringValue,
                  let job = o["job_id"]?.stringValue else { continue }
            byJob[job] = (unit, o["offset"]?.intValue ?? 0)
        }
        guard !byJob.isEmpty,
              let out = try? SlurmExecutor.command("squeue", ["-h", "-r", "-j", byJob.keys.sorted().joined(separator: ","), "-o", "%i"]) else {
            return [:]
        }
        var queued: [String: Set<Int>] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "_")
            guard parts.count == 2, let submission = byJob[String(parts[0])], let index = Int(parts[1]) else { continue }
            queued[submission.unit, default: []].insert(index + submission.offset)
        }
        return queued
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
        let total = units.reduce(0) { $0 + $1.taskCount }, done = units.reduce(0) { $0 + $1.done.count }
        out += done == total ? "complete: all \(total) tasks done\n" : "incomplete: \(done) of \(total) tasks done (docs/MB read: completed tasks)\n"
        return out
    }
}
