import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTestSupport
@testable import WinnowLangID

/// `language_id` by parts (the default): the sample's mixed pages, and documents joined from held-out
/// sentences of two or three languages in known character proportions (`../shared/lid/test.tsv`, never
/// used for training). Expected labels and shares are computed here from the parts as built, not taken
/// from the stage.
struct LanguageByPartsTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func stage(_ parameters: [String: JSONValue] = [:]) throws -> any DocumentStage {
        try LanguageIDStage.factory(parameters: StageParameters(stageName: "language_id", parameters)).make()
    }

    func annotate(_ text: String, _ parameters: [String: JSONValue] = [:]) throws -> JSONObject {
        var s = try stage(parameters)
        var document = Document(id: "t", text: Array(text.utf8))
        var stats = StageStats(name: "language_id")
        _ = s.process(&document, stats: &stats)
        return document.metadata
    }

    /// The two pages of the issue: a Korean LibreOffice help page (`jump2statusbar`, English "Help content
    /// debug info" lines at the end) and a Chinese Debian reference page (1,256 Han characters, much
    /// Latin: commands, paths, package names).
    @Test func sampleMixedPages() throws {
        let path = Self.repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        var stats = StageStats(name: "read")
        var texts: [String: [UInt8]] = [:]
        try InputFormat.auto.resolve(path: path).reader(options: ReaderOptions()).read(file: path, stats: &stats, problem: { _ in }) { d in
            if d.id == "c0c2119e-f433-5d3a-bce1-c34ba005948e" || d.id == "b304566e-7618-50b7-b212-eb54f373781d" { texts[d.id] = d.text }
        }
        let korean = try #require(texts["c0c2119e-f433-5d3a-bce1-c34ba005948e"])
        let chinese = try #require(texts["b304566e-7618-50b7-b212-eb54f373781d"])
        for (text, want) in [(korean, "ko"), (chinese, "zh")] {
            let whole = try annotate(String(decoding: text, as: UTF8.self), ["by_parts": false])
            let parts = try annotate(String(decoding: text, as: UTF8.self))
            print("whole text: \(whole["language"]!) \(whole["language_score"]!); by parts: \(parts["language"]!) \(parts["languages"]!)")
            #expect(parts["language"] == .string(want))
            guard case .object(let shares)? = parts["languages"] else { Issue.record("no languages"); continue }
            #expect((shares[want]?.doubleValue ?? 0) >= 0.5, "\(shares)")
            #expect(shares.count >= 2, "the English parts are seen: \(shares)")
        }
    }

    /// Held-out sentences of the given languages, joined into a document with one sentence a line, with
    /// each language's share of the characters (non-space Unicode scalars) as built.
    func joined(_ plan: [(String, Int)], seed: UInt64) throws -> (text: String, shares: [String: Double]) {
        let tsv = try String(contentsOfFile: Self.repositoryRoot + "/../shared/lid/test.tsv", encoding: .utf8)
        var byLanguage: [String: [String]] = [:]
        for line in tsv.split(separator: "\n") {
            let cols = line.split(separator: "\t", maxSplits: 1)
            if cols.count == 2, cols[1].utf8.count >= 30 { byLanguage[String(cols[0]), default: []].append(String(cols[1])) }
        }
        var rng = SplitMix64(seed: seed)
        var lines: [(String, String)] = []
        var chars: [String: Int] = [:]
        for (language, minimum) in plan {
            let pool = try #require(byLanguage[language])
            while chars[language, default: 0] < minimum {
                let s = pool[Int(rng.next() % UInt64(pool.count))]
                lines.append((language, s))
                chars[language, default: 0] += s.unicodeScalars.filter { !$0.properties.isWhitespace }.count
            }
        }
        // Interleave: the languages' lines alternate in blocks, as a page with a tail or a sidebar would.
        var order = lines.indices.map { $0 }
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let text = order.map { lines[$0].1 }.joined(separator: "\n")
        let total = Double(chars.values.reduce(0, +))
        return (text, chars.mapValues { Double($0) / total })
    }

    @Test func twoLanguagesInKnownProportions() throws {
        let cases: [(String, String)] = [("ko", "en"), ("de", "fr"), ("ru", "en"), ("es", "pt"), ("ja", "en"), ("nl", "de")]
        for (k, (a, b)) in cases.enumerated() {
            let (text, truth) = try joined([(a, 1400), (b, 600)], seed: UInt64(100 + k))
            let m = try annotate(text)
            guard case .object(let shares)? = m["languages"] else { Issue.record("no languages for \(a)+\(b)"); continue }
            #expect(m["language"] == .string(a), "\(a)+\(b): \(shares)")
            #expect(abs((shares[a]?.doubleValue ?? 0) - truth[a]!) <= 0.12, "\(a)+\(b): \(shares) vs \(truth)")
            #expect(abs((shares[b]?.doubleValue ?? 0) - truth[b]!) <= 0.12, "\(a)+\(b): \(shares) vs \(truth)")
            #expect(m["language_no_majority"] == nil)
        }
    }

    @Test func noMajorityIsFlagged() throws {
        let (text, truth) = try joined([("fr", 800), ("ru", 700), ("ko", 700)], seed: 7)
        #expect(truth.values.allSatisfy { $0 < 0.5 })
        let m = try annotate(text)
        #expect(m["language_no_majority"] == .bool(true), "\(m)")
        #expect(m["language"] == .string("fr"), "\(m)")
    }

    /// `by_parts: false` is the whole text at once (datatrove's call); keep_top_pairs_threshold implies it.
    @Test func wholeTextWhenAsked() throws {
        let text = "Ceci est une phrase écrite en français, sans aucun doute.\nEt une autre phrase, toujours en français."
        let whole = try annotate(text, ["by_parts": false])
        #expect(whole["languages"] == nil && whole["language"] == .string("fr"))
        let top = try annotate(text, ["keep_top_pairs_threshold": 0.1])
        #expect(top["languages"] == nil && top["top_language_fr_score"] != nil)
        #expect(throws: (any Error).self) { try stage(["by_parts": true, "keep_top_pairs_threshold": 0.1]) }
        #expect(throws: (any Error).self) { try stage(["part_threshold": 2]) }
    }
}
