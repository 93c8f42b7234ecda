import Foundation
import Testing
import WinnowTestSupport

/// `winnow extract` on a gzip-compressed windows-1252 HTML file and on the sample WARC.
@Suite struct ExtractCommandTests {
    @Test func htmlFileAndWARC() throws {
        let dir = try temporaryDirectory()
        // "café – naïve" in windows-1252, declared in <meta>; gzip-compressed.
        var page = Array("<html lang=fr><head><meta charset=windows-1252><title>T</title></head><body><nav><a href=/>Menu</a></nav><p>caf".utf8)
        page += [0xE9, 0x20, 0x96, 0x20, 0x6E, 0x61, 0xEF, 0x76, 0x65] + Array("</p></body></html>".utf8)
        let plain = dir + "/page.html"
        try Data(page).write(to: URL(fileURLWithPath: plain))
        let gz = try run("/bin/gzip", ["-k", plain])
        #expect(gz.status == 0)

        let result = try run(try winnowExecutable(), ["extract", plain + ".gz", repositoryRoot + "/Samples/sample-00000.warc.gz"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let first = try #require(lines.first)
        #expect(first["path"] as? String == plain + ".gz")
        #expect(first["text"] as? String == "café – naïve")
        #expect(first["title"] as? String == "T")
        #expect(first["charset"] as? String == "windows-1252")
        #expect(first["language"] as? String == "fr")
        // The sample WARC: every line has a URL and text; the planted redirects, 404s, non-HTML and
        // truncated records (7 + 7 + 7 + 1) are among the skipped pages named on standard error.
        let warc = lines.dropFirst()
        #expect(warc.count > 300)
        #expect(warc.allSatisfy { ($0["url"] as? String)?.hasPrefix("http") == true && !(($0["text"] as? String) ?? "").isEmpty })
        #expect(result.stderr.contains("http_redirect: 7") && result.stderr.contains("http_status: 7") && result.stderr.contains("not_html: 7"))

        let bad = try run(try winnowExecutable(), ["extract", "--mode", "fast", plain])
        #expect(bad.status != 0 && bad.stderr.contains("unknown mode"))
    }
}
