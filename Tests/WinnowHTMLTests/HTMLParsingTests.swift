import Testing
import WinnowTestSupport
import WinnowHTML

/// Hand-worked expectations for the tokenizer and tree builder, through whole-page extraction (every
/// visible block, one per line) so that boilerplate removal does not interfere.
@Suite struct HTMLParsingTests {
    func whole(_ html: String, format: ExtractionFormat = .text) -> String {
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: .wholePage, format: format))
        return String(decoding: extractor.extract(html).text, as: UTF8.self)
    }

    @Test func impliedEndTags() {
        #expect(whole("<p>one<p>two<div>three</div>four") == "one\ntwo\nthree\nfour")
        #expect(whole("<ul><li>a<li>b</ul><p>after") == "a\nb\nafter")
        #expect(whole("<dl><dt>term<dd>definition<dt>next</dl>") == "term\ndefinition\nnext")
        #expect(whole("<h1>title<h2>sub</h2>text") == "title\nsub\ntext")
        #expect(whole("<table><tr><td>a<td>b<tr><td>c</table>") == "a | b\nc")
        #expect(whole("<p>x</p></p><p>y") == "x\ny")
    }

    @Test func misnestedFormatting() {
        // The adoption agency algorithm keeps "2" bold and italic and "3" italic; the text is what matters.
        #expect(whole("<p>1<b>2<i>3</b>4</i>5</p>") == "12345")
        // A formatting end tag does not close the paragraph opened inside it.
        #expect(whole("<b><p>inside</b> still</p>after") == "inside still\nafter")
        #expect(whole("<a href=x>one<a href=y>two</a>") == "onetwo")
        #expect(whole("</i>stray</span> end tags</div>") == "stray end tags")
    }

    @Test func scriptStyleCommentsAndRawText() {
        #expect(whole("<p>a<script>if (a<b) document.write('</p>x')</script>b</p>") == "ab")
        #expect(whole("<style>p{}</style><p>text<!-- a <p>comment --> more") == "text more")
        #expect(whole("<p>x<!-->y<!--->z<!-- c --!>w") == "xyzw")
        #expect(whole("<!DOCTYPE html><?xml stuff?><p>a<![CDATA[hidden]]>b") == "ab")
        #expect(whole("<title>T &amp; <b>U</b></title><p>body") == "body")
        #expect(whole("<template><p>t</template><noscript><p>n</noscript><p>v") == "v")
        #expect(whole("<textarea>a<p>b</textarea><p>c") == "c")
        #expect(whole("<p>a < b and c<d") == "a < b and c")  // "<d" opens a tag cut off by the end: dropped
        #expect(whole("<p>x</SCRIPT>y<SCRIPT type=text/javascript>z</script >w") == "xyw")
        #expect(whole("<plaintext><p>raw</p>") == "<p>raw</p>")
    }

    @Test func characterReferences() {
        #expect(whole("<p>&amp;&lt;&gt;&quot;&apos;&eacute;&Eacute;&hellip;&euro;") == "&<>\"'éÉ…€")
        // Numeric, with and without ';', hex, the windows-1252 range, NUL and out-of-range values.
        #expect(whole("<p>&#65;&#x42;&#X43&#67x &#150; &#0; &#x110000; &#xD800;") == "ABCCx – \u{FFFD} \u{FFFD} \u{FFFD}")
        // Legacy names without ';': longest match (&notit; is ¬it;), and unknown names stay literal.
        #expect(whole("<p>&copy 2024 &notit; &notin; &ampx &foo; &") == "© 2024 ¬it; ∉ &x &foo; &")
        // Two code points, and no-break spaces collapsing like spaces.
        #expect(whole("<p>&NotEqualTilde; a&nbsp;&nbsp; b") == "\u{2242}\u{338} a b")
    }

    @Test func whitespaceBreaksAndPre() {
        #expect(whole("<p>  a \n\t b  <br> c<br/></p>") == "a b\nc")
        #expect(whole("<pre>\nline 1\n  line 2\n</pre><p>x") == "line 1\n  line 2\nx")
        #expect(whole("<p>a</p>\n\n<p>   </p><p>b") == "a\nb")
    }

    @Test func hiddenAndDropped() {
        #expect(whole("<p>a<span hidden>b</span><span style='display: none'>c</span><span aria-hidden=true>d</span>e") == "ae")
        #expect(whole("<p>x<svg><text>chart</text></svg><select><option>o</select><button>b</button>y") == "xy")
        // Whole hiding class names of CSS frameworks; a class that only contains such a word is not one.
        #expect(whole("<p>a<span class='sr-only'>b</span><span class='x d-none'>c</span><span class='hidden-xs'>d</span><span class='Hidden'>e</span>f") == "adf")
        // An SVG sprite of self-closed paths, deeper than max_depth if they stayed open, ends at </svg>.
        let sprite = "<svg><defs>" + String(repeating: "<symbol><path d='M0 0'/><path d='M1 1'/></symbol>", count: 300) + "</defs></svg>"
        #expect(whole("<p>a</p>" + sprite + "<p>b</p>") == "a\nb")
        // React's streamed content is shown; other hidden divs are not.
        #expect(whole("<p>a</p><div hidden id=\"S:1\"><p>b</p></div><div hidden id=\"T:1\"><p>c</p></div>") == "a\nb")
    }

    @Test func markdown() {
        let html = "<h2>Title</h2><p>Para one.</p><ul><li>a<li>b<ol><li>c<li>d</ol></ul><blockquote><p>q</p></blockquote>"
            + "<table><tr><th>h1<th>h2<tr><td>1<td>2</table><pre>code\n  indented</pre>"
        #expect(whole(html, format: .markdown) == """
            ## Title

            Para one.

            - a
            - b
              1. c
              2. d

            > q

            | h1 | h2 |
            | 1 | 2 |

            ```
            code
              indented
            ```
            """)
    }

    @Test func metadata() {
        var extractor = HTMLExtractor()
        let page = """
            <html LANG="de-AT"><head><title> Ein
            Titel &amp; mehr</title><link rel=canonical href="https://e.org/a?x=1&amp;y=2">
            <meta property="article:published_time" content="2024-05-01T10:00:00Z"></head><body><p>Text</p></body></html>
            """
        let result = extractor.extract(page)
        #expect(result.metadata.title == "Ein Titel & mehr")
        #expect(result.metadata.canonicalURL == "https://e.org/a?x=1&y=2")
        #expect(result.metadata.language == "de-AT")
        #expect(result.metadata.datePublished == "2024-05-01T10:00:00Z")
        let jsonLD = extractor.extract(#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished": "2023-01-02"}</script><p>x"#)
        #expect(jsonLD.metadata.datePublished == "2023-01-02")
    }
}
