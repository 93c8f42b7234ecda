import WinnowCore
import WinnowIO

/// Learns more merges on top of an existing byte-level BPE tokenizer from new text (the Chinese-LLaMA workflow:
/// a tokenizer trained mostly on English spends 2-3 tokens per Chinese character; extending it with merges
/// learned on Chinese text lowers that without changing any existing token).
///
/// Every pre-token of the new text (split with the base's pattern and normalization) is first encoded with the
/// base tokenizer; merges are then learned on those token sequences exactly as training learns them on bytes
/// (most frequent pair first, ties to the smaller ids). New tokens get ids after every existing id (special
/// tokens included), so every existing id, token and merge stays as it was.
public struct VocabularyExtension {
    /// A learned token: its id, bytes, and the two tokens it merges.
    public struct NewToken: Sendable, Equatable {
        public var id: UInt32
        public var bytes: [UInt8]
        public var left: UInt32
        public var right: UInt32
    }

    public let base: BPEVocabulary
    public private(set) var newTokens: [NewToken] = []

    /// Learns up to `add` merges from `counts` (pre-token counts of the new text, split with `base.pattern`);
    /// fewer when no pair reaches `minFrequency`.
    public init(base: BPEVocabulary, counts: PreTokenCounts, add: Int, minFrequency: Int64 = 0) throws {
        self.base = base
        let specials = Set(base.specialTokens.map { Int($0.id) })
        let tokens: [[UInt8]?] = (0..<base.idCount).map { id in
            specials.contains(id) ? nil : base.bytes(of: UInt32(id)).map(Array.init)
        }
        let encoder = BPEEncoder(vocabulary: base)
        var words: [(ids: [UInt32], count: Int64)] = []
        var ids: [UInt32] = []
        try counts.forEach { key, count in
            ids.removeAll(keepingCapacity: true)
            encoder.encodePiece(key.baseAddress!, key.count, into: &ids)
            if ids.count >= 2 { words.append((ids, count)) }
        }
        var options = BPETrainingOptions(vocabSize: base.idCount + add)
        options.minFrequency = minFrequency
        var core = MergeState(options: options)
        core.loadExtension(tokens: tokens, words: words)
        core.run()
        for (pair, id) in core.merges where Int(id) >= base.idCount {
            if newTokens.last.map({ $0.id >= id }) ?? false { continue }  // a pair merged again keeps its token
            newTokens.append(NewToken(id: id, bytes: core.idToWord[Int(id)], left: UInt32(truncatingIfNeeded: pair >> 32),
                                      right: UInt32(truncatingIfNeeded: pair)))
        }
    }

    /// The bytes of any token of the extended vocabulary.
    func bytes(of id: UInt32) -> [UInt8] {
        if Int(id) >= base.idCount { return newTokens.first { $0.id == id }?.bytes ?? [] }
        return Array(base.bytes(of: id) ?? [])
    }

    /// The base `tokenizer.json` with the new tokens added to `model.vocab` and their merges appended to
    /// `model.merges`, in the form the file already uses (pairs or `"a b"` strings).
    public func extendedTokenizerJSON(_ baseJSON: [UInt8]) throws -> String {
        guard var root = try JSONParser.parse(baseJSON).objectValue, var model = root["model"]?.objectValue,
              var vocab = model["vocab"]?.objectValue else {
            throw TokenizerFileError(description: "not a tokenizer.json with model.vocab")
        }
        var merges = model["merges"]?.arrayValue ?? []
        let legacy = merges.first?.stringValue != nil
        var byID: [UInt32: String] = [:]
        for token in newTokens { byID[token.id] = ByteLevel.encode(token.bytes) }
        func name(_ id: UInt32) -> String { byID[id] ?? ByteLevel.encode(bytes(of: id)) }
        for token in newTokens {
            vocab[byID[token.id]!] = .number(JSONNumber(Int(token.id)))
            let (l, r) = (name(token.left), name(token.right))
            merges.append(legacy ? .string(l + " " + r) : .array([.string(l), .string(r)]))
        }
        model["vocab"] = .object(vocab)
        model["merges"] = .array(merges)
        root["model"] = .object(model)
        return JSONWriter.prettyString(.object(root))
    }

    /// The base `.tiktoken` ranks with the new tokens appended (rank = id, the order they were learned in).
    public func extendedTiktoken(_ baseRanks: [UInt8]) -> [UInt8] {
        var out = baseRanks
        if let last = out.last, last != 0x0A { out.append(0x0A) }
        for token in newTokens {
            Base64.encode(token.bytes, to: &out)
            out.append(0x20)
            out.append(contentsOf: Array(String(token.id).utf8))
            out.append(0x0A)
        }
        return out
    }
}
