import Foundation
import WinnowCore
import WinnowIO

/// Renders the merged `stats.json` files under an output directory as a table for `winnow stats`.
public enum StatsSummary {
    /// Counters of one family (`language:xx`, `skipped_record:x`) shown in the table; the rest are in stats.json.
    static let countersShownPerFamily = 10

    /// The `stats.json` files in `directory` itself or in its immediate subdirectories (one per step): in
    /// `stepOrder` (the pipeline's step order) when given, else in the order the steps finished.
    public static func statsFiles(in directory: String, stepOrder: [String]? = nil) -> [String] {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory + "/stats.json") { return [directory + "/stats.json"] }
        if directory.hasSuffix(".json"), fm.fileExists(atPath: directory) { return [directory] }
        let names = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        // A finished step has stats.json; an unfinished one only its step.json.
        let files = names.sorted().compactMap { name -> String? in
            let step = directory + "/" + name
            if fm.fileExists(atPath: step + "/stats.json") { return step + "/stats.json" }
            return fm.fileExists(atPath: step + "/step.json") ? step + "/step.json" : nil
        }
        if let stepOrder {
            let rank = Dictionary(stepOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let position = { (file: String) in rank[URL(fileURLWithPath: file).deletingLastPathComponent().lastPathComponent] ?? Int.max }
            return files.enumerated().sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }.map(\.element)
        }
        let finished = { (file: String) in
            (try? fm.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? .distantFuture
        }
        return files.map { ($0, finished($0)) }.enumerated()
            .sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
    }

    /// The table of every step's stats, steps in `stepOrder` when given (see `statsFiles`).
    public static func render(directory: String, stepOrder: [String]? = nil) throws -> String {
        let files = statsFiles(in: directory, stepOrder: stepOrder)
        guard !files.isEmpty else { throw ExecutionError("no stats.json in \(directory) or its step directories") }
        var out = ""
        for file in files {
            if file.hasSuffix("/step.json") {
                out += try unfinished(stepRecord: file)
                continue
            }
            guard let data = FileManager.default.contents(atPath: file),
                  let value = try? JSONParser.parse(Array(data)), let o = value.objectValue else {
                throw ExecutionError("cannot read \(file)")
            }
            let stages = (o["stages"]?.arrayValue ?? []).compactMap(StageStats.init(json:))
            let tasks = o["tasks"]?.intValue ?? 0
            out += "step \(o["step"]?.stringValue ?? "?") (\(tasks) task\(tasks == 1 ? "" : "s"), \(file))\n"
            out += table(stages)
        }
        return out
    }

    /// An interrupted step: how many tasks finished, and their stats merged.
    static func unfinished(stepRecord: String) throws -> String {
        let root = URL(fileURLWithPath: stepRecord).deletingLastPathComponent().path
        guard let data = FileManager.default.contents(atPath: stepRecord),
              let record = (try? JSONParser.parse(Array(data)))?.objectValue else {
            throw ExecutionError("cannot read \(stepRecord)")
        }
        let name = record["step"]?.stringValue ?? "?"
        if record["phases"] != nil {
            return "step \(name): incomplete (a whole-dataset step; its stats come when it finishes; \(root))\n"
        }
        let taskCount = record["task_count"]?.intValue ?? 0
        let url = URL(fileURLWithPath: root)
        let layout = StepLayout(output: url.deletingLastPathComponent().path, step: url.lastPathComponent)
        let finished = (0..<taskCount).filter { layout.isComplete(task: $0) }
        var out = "step \(name): incomplete: \(finished.count) of \(taskCount) tasks finished (\(root)); a rerun resumes\n"
        if !finished.isEmpty {
            out += "the finished tasks:\n" + table(try mergeTaskStats(directory: layout.stats, taskCount: taskCount, only: finished).stages)
        }
        return out
    }

    static func table(_ stages: [StageStats]) -> String {
        var rows: [[String]] = [["stage", "docs in", "docs out", "MB in", "MB out", "excluded", "seconds"]]
        var details: [String] = []
        for s in stages {
            let excluded = s.excluded.values.reduce(0, +)
            rows.append([s.name, "\(s.documentsIn)", "\(s.documentsOut)", mb(s.bytesIn), mb(s.bytesOut),
                         "\(excluded)", String(format: "%.2f", s.seconds)])
            for (reason, n) in s.excluded.sorted(by: { $0.key < $1.key }) { details.append("  \(s.name): excluded \(reason): \(n)") }
            details += counterLines(s)
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            out += row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        if stages.contains(where: { $0.name == "read" }) {
            out += "(read: MB in is the input files as stored, compressed; every other MB figure is UTF-8 text)\n"
        }
        return out + details.joined(separator: "\n") + (details.isEmpty ? "" : "\n")
    }

    /// A stage's counters, sorted by name; of a family sharing a `prefix:` with more than
    /// `countersShownPerFamily` members, only the largest, then how many more there are.
    static func counterLines(_ s: StageStats) -> [String] {
        let family = { (key: String) in key.firstIndex(of: ":").map { String(key[..<$0]) } ?? key }
        let sizes = Dictionary(grouping: s.counters.keys, by: family).mapValues(\.count)
        var lines: [String] = []
        var done = Set<String>()
        for (key, n) in s.counters.sorted(by: { $0.key < $1.key }) {
            let name = family(key)
            guard let size = sizes[name], size > countersShownPerFamily, key.contains(":") else {
                lines.append("  \(s.name): \(key): \(n)")
                continue
            }
            guard done.insert(name).inserted else { continue }
            let top = s.counters.filter { family($0.key) == name }
                .sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            for (k, v) in top.prefix(countersShownPerFamily) { lines.append("  \(s.name): \(k): \(v)") }
            lines.append("  \(s.name): \(name): \(top.count - countersShownPerFamily) more (all in stats.json)")
        }
        return lines
    }

    static func mb(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1e6) }
}
