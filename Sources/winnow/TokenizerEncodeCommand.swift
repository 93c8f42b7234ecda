import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

struct TokenizerEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode documents to token ids: one line of space-separated ids per document.",
        discussion: """
        Inputs are JSONL, WARC or WET documents (plain, .gz or .zst), or with --lines plain text, one document per \
        line. Special-token text inside a document is encoded as ordinary text; no BOS/EOS is added.
        """)

    @OptionGroup var tokenizer: TokenizerFileOptions
    @OptionGroup var input: DocumentInputOptions

    @Flag(help: "Read plain text: every line (without its newline) is a document; - reads standard input.")
    var lines = false

    @Argument(help: "Input files.")
    var inputs: [String]

    func run() throws {
        try reportingErrors {
            let encoder = BPEEncoder(vocabulary: try tokenizer.load())
            var output = StandardOutput()
            var ids: [UInt32] = []
            func emit(_ text: UnsafeBufferPointer<UInt8>) throws {
                ids.removeAll(keepingCapacity: true)
                encoder.encode(text, into: &ids)
                for (k, id) in ids.enumerated() {
                    if k > 0 { output.buffer.append(0x20) }
                    output.append(id)
                }
                output.buffer.append(0x0A)
                try output.flushIfFull()
            }
            if lines {
                try forEachLine(inputs) { try emit($0) }
            } else {
                try input.read(inputs) { document in try document.text.withUnsafeBufferPointer { try emit($0) } }
            }
            try output.flush()
        }
    }
}
