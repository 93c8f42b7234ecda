/// HTML5 character references: the named table (generated, `Generated/HTMLEntityTable.swift`) and the
/// numeric rules, decoding into UTF-8 bytes.
public enum HTMLEntities {
    /// One named reference: where its name is in `names`, and its code points (one or two).
    struct Entry {
        var nameStart: Int32
        var nameLength: Int32
        var first: UInt32
        var second: UInt32
    }

    /// The named table, parsed once on first use: a hash of the name bytes (with ';' when the name has one)
    /// -> entry; the name bytes are checked on lookup, so a hash collision cannot decode a wrong name.
    static let named: (index: [UInt64: Int], entries: [Entry], names: [UInt8]) = {
        var index: [UInt64: Int] = [:]
        var entries: [Entry] = []
        var names: [UInt8] = []
        index.reserveCapacity(2300)
        for line in Array(table.utf8).split(separator: UInt8(ascii: "\n")) {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { continue }
            let name = Array(line[line.startIndex..<space])
            let points = line[(space + 1)...].split(separator: UInt8(ascii: ",")).map {
                UInt32(String(decoding: $0, as: UTF8.self), radix: 16) ?? 0xFFFD
            }
            let hash = name.withUnsafeBufferPointer { nameHash($0, 0, $0.count) }
            index[hash] = entries.count
            entries.append(Entry(nameStart: Int32(names.count), nameLength: Int32(name.count),
                                 first: points[0], second: points.count > 1 ? points[1] : 0))
            names.append(contentsOf: name)
        }
        return (index, entries, names)
    }()

    @inline(__always)
    static func nameHash(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for k in from..<to { h = (h ^ UInt64(src[k])) &* 0x100000001b3 }
        return h
    }

    /// The longest name without ';' (legacy references), so prefix matching stops early.
    static let longestLegacyName = 6
    /// The longest name in the table.
    static let longestName = 32

    /// Windows-1252 meanings of numeric references 0x80...0x9F (the HTML5 replacement table).
    private static let c1Replacements: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Decodes the character reference starting at `src[start]` (which is '&') and appends its UTF-8 to
    /// `out`. Returns the index just after the reference, or nil when there is none (the '&' is literal).
    ///
    /// Follows the HTML5 tokenizer: numeric references with or without ';' (0, surrogates and values past
    /// U+10FFFF become U+FFFD, 0x80-0x9F read as windows-1252); named references by longest match, the
    /// legacy ones also without ';'; in an attribute value a legacy match followed by '=' or an
    /// alphanumeric stays literal.
    @inline(__always)
    public static func decode(_ src: UnsafeBufferPointer<UInt8>, at start: Int, end: Int, inAttribute: Bool, into out: inout [UInt8]) -> Int? {
        var i = start + 1
        guard i < end else { return nil }
        if src[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < end, src[i] | 0x20 == UInt8(ascii: "x") { hex = true; i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < end {
                let b = src[i]
                var d: UInt32
                if b >= 0x30 && b <= 0x39 { d = UInt32(b - 0x30) }
                else if hex, b | 0x20 >= UInt8(ascii: "a"), b | 0x20 <= UInt8(ascii: "f") { d = UInt32(b | 0x20) - 0x61 + 10 }
                else { break }
                value = min(value &* (hex ? 16 : 10) &+ d, 0x110000)
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < end, src[i] == UInt8(ascii: ";") { i += 1 }
            var scalar = value
            if scalar == 0 || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { scalar = 0xFFFD }
            else if scalar >= 0x80 && scalar <= 0x9F { scalar = c1Replacements[Int(scalar - 0x80)] }
            appendUTF8(scalar, to: &out)
            return i
        }
        // Named: the alphanumeric run, then ';'.
        var j = i
        while j < end, j - i < longestName, isAlphanumeric(src[j]) { j += 1 }
        guard j > i else { return nil }
        if j < end, src[j] == UInt8(ascii: ";") {
            if let entry = lookup(src, i, j + 1) {
                append(entry, to: &out)
                return j + 1
            }
        }
        // Legacy names without ';': the longest prefix of the run.
        var k = min(j, i + longestLegacyName)
        while k > i {
            if let entry = lookup(src, i, k) {
                if inAttribute, k < end, src[k] == UInt8(ascii: "=") || isAlphanumeric(src[k]) { return nil }
                append(entry, to: &out)
                return k
            }
            k -= 1
        }
        return nil
    }

    @inline(__always)
    private static func lookup(_ src: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Entry? {
        let table = named
        guard let at = table.index[nameHash(src, from, to)] else { return nil }
        let entry = table.entries[at]
        guard Int(entry.nameLength) == to - from else { return nil }
        for k in 0..<(to - from) where table.names[Int(entry.nameStart) + k] != src[from + k] { return nil }
        return entry
    }

    @inline(__always)
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    private static func append(_ entry: Entry, to out: inout [UInt8]) {
        appendUTF8(entry.first, to: &out)
        if entry.second != 0 { appendUTF8(entry.second, to: &out) }
    }

    /// Appends one scalar as UTF-8.
    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
