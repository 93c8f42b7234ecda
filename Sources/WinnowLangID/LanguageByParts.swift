import WinnowCore

/// Language by parts: predicts each line (short lines joined with the following ones until a part has
/// `minimumPartBytes`), and labels the document by the language holding the most characters among the
/// parts predicted with at least `partThreshold`. A Korean help page with an English debug tail is Korean
/// with `languages: {ko: 0.74, en: 0.26}`, where the whole text at once comes out as a third language
/// (the failure every whole-text identifier shares; Lingua's `detect_multiple_languages_of` is the anchor).
struct LanguageByParts {
    /// A part's best probability must reach this for the part to vote.
    var partThreshold: Float = 0.8
    /// Lines shorter than this (bytes, trimmed) are joined with the next ones before predicting.
    var minimumPartBytes = 24
    /// Languages below this share of the voting characters are left out of `languages`.
    var minimumShare: Float = 0.01

    /// Per label: characters of confident parts, and the sum of probability x characters.
    private var characters: [Int] = []
    private var weightedProbability: [Float] = []
    private var touched: [Int] = []
    private var part: [UInt8] = []

    init(partThreshold: Float = 0.8) { self.partThreshold = partThreshold }

    struct Result {
        /// The label with the most characters, its character-weighted mean part probability.
        var label: Int
        var score: Float
        /// (label, share of the voting characters), largest first, shares >= `minimumShare`.
        var shares: [(label: Int, share: Float)]
        /// Whether the label holds more than half of the voting characters.
        var majority: Bool
    }

    /// The vote over `text`'s parts, or nil when no part was confident (the caller then predicts the
    /// whole text, as before).
    mutating func vote(_ text: [UInt8], identifier: inout LanguageIdentifier) -> Result? {
        let labels = identifier.model.labelCount
        if characters.count != labels {
            characters = [Int](repeating: 0, count: labels)
            weightedProbability = [Float](repeating: 0, count: labels)
        }
        for l in touched { characters[l] = 0; weightedProbability[l] = 0 }
        touched.removeAll(keepingCapacity: true)
        part.removeAll(keepingCapacity: true)
        var total = 0
        let n = text.count
        var start = 0
        while start <= n {
            var end = start
            while end < n, text[end] != 0x0A { end += 1 }
            var a = start, b = end
            while a < b, Self.isSpace(text[a]) { a += 1 }
            while b > a, Self.isSpace(text[b - 1]) { b -= 1 }
            if a < b {
                if !part.isEmpty { part.append(0x20) }
                part.append(contentsOf: text[a..<b])
            }
            let last = end >= n
            if part.count >= minimumPartBytes || (last && !part.isEmpty) {
                total += predictPart(&identifier)
                part.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
        guard total > 0 else { return nil }
        var shares: [(label: Int, share: Float)] = []
        for l in touched where characters[l] > 0 {
            shares.append((l, Float(characters[l]) / Float(total)))
        }
        shares.sort { $0.share != $1.share ? $0.share > $1.share : $0.label < $1.label }
        let best = shares[0].label
        let result = Result(label: best, score: weightedProbability[best] / Float(characters[best]),
                            shares: shares.filter { $0.share >= minimumShare }, majority: shares[0].share > 0.5)
        return result
    }

    /// Predicts `part`; when confident, adds its characters (Unicode scalars, spaces excluded) to its
    /// language. Returns the characters added.
    private mutating func predictPart(_ identifier: inout LanguageIdentifier) -> Int {
        identifier.identify(part, k: 1)
        guard let best = identifier.predictions.first, best.probability >= partThreshold else { return 0 }
        var chars = 0
        for byte in part where byte & 0xC0 != 0x80 && !Self.isSpace(byte) { chars += 1 }
        if characters[best.label] == 0 && weightedProbability[best.label] == 0 { touched.append(best.label) }
        characters[best.label] += chars
        weightedProbability[best.label] += best.probability * Float(chars)
        return chars
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}
