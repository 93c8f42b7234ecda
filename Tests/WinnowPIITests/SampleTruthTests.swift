import Foundation
import Testing
import WinnowCore
@testable import WinnowPII
import WinnowTestSupport

/// The planted PII of `Samples/` (truth made by the corpus builder, with Python `str` offsets): every type the
/// scanner covers must be found with recall >= 0.98, at the exact offsets.
@Suite struct SampleTruthTests {
    /// Truth type -> our label. Other truth types (PERSON, ADDRESS, URL_WITH_USER, ...) are not in scope.
    static let mapping: [String: String] = [
        "EMAIL": "EMAIL_ADDRESS", "EMAIL_ADDRESS": "EMAIL_ADDRESS", "IP_ADDRESS": "IP_ADDRESS", "PHONE": "PHONE_NUMBER",
        "PHONE_NUMBER": "PHONE_NUMBER", "CREDIT_CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE", "US_SSN": "US_SSN",
    ]

    struct Planted: Hashable {
        var id: String
        var type: String
        var start: Int
        var end: Int
    }

    static func truth() throws -> [Planted] {
        let text = try String(contentsOfFile: repositoryRoot + "/Samples/truth/jsonl.truth.jsonl", encoding: .utf8)
        var out: [Planted] = []
        for line in text.split(separator: "\n") {
            guard let o = try parseJSON(String(line)) as? [String: Any], o["kind"] as? String == "pii",
                  let spans = o["spans"] as? [[String: Any]], let id = o["id"] as? String else { continue }
            for s in spans {
                out.append(Planted(id: id, type: s["type"] as! String, start: s["start"] as! Int, end: s["end"] as! Int))
            }
        }
        return out
    }

    @Test func jsonlRecallPerType() throws {
        let docs = try readDocuments(repositoryRoot + "/Samples/sample-00000.jsonl.zst")
        let scanner = PIIScanner()
        var found = Set<Planted>()
        for d in docs {
            for s in scanner.scan(d.text) {
                let (a, b) = scalarOffsets(d.text, s)
                found.insert(Planted(id: d.id, type: s.type.label, start: a, end: b))
            }
        }
        var perType: [String: (hit: Int, total: Int)] = [:]
        var missed: [Planted] = []
        for t in try Self.truth() {
            guard let ours = Self.mapping[t.type] else { continue }
            let hit = found.contains(Planted(id: t.id, type: ours, start: t.start, end: t.end))
            perType[t.type, default: (0, 0)].total += 1
            if hit { perType[t.type, default: (0, 0)].hit += 1 } else { missed.append(t) }
        }
        #expect(Set(perType.keys) == Set(Self.mapping.keys), "every mapped type is planted in the sample")
        for (type, r) in perType {
            #expect(Double(r.hit) / Double(r.total) >= 0.98, "\(type): \(r.hit)/\(r.total); missed \(missed.filter { $0.type == type })")
        }
    }

    /// The WARC truth lists values without offsets: each must be found in the WET record of its URL.
    @Test func wetRecallPerType() throws {
        let docs = try readDocuments(repositoryRoot + "/Samples/sample-00000.warc.wet.gz")
        var byURL: [String: [UInt8]] = [:]
        for d in docs {
            if let url = d.metadata["url"]?.stringValue { byURL[url] = d.text }
        }
        let text = try String(contentsOfFile: repositoryRoot + "/Samples/truth/warc.truth.jsonl", encoding: .utf8)
        var perType: [String: (hit: Int, total: Int)] = [:]
        var missed: [String] = []
        let scanner = PIIScanner()
        for line in text.split(separator: "\n") {
            guard let o = try parseJSON(String(line)) as? [String: Any], o["kind"] as? String == "pii",
                  let url = o["url"] as? String, let items = o["pii"] as? [[String: Any]] else { continue }
            guard let doc = byURL[url] else { continue }  // e.g. a record the crawl truncated
            let got = Set(scanner.scan(doc).map { "\(PIIType(rawValue: $0.type.rawValue)!.label)\t" + String(decoding: doc[$0.start..<$0.end], as: UTF8.self) })
            for item in items {
                guard let type = item["type"] as? String, let ours = Self.mapping[type], let value = item["value"] as? String else { continue }
                perType[type, default: (0, 0)].total += 1
                if got.contains("\(ours)\t\(value)") { perType[type, default: (0, 0)].hit += 1 } else { missed.append("\(type) \(value)") }
            }
        }
        #expect(!perType.isEmpty)
        for (type, r) in perType {
            #expect(Double(r.hit) / Double(r.total) >= 0.98, "\(type): \(r.hit)/\(r.total); missed \(missed)")
        }
    }
}
