import Foundation
import Testing
import WinnowTestSupport
import WinnowCore
@testable import WinnowIO

/// `JSONLDocumentEncoder.isEncoding`: a writer copies an input line instead of encoding its document only
/// when the line is, byte for byte, what the encoder writes. The expectation is the byte comparison itself.
@Suite struct JSONLSourceLineTests {
    /// Pieces of JSON string content: canonical ones (as `JSONWriter` writes them) and ones the writer
    /// writes differently (`\/`, `\u` escapes, invalid UTF-8 that the reader repairs).
    static let canonicalPieces = ["word", " ", "café", "日本", "\\n", "\\t", "\\r", "\\\"", "\\\\", "\\b", "\\f", "😀", "0.5"]
    static let rewrittenPieces = ["\\/", "\\u00e9", "\\u0041", "\\u0001", "\\ud83d\\ude00", "\\ud800"]

    /// Random lines, canonical and not (field order, spaces, duplicate keys, missing id, BOM, trailing CR,
    /// rewritten escapes, repaired bytes), read back with the reader: whenever `isEncoding` says yes, the
    /// encoder's output is the line; for lines the encoder wrote itself it says yes unless the text has an
    /// escape the decoder counts as rewritten (`\u0001`, which the writer also writes: a copy missed, not
    /// a wrong one).
    @Test func isEncodingOnlyWhenTheLineIsTheEncoding() throws {
        var rng = SplitMix64(seed: 0x5EED_1157)
        var lines: [[UInt8]] = []
        var canonical: [Bool] = []
        for n in 0..<3000 {
            var text = ""
            var isCanonical = true
            for _ in 0..<rng.next(below: 12) {
                if rng.next(below: 25) == 0 {
                    let piece = Self.rewrittenPieces[rng.next(below: Self.rewrittenPieces.count)]
                    text += piece
                    isCanonical = false
                } else {
                    text += Self.canonicalPieces[rng.next(below: Self.canonicalPieces.count)]
                }
            }
            var fields = ["\"id\":\"d\(n)\"", "\"text\":\"\(text)\""]
            let extras = ["\"url\":\"http:\\/\\/x\\/\(n)\"", "\"n\":1.50", "\"o\":{\"a\":[1,2]}", "\"u\":\"x\(n)\""]
            fields += extras.shuffled(using: &rng).prefix(rng.next(below: 3))  // distinct keys
            var line: String
            switch rng.next(below: 10) {
            case 0: line = "{" + fields.reversed().joined(separator: ",") + "}"; isCanonical = false
            case 1: line = "{" + fields.joined(separator: ", ") + "}"; isCanonical = false
            case 2: line = "{\"text\":\"first\"," + fields.joined(separator: ",") + "}"; isCanonical = false
            case 3: line = "{" + fields.dropFirst().joined(separator: ",") + "}"; isCanonical = false
            case 4: line = "{" + fields.joined(separator: ",") + "}\r"; isCanonical = false
            default: line = "{" + fields.joined(separator: ",") + "}"
            }
            if fields.contains(where: { $0.hasPrefix("\"url\"") }) { isCanonical = false }  // its `\/`
            var bytes = Array(line.utf8)
            if let i = bytes.firstIndex(of: 0xC3), rng.next(below: 4) == 0 { bytes[i] = 0xFF; isCanonical = false }  // invalid UTF-8
            if rng.next(below: 20) == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }  // the reader drops a BOM
            lines.append(bytes)
            canonical.append(isCanonical)
        }
        let dir = try scratchDirectory()
        let path = dir + "/lines.jsonl"
        try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: path))

        let encoder = JSONLDocumentEncoder()
        var stats = StageStats(name: "read")
        var scratch: [UInt8] = []
        var seen = 0, copies = 0, missed = 0
        try JSONLReader().read(file: path, stats: &stats, problem: { Issue.record("problem: \($0)") }) { document, line in
            var encoded: [UInt8] = []
            encoder.append(document, to: &encoded)
            encoded.removeLast()  // newline
            let same = encoded.elementsEqual(line.bytes)
            let copy = encoder.isEncoding(of: document, line: line, scratch: &scratch)
            #expect(!copy || same, "line \(seen): copied but not the encoding")
            if copy { copies += 1 }
            if same && !copy && !String(decoding: line.bytes, as: UTF8.self).contains("\\u0001") { missed += 1 }
            #expect(same || !canonical[seen], "line \(seen) was meant canonical: \(String(decoding: line.bytes, as: UTF8.self)) -> \(String(decoding: encoded, as: UTF8.self))")
            seen += 1
        }
        #expect(seen == lines.count)
        #expect(missed == 0)
        #expect(copies > 500 && copies < seen - 500, "both outcomes exercised: \(copies) of \(seen)")
    }

    /// A document changed after reading (another text, id or metadata) is not its line's encoding.
    @Test func aChangedDocumentIsNotItsLine() throws {
        let bytes = Array(#"{"id":"a","text":"one\ntwo","url":"u"}"#.utf8)
        var decoder = JSONLDocumentDecoder()
        var replacements = 0
        let document = try bytes.withUnsafeBytes { try decoder.decode($0, replacements: &replacements) }
        let verbatim = try #require(decoder.verbatimText)
        #expect(verbatim == 17..<27)
        var scratch: [UInt8] = []
        try bytes.withUnsafeBytes { raw in
            let line = JSONLSourceLine(bytes: raw, verbatimText: verbatim)
            let encoder = JSONLDocumentEncoder()
            #expect(encoder.isEncoding(of: document, line: line, scratch: &scratch))
            var changed = document
            changed.id = "b"
            #expect(!encoder.isEncoding(of: changed, line: line, scratch: &scratch))
            changed = document
            changed.metadata["url"] = .string("v")
            #expect(!encoder.isEncoding(of: changed, line: line, scratch: &scratch))
            changed = document
            changed.metadata["extra"] = .bool(true)
            #expect(!encoder.isEncoding(of: changed, line: line, scratch: &scratch))
            #expect(!encoder.isEncoding(of: document, line: JSONLSourceLine(bytes: raw, verbatimText: nil), scratch: &scratch))
        }
    }
}
