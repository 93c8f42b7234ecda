/// Document measures for the report's distributions, counted on UTF-8 bytes in one pass.
enum TextMeasures {
    /// Characters (Unicode scalars): the bytes that do not continue a multi-byte sequence.
    static func characters(_ bytes: [UInt8]) -> Int {
        var n = 0
        for b in bytes where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Words: maximal runs of characters that are not whitespace (ASCII whitespace, U+0085, U+00A0, U+1680,
    /// U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, as Unicode's White_Space property lists them).
    static func words(_ bytes: [UInt8]) -> Int {
        var n = 0
        var inWord = false
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            var space = false
            var length = 1
            if b < 0x80 {
                space = b == 0x20 || (b >= 0x09 && b <= 0x0D)
            } else if b == 0xC2, i + 1 < count {
                space = bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0
                length = 2
            } else if b == 0xE1, i + 2 < count {
                space = bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80
                length = 3
            } else if b == 0xE2, i + 2 < count {
                let b1 = bytes[i + 1], b2 = bytes[i + 2]
                space = (b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) || (b1 == 0x81 && b2 == 0x9F)
                length = 3
            } else if b == 0xE3, i + 2 < count {
                space = bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80
                length = 3
            } else {
                length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            }
            if space {
                inWord = false
            } else if !inWord {
                inWord = true
                n += 1
            }
            i += length
        }
        return n
    }
}
