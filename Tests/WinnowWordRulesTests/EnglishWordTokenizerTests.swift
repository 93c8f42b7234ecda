import Foundation
import Testing
@testable import WinnowWordRules

/// Word splitting against spaCy 3.8's English tokenizer: expected tokens were produced by
/// `spacy.blank("en").tokenizer` (see docs/filters.md), not by Winnow.
@Suite struct EnglishWordTokenizerTests {
    func tokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var out: [TokenSpan] = []
        bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            EnglishWordTokenizer().tokenize(p, 0, b.count, spaceTokens: false, into: &out)
        }
        return out.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    @Test(arguments: [
        ("don't", ["do", "n't"]),
        ("Mr. Smith went.", ["Mr.", "Smith", "went", "."]),
        ("U.S.A.", ["U.S.A."]),
        ("e.g.", ["e.g."]),
        ("hello-world", ["hello", "-", "world"]),
        ("http://example.com/a-b", ["http://example.com/a-b"]),
        ("(see:", ["(", "see", ":"]),
        ("it’s", ["it", "’s"]),
        ("''", ["''"]),
        ("5km.", ["5", "km", "."]),
        ("$5.00", ["$", "5.00"]),
        ("A.B.", ["A.B."]),
        ("end.The", ["end", ".", "The"]),
        ("a...b", ["a", "...", "b"]),
        ("x—y", ["x", "—", "y"]),
        ("rock--roll", ["rock", "--", "roll"]),
        ("3-4", ["3", "-", "4"]),
        ("word,word", ["word", ",", "word"]),
        (":)", [":)"]),
        ("Hello!!", ["Hello", "!", "!"]),
        ("it...", ["it", "..."]),
        ("Let's", ["Let", "'s"]),
        ("gonna", ["gon", "na"]),
        ("www.google.com.", ["www.google.com", "."]),
    ])
    func matchesSpacy(_ text: String, _ expected: [String]) {
        #expect(tokens(text) == expected)
    }

    /// Development aid: with WINNOW_TOKEN_DUMP=in.jsonl:out.jsonl, writes Winnow's tokens of each `text`.
    @Test func dumpTokens() throws {
        guard let spec = ProcessInfo.processInfo.environment["WINNOW_TOKEN_DUMP"] else { return }
        let parts = spec.split(separator: ":").map(String.init)
        let data = try Data(contentsOf: URL(fileURLWithPath: parts[0]))
        var out = ""
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let o = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            let t = tokens(o["text"] as! String)
            let json = try JSONSerialization.data(withJSONObject: ["id": o["id"]!, "tokens": t])
            out += String(decoding: json, as: UTF8.self) + "\n"
        }
        try out.write(toFile: parts[1], atomically: true, encoding: .utf8)
    }
}
