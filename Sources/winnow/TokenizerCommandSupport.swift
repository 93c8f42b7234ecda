import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

/// A failure of a tokenizer command, printed as it is.
struct TokenizerToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Options naming the tokenizer to encode or decode with.
struct TokenizerFileOptions: ParsableArguments {
    @Option(help: "tokenizer.json (HF, byte-level BPE) or a .tiktoken ranks file.")
    var tokenizer: String

    @Option(help: "Split pattern of a .tiktoken file (default: from tiktoken.json beside it).")
    var pattern: SplitPattern?

    @Option(name: .customLong("special-token"),
            help: "A special token of a .tiktoken file as TEXT=ID (repeatable; default: from tiktoken.json beside it).")
    var specialTokens: [String] = []

    func validate() throws {
        for token in specialTokens {
            guard let equals = token.lastIndex(of: "="), UInt32(token[token.index(after: equals)...]) != nil else {
                throw ValidationError("--special-token \(token): expected TEXT=ID")
            }
            guard equals > token.startIndex else { throw ValidationError("--special-token \(token): the token's TEXT is empty") }
        }
    }

    func load() throws -> BPEVocabulary {
        let specials = specialTokens.map { token -> (text: String, id: UInt32) in
            let equals = token.lastIndex(of: "=")!
            return (String(token[..<equals]), UInt32(token[token.index(after: equals)...])!)
        }
        return try BPEVocabulary.load(path: tokenizer, pattern: pattern,
                                      specialTokens: specials.isEmpty ? nil : specials)
    }
}

/// Buffered standard output for the tokenizer commands.
struct StandardOutput {
    var buffer: [UInt8] = []

    mutating func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let n = write(STDOUT_FILENO, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TokenizerToolError("cannot write output: \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func append(_ id: UInt32) {
        var value = id
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(truncatingIfNeeded: value % 10) + 0x30
                value /= 10
                count += 1
            } while value > 0
            for k in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[k]) }
        }
    }
}

extension SplitPattern: ExpressibleByArgument {}
extension TokenIDLayout: ExpressibleByArgument {}
extension MergesFormat: ExpressibleByArgument {}

/// Unicode normalization choices of the tokenizer commands.
enum NormalizationChoice: String, CaseIterable, ExpressibleByArgument {
    case none, nfc, nfkc
}

/// Calls `body` with every line of `files` (plain, .gz or .zst, detected by content; `-` is standard input),
/// without its newline.
func forEachLine(_ files: [String], _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    for file in files {
        let source = try openByteSource(path: file)
        let reader = BufferedByteReader(source: source)
        while let line = try reader.nextLine(maxBytes: Int.max - 1) {
            guard case .line(let bytes, _) = line else { continue }
            try body(bytes.assumingMemoryBound(to: UInt8.self))
        }
    }
}

