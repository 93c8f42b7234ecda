import Foundation
import WinnowCore
import WinnowIO
import Yams

/// Reads a pipeline YAML file and checks all of it before any work starts: unknown keys and stage names,
/// ill-typed parameters and missing inputs are reported with the file and line.
///
/// ```yaml
/// output: output/sample
/// steps:
///   - name: clean
///     input: {paths: [Samples/*.jsonl.zst], format: auto}
///     stages:
///       - length: {min_chars: 200}
///     writer: {compression: zstd}
/// ```
public enum PipelineLoader {
    public static func load(file: String, outputOverride: String? = nil) throws -> PipelineConfiguration {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError(location: file, message: "cannot read the pipeline file")
        }
        return try parse(yaml: String(decoding: data, as: UTF8.self), file: file, outputOverride: outputOverride)
    }

    public static func parse(yaml: String, file: String, outputOverride: String? = nil) throws -> PipelineConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigurationError(location: file, message: "the pipeline file is empty")
            }
            root = node
        } catch let error as YamlError {
            throw ConfigurationError(location: file, message: "invalid YAML: \(error)")
        }
        let top = try YAMLMap(root, file: file, what: "the pipeline")
        let name = try top.string("name") ?? (file.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? "pipeline")
        let declaredOutput = try top.string("output")
        guard let output = outputOverride ?? declaredOutput else {
            throw top.error("missing 'output:' (the directory for results)")
        }
        let report = try top.bool("report") ?? false
        guard let stepsNode = top.take("steps") else { throw top.error("missing 'steps:'") }
        guard case .sequence(let stepNodes) = stepsNode, !stepNodes.isEmpty else {
            throw ConfigurationError(location: "\(file):\(stepsNode.line)", message: "'steps' must be a non-empty list")
        }
        try top.finish()

        var steps: [StepConfiguration] = []
        for node in stepNodes {
            let step = try parseStep(node, file: file, earlier: steps.map(\.name))
            steps.append(step)
        }
        return PipelineConfiguration(name: name, file: file, output: output, steps: steps, report: report)
    }

    static func parseStep(_ node: Node, file: String, earlier: [String]) throws -> StepConfiguration {
        let map = try YAMLMap(node, file: file, what: "a step")
        guard let name = try map.string("name") else { throw map.error("a step needs a 'name:'") }
        guard !name.isEmpty, name.utf8.allSatisfy({ isNameByte($0) }) else {
            throw map.error("step name '\(name)' may only use letters, digits, '-' and '_'")
        }
        if earlier.contains(name) { throw map.error("step name '\(name)' is used twice") }
        let runNode = map.take("run")
        guard let inputNode = map.take("input") else { throw map.error("step '\(name)' needs an 'input:'") }
        let input = try parseInput(inputNode, file: file, earlier: earlier)

        var stages: [ConfiguredStage] = []
        if let stagesNode = map.take("stages") {
            guard case .sequence(let list) = stagesNode else {
                throw ConfigurationError(location: "\(file):\(stagesNode.line)", message: "'stages' must be a list")
            }
            var seen: [String: Int] = [:]
            for entry in list {
                var stage = try parseStage(entry, file: file)
                seen[stage.type, default: 0] += 1
                if let n = seen[stage.type], n > 1 { stage.name = "\(stage.type)_\(n)" }
                stages.append(stage)
            }
        }
        let writer = try parseWriter(map.take("writer"), file: file)
        let cluster = try parseClusterResources(map.take("slurm"), file: file)
        try map.finish()
        var datasetStep: ConfiguredDatasetStep?
        if let runNode {
            guard stages.isEmpty else {
                throw ConfigurationError(location: "\(file):\(runNode.line)", message: "step '\(name)': give 'stages' or 'run', not both")
            }
            datasetStep = try parseDatasetStep(runNode, file: file)
        }
        // Cluster resources change where a step runs, not what it writes: not part of the fingerprint.
        let fingerprint = canonical(node, excluding: ["slurm"])
        return StepConfiguration(name: name, location: "\(file):\(node.line)", input: input, stages: stages,
                                 datasetStep: datasetStep, writer: writer, cluster: cluster, fingerprint: fingerprint)
    }

    /// `run: train_tokenizer` or `run: {train_tokenizer: {parameters}}`.
    static func parseDatasetStep(_ node: Node, file: String) throws -> ConfiguredDatasetStep {
        let location = "\(file):\(node.line)"
        let type: String
        var parametersNode: Node?
        switch node {
        case .scalar(let s): type = s.string
        case .mapping(let m) where m.count == 1:
            type = m.first!.key.string ?? ""
            parametersNode = m.first!.value
        default:
            throw ConfigurationError(location: location, message: "'run' is `run: NAME` or `run: {NAME: {parameters}}`")
        }
        guard let stepType = DatasetStepRegistry.lookup(type) else {
            throw ConfigurationError(location: location, message: """
                unknown whole-dataset step '\(type)' (known: \(DatasetStepRegistry.all.map { $0.stepName }.joined(separator: ", ")))
                """)
        }
        var values: [String: StageParameters.Value] = [:]
        if let parametersNode, !(parametersNode.scalar.map { $0.string.isEmpty || $0.string == "~" || $0.string == "null" } ?? false) {
            guard case .mapping(let m) = parametersNode else {
                throw ConfigurationError(location: "\(file):\(parametersNode.line)", message: "'\(type)': parameters must be a mapping")
            }
            for (k, v) in m { values[k.string ?? ""] = StageParameters.Value(value: jsonValue(v), line: v.line) }
        }
        let parameters = StageParameters(stageName: type, file: file, line: node.line, values: values)
        return ConfiguredDatasetStep(type: type, step: try stepType.make(parameters: parameters))
    }

    static func parseInput(_ node: Node, file: String, earlier: [String]) throws -> InputConfiguration {
        let map = try YAMLMap(node, file: file, what: "'input'")
        let source: InputConfiguration.Source
        var pathsLocation: String?
        switch (map.take("paths"), map.take("step")) {
        case (let paths?, nil):
            pathsLocation = "\(file):\(paths.line)"
            let list: [String]
            switch paths {
            case .scalar(let s): list = [s.string]
            case .sequence(let items): list = try items.map {
                guard let s = $0.string else { throw ConfigurationError(location: "\(file):\($0.line)", message: "paths must be strings") }
                return s
            }
            default: throw ConfigurationError(location: "\(file):\(paths.line)", message: "'paths' must be a path or a list of paths")
            }
            source = .paths(list)
        case (nil, let step?):
            guard let s = step.string, earlier.contains(s) else {
                throw ConfigurationError(location: "\(file):\(step.line)",
                                         message: "input step '\(step.string ?? "")' is not an earlier step (earlier: \(earlier.joined(separator: ", ")))")
            }
            source = .step(s)
        case (nil, nil): throw map.error("'input' needs 'paths:' or 'step:'")
        case (_?, _?): throw map.error("'input' takes 'paths:' or 'step:', not both")
        }
        var format = InputFormat.auto
        if let f = try map.string("format") {
            guard let parsed = InputFormat(rawValue: f) else {
                throw map.error("format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(f)'")
            }
            format = parsed
        }
        var options = ReaderOptions()
        if let s = try map.string("text_field") { options.textField = s }
        if let s = try map.string("id_field") { options.idField = s }
        if let n = try map.size("max_record_bytes") { options.maxRecordBytes = n }
        if let n = try map.size("max_decompressed_bytes") { options.maxDecompressedBytes = Int64(n) }
        if let columns = map.take("columns") {  // Parquet projection
            guard case .sequence(let items) = columns, let names = Optional(items.compactMap(\.string)), names.count == items.count else {
                throw ConfigurationError(location: "\(file):\(columns.line)", message: "'columns' must be a list of column names")
            }
            options.columns = names
        }
        if let n = try map.int("row_groups_per_task") { options.rowGroupsPerTask = max(n, 0) }  // Parquet
        if let s = try map.string("nested") {  // Parquet
            guard let nested = ParquetNestedColumns(rawValue: s) else { throw map.error("nested must be json or skip, not '\(s)'") }
            options.nested = nested
        }
        let tasks = try map.int("tasks") ?? 0
        if tasks < 0 { throw map.error("tasks must be 0 (one per file) or more") }
        try map.finish()
        return InputConfiguration(source: source, format: format, options: options, tasks: tasks, pathsLocation: pathsLocation)
    }

    static func parseStage(_ node: Node, file: String) throws -> ConfiguredStage {
        let location = "\(file):\(node.line)"
        let type: String
        let parametersNode: Node?
        switch node {
        case .scalar(let s):
            type = s.string
            parametersNode = nil
        case .mapping(let m) where m.count == 1:
            type = m.first!.key.string ?? ""
            parametersNode = m.first!.value
        default:
            throw ConfigurationError(location: location, message: "a stage is `- name` or `- name: {parameters}`")
        }
        guard let stageType = StageRegistry.lookup(type) else {
            throw ConfigurationError(location: location,
                                     message: "unknown stage '\(type)' (known: \(StageRegistry.names.joined(separator: ", ")))")
        }
        var values: [String: StageParameters.Value] = [:]
        if let parametersNode, !(parametersNode.scalar.map { $0.string.isEmpty || $0.string == "~" || $0.string == "null" } ?? false) {
            guard case .mapping(let m) = parametersNode else {
                throw ConfigurationError(location: "\(file):\(parametersNode.line)", message: "stage '\(type)': parameters must be a mapping")
            }
            for (k, v) in m {
                values[k.string ?? ""] = StageParameters.Value(value: jsonValue(v), line: v.line)
            }
        }
        let canonical = stageType.stageName  // an alias names its stage's canonical type
        let parameters = StageParameters(stageName: canonical, file: file, line: node.line, values: values)
        let factory = try stageType.factory(parameters: parameters)
        return ConfiguredStage(name: canonical, type: canonical, location: location, factory: factory)
    }

    static func parseWriter(_ node: Node?, file: String) throws -> WriterConfiguration {
        var writer = WriterConfiguration(compression: .zstd, level: nil, maxFileBytes: 0, maxDocuments: 0, writeExcluded: true)
        guard let node else { return writer }
        let map = try YAMLMap(node, file: file, what: "'writer'")
        let format = try map.string("format") ?? "jsonl"
        guard format == "jsonl" || format == "parquet" else { throw map.error("writer format must be jsonl or parquet, not '\(format)'") }
        if format == "parquet" {
            var parquet = ParquetWriterSettings()
            if let c = try map.string("compression") {
                guard let parsed = ParquetWriterCompression(rawValue: c) else {
                    throw map.error("Parquet compression must be none, snappy or zstd, not '\(c)'")
                }
                parquet.compression = parsed
            }
            if let n = try map.size("row_group_bytes") { parquet.rowGroupBytes = n }
            writer.parquet = parquet
        } else if let c = try map.string("compression") {
            switch c {
            case "none": writer.compression = .none
            case "gzip": writer.compression = .gzip
            case "zstd": writer.compression = .zstd
            default: throw map.error("compression must be none, gzip or zstd, not '\(c)'")
            }
        }
        writer.level = try map.int("level")
        writer.maxFileBytes = try map.size("max_file_bytes") ?? 0
        writer.maxDocuments = try map.int("max_documents") ?? 0
        writer.writeExcluded = try map.bool("excluded") ?? true
        try map.finish()
        return writer
    }

    static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x2D || c == 0x5F
    }

    /// YAML scalars become JSON values by their resolved YAML type (int, float, bool, null, string).
    static func jsonValue(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if let i = node.int { return .number(JSONNumber(i)) }
                if let d = node.float { return .number(JSONNumber(d)) }
                if let b = node.bool { return .bool(b) }
                if node.null != nil { return .null }
            }
            return .string(s.string)
        case .sequence(let seq): return .array(seq.map(jsonValue))
        case .mapping(let m):
            return .object(JSONObject(entries: m.map { .init(key: $0.key.string ?? "", value: jsonValue($0.value)) }))
        case .alias: return .null
        }
    }

    /// A stable text of a YAML node (no line numbers), for the step fingerprint; `excluding` top-level keys.
    static func canonical(_ node: Node, excluding: Set<String> = []) -> String {
        guard case .object(let o) = jsonValue(node), !excluding.isEmpty else { return JSONWriter.string(jsonValue(node)) }
        return JSONWriter.string(.object(JSONObject(entries: o.entries.filter { !excluding.contains($0.key) })))
    }

    /// `slurm: {partition: P, cpus_per_task: C, mem: 8G, time: "2:00:00", sbatch_args: [...]}` of a step.
    static func parseClusterResources(_ node: Node?, file: String) throws -> ClusterResources {
        guard let node else { return ClusterResources() }
        let map = try YAMLMap(node, file: file, what: "'slurm'")
        var resources = ClusterResources()
        resources.partition = try map.string("partition")
        resources.cpusPerTask = try map.int("cpus_per_task")
        resources.memory = try map.string("mem")
        resources.time = try map.string("time")
        if let args = map.take("sbatch_args") {
            guard case .sequence(let list) = args, list.allSatisfy({ $0.scalar != nil }) else {
                throw ConfigurationError(location: "\(file):\(args.line)", message: "sbatch_args must be a list of strings")
            }
            resources.sbatchArguments = list.compactMap { $0.scalar?.string }
        }
        if let c = resources.cpusPerTask, c < 1 { throw map.error("cpus_per_task must be at least 1") }
        try map.finish()
        return resources
    }
}

extension Node {
    var line: Int { mark?.line ?? 0 }
}

/// A YAML mapping read key by key; `finish()` rejects keys nobody asked for.
struct YAMLMap {
    let file: String
    let line: Int
    let what: String
    private var entries: [String: Node] = [:]
    private final class Used { var keys: Set<String> = [] }
    private let used = Used()

    init(_ node: Node, file: String, what: String) throws {
        self.file = file
        self.line = node.line
        self.what = what
        guard case .mapping(let m) = node else {
            throw ConfigurationError(location: "\(file):\(node.line)", message: "\(what) must be a mapping of keys to values")
        }
        for (k, v) in m { entries[k.string ?? ""] = v }
    }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(location: "\(file):\(line)", message: message)
    }

    func take(_ key: String) -> Node? {
        used.keys.insert(key)
        return entries[key]
    }

    func string(_ key: String) throws -> String? {
        guard let n = take(key) else { return nil }
        guard case .scalar(let s) = n else { throw ConfigurationError(location: "\(file):\(n.line)", message: "\(key) must be a string") }
        return s.string
    }

    func int(_ key: String) throws -> Int? {
        guard let n = take(key) else { return nil }
        guard let i = n.int else { throw ConfigurationError(location: "\(file):\(n.line)", message: "\(key) must be an integer") }
        return i
    }

    func bool(_ key: String) throws -> Bool? {
        guard let n = take(key) else { return nil }
        guard let b = n.bool else { throw ConfigurationError(location: "\(file):\(n.line)", message: "\(key) must be true or false") }
        return b
    }

    func size(_ key: String) throws -> Int? {
        guard let n = take(key) else { return nil }
        if let i = n.int { return i }
        if let s = n.string, let v = ByteSize.parse(s) { return v }
        throw ConfigurationError(location: "\(file):\(n.line)", message: "\(key) must be a size such as 1048576, 64MiB or 1GB")
    }

    func finish() throws {
        let unknown = entries.keys.filter { !used.keys.contains($0) }.sorted()
        if let key = unknown.first {
            throw ConfigurationError(location: "\(file):\(entries[key]!.line)", message: "unknown key '\(key)' in \(what)")
        }
    }
}
