/// One attribute of the start tag being reported: byte ranges into the page.
public struct HTMLAttribute: Sendable {
    public var nameStart: Int
    public var nameEnd: Int
    public var valueStart: Int
    public var valueEnd: Int
}

/// Receives the tokens of a page, in order. Text arrives raw (character references still in it), possibly
/// in several pieces; the receiver decodes it.
public protocol HTMLTokenSink {
    /// A start tag; `attributes` holds at most `HTMLTokenizer.maxAttributes` of its attributes.
    mutating func startTag(_ tag: HTMLTag, attributes: UnsafeBufferPointer<HTMLAttribute>, selfClosing: Bool,
                           page: UnsafeBufferPointer<UInt8>)
    mutating func endTag(_ tag: HTMLTag)
    /// Character data `page[from..<to]`, with character references not yet decoded.
    mutating func text(_ page: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
    /// The content of a raw text (script, style, ...) or RCDATA (title, textarea) element.
    mutating func rawText(_ tag: HTMLTag, _ page: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
    /// Asked every `HTMLTokenizer.checkInterval` tokens; false stops the tokenizer (a time budget).
    mutating func shouldContinue() -> Bool
}

/// A streaming, forgiving HTML tokenizer over UTF-8 (or any ASCII-compatible) bytes, following the HTML5
/// tokenizer where it matters for text:
///
/// - tags: names and attribute names case-insensitive; attribute values double-, single- or unquoted;
///   a tag cut off by the end of the input is dropped, as HTML5 does;
/// - comments `<!-- ... -->` (also closed by `--!>`; `<!-->` and `<!--->` are empty), and bogus comments:
///   `<!DOCTYPE>`, `<?...>`, `</ ...>` and `<![CDATA[...]>` (CDATA is a bogus comment in HTML content; the
///   foreign content where it is text, SVG and MathML, is dropped by the extractor anyway);
/// - raw text elements (script, style, xmp, iframe, noembed, noframes, noscript: scripting is on, as in a
///   browser) and RCDATA elements (title, textarea) end only at their own end tag; `<plaintext>` takes the
///   rest of the input; the script-data escape states (`<!--` inside a script) are not modelled;
/// - a `<` that does not open a tag is text.
///
/// Work is linear in the input; nothing is allocated per token (attributes go to a reused buffer).
public struct HTMLTokenizer {
    /// Attributes recorded per tag; more are parsed and ignored.
    public static let maxAttributes = 32
    /// Tokens between two `shouldContinue()` calls.
    public static let checkInterval = 512

    private var attributes: [HTMLAttribute]

    public init() {
        attributes = []
        attributes.reserveCapacity(Self.maxAttributes)
    }

    /// Tokenizes `page` into `sink`. Returns false when the sink stopped it.
    @discardableResult
    public mutating func run<Sink: HTMLTokenSink>(_ page: UnsafeBufferPointer<UInt8>, into sink: inout Sink) -> Bool {
        let n = page.count
        var i = 0
        var tokens = 0
        while i < n {
            tokens += 1
            if tokens == Self.checkInterval {
                tokens = 0
                if !sink.shouldContinue() { return false }
            }
            // Text up to the next '<'.
            var lt = i
            while lt < n, page[lt] != 0x3C { lt += 1 }
            if lt > i { sink.text(page, from: i, to: lt) }
            i = lt
            guard i < n else { break }
            let next: UInt8 = i + 1 < n ? page[i + 1] : 0
            if Self.isASCIIAlpha(next) {
                guard let (tag, end) = startTag(page, at: i, into: &sink) else { return true }  // cut off: dropped
                i = end
                if tag == .plaintext {
                    if i < n { sink.rawText(tag, page, from: i, to: n) }
                    return true
                }
                if tag.isRawText || tag.isRCDATA {
                    i = rawTextEnd(page, from: i, tag: tag, into: &sink)
                }
            } else if next == 0x2F {  // '/'
                let after: UInt8 = i + 2 < n ? page[i + 2] : 0
                if Self.isASCIIAlpha(after) {
                    var j = i + 2
                    while j < n, !Self.isTagNameEnd(page[j]) { j += 1 }
                    let tag = HTMLTag.lookup(page, i + 2, j)
                    guard let close = Self.find(0x3E, page, from: j) else { return true }
                    sink.endTag(tag)
                    i = close + 1
                } else if after == 0x3E {
                    i += 3  // "</>" is ignored
                } else if i + 2 >= n {
                    sink.text(page, from: i, to: n)
                    return true
                } else {
                    i = (Self.find(0x3E, page, from: i + 2) ?? (n - 1)) + 1  // bogus comment
                }
            } else if next == 0x21 {  // '!'
                if i + 3 < n, page[i + 2] == 0x2D, page[i + 3] == 0x2D {
                    i = Self.commentEnd(page, from: i + 4)
                } else {
                    i = (Self.find(0x3E, page, from: i + 2) ?? (n - 1)) + 1
                }
            } else if next == 0x3F {  // '?'
                i = (Self.find(0x3E, page, from: i + 2) ?? (n - 1)) + 1
            } else {
                sink.text(page, from: i, to: i + 1)
                i += 1
            }
        }
        return true
    }

    /// Parses the start tag at `page[at]` == '<' and reports it; returns the tag and the index after '>',
    /// or nil when the input ends inside the tag.
    private mutating func startTag<Sink: HTMLTokenSink>(_ page: UnsafeBufferPointer<UInt8>, at: Int, into sink: inout Sink) -> (HTMLTag, Int)? {
        let n = page.count
        var j = at + 1
        while j < n, !Self.isTagNameEnd(page[j]) { j += 1 }
        let tag = HTMLTag.lookup(page, at + 1, j)
        attributes.removeAll(keepingCapacity: true)
        var selfClosing = false
        while true {
            while j < n, Self.isSpace(page[j]) { j += 1 }
            guard j < n else { return nil }
            let b = page[j]
            if b == 0x3E { j += 1; break }
            if b == 0x2F {
                j += 1
                if j < n, page[j] == 0x3E { selfClosing = true; j += 1; break }
                continue
            }
            // Attribute name (a leading '=' belongs to it).
            let nameStart = j
            j += 1
            while j < n {
                let c = page[j]
                if Self.isSpace(c) || c == 0x2F || c == 0x3E || c == 0x3D { break }
                j += 1
            }
            let nameEnd = j
            while j < n, Self.isSpace(page[j]) { j += 1 }
            var valueStart = j, valueEnd = j
            if j < n, page[j] == 0x3D {
                j += 1
                while j < n, Self.isSpace(page[j]) { j += 1 }
                guard j < n else { return nil }
                let q = page[j]
                if q == 0x22 || q == 0x27 {
                    guard let close = Self.find(q, page, from: j + 1) else { return nil }
                    valueStart = j + 1
                    valueEnd = close
                    j = close + 1
                } else {
                    valueStart = j
                    while j < n, !Self.isSpace(page[j]), page[j] != 0x3E { j += 1 }
                    valueEnd = j
                }
            }
            if attributes.count < Self.maxAttributes {
                attributes.append(HTMLAttribute(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd))
            }
        }
        attributes.withUnsafeBufferPointer { sink.startTag(tag, attributes: $0, selfClosing: selfClosing, page: page) }
        return (tag, j)
    }

    /// Reports the content of a raw text or RCDATA element starting at `from` and its end tag; returns the
    /// index after the end tag (or the end of the input).
    private func rawTextEnd<Sink: HTMLTokenSink>(_ page: UnsafeBufferPointer<UInt8>, from: Int, tag: HTMLTag, into sink: inout Sink) -> Int {
        let n = page.count
        var k = from
        while let lt = Self.find(0x3C, page, from: k) {
            if lt + 1 < n, page[lt + 1] == 0x2F {
                var j = lt + 2
                while j < n, !Self.isTagNameEnd(page[j]) { j += 1 }
                if j > lt + 2, HTMLTag.lookup(page, lt + 2, j) == tag {
                    if lt > from { sink.rawText(tag, page, from: from, to: lt) }
                    sink.endTag(tag)
                    return (Self.find(0x3E, page, from: j) ?? (n - 1)) + 1
                }
            }
            k = lt + 1
        }
        if n > from { sink.rawText(tag, page, from: from, to: n) }
        sink.endTag(tag)
        return n
    }

    /// The index after the comment whose content starts at `from` (just after `<!--`).
    private static func commentEnd(_ page: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        let n = page.count
        // "<!-->" and "<!--->" are complete (empty) comments.
        if from < n, page[from] == 0x3E { return from + 1 }
        if from + 1 < n, page[from] == 0x2D, page[from + 1] == 0x3E { return from + 2 }
        var k = from
        while let gt = find(0x3E, page, from: k) {
            if gt >= from + 2, page[gt - 1] == 0x2D, page[gt - 2] == 0x2D { return gt + 1 }
            if gt >= from + 3, page[gt - 1] == 0x21, page[gt - 2] == 0x2D, page[gt - 3] == 0x2D { return gt + 1 }
            k = gt + 1
        }
        return n
    }

    @inline(__always)
    static func find(_ byte: UInt8, _ page: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var k = from
        let n = page.count
        while k < n {
            if page[k] == byte { return k }
            k += 1
        }
        return nil
    }

    @inline(__always)
    static func isASCIIAlpha(_ b: UInt8) -> Bool { b | 0x20 >= 0x61 && b | 0x20 <= 0x7A }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }

    @inline(__always)
    static func isTagNameEnd(_ b: UInt8) -> Bool { isSpace(b) || b == 0x2F || b == 0x3E }
}
