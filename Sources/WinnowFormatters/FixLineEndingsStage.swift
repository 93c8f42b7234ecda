import WinnowCore

/// `fix_line_endings`: turns CRLF and lone CR into LF; with `strip_trailing_spaces: true` (default false)
/// also removes spaces and tabs at the end of every line, the last line included.
///
/// Works on bytes (CR, LF, space and tab never occur inside a multi-byte UTF-8 sequence). Only ASCII
/// whitespace is stripped: a trailing no-break or ideographic space stays. Counts `fixed_line_endings` and
/// `stripped_trailing_spaces` for documents that changed in that way; unchanged documents are not copied.
public struct FixLineEndingsStage: RegisteredStage, DocumentStage {
    public static let stageName = "fix_line_endings"
    public static let summary = "Turn CRLF and CR into LF; optionally strip trailing spaces and tabs (strip_trailing_spaces)"

    public static let parameters: [ParameterDeclaration] = [
        .bool("strip_trailing_spaces", default: false, "also remove spaces and tabs at the end of every line"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let strip = try p.bool("strip_trailing_spaces")
        return StageFactory { FixLineEndingsStage(stripTrailingSpaces: strip) }
    }

    public let stripTrailingSpaces: Bool

    public init(stripTrailingSpaces: Bool = false) {
        self.stripTrailingSpaces = stripTrailingSpaces
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let result = Self.fix(document.text, stripTrailingSpaces: stripTrailingSpaces)
        if let text = result.text {
            document.text = text
            if result.fixedLineEndings { stats.count("fixed_line_endings") }
            if result.strippedSpaces { stats.count("stripped_trailing_spaces") }
        }
        return .keep
    }

    /// The rewritten text, or `nil` when nothing changes, and what changed.
    public static func fix(_ text: [UInt8], stripTrailingSpaces: Bool) -> (text: [UInt8]?, fixedLineEndings: Bool, strippedSpaces: Bool) {
        text.withUnsafeBufferPointer { src -> ([UInt8]?, Bool, Bool) in
            let n = src.count
            // Find the first byte that must change; most documents have none.
            var first = n
            var i = 0
            while i < n {
                let b = src[i]
                if b == 0x0D { first = i; break }
                if stripTrailingSpaces, b == 0x20 || b == 0x09 {
                    var j = i + 1
                    while j < n, src[j] == 0x20 || src[j] == 0x09 { j += 1 }
                    if j == n || src[j] == 0x0A || src[j] == 0x0D { first = i; break }
                    i = j
                    continue
                }
                i += 1
            }
            guard first < n else { return (nil, false, false) }

            var out = [UInt8]()
            out.reserveCapacity(n)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: src[..<first]))
            var fixed = false
            var stripped = false
            i = first
            while i < n {
                // Copy the rest of the line in one piece, then handle its line break.
                var j = i
                while j < n, src[j] != 0x0D, src[j] != 0x0A { j += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: src[i..<j]))
                if stripTrailingSpaces { stripped = trimSpaces(&out) || stripped }
                guard j < n else { break }
                out.append(0x0A)
                if src[j] == 0x0D {
                    fixed = true
                    if j + 1 < n, src[j + 1] == 0x0A { j += 1 }
                }
                i = j + 1
            }
            return (out, fixed, stripped)
        }
    }

    private static func trimSpaces(_ out: inout [UInt8]) -> Bool {
        var removed = false
        while let last = out.last, last == 0x20 || last == 0x09 {
            out.removeLast()
            removed = true
        }
        return removed
    }
}
