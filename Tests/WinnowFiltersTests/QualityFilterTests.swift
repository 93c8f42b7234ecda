import Foundation
import Testing
import WinnowCore
@testable import WinnowFilters
import WinnowTestSupport
import WinnowWordRules

/// Hand-worked cases for the datatrove-exact filters (datatrove 0.10.1's rules read off its source), and
/// parameter handling.
@Suite struct QualityFilterTests {
    func decide(_ type: any RegisteredStage.Type, _ parameters: [String: JSONValue] = [:], _ text: String,
                metadata: JSONObject = [:]) throws -> (StageDecision, String) {
        var stage = try type.factory(parameters: StageParameters(stageName: type.stageName, parameters)).make()
        var document = Document(id: "d", text: text, metadata: metadata)
        var stats = StageStats(name: type.stageName)
        let decision = stage.process(&document, stats: &stats)
        return (decision, document.textString)
    }

    /// 60 words, 8 of them stop words: passes every Gopher quality rule.
    static let goodText = Array(repeating: "The cat and the dog walked to the park with a ball.", count: 5).joined(separator: " ")
        + " Then they had some rest."

    @Test func gopherQualityThresholdsComeFromParameters() throws {
        #expect(try decide(GopherQualityFilter.self, [:], Self.goodText).0 == .keep)
        // 5 × 12 words + 5 words; "." tokens are symbols: 65 non-symbol words.
        #expect(try decide(GopherQualityFilter.self, ["min_doc_words": 66], Self.goodText).0 == .exclude(reason: "gopher_short_doc"))
        #expect(try decide(GopherQualityFilter.self, ["min_doc_words": 65], Self.goodText).0 == .keep)
        #expect(try decide(GopherQualityFilter.self, ["max_doc_words": 64], Self.goodText).0 == .exclude(reason: "gopher_long_doc"))
        #expect(try decide(GopherQualityFilter.self, ["min_doc_words": 0, "max_doc_words": 0], "").0 == .keep)
    }

    @Test func gopherStopWordsAreCaseSensitive() throws {
        // Only "The" (capitalised) and "with": "the" never occurs in lower case (checked with datatrove 0.10.1).
        let text = Array(repeating: "The quick brown foxes jumped over lazy dogs with great speed near barns.", count: 6).joined(separator: " ")
        #expect(try decide(GopherQualityFilter.self, [:], text).0 == .exclude(reason: "gopher_enough_stop_words"))
        #expect(try decide(GopherQualityFilter.self, ["stop_words": ["The", "with"]], text).0 == .keep)
    }

    @Test func gopherRepetitionReasons() throws {
        #expect(try decide(GopherRepetitionFilter.self, [:], "").0 == .exclude(reason: "empty"))
        // "a b\na b\nc d": 1 of 3 lines repeats (> 0.3). With that and the top n-gram rules off, datatrove keeps it.
        #expect(try decide(GopherRepetitionFilter.self, [:], "a b\na b\nc d").0 == .exclude(reason: "dup_line_frac"))
        #expect(try decide(GopherRepetitionFilter.self, ["dup_line_frac": 0.34, "dup_line_char_frac": 0, "top_2_gram": 0, "top_3_gram": 0, "top_4_gram": 0], "a b\na b\nc d").0 == .keep)
    }

    @Test func duplicatedNGramsJoinWordsWithoutSpaces() {
        // datatrove's find_all_duplicate joins with "": "ab c" and "a bc" are the same 2-gram "abc".
        var hasher = ConcatenationHasher()
        let text = Array("ab c a bc".utf8)
        let words = [TokenSpan(start: 0, end: 2, space: false), TokenSpan(start: 3, end: 4, space: false),
                     TokenSpan(start: 5, end: 6, space: false), TokenSpan(start: 7, end: 9, space: false)]
        text.withUnsafeBufferPointer { hasher.reset($0.baseAddress!, words) }
        #expect(hasher.hash(words: 0, 2) == hasher.hash(words: 2, 4))
        #expect(hasher.hash(words: 0, 2) != hasher.hash(words: 1, 3))
    }

    @Test func c4RewritesKeptLines() throws {
        let lines = [
            "This line is a good sentence.", "menu", "Another fine line here [1].", "We use cookies on this site.",
            "Please enable JavaScript to continue.", "A third good sentence! And a fourth one.", "Last line ends well.",
        ]
        let (decision, text) = try decide(C4QualityFilter.self, [:], lines.joined(separator: "\n"))
        #expect(decision == .keep)
        #expect(text == "This line is a good sentence.\nAnother fine line here .\nA third good sentence! And a fourth one.\nLast line ends well.")
        #expect(try decide(C4QualityFilter.self, [:], "Some code here { x }.\n" + text).0 == .exclude(reason: "curly_bracket"))
        #expect(try decide(C4QualityFilter.self, ["min_num_sentences": 6], text).0 == .exclude(reason: "too_few_sentences"))
    }

    @Test func fineWebReasons() throws {
        #expect(try decide(FineWebQualityFilter.self, [:], " \n\t\n").0 == .exclude(reason: "empty"))
        #expect(try decide(FineWebQualityFilter.self, [:], "no punctuation at all here").0 == .exclude(reason: "line_punct_ratio"))
        #expect(try decide(FineWebQualityFilter.self, ["stop_chars": ["e"]], "no punctuation at all here").0 == .exclude(reason: "short_line_ratio"))
    }

    @Test func rejectsUnknownAndIllTypedParameters() {
        #expect(throws: ConfigurationError.self) { try decide(GopherQualityFilter.self, ["min_words": 5], "") }
        #expect(throws: ConfigurationError.self) { try decide(C4QualityFilter.self, ["filter_policy": "yes"], "") }
        #expect(throws: ConfigurationError.self) { try decide(GopherRepetitionFilter.self, ["top_5_gram": 0.1], "") }
    }

    @Test func languagesWithoutSpacesUseICUWordBreaking() throws {
        // 我们/今天/去/北京/。 : ICU's dictionary segmentation, five words; spaCy's English rules see one chunk.
        let segmenter = WordSegmenter(.init())
        let zh = Array("我们今天去北京。".utf8)
        zh.withUnsafeBufferPointer { segmenter.segment($0.baseAddress!, 0, $0.count, locale: "zh") }
        #expect(segmenter.words.map { String(decoding: zh[$0.start..<$0.end], as: UTF8.self) } == ["我们", "今天", "去", "北京", "。"])
        #expect(WordSegmenter.noSpaceLocale("zh_Hans") == "zh" && WordSegmenter.noSpaceLocale("jpn") == "ja")
        #expect(WordSegmenter.noSpaceLocale("en") == nil)
        let doc = Document(id: "d", text: "x", metadata: ["language": "th"])
        #expect(segmenter.locale(for: doc) == "th")
    }
}

/// The policy prefilter answers exactly what scanning for each of C4's six phrases answers.
@Test func c4PolicyPrefilterEqualsPhraseScan() {
    let pieces = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies",
                  "Privacy", "POLICY", "cookie", "Cookies", "use", "of", "terms", " ", "x", "policy", "cook", "ies"]
    var rng = SplitMix64(seed: 4)
    for _ in 0..<3000 {
        let line = (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
            .joined(separator: Bool.random(using: &rng) ? " " : "")
        let bytes = Array(line.utf8)
        let expected = C4QualityFilter.policies.contains { phrase in
            line.lowercased().contains(String(describing: phrase))
        }
        let actual = bytes.withUnsafeBufferPointer { b in C4QualityFilter.mentionsPolicy(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count) }
        #expect(actual == expected, "\(line)")
    }
}

/// Stop words per document language: each document is checked against its language's list (hand-worked:
/// the French text has "le", "la" and "et" but none of the English words; the German one has neither).
@Test func gopherStopWordsPerLanguage() throws {
    let french = Array(repeating: "Le chat et le chien marchent dans la rue avec une balle rouge.", count: 6).joined(separator: " ")
    let german = Array(repeating: "Katze Hund laufen zusammen durch eine Strasse mit einem roten Ball.", count: 6).joined(separator: " ")
    let english = Array(repeating: "The cat and the dog walked to the park with a ball.", count: 6).joined(separator: " ")
    func decide(_ stopWords: JSONValue, _ text: String, _ language: String) throws -> StageDecision {
        var stage = try GopherQualityFilter.factory(parameters: StageParameters(stageName: "gopher_quality", ["stop_words": stopWords])).make()
        var document = Document(id: "d", text: text, metadata: ["language": .string(language)])
        var stats = StageStats(name: "gopher_quality")
        return stage.process(&document, stats: &stats)
    }
    let perLanguage: JSONValue = .object(["en": ["the", "and", "of"], "fra": ["le", "la", "et"]])
    #expect(try decide(perLanguage, french, "fr") == .keep)
    #expect(try decide(perLanguage, french, "fra_Latn") == .keep)
    #expect(try decide(perLanguage, french, "en") == .exclude(reason: "gopher_enough_stop_words"))
    #expect(try decide(perLanguage, english, "en") == .keep)
    #expect(try decide(perLanguage, german, "de") == .keep)  // no list for German: the rule is skipped
    let withDefault: JSONValue = .object(["fr": ["le", "la", "et"], "default": ["the", "and"]])
    #expect(try decide(withDefault, german, "de") == .exclude(reason: "gopher_enough_stop_words"))
    #expect(try decide(withDefault, english, "de") == .keep)
    // A plain list applies to every language, as datatrove's stop_words does.
    #expect(try decide(["the", "and"], french, "fr") == .exclude(reason: "gopher_enough_stop_words"))
}
