import Foundation
import WinnowCore
import WinnowIO

/// Runs one registered stage on its own over input files, outside a pipeline: what `winnow filter`
/// does. Kept documents go to `<output>/kept/`, rejected ones to `<output>/excluded/` with `filter` (the
/// stage) and `filter_reason` in their metadata, as in a pipeline step.
public struct StandaloneStageRun {
    public var stageName: String
    public var parameters: [String: JSONValue]
    public var inputs: [String]
    public var format: InputFormat
    public var readerOptions: ReaderOptions
    public var output: String
    public var compression: Compression

    public init(stageName: String, parameters: [String: JSONValue], inputs: [String], format: InputFormat = .auto,
                readerOptions: ReaderOptions = ReaderOptions(), output: String, compression: Compression = .zstd) {
        self.stageName = stageName
        self.parameters = parameters
        self.inputs = inputs
        self.format = format
        self.readerOptions = readerOptions
        self.output = output
        self.compression = compression
    }

    /// Runs the stage; input problems go to `problem` (which may throw to stop). Returns the stage's stats.
    public func run(problem: (InputProblem) throws -> Void) throws -> StageStats {
        guard let stageType = StageRegistry.lookup(stageName) else {
            throw ConfigurationError(location: "<command line>", message: "unknown stage '\(stageName)'; `winnow stages` lists them")
        }
        let stageName = stageType.stageName  // canonical, also for an alias
        var stage = try stageType.factory(parameters: StageParameters(stageName: stageName, commandLine: parameters)).make()
        for dir in ["kept", "excluded"] { try makeDirectory(output + "/" + dir) }
        let kept = JSONLWriter(directory: output + "/kept", prefix: "00000", compression: compression)
        let excluded = JSONLWriter(directory: output + "/excluded", prefix: "00000", compression: compression)
        var stats = StageStats(name: stageName)
        var readStats = StageStats(name: "read")
        try format.readDocuments(files: inputs, options: readerOptions, stats: &readStats, problem: problem) { document in
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
        return stats
    }
}
