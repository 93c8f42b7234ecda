import Foundation
import WinnowCore
import WinnowTokenizer

/// Where `tokenize` finds its tokenizer: a file (`tokenizer: PATH`), or what an earlier `train_tokenizer` step of
/// the same pipeline wrote (`tokenizer: {step: NAME}` -> `<output>/NAME/output/tokenizer.json`; `file:` picks
/// another of its files, such as `tokenizer.tiktoken`).
public enum TokenizerReference: Sendable, Equatable {
    case file(String)
    case step(name: String, file: String)

    static func parse(_ value: JSONValue?, parameters p: StageParameters) throws -> TokenizerReference {
        switch value {
        case .string(let path)?:
            return .file(path)
        case .object(let o)?:
            guard let name = o["step"]?.stringValue, !name.isEmpty else {
                throw p.error("tokenizer", "tokenizer must be a path or {step: NAME} (the name of a train_tokenizer step)")
            }
            for entry in o where entry.key != "step" && entry.key != "file" {
                throw p.error("tokenizer", "tokenizer: unknown key '\(entry.key)' (known: step, file)")
            }
            return .step(name: name, file: o["file"]?.stringValue ?? "tokenizer.json")
        default:
            throw p.error("tokenizer", "tokenize needs 'tokenizer': a tokenizer.json or .tiktoken path, or {step: NAME}")
        }
    }

    /// The file, for a step whose directory is `stepDirectory` (`<output>/<this step>`).
    public func path(stepDirectory: String) -> String {
        switch self {
        case .file(let path): return path
        case .step(let name, let file):
            return URL(fileURLWithPath: stepDirectory).deletingLastPathComponent().appendingPathComponent(name)
                .appendingPathComponent("output").appendingPathComponent(file).path
        }
    }
}

/// A boundary token given by its text (a special token, or an ordinary token's exact text) or by its id.
enum BoundaryToken: Sendable, Equatable {
    case text(String)
    case id(Int)

    static func parse(_ key: String, _ p: StageParameters) throws -> BoundaryToken? {
        guard let value = try p.value(key) else { return nil }
        if let s = value.stringValue { return .text(s) }
        if let i = value.intValue, i >= 0 { return .id(i) }
        throw p.error(key, "\(key) must be a token (text such as \"<|endoftext|>\") or a non-negative id")
    }

    func resolve(in vocabulary: BPEVocabulary, key: String, tokenizer: String) throws -> UInt32 {
        switch self {
        case .id(let i):
            guard i < vocabulary.idCount, vocabulary.bytes(of: UInt32(i)) != nil else {
                throw ShardError("\(key): id \(i) is not a token of \(tokenizer) (\(vocabulary.idCount) ids)")
            }
            return UInt32(i)
        case .text(let text):
            if let special = vocabulary.specialTokens.first(where: { $0.text == text }) { return special.id }
            if let id = vocabulary.id(of: Array(text.utf8)) { return id }
            throw ShardError("""
                \(key): "\(text)" is not a token of \(tokenizer) (special tokens: \
                \(vocabulary.specialTokens.map(\.text).joined(separator: ", "))); train the tokenizer with \
                special_tokens: ["\(text)"] or give an id
                """)
        }
    }
}
