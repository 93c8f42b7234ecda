import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Runs one registered stage on its own over input files, outside a pipeline: what `winnow filter`
/// does. Kept documents go to `<output>/kept/`, rejected ones to `<output>/excluded/` with `filter` (the
/// stage) and `filter_reason` in their metadata, as in a pipeline step; unreadable input records are kept as
/// JSON lines (file, offset, reason, detail) in `<output>/problems/00000.jsonl`, as a pipeline's tasks keep them.
public struct StandaloneStageRun {
    public var stageName: String
    public var parameters: [String: JSONValue]
    public var inputs: [String]
    public var format: InputFormat
    public var readerOptions: ReaderOptions
    public var output: String
    public var compression: Compression
    /// Set when the parameters come from the command's own options rather than `--param key=value`: errors then
    /// name the option (`StageParameters(stageName:commandOptions:optionNames:)`, with these overrides).
    public var optionNames: [String: String]?

    public init(stageName: String, parameters: [String: JSONValue], inputs: [String], format: InputFormat = .auto,
                readerOptions: ReaderOptions = ReaderOptions(), output: String, compression: Compression = .zstd,
                optionNames: [String: String]? = nil) {
        self.stageName = stageName
        self.parameters = parameters
        self.inputs = inputs
        self.format = format
        self.readerOptions = readerOptions
        self.output = output
        self.compression = compression
        self.optionNames = optionNames
    }

    /// Runs the stage; input problems go to `problem` (which may throw to stop) and to `<output>/problems/`.
    /// Returns the stage's stats and the number of input problems.
    public func run(problem: (InputProblem) throws -> Void) throws -> (stats: StageStats, problems: Int) {
        guard let stageType = StageRegistry.lookup(stageName) else {
            throw ConfigurationError(location: "<command line>", message: "unknown stage '\(stageName)'; `winnow stages` lists them")
        }
        let stageName = stageType.stageName  // canonical, also for an alias
        let given = optionNames.map { StageParameters(stageName: stageName, commandOptions: parameters, optionNames: $0) }
            ?? StageParameters(stageName: stageName, commandLine: parameters)
        var stage = try stageType.factory(parameters: given).make()
        for dir in ["kept", "excluded"] { try makeDirectory(output + "/" + dir) }
        let kept = JSONLWriter(directory: output + "/kept", prefix: "00000", compression: compression)
        let excluded = JSONLWriter(directory: output + "/excluded", prefix: "00000", compression: compression)
        var stats = StageStats(name: stageName)
        var readStats = StageStats(name: "read")
        try? FileManager.default.removeItem(atPath: output + "/problems")  // a rerun's problems replace the last run's
        var problems = ProblemLog(path: output + "/problems/00000.jsonl", task: 0, logLimit: Int.max, strict: false,
                                  logger: Logger(label: "winnow.standalone", factory: { _ in SwiftLogNoOpLogHandler() }))
        try format.readDocuments(files: inputs, options: readerOptions, stats: &readStats, problem: {
            try problems.record($0)
            try problem($0)
        }) { document in
            var document = document
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            if case .exclude(let reason) = stage.process(&document, stats: &stats) {
                stats.excluded[reason, default: 0] += 1
                document.metadata["filter"] = .string(stageName)
                document.metadata["filter_reason"] = .string(reason)
                try excluded.write(document)
            } else {
                stats.documentsOut += 1
                stats.bytesOut += document.text.count
                try kept.write(document)
            }
        }
        try stage.finish(stats: &stats)
        try kept.close()
        try excluded.close()
        try problems.close()
        return (stats, problems.counts.values.reduce(0, +))
    }
}
