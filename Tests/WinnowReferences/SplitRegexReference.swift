/// A slow reference for the pre-token split patterns: a small backtracking regex engine that reads the pattern's
/// own text (`SplitPattern.regex`) and splits as `regex.findall` does, over Unicode scalars classified with the
/// standard library's Unicode properties (not the scanners' ICU tables). It knows only what the presets use:
/// alternation, `(?:…)`, `(?i:…)`, `(?!…)`, `[…]` and `[^…]`, `\p{L}` `\p{Lu}` `\p{Ll}` `\p{Lt}` `\p{Lm}`
/// `\p{Lo}` `\p{M}` `\p{N}`, `\s` `\S` `\r` `\n`, `$` (end of text), greedy `? * + {m,n}` and their possessive
/// forms (`?+ *+ ++ {m,n}+`: an atomic group around the greedy loop). The fuzz target and the seeded tests compare
/// the hand-written scanners with it on text from `DifferentialText`.
public struct SplitRegexReference: Sendable {
    indirect enum Node: Sendable {
        case set(CharSet)
        case sequence([Node])
        case alternation([Node])
        case loop(Node, min: Int, max: Int?, possessive: Bool)
        case notFollowedBy(Node)
        case endOfText
    }

    struct CharSet: Sendable {
        enum Item: Sendable {
            case scalar(Unicode.Scalar, caseless: Bool)
            case property(String)
            case space
            case notSpace
        }
        var items: [Item]
        var negated: Bool

        /// Whether the set holds `s`, whose general category and White_Space property are given.
        func matches(_ s: Unicode.Scalar, _ category: Unicode.GeneralCategory, _ isSpace: Bool) -> Bool {
            items.contains { item in
                switch item {
                case .scalar(let c, let caseless): return c == s || (caseless && SplitRegexReference.sameIgnoringCase(c, s))
                case .property(let name): return SplitRegexReference.hasProperty(category, name)
                case .space: return isSpace
                case .notSpace: return !isSpace
                }
            } != negated
        }
    }

    public struct SyntaxError: Error, CustomStringConvertible {
        public let description: String
    }

    let root: Node

    /// Parses `pattern`; throws for syntax outside the subset above.
    public init(_ pattern: String) throws {
        var parser = Parser(chars: Array(pattern.unicodeScalars))
        root = try parser.alternation(caseless: false)
        if parser.i != parser.chars.count { throw SyntaxError(description: "unexpected ) at \(parser.i) in \(pattern)") }
    }

    /// The matches of the pattern in `text`, left to right, as `findall` finds them (scalar ranges). Where nothing
    /// matches, the position is skipped (the presets match at every position, so the matches cover the text).
    public func split(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var position = 0
        let matcher = Matcher(text: text)
        while position < text.count {
            var end = -1
            if matcher.match(root, position, { e in end = e; return true }), end > position {
                pieces.append(position..<end)
                position = end
            } else {
                position += 1
            }
        }
        return pieces
    }

    // MARK: Unicode properties (standard library)

    static func hasProperty(_ category: Unicode.GeneralCategory, _ name: String) -> Bool {
        switch name {
        case "L": return [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter].contains(category)
        case "Lu": return category == .uppercaseLetter
        case "Ll": return category == .lowercaseLetter
        case "Lt": return category == .titlecaseLetter
        case "Lm": return category == .modifierLetter
        case "Lo": return category == .otherLetter
        case "M": return [.nonspacingMark, .spacingMark, .enclosingMark].contains(category)
        case "N": return [.decimalNumber, .letterNumber, .otherNumber].contains(category)
        default: preconditionFailure("unknown property \(name)")
        }
    }

    /// Simple case-insensitive equality: the same scalar after upper- or lower-casing (so `ſ` matches `s`).
    static func sameIgnoringCase(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        a.properties.uppercaseMapping == b.properties.uppercaseMapping
            || a.properties.lowercaseMapping == b.properties.lowercaseMapping
    }

    // MARK: Parser

    struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0

        var atEnd: Bool { i >= chars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : chars[i] }

        mutating func expect(_ s: Unicode.Scalar) throws {
            guard peek == s else { throw SyntaxError(description: "expected \(s) at \(i)") }
            i += 1
        }

        mutating func alternation(caseless: Bool) throws -> Node {
            var alternatives = [try sequence(caseless: caseless)]
            while peek == "|" {
                i += 1
                alternatives.append(try sequence(caseless: caseless))
            }
            return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
        }

        mutating func sequence(caseless: Bool) throws -> Node {
            var nodes: [Node] = []
            while let c = peek, c != "|", c != ")" {
                nodes.append(try quantified(try atom(caseless: caseless)))
            }
            return nodes.count == 1 ? nodes[0] : .sequence(nodes)
        }

        mutating func quantified(_ node: Node) throws -> Node {
            var bounds: (Int, Int?)
            switch peek {
            case "?": bounds = (0, 1)
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "{":
                i += 1
                let low = number()
                try expect(",")
                let high = number()
                guard peek == "}" else { throw SyntaxError(description: "expected } at \(i)") }
                bounds = (low, high)
            default: return node
            }
            i += 1
            var possessive = false
            if peek == "+" { possessive = true; i += 1 }
            if peek == "?" { throw SyntaxError(description: "lazy quantifiers are not supported (at \(i))") }
            return .loop(node, min: bounds.0, max: bounds.1, possessive: possessive)
        }

        mutating func number() -> Int {
            var value = 0
            while let c = peek, let d = Int(String(c)) { value = value * 10 + d; i += 1 }
            return value
        }

        mutating func atom(caseless: Bool) throws -> Node {
            let c = chars[i]
            i += 1
            switch c {
            case "(":
                var node: Node
                if peek == "?" {
                    i += 1
                    let kind = chars[i]
                    i += 1
                    switch kind {
                    case "i": try expect(":"); node = try alternation(caseless: true)
                    case ":": node = try alternation(caseless: caseless)
                    case "!": node = .notFollowedBy(try alternation(caseless: caseless))
                    default: throw SyntaxError(description: "unsupported group (?\(kind) at \(i)")
                    }
                } else {
                    node = try alternation(caseless: caseless)
                }
                try expect(")")
                return node
            case "[":
                var set = CharSet(items: [], negated: false)
                if peek == "^" { set.negated = true; i += 1 }
                while let d = peek, d != "]" {
                    i += 1
                    set.items.append(d == "\\" ? try escape(caseless: caseless) : .scalar(d, caseless: caseless))
                }
                try expect("]")
                return .set(set)
            case "\\":
                return .set(CharSet(items: [try escape(caseless: caseless)], negated: false))
            case "$":
                return .endOfText
            case "|", ")", "?", "*", "+", "{", "]", ".", "^":
                throw SyntaxError(description: "unexpected \(c) at \(i - 1)")
            default:
                return .set(CharSet(items: [.scalar(c, caseless: caseless)], negated: false))
            }
        }

        mutating func escape(caseless: Bool) throws -> CharSet.Item {
            guard let c = peek else { throw SyntaxError(description: "pattern ends in \\") }
            i += 1
            switch c {
            case "s": return .space
            case "S": return .notSpace
            case "r": return .scalar("\r", caseless: false)
            case "n": return .scalar("\n", caseless: false)
            case "p":
                try expect("{")
                var name = ""
                while let d = peek, d != "}" { name.unicodeScalars.append(d); i += 1 }
                try expect("}")
                guard ["L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "N"].contains(name) else {
                    throw SyntaxError(description: "unsupported property \\p{\(name)}")
                }
                return .property(name)
            default:
                if c.properties.isAlphabetic || c.properties.numericType != nil {
                    throw SyntaxError(description: "unsupported escape \\\(c)")
                }
                return .scalar(c, caseless: caseless)
            }
        }
    }

    // MARK: Matcher (backtracking, continuation-passing)

    struct Matcher {
        let text: [Unicode.Scalar]
        /// Each scalar's general category and White_Space property, looked up once.
        let categories: [Unicode.GeneralCategory]
        let spaces: [Bool]

        init(text: [Unicode.Scalar]) {
            self.text = text
            categories = text.map(\.properties.generalCategory)
            spaces = text.map(\.properties.isWhitespace)
        }

        func matches(_ set: CharSet, at i: Int) -> Bool { set.matches(text[i], categories[i], spaces[i]) }

        /// Whether `node` matches at `i` with some end `e` for which `next(e)` holds, trying ends in the regex
        /// engine's order.
        func match(_ node: Node, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            switch node {
            case .set(let set):
                return i < text.count && matches(set, at: i) && next(i + 1)
            case .sequence(let nodes):
                return sequence(nodes[...], i, next)
            case .alternation(let alternatives):
                for alternative in alternatives where match(alternative, i, next) { return true }
                return false
            case .loop(let body, let min, let max, let possessive):
                if case .set(let set) = body {
                    // One character per iteration: count the run, then give back one at a time.
                    var run = 0
                    while i + run < text.count, max.map({ run < $0 }) ?? true, matches(set, at: i + run) { run += 1 }
                    if run < min { return false }
                    if possessive { return next(i + run) }
                    for count in stride(from: run, through: min, by: -1) where next(i + count) { return true }
                    return false
                }
                if possessive {
                    var end = -1
                    guard loop(body, min: min, max: max, count: 0, i, { e in end = e; return true }) else { return false }
                    return next(end)
                }
                return loop(body, min: min, max: max, count: 0, i, next)
            case .notFollowedBy(let body):
                return !match(body, i, { _ in true }) && next(i)
            case .endOfText:
                return i == text.count && next(i)
            }
        }

        func sequence(_ nodes: ArraySlice<Node>, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            guard let first = nodes.first else { return next(i) }
            return match(first, i, { e in sequence(nodes.dropFirst(), e, next) })
        }

        /// Greedy loop over a general body: one more iteration first (never an empty one), then stop.
        func loop(_ body: Node, min: Int, max: Int?, count: Int, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            if max.map({ count < $0 }) ?? true,
               match(body, i, { e in e > i && loop(body, min: min, max: max, count: count + 1, e, next) }) {
                return true
            }
            return count >= min && next(i)
        }
    }
}
