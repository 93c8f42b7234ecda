import ArgumentParser
import Foundation
import WinnowFastText
import WinnowLangID

struct LangIDQuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a trained .bin into an .ftz (`fasttext quantize`).",
        discussion: """
        Product quantization of the input matrix (and of the output with --qout, which needs 256 labels or \
        more), after keeping only the --cutoff rows with the largest norms; --retrain trains the kept rows \
        again on --input. The codes are those `fasttext quantize` computes.
        """)

    @Argument(help: "The dense model (.bin) to quantize.")
    var model: String

    @Option(name: .shortAndLong, help: "The quantized model to write (.ftz).")
    var output: String

    @Option(help: "Keep this many input rows, the largest norms (0: all).") var cutoff = 0
    @Option(help: "Floats per sub-vector.") var dsub = 2
    @Flag(help: "Quantize the norms separately.") var qnorm = false
    @Flag(help: "Quantize the output matrix too.") var qout = false
    @Flag(help: "Retrain after the cutoff (needs --input).") var retrain = false
    @Option(parsing: .upToNextOption, help: "Training files, for --retrain.") var input: [String] = []
    @Option(help: "Retraining passes.") var epoch = 5
    @Option(help: "Retraining learning rate (default 0.05).") var lr: Double?
    @Option(help: "Retraining threads (more than 1: not reproducible).") var threads = 1
    @Option(help: "Label prefix of the training files.") var labelPrefix = "__label__"

    func run() throws {
        try reportingErrors {
            var options = FastTextQuantizationOptions()
            options.cutoff = cutoff; options.dsub = dsub; options.qnorm = qnorm; options.qout = qout
            options.retrain = retrain; options.epoch = epoch; options.learningRate = fastTextLearningRate(lr, default: 0.05); options.threads = threads
            let dense = try FastTextDenseModel(path: model, labelPrefix: labelPrefix)
            let text = retrain && !input.isEmpty ? try readTrainingText(input) : nil
            let quantized = try FastTextQuantizer.quantize(dense, options: options, retrainText: text)
            try quantized.write(to: output)
        }
    }
}
