/// The element names the extractor treats specially; every other name is `.other`.
public enum HTMLTag: UInt8, CaseIterable, Sendable {
    case other
    // Document and metadata.
    case html, head, body, title, meta, link, base
    // Raw text and RCDATA elements (the tokenizer reads their content as text up to the end tag).
    case script, style, xmp, iframe, noembed, noframes, noscript, textarea, plaintext
    // Dropped subtrees.
    case template, svg, math, select, option, optgroup, button, object, canvas, video, audio, map, datalist
    // Blocks.
    case address, article, aside, blockquote, center, dd, details, dialog, dir, div, dl, dt, fieldset,
         figcaption, figure, footer, form, h1, h2, h3, h4, h5, h6, header, hgroup, hr, legend, li, listing,
         main, menu, nav, ol, p, pre, section, summary, table, caption, tbody, thead, tfoot, tr, td, th, ul
    // Inline elements with a meaning for the extractor.
    case a, br, img, input, area, col, embed, param, source, track, wbr, code, time, label
    // Formatting elements (their end tags never close a block).
    case b, big, em, font, i, nobr, s, small, strike, strong, tt, u, span, sub, sup, abbr, cite, q, mark, del, ins, kbd, samp, `var`

    /// The lower-case name.
    public var name: String {
        switch self {
        case .other: return ""
        case .var: return "var"
        default: return String(describing: self)
        }
    }

    /// Elements without content: never pushed on the stack of open elements.
    var isVoid: Bool {
        switch self {
        case .area, .base, .br, .col, .embed, .hr, .img, .input, .link, .meta, .param, .source, .track, .wbr: return true
        default: return false
        }
    }

    /// Elements that start a new text block.
    var isBlock: Bool {
        switch self {
        case .html, .body, .address, .article, .aside, .blockquote, .center, .dd, .details, .dialog, .dir, .div,
             .dl, .dt, .fieldset, .figcaption, .figure, .footer, .form, .h1, .h2, .h3, .h4, .h5, .h6, .header,
             .hgroup, .hr, .legend, .li, .listing, .main, .menu, .nav, .ol, .p, .pre, .section, .summary, .table,
             .caption, .tbody, .thead, .tfoot, .tr, .ul, .title, .textarea, .plaintext:
            return true
        default: return false
        }
    }

    /// Start tags that close an open `<p>` (HTML5 "close a p element").
    var closesParagraph: Bool {
        switch self {
        case .address, .article, .aside, .blockquote, .center, .details, .dialog, .dir, .div, .dl, .fieldset,
             .figcaption, .figure, .footer, .form, .h1, .h2, .h3, .h4, .h5, .h6, .header, .hgroup, .hr, .main,
             .menu, .nav, .ol, .p, .pre, .section, .summary, .table, .ul, .li, .dd, .dt, .listing, .plaintext, .xmp:
            return true
        default: return false
        }
    }

    var isHeading: Bool { rawValue >= HTMLTag.h1.rawValue && rawValue <= HTMLTag.h6.rawValue }

    /// Elements whose end tag only closes them when no block element is open inside them.
    var isFormatting: Bool { rawValue >= HTMLTag.b.rawValue || self == .a || self == .code || self == .time || self == .label }

    /// Elements that bound the search for an element to close (HTML5 "scope").
    var isScopeBoundary: Bool {
        switch self {
        case .html, .table, .td, .th, .caption, .template, .object, .svg, .math, .button: return true
        default: return false
        }
    }

    /// Raw text elements: content is text up to the matching end tag, without character references.
    var isRawText: Bool {
        switch self {
        case .script, .style, .xmp, .iframe, .noembed, .noframes, .noscript: return true
        default: return false
        }
    }

    /// RCDATA elements: content is text with character references, up to the matching end tag.
    var isRCDATA: Bool { self == .title || self == .textarea }

    private static let byKey: [UInt64: HTMLTag] = {
        var map: [UInt64: HTMLTag] = [:]
        for tag in allCases where tag != .other {
            let bytes = Array(tag.name.utf8)
            bytes.withUnsafeBufferPointer { map[key($0, 0, $0.count)!] = tag }
        }
        return map
    }()

    /// Packs a lower-case name of at most 8 bytes with its length; nil for longer names (none of ours are).
    @inline(__always)
    static func key(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> UInt64? {
        let n = to - from
        guard n > 0, n <= 10 else { return nil }
        var k: UInt64 = UInt64(n)
        for i in from..<to {
            var b = src[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            k = k &* 131 &+ UInt64(b)
        }
        return k
    }

    /// The tag for a name (any case); `.other` when it is not one of ours.
    @inline(__always)
    static func lookup(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> HTMLTag {
        guard let k = key(src, from, to), let tag = byKey[k] else { return .other }
        // Verify (a different name could share the key).
        let name = nameBytes[Int(tag.rawValue)]
        guard name.count == to - from else { return .other }
        var i = from
        for c in name {
            var b = src[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != c { return .other }
            i += 1
        }
        return tag
    }

    private static let nameBytes: [[UInt8]] = allCases.map { Array($0.name.utf8) }
}
