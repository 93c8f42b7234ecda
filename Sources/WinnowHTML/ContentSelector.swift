/// How much of a page the extractor keeps.
public enum ExtractionMode: String, Sendable, CaseIterable {
    /// Main content only, cleaned strictly (link-heavy blocks and containers, weak negative hints removed).
    case precision
    /// Main content with its sibling sections; the default.
    case balanced
    /// Everything outside navigation, sidebars, footers and other boilerplate-marked elements.
    case recall
    /// All visible text, as Common Crawl's WET files have it.
    case wholePage = "whole_page"
}

/// Decides which text blocks of a parsed page are main content.
///
/// 1. Text, link text and commas are summed per element, bottom up.
/// 2. Boilerplate marks (nav/aside/footer/menu/dialog, ARIA roles, class/id hints) pass to descendants; a
///    class/id hint on an element holding most of the page's non-link text is ignored (a page wrapper).
/// 3. `recall` keeps every block outside boilerplate that is not mostly link text.
/// 4. `balanced` and `precision` score candidates as readability does: every paragraph of 25 characters or
///    more gives 1 + commas + min(chars/100, 3) to its container's parent, half to the grandparent and less
///    to three more ancestors; an element starts from a tag prior plus its class/id weight, and its score is
///    scaled by 1 - link density. The best element (moved up to a parent scoring close to it, to a common
///    ancestor when three of the top five share one, and to its `<article>` when it holds half of that
///    article's text), plus siblings that score well or hold plain paragraphs, is the content; inside it,
///    boilerplate-marked and link-heavy containers and blocks are dropped.
struct ContentSelector {
    var mode: ExtractionMode
    private var effective: [NodeFlags] = []
    /// Per element: its own boilerplate and unlikely marks, less those ignored (page wrappers).
    private var hints: [NodeFlags] = []
    private var inContent: [Bool] = []
    private var isRoot: [Bool] = []
    private var touched: [Int32] = []
    /// Per element: characters of its blocks that are mostly link text (menus, link lists).
    private var linkBlockChars: [Int32] = []
    /// Per element: the non-link text held by the outermost content-named (positive, not boilerplate) elements in
    /// it, summed (an article split into several `article__content` blocks counts whole).
    private var positiveChars: [Int32] = []
    /// Per element: whether it holds a form (`NodeFlags.form`).
    private var holdsForm: [Bool] = []
    /// Per element: the paragraph gains of all scored blocks in it, undivided by depth.
    private var paragraphGain: [Float] = []

    init(mode: ExtractionMode) { self.mode = mode }

    /// Marks in `keep` (one entry per block) the blocks to keep.
    mutating func select(nodes: inout [HTMLNode], blocks: [TextBlock], keep: inout [Bool]) {
        keep.removeAll(keepingCapacity: true)
        keep.append(contentsOf: repeatElement(mode == .wholePage, count: blocks.count))
        if mode == .wholePage || blocks.isEmpty { return }

        linkBlockChars.removeAll(keepingCapacity: true)
        linkBlockChars.append(contentsOf: repeatElement(0, count: nodes.count))
        for b in blocks {
            let n = Int(b.node)
            nodes[n].textChars += b.chars
            nodes[n].linkChars += b.linkChars
            nodes[n].commas += b.commas
            if b.linkChars * 2 > b.chars { linkBlockChars[n] += b.chars }
        }
        positiveChars.removeAll(keepingCapacity: true)
        positiveChars.append(contentsOf: repeatElement(0, count: nodes.count))
        holdsForm.removeAll(keepingCapacity: true)
        holdsForm.append(contentsOf: nodes.lazy.map { $0.own.contains(.form) })
        for i in stride(from: nodes.count - 1, to: 0, by: -1) {
            let p = Int(nodes[i].parent)
            nodes[p].textChars += nodes[i].textChars
            nodes[p].linkChars += nodes[i].linkChars
            nodes[p].commas += nodes[i].commas
            linkBlockChars[p] += linkBlockChars[i]
            if holdsForm[i] { holdsForm[p] = true }
            if nodes[i].own.contains(.positive), !nodes[i].own.contains(.boilerplate) {
                positiveChars[i] = nodes[i].textChars - nodes[i].linkChars
            }
            positiveChars[p] += positiveChars[i]
        }
        let pageText = max(1, nodes[0].textChars - nodes[0].linkChars)

        effective.removeAll(keepingCapacity: true)
        effective.append([])
        hints.removeAll(keepingCapacity: true)
        hints.append([])
        for i in 1..<nodes.count {
            var marks = nodes[i].own.intersection([.boilerplate, .unlikely])
            let plain = nodes[i].textChars - nodes[i].linkChars
            let structural = nodes[i].tag == .nav || nodes[i].tag == .footer
            if !marks.isEmpty, !structural, plain * 2 > pageText { marks = [] }
            // A hint on a wrapper around a content-named element that is most of its text and a quarter of the
            // page (`sidebar-grid` around `article__content`): the wrapper is layout, not a sidebar.
            if !marks.isEmpty, !structural, positiveChars[i] * 2 >= plain, positiveChars[i] * 4 >= pageText { marks = [] }
            // Boilerplate only by a BEM block name (`sidebar-grid__container`) on what is mostly content-named text.
            if nodes[i].own.contains(.blockHint), positiveChars[i] * 2 >= plain, plain > 0 { marks = [] }
            hints.append(marks)
            effective.append(effective[Int(nodes[i].parent)].union(marks))
        }

        guard mode != .recall, var top = bestCandidate(nodes: &nodes, blocks: blocks) else {
            // Recall, or no paragraph worth scoring.
            selectOutsideBoilerplate(blocks: blocks, keep: &keep, orAll: mode != .precision)
            return
        }

        // A parent scoring close to the best holds more of the same content (a table and the text around it).
        while nodes[top].parent > 0 {
            let p = Int(nodes[top].parent)
            guard nodes[p].scored, nodes[p].score >= nodes[top].score * 0.6, !effective[p].contains(.boilerplate),
                  nodes[p].tag != .body, nodes[p].tag != .html else { break }
            top = p
        }
        // An <article> holding the best element is the content when the element is at least half of its text.
        do {
            var a = Int(nodes[top].parent)
            var steps = 0
            while a > 0 && steps < 8 {
                if nodes[a].tag == .article {
                    if nodes[top].textChars * 2 >= nodes[a].textChars && !effective[a].contains(.boilerplate) { top = a }
                    break
                }
                a = Int(nodes[a].parent)
                steps += 1
            }
        }
        let topScore = nodes[top].score
        let unwrapped = top
        // A wrapper holding nothing but the best element's text stands for it (readability's only-child rule):
        // an article cut into sections, each in its own chain of wrappers, then gets its other sections as
        // siblings that hold paragraphs (at least a fifth of the best section's paragraph gain, under 25 % links,
        // no class hint).
        while nodes[top].parent > 0 {
            let p = Int(nodes[top].parent)
            guard nodes[p].textChars == nodes[top].textChars, !effective[p].contains(.boilerplate),
                  nodes[p].tag != .body, nodes[p].tag != .html else { break }
            top = p
        }
        // The content: the best element and its qualifying siblings.
        isRoot.removeAll(keepingCapacity: true)
        isRoot.append(contentsOf: repeatElement(false, count: nodes.count))
        isRoot[top] = true
        let parent = nodes[top].parent
        let threshold = max(10, topScore * 0.2)
        // Siblings of a wrapper are judged by the paragraphs they hold, however deep.
        let gainThreshold = top != unwrapped ? paragraphGain[top] * 0.2 : .infinity
        if parent >= 0 {
            for i in (Int(parent) + 1)..<nodes.count where nodes[i].parent == parent && i != top {
                let n = nodes[i]
                if effective[i].contains(.boilerplate) { continue }
                let density = n.linkDensity
                if n.scored && n.score >= threshold {
                    isRoot[i] = true
                } else if paragraphGain[i] >= gainThreshold, paragraphGain[i] > 0, density < 0.25, hints[i].isEmpty {
                    // A section of the same article whose paragraphs sit deeper than the scores reach.
                    isRoot[i] = true
                } else if n.tag == .p || n.tag == .pre || n.tag == .blockquote || n.tag.isHeading {
                    if n.textChars > 80 && density < 0.25 { isRoot[i] = true }
                    else if n.textChars > 0 && density == 0 && n.commas > 0 { isRoot[i] = true }
                }
            }
        }

        // Inside the content: drop boilerplate and link-heavy containers.
        let strict = mode == .precision
        inContent.removeAll(keepingCapacity: true)
        inContent.append(false)
        for i in 1..<nodes.count {
            let p = Int(nodes[i].parent)
            var inside = isRoot[i] || inContent[p]
            if inside && !isRoot[i] {
                let n = nodes[i]
                if hints[i].contains(.boilerplate) || (hints[i].contains(.unlikely) && (strict || n.textChars < 200)) {
                    inside = false
                } else if holdsForm[i], n.textChars < Self.formBoxChars {
                    // A short box around a form or an email field: a newsletter sign-up, a poll, a search.
                    inside = false
                } else if Self.isContainer(n.tag), n.commas < 10, n.textChars > 0 {
                    let limit: Float = n.classWeight >= 25 ? (strict ? 0.5 : 0.6) : (strict ? 0.2 : 0.33)
                    // Links inside sentences (a list of bug reports, each ending in its link) are not a menu:
                    // the container goes only when its link-heavy blocks also pass the limit.
                    let linkBlockShare = Float(linkBlockChars[i]) / Float(n.textChars)
                    if n.linkDensity > limit && linkBlockShare > limit { inside = false }
                }
            }
            inContent.append(inside)
        }
        let blockLimit: Int32 = strict ? 4 : 5  // tenths of link text allowed in a kept block
        var any = false
        for (k, b) in blocks.enumerated() {
            let n = Int(b.node)
            guard inContent[n] else { continue }
            if b.kind != .tableRow, b.linkChars * 10 > b.chars * blockLimit { continue }  // a data table's rows stay
            if strict, b.kind == .paragraph, b.chars < 10, effective[n].contains(.unlikely) { continue }
            // A short block with a date or an author in it is a dateline or byline, not article text; a short
            // paragraph opening with a copyright sign is a credit line.
            if b.hasByline || b.isCredit, b.chars < Self.bylineChars { continue }
            keep[k] = true
            any = true
        }
        if !any && !strict {
            // Nothing but links in the content: keep the page's text outside boilerplate rather than nothing.
            for (k, b) in blocks.enumerated() { keep[k] = !effective[Int(b.node)].contains(.boilerplate) }
        }
    }

    /// What `recall` keeps, by the marks of the last `select`: every block outside boilerplate that is not mostly
    /// links; when that is nothing and `orAll`, every block outside boilerplate.
    func selectOutsideBoilerplate(blocks: [TextBlock], keep: inout [Bool], orAll: Bool) {
        var any = false
        for (k, b) in blocks.enumerated() {
            keep[k] = !effective[Int(b.node)].contains(.boilerplate) && b.linkChars * 10 <= b.chars * 6
            any = any || keep[k]
        }
        if !any && orAll {
            for (k, b) in blocks.enumerated() { keep[k] = !effective[Int(b.node)].contains(.boilerplate) }
        }
    }

    /// The best-scoring element, or nil when no paragraph qualifies.
    private mutating func bestCandidate(nodes: inout [HTMLNode], blocks: [TextBlock]) -> Int? {
        touched.removeAll(keepingCapacity: true)
        paragraphGain.removeAll(keepingCapacity: true)
        paragraphGain.append(contentsOf: repeatElement(0, count: nodes.count))
        for b in blocks where b.chars >= 25 {
            let container = Int(b.node)
            if effective[container].contains(.boilerplate) { continue }
            if effective[container].contains(.unlikely) && mode == .precision { continue }
            let gain = 1 + Float(b.commas) + min(Float(b.chars) / 100, 3)
            paragraphGain[container] += gain
            var ancestor = Int(nodes[container].parent)
            var level = 0
            while ancestor > 0 && level < 5 {
                if Self.isTableSection(nodes[ancestor].tag) {  // rows count for the table itself
                    ancestor = Int(nodes[ancestor].parent)
                    continue
                }
                if !nodes[ancestor].scored {
                    nodes[ancestor].scored = true
                    nodes[ancestor].score = Self.prior(nodes[ancestor].tag) + Float(nodes[ancestor].classWeight)
                    touched.append(Int32(ancestor))
                }
                let divider: Float = level == 0 ? 1 : (level == 1 ? 2 : Float(level * 3))
                nodes[ancestor].score += gain / divider
                ancestor = Int(nodes[ancestor].parent)
                level += 1
            }
        }
        guard !touched.isEmpty else { return nil }
        for i in stride(from: nodes.count - 1, to: 0, by: -1) { paragraphGain[Int(nodes[i].parent)] += paragraphGain[i] }
        var best = -1
        var bestScore: Float = -.infinity
        for t in touched {
            let i = Int(t)
            nodes[i].score *= 1 - nodes[i].linkDensity
            if effective[i].contains(.boilerplate) { continue }
            if nodes[i].score > bestScore || (nodes[i].score == bestScore && i < best) {
                bestScore = nodes[i].score
                best = i
            }
        }
        guard best > 0 else { return nil }

        // When three of the five best candidates lie under one ancestor of the best, take that ancestor.
        let ranked = touched.map { Int($0) }.filter { !effective[$0].contains(.boilerplate) }
            .sorted { nodes[$0].score != nodes[$1].score ? nodes[$0].score > nodes[$1].score : $0 < $1 }
        let alternatives = ranked.dropFirst().prefix(4).filter { nodes[$0].score >= bestScore * 0.75 }
        if alternatives.count >= 2 {
            var ancestor = Int(nodes[best].parent)
            while ancestor > 0 {
                let under = alternatives.filter { isDescendant($0, of: ancestor, nodes) }.count
                if under >= 2 { return ancestor }
                ancestor = Int(nodes[ancestor].parent)
            }
        }
        return best
    }

    private func isDescendant(_ node: Int, of ancestor: Int, _ nodes: [HTMLNode]) -> Bool {
        var k = node
        while k > ancestor { k = Int(nodes[k].parent) }
        return k == ancestor
    }

    /// Readability-style starting score of an element by tag.
    private static func prior(_ tag: HTMLTag) -> Float {
        switch tag {
        case .div, .article, .main, .section: return 5
        case .pre, .td, .blockquote: return 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: return -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: return -5
        default: return 0
        }
    }

    /// Elements inside the content holding a form with less text than this (characters) are dropped.
    static let formBoxChars: Int32 = 300

    /// Blocks with a date or author element shorter than this (characters) are bylines.
    static let bylineChars: Int32 = 100

    private static func isTableSection(_ tag: HTMLTag) -> Bool { tag == .tbody || tag == .thead || tag == .tfoot }

    /// Elements removed inside the content when link-heavy. Not tables and their cells: a data table's rows are
    /// kept however much of them is link text (linked titles and names), as its rows are.
    private static func isContainer(_ tag: HTMLTag) -> Bool {
        switch tag {
        case .div, .section, .ul, .ol, .form, .header, .dl, .menu, .p, .center, .fieldset, .other: return true
        default: return false
        }
    }
}
