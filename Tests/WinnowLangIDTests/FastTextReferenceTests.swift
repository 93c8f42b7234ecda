import Foundation
import Testing
@testable import WinnowFastText
@testable import WinnowLangID
import WinnowTestSupport

/// Winnow's predictions against Debian's `fasttext predict-prob` on the same model and the same lines.
@Suite(.serialized, .enabled(if: fasttextCLI != nil, "needs Debian's fasttext CLI (apt-get install fasttext)"))
struct FastTextReferenceTests {
    /// The fixture lines plus the edge cases, written to a file both tools read.
    static func inputFile() throws -> (path: String, bytes: [UInt8]) {
        let test = try Array(Data(contentsOf: URL(fileURLWithPath: fixtures + "/test.txt")))
        let bytes = test + edgeCaseInput()
        let path = try temporaryDirectory("input") + "/input.txt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    func compare(modelPath: String, k: Int, threshold: Float = 0, _ context: String) throws {
        let (input, bytes) = try Self.inputFile()
        var args = ["predict-prob", modelPath, input, String(k)]
        if threshold > 0 { args.append(String(threshold)) }
        let reference = parsePredictions(try runChecked(fasttextCLI!, args))
        let model = try FastTextModel(path: modelPath)
        let ours = winnowPredictions(model: model, input: bytes, k: k, threshold: threshold)
        expectSamePredictions(ours, reference, "\(context) k=\(k) threshold=\(threshold)")
    }

    @Test func lid176() throws {
        let path = try WinnowLangIDTests.lid176()
        let model = try FastTextModel(path: path)
        #expect(model.labelCount == 176 && model.header.loss == .hierarchicalSoftmax && model.quantizedInput && model.pruneIndexSize > 0)
        try compare(modelPath: path, k: 1, "lid.176.ftz")
        try compare(modelPath: path, k: -1, "lid.176.ftz")
        try compare(modelPath: path, k: 5, threshold: 0.01, "lid.176.ftz")
    }

    @Test func fastlangidModelS() throws {
        let path = try WinnowLangIDTests.fastlangidModelS()
        let model = try FastTextModel(path: path)
        #expect(model.header.loss == .softmax && model.header.wordNgrams > 1 && model.quantizedInput)
        try compare(modelPath: path, k: 1, "model_s.ftz")
        try compare(modelPath: path, k: -1, "model_s.ftz")
    }

    /// Small models trained here by the reference CLI: every loss, dense and quantized, word bigrams or
    /// trigrams, a dimension that product quantization does not split evenly (10 with dsub 4).
    ///
    /// fastText quantizes an output matrix (`-qout`) only with at least 256 labels, so those models learn 300
    /// made-up labels (`__label__L<line % 300>`) from the same text: meaningless, but as exact a check.
    @Test(arguments: [
        ("softmax", ["-wordNgrams", "2", "-dim", "16"], ["-qnorm"], false),
        ("hs", ["-wordNgrams", "2", "-dim", "10"], ["-dsub", "4", "-qnorm"], false),
        ("ova", ["-wordNgrams", "3", "-dim", "12"], [], false),
        ("ns", ["-wordNgrams", "2", "-dim", "8", "-neg", "3"], ["-dsub", "3"], false),
        ("softmax", ["-wordNgrams", "2", "-dim", "16", "-minn", "0", "-maxn", "0"], ["-cutoff", "300", "-retrain", "-qnorm"], false),
        ("softmax", ["-wordNgrams", "2", "-dim", "16"], ["-qnorm", "-qout"], true),
        ("ova", ["-wordNgrams", "3", "-dim", "12"], ["-qout"], true),
        ("ns", ["-wordNgrams", "2", "-dim", "8", "-neg", "3"], ["-dsub", "3", "-qnorm", "-qout"], true),
        ("hs", ["-wordNgrams", "2", "-dim", "10"], ["-qout"], true),
    ])
    func trainedModels(loss: String, trainOptions: [String], quantizeOptions: [String], manyLabels: Bool) throws {
        let dir = try cacheDirectory("langid-trained")
        let name = ([loss] + trainOptions + quantizeOptions + (manyLabels ? ["many"] : [])).joined().filter { $0.isLetter || $0.isNumber }
        let base = dir + "/" + name
        var train = fixtures + "/train.txt"
        if manyLabels {
            train = dir + "/train-300-labels.txt"
            let lines = try String(contentsOfFile: fixtures + "/train.txt", encoding: .utf8).split(separator: "\n")
            let relabelled = lines.enumerated().map { i, line in "__label__L\(i % 300) " + line.drop { $0 != " " }.dropFirst() }
            try (relabelled.joined(separator: "\n") + "\n").write(toFile: train, atomically: true, encoding: .utf8)
        }
        if !FileManager.default.fileExists(atPath: base + ".ftz") {
            var options = ["supervised", "-input", train, "-output", base, "-loss", loss, "-epoch", "10", "-lr", "0.5",
                           "-bucket", "50000", "-thread", "1", "-verbose", "0"]
            if !trainOptions.contains("-minn") { options += ["-minn", "2", "-maxn", "4"] }
            _ = try runChecked(fasttextCLI!, options + trainOptions)
            _ = try runChecked(fasttextCLI!, ["quantize", "-input", train, "-output", base, "-verbose", "0"] + quantizeOptions)
        }
        for suffix in [".bin", ".ftz"] {
            try compare(modelPath: base + suffix, k: 1, "\(loss)\(suffix)")
            try compare(modelPath: base + suffix, k: -1, "\(loss)\(suffix)")
        }
        try compare(modelPath: base + ".bin", k: 3, threshold: 0.05, "\(loss).bin")
        // A dense model read from the memory-mapped file gives the same answers as one copied into memory.
        let mapped = try FastTextModel(path: base + ".bin", mapThreshold: 0)
        #expect(mapped.inputIsMapped)
        let (_, bytes) = try Self.inputFile()
        let copied = try FastTextModel(path: base + ".bin", mapThreshold: .max)
        let a = winnowPredictions(model: mapped, input: bytes, k: -1), b = winnowPredictions(model: copied, input: bytes, k: -1)
        #expect(a.map { $0.map(\.label) } == b.map { $0.map(\.label) } && a.map { $0.map(\.probability) } == b.map { $0.map(\.probability) })
    }

    /// The CLI-format writer prints what `fasttext predict-prob` prints.
    @Test func lineOutputFormat() throws {
        let path = try WinnowLangIDTests.lid176()
        let (input, _) = try Self.inputFile()
        let reference = try runChecked(fasttextCLI!, ["predict-prob", path, input, "2"])
        let dir = try temporaryDirectory()
        let outPath = dir + "/out.txt"
        let inFD = open(input, O_RDONLY), outFD = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var lines = FastTextLinePredictor(model: try FastTextModel(path: path), k: 2)
        try lines.run(input: inFD, output: outFD)
        close(inFD); close(outFD)
        let ours = try Data(contentsOf: URL(fileURLWithPath: outPath))
        expectSamePredictions(parsePredictions(ours), parsePredictions(reference), "format")
        let oursLines = String(decoding: ours, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let refLines = String(decoding: reference, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let identical = zip(oursLines, refLines).filter { $0 == $1 }.count
        // Ties may order differently; everything else is byte for byte.
        #expect(identical >= refLines.count - 2, "\(identical) of \(refLines.count) lines identical")
    }
}

@Suite(.enabled(if: fasttextCLI != nil && builtWinnowExecutable() != nil, "needs the fasttext CLI and the winnow executable"))
struct LangIDCommandTests {
    @Test func predictLikeFastText() throws {
        let model = try lid176()
        let (input, bytes) = try FastTextReferenceTests.inputFile()
        for k in ["1", "-1"] {
            let reference = try runChecked(fasttextCLI!, ["predict-prob", model, input, k, "0.001"])
            let fromFile = try runChecked(try winnowExecutable(), ["langid", "predict", "--model", model, "-k", k, "--threshold", "0.001", input])
            let fromStdin = try run(try winnowExecutable(), ["langid", "predict", "--model", model, "-k", k, "--threshold", "0.001", "-"], stdin: Data(bytes))
            #expect(fromStdin.status == 0 && fromStdin.stdoutData == fromFile)
            expectSamePredictions(parsePredictions(fromFile), parsePredictions(reference), "winnow langid predict -k \(k)")
        }
        let info = try runChecked(try winnowExecutable(), ["langid", "info", model])
        #expect(String(decoding: info, as: UTF8.self).contains("labels 176"))
        // Without --model: Winnow's default model, read by fastText alike.
        let defaultModel = try run(try winnowExecutable(), ["langid", "predict", "-k", "2", input])
        let defaultReference = try runChecked(fasttextCLI!, ["predict-prob", DefaultLanguageModel.path, input, "2"])
        #expect(defaultModel.status == 0)
        expectSamePredictions(parsePredictions(defaultModel.stdoutData), parsePredictions(defaultReference), "winnow langid predict (default model)")
    }

    @Test func predictJSONL() throws {
        let model = try lid176()
        let dir = try temporaryDirectory()
        let docs = "{\"id\":\"a\",\"text\":\"Bonjour tout le monde,\\nceci est un test.\"}\n{\"id\":\"b\",\"text\":\"Это предложение написано на русском языке.\"}\n"
        try docs.write(toFile: dir + "/d.jsonl", atomically: true, encoding: .utf8)
        let out = String(decoding: try runChecked(try winnowExecutable(), ["langid", "predict", "--model", model, "--jsonl", dir + "/d.jsonl"]), as: UTF8.self)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("\"language\":\"fr\"") == true && lines.last?.contains("\"language_script\":\"Cyrl\"") == true)
    }
}
