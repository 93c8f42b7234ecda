import ArgumentParser
import Foundation
import WinnowIO
import WinnowFastText
import WinnowLangID

/// The loss names of `fasttext supervised -loss`.
enum LossOption: String, ExpressibleByArgument, CaseIterable {
    case softmax, hs, ova

    var loss: FastTextModel.Loss {
        switch self {
        case .softmax: .softmax
        case .hs: .hierarchicalSoftmax
        case .ova: .oneVsAll
        }
    }
}

/// The learning rate as fastText's CLI takes it: an argument is read as a float (`std::stof`), the default
/// is a double.
func fastTextLearningRate(_ argument: Double?, default value: Double) -> Double {
    argument.map { Double(Float($0)) } ?? value
}

/// Reads training text (plain, .gz or .zst) for the trainer.
func readTrainingText(_ paths: [String]) throws -> FastTextTrainingText {
    let sources = try paths.map { try openByteSource(path: $0) }
    return try FastTextTrainingText(readers: sources.map { source in { try source.read(into: $0) } })
}

struct LangIDTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a fastText classifier (`fasttext supervised`) and write its .bin.",
        discussion: """
        Input lines are `__label__xx text` (plain, .gz or .zst; several files are concatenated). Defaults are \
        fastText's. With --threads 1 (the default) the .bin is the same for the same input and options, and \
        the same as `fasttext supervised -thread 1`; with more threads it is trained Hogwild, as fastText does, \
        and differs from run to run.
        """)

    @Argument(help: "Training files (`-` is standard input).")
    var inputs: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Training files (the same as the arguments).", visibility: .hidden))
    var input: [String] = []

    @Option(name: .shortAndLong, help: "The model to write (.bin).")
    var output: String

    @Option(help: "Vector size.") var dim = 100
    @Option(help: "Passes over the input.") var epoch = 5
    @Option(help: "Learning rate (default 0.1).") var lr: Double?
    @Option(help: "Tokens between learning-rate updates.") var lrUpdateRate = 100
    @Option(help: "Longest word n-gram.") var wordNgrams = 1
    @Option(help: "Shortest character n-gram.") var minn = 0
    @Option(help: "Longest character n-gram (0: none).") var maxn = 0
    @Option(help: "Hash buckets for n-grams.") var bucket = 2_000_000
    @Option(help: "Minimum word count.") var minCount = 1
    @Option(help: "Minimum label count.") var minCountLabel = 0
    @Option(help: "Loss: softmax, hs or ova.") var loss: LossOption = .softmax
    @Option(help: "Threads (more than 1: not reproducible).") var threads = 1
    @Option(help: "Random seed.") var seed = 0
    @Option(help: "Label prefix.") var labelPrefix = "__label__"

    func validate() throws {
        if inputs.isEmpty && input.isEmpty { throw ValidationError("give the training files") }
    }

    var options: FastTextTrainingOptions {
        var o = FastTextTrainingOptions()
        o.dim = dim; o.epoch = epoch; o.learningRate = fastTextLearningRate(lr, default: 0.1); o.learningRateUpdateRate = lrUpdateRate
        o.wordNgrams = wordNgrams; o.minn = minn; o.maxn = maxn; o.bucket = bucket
        o.minCount = minCount; o.minCountLabel = minCountLabel; o.loss = loss.loss
        o.threads = threads; o.seed = seed; o.labelPrefix = labelPrefix
        return o
    }

    func run() throws {
        try reportingErrors {
            let text = try readTrainingText(inputs + input)
            let model = try FastTextTrainer(options: options).train(text)
            try model.write(to: output)
            FileHandle.standardError.write(Data(
                "\(output): \(model.wordCount) words, \(model.labelCount) labels, \(model.tokenCount) tokens, \(model.inputRows)x\(model.dim) input\n".utf8))
        }
    }
}
