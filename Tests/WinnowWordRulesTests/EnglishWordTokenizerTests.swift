import Foundation
import Testing
import WinnowTestSupport
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
}
