import Foundation
import Testing
import WinnowTestSupport

/// `winnow filter NAME ... --output DIR` end to end: kept/ and excluded/ with filter and filter_reason, decisions
/// as datatrove's golden file says.
@Suite struct FilterCommandTests {
    @Test func writesKeptAndExcludedWithReasons() throws {
        let rows = try loadGolden().prefix(60)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var input = Data()
        for row in rows {
            input += try JSONSerialization.data(withJSONObject: ["id": row.id, "text": row.text]) + Data("\n".utf8)
        }
        try input.write(to: URL(fileURLWithPath: dir + "/in.jsonl"))
        let result = try run(try winnowExecutable(), ["filter", "fineweb_quality", dir + "/in.jsonl", "--output", dir + "/out",
                                                      "--compression", "none", "--param", "short_line_length=30"])
        #expect(result.status == 0, "\(result.stderr)")

        func read(_ sub: String) throws -> [[String: Any]] {
            let text = try String(contentsOfFile: dir + "/out/\(sub)/00000.jsonl", encoding: .utf8)
            return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        }
        let kept = try read("kept"), excluded = try read("excluded")
        #expect(kept.count + excluded.count == rows.count)
        let expected = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.expected["fineweb_quality"]!) })
        for d in kept { #expect(expected[d["id"] as! String]?.0 == true) }
        for d in excluded {
            #expect(d["filter"] as? String == "fineweb_quality")
            #expect(d["filter_reason"] as? String == expected[d["id"] as! String]?.1)
        }
    }
}
