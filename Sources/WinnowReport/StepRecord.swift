import Foundation
import WinnowCore
import WinnowIO

/// One step of a run as its directory records it (`step.json`, `stats.json`, and the lists of its documents,
/// excluded and problem files). See docs/architecture.md for the layout.
struct StepRecord {
    var name: String
    var root: String
    /// The step's YAML block as `step.json` keeps it (parsed from its `configuration` text).
    var configuration: JSONObject
    var taskCount: Int
    /// Input files and their sizes in bytes (absolute, or relative to the step directory).
    var inputs: [(path: String, bytes: Int)]
    /// Whether the input was the `documents/` of an earlier step.
    var inputStep: String?
    /// Merged stats; nil while the step is unfinished.
    var stats: [StageStats]?
    /// `run:` of a whole-dataset step (`minhash_dedup`, `train_tokenizer`, `tokenize`...).
    var datasetStep: String?
    var taskSeconds: Double?
    /// Phases of a whole-dataset step: name, tasks, task seconds.
    var phases: [(name: String, tasks: Int, seconds: Double)]
    /// When `step.json` and `stats.json` were written: the step's start and end, as far as the files tell.
    var started: Date?
    var finished: Date?

    var documentFiles: [String] { Self.files(in: root + "/documents") }
    var problemFiles: [String] { Self.files(in: root + "/problems") }
    /// `excluded/<stage>/` directories with their files, stages in name order.
    var excludedFiles: [(stage: String, files: [String])] {
        let base = root + "/excluded"
        let stages = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
        return stages.map { ($0, Self.files(in: base + "/" + $0)) }.filter { !$0.1.isEmpty }
    }

    /// The YAML parameters of each stage by its name in stats (`type`, with `_2`, `_3`... for repeats).
    var stageParameters: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        var seen: [String: Int] = [:]
        for entry in configuration["stages"]?.arrayValue ?? [] {
            let type: String
            let parameters: JSONValue
            if let s = entry.stringValue {
                type = s
                parameters = .object([:])
            } else if let o = entry.objectValue, let first = o.first {
                type = first.key
                parameters = first.value
            } else { continue }
            let n = seen[type, default: 0] + 1
            seen[type] = n
            result[n == 1 ? type : "\(type)_\(n)"] = parameters
        }
        if let run = configuration["run"]?.objectValue, let first = run.first { result[first.key] = first.value }
        return result
    }

    /// Reads `<root>/step.json` and, when present, `<root>/stats.json`.
    init(root: String) throws {
        self.root = root
        let record = try Self.readJSON(root + "/step.json")
        name = record["step"]?.stringValue ?? URL(fileURLWithPath: root).lastPathComponent
        let text = record["configuration"]?.stringValue ?? "{}"
        configuration = (try? JSONParser.parse(Array(text.utf8)))?.objectValue ?? [:]
        taskCount = record["task_count"]?.intValue ?? 0
        let files = (record["input_files"]?.arrayValue ?? []).compactMap(\.stringValue)
        let versions = record["input_versions"]?.arrayValue ?? []
        inputs = files.enumerated().map { i, path in
            (path, i < versions.count ? versions[i].arrayValue?.first?.intValue ?? 0 : 0)
        }
        inputStep = configuration["input"]?.objectValue?["step"]?.stringValue
        datasetStep = configuration["run"]?.objectValue?.first?.key
        phases = []
        let fm = FileManager.default
        started = (try? fm.attributesOfItem(atPath: root + "/step.json"))?[.modificationDate] as? Date
        if fm.fileExists(atPath: root + "/stats.json") {
            let merged = try Self.readJSON(root + "/stats.json")
            stats = (merged["stages"]?.arrayValue ?? []).compactMap(StageStats.init(json:))
            taskSeconds = merged["task_seconds"]?.doubleValue
            phases = (merged["phases"]?.arrayValue ?? []).compactMap { value in
                guard let o = value.objectValue, let phase = o["phase"]?.stringValue else { return nil }
                return (phase, o["tasks"]?.intValue ?? 0, o["task_seconds"]?.doubleValue ?? 0)
            }
            finished = (try? fm.attributesOfItem(atPath: root + "/stats.json"))?[.modificationDate] as? Date
        }
    }

    /// A path from `step.json` made usable from here: relative paths are relative to the step directory.
    func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : root + "/" + path }

    static func readJSON(_ path: String) throws -> JSONObject {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError("cannot read \(path): is this a Winnow run's output directory (winnow run ... --output DIR)?")
        }
        guard let object = (try? JSONParser.parse(Array(data)))?.objectValue else {
            throw ReportError("\(path) is not a JSON object; the run directory may be damaged")
        }
        return object
    }

    /// Regular files directly in `directory` (not hidden, not scratch), sorted by name.
    static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasPrefix("_") }.sorted().map { directory + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}

/// The report cannot be written: names the file and what to do.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
