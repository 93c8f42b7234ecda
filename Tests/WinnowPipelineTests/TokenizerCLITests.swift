import Foundation
import Testing
import WinnowTestSupport

/// `winnow tokenizer train/encode/decode` end to end: the library does the work (WinnowTokenizerTests check it
/// against HF and tiktoken); these check the commands' plumbing.
@Suite struct TokenizerCLITests {
    @Test func trainEncodeDecodeRoundTrip() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let trained = try run(winnow, ["tokenizer", "train", sample, "--vocab-size", "600", "--pattern", "llama3",
                                       "--special-token", "<|endoftext|>", "--output", dir + "/tok"])
        #expect(trained.status == 0, "\(trained.stderr)")
        for file in ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer.tiktoken", "tiktoken.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/tok/" + file), "\(file)")
        }

        // Documents: one line of ids per document, the same through tokenizer.json and the .tiktoken export.
        let viaJSON = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/tok/tokenizer.json", sample])
        #expect(viaJSON.status == 0, "\(viaJSON.stderr)")
        #expect(viaJSON.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 449 + 1)
        let viaTiktoken = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/tok/tokenizer.tiktoken", sample])
        #expect(viaTiktoken.stdout == viaJSON.stdout)

        // Plain lines round-trip through encode and decode, special-token text included.
        let text = "Hello world!\nI'm here  \n日本語テキスト <|endoftext|>\n\n\u{3000}x 12345\n"
        try text.write(toFile: dir + "/lines.txt", atomically: true, encoding: .utf8)
        let ids = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/tok/tokenizer.json", "--lines", dir + "/lines.txt"])
        #expect(ids.status == 0)
        #expect(ids.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 6)
        let decoded = try run(winnow, ["tokenizer", "decode", "--tokenizer", dir + "/tok/tokenizer.json"],
                              stdin: Data(ids.stdout.utf8))
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout == text)
    }

    @Test func unsupportedTokenizerFailsWithReason() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"model": {"type": "WordPiece", "vocab": {}}}"#.write(toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        let result = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/t.json", "--lines", dir + "/t.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("model type WordPiece is not BPE"))
    }

    /// A special token must have text: an empty one would enter the vocabulary as a token matching nothing.
    @Test func emptySpecialTokenIsRefused() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let train = try run(winnow, ["tokenizer", "train", sample, "--vocab-size", "300", "--special-token", "", "--output", dir + "/tok"])
        #expect(train.status != 0)
        #expect(train.stderr.contains("--special-token") && train.stderr.contains("is empty"), "\(train.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/tok/tokenizer.json"))
        let encode = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/t.tiktoken", "--special-token", "=5", sample])
        #expect(encode.status != 0)
        #expect(encode.stderr.contains("the token's TEXT is empty"), "\(encode.stderr)")
    }
}
