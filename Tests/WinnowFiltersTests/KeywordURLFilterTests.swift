import Foundation
import Testing
import WinnowCore
@testable import WinnowFilters
import WinnowTestSupport

/// Hand-worked cases for `bad_words` and `url_filter`.
@Suite struct BadWordsFilterTests {
    func run(_ parameters: [String: JSONValue], _ text: String, language: String? = nil) throws -> (StageDecision, Document) {
        var stage = try BadWordsFilter.factory(parameters: StageParameters(stageName: "bad_words", parameters)).make()
        var document = Document(id: "d", text: text, metadata: language.map { ["language": .string($0)] } ?? [:])
        var stats = StageStats(name: "bad_words")
        return (stage.process(&document, stats: &stats), document)
    }

    func decide(_ parameters: [String: JSONValue], _ text: String, language: String? = nil) throws -> StageDecision {
        try run(parameters, text, language: language).0
    }

    func hits(_ parameters: [String: JSONValue], _ text: String, language: String? = nil) throws -> Int? {
        var p = parameters
        p["hits_field"] = "hits"
        return try run(p, text, language: language).1.metadata["hits"]?.intValue
    }

    static func temporaryFile(_ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "winnow-list-\(UUID().uuidString).txt"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func builtinListMatchesWholeWordsCaseInsensitively() throws {
        #expect(try decide([:], "This is bullshit.") == .exclude(reason: "bad_words"))
        #expect(try decide([:], "WHAT THE FUCK") == .exclude(reason: "bad_words"))
        // Inside a word: no hit (the Scunthorpe problem).
        #expect(try decide([:], "Scunthorpe United won; shitake is a typo of shiitake.") == .keep)
        // "_" and digits are word characters (Python's \w); "-" and "'" are not.
        #expect(try hits([:], "porn_star porn2 porn-free 'porn'") == 2)
        #expect(try decide([:], "A perfectly clean sentence about gardening.") == .keep)
    }

    @Test func phrasesMatchAcrossAnyWhitespace() throws {
        let p: [String: JSONValue] = ["words": ["blow job", "red  herring"]]
        #expect(try hits(p, "a blow\n\n  job here") == 1)
        #expect(try hits(p, "a Red\therring") == 1)
        #expect(try hits(p, "a blowjob, a blow-job") == 0)
        #expect(try hits(p, "red herrings") == 0)
    }

    @Test func maxHitsCountsEveryOccurrence() throws {
        let text = "spam ham SPAM eggs spam"
        #expect(try hits(["words": ["spam", "eggs"]], text) == 4)
        #expect(try decide(["words": ["spam", "eggs"], "max_hits": 3], text) == .exclude(reason: "bad_words"))
        #expect(try decide(["words": ["spam", "eggs"], "max_hits": 4], text) == .keep)
        // An entry contained in a longer one: both occurrences count.
        #expect(try hits(["words": ["hot dog", "dog"]], "a hot dog") == 2)
    }

    @Test func foldsTwoByteLettersAndMatchesScriptsWithoutSpacesAnywhere() throws {
        #expect(try hits(["words": ["привет", "ärger"]], "ПРИВЕТ мир, ÄRGER!") == 2)
        #expect(try hits(["words": ["привет"]], "приветствие") == 0)
        // Japanese: no word boundaries (datatrove's rule for ja, th, zh), selected by the document's language.
        #expect(try hits(["words": ["馬鹿"]], "あなたは馬鹿です", language: "ja") == 1)
        #expect(try hits(["words": ["馬鹿"]], "あなたは馬鹿です", language: "en") == 0)
    }

    @Test func perLanguageFilesWithCommentsAndADefault() throws {
        let en = try Self.temporaryFile("# English\nbadword\n\n  spaced entry  # trailing comment\n")
        let de = try Self.temporaryFile("schlechtwort\n#badword\n")
        let fallback = try Self.temporaryFile("anylang\n")
        defer { for f in [en, de, fallback] { try? FileManager.default.removeItem(atPath: f) } }
        let p: [String: JSONValue] = ["files": .object(["en": .string(en), "de": [.string(de)], "default": .string(fallback)])]
        #expect(try decide(p, "a badword", language: "en") == .exclude(reason: "bad_words"))
        #expect(try decide(p, "a badword", language: "eng_Latn") == .exclude(reason: "bad_words"))
        #expect(try decide(p, "a spaced   entry") == .exclude(reason: "bad_words"))  // no language: default_language en
        #expect(try decide(p, "a badword", language: "de") == .keep)  // commented out in the German list
        #expect(try decide(p, "ein Schlechtwort", language: "deu") == .exclude(reason: "bad_words"))
        #expect(try decide(p, "un anylang", language: "fr") == .exclude(reason: "bad_words"))
        #expect(try decide(p, "a badword", language: "fr") == .keep)
        // The builtin list is off once lists are given, unless asked for.
        #expect(try decide(p, "porn", language: "en") == .keep)
        #expect(try decide(p.merging(["builtin": true]) { $1 }, "porn", language: "en") == .exclude(reason: "bad_words"))
        // Without a list for the language and no default, documents pass.
        #expect(try decide([:], "porn", language: "de") == .keep)
    }

    @Test func listFilesWithCRLFAndByteOrderMark() {
        #expect(WordListFile.entries(of: "\u{FEFF}one\r\ntwo words\r\n# comment\r\n\r\nthree # note\rfour\n") ==
                ["one", "two words", "three", "four"])
    }

    @Test func keepFractionIsDeterministic() throws {
        #expect(try decide(["keep_fraction": 1.0], "porn") == .keep)
        #expect(try decide(["keep_fraction": 0.0], "porn") == .exclude(reason: "bad_words"))
    }

    @Test func rejectsBadParameters() throws {
        #expect(throws: ConfigurationError.self) { try decide(["max_hit": 1], "") }
        #expect(throws: ConfigurationError.self) { try decide(["files": 3], "") }
        #expect(throws: ConfigurationError.self) { try decide(["files": "/nonexistent/list.txt"], "") }
        #expect(throws: ConfigurationError.self) { try decide(["keep_fraction": 2.0], "") }
        #expect(throws: ConfigurationError.self) { try decide(["builtin": false], "") }
    }

    @Test func largeAutomatonUses32BitTransitions() {
        // 4,000 pseudo-random 12-letter patterns: about 40,000 states, over the 16-bit table's limit.
        var seed: UInt64 = 42
        func letter() -> UInt8 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return 0x61 + UInt8((seed >> 33) % 26) }
        let patterns = (0..<4000).map { _ in (0..<12).map { _ in letter() } }
        var text: [UInt8] = []
        for k in stride(from: 0, to: 4000, by: 97) { text += (0..<5).map { _ in letter() } + patterns[k] }
        let matcher = PhraseMatcher(patterns: patterns)
        #expect(matcher.usesWideTable)
        #expect(!PhraseMatcher(patterns: Array(patterns.prefix(100))).usesWideTable)
        var found = 0
        text.withUnsafeBufferPointer { b in
            matcher.forEachMatch(b.baseAddress!, b.count) { s, e in
                if patterns.contains(Array(text[s..<e])) { found += 1 }
                return true
            }
        }
        #expect(found == (0..<4000).filter { $0 % 97 == 0 }.count)
    }

    @Test func matcherFindsOverlappingPatterns() {
        // Aho-Corasick against a naive search on every position.
        let patterns = ["he", "she", "his", "hers", "s", "ushe"].map { Array($0.utf8) }
        let text = Array("ushers and his shells hershe".utf8)
        let matcher = PhraseMatcher(patterns: patterns)
        var found: [String] = []
        text.withUnsafeBufferPointer { b in
            matcher.forEachMatch(b.baseAddress!, b.count) { s, e in found.append("\(s)-\(e)"); return true }
        }
        var expected: [String] = []
        for e in 1...text.count {
            for p in patterns.sorted(by: { $0.count > $1.count }) where p.count <= e && Array(text[(e - p.count)..<e]) == p {
                expected.append("\(e - p.count)-\(e)")
            }
        }
        #expect(found.sorted() == expected.sorted())
    }
}

@Suite struct URLFilterTests {
    func decide(_ parameters: [String: JSONValue], url: String?) throws -> StageDecision {
        var stage = try URLFilter.factory(parameters: StageParameters(stageName: "url_filter", parameters)).make()
        var document = Document(id: "d", text: "x", metadata: url.map { ["url": .string($0)] } ?? [:])
        var stats = StageStats(name: "url_filter")
        return stage.process(&document, stats: &stats)
    }

    func host(_ url: String) -> String {
        let bytes = Array(url.utf8)
        return bytes.withUnsafeBufferPointer { b in
            let (s, e) = URLFilter.host(b.baseAddress!, b.count)
            return String(decoding: b[s..<e], as: UTF8.self)
        }
    }

    @Test func extractsTheHost() {
        #expect(host("https://user:pw@WWW.Example.COM:8080/path?x#y") == "WWW.Example.COM")
        #expect(host("http://example.com./a") == "example.com")
        #expect(host("//cdn.example.com/x") == "cdn.example.com")
        #expect(host("example.com:443/path") == "example.com")
        #expect(host("http://[::1]:8080/") == "[::1]")
        #expect(host("https://a.org?q=http://b.com/") == "a.org")
        #expect(host("https://a.org#@evil.com") == "a.org")
    }

    @Test func blocksDomainsAndTheirSubdomains() throws {
        let p: [String: JSONValue] = ["domains": ["example.com", "*.ads.net", "0.0.0.0 tracker.io", "https://Spam.ORG/path"]]
        #expect(try decide(p, url: "https://example.com/") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "https://user@WWW.Example.com:8080/a") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "http://a.b.ads.net/x") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "http://ads.net/x") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "http://tracker.io") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "http://spam.org./") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "https://badexample.com/") == .keep)
        #expect(try decide(p, url: "https://example.com.evil.net/") == .keep)
        #expect(try decide(p, url: "https://other.org/example.com") == .keep)
    }

    @Test func blocksSubstringsCaseInsensitively() throws {
        let list = try BadWordsFilterTests.temporaryFile("# paths\n/wp-admin/\n\n?sessionid=\n")
        defer { try? FileManager.default.removeItem(atPath: list) }
        let p: [String: JSONValue] = ["substring_files": .string(list), "substrings": ["casino"], "domains": ["x.com"]]
        #expect(try decide(p, url: "https://a.org/WP-ADMIN/x") == .exclude(reason: "blocked_substring"))
        #expect(try decide(p, url: "https://a.org/p?SessionId=1") == .exclude(reason: "blocked_substring"))
        #expect(try decide(p, url: "https://best-CASINO.biz") == .exclude(reason: "blocked_substring"))
        #expect(try decide(p, url: "https://x.com/casino") == .exclude(reason: "blocked_domain"))
        #expect(try decide(p, url: "https://a.org/wp-content/") == .keep)
    }

    @Test func missingURLs() throws {
        #expect(try decide(["domains": ["a.com"]], url: nil) == .keep)
        #expect(try decide(["domains": ["a.com"], "missing_url": "exclude"], url: nil) == .exclude(reason: "missing_url"))
        #expect(throws: ConfigurationError.self) { try decide([:], url: "https://a.com") }
        #expect(throws: ConfigurationError.self) { try decide(["domain": ["a.com"]], url: "https://a.com") }
    }
}
