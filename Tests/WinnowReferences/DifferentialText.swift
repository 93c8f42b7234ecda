/// Arbitrary bytes (a fuzz input, random test data) mapped one byte to one character of `alphabet`, as scalars for
/// a slow reference and as UTF-8 for the scanner under test, with each scalar's byte offset to compare the two.
///
/// The alphabet holds characters whose White_Space, general category and simple case mapping are the same in every
/// Unicode version the scanners' ICU tables or the Swift standard library may have, so that a difference between a
/// scanner and a reference is a difference in the code, not in the tables: ASCII, the line and paragraph
/// separators, other spaces, letters of each case class (`ǅ` Lt, `ʰ` Lm, `東` Lo, `ſ` and `K` (Kelvin) that fold
/// to ASCII letters), marks of each kind (Mn, Mc, Me), numbers of each kind (Nd, Nl, No), a format character and
/// an emoji.
public struct DifferentialText: Sendable {
    public static let alphabet: [Unicode.Scalar] = {
        var alphabet: [Unicode.Scalar] = ["\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        alphabet += (0x20...0x7E).map { Unicode.Scalar(UInt8($0)) }
        alphabet += ["é", "À", "ß", "µ", "Σ", "ς", "ſ", "\u{212A}", "ǅ", "ʰ", "東", "京", "ª",
                     "\u{0301}", "\u{0903}", "\u{20DD}",
                     "١", "²", "½", "Ⅻ",
                     "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{2028}", "\u{2029}", "\u{3000}",
                     "\u{200B}", "¿", "😀"]
        return alphabet
    }()

    public let scalars: [Unicode.Scalar]
    public let utf8: [UInt8]
    /// The byte offset of each scalar in `utf8`, and `utf8.count` at the end.
    public let offsets: [Int]

    public init(mapping bytes: some Sequence<UInt8>) {
        self.init(scalars: bytes.map { Self.alphabet[Int($0) % Self.alphabet.count] })
    }

    public init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        var utf8: [UInt8] = []
        var offsets: [Int] = []
        for scalar in scalars {
            offsets.append(utf8.count)
            utf8 += Array(String(scalar).utf8)
        }
        offsets.append(utf8.count)
        self.utf8 = utf8
        self.offsets = offsets
    }

    /// Scalar ranges as byte ranges of `utf8`.
    public func byteRanges(_ ranges: [Range<Int>]) -> [Range<Int>] {
        ranges.map { offsets[$0.lowerBound]..<offsets[$0.upperBound] }
    }
}
