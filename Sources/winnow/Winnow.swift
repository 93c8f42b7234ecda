import ArgumentParser
import Foundation
import Logging
import WinnowPipeline

/// The `winnow` command line: parses arguments and calls the library.
@main
struct Winnow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winnow",
        abstract: "Turn web crawl dumps into pretraining data.",
        subcommands: [RunCommand.self, StatsCommand.self, StagesCommand.self, PIICommand.self, FilterCommand.self, LangIDCommand.self, TokenizerCommand.self, LMCommand.self, ClassifierCommand.self, DedupCommand.self]
    )
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline YAML: its steps in order, resuming from where an earlier run stopped."
    )

    @Argument(help: "The pipeline file, e.g. Pipelines/sample.yaml.")
    var pipeline: String

    @Option(help: "Worker threads (default: all cores). The output is the same for any value.")
    var workers: Int?

    @Option(help: "Output directory, overriding the pipeline's 'output:'.")
    var output: String?

    @Option(help: "Run only this step.")
    var step: String?

    @Option(help: "Run only this phase of a whole-dataset step (with --step; for cluster array jobs).")
    var phase: String?

    @Option(help: "Run only this task of the step, or of the phase (for cluster array jobs).")
    var taskIndex: Int?

    @Option(help: "Split the step's input into this many tasks (default: the pipeline's 'tasks:', else one per file).")
    var taskCount: Int?

    @Flag(help: "Stop at the first input problem instead of counting it and going on.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Only warnings and errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Debug logging.")
    var verbose = false

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let taskCount, taskCount < 1 { throw ValidationError("--task-count must be at least 1") }
    }

    func run() throws {
        let logger = makeLogger(quiet: quiet, verbose: verbose)
        let interactive = isatty(STDERR_FILENO) == 1 && !quiet
        let options = RunOptions(
            workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, step: step, phase: phase, taskIndex: taskIndex,
            taskCount: taskCount, strict: strict, progress: interactive)
        do {
            let configuration = try PipelineLoader.load(file: pipeline, outputOverride: output)
            let complete = try PipelineRunner(pipeline: configuration, options: options, logger: logger).run()
            if complete, !quiet {
                print(try StatsSummary.render(directory: configuration.output), terminator: "")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print the merged stats of a run: an output directory, a step directory or a stats.json."
    )

    @Argument(help: "An output directory (e.g. output/sample).")
    var directory: String

    func run() throws {
        do {
            print(try StatsSummary.render(directory: directory), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stages", abstract: "List the stages a pipeline can use.")

    func run() {
        for stage in StageRegistry.all.sorted(by: { $0.stageName < $1.stageName }) {
            print("\(stage.stageName.padding(toLength: 20, withPad: " ", startingAt: 0)) \(stage.summary)")
        }
        print("\nWhole-dataset steps (`run:` in a step, instead of `stages:`):")
        for step in DatasetStepRegistry.all {
            print("\(step.stepName.padding(toLength: 20, withPad: " ", startingAt: 0)) \(step.summary)")
        }
    }
}

func makeLogger(quiet: Bool, verbose: Bool) -> Logger {
    LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    var logger = Logger(label: "winnow")
    logger.logLevel = quiet ? .warning : verbose ? .debug : .info
    return logger
}
