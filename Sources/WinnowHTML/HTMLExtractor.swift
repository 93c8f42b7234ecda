/// How extracted text is laid out.
public enum ExtractionFormat: String, Sendable, CaseIterable {
    /// One line per paragraph, heading, list item or table row (cells joined by " | "); code keeps its lines.
    case text
    /// Markdown-like: `#` headings, `-`/`1.` list items, `|` table rows, fenced code, `>` quotes, blank lines
    /// between paragraphs.
    case markdown
}

/// Options of the extractor.
public struct HTMLExtractionOptions: Sendable {
    public var mode: ExtractionMode
    public var format: ExtractionFormat
    /// Elements nested deeper than this are not pushed (their text goes to the deepest open element).
    public var maxDepth: Int
    /// A page taking longer than this is abandoned (`HTMLExtraction.timedOut`); nil for no limit.
    public var timeBudget: Duration?

    public init(mode: ExtractionMode = .balanced, format: ExtractionFormat = .text, maxDepth: Int = 256,
                timeBudget: Duration? = .seconds(5)) {
        self.mode = mode
        self.format = format
        self.maxDepth = maxDepth
        self.timeBudget = timeBudget
    }
}

/// The result of extracting one page.
public struct HTMLExtraction: Sendable {
    /// The main text, UTF-8 (valid when the input is).
    public var text: [UInt8]
    public var metadata: PageMetadata
    /// The time budget ran out; `text` is empty.
    public var timedOut: Bool
    /// Text blocks found and kept.
    public var blocksTotal: Int
    public var blocksKept: Int
}

/// Extracts the main text and metadata of HTML pages. Keeps its buffers between pages: make one per thread.
public struct HTMLExtractor {
    public let options: HTMLExtractionOptions
    private var tokenizer = HTMLTokenizer()
    private var builder: HTMLPageBuilder
    private var selector: ContentSelector
    private var keep: [Bool] = []
    private var fallbackKeep: [Bool] = []

    public init(options: HTMLExtractionOptions = HTMLExtractionOptions()) {
        self.options = options
        builder = HTMLPageBuilder(maxDepth: max(8, options.maxDepth))
        selector = ContentSelector(mode: options.mode)
    }

    /// Extracts from a UTF-8 page.
    public mutating func extract(_ page: [UInt8]) -> HTMLExtraction {
        page.withUnsafeBufferPointer { extract($0) }
    }

    public mutating func extract(_ page: UnsafeBufferPointer<UInt8>) -> HTMLExtraction {
        builder.reset(deadline: options.timeBudget.map { ContinuousClock.now.advanced(by: $0) })
        tokenizer.run(page, into: &builder)
        builder.finish()
        if builder.timedOut {
            return HTMLExtraction(text: [], metadata: builder.metadata, timedOut: true, blocksTotal: builder.blocks.count, blocksKept: 0)
        }
        selector.select(nodes: &builder.nodes, blocks: builder.blocks, keep: &keep)
        if options.mode != .wholePage, let title = builder.metadata.title { dropTitleHeading(title) }
        if options.mode == .balanced || options.mode == .precision {
            fallBackWhenShort()
            ContentEdges.trim(blocks: builder.blocks, keep: &keep, text: builder.text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(builder.text.count)
        let kept = TextRenderer.render(blocks: builder.blocks, keep: keep, text: builder.text, format: options.format, into: &out)
        // The page's JSON-LD articleBody when the DOM's text is only a teaser of it (a paywall hides the rest).
        if options.mode != .wholePage, let range = builder.articleBody {
            var body: [UInt8] = []
            if JSONLDArticleBody.render(page, range, format: options.format, into: &body), JSONLDArticleBody.replaces(out, with: body) {
                out = body
            }
        }
        return HTMLExtraction(text: out, metadata: builder.metadata, timedOut: false, blocksTotal: builder.blocks.count, blocksKept: kept)
    }

    /// Content shorter than this (characters, spaces not counted) is not trusted: the page's recall text is used.
    static let shortContentChars = 200
    /// In balanced mode, content under this share of the recall text is not trusted either.
    static let shortContentShare = 0.2

    /// A fallback as trafilatura compares its result with a second extraction: when the content found is
    /// short (under `shortContentChars`, or in balanced mode under `shortContentShare` of the text `recall`
    /// keeps) and the recall text is longer, the best-scoring element was most likely a teaser, a caption or
    /// a box beside the article, and the recall text (every block outside boilerplate that is not mostly
    /// links) is kept instead.
    private mutating func fallBackWhenShort() {
        var chars = 0
        for (k, b) in builder.blocks.enumerated() where keep[k] { chars += Int(b.chars) }
        let balanced = options.mode == .balanced
        guard chars < Self.shortContentChars || balanced else { return }
        fallbackKeep.removeAll(keepingCapacity: true)
        fallbackKeep.append(contentsOf: repeatElement(false, count: builder.blocks.count))
        selector.selectOutsideBoilerplate(blocks: builder.blocks, keep: &fallbackKeep, orAll: balanced)
        var recallChars = 0
        for (k, b) in builder.blocks.enumerated() where fallbackKeep[k] { recallChars += Int(b.chars) }
        guard recallChars > chars,
              chars < Self.shortContentChars || (balanced && Double(chars) < Self.shortContentShare * Double(recallChars))
        else { return }
        swap(&keep, &fallbackKeep)
        if let title = builder.metadata.title { dropTitleHeading(title) }
    }

    /// The page's title is metadata: a heading before the first kept paragraph whose text the `<title>`
    /// contains (it usually adds the site's name) is not repeated in the text, as trafilatura and newspaper
    /// leave it out.
    private mutating func dropTitleHeading(_ title: String) {
        let titleBytes = Array(title.utf8)
        for (k, b) in builder.blocks.enumerated() where keep[k] {
            guard b.kind == .heading else { return }
            let length = Int(b.end - b.start)
            guard length >= 10, length <= titleBytes.count else { continue }
            let heading = builder.text[Int(b.start)..<Int(b.end)]
            var at = 0
            while at + length <= titleBytes.count {
                if titleBytes[at..<(at + length)].elementsEqual(heading) {
                    keep[k] = false
                    return
                }
                at += 1
            }
        }
    }

    /// Extracts from a string (tests, small inputs).
    public mutating func extract(_ page: String) -> HTMLExtraction {
        extract(Array(page.utf8))
    }
}
