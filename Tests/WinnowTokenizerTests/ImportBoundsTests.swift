import Foundation
import Testing
import WinnowTokenizer

/// Bounds of the tokenizer file importers (docs/fuzzing.md): false sizes in a file are errors, never
/// allocations sized from them.
@Suite struct ImportBoundsTests {
    /// A rank of four billion in a .tiktoken file once sized the token table from it (32 GB).
    @Test func rankBeyondTheFileIsAnError() {
        let text = "IQ== 0\nIg== 4000000000\n"
        do {
            _ = try BPEVocabulary(tiktoken: Array(text.utf8), pattern: .gpt2, path: "big.tiktoken")
            Issue.record("the file loaded")
        } catch {
            #expect("\(error)" == "big.tiktoken:2: rank 4000000000 is larger than the file (23 bytes) can hold")
        }
    }

    /// Ids beyond the file in a tokenizer.json once sized the token table (vocab) or trapped converting to
    /// UInt32 (added_tokens).
    @Test func tokenizerJSONIdsBeyondTheFileAreErrors() {
        let pre = #""pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"use_regex":true}"#
        let vocab = #"{"# + pre + #","model":{"type":"BPE","vocab":{"a":0,"b":99999999999},"merges":[]}}"#
        let added = #"{"added_tokens":[{"id":99999999999,"content":"<s>"}],"# + pre + #","model":{"type":"BPE","vocab":{"a":0},"merges":[]}}"#
        for (json, message) in [(vocab, "vocab id 99999999999"), (added, "added token id 99999999999")] {
            do {
                _ = try BPEVocabulary(tokenizerJSON: Array(json.utf8), path: "t.json")
                Issue.record("the file loaded")
            } catch {
                #expect("\(error)".hasPrefix("t.json: \(message) is larger than the file (\(json.utf8.count) bytes) can hold"), "\(error)")
            }
        }
    }

    /// Ranks with gaps (below the file's size) still load: tiktoken files may leave ids free for special tokens.
    @Test func ranksWithGapsLoad() throws {
        var text = ""
        for b in 0..<256 { text += Data([UInt8(b)]).base64EncodedString() + " \(b)\n" }
        text += Data("ab".utf8).base64EncodedString() + " 300\n"
        let vocabulary = try BPEVocabulary(tiktoken: Array(text.utf8), pattern: .gpt2)
        #expect(vocabulary.id(of: Array("ab".utf8)) == 300)
    }
}
