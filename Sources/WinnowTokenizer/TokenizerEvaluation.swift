import WinnowCore

/// What a tokenizer costs on text, per language: bytes per token (compression; higher is cheaper) and tokens per
/// word and per character (fertility; lower is cheaper). `winnow tokenizer eval` prints it for several
/// tokenizers side by side, so a user sees before training a model what Chinese or Hindi will cost.
///
/// Words are runs of non-whitespace (Python `str.split()`, which counts a Chinese sentence without spaces as one
/// word, so compare tokens per character there); characters are Unicode scalars.
public struct TokenizerEvaluation {
    /// Sums for one language (or all).
    public struct Totals: Sendable, Equatable {
        public var documents = 0
        public var bytes = 0
        public var characters = 0
        public var words = 0
        public var tokens = 0

        public init() {}

        public var bytesPerToken: Double { tokens == 0 ? 0 : Double(bytes) / Double(tokens) }
        public var tokensPerWord: Double { words == 0 ? 0 : Double(tokens) / Double(words) }
        public var tokensPerCharacter: Double { characters == 0 ? 0 : Double(tokens) / Double(characters) }

        mutating func add(_ other: Totals) {
            documents += other.documents; bytes += other.bytes; characters += other.characters
            words += other.words; tokens += other.tokens
        }
    }

    public private(set) var byLanguage: [String: Totals] = [:]
    public private(set) var all = Totals()
    private let encoder: BPEEncoder
    private var ids: [UInt32] = []

    public init(encoder: BPEEncoder) {
        self.encoder = encoder
    }

    /// Counts one document under `language` ("" when unknown).
    public mutating func add(_ text: [UInt8], language: String) {
        ids.removeAll(keepingCapacity: true)
        encoder.encode(text, into: &ids)
        var t = Totals()
        t.documents = 1
        t.bytes = text.count
        t.tokens = ids.count
        text.withUnsafeBufferPointer { b in
            var inWord = false
            var i = 0
            let n = b.count
            while i < n {
                let byte = b[i]
                if byte & 0xC0 != 0x80 { t.characters += 1 }
                let space = Self.whitespaceLength(b, i)
                if space > 0 {
                    inWord = false
                    // A multi-byte space is one character: count it once.
                    if space > 1 { i += space; continue }
                } else if !inWord {
                    inWord = true
                    t.words += 1
                }
                i += 1
            }
        }
        byLanguage[language, default: Totals()].add(t)
        all.add(t)
    }

    /// Python's `str.isspace` characters: their byte length at `i`, or 0.
    @inline(__always)
    static func whitespaceLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = p[i]
        if b < 0x80 { return b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F) ? 1 : 0 }
        let n = p.count
        switch b {
        case 0xC2: return i + 1 < n && (p[i + 1] == 0x85 || p[i + 1] == 0xA0) ? 2 : 0
        case 0xE1: return i + 2 < n && p[i + 1] == 0x9A && p[i + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard i + 2 < n else { return 0 }
            let b1 = p[i + 1], b2 = p[i + 2]
            if b1 == 0x80 { return b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0 }
            return b1 == 0x81 && b2 == 0x9F ? 3 : 0
        case 0xE3: return i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// The totals as JSON: `{"all": {...}, "languages": {"en": {...}, ...}}`, languages sorted.
    public var json: JSONValue {
        func object(_ t: Totals) -> JSONValue {
            var o = JSONObject()
            o["documents"] = .number(JSONNumber(t.documents))
            o["bytes"] = .number(JSONNumber(t.bytes))
            o["characters"] = .number(JSONNumber(t.characters))
            o["words"] = .number(JSONNumber(t.words))
            o["tokens"] = .number(JSONNumber(t.tokens))
            o["bytes_per_token"] = .number(JSONNumber(uncheckedLiteral: Self.format(t.bytesPerToken, 4)))
            o["tokens_per_word"] = .number(JSONNumber(uncheckedLiteral: Self.format(t.tokensPerWord, 4)))
            o["tokens_per_character"] = .number(JSONNumber(uncheckedLiteral: Self.format(t.tokensPerCharacter, 4)))
            return .object(o)
        }
        var languages = JSONObject()
        for key in byLanguage.keys.sorted() { languages[key.isEmpty ? "unknown" : key] = object(byLanguage[key]!) }
        var o = JSONObject()
        o["all"] = object(all)
        o["languages"] = .object(languages)
        return .object(o)
    }

    /// `value` rounded to `digits` decimals, as plain decimal text.
    public static func format(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded()
        let whole = Int(scaled) / Int(scale), fraction = Int(scaled) % Int(scale)
        var f = String(fraction)
        while f.count < digits { f = "0" + f }
        return "\(whole).\(f)"
    }
}
