import Foundation
import WinnowCore
import WinnowTokenizer

/// The tokenizer a shard set was encoded with, as the manifest records it: its file (copied beside the shards so
/// that the set is self-contained), the file's SHA-256, the vocabulary size and the special tokens' ids.
public struct TokenizerIdentity: Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var vocabSize: Int
    public var specialTokens: [(text: String, id: Int)]

    public static func == (a: TokenizerIdentity, b: TokenizerIdentity) -> Bool {
        a.file == b.file && a.sha256 == b.sha256 && a.vocabSize == b.vocabSize
            && a.specialTokens.map(\.text) == b.specialTokens.map(\.text) && a.specialTokens.map(\.id) == b.specialTokens.map(\.id)
    }

    init(file: String, sha256: String, vocabSize: Int, specialTokens: [(text: String, id: Int)]) {
        self.file = file
        self.sha256 = sha256
        self.vocabSize = vocabSize
        self.specialTokens = specialTokens
    }

    init(file: String, directory: String, vocabulary: BPEVocabulary) throws {
        self.file = file
        sha256 = try sha256OfFile(directory + "/" + file)
        vocabSize = vocabulary.idCount
        specialTokens = vocabulary.specialTokens.map { ($0.text, Int($0.id)) }.sorted { $0.1 < $1.1 }
    }

    /// Copies the tokenizer (and a `.tiktoken` file's `tiktoken.json`) into `directory`; returns its file name.
    static func copy(_ path: String, into directory: String) throws -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var names = [name]
        let config = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("tiktoken.json").path
        if !name.hasSuffix(".json"), FileManager.default.fileExists(atPath: config) { names.append("tiktoken.json") }
        for n in names {
            let source = n == name ? path : config
            guard let data = FileManager.default.contents(atPath: source) else { throw ShardError("cannot read tokenizer \(source)") }
            try writeWhole(Array(data), to: directory + "/" + n)
        }
        return name
    }
}

/// The SHA-256 of a file, read in 1 MiB blocks.
public func sha256OfFile(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ShardError("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var digest = SHA256Digest()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let n = read(fd, buffer.baseAddress!, buffer.count)
        if n < 0, errno == EINTR { continue }
        guard n >= 0 else { throw ShardError("cannot read \(path): \(String(cString: strerror(errno)))") }
        if n == 0 { break }
        digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
    }
    return digest.finalize()
}
