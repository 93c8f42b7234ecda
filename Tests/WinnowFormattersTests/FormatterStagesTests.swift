import Testing
import WinnowTestSupport
import WinnowCore
import WinnowFormatters

@Suite struct FormatterStagesTests {
    func run(_ stage: any RegisteredStage.Type, _ parameters: [String: JSONValue], _ text: String) throws -> (String, StageStats) {
        let factory = try stage.factory(parameters: StageParameters(stageName: stage.stageName, parameters))
        var instance = try factory.make()
        var document = Document(id: "d", text: text)
        var stats = StageStats(name: stage.stageName)
        #expect(instance.process(&document, stats: &stats) == .keep)
        try instance.finish(stats: &stats)
        return (document.textString, stats)
    }

    @Test func registry() {
        #expect(FormatterStages.all.map { $0.stageName } == ["normalize_unicode", "fix_line_endings"])
    }

    @Test func normalizeUnicode() throws {
        let (nfc, stats) = try run(UnicodeNormalizeStage.self, [:], "Cafe\u{301}")
        #expect(nfc == "Café")
        #expect(stats.counters["normalized"] == 1)

        let (same, unchanged) = try run(UnicodeNormalizeStage.self, ["form": "nfc"], "Café")
        #expect(same == "Café")
        #expect(unchanged.counters["normalized"] == nil)

        #expect(try run(UnicodeNormalizeStage.self, ["form": "nfkc"], "ﬁ①").0 == "fi1")
        #expect(try run(UnicodeNormalizeStage.self, ["form": "nfkc_casefold"], "STRAẞE").0 == "strasse")
        #expect(try run(UnicodeNormalizeStage.self, ["form": "nfd"], "é").0 == "e\u{301}")
        #expect(try run(UnicodeNormalizeStage.self, ["form": "nfkd"], "ǅ").0 == "Dz\u{30C}")
    }

    @Test func normalizeUnicodeRejectsBadParameters() {
        #expect(throws: ConfigurationError.self) {
            _ = try UnicodeNormalizeStage.factory(parameters: StageParameters(stageName: "normalize_unicode", ["form": "nfx"]))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try UnicodeNormalizeStage.factory(parameters: StageParameters(stageName: "normalize_unicode", ["from": "nfc"]))
        }
    }

    @Test func unchangedDocumentsKeepTheirStorage() throws {
        var stage = UnicodeNormalizeStage(form: .nfc)
        let text = Array("already NFC: é 中".utf8)
        var document = Document(id: "d", text: text)
        var stats = StageStats(name: "normalize_unicode")
        _ = stage.process(&document, stats: &stats)
        #expect(document.text.withUnsafeBufferPointer { $0.baseAddress } == text.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func fixLineEndings() throws {
        let (text, stats) = try run(FixLineEndingsStage.self, [:], "a\r\nb\rc\nd  \r\n\r\n")
        #expect(text == "a\nb\nc\nd  \n\n")
        #expect(stats.counters["fixed_line_endings"] == 1)
        #expect(stats.counters["stripped_trailing_spaces"] == nil)

        let (same, none) = try run(FixLineEndingsStage.self, [:], "a\nb  \n")
        #expect(same == "a\nb  \n")
        #expect(none.counters.isEmpty)
    }

    @Test func stripTrailingSpaces() throws {
        let (text, stats) = try run(FixLineEndingsStage.self, ["strip_trailing_spaces": true], "a \t\r\nb\n  c  \n\u{3000}\nend\t")
        #expect(text == "a\nb\n  c\n\u{3000}\nend")
        #expect(stats.counters["fixed_line_endings"] == 1)
        #expect(stats.counters["stripped_trailing_spaces"] == 1)

        let (onlySpaces, s2) = try run(FixLineEndingsStage.self, ["strip_trailing_spaces": true], "x y \nz")
        #expect(onlySpaces == "x y\nz")
        #expect(s2.counters["fixed_line_endings"] == nil)

        let (clean, s3) = try run(FixLineEndingsStage.self, ["strip_trailing_spaces": true], "x y\nz\n")
        #expect(clean == "x y\nz\n")
        #expect(s3.counters.isEmpty)
    }

    @Test(arguments: [
        ("a\r\r\nb\r", false, "a\n\nb\n"),
        ("\r", false, "\n"),
        ("\r\n\r\n", false, "\n\n"),
        ("no breaks", false, "no breaks"),
        ("", true, ""),
        ("\t\n \n", true, "\n\n"),
        ("keep  inner  spaces \t", true, "keep  inner  spaces"),
        ("é \r\n中\t\r", true, "é\n中\n"),
        ("x \r  \ny", true, "x\n\ny"),
    ])
    func fixLineEndingsCases(input: String, strip: Bool, expected: String) {
        let result = FixLineEndingsStage.fix(Array(input.utf8), stripTrailingSpaces: strip)
        #expect(String(decoding: result.text ?? Array(input.utf8), as: UTF8.self) == expected)
        #expect((result.text == nil) == (input == expected))
    }

    @Test func fixLineEndingsRejectsBadParameters() {
        #expect(throws: ConfigurationError.self) {
            _ = try FixLineEndingsStage.factory(parameters: StageParameters(stageName: "fix_line_endings", ["strip_trailing_spaces": "yes"]))
        }
        #expect(throws: ConfigurationError.self) {
            _ = try FixLineEndingsStage.factory(parameters: StageParameters(stageName: "fix_line_endings", ["strip": true]))
        }
    }
}
