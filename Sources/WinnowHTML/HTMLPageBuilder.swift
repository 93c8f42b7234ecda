/// Builds the light tree and the text blocks of one page from the tokenizer's tokens: the tree-building
/// part of HTML5 that matters for text.
///
/// - Implied end tags: a block start tag closes an open `<p>`; `<li>`, `<dt>`/`<dd>`, `<tr>`, `<td>`/`<th>`,
///   `<thead>`/`<tbody>`/`<tfoot>`, `<option>` close an open sibling of their kind; a heading closes an open
///   heading; `<a>` closes an open `<a>`. `</br>` is `<br>`.
/// - End tags close the nearest open element of their name within the scope (table cells, tables, buttons
///   bound it); an end tag of a formatting element (b, i, a, span, ...) with a block open inside it is
///   ignored, which is what the adoption agency algorithm amounts to for the text; unmatched end tags are
///   ignored.
/// - Depth is bounded (`maxDepth`): deeper elements are not pushed and their end tags are absorbed.
/// - Whitespace collapses to single spaces outside `<pre>`; `<br>` is a line break within a block.
struct HTMLPageBuilder: HTMLTokenSink {
    var maxDepth: Int
    var deadline: ContinuousClock.Instant?
    var timedOut = false

    var nodes: [HTMLNode] = []
    var blocks: [TextBlock] = []
    /// The text of all blocks.
    var text: [UInt8] = []
    var metadata = PageMetadata()
    /// The byte range of the first JSON-LD `"articleBody"` string value (escaped), if any.
    var articleBody: Range<Int>?

    private var stack: [Int32] = []
    /// Open elements per tag, so implied-end-tag searches are skipped when nothing could match.
    private var openCount = [Int32](repeating: 0, count: HTMLTag.allCases.count)
    private var overflow = 0
    /// Open lists: ordered?, items so far.
    private var lists: [(ordered: Bool, count: Int32)] = []

    // The block being collected.
    private var blockStart = 0
    private var blockChars: Int32 = 0
    private var blockLinkChars: Int32 = 0
    private var blockCommas: Int32 = 0
    private var blockNode: Int32 = 0
    private var blockKind = BlockKind.paragraph
    private var blockLevel: UInt8 = 0
    private var blockOrdinal: Int32 = 0
    /// A date or author element opened inside the block.
    private var blockHasByline = false
    private var pendingSpace = false
    private var pendingCell = false
    private var scratch: [UInt8] = []
    private var nextScriptIsJSONLD = false

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    mutating func reset(deadline: ContinuousClock.Instant?) {
        self.deadline = deadline
        timedOut = false
        nodes.removeAll(keepingCapacity: true)
        blocks.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        for k in openCount.indices { openCount[k] = 0 }
        lists.removeAll(keepingCapacity: true)
        metadata = PageMetadata()
        articleBody = nil
        overflow = 0
        nodes.append(HTMLNode(tag: .other, parent: -1, own: [], inherited: [], classWeight: 0))
        stack.append(0)
        startBlock(kind: .paragraph)
    }

    /// Closes the last block; call after the tokenizer.
    mutating func finish() {
        finishBlock()
    }

    mutating func shouldContinue() -> Bool {
        if let deadline, ContinuousClock.now > deadline {
            timedOut = true
            return false
        }
        return true
    }

    private var top: Int32 { stack[stack.count - 1] }
    private var topFlags: NodeFlags { nodes[Int(top)].inherited }

    // MARK: tags

    mutating func startTag(_ tag: HTMLTag, attributes: UnsafeBufferPointer<HTMLAttribute>, selfClosing: Bool,
                           page: UnsafeBufferPointer<UInt8>) {
        switch tag {
        case .br:
            lineBreak()
            return
        case .meta, .link, .base:
            readHeadMetadata(tag, attributes, page)
            return
        case .script:
            nextScriptIsJSONLD = attributeValue("type", attributes, page).map { HTMLBytes.contains($0, "ld+json") } ?? false
        case .html:
            if metadata.language == nil, let lang = attributeValue("lang", attributes, page) ?? attributeValue("xml:lang", attributes, page) {
                metadata.language = HTMLBytes.trimmed(lang)
            }
            if nodes.count > 1 { return }  // a second <html> merges into the first
        case .body, .head:
            if isOpen(tag) { return }
        default:
            break
        }
        closeImplied(by: tag)
        if tag.isBlock || tag == .hr { finishBlock(keepPendingKind: true) }

        var own = NodeFlags()
        var weight: Int16 = 0
        switch tag {
        case .svg, .math, .template, .select, .button, .object, .canvas, .video, .audio, .map, .datalist, .textarea,
             .noscript, .iframe, .noembed, .noframes:
            own.insert(.dropped)
        case .nav, .aside, .footer, .menu, .dialog: own.insert(.boilerplate)
        case .figcaption: own.insert(.unlikely)
        case .a: own.insert(.link)
        case .time: own.insert(.byline)
        case .form: own.insert(.form)
        case .input:
            if let type = attribute("type", attributes, page), HTMLBytes.equals(page, type, "email") {
                nodes[Int(top)].own.insert(.form)
            }
        case .pre, .listing: own.insert(.preformatted)
        case .blockquote: own.insert(.quote)
        case .article, .main: own.formUnion([.article, .positive])
        default: break
        }
        for attribute in attributes {
            hint(attribute, tag: tag, page: page, own: &own, weight: &weight)
        }
        // React's streamed server rendering sends content in `<div hidden id="S:n">` and a script moves it into
        // place: it is shown, not hidden.
        if tag == .div, own.contains(.dropped), let id = attribute("id", attributes, page),
           id.count >= 2, page[id.lowerBound] == UInt8(ascii: "S"), page[id.lowerBound + 1] == UInt8(ascii: ":") {
            own.remove(.dropped)
        }
        if own.contains(.byline) { blockHasByline = true }
        if tag.isVoid { return }
        // In SVG and MathML a `/>` closes the element (`<path d=".."/>`): an icon sprite of a thousand paths
        // must not stay open and swallow the page.
        if selfClosing && (tag == .svg || tag == .math || openCount[Int(HTMLTag.svg.rawValue)] > 0
                           || openCount[Int(HTMLTag.math.rawValue)] > 0) { return }
        if stack.count >= maxDepth {
            overflow += 1
            return
        }
        let parent = top
        let inherited = own.intersection(NodeFlags.inheritedWhileParsing).union(nodes[Int(parent)].inherited.intersection(NodeFlags.inheritedWhileParsing))
        nodes.append(HTMLNode(tag: tag, parent: parent, own: own, inherited: inherited, classWeight: weight))
        stack.append(Int32(nodes.count - 1))
        openCount[Int(tag.rawValue)] += 1

        switch tag {
        case .ul, .ol, .menu, .dir:
            lists.append((tag == .ol, 0))
        case .li:
            var ordinal: Int32 = 0
            if !lists.isEmpty {
                lists[lists.count - 1].count += 1
                if lists[lists.count - 1].ordered { ordinal = lists[lists.count - 1].count }
            }
            setKind(.listItem, level: UInt8(min(max(lists.count, 1), 9)), ordinal: ordinal)
        case .h1, .h2, .h3, .h4, .h5, .h6:
            setKind(.heading, level: tag.rawValue - HTMLTag.h1.rawValue + 1, ordinal: 0)
        case .tr:
            setKind(.tableRow, level: 0, ordinal: 0)
        case .td, .th:
            if blockKind == .tableRow { if blockChars > 0 { pendingCell = true } } else { finishBlock() }
        case .pre, .listing:
            setKind(.preformatted, level: 0, ordinal: 0)
        default:
            break
        }
    }

    mutating func endTag(_ tag: HTMLTag) {
        if tag == .br { lineBreak(); return }
        if tag == .html || tag == .body || tag == .head { return }  // closed implicitly at the end
        if overflow > 0 {
            overflow -= 1
            return
        }
        // The nearest open element of this name, within scope.
        var k = stack.count - 1
        var blockInside = false
        while k > 0 {
            let t = nodes[Int(stack[k])].tag
            if t == tag { break }
            if t.isBlock { blockInside = true }
            if t.isScopeBoundary { return }
            k -= 1
        }
        guard k > 0 else {
            if tag == .p { finishBlock() }  // "</p>" without an open p: an empty paragraph
            return
        }
        if tag.isFormatting && blockInside { return }
        popTo(k)
    }

    mutating func text(_ page: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        let flags = topFlags
        if flags.contains(.dropped) { return }
        appendText(page, from: from, to: to, flags: flags, decode: true)
    }

    mutating func rawText(_ tag: HTMLTag, _ page: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        switch tag {
        case .title:
            if metadata.title == nil, !topFlags.contains(.dropped) {
                metadata.title = HTMLBytes.decodedString(page, from, to, collapse: true, scratch: &scratch)
            }
        case .script:
            if nextScriptIsJSONLD, metadata.datePublished == nil {
                metadata.datePublished = PageMetadata.jsonLDDate(page, from, to)
            }
            if nextScriptIsJSONLD, articleBody == nil {
                articleBody = JSONLDArticleBody.stringValue("articleBody", page, from, to)
            }
        case .plaintext:
            if !topFlags.contains(.dropped) { appendText(page, from: from, to: to, flags: topFlags.union(.preformatted), decode: false) }
        default:
            break
        }
    }

    // MARK: tree

    private mutating func popTo(_ k: Int) {
        while stack.count > k {
            let node = nodes[Int(stack.removeLast())]
            openCount[Int(node.tag.rawValue)] -= 1
            if node.tag.isBlock { finishBlock() }
            switch node.tag {
            case .ul, .ol, .menu, .dir: if !lists.isEmpty { lists.removeLast() }
            default: break
            }
        }
    }

    /// Pops to the nearest open element satisfying `match`, stopping at elements satisfying `stop`.
    private mutating func close(where match: (HTMLTag) -> Bool, stopAt stop: (HTMLTag) -> Bool) {
        var k = stack.count - 1
        while k > 0 {
            let t = nodes[Int(stack[k])].tag
            if match(t) { popTo(k); return }
            if stop(t) { return }
            k -= 1
        }
    }

    @inline(__always)
    private func isOpen(_ a: HTMLTag) -> Bool { openCount[Int(a.rawValue)] > 0 }

    @inline(__always)
    private func isOpen(_ a: HTMLTag, _ b: HTMLTag, _ c: HTMLTag? = nil) -> Bool {
        isOpen(a) || isOpen(b) || (c.map(isOpen) ?? false)
    }

    private mutating func closeImplied(by tag: HTMLTag) {
        if tag.closesParagraph, isOpen(.p) {
            close(where: { $0 == .p }, stopAt: { $0.isScopeBoundary })
        }
        switch tag {
        case .li where isOpen(.li):
            close(where: { $0 == .li }, stopAt: { $0 == .ul || $0 == .ol || $0 == .menu || $0 == .dir || $0.isScopeBoundary })
        case .dt where isOpen(.dt, .dd), .dd where isOpen(.dt, .dd):
            close(where: { $0 == .dt || $0 == .dd }, stopAt: { $0 == .dl || $0.isScopeBoundary })
        case .h1, .h2, .h3, .h4, .h5, .h6:
            if nodes[Int(top)].tag.isHeading { popTo(stack.count - 1) }
        case .tr where isOpen(.tr):
            close(where: { $0 == .tr }, stopAt: { $0 == .table || $0 == .thead || $0 == .tbody || $0 == .tfoot || $0 == .html })
        case .td where isOpen(.td, .th), .th where isOpen(.td, .th):
            close(where: { $0 == .td || $0 == .th }, stopAt: { $0 == .tr || $0 == .table || $0 == .html })
        case .thead where isOpen(.thead, .tbody, .tfoot), .tbody where isOpen(.thead, .tbody, .tfoot),
             .tfoot where isOpen(.thead, .tbody, .tfoot):
            close(where: { $0 == .thead || $0 == .tbody || $0 == .tfoot }, stopAt: { $0 == .table || $0 == .html })
        case .option, .optgroup:
            if nodes[Int(top)].tag == .option { popTo(stack.count - 1) }
        case .a where isOpen(.a):
            close(where: { $0 == .a }, stopAt: { $0.isScopeBoundary })
        case .body where isOpen(.head):
            close(where: { $0 == .head }, stopAt: { _ in false })
        default:
            break
        }
    }

    // MARK: attributes

    private func hint(_ attribute: HTMLAttribute, tag: HTMLTag, page: UnsafeBufferPointer<UInt8>, own: inout NodeFlags, weight: inout Int16) {
        let name = attribute.nameStart..<attribute.nameEnd
        let value = attribute.valueStart..<attribute.valueEnd
        if HTMLBytes.equals(page, name, "class") || HTMLBytes.equals(page, name, "id") {
            if HTMLBytes.equals(page, name, "class"), ClassHints.hidesElement(page, value) { own.insert(.dropped) }
            let (found, blockBoilerplate) = ClassHints.scan(page, value.lowerBound, value.upperBound)
            if found.positive { weight += 25; own.insert(.positive) }
            if found.boilerplate || blockBoilerplate || found.negative { weight -= 25 }
            let exempt = tag == .html || tag == .body || tag == .article || tag == .main
            if found.boilerplate, !exempt { own.insert(.boilerplate) }
            if blockBoilerplate, !exempt, !own.contains(.boilerplate) { own.formUnion([.boilerplate, .blockHint]) }
            if found.negative, !found.positive, !exempt { own.insert(.unlikely) }
        } else if HTMLBytes.equals(page, name, "role") {
            if HTMLBytes.equalsAny(page, value, ["navigation", "banner", "contentinfo", "complementary", "menu", "menubar",
                                             "dialog", "alertdialog", "search", "toolbar"]) {
                own.insert(.boilerplate)
            } else if HTMLBytes.equalsAny(page, value, ["main", "article"]) {
                own.insert(.positive)
                weight += 25
            }
        } else if HTMLBytes.equals(page, name, "hidden") {
            own.insert(.dropped)
        } else if HTMLBytes.equals(page, name, "aria-hidden") {
            if HTMLBytes.equals(page, value, "true") { own.insert(.dropped) }
        } else if HTMLBytes.equals(page, name, "style") {
            if HTMLBytes.containsNoSpace(page, value, "display:none") || HTMLBytes.containsNoSpace(page, value, "visibility:hidden") {
                own.insert(.dropped)
            }
        } else if HTMLBytes.equals(page, name, "itemprop") {
            if HTMLBytes.equals(page, value, "articleBody") { own.insert(.positive); weight += 50 }
            else if HTMLBytes.equalsAny(page, value, ["author", "datePublished", "dateModified", "dateCreated"]) { own.insert(.byline) }
        } else if HTMLBytes.equals(page, name, "rel") {
            if HTMLBytes.equals(page, value, "author") { own.insert(.byline) }
        }
    }

    private mutating func readHeadMetadata(_ tag: HTMLTag, _ attributes: UnsafeBufferPointer<HTMLAttribute>, _ page: UnsafeBufferPointer<UInt8>) {
        if tag == .link {
            if metadata.canonicalURL == nil, let rel = attribute("rel", attributes, page), HTMLBytes.equals(page, rel, "canonical"),
               let href = attributeValue("href", attributes, page) {
                metadata.canonicalURL = HTMLBytes.trimmed(href)
            }
        } else if tag == .meta, metadata.datePublished == nil {
            guard let key = attribute("property", attributes, page) ?? attribute("name", attributes, page) ?? attribute("itemprop", attributes, page) else { return }
            if HTMLBytes.equalsAny(page, key, ["article:published_time", "og:published_time", "datePublished", "date",
                                           "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued",
                                           "dcterms.date", "dcterms.issued", "sailthru.date", "parsely-pub-date"]),
               let content = attributeValue("content", attributes, page) {
                let date = HTMLBytes.trimmed(content)
                if !date.isEmpty { metadata.datePublished = date }
            }
        }
    }

    private func attribute(_ name: String, _ attributes: UnsafeBufferPointer<HTMLAttribute>, _ page: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        for a in attributes where HTMLBytes.equals(page, a.nameStart..<a.nameEnd, name) { return a.valueStart..<a.valueEnd }
        return nil
    }

    private mutating func attributeValue(_ name: String, _ attributes: UnsafeBufferPointer<HTMLAttribute>, _ page: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = attribute(name, attributes, page) else { return nil }
        return HTMLBytes.decodedString(page, range.lowerBound, range.upperBound, collapse: false, scratch: &scratch, inAttribute: true)
    }

    // MARK: text

    private mutating func startBlock(kind: BlockKind) {
        blockStart = text.count
        blockChars = 0
        blockLinkChars = 0
        blockCommas = 0
        blockKind = kind
        blockLevel = 0
        blockOrdinal = 0
        blockNode = top
        blockHasByline = false
        pendingSpace = false
        pendingCell = false
    }

    /// Sets the kind of the block about to start (when it has no text yet).
    private mutating func setKind(_ kind: BlockKind, level: UInt8, ordinal: Int32) {
        if blockChars > 0 { finishBlock() }
        // A list item or heading keeps its kind when a paragraph starts inside it.
        blockKind = kind
        blockLevel = level
        blockOrdinal = ordinal
    }

    /// Ends the current block. `keepPendingKind`: a start tag is opening a nested block, so an empty list
    /// item or heading passes its kind on to the text that follows.
    private mutating func finishBlock(keepPendingKind: Bool = false) {
        // Trim trailing whitespace.
        while text.count > blockStart, let last = text.last, last == 0x20 || last == 0x0A { text.removeLast() }
        if blockChars > 0 {
            blocks.append(TextBlock(node: blockNode, kind: blockKind, level: blockLevel, ordinal: blockOrdinal,
                                    inQuote: nodes[Int(blockNode)].inherited.contains(.quote),
                                    start: Int32(blockStart), end: Int32(text.count), chars: blockChars,
                                    linkChars: blockLinkChars, commas: blockCommas,
                                    hasByline: blockHasByline || nodes[Int(blockNode)].inherited.contains(.byline),
                                    isCredit: blockKind == .paragraph && Self.startsWithCopyright(text, from: blockStart)))
            startBlock(kind: .paragraph)
        } else {
            text.removeSubrange(blockStart...)
            // An empty block keeps a pending list item or heading kind for the text that follows.
            let (kind, level, ordinal) = (blockKind, blockLevel, blockOrdinal)
            startBlock(kind: .paragraph)
            if keepPendingKind, kind == .listItem || kind == .heading || kind == .preformatted || kind == .tableRow {
                blockKind = kind; blockLevel = level; blockOrdinal = ordinal
            }
        }
    }

    /// Whether the text from `start` opens with `©`, `(c)` or `Copyright` (a credit or copyright line).
    static func startsWithCopyright(_ text: [UInt8], from start: Int) -> Bool {
        var i = start
        while i < text.count, text[i] == 0x20 || text[i] == 0x0A { i += 1 }
        if i + 1 < text.count, text[i] == 0xC2, text[i + 1] == 0xA9 { return true }
        if i + 2 < text.count, text[i] == 0x28, text[i + 1] | 0x20 == 0x63, text[i + 2] == 0x29 { return true }
        let word = Array("copyright".utf8)
        guard i + word.count <= text.count else { return false }
        for (k, c) in word.enumerated() where text[i + k] | 0x20 != c { return false }
        return true
    }

    private mutating func lineBreak() {
        if topFlags.contains(.dropped) { return }
        if blockChars > 0 {
            while text.count > blockStart, text.last == 0x20 { text.removeLast() }
            text.append(0x0A)
            pendingSpace = false
        }
    }

    private mutating func appendText(_ page: UnsafeBufferPointer<UInt8>, from: Int, to: Int, flags: NodeFlags, decode: Bool) {
        let pre = flags.contains(.preformatted)
        let inLink = flags.contains(.link)
        var i = from
        while i < to {
            let b = page[i]
            if b == 0x26, decode {  // '&'
                if let next = HTMLEntities.decode(page, at: i, end: to, inAttribute: false, into: &scratchBuffer) {
                    appendDecoded(pre: pre, inLink: inLink)
                    i = next
                    continue
                }
            }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                if pre {
                    if b == 0x0D { i += 1; continue }
                    if blockChars == 0 && b == 0x0A && text.count == blockStart { i += 1; continue }  // leading newline of <pre>
                    flushCell()
                    text.append(b == 0x0C ? 0x20 : b)
                } else if blockChars > 0, text.last != 0x0A {
                    pendingSpace = true
                }
                i += 1
                continue
            }
            if b == 0xC2, i + 1 < to, page[i + 1] == 0xA0, !pre {  // no-break space collapses like a space
                if blockChars > 0 { pendingSpace = true }
                i += 2
                continue
            }
            emit(b, inLink: inLink)
            i += 1
        }
    }

    private var scratchBuffer: [UInt8] = []

    /// Appends the bytes a character reference decoded to (in `scratchBuffer`).
    private mutating func appendDecoded(pre: Bool, inLink: Bool) {
        defer { scratchBuffer.removeAll(keepingCapacity: true) }
        if !pre, scratchBuffer.count == 2, scratchBuffer[0] == 0xC2, scratchBuffer[1] == 0xA0 {
            if blockChars > 0 { pendingSpace = true }
            return
        }
        for b in scratchBuffer {
            if !pre, b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                if blockChars > 0 { pendingSpace = true }
                continue
            }
            emit(b, inLink: inLink)
        }
    }

    private mutating func flushCell() {
        if pendingCell {
            text.append(contentsOf: [0x20, 0x7C, 0x20])  // " | "
            pendingCell = false
            pendingSpace = false
        }
    }

    @inline(__always)
    private mutating func emit(_ b: UInt8, inLink: Bool) {
        if blockChars == 0 && text.count == blockStart { blockNode = blockKind == .tableRow ? rowNode() : containerNode() }
        flushCell()
        if pendingSpace {
            text.append(0x20)
            pendingSpace = false
        }
        text.append(b)
        if b & 0xC0 != 0x80 {
            blockChars += 1
            if inLink { blockLinkChars += 1 }
        }
        if b == 0x2C { blockCommas += 1 }
    }

    /// The innermost open block element (the element a block of text belongs to).
    private func containerNode() -> Int32 {
        var k = stack.count - 1
        while k > 0, !nodes[Int(stack[k])].tag.isBlock, nodes[Int(stack[k])].tag != .td, nodes[Int(stack[k])].tag != .th { k -= 1 }
        return stack[k]
    }

    /// The innermost open `<tr>` (a table row's block belongs to the row), else the container.
    private func rowNode() -> Int32 {
        var k = stack.count - 1
        while k > 0 {
            let t = nodes[Int(stack[k])].tag
            if t == .tr { return stack[k] }
            if t == .table { break }
            k -= 1
        }
        return containerNode()
    }
}
