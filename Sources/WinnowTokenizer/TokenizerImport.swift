import WinnowCore
import WinnowIO
import WinnowText

extension BPEVocabulary {
    /// The vocabulary of a Winnow-trained model: ranks are the positions of the merges.
    public convenience init(model: BPEModel) throws {
        let tokens: [[UInt8]?] = (0..<model.vocab.count).map { model.isSpecial($0) ? nil : model.bytes(of: $0) }
        var ranks = [UInt32](repeating: .max, count: model.vocab.count)
        for (rank, merge) in model.merges.enumerated().reversed() { ranks[merge.result] = UInt32(rank) }
        for id in 0..<tokens.count where tokens[id]?.count == 1 { ranks[id] = 0 }
        try self.init(tokens: tokens, ranks: ranks,
                      specialTokens: model.specialTokens.enumerated().map { ($0.element, UInt32(model.specialIDs[$0.offset])) },
                      pattern: model.pattern, normalization: model.normalization)
    }

    /// Loads a tokenizer: HF `tokenizer.json` when the file is JSON, else a `.tiktoken` ranks file. A ranks file
    /// takes its pattern and special tokens from `pattern` and `specialTokens`, or else from a `tiktoken.json`
    /// beside it that names it (Winnow's export writes one).
    public static func load(path: String, pattern: SplitPattern? = nil,
                            specialTokens: [(text: String, id: UInt32)]? = nil) throws -> BPEVocabulary {
        let bytes = try readFile(path)
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            return try BPEVocabulary(tokenizerJSON: bytes, path: path)
        }
        let config = try tiktokenConfig(beside: path)
        guard let pattern = pattern ?? config?.pattern else {
            throw TokenizerFileError(description: "\(path) is not JSON, so it is read as a .tiktoken ranks file, "
                                     + "which needs its split pattern (--pattern) or a tiktoken.json beside it")
        }
        return try BPEVocabulary(tiktoken: bytes, pattern: pattern, specialTokens: specialTokens ?? config?.specials ?? [],
                                 path: path)
    }

    /// The pattern and special tokens of the `tiktoken.json` next to `ranksPath` whose `ranks_file` is that file.
    private static func tiktokenConfig(beside ranksPath: String) throws
        -> (pattern: SplitPattern, specials: [(text: String, id: UInt32)])?
    {
        let slash = ranksPath.utf8.lastIndex(of: 0x2F)
        let directory = slash.map { String(ranksPath[..<$0]) } ?? "."
        let name = slash.map { String(ranksPath[ranksPath.utf8.index(after: $0)...]) } ?? ranksPath
        let configPath = directory + "/tiktoken.json"
        guard access(configPath, R_OK) == 0 else { return nil }
        guard let config = try? JSONParser.parse(readFile(configPath)).objectValue,
              config["ranks_file"]?.stringValue == name else { return nil }
        guard let preset = config["pattern"]?.stringValue.flatMap(SplitPattern.init(rawValue:))
            ?? config["pat_str"]?.stringValue.flatMap(SplitPattern.init(regex:))
        else { throw TokenizerFileError(description: "\(configPath): pattern is not one of the presets") }
        let specials = (config["special_tokens"]?.objectValue ?? JSONObject()).compactMap { entry in
            entry.value.intValue.map { (text: entry.key, id: UInt32($0)) }
        }
        return (preset, specials)
    }

    /// A `.tiktoken` file: one `base64(token bytes) rank` per line; ranks are ids and merge priorities.
    public convenience init(tiktoken bytes: [UInt8], pattern: SplitPattern,
                            specialTokens: [(text: String, id: UInt32)] = [], path: String = ".tiktoken") throws {
        var tokens: [[UInt8]?] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var line = bytes[start..<end]
            start = end + 1
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { continue }
            guard let space = line.firstIndex(of: 0x20), let token = Base64.decode(line[..<space]),
                  let rank = Int(String(decoding: line[(space + 1)...], as: UTF8.self)), rank >= 0, rank < Int(UInt32.max)
            else { throw TokenizerFileError(description: "\(path):\(lineNumber): expected `base64 rank`") }
            // Ranks are token ids, one per line: a rank beyond the file's size is false and would size the table.
            guard rank <= bytes.count else {
                throw TokenizerFileError(description: "\(path):\(lineNumber): rank \(rank) is larger than the file (\(bytes.count) bytes) can hold")
            }
            if rank >= tokens.count { tokens += [[UInt8]?](repeating: nil, count: rank + 1 - tokens.count) }
            guard tokens[rank] == nil else { throw TokenizerFileError(description: "\(path):\(lineNumber): rank \(rank) twice") }
            tokens[rank] = token
        }
        let ranks = (0..<tokens.count).map { UInt32($0) }
        try self.init(tokens: tokens, ranks: ranks, specialTokens: specialTokens, pattern: pattern)
    }

    /// An HF `tokenizer.json` of a byte-level BPE tokenizer: a BPE model (no byte fallback, no subword
    /// prefix/suffix), no normalizer or an NFC/NFKC one (Qwen2's files carry NFC), a pre-tokenizer that is ByteLevel with its GPT-2 regex or a Sequence of
    /// Split(one of the presets' `hfRegex`, Isolated) and ByteLevel without regex, never with a prefix space.
    /// `added_tokens` become special tokens (decoded to their text; never produced by `encode`). Merges may be
    /// `[["a", "b"], ...]` or `["a b", ...]`; ranks are the merges' positions.
    public convenience init(tokenizerJSON bytes: [UInt8], path: String = "tokenizer.json") throws {
        func fail(_ message: String) -> TokenizerFileError { TokenizerFileError(description: "\(path): \(message)") }
        let root: JSONObject
        do {
            guard let object = try JSONParser.parse(bytes).objectValue else { throw fail("not a JSON object") }
            root = object
        } catch let error as JSONParseError {
            throw fail("invalid JSON: \(error)")
        }
        guard let model = root["model"]?.objectValue else { throw fail("no \"model\"") }
        if let type = model["type"]?.stringValue, type != "BPE" { throw fail("model type \(type) is not BPE") }
        if model["byte_fallback"]?.boolValue == true { throw fail("byte_fallback BPE (SentencePiece style) is not byte-level BPE") }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key]?.stringValue, !value.isEmpty { throw fail("\(key) \"\(value)\" is not supported") }
        }
        var normalization: NormalizationForm? = nil
        if let normalizer = root["normalizer"], normalizer != .null {
            switch normalizer.objectValue?["type"]?.stringValue {
            case "NFC": normalization = .nfc
            case "NFKC": normalization = .nfkc
            case let other: throw fail("normalizer \(other ?? "?") is not supported (only null, NFC, NFKC)")
            }
        }
        let pattern = try Self.pattern(of: root["pre_tokenizer"] ?? .null, fail)

        guard let vocab = model["vocab"]?.objectValue else { throw fail("no model.vocab") }
        var specials: [(text: String, id: UInt32)] = []
        var specialIDs = Set<Int>()
        for added in root["added_tokens"]?.arrayValue ?? [] {
            guard let object = added.objectValue, let id = object["id"]?.intValue, id >= 0,
                  let content = object["content"]?.stringValue else { throw fail("malformed added_tokens entry") }
            // Ids index tables: an id beyond the file's size (a token per entry) is false and would size them.
            guard id <= bytes.count else { throw fail("added token id \(id) is larger than the file (\(bytes.count) bytes) can hold") }
            specials.append((content, UInt32(id)))
            specialIDs.insert(id)
        }
        var maxID = -1
        for entry in vocab { maxID = max(maxID, entry.value.intValue ?? -1) }
        guard maxID <= bytes.count else { throw fail("vocab id \(maxID) is larger than the file (\(bytes.count) bytes) can hold") }
        var tokens = [[UInt8]?](repeating: nil, count: maxID + 1)
        var idOfToken: [String: Int] = [:]
        idOfToken.reserveCapacity(vocab.count)
        for entry in vocab {
            guard let id = entry.value.intValue, id >= 0 else { throw fail("vocab id of \(entry.key) is not a number") }
            idOfToken[entry.key] = id
            if specialIDs.contains(id) { continue }
            guard let bytes = ByteLevel.decode(entry.key) else {
                throw fail("vocab token \(entry.key.debugDescription) is not a byte-level string")
            }
            tokens[id] = bytes
        }
        var ranks = [UInt32](repeating: .max, count: tokens.count)
        for id in 0..<tokens.count where tokens[id]?.count == 1 { ranks[id] = 0 }
        for (rank, merge) in (model["merges"]?.arrayValue ?? []).enumerated() {
            let left: String, right: String
            if let pair = merge.arrayValue, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue {
                (left, right) = (a, b)
            } else if let line = merge.stringValue, let space = line.utf8.firstIndex(of: 0x20) {
                left = String(line[..<space])
                right = String(line[line.utf8.index(after: space)...])
            } else {
                throw fail("merge \(rank) is neither [\"a\", \"b\"] nor \"a b\"")
            }
            guard idOfToken[left] != nil, idOfToken[right] != nil, let id = idOfToken[left + right] else {
                throw fail("merge \(rank) (\(left) \(right)) uses or makes a token missing from the vocab")
            }
            if ranks[id] == .max { ranks[id] = UInt32(rank) }
        }
        try self.init(tokens: tokens, ranks: ranks, specialTokens: specials, pattern: pattern, normalization: normalization)
    }

    /// The preset of a tokenizer.json pre-tokenizer, or an error naming what is not supported.
    private static func pattern(of preTokenizer: JSONValue, _ fail: (String) -> TokenizerFileError) throws -> SplitPattern {
        guard let object = preTokenizer.objectValue, let type = object["type"]?.stringValue else {
            throw fail("no pre_tokenizer: only byte-level BPE with a split pattern is supported")
        }
        func checkByteLevel(_ o: JSONObject, regex: Bool) throws {
            if o["add_prefix_space"]?.boolValue == true { throw fail("ByteLevel add_prefix_space true is not supported") }
            if (o["use_regex"]?.boolValue ?? true) != regex {
                throw fail("ByteLevel use_regex \(!regex) is not supported here (Split+ByteLevel needs use_regex false)")
            }
        }
        switch type {
        case "ByteLevel":
            try checkByteLevel(object, regex: true)
            return .gpt2
        case "Sequence":
            let steps = object["pretokenizers"]?.arrayValue?.compactMap(\.objectValue) ?? []
            guard steps.count == 2, steps[0]["type"]?.stringValue == "Split", steps[1]["type"]?.stringValue == "ByteLevel"
            else { throw fail("pre_tokenizer Sequence must be [Split, ByteLevel]") }
            try checkByteLevel(steps[1], regex: false)
            let split = steps[0]
            guard let regex = split["pattern"]?.objectValue?["Regex"]?.stringValue else {
                throw fail("Split pattern must be a Regex")
            }
            if let behavior = split["behavior"]?.stringValue, behavior != "Isolated" {
                throw fail("Split behavior \(behavior) is not supported (only Isolated)")
            }
            if split["invert"]?.boolValue == true { throw fail("Split invert true is not supported") }
            guard let preset = SplitPattern(hfRegex: regex) else {
                throw fail("unsupported Split regex \(regex.debugDescription): not one of the presets "
                           + SplitPattern.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return preset
        default:
            throw fail("pre_tokenizer \(type) is not supported (ByteLevel, or Sequence[Split, ByteLevel])")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
