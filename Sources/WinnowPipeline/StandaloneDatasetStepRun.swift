import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Runs one whole-dataset step on its own over input files, outside a pipeline YAML, with the same phases and
/// executor as in a pipeline: what `winnow tokenizer train` does. The step runs in `<output>/.winnow-run/` (so an
/// interrupted command resumes when run again with the same arguments); when it completes, the step's `output/`
/// files are moved into `output` (a step writing documents, such as dedup, sets `results` to
/// `["documents", "excluded"]`: those directories move into `output` whole), the input problems the phases
/// recorded move to `output/problems/`, and the run directory is removed.
public struct StandaloneDatasetStepRun {
    public var stepName: String
    public var parameters: [String: JSONValue]
    public var inputs: [String]
    public var format: InputFormat
    public var readerOptions: ReaderOptions
    public var output: String
    /// The step-level directories that are the command's result: `output` (its files move into `output`) or
    /// directories that move into `output` under their own names (`documents`, `excluded`).
    public var results: [String] = ["output"]
    /// The command's option of each parameter whose name is not the parameter's with dashes (for error messages).
    public var optionNames: [String: String] = [:]

    public init(stepName: String, parameters: [String: JSONValue], inputs: [String], format: InputFormat = .auto,
                readerOptions: ReaderOptions = ReaderOptions(), output: String, results: [String] = ["output"],
                optionNames: [String: String] = [:]) {
        self.results = results
        self.optionNames = optionNames
        self.stepName = stepName
        self.parameters = parameters
        self.inputs = inputs
        self.format = format
        self.readerOptions = readerOptions
        self.output = output
    }

    /// Runs the step; returns its merged stats rows (`read` and one per phase).
    public func run(options: RunOptions, logger: Logger) throws -> [StageStats] {
        guard let stepType = DatasetStepRegistry.lookup(stepName) else {
            throw ConfigurationError(location: "<command line>", message: "unknown whole-dataset step '\(stepName)'")
        }
        let configured = ConfiguredDatasetStep(
            type: stepName, step: try stepType.make(parameters: StageParameters(stageName: stepName, commandOptions: parameters, optionNames: optionNames)))
        let work = output + "/.winnow-run"
        let step = StepConfiguration(
            name: stepName, location: "<command line>",
            input: InputConfiguration(source: .paths(inputs), format: format, options: readerOptions, tasks: 0),
            stages: [], datasetStep: configured,
            writer: WriterConfiguration(compression: .zstd, level: nil, maxFileBytes: 0, maxDocuments: 0, writeExcluded: results.contains("excluded")),
            fingerprint: "\(stepName) \(JSONWriter.string(.object(JSONObject(entries: parameters.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: $0.value) })))) \(inputs)")
        let pipeline = PipelineConfiguration(name: stepName, file: "<command line>", output: work, steps: [step])
        guard try PipelineRunner(pipeline: pipeline, options: options, logger: logger).run() else {
            throw ExecutionError("\(stepName) did not complete")
        }
        let layout = StepLayout(output: work, step: stepName)
        let fm = FileManager.default
        for result in results where result == "output" {
            for name in try fm.contentsOfDirectory(atPath: layout.output).sorted() {
                try? fm.removeItem(atPath: output + "/" + name)
                try moveReplacing(layout.output + "/" + name, to: output + "/" + name)
            }
        }
        for result in results where result != "output" && fm.fileExists(atPath: layout.root + "/" + result) {
            try? fm.removeItem(atPath: output + "/" + result)
            try moveReplacing(layout.root + "/" + result, to: output + "/" + result)
        }
        guard let data = fm.contents(atPath: layout.mergedStats), let value = try? JSONParser.parse(Array(data)) else {
            throw ExecutionError("cannot read \(layout.mergedStats)")
        }
        try keepProblems(of: layout)
        try fm.removeItem(atPath: work)
        return (value.objectValue?["stages"]?.arrayValue ?? []).compactMap(StageStats.init(json:))
    }

    /// Moves the input problems the phases recorded (`<phase>/problems/<task>.jsonl`) to `output/problems/`
    /// as `<phase>-<task>.jsonl`, so that they outlive the scratch run directory.
    private func keepProblems(of layout: StepLayout) throws {
        let fm = FileManager.default
        var found: [(from: String, name: String)] = []
        for directory in ((try? fm.contentsOfDirectory(atPath: layout.root)) ?? []).sorted() {
            let problems = layout.root + "/" + directory + "/problems"
            for file in ((try? fm.contentsOfDirectory(atPath: problems)) ?? []).sorted() {
                found.append((problems + "/" + file, directory + "-" + file))
            }
        }
        for file in ((try? fm.contentsOfDirectory(atPath: layout.root + "/problems")) ?? []).sorted() {
            found.append((layout.root + "/problems/" + file, file))
        }
        guard !found.isEmpty else { return }
        try? fm.removeItem(atPath: output + "/problems")
        try makeDirectory(output + "/problems")
        for (from, name) in found { try moveReplacing(from, to: output + "/problems/" + name) }
    }
}
