import Foundation
import Testing
import WinnowTestSupport
import WinnowCore
@testable import WinnowIO

/// Fixtures live next to this file; `make_json_fixtures.py` regenerates them with Python's json module.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// Our value in the canonical form the Python script writes: numbers as {"$num": literal}.
private func canonical(_ value: JSONValue) -> JSONValue {
    switch value {
    case .number(let n): return .object(["$num": .string(n.literal)])
    case .array(let a): return .array(a.map(canonical))
    case .object(let o): return .object(JSONObject(entries: o.map { .init(key: $0.key, value: canonical($0.value)) }))
    default: return value
    }
}

@Suite struct JSONParserTests {
    @Test func agreesWithPythonJSON() throws {
        let lines = try String(contentsOfFile: fixturesDirectory + "/json_cases.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 500)
        var checked = 0
        for line in lines {
            let fixture = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let input = [UInt8](Data(base64Encoded: fixture["input"] as! String)!)
            let expected = fixture["expected"] as? String
            let result = Result { try JSONParser.parse(input) }
            switch (result, expected) {
            case (.success(let value), let expected?):
                #expect(JSONWriter.string(canonical(value)) == expected, "input: \(String(decoding: input, as: UTF8.self))")
            case (.failure, nil):
                break
            case (.success(let value), nil):
                Issue.record("accepted what Python rejects: \(String(decoding: input, as: UTF8.self)) -> \(JSONWriter.string(value))")
            case (.failure(let error), _?):
                Issue.record("rejected what Python accepts: \(String(decoding: input, as: UTF8.self)): \(error)")
            }
            checked += 1
        }
        #expect(checked == lines.count)
    }

    @Test func nestingIsBounded() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = Array(repeating: UInt8(ascii: "["), count: 500) + Array(repeating: UInt8(ascii: "]"), count: 500)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    @Test func errorsCarryTheOffset() {
        #expect(throws: JSONParseError(offset: 7, message: "expected ',' or '}'")) { try JSONParser.parse(#"{"a":1 "b":2}"#) }
    }

    @Test func writerEscapesWhatJSONRequires() {
        // Hand-worked: quote, backslash, newline, a C0 control and DEL (not escaped), non-ASCII kept raw.
        let s = "a\"b\\c\nd\u{01}e\u{7F}é"
        #expect(JSONWriter.string(.string(s)) == #""a\"b\\c\nd\u0001e"# + "\u{7F}é\"")
        // Long runs take the eight-byte path: the escape must be found wherever it sits.
        for i in 0..<20 {
            var chars = Array(repeating: "x", count: 20)
            chars[i] = "\""
            #expect(JSONWriter.string(.string(chars.joined())) == "\"" + chars.joined().replacingOccurrences(of: "\"", with: "\\\"") + "\"")
        }
    }

    @Test func numbersKeepTheirLiteral() throws {
        let v = try JSONParser.parse(#"[12345678901234567890, 1.50, -0, 1E+2]"#)
        #expect(JSONWriter.string(v) == "[12345678901234567890,1.50,-0,1E+2]")
    }
}

@Suite struct JSONLDocumentCodecTests {
    @Test func decodesTextIdAndMetadataInOrder() throws {
        var decoder = JSONLDocumentDecoder()
        var replacements = 0
        let line = Array(#"{"url":"u","text":"caf\u00e9\n","id":42,"meta":{"k":[1,2]},"lang":"fr"}"#.utf8)
        let doc = try line.withUnsafeBytes { try decoder.decode($0, replacements: &replacements) }
        #expect(doc.id == "42")
        #expect(doc.textString == "café\n")
        #expect(doc.metadata.map(\.key) == ["url", "meta", "lang"])
        #expect(replacements == 0)
    }

    @Test func customFieldsAndMissingText() throws {
        var decoder = JSONLDocumentDecoder(textField: "content", idField: "doc_id")
        var replacements = 0
        let ok = Array(#"{"doc_id":"a","content":"x","text":"kept as metadata"}"#.utf8)
        let doc = try ok.withUnsafeBytes { try decoder.decode($0, replacements: &replacements) }
        #expect(doc.id == "a" && doc.textString == "x" && doc.metadata["text"] == .string("kept as metadata"))
        let missing = Array(#"{"doc_id":"a","content":null}"#.utf8)
        #expect(throws: JSONLDocumentDecoder.Failure.missingText) { try missing.withUnsafeBytes { try decoder.decode($0, replacements: &replacements) } }
        let array = Array(#"[1]"#.utf8)
        #expect(throws: JSONLDocumentDecoder.Failure.notAnObject) { try array.withUnsafeBytes { try decoder.decode($0, replacements: &replacements) } }
    }

    @Test func invalidUTF8IsReplacedAndCounted() throws {
        var decoder = JSONLDocumentDecoder()
        var replacements = 0
        let line: [UInt8] = Array(#"{"text":"a"#.utf8) + [0xFF, 0x62, 0xC3] + Array(#"","id":"x"}"#.utf8)
        let doc = try line.withUnsafeBytes { try decoder.decode($0, replacements: &replacements) }
        #expect(doc.textString == "a\u{FFFD}b\u{FFFD}")
        #expect(replacements == 2)
    }

    @Test func encoderRoundTripsThroughPython() throws {
        // The encoder's line must parse with Python's json to the same fields.
        let doc = Document(id: "d1", text: "line1\nline2 \"q\" \u{0}\u{1F600}", metadata: ["url": "https://x", "n": 3, "f": [true, nil]])
        var out: [UInt8] = []
        JSONLDocumentEncoder().append(doc, to: &out)
        let script = "import json,sys; d=json.loads(sys.stdin.buffer.read()); print(json.dumps([d['id'], d['text'], d['url'], d['n'], d['f'], list(d)]))"
        let result = try runPython(script, stdin: out)
        #expect(result.trimmingCharacters(in: .whitespacesAndNewlines) == #"["d1", "line1\nline2 \"q\" \u0000\ud83d\ude00", "https://x", 3, [true, null], ["id", "text", "url", "n", "f"]]"#)
    }
}

/// Runs `python3 -c script` with `stdin`, returning its standard output.
func runPython(_ script: String, stdin: [UInt8] = [], arguments: [String] = []) throws -> String {
    try ProcessRunner.python(script, arguments, stdin: Data(stdin))
}
