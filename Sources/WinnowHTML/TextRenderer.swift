/// Lays out kept blocks as text or Markdown.
enum TextRenderer {
    /// Appends the kept blocks to `out`; returns how many were kept.
    static func render(blocks: [TextBlock], keep: [Bool], text: [UInt8], format: ExtractionFormat, into out: inout [UInt8]) -> Int {
        var kept = 0
        var previous: BlockKind?
        for (k, b) in blocks.enumerated() where keep[k] {
            kept += 1
            let body = text[Int(b.start)..<Int(b.end)]
            switch format {
            case .text:
                if previous != nil { out.append(0x0A) }
                out.append(contentsOf: body)
            case .markdown:
                if let previous {
                    out.append(0x0A)
                    let tight = (previous == .listItem && b.kind == .listItem) || (previous == .tableRow && b.kind == .tableRow)
                    if !tight { out.append(0x0A) }
                }
                let quote: [UInt8] = b.inQuote ? [0x3E, 0x20] : []
                switch b.kind {
                case .heading:
                    out.append(contentsOf: quote)
                    out.append(contentsOf: repeatElement(0x23, count: Int(max(1, b.level))))
                    out.append(0x20)
                    appendLines(body, prefix: [], to: &out)
                case .listItem:
                    out.append(contentsOf: quote)
                    out.append(contentsOf: repeatElement(0x20, count: 2 * Int(max(1, b.level) - 1)))
                    if b.ordinal > 0 { out.append(contentsOf: Array("\(b.ordinal). ".utf8)) } else { out.append(contentsOf: [0x2D, 0x20]) }
                    appendLines(body, prefix: quote, to: &out)
                case .tableRow:
                    out.append(contentsOf: quote)
                    out.append(contentsOf: [0x7C, 0x20])
                    appendLines(body, prefix: quote, to: &out)
                    out.append(contentsOf: [0x20, 0x7C])
                case .preformatted:
                    out.append(contentsOf: quote)
                    out.append(contentsOf: [0x60, 0x60, 0x60, 0x0A])
                    appendLines(body, prefix: quote, to: &out)
                    out.append(0x0A)
                    out.append(contentsOf: quote)
                    out.append(contentsOf: [0x60, 0x60, 0x60])
                case .paragraph:
                    out.append(contentsOf: quote)
                    appendLines(body, prefix: quote, to: &out)
                }
            }
            previous = b.kind
        }
        return kept
    }

    /// Appends `body`, repeating `prefix` after every line break.
    private static func appendLines(_ body: ArraySlice<UInt8>, prefix: [UInt8], to out: inout [UInt8]) {
        if prefix.isEmpty { out.append(contentsOf: body); return }
        for b in body {
            out.append(b)
            if b == 0x0A { out.append(contentsOf: prefix) }
        }
    }
}
