/// GPT-2's byte-to-unicode mapping (`bytes_to_unicode` in openai/gpt-2 `encoder.py`, HF's `ByteLevel`): every
/// byte becomes one printable code point, so a byte string becomes a string without spaces or control characters.
///
/// Bytes `!`...`~`, `¡`...`¬` and `®`...`ÿ` map to themselves; the other 68 bytes (0x00-0x20, 0x7F-0xA0,
/// 0xAD), in increasing order, map to U+0100, U+0101, ... (so a space is `Ġ`, U+0120).
public enum ByteLevel {
    /// The code point of each byte.
    public static let scalarOfByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte of each code point below 324 that is a byte-level character, or -1.
    public static let byteOfScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for b in 0..<256 { table[Int(scalarOfByte[b])] = Int16(b) }
        return table
    }()

    /// The 256 bytes in the order of their byte-level characters' code points: the order in which HF's
    /// `BpeTrainer` numbers its initial alphabet (it sorts the alphabet by `char`).
    public static let bytesInCharacterOrder: [UInt8] = (0..<256).map { UInt8($0) }.sorted {
        scalarOfByte[Int($0)] < scalarOfByte[Int($1)]
    }

    /// Appends the UTF-8 encoding of the byte-level string of `bytes` (1 or 2 UTF-8 bytes per byte).
    @inlinable
    public static func appendEncoded<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        for b in bytes {
            let s = scalarOfByte[Int(b)]
            if s < 0x80 {
                out.append(UInt8(s))
            } else {
                out.append(UInt8(0xC0 | (s >> 6)))
                out.append(UInt8(0x80 | (s & 0x3F)))
            }
        }
    }

    /// The byte-level string of `bytes`.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        appendEncoded(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a byte-level string, or nil when it holds a character outside the mapping.
    public static func decode(_ string: String) -> [UInt8]? {
        var out: [UInt8] = []
        for scalar in string.unicodeScalars {
            let v = Int(scalar.value)
            guard v < byteOfScalar.count, byteOfScalar[v] >= 0 else { return nil }
            out.append(UInt8(byteOfScalar[v]))
        }
        return out
    }
}
