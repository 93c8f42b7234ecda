import Foundation

/// Where one phase of a whole-dataset step keeps its files, under `<output>/<step>/<phase>/`: the same contract
/// as a document step's directory (`StepLayout`), one level down.
///
/// - `completed/<task>`: the marker written last, after the task's files are all in place;
/// - `stats/<task>.json`, `problems/<task>.jsonl`: per-task stats and input problems; `stats.json`: the phase's
///   tasks merged, written when the phase completes;
/// - `_tmp/<task>/`: a running task's files, laid out as under the step's directory, moved into place when the
///   task finishes;
/// - anything else: the phase's own results, in files named after the task (`00007.bin`, `band-03/00007.bin`).
///
/// A phase may also write into step-level directories it declares (`output/`, `documents/`, `excluded/`).
struct PhaseLayout: Sendable {
    let step: StepLayout
    let name: String
    /// Step-level directories the phase writes besides its own.
    let writes: [String]
    let taskCount: Int

    var root: String { step.root + "/" + name }
    var completed: String { root + "/completed" }
    var stats: String { root + "/stats" }
    var problems: String { root + "/problems" }
    var mergedStats: String { root + "/stats.json" }
    var temporary: String { root + "/_tmp" }

    func temporary(task: Int) -> String { temporary + "/" + StepLayout.taskName(task) }
    func completionMarker(_ task: Int) -> String { completed + "/" + StepLayout.taskName(task) }
    func isComplete(task: Int) -> Bool { FileManager.default.fileExists(atPath: completionMarker(task)) }
    var completedTasks: Int { (0..<taskCount).count { isComplete(task: $0) } }
    var isComplete: Bool { (0..<taskCount).allSatisfy { isComplete(task: $0) } }

    /// Removes everything an unfinished run of `task` may have left: its scratch directory and every file of
    /// it already moved into place (named after the task; in a single-task phase, every file it may write).
    func clean(task: Int) throws {
        try? FileManager.default.removeItem(atPath: temporary(task: task))
        let name = StepLayout.taskName(task)
        let everything = taskCount == 1
        try removeFiles(under: root, skipping: ["completed", "_tmp", "stats.json"]) { everything || StepLayout.belongs($0, to: name) }
        for directory in writes {
            try removeFiles(under: step.root + "/" + directory, skipping: []) { everything || StepLayout.belongs($0, to: name) }
        }
    }

    /// Removes half-written phase files (`stats.json` being replaced) that a killed run left in `_tmp/`.
    func removeScratchFiles() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: temporary) else { return }
        for name in names {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: temporary + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                try? fm.removeItem(atPath: temporary + "/" + name)
            }
        }
    }

    private func removeFiles(under directory: String, skipping: Set<String>, where belongs: (String) -> Bool) throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !skipping.contains(name) {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try removeFiles(under: path, skipping: [], where: belongs)
            } else if belongs(name) {
                try fm.removeItem(atPath: path)
            }
        }
    }
}
