import WinnowText

/// A byte-level BPE vocabulary ready to encode: the bytes of every token, the merge rank of every mergeable token,
/// the special tokens, the split pattern, and the normalization applied before splitting (none, or a loaded
/// tokenizer.json's NFC/NFKC normalizer). Immutable and shared by all workers (`BPEEncoder` holds one).
///
/// Merging follows tiktoken: two adjacent parts merge when their concatenated bytes are a token, the token with
/// the lowest rank first. Ranks come from the source: a `.tiktoken` file's ranks (= ids); for a merges list
/// (HF `tokenizer.json`, a Winnow-trained model), the position of the first merge that makes the token.
public final class BPEVocabulary: @unchecked Sendable {
    /// The split pattern preset.
    public let pattern: SplitPattern
    /// One more than the largest id.
    public let idCount: Int
    /// Special tokens (text, id). Their text inside a document is encoded as ordinary text; `decode` writes it.
    public let specialTokens: [(text: String, id: UInt32)]
    /// The normalization `encode` applies to the text first (nil: none, so `decode(encode(x)) == x`).
    public let normalization: NormalizationForm?

    let pieces: ByteStringTable
    let pairs: PairTable
    let byteIDs: [UInt32]
    private let tokenBytes: [UInt8]
    /// Token `id`'s bytes are `tokenBytes[tokenStart[id]..<tokenStart[id + 1]]`; `hasBytes[id]` is false for ids
    /// without a token.
    private let tokenStart: [Int]
    private let hasBytes: [Bool]

    /// Builds the tables. `tokens[id]` is the bytes of each ordinary token (nil for an unused id or a special);
    /// `ranks[id]` its merge rank (`UInt32.max`: never made by merging, found only as a whole piece).
    /// Every byte must be a token, or a special token whose text is that one byte.
    init(tokens: [[UInt8]?], ranks: [UInt32], specialTokens: [(text: String, id: UInt32)], pattern: SplitPattern,
         normalization: NormalizationForm? = nil) throws {
        self.pattern = pattern
        self.specialTokens = specialTokens
        self.normalization = normalization
        var idCount = tokens.count
        for special in specialTokens { idCount = max(idCount, Int(special.id) + 1) }
        self.idCount = idCount

        var table = ByteStringTable(capacity: tokens.count)
        for (id, bytes) in tokens.enumerated() {
            guard let bytes, !bytes.isEmpty else { continue }
            if !table.insert(bytes, UInt32(id)) {
                throw TokenizerFileError(description: "two tokens have the same bytes (ids \(table.find(bytes)!) and \(id))")
            }
        }
        var byteIDs = [UInt32](repeating: 0, count: 256)
        for b in 0..<256 {
            if let id = table.find([UInt8(b)]) {
                byteIDs[b] = id
            } else if let special = specialTokens.first(where: { Array($0.text.utf8) == [UInt8(b)] }) {
                byteIDs[b] = special.id
                table.insert([UInt8(b)], special.id)
            } else {
                throw TokenizerFileError(description: "the vocabulary has no token for byte 0x\(String(b, radix: 16))")
            }
        }
        // Every split of a mergeable token into two tokens is a pair that merges into it at its rank.
        var pairs = PairTable(capacity: tokens.count * 4)
        for (id, bytes) in tokens.enumerated() {
            guard let bytes, bytes.count >= 2, ranks[id] != .max else { continue }
            for k in 1..<bytes.count {
                guard let left = table.find(Array(bytes[..<k])), let right = table.find(Array(bytes[k...])) else { continue }
                pairs.insert(left, right, rank: ranks[id], result: UInt32(id))
            }
        }
        pieces = table
        self.pairs = pairs
        self.byteIDs = byteIDs

        var arena: [UInt8] = []
        var start = [Int](repeating: 0, count: idCount + 1)
        var has = [Bool](repeating: false, count: idCount)
        var textOfSpecial = [Int: [UInt8]]()
        for special in specialTokens { textOfSpecial[Int(special.id)] = Array(special.text.utf8) }
        for id in 0..<idCount {
            start[id] = arena.count
            if let text = textOfSpecial[id] {
                arena += text
                has[id] = true
            } else if id < tokens.count, let bytes = tokens[id] {
                arena += bytes
                has[id] = true
            }
        }
        start[idCount] = arena.count
        tokenBytes = arena
        tokenStart = start
        hasBytes = has
    }

    /// The bytes of token `id` (a special token's text), or nil for an id without a token.
    public func bytes(of id: UInt32) -> ArraySlice<UInt8>? {
        let i = Int(id)
        guard i < idCount, hasBytes[i] else { return nil }
        return tokenBytes[tokenStart[i]..<tokenStart[i + 1]]
    }

    /// The id of the ordinary token with exactly these bytes.
    public func id(of bytes: [UInt8]) -> UInt32? { pieces.find(bytes) }

    /// Appends the bytes of `ids` to `out`; throws on an id without a token.
    public func decode<C: Collection>(_ ids: C, into out: inout [UInt8]) throws where C.Element == UInt32 {
        try tokenBytes.withUnsafeBufferPointer { arena in
            for id in ids {
                let i = Int(id)
                guard i < idCount, hasBytes[i] else { throw TokenizerFileError(description: "unknown token id \(id)") }
                out.append(contentsOf: arena[tokenStart[i]..<tokenStart[i + 1]])
            }
        }
    }

    /// The bytes of `ids`: `decode(encode(x)) == x` for any bytes `x` (without a normalization).
    public func decode<C: Collection>(_ ids: C) throws -> [UInt8] where C.Element == UInt32 {
        var out: [UInt8] = []
        try decode(ids, into: &out)
        return out
    }
}
