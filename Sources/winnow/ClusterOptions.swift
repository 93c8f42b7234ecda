import ArgumentParser
import Foundation
import Logging
import WinnowPipeline

/// `winnow run --executor slurm ...`: the options of the cluster executor.
struct ClusterOptions: ParsableArguments {
    enum Executor: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    @Option(help: "Where tasks run: local (this machine's cores) or slurm (one job array per step and phase).")
    var executor: Executor = .local

    @Option(help: "Slurm: tasks per step (passed as --task-count to every task); needed when a step reads one not yet run.")
    var tasks: Int?

    @Option(help: "Slurm: partition for every step (a step's `slurm:` YAML settings win).")
    var partition: String?

    @Option(help: "Slurm: CPUs per task; also the task's --workers.")
    var cpusPerTask: Int?

    @Option(help: "Slurm: memory per task, as sbatch's --mem takes it (8G).")
    var mem: String?

    @Option(help: "Slurm: time limit per task, as sbatch's --time takes it (2:00:00).")
    var time: String?

    @Option(help: "Slurm: largest array size to submit (default: MaxArraySize from `scontrol show config`).")
    var maxArraySize: Int?

    @Option(name: .customLong("sbatch-arg"), help: "Slurm: one more sbatch option for every job (repeatable), e.g. --sbatch-arg=--account=lm.")
    var sbatchArguments: [String] = []

    @Option(help: "Slurm: attempts per task inside its job before it counts as failed.")
    var attempts: Int = 1

    @Option(help: "Slurm: the winnow binary the jobs run (default: this one); it must be reachable from the compute nodes.")
    var binary: String?

    @Flag(help: "Slurm: print the scripts and sbatch commands instead of submitting.")
    var dryRun = false

    @Flag(help: "Slurm: submit only the tasks that failed (see winnow status), not their dependents; submit again without it to finish the run.")
    var retryFailed = false

    func validate() throws {
        if let tasks, tasks < 1 { throw ValidationError("--tasks must be at least 1") }
        if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if let maxArraySize, maxArraySize < 1 { throw ValidationError("--max-array-size must be at least 1") }
        if attempts < 1 { throw ValidationError("--attempts must be at least 1") }
        if executor == .local, tasks != nil || dryRun || binary != nil || retryFailed {
            throw ValidationError("--tasks, --dry-run, --binary and --retry-failed go with --executor slurm (locally, --task-count sets the tasks; a rerun retries what failed)")
        }
    }

    func submit(_ pipeline: PipelineConfiguration, strict: Bool, logger: Logger) throws {
        var options = SlurmExecutor.Options(binary: binary ?? currentExecutable())
        options.tasks = tasks
        options.resources.partition = partition
        options.resources.cpusPerTask = cpusPerTask
        options.resources.memory = mem
        options.resources.time = time
        options.resources.sbatchArguments = sbatchArguments
        options.maxArraySize = maxArraySize
        options.attempts = attempts
        options.dryRun = dryRun
        options.retryFailedOnly = retryFailed
        options.strict = strict
        let submissions = try SlurmExecutor(pipeline: pipeline, options: options, logger: logger).submit()
        if !dryRun, !submissions.isEmpty {
            print("submitted \(submissions.count) job array\(submissions.count == 1 ? "" : "s"): \(submissions.map(\.jobID).joined(separator: " "))")
            print("follow with: winnow status \(pipeline.output)")
        }
    }

    private func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// `winnow status RUN_DIR`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how far a run is: tasks done, running, failed and pending per step and phase, local or on Slurm.")

    @Argument(help: "The run's output directory (e.g. output/sample).")
    var directory: String

    func run() throws {
        do {
            print(try RunStatus(directory: directory).render(), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
