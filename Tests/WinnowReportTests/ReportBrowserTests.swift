import Foundation
import Testing
import WinnowTestSupport

/// The report of `Pipelines/sample.yaml`'s run, opened in headless Chromium (Debian's `chromium`) as a person
/// would open it: the DOM Chromium builds has the funnel numbers of stats.json, a planted
/// `<script>document.title='pwned'</script>` document shows as text without running (the title is unchanged),
/// nothing in the page points outside it, and a screenshot is written. Skips when Chromium is absent, unless
/// `WINNOW_REQUIRE_REFERENCE=1` (CI installs it).
@Suite struct ReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var enabled: Bool {
        if referenceRequired { return true }
        if chromium == nil { print("ReportBrowserTests skipped: Chromium is not installed (apt-get install chromium)") }
        return chromium != nil
    }

    @Test(.enabled(if: enabled)) func sampleRunReportInChromium() throws {
        guard let chromium = Self.chromium else { throw TestFailure("chromium is required (WINNOW_REQUIRE_REFERENCE=1): apt-get install chromium") }
        let directory = try temporaryDirectory()
        // The sample pipeline with one more input: a short document (the length stage excludes it) holding a script.
        let planted = directory + "/planted.jsonl"
        try #"{"id": "planted-script", "text": "<script>document.title='pwned'</script></textarea>", "url": "https://planted.example/"}"#
            .appending("\n").write(toFile: planted, atomically: true, encoding: .utf8)
        var yaml = try String(contentsOfFile: repositoryRoot + "/Pipelines/sample.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "- Samples/sample-00000.warc.wet.gz", with: "- Samples/sample-00000.warc.wet.gz\n        - \(planted)")
        #expect(yaml.contains(planted))
        let pipeline = directory + "/sample.yaml"
        try yaml.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let out = directory + "/run"
        let winnow = try winnowExecutable()
        let ran = try run(winnow, ["run", pipeline, "--output", out, "--quiet"], cwd: repositoryRoot)
        #expect(ran.status == 0, "\(ran.stderr)")
        // Enough samples per reason that every too_short document, the planted one included, is on the page.
        let page = directory + "/report.html"
        let reported = try run(winnow, ["report", out, "--output", page, "--samples", "200", "--pipeline", pipeline], cwd: repositoryRoot)
        #expect(reported.status == 0, "\(reported.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(ReportChecks.externalReferences(in: html).isEmpty, "\(ReportChecks.externalReferences(in: html))")
        #expect(html.contains("planted-script"))

        // Chromium with every host name unresolvable: the page must not need the network.
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
                     "--user-data-dir=" + directory + "/chromium-profile"]
        let dumped = try run(chromium, flags + ["--dump-dom", "file://" + page])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        let dom = dumped.stdout
        let domFile = directory + "/dom.html"
        try dom.write(toFile: domFile, atomically: true, encoding: .utf8)
        #expect(dom.contains("<title>Winnow report: sample</title>"), "the title changed: a script ran, or the page did not load")
        #expect(!dom.contains("pwned</title>"))
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;/textarea&gt;"))
        #expect(!dom.lowercased().contains("<script"))
        #expect(try ReportChecks.funnelMatchesStats(page: domFile, run: out) == "ok")
        #expect(try ReportChecks.chartsMatchRun(page: domFile, run: out, dedupStep: "dedup") == "ok")
        // Every step of the run has a section in the rendered page.
        for step in ["clean", "quality", "dedup", "tokenizer", "shards", "crawl", "sampled"] {
            #expect(dom.contains("id=\"step-\(step)\""), "no section for step \(step)")
        }

        // The tokenizer step's bytes per token, recomputed with HF `tokenizers` on the same documents (the step's
        // input: all of dedup's documents, under the report's limit of 2,000).
        let expected = try python("""
        import glob, json, sys, zstandard
        from tokenizers import Tokenizer
        run = sys.argv[1]
        tok = Tokenizer.from_file(run + '/tokenizer/output/tokenizer.json')
        nbytes = ntokens = ndocs = 0
        for p in sorted(glob.glob(run + '/dedup/documents/*.jsonl.zst')):
            for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).splitlines():
                text = json.loads(line)['text']
                ndocs += 1; nbytes += len(text.encode()); ntokens += len(tok.encode(text, add_special_tokens=False).ids)
        print('<td>all</td><td class="n">%d</td><td class="n">%.3f</td>' % (ndocs, nbytes / ntokens))
        """, [out]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(dom.contains(expected), "\(expected) (documents, bytes per token by HF tokenizers) is not on the page")

        let screenshot = directory + "/report.png"
        let shot = try run(chromium, flags + ["--window-size=1200,2400", "--screenshot=" + screenshot, "file://" + page])
        #expect(shot.status == 0, "\(shot.stderr)")
        let png = FileManager.default.contents(atPath: screenshot) ?? Data()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "no screenshot at \(screenshot)")
        print("ReportBrowserTests: page \(page), screenshot \(screenshot)")
    }
}
