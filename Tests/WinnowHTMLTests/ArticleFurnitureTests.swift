import Testing
import WinnowHTML

/// Short blocks around an article's text that no class name marks (plain `<div>`s, hashed CSS-in-JS
/// classes): datelines, bylines, newsletter boxes. Expected texts written by hand.
@Suite struct ArticleFurnitureTests {
    func extract(_ html: String, mode: ExtractionMode = .balanced) -> String {
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: mode))
        return String(decoding: extractor.extract(html).text, as: UTF8.self)
    }

    static let paragraphs = (1...4).map {
        "Paragraph \($0) of the story, with enough words, commas, and length to count as the article text here."
    }

    /// A short block holding a `<time>` element, an `itemprop=author` or a `rel=author` link is a dateline or
    /// byline and goes; a long paragraph that mentions a `<time>` stays.
    @Test func datelinesAndBylinesWithoutClassNames() {
        let rest = " the council met, and after a long debate, with many speakers, it voted to rebuild the old bridge over the river."
        let mention = "On <time datetime=\"2024-05-01\">1 May 2024</time>" + rest
        let html = """
            <html><body><div class="css-1r5gb7q"><div class="css-x9"><time datetime="2024-05-02">2 May 2024, 10:41</time></div>
            <div class="css-y7">By <a rel="author" href="/authors/jane">Jane Doe</a></div>
            <div class="css-z3"><span itemprop="author">John Roe</span> and agencies</div>
            <p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p><p>\(mention)</p><p>\(Self.paragraphs[2])</p>
            <div class="css-q1">Published <time>3 May 2024</time></div></div></body></html>
            """
        let expected = [Self.paragraphs[0], Self.paragraphs[1], "On 1 May 2024" + rest, Self.paragraphs[2]].joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// A short paragraph opening with `©`, `(c)` or `Copyright` is a photo credit or copyright line and goes; a
    /// long paragraph that opens with the word stays, and so does a `©` inside a sentence.
    @Test func creditAndCopyrightLines() {
        let law = "Copyright law, as the court explained at length, protects the expression of an idea and not the idea itself, so the case failed."
        let mention = "The photographer, who signs her work © Jane Doe, said the river had never been so low in all her years, and so did others."
        let html = """
            <html><body><div class="css-a1"><p>\(Self.paragraphs[0])</p>
            <figure><img src="x.jpg"><p class="css-b2">© dpa/Zuma Wire/Jane Doe</p></figure>
            <p>\(Self.paragraphs[1])</p><p>\(law)</p><p>\(mention)</p><p>\(Self.paragraphs[2])</p>
            <p><em>(c) The Financial Times Ltd. 2024</em></p><p>Copyright 2024 The Daily Example, LLC.</p></div></body></html>
            """
        let expected = [Self.paragraphs[0], Self.paragraphs[1], law, mention, Self.paragraphs[2]].joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// Author boxes named `bio`, `biography` or `profile` go even when long (a weak hint removes only short
    /// boxes in balanced mode).
    @Test func longAuthorBiographies() {
        let bio = "Jane Doe is the editor of the local desk, with twenty years of experience covering courts, councils, "
            + "schools and the weather, and before that she worked as a reporter in three cities, two of them abroad, "
            + "where she learned to write about anything at all."
        let html = """
            <html><body><div class="css-a1"><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p><p>\(Self.paragraphs[2])</p>
            <div class="author__biography"><p>\(bio)</p></div><div id="writerProfile"><p>\(bio)</p></div>
            <div class="css-b2 bio"><p>\(bio)</p></div></div></body></html>
            """
        let expected = Self.paragraphs[0...2].joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// A short box with a form or an email field inside the article (a newsletter sign-up) goes, with its
    /// heading; the article's paragraphs around it stay.
    @Test func newsletterBoxInsideTheArticle() {
        let html = """
            <html><body><article><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p>
            <div class="css-n4"><h3>Get the morning briefing</h3><p>The day's news, in your inbox, every morning.</p>
            <div><input type="email" placeholder="you@example.com"> Sign up now</div></div>
            <p>\(Self.paragraphs[2])</p>
            <div class="box"><p>Which bridge design, in your view, should the council choose?</p><form action="/poll"><label><input type=radio> The arch</label></form></div>
            <p>\(Self.paragraphs[3])</p></article></body></html>
            """
        let expected = Self.paragraphs.joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// Short blocks at the ends of the content that do not end like sentences (a section label heading, a
    /// plain-text dateline and byline, a credit, a "share" heading with nothing after it) go; the heading right
    /// before the first paragraph, a short line in the middle, and short closing lines that end as sentences
    /// stay (also in CJK punctuation).
    @Test func shortBlocksAtTheEdgesOfTheContent() {
        let html = """
            <html><head><title>Example News</title></head><body><div class="css-1k2"><h4>Local news</h4><div class="css-d1">Updated 2 May 2024, 10:41 GMT</div>
            <div class="css-b7">Jane Doe | Staff Writer</div><h2>The bridge vote</h2><p>\(Self.paragraphs[0])</p>
            <p>\(Self.paragraphs[1])</p><p>What now</p><p>\(Self.paragraphs[2])</p><p>\(Self.paragraphs[3])</p><p>The vote is on Friday.</p>
            <p>会議は金曜日に開かれる。</p><p>Pictures: Getty Images</p><h3>Share this</h3></div></body></html>
            """
        let expected = ["The bridge vote", Self.paragraphs[0], Self.paragraphs[1], "What now", Self.paragraphs[2],
                        Self.paragraphs[3], "The vote is on Friday.", "会議は金曜日に開かれる。"].joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// Edge trimming leaves a page alone when the short blocks would be more than a fifth of its text (a list
    /// of short items), and when fewer than three blocks are kept.
    @Test func shortBlockPagesAreNotTrimmed() {
        let items = (1...8).map { "<li>Item number \($0) of the list</li>" }.joined()
        let list = "<html><body><div><p>\(Self.paragraphs[0])</p><ul>\(items)</ul></div></body></html>"
        let expected = [Self.paragraphs[0]] + (1...8).map { "Item number \($0) of the list" }
        #expect(extract(list) == expected.joined(separator: "\n"))
        let two = "<html><body><div><p>\(Self.paragraphs[0])</p><p>Photo: Jane Doe</p></div></body></html>"
        #expect(extract(two) == Self.paragraphs[0] + "\nPhoto: Jane Doe")
    }
}
