/// Byte-level helpers for attribute names and values (ASCII case-insensitive comparisons, decoding).
enum HTMLBytes {
    static func equals(_ page: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ name: String) -> Bool {
        var i = range.lowerBound
        for c in name.utf8 {
            guard i < range.upperBound else { return false }
            var b = page[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            var l = c
            if l >= 0x41 && l <= 0x5A { l |= 0x20 }
            if b != l { return false }
            i += 1
        }
        return i == range.upperBound
    }

    static func equalsAny(_ page: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ names: [String]) -> Bool {
        for name in names where equals(page, range.lowerBound..<range.upperBound, name) { return true }
        // Tolerate surrounding spaces.
        var a = range.lowerBound, b = range.upperBound
        while a < b, HTMLTokenizer.isSpace(page[a]) { a += 1 }
        while b > a, HTMLTokenizer.isSpace(page[b - 1]) { b -= 1 }
        if a == range.lowerBound && b == range.upperBound { return false }
        for name in names where equals(page, a..<b, name) { return true }
        return false
    }

    /// Whether `range` contains `needle` (lower case, no spaces), ignoring case and ASCII spaces.
    static func containsNoSpace(_ page: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ needle: String) -> Bool {
        var compact: [UInt8] = []
        for k in range where !HTMLTokenizer.isSpace(page[k]) {
            var b = page[k]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            compact.append(b)
            if compact.count > 4096 { break }
        }
        return contains(compact, needle)
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool { contains(Array(haystack.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, needle) }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= haystack.count else { return false }
        for s in 0...(haystack.count - n.count) where haystack[s] == n[0] {
            if Array(haystack[s..<(s + n.count)]) == n { return true }
        }
        return false
    }

    static func trimmed(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars[...]
        while let f = scalars.first, f.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Decodes character references in `page[from..<to]` into a string, optionally collapsing whitespace.
    static func decodedString(_ page: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, collapse: Bool,
                              scratch: inout [UInt8], inAttribute: Bool = false) -> String {
        scratch.removeAll(keepingCapacity: true)
        let limit = min(to, from + 65536)
        var i = from
        var space = false
        while i < limit {
            let b = page[i]
            if b == 0x26 {
                let before = scratch.count
                if space { scratch.append(0x20) }
                if let next = HTMLEntities.decode(page, at: i, end: limit, inAttribute: inAttribute, into: &scratch) {
                    space = false
                    i = next
                    continue
                }
                scratch.removeSubrange(before...)
            }
            if collapse, HTMLTokenizer.isSpace(b) {
                space = !scratch.isEmpty
                i += 1
                continue
            }
            if space { scratch.append(0x20); space = false }
            scratch.append(b)
            i += 1
        }
        return String(decoding: scratch, as: UTF8.self)
    }
}
