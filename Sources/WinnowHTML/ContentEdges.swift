/// Trims the short furniture at the two ends of the chosen content: datelines, bylines, captions, teasers,
/// "share this" headings, prompts. No class name or markup is consulted, only the blocks' shape: a block at
/// the start or the end of the kept text that is shorter than `shortChars` characters and does not end as a
/// sentence ends (`.`, `!`, `?`, `:`, `;`, `…`, closing quotes and brackets, their CJK forms) is not article
/// text. From the start, headings among such blocks (kickers, section labels) go too, but the heading right
/// before the first sentence-like block (the article's title or first section) stays; from the end, a heading
/// with nothing after it also goes. The kept text's long blocks are never touched, and nothing
/// is trimmed when fewer than `minimumBlocks` blocks are kept or when the trimmed blocks would be more than
/// `maximumShare` of the kept characters (a page made of short lines: a list, a table, a poem).
enum ContentEdges {
    static let shortChars: Int32 = 60
    static let minimumBlocks = 3
    static let maximumShare: Float = 0.2

    /// Clears `keep` for the short blocks at either end of the kept blocks.
    static func trim(blocks: [TextBlock], keep: inout [Bool], text: [UInt8]) {
        var count = 0, total: Int32 = 0, last = -1
        for (k, b) in blocks.enumerated() where keep[k] {
            count += 1
            total += b.chars
            last = k
        }
        guard count >= minimumBlocks else { return }
        // From the start: short blocks and headings up to the first sentence-like block, leaving at least the
        // last block; a heading right before that block (the article's title or first section) stays.
        var head = 0, trimmed: Int32 = 0, headingBefore = -1
        while head < last {
            if keep[head] {
                let b = blocks[head]
                if b.kind != .heading && !isFurniture(b, text) { break }
                trimmed += b.chars
                headingBefore = b.kind == .heading ? head : -1
            }
            head += 1
        }
        if headingBefore >= 0 { trimmed -= blocks[headingBefore].chars }
        // From the end: headings and short blocks, down to the first block kept after the head.
        var tail = last
        while tail > head {
            if keep[tail] {
                let b = blocks[tail]
                if b.kind != .heading && !isFurniture(b, text) { break }
                trimmed += b.chars
            }
            tail -= 1
        }
        guard trimmed > 0, Float(trimmed) <= maximumShare * Float(total) else { return }
        for k in 0..<head where k != headingBefore { keep[k] = false }
        for k in (tail + 1)..<blocks.count { keep[k] = false }
    }

    /// A short block (code excepted) that does not end like a sentence.
    static func isFurniture(_ b: TextBlock, _ text: [UInt8]) -> Bool {
        if b.kind == .preformatted || b.chars >= shortChars { return false }
        var end = Int(b.end)
        while end > Int(b.start), text[end - 1] == 0x20 || text[end - 1] == 0x0A || text[end - 1] == 0x09 { end -= 1 }
        guard end > Int(b.start) else { return true }
        var start = end - 1
        while start > Int(b.start), text[start] & 0xC0 == 0x80 { start -= 1 }
        return !endsSentence(text[start..<end])
    }

    /// Whether a scalar's UTF-8 bytes are sentence-final punctuation or a closing quote or bracket.
    private static func endsSentence(_ scalar: ArraySlice<UInt8>) -> Bool {
        if scalar.count == 1 {
            switch scalar.first! {
            case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ";"),
                 UInt8(ascii: "\""), UInt8(ascii: ")"): return true
            default: return false
            }
        }
        return sentenceEnds.contains { $0.elementsEqual(scalar) }
    }

    /// … ” » ） 」 』 】 。 ！ ？ as UTF-8.
    private static let sentenceEnds: [[UInt8]] = ["…", "”", "»", "）", "」", "』", "】", "。", "！", "？"].map { Array($0.utf8) }
}
