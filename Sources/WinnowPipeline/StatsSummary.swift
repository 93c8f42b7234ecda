import Foundation
import WinnowCore
import WinnowIO

/// Renders the merged `stats.json` files under an output directory as a table for `winnow stats`.
public enum StatsSummary {
    /// The `stats.json` files in `directory` itself or in its immediate subdirectories (one per step).
    public static func statsFiles(in directory: String) -> [String] {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory + "/stats.json") { return [directory + "/stats.json"] }
        if directory.hasSuffix(".json"), fm.fileExists(atPath: directory) { return [directory] }
        let names = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().map { directory + "/" + $0 + "/stats.json" }.filter { fm.fileExists(atPath: $0) }
    }

    public static func render(directory: String) throws -> String {
        let files = statsFiles(in: directory)
        guard !files.isEmpty else { throw ExecutionError("no stats.json in \(directory) or its step directories") }
        var out = ""
        for file in files {
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

    static func table(_ stages: [StageStats]) -> String {
        var rows: [[String]] = [["stage", "docs in", "docs out", "MB in", "MB out", "excluded", "seconds"]]
        var details: [String] = []
        for s in stages {
            let excluded = s.excluded.values.reduce(0, +)
            rows.append([s.name, "\(s.documentsIn)", "\(s.documentsOut)", mb(s.bytesIn), mb(s.bytesOut),
                         "\(excluded)", String(format: "%.2f", s.seconds)])
            for (reason, n) in s.excluded.sorted(by: { $0.key < $1.key }) { details.append("  \(s.name): excluded \(reason): \(n)") }
            for (key, n) in s.counters.sorted(by: { $0.key < $1.key }) { details.append("  \(s.name): \(key): \(n)") }
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            out += row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
        }
        return out + details.joined(separator: "\n") + (details.isEmpty ? "" : "\n")
    }

    static func mb(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1e6) }
}
