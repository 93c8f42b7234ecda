import Foundation
import Testing
import WinnowCore
@testable import WinnowPII
import WinnowTestSupport

/// The `pii` stage: replacement modes, metadata spans with Python `str` offsets, max_hits, parameters.
@Suite struct StageTests {
    func run(_ params: [String: JSONValue], _ text: String) throws -> (Document, StageDecision, StageStats) {
        var stage = try PIIStage.factory(parameters: StageParameters(stageName: "pii", params)).make()
        var doc = Document(id: "d", text: text)
        var stats = StageStats(name: "pii")
        let decision = stage.process(&doc, stats: &stats)
        return (doc, decision, stats)
    }

    @Test func tagIsTheDefault() throws {
        let (doc, decision, stats) = try run([:], "Écrire à jean@exemple.fr ou 8.8.8.8.")
        #expect(decision == .keep)
        #expect(doc.textString == "Écrire à <EMAIL_ADDRESS> ou <IP_ADDRESS>.")
        #expect(stats.counters == ["pii:EMAIL_ADDRESS": 1, "pii:IP_ADDRESS": 1])
    }

    @Test func fakeValuesAreDatatroveDefaults() throws {
        let (doc, _, _) = try run(["mode": "fake"], "a@b.com 8.8.8.8")
        #expect(doc.textString == "email@example.com 22.214.171.124")
        let (doc2, _, _) = try run(["email": "fake", "ip": "keep", "fake_email": "x@example.org"], "a@b.com 8.8.8.8")
        #expect(doc2.textString == "x@example.org 8.8.8.8")
    }

    @Test func saltedHashMatchesPythonHashlib() throws {
        let (doc, _, _) = try run(["mode": "hash", "salt": "pepper"], "mail a@b.com")
        let want = try python("import hashlib; print(hashlib.sha256(b'pepper' + b'a@b.com').hexdigest()[:16], end='')")
        #expect(doc.textString == "mail <EMAIL_ADDRESS:\(want)>")
    }

    /// Offsets in metadata point into the output text, in Unicode scalars, and Python slicing agrees.
    @Test func spansInMetadataArePythonOffsets() throws {
        let (doc, _, _) = try run(["spans_field": "pii", "ip": "keep"], "日本語 a@b.com — 😀 1.1.1.1 end")
        let spans = try #require(doc.metadata["pii"]?.arrayValue)
        let pairs = spans.map { [$0.objectValue!["start"]!.intValue!, $0.objectValue!["end"]!.intValue!] }
        let sliced = try python("""
        import json, sys
        d = json.loads(sys.stdin.read())
        print(json.dumps([d['text'][a:b] for a, b in d['spans']]), end='')
        """, stdin: try JSONSerialization.data(withJSONObject: ["text": doc.textString, "spans": pairs]))
        #expect(try parseJSON(sliced) as! [String] == ["<EMAIL_ADDRESS>", "1.1.1.1"])
        #expect(spans.map { $0.objectValue!["type"]!.stringValue! } == ["EMAIL_ADDRESS", "IP_ADDRESS"])
    }

    @Test func maxHitsExcludes() throws {
        let text = (1...6).map { "u\($0)@example.com" }.joined(separator: " ")
        let (_, decision, _) = try run(["max_hits": 5], text)
        #expect(decision == .exclude(reason: "too_much_pii"))
        let (_, keep, _) = try run(["max_hits": 6], text)
        #expect(keep == .keep)
    }

    @Test func offTypesAreNotScanned() throws {
        let (doc, _, stats) = try run(["email": "off"], "a@b.com 8.8.8.8")
        #expect(doc.textString == "a@b.com <IP_ADDRESS>")
        #expect(stats.counters["pii:EMAIL_ADDRESS"] == nil)
    }

    @Test func badParametersFail() {
        #expect(throws: ConfigurationError.self) { try PIIStage.factory(parameters: StageParameters(stageName: "pii", ["mode": "scramble"])) }
        #expect(throws: ConfigurationError.self) { try PIIStage.factory(parameters: StageParameters(stageName: "pii", ["emails": "tag"])) }
        #expect(throws: ConfigurationError.self) { try PIIStage.factory(parameters: StageParameters(stageName: "pii", ["max_hits": -1])) }
    }

    @Test func documentWithoutPIIIsUntouched() throws {
        let text = "Version 2.4.10.1, ISBN 978-3-16-148410-0, call #1234, sha e3b0c44298fc1c149afbf4c8996fb924."
        let (doc, decision, stats) = try run(["spans_field": "pii"], text)
        #expect(doc.textString == text && decision == .keep && stats.counters.isEmpty && doc.metadata["pii"] == nil)
    }
}
