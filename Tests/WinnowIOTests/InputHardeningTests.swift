import Foundation
import Testing
import WinnowCore
@testable import WinnowIO
import WinnowTestSupport

/// Inputs that are not what their name says are one clear problem each, not pages of parse errors.
@Suite struct InputHardeningTests {
    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = StreamFixtures.temporaryPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["random.jsonl.zst", "random.jsonl.gz"])
    func uncompressedContentUnderACompressedNameIsOneProblem(name: String) throws {
        var random = SplitMix64(seed: 6)
        let bytes = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        #expect(Compression(magic: bytes.prefix(4)) == .none)
        let result = try run(JSONLReader(), try write(name, bytes))
        let format = name.hasSuffix(".zst") ? "zstd" : "gzip"
        #expect(result.documents.isEmpty)
        #expect(result.problems.count == 1, "\(result.problems)")
        #expect(result.problems.first?.detail.contains("not a \(format) stream") == true, "\(result.problems)")
    }

    @Test(arguments: ["empty.jsonl.zst", "empty.warc.gz", "empty.warc.wet.gz"])
    func anEmptyCompressedFileIsAProblem(name: String) throws {
        let path = try write(name, [])
        let reader: any DocumentReader = try InputFormat.auto.resolve(path: path).reader(options: ReaderOptions())
        let result = try run(reader, path)
        #expect(result.documents.isEmpty)
        #expect(result.problems.map(\.reason) == ["corrupt_stream"], "\(result.problems)")
        #expect(result.problems.first?.detail.contains("empty") == true)
    }

    /// gzip content under a `.zst` name is still read, by its content.
    @Test func compressedContentUnderAnotherCompressionsNameIsRead() throws {
        let path = StreamFixtures.temporaryPath("renamed.warc.wet.zst")
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: StreamFixtures.sharedSample("sample-00000.warc.wet.gz")!, toPath: path)
        let result = try run(WETReader(), path)
        #expect(result.problems.isEmpty)
        #expect(result.documents.count == 331)
    }

    /// A byte order mark at the start of a JSONL line (as Windows editors write) is not part of the JSON.
    @Test func byteOrderMarkAtALineStartIsAccepted() throws {
        let path = try write("bom.jsonl", Array("\u{FEFF}{\"id\":\"a\",\"text\":\"first\"}\n\u{FEFF}{\"id\":\"b\",\"text\":\"second\"}\n".utf8))
        let result = try run(JSONLReader(), path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.documents.map(\.id) == ["a", "b"])
        #expect(result.documents.map(\.textString) == ["first", "second"])
    }

    /// A WAT file (metadata records only) says that it holds no text.
    @Test func aWATFileSaysItHoldsMetadata() throws {
        func record(_ type: String, _ id: String, _ block: String, contentType: String) -> String {
            "WARC/1.0\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <urn:uuid:\(id)>\r\nWARC-Target-URI: http://example.com/\r\n"
                + "Content-Type: \(contentType)\r\nContent-Length: \(block.utf8.count)\r\n\r\n\(block)\r\n\r\n"
        }
        let wat = record("warcinfo", "1", "software: test\r\n", contentType: "application/warc-fields")
            + record("metadata", "2", "{\"Envelope\":{}}", contentType: "application/json")
            + record("metadata", "3", "{\"Envelope\":{}}", contentType: "application/json")
        let path = try write("capture.warc.wat", Array(wat.utf8))
        let result = try run(WARCReader(), path)
        #expect(result.documents.isEmpty)
        #expect(result.problems.map(\.reason) == ["no_text_records"])
        #expect(result.problems.first?.detail.contains("WAT holds metadata") == true)
    }

    /// Files of input directories: JSONL, WARC and WET by name or by first bytes; anything else is not an input.
    @Test func recognisesInputFilesByNameOrContent() throws {
        #expect(InputFormat.recognize(path: try write("part-0", Array("\u{FEFF} {\"text\":\"x\"}\n".utf8))) == .jsonl)
        #expect(InputFormat.recognize(path: try write("readme.txt", Array("Read me first.\n".utf8))) == nil)
        #expect(InputFormat.recognize(path: try write("notes.jsonl", Array("not json".utf8))) == .jsonl)  // the name says so
        #expect(InputFormat.recognize(path: StreamFixtures.sharedSample("sample-00000.warc.wet.gz")!) == .wet)
    }
}
