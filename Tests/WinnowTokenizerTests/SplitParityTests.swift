import Foundation
import Testing
import WinnowTokenizer
import WinnowTestSupport

/// Python modules the reference tests need.
enum PythonReference {
    /// Whether Python can import every module in `modules`, or `WINNOW_REQUIRE_REFERENCE=1` is set (CI), so that
    /// a missing reference fails instead of skipping.
    static func available(_ modules: String...) -> Bool {
        if ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1" { return true }
        let imports = modules.map { "import \($0)" }.joined(separator: "; ")
        guard let status = try? HFReference.runProcess([HFReference.python, "-c", imports]) else { return false }
        return status == 0
    }

    static let hasRegex = available("regex")
    static let hasTokenizers = available("tokenizers")
    static let hasTiktoken = available("tiktoken", "tokenizers")

    /// Runs `Fixtures/<script> request.json result.json` and returns the parsed result.
    static func run(_ script: String, _ request: Any) throws -> [String: Any] {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let requestPath = dir + "/request.json", resultPath = dir + "/result.json", errPath = dir + "/stderr.txt"
        try JSONSerialization.data(withJSONObject: request).write(to: URL(fileURLWithPath: requestPath))
        let path = HFReference.testsDirectory.appendingPathComponent("Fixtures/" + script).path
        let status = try HFReference.runProcess([HFReference.python, path, requestPath, resultPath], stderrPath: errPath)
        guard status == 0 else {
            throw TestFailure("\(script) failed (\(status)): \((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")")
        }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as! [String: Any]
    }
}

/// Piece lengths in bytes of `text` split with `pattern`.
func splitLengths(_ pattern: SplitPattern, _ text: [UInt8]) -> [Int] {
    var lengths: [Int] = []
    text.withUnsafeBufferPointer { buffer in
        PreTokenizer(pattern: pattern).split(buffer) { lengths.append($0.count) }
    }
    return lengths
}

/// Reports the first piece where `ours` and `expected` (lengths) differ.
func recordSplitDifference(_ label: String, _ text: [UInt8], ours: [Int], expected: [Int],
                           sourceLocation: SourceLocation = #_sourceLocation) {
    guard ours != expected else { return }
    var offset = 0
    var k = 0
    while k < min(ours.count, expected.count), ours[k] == expected[k] { offset += ours[k]; k += 1 }
    let context = String(decoding: text[offset..<min(text.count, offset + 40)], as: UTF8.self)
    let message = "\(label): first difference at piece \(k), byte \(offset) (\(context.debugDescription)): "
        + "winnow \(Array(ours.dropFirst(k).prefix(4))) regex \(Array(expected.dropFirst(k).prefix(4)))"
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}

/// Splits against committed Python `regex` output (`Fixtures/split_fixtures.json`): runs without Python.
@Suite struct SplitFixtureTests {
    static let fixtures = HFReference.testsDirectory.appendingPathComponent("Fixtures")

    @Test func presetRegexesAreTheReferencePatterns() throws {
        let patterns = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.fixtures.appendingPathComponent("split_patterns.json"))) as! [String: String]
        #expect(Set(patterns.keys) == Set(SplitPattern.allCases.map(\.rawValue)))
        for (name, regex) in patterns {
            #expect(SplitPattern(rawValue: name)?.regex == regex, "\(name)")
            #expect(SplitPattern(regex: regex) == SplitPattern(rawValue: name))
            // The HF spelling differs only by cl100k's possessive `{1,3}+` (HF's parity is checked with Python).
            let hf = SplitPattern(rawValue: name)!.hfRegex
            #expect(hf == (name == "cl100k" ? regex.replacingOccurrences(of: #"\p{N}{1,3}+"#, with: #"\p{N}{1,3}"#) : regex))
            #expect(SplitPattern(hfRegex: hf) == SplitPattern(rawValue: name))
        }
    }

    @Test func splitsEqualCommittedRegexOutput() throws {
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.fixtures.appendingPathComponent("split_fixtures.json"))) as! [String: Any]
        var texts = (json["texts"] as! [String]).map { [UInt8](Data(base64Encoded: $0)!) }
        texts += try HFReference.sampleTexts().prefix(json["sample_documents"] as! Int)
        let pieces = json["pieces"] as! [String: [String]]
        #expect(Set(pieces.keys) == Set(SplitPattern.allCases.map(\.rawValue)))
        for (name, expectedTexts) in pieces {
            let pattern = SplitPattern(rawValue: name)!
            #expect(expectedTexts.count == texts.count)
            for (i, text) in texts.enumerated() {
                let expected = expectedTexts[i].split(separator: ",").map { Int($0)! }
                recordSplitDifference("\(name) text \(i)", text, ours: splitLengths(pattern, text), expected: expected)
            }
        }
    }
}

/// Hand-worked splits.
@Suite struct SplitHandWorkedTests {
    func split(_ pattern: SplitPattern, _ s: String) -> [String] {
        PreTokenizer(pattern: pattern).pieces(Array(s.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func cl100kFamily() {
        #expect(split(.llama3, "I'M fine, DON'T 12345 x") == ["I", "'M", " fine", ",", " DON", "'T", " ", "123", "45", " x"])
        #expect(split(.qwen2, "12345") == ["1", "2", "3", "4", "5"])
        #expect(split(.llama3, " \n\n  word") == [" \n\n", " ", " word"])
        // Trailing whitespace: Llama 3 splits after the last newline, cl100k keeps the run whole.
        #expect(split(.llama3, "a\n\n  ") == ["a", "\n\n", "  "])
        #expect(split(.cl100k, "a\n\n  ") == ["a", "\n\n  "])
        #expect(split(.cl100k, "x!?\n\ny") == ["x", "!?\n\n", "y"])
        #expect(split(.llama3, "\u{3000}漢字 a\u{A0}b") == ["\u{3000}漢字", " a", "\u{A0}b"])
    }

    @Test func o200kCaseAwareWords() {
        #expect(split(.o200k, "HelloWorld HELLOworld DON'T don't") == ["Hello", "World", " HELLOworld", " DON'T", " don't"])
        #expect(split(.o200k, "a /\n/ b") == ["a", " /\n/", " b"])
        #expect(split(.o200k, "1234") == ["123", "4"])
    }

    /// A 20 kB word is one piece; alternating case splits into pairs under o200k.
    @Test func longRuns() {
        let word = String(repeating: "w", count: 20_000)
        for pattern in SplitPattern.allCases { #expect(split(pattern, word) == [word], "\(pattern)") }
        let alternating = String(repeating: "wW", count: 10_000)
        #expect(split(.o200k, alternating) == ["w"] + Array(repeating: "Ww", count: 9_999) + ["W"])
        let spaces = String(repeating: " ", count: 300)
        for pattern in SplitPattern.allCases {
            #expect(split(pattern, spaces + "x") == [String(repeating: " ", count: 299), " x"], "\(pattern)")
            #expect(split(pattern, spaces) == [spaces], "\(pattern)")
        }
    }

    /// Ill-formed bytes are single `other` characters and stay in the pieces.
    @Test func invalidBytes() {
        for pattern in SplitPattern.allCases {
            let text: [UInt8] = [0xFF, 0x61, 0x20, 0xED, 0xA0, 0x80, 0x62, 0xC3]
            #expect(PreTokenizer(pattern: pattern).pieces(text).joined().elementsEqual(text))
        }
        #expect(PreTokenizer(pattern: .llama3).pieces([0x80, 0x61, 0x62, 0x20, 0x80, 0x80]) == [[0x80, 0x61, 0x62], [0x20, 0x80, 0x80]])
    }
}

/// Splits equal Python `regex.findall` of each preset's pattern on the whole sample corpus, the edge cases, random
/// byte strings and documents with ill-formed bytes inserted.
@Suite(.enabled(if: PythonReference.hasRegex, "needs Python with `regex` (pip install regex)"))
struct SplitParityTests {
    @Test func splitsEqualPythonRegex() throws {
        var texts = try HFReference.sampleTexts()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: SplitFixtureTests.fixtures
            .appendingPathComponent("split_fixtures.json"))) as! [String: Any]
        texts += (json["texts"] as! [String]).map { [UInt8](Data(base64Encoded: $0)!) }
        var rng = SeededGenerator(state: 5)
        let alphabet: [[UInt8]] = ["a", "B", "'", "s", "S", "1", " ", "\n", "\r", "\t", "/", "!", "é", "ǅ", "ʰ", "\u{301}",
                                   "漢", "カ", "١", "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{200B}", "👍", "ſ"]
            .map { Array($0.utf8) } + [[0xFF], [0x80], [0xC3], [0xED, 0xA0, 0x80], [0xE6, 0x97]]
        for _ in 0..<400 {
            var text: [UInt8] = []
            for _ in 0..<(1 + rng.next(40)) { text += alphabet[rng.next(alphabet.count)] }
            texts.append(text)
        }
        for document in try HFReference.sampleTexts().prefix(40) {
            var text = document
            for _ in 0..<10 { text.insert([0xFF, 0x80, 0xC0][rng.next(3)], at: rng.next(text.count + 1)) }
            texts.append(text)
        }
        var patterns = Dictionary(uniqueKeysWithValues: SplitPattern.allCases.map { ($0.rawValue, $0.regex) })
        // r50k_base's possessive spelling, which Winnow reads as gpt2.
        let r50k = #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#
        #expect(SplitPattern(regex: r50k) == .gpt2)
        patterns["r50k"] = r50k
        var request: [String: Any] = ["patterns": patterns, "texts": texts.map { Data($0).base64EncodedString() }]
        if PythonReference.hasTokenizers {
            request["hf_patterns"] = Dictionary(uniqueKeysWithValues: SplitPattern.allCases.map { ($0.rawValue, $0.hfRegex) })
        }
        let result = try PythonReference.run("split_reference.py", request)
        let pieces = result["pieces"] as! [String: [[Int]]]
        let hfPieces = result["hf_pieces"] as? [String: [Any]]
        for pattern in SplitPattern.allCases {
            let expected = pieces[pattern.rawValue]!
            for (i, text) in texts.enumerated() {
                let ours = splitLengths(pattern, text)
                recordSplitDifference("\(pattern) text \(i)", text, ours: ours, expected: expected[i])
                // HF's Oniguruma with the `hfRegex` spelling (the one Winnow's tokenizer.json carries).
                if let hf = hfPieces?[pattern.rawValue]?[i] as? [Int] {
                    recordSplitDifference("HF \(pattern) text \(i)", text, ours: ours, expected: hf)
                }
            }
        }
        for (i, text) in texts.enumerated() {
            recordSplitDifference("r50k text \(i)", text, ours: splitLengths(.gpt2, text), expected: pieces["r50k"]![i])
        }
        if PythonReference.hasTokenizers { #expect(hfPieces?.count == SplitPattern.allCases.count) }
    }
}

struct SeededGenerator {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
}
