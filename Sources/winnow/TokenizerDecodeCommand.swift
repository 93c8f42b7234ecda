import ArgumentParser
import Foundation
import WinnowTokenizer

struct TokenizerDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode token ids (space-separated, one sequence per line) to text, one line per input line.",
        discussion: "The bytes of the tokens are written as they are, followed by a newline. Lines decoded before a bad line are written before the error is reported.")

    @OptionGroup var tokenizer: TokenizerFileOptions

    @Argument(help: "Files of ids (- or nothing: standard input).")
    var inputs: [String] = []

    func run() throws {
        try reportingErrors {
            let vocabulary = try tokenizer.load()
            var output = StandardOutput()
            var ids: [UInt32] = []
            var lineNumber = 0
            // On a bad line, what was decoded before it is still written.
            defer { try? output.flush() }
            try forEachLine(inputs.isEmpty ? ["-"] : inputs) { line in
                lineNumber += 1
                ids.removeAll(keepingCapacity: true)
                var value: UInt64 = 0
                var inNumber = false
                for b in line {
                    if b >= 0x30 && b <= 0x39 {
                        value = value * 10 + UInt64(b - 0x30)
                        inNumber = true
                        guard value <= UInt32.max else { throw TokenizerToolError("line \(lineNumber): id too large") }
                    } else if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x2C {
                        if inNumber { ids.append(UInt32(value)) }
                        value = 0
                        inNumber = false
                    } else {
                        throw TokenizerToolError("line \(lineNumber): not a list of ids")
                    }
                }
                if inNumber { ids.append(UInt32(value)) }
                try vocabulary.decode(ids, into: &output.buffer)
                output.buffer.append(0x0A)
                try output.flushIfFull()
            }
            try output.flush()
        }
    }
}
