import ArgumentParser
import Foundation
import Logging
import WinnowPipeline

/// The `winnow` command line: parses arguments and calls the library.
@main
struct Winnow: ParsableCommand {
    /// The release this source is; `--version` adds the commit it was built from.
    static let version = "0.1.0-dev"

    static let configuration = CommandConfiguration(
        commandName: "winnow",
        abstract: "Turn web crawl dumps into pretraining data.",
        version: "winnow \(Winnow.version) (commit \(BuildInfo.commit))",
        subcommands: [RunCommand.self, StatusCommand.self, StatsCommand.self, StagesCommand.self, PIICommand.self, FilterCommand.self, LangIDCommand.self, TokenizerCommand.self, LMCommand.self, ClassifierCommand.self, ExtractCommand.self, ShardsCommand.self, DedupCommand.self, ReportCommand.self]
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

    @Option(name: .shortAndLong, help: "Output directory, overriding the pipeline's 'output:'.")
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

    @OptionGroup(title: "Cluster")
    var cluster: ClusterOptions

    @Flag(help: "Redo the tasks whose input files changed since the output was written (else the run refuses).")
    var rerunChanged = false

    @Flag(name: .shortAndLong, help: "Only warnings and errors (no progress).")
    var quiet = false

    @Option(help: "When standard error is not a terminal (a log file, a cluster job), a progress line every this many seconds; 0: none.")
    var progressInterval: Double = 30

    @Flag(name: .shortAndLong, help: "Debug logging.")
    var verbose = false

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let taskCount, taskCount < 1 { throw ValidationError("--task-count must be at least 1") }
        if progressInterval < 0 { throw ValidationError("--progress-interval must be 0 (none) or more seconds") }
    }

    func run() throws {
        let logger = makeLogger(quiet: quiet, verbose: verbose)
        let terminal = isatty(STDERR_FILENO) == 1
        let interactive = !quiet && (terminal || progressInterval > 0)
        var options = RunOptions(
            workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, step: step, phase: phase, taskIndex: taskIndex,
            taskCount: taskCount, strict: strict, progress: interactive)
        options.rerunChanged = rerunChanged
        if !terminal { options.progressLogInterval = progressInterval }
        try reportingErrors {
            let configuration = try PipelineLoader.load(file: pipeline, outputOverride: output)
            if cluster.executor == .slurm {
                try cluster.submit(configuration, strict: strict, logger: logger)
                return
            }
            let interrupt = resumeHintOnInterrupt(output: configuration.output)
            defer { interrupt.cancel() }
            let started = Date()
            let complete = try PipelineRunner(pipeline: configuration, options: options, logger: logger).run()
            if complete, configuration.report, step == nil {
                let path = try ReportCommand.writeAfterRun(configuration, started: started)
                logger.info("report: \(path)")
            }
            if complete, !quiet {
                print(try StatsSummary.render(directory: configuration.output, stepOrder: configuration.steps.map(\.name)),
                      terminator: "")
            }
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
        try reportingErrors {
            print(try StatsSummary.render(directory: directory), terminator: "")
        }
    }
}

/// On Ctrl-C (SIGINT), says that finished tasks are kept and a rerun resumes, then exits with status 130.
/// The message is written from a dispatch queue, not inside the signal handler.
func resumeHintOnInterrupt(output: String) -> any DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
        let message = "\ninterrupted: finished tasks are kept in \(output); run the same command again to resume (unfinished tasks are redone from the start)\n"
        FileHandle.standardError.write(Data(message.utf8))
        _exit(130)
    }
    source.resume()
    return source
}

func makeLogger(quiet: Bool, verbose: Bool) -> Logger {
    LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    var logger = Logger(label: "winnow")
    logger.logLevel = quiet ? .warning : verbose ? .debug : .info
    return logger
}
