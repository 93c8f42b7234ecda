/// A list of lower-case keywords (UTF-8) bucketed by their last byte, so that asking "does a keyword end
/// here?" compares only the few words that end in the byte found there. Case folding (`Scan.matchesFolded`)
/// keeps the last byte of a lower-case word: ASCII, Cyrillic and Greek capitals fold to it.
struct KeywordList: Sendable {
    let words: [[UInt8]]
    /// Indices into `words` per last byte.
    let byLastByte: [[Int]]
    /// Words written in CJK scripts (lead byte E3-ED), which may sit inside a run of CJK text.
    let cjk: [[UInt8]]

    init(_ list: [String]) {
        words = list.map { Array($0.utf8) }
        var buckets = [[Int]](repeating: [], count: 256)
        for (k, w) in words.enumerated() { buckets[Int(w[w.count - 1])].append(k) }
        byLastByte = buckets
        cjk = words.filter { $0[0] >= 0xE3 && $0[0] <= 0xED }
    }
}

extension Scan {
    /// The last byte of the text before `end` as the lower-case list words have it.
    @inline(__always) func foldedLastByte(before end: Int) -> UInt8 {
        let b = p[end - 1]
        if b >= 0x41 && b <= 0x5A { return b | 0x20 }
        if end >= 2, p[end - 2] == 0xD0 || p[end - 2] == 0xCE { return Self.lowerTwoByte(p[end - 2], b).1 }
        return b
    }

    /// The keywords of `list` that end exactly at `end` (folded), calling `body` with each one's start
    /// until it returns true.
    @inline(__always)
    func keyword(of list: KeywordList, endingAt end: Int, _ body: (Int) -> Bool) -> Bool {
        guard end > 0 else { return false }
        for k in list.byLastByte[Int(foldedLastByte(before: end))] {
            let w = list.words[k]
            let s = end - w.count
            if s >= 0, matchesFolded(s, w), body(s) { return true }
        }
        return false
    }
}
