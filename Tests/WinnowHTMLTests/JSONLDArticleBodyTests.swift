import Testing
import WinnowHTML

/// A page's JSON-LD `articleBody` stands in for the DOM's text when that is only a teaser of it (a paywall
/// hides the rest), and only then. Expected texts written by hand.
@Suite struct JSONLDArticleBodyTests {
    func extract(_ html: String, mode: ExtractionMode = .balanced, format: ExtractionFormat = .text) -> String {
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: mode, format: format))
        return String(decoding: extractor.extract(html).text, as: UTF8.self)
    }

    static let teaser = "The council met on Monday, and after a long debate, with many speakers, it voted to rebuild the old bridge."
    static let rest = (1...6).map {
        "Part \($0) of the story goes on behind the paywall, with enough words, commas, and detail to be worth reading."
    }

    /// A paywalled article: the first paragraph shown, the rest in a `hidden` element, the whole text in the
    /// JSON-LD (as JSON writes it: `\n` between paragraphs, `\"`, `\u00e9`, a surrogate pair for an emoji).
    static func page(articleBody: String) -> String {
        """
        <html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
        "headline":"Bridge","articleBody" : "\(articleBody)"}</script></head><body>
        <nav><a href="/">Home</a> <a href="/local">Local</a></nav><article><p>\(teaser)</p>
        <div class="paywall" hidden>\(rest.map { "<p>\($0)</p>" }.joined())</div>
        <div class="subscribe-box">Subscribe to read the whole story</div></article></body></html>
        """
    }

    static let escapedBody = ([teaser] + rest).joined(separator: "\\n") + "\\n\\n\\\"Caf\\u00e9 talk\\\" \\ud83d\\ude00  ends  here."

    @Test func paywalledTeaserGivesWayToTheArticleBody() {
        let html = Self.page(articleBody: Self.escapedBody)
        let expected = ([Self.teaser] + Self.rest + ["\"Café talk\" 😀 ends here."]).joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
        #expect(extract(html, format: .markdown) == ([Self.teaser] + Self.rest + ["\"Café talk\" 😀 ends here."]).joined(separator: "\n\n"))
        #expect(extract(html, mode: .wholePage).hasPrefix("Home"))
    }

    /// A body about something else (another article on a listing page), a body holding markup, and a body not
    /// three times the DOM's text leave the DOM's text alone.
    @Test func articleBodyIsUsedOnlyForATeaserOfIt() {
        let other = (1...8).map { "Unrelated item \($0): recipes, gardening tips, and weather forecasts for the coming weekend days." }
        let domText = Self.teaser
        #expect(extract(Self.page(articleBody: other.joined(separator: "\\n"))) == domText)
        #expect(extract(Self.page(articleBody: ([Self.teaser] + Self.rest).map { "<p>\($0)</p>" }.joined())) == domText)
        #expect(extract(Self.page(articleBody: Self.teaser + " " + Self.rest[0])) == domText)
    }
}
