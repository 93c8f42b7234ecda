/// What the extractor knows about an element, from its tag, its attributes and its ancestors.
public struct NodeFlags: OptionSet, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Never rendered: svg, math, template, select, button, `hidden`, `display:none`, `aria-hidden`.
    public static let dropped = NodeFlags(rawValue: 1 << 0)
    /// Boilerplate by tag (nav, aside, footer, menu, dialog), ARIA role or a strong class/id hint.
    public static let boilerplate = NodeFlags(rawValue: 1 << 1)
    /// A weak negative class/id hint (header, meta, tags, ...) without a positive one.
    public static let unlikely = NodeFlags(rawValue: 1 << 2)
    /// A positive class/id hint (article, content, post, ...), `role=main`, `itemprop=articleBody`.
    public static let positive = NodeFlags(rawValue: 1 << 3)
    /// Inside a link.
    public static let link = NodeFlags(rawValue: 1 << 4)
    /// Inside `<pre>`, `<listing>` or `<textarea>`: whitespace is kept.
    public static let preformatted = NodeFlags(rawValue: 1 << 5)
    /// Inside `<blockquote>`.
    public static let quote = NodeFlags(rawValue: 1 << 6)
    /// Inside `<article>` or `<main>`.
    public static let article = NodeFlags(rawValue: 1 << 7)
    /// A date or an author: `<time>`, `rel=author`, `itemprop` author/datePublished/dateModified.
    public static let byline = NodeFlags(rawValue: 1 << 8)
    /// A `<form>`, or the element holding an `<input type=email>` (a newsletter or sign-up box).
    public static let form = NodeFlags(rawValue: 1 << 9)
    /// Boilerplate only by the block part of a BEM class name (`sidebar-grid__container`): ignored on an element
    /// whose text is mostly in content-named elements.
    public static let blockHint = NodeFlags(rawValue: 1 << 10)

    /// The flags a child inherits at parse time.
    static let inheritedWhileParsing: NodeFlags = [.dropped, .link, .preformatted, .quote, .article, .byline]
}

/// One element of the page's light tree. Nodes are stored in document order, so a parent's index is
/// always smaller than its children's.
public struct HTMLNode: Sendable {
    public var tag: HTMLTag
    /// The parent's index; -1 for the document root.
    public var parent: Int32
    /// Flags from the element itself.
    public var own: NodeFlags
    /// Flags from the element and its ancestors (parse-time inheritance; boilerplate is resolved later).
    public var inherited: NodeFlags
    /// Class/id hint weight: +25 per positive, -25 per negative hint kind.
    public var classWeight: Int16
    /// Text characters (Unicode scalars, no whitespace) in the subtree, of them inside links, and commas.
    public var textChars: Int32 = 0
    public var linkChars: Int32 = 0
    public var commas: Int32 = 0
    /// Content score (readability-style), set during selection.
    public var score: Float = 0
    public var scored = false

    var linkDensity: Float { textChars > 0 ? Float(linkChars) / Float(textChars) : 0 }
}

/// The kind of a text block, which decides how it is rendered.
public enum BlockKind: UInt8, Sendable {
    case paragraph, heading, listItem, tableRow, preformatted
}

/// A run of text between two block boundaries, e.g. a paragraph, a heading, a list item, a table row.
public struct TextBlock: Sendable {
    /// The innermost open element when the block's first text arrived.
    public var node: Int32
    public var kind: BlockKind
    /// Heading level (1-6) or list nesting depth (1...).
    public var level: UInt8
    /// Number of an ordered list item; 0 for a bullet.
    public var ordinal: Int32
    public var inQuote: Bool
    /// Byte range of the text in the page's text buffer.
    public var start: Int32
    public var end: Int32
    public var chars: Int32
    public var linkChars: Int32
    public var commas: Int32
    /// Holds a date or an author (a `<time>` element, `rel=author`, `itemprop=author`, ...).
    public var hasByline: Bool = false
    /// A paragraph opening with `©`, `(c)` or `Copyright`: a photo credit or copyright line when short.
    public var isCredit: Bool = false
}
