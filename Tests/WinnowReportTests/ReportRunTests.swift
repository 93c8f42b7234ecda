import Foundation
import Testing
import WinnowTestSupport

/// A small pipeline with `report: true` over documents generated here (seeded), two of them planted with
/// markup: the page must exist after the run, show the planted text as text, load nothing from outside, and
/// give the numbers of stats.json and of the generated corpus.
@Suite struct ReportRunTests {
    /// Writes the corpus with Python (seeded) and returns (short documents, kept documents) as Python counts
    /// them: `length` keeps documents of at least 60 characters. The generated documents have 16 or more words of
    /// 3 or more characters, so only the two planted ones are too short, and both are among the 5 shown.
    static func makeRun(in directory: String) throws -> (pipeline: String, tooShort: Int, kept: Int) {
        let counts = try python("""
        import json, random, sys
        d = sys.argv[1]
        rng = random.Random(5)
        words = ['alpha', 'beta', 'gamma', 'été', '中文', 'x<y', 'a&b']
        docs = [{'id': 'planted-script', 'text': "<script>document.title='pwned'</script>", 'url': 'https://planted.example/1'},
                {'id': 'planted-textarea', 'text': '</textarea><b>bold</b>', 'url': 'https://planted.example/2'}]
        for i in range(60):
            text = ' '.join(rng.choice(words) for _ in range(rng.randint(16, 40)))
            docs.append({'id': f'doc-{i}', 'text': text, 'url': f'https://e.x/{i}', 'score': round(rng.random(), 3), 'language': rng.choice(['en', 'fr'])})
        with open(d + '/docs.jsonl', 'w') as f:
            for doc in docs: f.write(json.dumps(doc, ensure_ascii=False) + '\\n')
        short = sum(1 for doc in docs if len(doc['text']) < 60)
        print(short, len(docs) - short)
        """, [directory]).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        let pipeline = directory + "/report.yaml"
        try """
        name: report-test
        output: \(directory)/out
        report: true
        steps:
          - name: filter
            input: {paths: [\(directory)/docs.jsonl]}
            stages:
              - length: {min_chars: 60}
          - name: half
            input: {step: filter}
            stages:
              - sample: {rate: 0.5, seed: 3}
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        return (pipeline, counts[0], counts[1])
    }

    @Test func reportTrueWritesAPageWithTheRunsNumbers() throws {
        let directory = try temporaryDirectory()
        let (pipeline, tooShort, kept) = try Self.makeRun(in: directory)
        let result = try run(try winnowExecutable(), ["run", pipeline, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let page = directory + "/out/report.html"
        let html = try String(contentsOfFile: page, encoding: .utf8)

        #expect(ReportChecks.externalReferences(in: html).isEmpty, "\(ReportChecks.externalReferences(in: html))")
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(html.contains("&lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;"))
        #expect(!html.lowercased().contains("<script") && !html.contains("</textarea>") && !html.contains("<b>bold"))
        #expect(try ReportChecks.funnelMatchesStats(page: page, run: directory + "/out") == "ok")
        #expect(html.contains("too_short: \(tooShort) excluded, \(min(tooShort, 5)) shown"))
        #expect(html.contains("after: \(kept) of \(kept) kept documents"))
        #expect(html.contains("<title>Winnow report: report-test</title>"))
        // The header names the pipeline file and its SHA-256, computed here with Python's hashlib.
        let sha = try python("import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [pipeline])
        #expect(html.contains(sha.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(html.contains("score"))  // the numeric metadata field has its distribution
    }

    @Test func reportCommandIsReproducibleAndLinksStayInsideTheRun() throws {
        let directory = try temporaryDirectory()
        let (pipeline, _, _) = try Self.makeRun(in: directory)
        let winnow = try winnowExecutable()
        // A bad line gives the filter step an input problem, which the page links to in problems/.
        let handle = FileHandle(forWritingAtPath: directory + "/docs.jsonl")!
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\": \"broken\", \"text\": \n".utf8))
        try handle.close()
        #expect(try run(winnow, ["run", pipeline, "--quiet"]).status == 0)
        let first = try run(winnow, ["report", directory + "/out", "--output", directory + "/a.html", "--samples", "2"])
        let second = try run(winnow, ["report", directory + "/out", "--output", directory + "/a2.html", "--samples", "2"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
        let a = try String(contentsOfFile: directory + "/a.html", encoding: .utf8)
        #expect(a == (try String(contentsOfFile: directory + "/a2.html", encoding: .utf8)))
        #expect(a.contains("href=\"out/filter/problems/00000.jsonl\""))
        #expect(a.contains("malformed_json"))
        #expect(a.contains("too_short: ") && a.contains(" excluded, 2 shown"))

        // A damaged documents file and an unfinished step: the page still comes, and says what it could not read.
        let documents = directory + "/out/filter/documents"
        let file = documents + "/" + (try FileManager.default.contentsOfDirectory(atPath: documents).sorted().first!)
        let damaged = FileHandle(forWritingAtPath: file)!
        damaged.seekToEndOfFile()
        damaged.write(Data("\u{1}garbage that is neither JSON nor zstd\n".utf8))
        try damaged.close()
        try FileManager.default.removeItem(atPath: directory + "/out/half/stats.json")
        let partial = try run(winnow, ["report", directory + "/out", "--output", directory + "/b.html"])
        #expect(partial.status == 0, "\(partial.stderr)")
        let b = try String(contentsOfFile: directory + "/b.html", encoding: .utf8)
        #expect(b.contains("The report could not read 1 record(s) of this step's files; the first: \(file)"), "\(b.count)")
        #expect(b.contains("This step has not finished (no stats.json)"))

        let missing = try run(winnow, ["report", directory + "/nothing"])
        #expect(missing.status != 0 && missing.stderr.contains(directory + "/nothing"), "\(missing.stderr)")
    }
}
