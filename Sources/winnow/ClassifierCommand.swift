import ArgumentParser
import Foundation
import WinnowCore
import WinnowFilters
import WinnowIO
import WinnowFastText
import WinnowLangID

/// `winnow classifier ...`: quality classifiers for `classifier_filter`.
struct ClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "Train fastText quality classifiers for the classifier_filter stage.",
        subcommands: [ClassifierTrainCommand.self])
}

struct ClassifierTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a fastText classifier from positive and negative documents (DCLM-style quality filter).",
        discussion: """
        POSITIVE and NEGATIVE are documents (JSONL, WARC, WET; plain/.gz/.zst). Each becomes one line \
        `__label__<label> <text>` with the text as classifier_filter predicts it (stripped, newlines removed), in \
        a seeded random order; Winnow's fastText trainer writes OUTPUT (.bin, loadable by fastText), and \
        --quantize also writes a quantized .ftz. Then: `- classifier_filter: {model: OUTPUT, keep_labels: {hq: 0.5}}`.
        """)

    @Option(parsing: .upToNextOption, help: "Documents of the wanted kind.")
    var positive: [String]

    @Option(parsing: .upToNextOption, help: "Documents of the unwanted kind.")
    var negative: [String]

    @Option(help: "Label of the positive documents.") var positiveLabel = "hq"
    @Option(help: "Label of the negative documents.") var negativeLabel = "lq"
    @Option(help: "What newlines become (as classifier_filter's newline_replacement).") var newlineReplacement = ""
    @Option(name: .shortAndLong, help: "The model to write (.bin).") var output: String
    @Option(help: "Also write a quantized model (.ftz) here.") var quantize: String?

    @Option(help: "Vector size.") var dim = 100
    @Option(help: "Passes over the input.") var epoch = 5
    @Option(help: "Learning rate.") var lr = 0.1
    @Option(help: "Longest word n-gram.") var wordNgrams = 2
    @Option(help: "Shortest character n-gram.") var minn = 0
    @Option(help: "Longest character n-gram (0: none).") var maxn = 0
    @Option(help: "Hash buckets for n-grams.") var bucket = 2_000_000
    @Option(help: "Minimum word count.") var minCount = 1
    @Option(help: "Threads (more than 1: not reproducible).") var threads = 1
    @Option(help: "Seed of the training order and of fastText.") var seed = 0

    @OptionGroup var input: DocumentInputOptions

    func run() throws {
        try reportingErrors {
            var set = ClassifierTrainingSet(newlineReplacement: newlineReplacement)
            try input.read(positive) { set.add($0, label: positiveLabel) }
            try input.read(negative) { set.add($0, label: negativeLabel) }
            var options = FastTextTrainingOptions()
            options.dim = dim; options.epoch = epoch; options.learningRate = fastTextLearningRate(lr, default: 0.1)
            options.wordNgrams = wordNgrams; options.minn = minn; options.maxn = maxn; options.bucket = bucket
            options.minCount = minCount; options.threads = threads; options.seed = seed
            let model = try FastTextTrainer(options: options).train(set.shuffled(seed: UInt64(seed)))
            try model.write(to: output)
            if let quantize {
                try FastTextQuantizer.quantize(model, options: FastTextQuantizationOptions()).write(to: quantize)
            }
            let counts = set.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("\(counts) documents -> \(output)\(quantize.map { " and \($0)" } ?? "")\n".utf8))
        }
    }
}
