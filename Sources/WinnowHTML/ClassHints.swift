/// Class, id and ARIA role words that hint at boilerplate or at main content (the kind of signal
/// readability, trafilatura and jusText use; Winnow's own lists). Class and id values are split into words at
/// every character that is not an ASCII letter or digit and where a lower-case letter meets an upper-case one
/// (`singlePostContent`: single, post, content), lower-cased, and each word is looked up whole.
enum ClassHints {
    enum Hint { case boilerplate, negative, positive }

    /// Words that mark an element as boilerplate whatever else its class says.
    static let boilerplateWords = [
        "nav", "navbar", "navigation", "navlinks", "navmenu", "menu", "menubar", "mainmenu", "submenu", "breadcrumb",
        "breadcrumbs", "footer", "sidebar", "cookie", "cookies", "consent", "gdpr", "share", "sharing", "sharethis",
        "sharebar", "social", "socials", "related", "recommended", "recommendations", "comments", "comment",
        "commentlist", "disqus", "respond", "replies", "newsletter", "subscribe", "subscription", "signup", "promo",
        "advert", "advertisement", "advertising", "ads", "ad", "adsense", "sponsor", "sponsored", "popup", "modal",
        "outbrain", "taboola", "skiplink", "toolbar", "pagination", "pager", "sitemap", "copyright", "masthead",
        "topbar", "widget", "widgets", "tagcloud", "shoutbox", "banner", "login", "search", "searchform", "overlay",
        "jump", "skip", "follow", "trending", "popular", "bio", "biography", "profile",
    ]
    /// Words that count against an element unless a positive word is also there.
    static let negativeWords = [
        "header", "meta", "extra", "tags", "tag", "byline", "author", "aside", "agegate", "supplemental", "legend",
        "remark", "community", "combx", "caption", "credit", "credits", "hidden", "print", "rss", "utility", "links",
        "more", "date", "dateline", "timestamp", "time", "published", "updated", "posted", "metadata",
    ]
    /// Words that mark main content.
    static let positiveWords = [
        "article", "articlebody", "content", "maincontent", "main", "post", "postbody", "entry", "entrycontent",
        "body", "story", "storybody", "text", "blog", "prose", "markdown", "hentry", "single", "page", "column",
    ]

    /// Whole class names that CSS frameworks use to hide an element or show it to screen readers only
    /// (Bootstrap, Tailwind, WordPress).
    static let hidingClasses = ["hidden", "d-none", "is-hidden", "sr-only", "visually-hidden", "screen-reader-text"]

    /// Whether one of the space-separated class names in `value` is a hiding class.
    static func hidesElement(_ page: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
        var i = value.lowerBound
        while i < value.upperBound {
            while i < value.upperBound, page[i] <= 0x20 { i += 1 }
            let start = i
            while i < value.upperBound, page[i] > 0x20 { i += 1 }
            if i > start, i - start <= 18, HTMLBytes.equalsAny(page, start..<i, hidingClasses) { return true }
        }
        return false
    }

    static let table: [UInt64: Hint] = {
        var t: [UInt64: Hint] = [:]
        for (words, hint) in [(boilerplateWords, Hint.boilerplate), (negativeWords, .negative), (positiveWords, .positive)] {
            for w in words {
                let bytes = Array(w.utf8)
                t[bytes.withUnsafeBufferPointer { hash($0, 0, $0.count) }] = hint
            }
        }
        return t
    }()

    @inline(__always)
    static func hash(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for k in from..<to {
            var b = src[k]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            h = (h ^ UInt64(b)) &* 0x100000001b3
        }
        return h
    }

    @inline(__always) private static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always) private static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }

    typealias Found = (boilerplate: Bool, negative: Bool, positive: Bool)

    /// Which hint kinds the class names (or id) in `src[from..<to]` contain. A BEM name (`block__element`) is
    /// judged by its element part when that part holds a hint word (`sidebar-grid__content` is content, not a
    /// sidebar); otherwise by the whole name, but a boilerplate word of the block part alone counts only as
    /// `blockBoilerplate` (`sidebar-grid__container`, `related__articles`, `c-ad__medium-rectangle`), which the
    /// selector ignores on an element that is mostly content-named text.
    static func scan(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> (Found, blockBoilerplate: Bool) {
        var result: Found = (false, false, false)
        var blockBoilerplate = false
        var i = from
        while i < to {
            while i < to, src[i] <= 0x20 { i += 1 }
            let start = i
            var element = -1  // just past the last "__" of this name
            while i < to, src[i] > 0x20 {
                if src[i] == 0x5F, i + 1 < to, src[i + 1] == 0x5F { element = i + 2 }
                i += 1
            }
            guard i > start else { continue }
            var found = element > start ? scanWords(src, element, i) : scanWords(src, start, i)
            if element > start, !found.boilerplate, !found.negative, !found.positive {
                found = scanWords(src, start, i)
                if found.boilerplate { blockBoilerplate = true; found.boilerplate = false }
            }
            result.boilerplate = result.boilerplate || found.boilerplate
            result.negative = result.negative || found.negative
            result.positive = result.positive || found.positive
        }
        return (result, blockBoilerplate && !result.boilerplate)
    }

    /// Which hint kinds the words of `src[from..<to]` contain.
    private static func scanWords(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Found {
        var result: Found = (false, false, false)
        var i = from
        while i < to {
            while i < to, !HTMLEntities.isAlphanumeric(src[i]) { i += 1 }
            guard i < to else { break }
            let start = i
            i += 1
            while i < to, HTMLEntities.isAlphanumeric(src[i]), !(isUpper(src[i]) && isLower(src[i - 1])) { i += 1 }
            guard i - start <= 20 else { continue }
            switch table[hash(src, start, i)] {
            case .boilerplate?: result.boilerplate = true
            case .negative?: result.negative = true
            case .positive?: result.positive = true
            case nil: break
            }
        }
        return result
    }
}
