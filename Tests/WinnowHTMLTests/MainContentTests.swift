import Testing
import WinnowTestSupport
import WinnowHTML

/// Boilerplate removal on hand-written pages whose main text is known.
@Suite struct MainContentTests {
    func extract(_ html: String, mode: ExtractionMode = .balanced, format: ExtractionFormat = .text) -> String {
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: mode, format: format))
        return String(decoding: extractor.extract(html).text, as: UTF8.self)
    }

    static let article = """
        <html lang="en"><head><title>Rivers of Europe</title></head><body>
        <header class="site-header"><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></header>
        <nav><ul><li><a href="/a">Geography</a><li><a href="/b">History</a><li><a href="/c">Travel</a></ul></nav>
        <div id="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
        <main><article>
          <h1>The Danube</h1>
          <p>The Danube is the second-longest river in Europe, after the Volga. It flows through much of Central and
          Southeastern Europe, from the Black Forest into the Black Sea.</p>
          <p>Its drainage basin includes parts of nineteen countries, more than any other river, and it has been a
          major trade route, a border, and a subject of art for centuries.</p>
          <ul><li>Length: 2,850 km</li><li>Source: Black Forest</li></ul>
          <table><tr><th>City</th><th>Country</th></tr><tr><td>Vienna</td><td>Austria</td></tr></table>
          <pre><code>river = "Danube"
        print(river)</code></pre>
          <div class="share-bar"><a href="https://t.example/share">Share on T</a> <a href="https://f.example/share">Share on F</a></div>
        </article></main>
        <aside class="sidebar"><h3>Related</h3><ul><li><a href="/rhine">The Rhine, a river of many countries</a></ul></aside>
        <section id="comments"><h3>Comments</h3><p>Great article, thanks for writing it, I learned a lot today!</p></section>
        <footer><p>Copyright 2024 Rivers Inc. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
        </body></html>
        """

    /// A wrapper named like a sidebar around the content-named article body is layout, not a sidebar (the
    /// wrapper holds under half of the page's plain text, so only the content-named child shows it); the real
    /// sidebar beside it, the site notes and the figure caption (a weak hint) go.
    @Test func sidebarNamedWrapperAroundContent() {
        let paragraph = { (i: Int) in "Paragraph \(i) of the story, with enough words, commas, and length to count as the article text here." }
        let notes = (1...6).map { "<li>Site note \($0) about subscriptions and offers that readers of this site may want to know about today</li>" }
        let html = """
            <html><body><div class="sidebar-grid"><div class="article__content">\((1...4).map { "<p>\(paragraph($0))</p>" }.joined())
            <figure><img src=x><figcaption>Photo: a river</figcaption></figure></div>
            <div class="sidebar-grid__aside"><a href="/1">Most read one</a> <a href="/2">Most read two</a></div></div>
            <ul class="site-notes">\(notes.joined())</ul></body></html>
            """
        let expected = (1...4).map(paragraph).joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// A BEM name is judged by its element part: an article split into `sidebar-grid__container` sections, each
    /// with its `sidebar-grid__content`, is content (before, the block word `sidebar` made every section a sidebar
    /// and the page came out empty); the `sidebar-grid__sidebar` beside it, a `related` block whose parts are
    /// `related__item`s and an ad slot named only by its block (`c-ad__medium-rectangle`) still go.
    @Test func bemElementNamesAreJudgedByTheirElementPart() {
        let paragraph = { (i: Int) in "Paragraph \(i) of the story, with enough words, commas, and length to count as the article text here." }
        let section = { (i: Int) in
            "<div class=\"sidebar-grid__container\"><div class=\"sidebar-grid__content\"><p>\(paragraph(2 * i - 1))</p>"
                + "<div class=\"c-ad__medium-rectangle\"><span>Advertisement</span></div><p>\(paragraph(2 * i))</p></div>"
                + "<div class=\"sidebar-grid__sidebar\"><p>Most read today: a long teaser line for another story on this site</p></div></div>"
        }
        let related = (1...3).map { "<div class=\"related__item\"><p>Related story \($0), a teaser with words, commas, and more words to read</p></div>" }
        let html = """
            <html><body><div class="sidebar-grid">\((1...3).map(section).joined())</div>
            <div class="related">\(related.joined())</div></body></html>
            """
        let expected = (1...6).map(paragraph).joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// An article cut into sections, each in its own deep chain of wrappers (as some broadcasters' CMSs write
    /// it): the paragraphs' scores reach only their own section, so before only the best section was kept;
    /// now the wrapper holding nothing but the best section stands for it and the other sections, judged by
    /// the paragraphs they hold, join it. The link list between them still goes.
    @Test func articleCutIntoDeeplyWrappedSections() {
        let paragraph = { (i: Int) in "Paragraph \(i) of the report, with words, commas, and enough length to count as article text." }
        let wrapped = { (body: String) in "<div class=\"con\"><div class=\"mod\"><div class=\"box-con\"><div class=\"box\"><div class=\"inner\"><div class=\"text\">\(body)</div></div></div></div></div></div>" }
        let sections = [(1...5), (6...7), (8...9)].map { wrapped($0.map { "<p>\(paragraph($0))</p>" }.joined()) }
        let jumpLinks = wrapped("<ul><li><a href=\"#a\">Jump to the first part</a></li><li><a href=\"#b\">Jump to the second part</a></li></ul>")
        let html = """
            <html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <div class="page">\(sections[0])\(jumpLinks)\(sections[1])\(sections[2])</div></body></html>
            """
        let expected = (1...9).map(paragraph).joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
    }

    /// Rows of a data table inside the article stay however much of them is link text (film titles and names
    /// linked to their pages); a list of links beside them still goes.
    @Test func tableRowsWithLinkedCells() {
        let paragraph = { (i: Int) in "Paragraph \(i) of the filmography, with enough words, commas, and length to count as text." }
        let films = [("The Long Night", "1998", "Ann Lee"), ("River Road", "2003", "Bo Chan"), ("Dreadful Chapters", "2011", "Cy Ortiz")]
        let rows = films.map { "<tr><td><a href=\"/wiki/\($0.0)\">\($0.0)</a></td><td>\($0.1)</td><td><a href=\"/wiki/\($0.2)\">\($0.2)</a></td></tr>" }
        let html = """
            <html><body><div class="mw-body"><p>\(paragraph(1))</p><p>\(paragraph(2))</p>
            <table class="wikitable"><tr><th>Title</th><th>Year</th><th>Director</th></tr>\(rows.joined())</table>
            <p>\(paragraph(3))</p><ul><li><a href="/a">See also one</a></li><li><a href="/b">See also two</a></li></ul></div></body></html>
            """
        let expected = [paragraph(1), paragraph(2), "Title | Year | Director"] + films.map { "\($0.0) | \($0.1) | \($0.2)" } + [paragraph(3)]
        #expect(extract(html) == expected.joined(separator: "\n"))
        #expect(extract(html, mode: .precision) == expected.joined(separator: "\n"))
    }

    @Test func articleKeepsMainTextOnly() {
        #expect(extract(Self.article) == """
            The Danube
            The Danube is the second-longest river in Europe, after the Volga. It flows through much of Central and Southeastern Europe, from the Black Forest into the Black Sea.
            Its drainage basin includes parts of nineteen countries, more than any other river, and it has been a major trade route, a border, and a subject of art for centuries.
            Length: 2,850 km
            Source: Black Forest
            City | Country
            Vienna | Austria
            river = "Danube"
            print(river)
            """)
    }

    @Test func articleAsMarkdown() {
        #expect(extract(Self.article, format: .markdown) == """
            # The Danube

            The Danube is the second-longest river in Europe, after the Volga. It flows through much of Central and Southeastern Europe, from the Black Forest into the Black Sea.

            Its drainage basin includes parts of nineteen countries, more than any other river, and it has been a major trade route, a border, and a subject of art for centuries.

            - Length: 2,850 km
            - Source: Black Forest

            | City | Country |
            | Vienna | Austria |

            ```
            river = "Danube"
            print(river)
            ```
            """)
    }

    @Test func wholePageKeepsEverythingVisible() {
        let text = extract(Self.article, mode: .wholePage)
        for piece in ["Home News About", "Geography", "We use cookies", "Share on T", "Related", "Great article", "Copyright 2024"] {
            #expect(text.contains(piece), "whole_page lost \(piece)")
        }
        #expect(!text.contains("Accept"))  // a button is not text
    }

    @Test func recallDropsMarkedBoilerplate() {
        let text = extract(Self.article, mode: .recall)
        #expect(text.contains("The Danube is the second-longest river"))
        #expect(text.contains("Vienna | Austria"))
        for piece in ["Geography", "We use cookies", "Share on T", "Rhine", "Great article", "Copyright 2024"] {
            #expect(!text.contains(piece), "recall kept \(piece)")
        }
    }

    @Test func precisionKeepsTheArticle() {
        let text = extract(Self.article, mode: .precision)
        #expect(text.hasPrefix("The Danube\nThe Danube is the second-longest river"))
        #expect(!text.contains("Share on"))
    }

    /// A page without semantic tags: a layout of divs, the content found by text and link density.
    @Test func divLayoutByDensity() {
        let para = "This paragraph has real content, with commas, clauses, and enough words to look like prose written by a person."
        let html = """
            <div id="top"><div><a href="/1">One</a> | <a href="/2">Two</a> | <a href="/3">Three</a> | <a href="/4">Four</a></div></div>
            <div id="wrap"><div class="left"><div><a href="/x">Link list item number one</a></div><div><a href="/y">Link list item number two</a></div></div>
            <div class="c"><p>\(para)</p><p>\(para)</p><p>A short line.</p><p>\(para)</p></div></div>
            <div><a href="/terms">Terms of service</a> <a href="/contact">Contact us</a></div>
            """
        #expect(extract(html) == [para, para, "A short line.", para].joined(separator: "\n"))
    }

    /// Class words are found in camelCase values too, and `more` alone does not make an element boilerplate
    /// (`id="entry-more"` holds the rest of an article on many blogs).
    @Test func camelCaseClassWordsAndEntryMore() {
        let para = "This paragraph has real content, with commas, clauses, and enough words to look like prose written by a person."
        let html = """
            <div class="storyContainer"><p>\(para)</p><div id="entry-more"><p>\(para)</p><p>\(para)</p></div></div>
            <div class="siteSidebarBox"><p>Our sidebar has a paragraph too, with commas, words, and more words in it.</p></div>
            """
        #expect(extract(html) == [para, para, para].joined(separator: "\n"))
        #expect(extract(html, mode: .recall) == [para, para, para].joined(separator: "\n"))
    }

    /// A short dateline or timestamp element in the content is a weak negative hint (dropped in balanced
    /// mode); a positive word beside it cancels it (the kept one sits between paragraphs: at the content's end,
    /// edge trimming would take it, see ArticleFurnitureTests).
    @Test func datelineIsAWeakHint() {
        let para = "This paragraph has real content, with commas, clauses, and enough words to look like prose written by a person."
        let html = """
            <article><p class="dateline">Published December 23, 2014</p><p>\(para)</p>
            <div class="entry-date">Posted on Monday</div><p>\(para)</p></article>
            """
        #expect(extract(html) == [para, "Posted on Monday", para].joined(separator: "\n"))
    }

    /// A list whose items are sentences ending in a link is content, though over a third of its text is
    /// link text; a list whose items are all link is a menu.
    @Test func sentencesWithLinksStayMenusGo() {
        let para = "This paragraph has real content, with commas, clauses, and enough words to look like prose written by a person."
        // Each item: 11-14 letters of plain text and 9 of link, so over a third of the list is link text.
        let items = ["Fixed a crash", "Faster printing", "Removed a pref"]
        let html = """
            <article><p>\(para)</p><p>\(para)</p>
            <ul>\(items.enumerated().map { "<li>\($1) <a href=/b/\($0)>Bug 16771\($0)</a></li>" }.joined())</ul>
            <ul>\((1...4).map { "<li><a href=/p/\($0)>Another page number \($0)</a></li>" }.joined())</ul>
            <p>\(para)</p></article>
            """
        let expected = [para, para] + items.enumerated().map { "\($1) Bug 16771\($0)" } + [para]
        #expect(extract(html) == expected.joined(separator: "\n"))
    }

    /// The page title is metadata: a leading heading that the `<title>` contains is not repeated in the text;
    /// a heading the title does not contain stays.
    @Test func leadingTitleHeadingLeftOut() {
        let para = "This paragraph has real content, with commas, clauses, and enough words to look like prose written by a person."
        let page = { (title: String) in
            "<html><head><title>\(title)</title></head><body><article><h1>How rivers shape valleys</h1><p>\(para)</p><p>\(para)</p></article></body></html>"
        }
        #expect(extract(page("How rivers shape valleys | Geo News")) == [para, para].joined(separator: "\n"))
        #expect(extract(page("Geo News")) == ["How rivers shape valleys", para, para].joined(separator: "\n"))
        #expect(extract(page("How rivers shape valleys"), mode: .wholePage).hasPrefix("How rivers shape valleys\n"))
    }

    /// Content kept in an `<aside>` that holds most of the page (a slideshow) is found; a small aside is not.
    @Test func asideHoldingMostOfThePage() {
        let para = "This paragraph has real content, with commas, clauses, and enough words to look like prose written by a person."
        let html = """
            <div id="main"><p>Short intro line.</p></div>
            <aside id="rightColumn"><ul><li><h2>Slide one</h2><p>\(para)</p></li><li><h2>Slide two</h2><p>\(para)</p></li></ul></aside>
            """
        #expect(extract(html).contains("Slide two\n\(para)"))
        let small = "<article><p>\(para)</p><p>\(para)</p><p>\(para)</p></article><aside><p>An aside paragraph, with commas, words, and more words, long enough to be scored.</p></aside>"
        #expect(!extract(small).contains("An aside"))
    }

    @Test func emptyAndLinkOnlyPages() {
        #expect(extract("") == "")
        #expect(extract("<html><head><title>x</title></head><body></body></html>") == "")
        #expect(extract("<nav><a href=/a>a</a></nav>") == "")
        // A short page with no paragraph to score still gives its text.
        #expect(extract("<p>Hello world.</p>") == "Hello world.")
    }

    /// When the content found is short (under 200 characters) or, in balanced mode, under a fifth of the
    /// recall text, the best-scoring element was a box beside the article (here the only paragraph long enough
    /// to score): the recall text, every block outside boilerplate that is not mostly links, is kept instead.
    @Test func shortContentFallsBackToTheRecallText() {
        let ingredients = ["Two cups of flour.", "One cup of water.", "A pinch of salt.", "Some fresh yeast."]
        let steps = ["Mix it all.", "Let it rise.", "Shape the loaf.", "Bake it an hour."]
        let items = { (list: [String]) in list.map { "<li>\($0)</li>" }.joined() }
        let html = """
            <html><body><nav><a href="/">Home</a> <a href="/bread">Bread</a></nav>
            <div class="css-k2"><p>Try our new baking app, free for a month.</p></div>
            <div class="css-r7"><h2>Ingredients</h2><ul>\(items(ingredients))</ul><h2>Steps</h2><ol>\(items(steps))</ol></div>
            <footer><a href="/about">About us</a></footer></body></html>
            """
        let expected = (["Try our new baking app, free for a month.", "Ingredients"] + ingredients + ["Steps"] + steps)
            .joined(separator: "\n")
        #expect(extract(html) == expected)
        #expect(extract(html, mode: .precision) == expected)
        #expect(extract(html, mode: .recall) == expected)
    }
}
