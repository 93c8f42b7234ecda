import Logging
import WinnowCore

/// Runs a pipeline's steps in order; a step starts only when the previous one is complete, since it reads
/// that step's output directory.
public struct PipelineRunner {
    public let pipeline: PipelineConfiguration
    public let options: RunOptions
    public let logger: Logger

    public init(pipeline: PipelineConfiguration, options: RunOptions, logger: Logger) {
        self.pipeline = pipeline
        self.options = options
        self.logger = logger
    }

    /// Runs the selected steps. Returns true when all of them are complete.
    @discardableResult
    public func run() throws -> Bool {
        var steps = pipeline.steps
        if let only = options.step {
            guard let step = steps.first(where: { $0.name == only }) else {
                throw ExecutionError("no step '\(only)' in \(pipeline.file) (steps: \(steps.map(\.name).joined(separator: ", ")))")
            }
            steps = [step]
        } else if options.taskIndex != nil || options.phase != nil, steps.count > 1 {
            throw ExecutionError("--task-index and --phase need --step when the pipeline has several steps")
        }
        // Every input file must exist before any work starts.
        for step in steps {
            if case .paths = step.input.source {
                _ = try StepExecutor(pipeline: pipeline, step: step, options: options, logger: logger).inputFiles()
            }
        }
        for step in steps {
            let executor = StepExecutor(pipeline: pipeline, step: step, options: options, logger: logger)
            logger.info("step '\(step.name)': running into \(executor.layout.root)")
            let complete = try executor.run()
            if !complete {
                logger.info("step '\(step.name)': selected tasks done; the step completes when all its tasks are")
                return false
            }
        }
        return true
    }
}
