import Foundation
import Testing
import WinnowCore
@testable import WinnowFastText
@testable import WinnowLangID
import WinnowTestSupport

/// Winnow's embedded default model: found, small, quantized, and read by Debian's `fasttext` as by Winnow.
struct DefaultModelTests {
    @Test func embeddedModelLoads() throws {
        let path = DefaultLanguageModel.path
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size <= 2 * 1024 * 1024, "\(path) is \(size) bytes")
        let model = try DefaultLanguageModel.load()
        #expect(model.labelCount == 115 && model.quantizedInput && model.header.model == .supervised)
        #expect(try DefaultLanguageModel.load() === model, "loaded once per process")
    }

    /// Plain sentences in a few languages get their language.
    @Test func identifiesClearSentences() throws {
        var identifier = LanguageIdentifier(model: try DefaultLanguageModel.load())
        let sentences = [
            ("en", "The quick brown fox jumps over the lazy dog and runs into the forest."),
            ("fr", "Le renard brun rapide saute par-dessus le chien paresseux et court dans la forêt."),
            ("de", "Der schnelle braune Fuchs springt über den faulen Hund und läuft in den Wald."),
            ("ru", "Быстрая коричневая лиса прыгает через ленивую собаку и убегает в лес."),
            ("ja", "素早い茶色の狐が怠け者の犬を飛び越えて森へ走っていきます。"),
        ]
        for (language, text) in sentences {
            let best = identifier.identify(Array(text.utf8)).first
            #expect(best.map { identifier.model.labelName($0.label) } == language, "\(text)")
        }
    }

    /// Issue 17's out-of-domain weaknesses, hand-written sentences (not from any training or evaluation
    /// set): Han sentences around command names (the first model said `sco` for the Traditional one) and
    /// short everyday sentences (it said `fur` for the French one).
    @Test func identifiesProseOutsideUIStrings() throws {
        var identifier = LanguageIdentifier(model: try DefaultLanguageModel.load())
        let sentences = [
            ("zh", "使用 ssh 命令连接到远程服务器，然后运行 apt-get update 更新软件包列表。"),
            ("zh", "用 grep -r 在 /etc 目录下搜索配置文件中的字符串。"),
            ("zh-Hant", "請用 sudo systemctl restart nginx 重新啟動網頁伺服器。"),
            ("fr", "Il pleut depuis ce matin."),
            ("fr", "Je suis fatigué."),
            ("de", "Wo ist der Bahnhof?"),
            ("ru", "Где находится вокзал?"),
            ("es", "¿Dónde está la estación de tren?"),
            ("en", "The weather is nice today."),
        ]
        for (language, text) in sentences {
            let best = identifier.identify(Array(text.utf8)).first
            #expect(best.map { identifier.model.labelName($0.label) } == language, "\(text)")
        }
    }

    /// The stages use the default model when no `model` is given.
    @Test func stagesDefaultToIt() throws {
        let factory = try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", [:]))
        var stage = try factory.make()
        var document = Document(id: "1", text: Array("Ceci est une phrase écrite en français, sans aucun doute.".utf8))
        var stats = StageStats(name: "language_id")
        _ = stage.process(&document, stats: &stats)
        #expect(document.metadata["language"] == .string("fr"))
    }

    @Test(.enabled(if: fasttextCLI != nil || referenceRequired, "needs Debian's fasttext CLI"))
    func fastTextReadsItAlike() throws {
        let cli = try fasttextReference()
        let (input, bytes) = try FastTextReferenceTests.inputFile()
        let model = try DefaultLanguageModel.load()
        for k in [1, -1] {
            let reference = parsePredictions(try runChecked(cli, ["predict-prob", DefaultLanguageModel.path, input, String(k)]))
            expectSamePredictions(winnowPredictions(model: model, input: bytes, k: k), reference, "winnow-lid.ftz k=\(k)")
        }
    }
}
