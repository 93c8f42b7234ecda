import Testing
import WinnowHTML
import WinnowTestSupport

/// Hostile pages: each must finish quickly, without crashing, and give sensible text.
@Suite struct BadInputTests {
    func extract(_ page: [UInt8], mode: ExtractionMode = .balanced, budget: Duration? = .seconds(5)) -> HTMLExtraction {
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: mode, timeBudget: budget))
        return extractor.extract(page)
    }

    func text(_ page: String, mode: ExtractionMode = .wholePage) -> String {
        String(decoding: extract(Array(page.utf8), mode: mode).text, as: UTF8.self)
    }

    @Test func truncatedTags() {
        #expect(text("<p>before<a href=\"unterminated") == "before")
        #expect(text("<p>before<div class='x") == "before")
        #expect(text("<p>before</di") == "before")
        #expect(text("<p>before<!-- never closed <p>hidden") == "before")
        #expect(text("<p>before<") == "before<")
        #expect(text("<p>before&am") == "before&am")
        #expect(text("<p>a&#x") == "a&#x")
        #expect(text("<script>never closed <p>x") == "")
    }

    @Test func megabyteAttributeValue() {
        let big = String(repeating: "x", count: 1 << 20)
        #expect(text("<p class=\"\(big)\">kept</p><p title='\(big)'>also</p><p data-x=\(big)>third") == "kept\nalso\nthird")
    }

    @Test func deepNesting() {
        // Finishing at all is the check (the tree builder's searches are bounded by max_depth); the result must
        // not depend on the machine's load, so no time budget.
        let depth = 100_000
        let page = String(repeating: "<div>", count: depth) + "deep text" + String(repeating: "</div>", count: depth) + "<p>after"
        #expect(String(decoding: extract(Array(page.utf8), mode: .wholePage, budget: nil).text, as: UTF8.self) == "deep text\nafter")
        let unclosed = String(repeating: "<span><b>", count: depth) + "x"
        #expect(String(decoding: extract(Array(unclosed.utf8), mode: .wholePage, budget: nil).text, as: UTF8.self) == "x")
        let balanced = String(decoding: extract(Array(page.utf8), budget: nil).text, as: UTF8.self)
        #expect(balanced.contains("deep text"))
    }

    @Test func binaryPayloads() {
        var rng = SplitMix64(seed: 14)
        for _ in 0..<20 {
            let bytes = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let result = extract(bytes)
            #expect(!result.timedOut)
            _ = extract(bytes, mode: .wholePage)
        }
    }

    @Test func invalidUTF8InMarkupPassesThrough() {
        // The extractor only cuts at ASCII bytes: invalid sequences in text reach the output as they came (the
        // readers repair them before), and invalid bytes inside tags and attribute names are harmless.
        let page: [UInt8] = Array("<p \u{1}\u{2}=".utf8) + [0xFF, 0xC3] + Array(">caf".utf8) + [0xC3, 0xA9] + Array("<\u{0}b>x</p>".utf8)
        let result = extract(page, mode: .wholePage)
        // "<" followed by NUL opens no tag: it is text, as HTML5 says.
        #expect(result.text == Array("caf".utf8) + [0xC3, 0xA9] + Array("<\u{0}b>x".utf8))
    }

    @Test func timeBudgetStopsAPage() {
        // Many tags, a budget already spent: the extractor stops and says so.
        let page = Array(String(repeating: "<p>a</p>", count: 200_000).utf8)
        let result = extract(page, budget: .zero)
        #expect(result.timedOut)
        #expect(result.text.isEmpty)
    }

    @Test func randomTagSoup() {
        // Seeded soup of tag fragments: no crash, and the text never holds a '<' that opened a tag.
        var rng = SplitMix64(seed: 1414)
        let pieces = ["<p>", "</p>", "<div class='nav'>", "</div>", "<li>", "<table>", "<td>", "<tr>", "</table>", "<b>", "</i>",
                      "<script>", "</script>", "<!--", "-->", "&amp;", "&#", "&", "<", ">", "\"", "'", "=", " text ", "<pre>",
                      "</pre>", "<svg>", "</svg>", "<br>", "<a href=x>", "</a>", "<h2>", "<![CDATA[", "]]>", "<template>", "\u{0}"]
        for _ in 0..<200 {
            var page = ""
            for _ in 0..<300 { page += pieces[Int(rng.next() % UInt64(pieces.count))] }
            for mode in ExtractionMode.allCases {
                let out = String(decoding: extract(Array(page.utf8), mode: mode).text, as: UTF8.self)
                #expect(!out.contains("<p>") && !out.contains("<div"))
            }
        }
    }
}
