import Foundation
import Testing
import WinnowTestSupport

/// `winnow filter bad_words | url_filter | statistics` end to end with `--param` values (lists as `a,b`,
/// bounds as flat `max_<metric>` keys).
@Suite struct KeywordStatisticsCommandTests {
    static var documents: [[String: Any]] { [
        ["id": "clean", "text": "A quiet walk in the park.", "url": "https://www.good.org/a"],
        ["id": "word", "text": "Some FOOBAR here.", "url": "https://other.net/x"],
        ["id": "domain", "text": "Nothing wrong.", "url": "http://User@News.Blocked.COM:80/story"],
        ["id": "substring", "text": "Fine text.", "url": "https://ok.org/Casino/page"],
        ["id": "digits", "text": "1234567 89", "url": "https://ok.org/n"],
    ] }

    func run(_ arguments: [String]) throws -> (kept: [String: [String: Any]], excluded: [String: [String: Any]]) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var input = Data()
        for d in Self.documents { input += try JSONSerialization.data(withJSONObject: d) + Data("\n".utf8) }
        try input.write(to: URL(fileURLWithPath: dir + "/in.jsonl"))
        let result = try WinnowTestSupport.run(try winnowExecutable(),
                                               ["filter"] + arguments + [dir + "/in.jsonl", "--output", dir + "/out", "--compression", "none"])
        #expect(result.status == 0, "\(result.stderr)")
        func read(_ sub: String) throws -> [String: [String: Any]] {
            let text = (try? String(contentsOfFile: dir + "/out/\(sub)/00000.jsonl", encoding: .utf8)) ?? ""
            var result: [String: [String: Any]] = [:]
            for line in text.split(separator: "\n") {
                let d = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                result[d["id"] as! String] = d
            }
            return result
        }
        return (try read("kept"), try read("excluded"))
    }

    @Test func badWords() throws {
        let r = try run(["bad_words", "--param", "words=foobar,bazqux"])
        #expect(Set(r.excluded.keys) == ["word"])
        #expect(r.excluded["word"]?["filter_reason"] as? String == "bad_words")
        #expect(r.excluded["word"]?["filter"] as? String == "bad_words")
    }

    @Test func urlFilter() throws {
        let r = try run(["url_filter", "--param", "domains=blocked.com,nothing.io", "--param", "substrings=casino,/wp-admin/"])
        #expect(r.excluded["domain"]?["filter_reason"] as? String == "blocked_domain")
        #expect(r.excluded["substring"]?["filter_reason"] as? String == "blocked_substring")
        #expect(r.excluded.count == 2)
    }

    @Test func statistics() throws {
        // "1234567 89": 9 digits of 10 characters.
        let r = try run(["statistics", "--param", "max_digit_ratio=0.5", "--param", "metrics=digit_ratio,word_count"])
        #expect(Set(r.excluded.keys) == ["digits"])
        #expect(r.excluded["digits"]?["filter_reason"] as? String == "digit_ratio_out_of_bounds")
        let stats = try #require(r.excluded["digits"]?["stats"] as? [String: Any])
        #expect((stats["digit_ratio"] as? NSNumber)?.doubleValue == 0.9)
        #expect(((r.kept["clean"]?["stats"] as? [String: Any])?["word_count"] as? NSNumber)?.intValue == 6)
        #expect(r.kept.count == 4)
    }
}
