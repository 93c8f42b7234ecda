import ArgumentParser
import Foundation
import WinnowPipeline
import WinnowReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a run: funnels, exclusions, problems, distributions, excluded samples.",
        discussion: "The page opens from disk with no network (inline CSS and SVG, no script). Distributions come from "
            + "seeded samples of each step's kept and excluded documents, read now, at most --sample-size per step and "
            + "side. See docs/report.md."
    )

    @Argument(help: "A run's output directory (the 'output:' of a pipeline, or `winnow run --output`).")
    var runDirectory: String

    @Option(name: .shortAndLong, help: "Where to write the page (default: RUN_DIRECTORY/report.html).")
    var output: String?

    @Option(help: "Excluded documents shown per stage and reason.")
    var samples = 5

    @Option(help: "Documents sampled per step for the before and after distributions.")
    var sampleSize = 10_000

    @Option(help: "Seed of the samples.")
    var seed: UInt64 = 1

    @Option(help: "The pipeline YAML the run came from: its name, file hash and step order go into the header.")
    var pipeline: String?

    func validate() throws {
        if samples < 0 { throw ValidationError("--samples must be 0 or more") }
        if sampleSize < 1 { throw ValidationError("--sample-size must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            var options = ReportOptions()
            options.examplesPerReason = samples
            options.sampleSize = sampleSize
            options.seed = seed
            options.version = Winnow.version + " (commit \(BuildInfo.commit))"
            if let pipeline {
                let configuration = try PipelineLoader.load(file: pipeline, outputOverride: runDirectory)
                options.run = RunInfo.pipeline(file: pipeline, name: configuration.name)
                options.stepOrder = configuration.steps.map(\.name)
            }
            let path = try RunReport.write(runDirectory: runDirectory, output: output, options: options)
            print(path)
        }
    }

    /// `report: true` in a pipeline: the page for the run just finished, with its times and CPU time.
    static func writeAfterRun(_ configuration: PipelineConfiguration, started: Date) throws -> String {
        var options = ReportOptions()
        options.version = Winnow.version + " (commit \(BuildInfo.commit))"
        options.stepOrder = configuration.steps.map(\.name)
        options.run = RunInfo.pipeline(file: configuration.file, name: configuration.name)
        options.run.started = started
        options.run.finished = Date()
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        options.run.cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        return try RunReport.write(runDirectory: configuration.output, options: options)
    }
}
