import Foundation
import Testing
import WinnowTestSupport
import WinnowIO

@Suite struct ByteStreamTests {
    @Test func gzipWithSeveralMembersDecodesToTheWholeText() throws {
        let expected = try StreamFixtures.bytes("lines.txt")
        let source = try openByteSource(path: StreamFixtures.path("lines-multi-member.txt.gz"))
        #expect(source is GzipByteSource)
        #expect(try readAll(source, chunk: 777) == expected)
        let file = try StreamFixtures.bytes("lines-multi-member.txt.gz")
        #expect(source.compressedOffset == Int64(file.count))
    }

    @Test func gzipRemembersWhereMembersStart() throws {
        let source = try GzipByteSource(path: StreamFixtures.path("lines-multi-member.txt.gz"))
        source.recordsMemberBoundaries = true
        _ = try readAll(source)
        #expect(source.memberOffset(startingAt: 0) == 0)
        let second = source.memberOffset(startingAt: 10000)
        #expect(second != nil && second! > 0)
        #expect(source.memberOffset(startingAt: 10002) == nil)
    }

    @Test func zstdWithSeveralFramesAndASkippableFrame() throws {
        let source = try openByteSource(path: StreamFixtures.path("lines-multi-frame.txt.zst"))
        #expect(source is ZstdByteSource)
        #expect(try readAll(source, chunk: 1000) == StreamFixtures.bytes("lines.txt"))
    }

    @Test(arguments: ["lines-truncated.txt.gz", "lines-truncated.txt.zst"])
    func truncatedStreamsThrowTruncated(name: String) throws {
        let source = try openByteSource(path: StreamFixtures.path(name))
        var sawTruncated = false
        do {
            _ = try readAll(source)
        } catch let error as StreamError {
            if case .truncated = error { sawTruncated = true }
        }
        #expect(sawTruncated)
        // It keeps failing rather than hanging or crashing.
        #expect(throws: StreamError.self) { _ = try readAll(source) }
    }

    @Test(arguments: ["lines-corrupt.txt.gz", "lines-corrupt.txt.zst"])
    func corruptStreamsThrowCorrupt(name: String) throws {
        let source = try openByteSource(path: StreamFixtures.path(name))
        var sawCorrupt = false
        do {
            _ = try readAll(source)
        } catch let error as StreamError {
            if case .corrupt = error { sawCorrupt = true }
        }
        #expect(sawCorrupt)
    }

    @Test func compressionIsDetectedByMagicBytesNotByName() throws {
        let misnamed = StreamFixtures.temporaryPath("really-gzip.txt")
        try Data(StreamFixtures.bytes("lines-multi-member.txt.gz")).write(to: URL(fileURLWithPath: misnamed))
        let source = try openByteSource(path: misnamed)
        #expect(source is GzipByteSource)
        #expect(try readAll(source) == StreamFixtures.bytes("lines.txt"))

        let plain = try openByteSource(path: StreamFixtures.path("lines.txt"))
        #expect(plain is FileByteSource)
        let empty = try openByteSource(path: StreamFixtures.path("empty.txt"))
        #expect(try readAll(empty).isEmpty)
    }

    @Test func missingFileThrowsIOError() {
        #expect(throws: StreamError.self) { _ = try openByteSource(path: "/nonexistent/winnow/file.gz") }
    }

    @Test func compressionFromNames() {
        #expect(Compression(fileExtension: "gz") == .gzip)
        #expect(Compression(fileExtension: "ZST") == .zstd)
        #expect(Compression(fileExtension: "jsonl") == nil)
        #expect(Compression(path: "out/part-0001.jsonl.zst") == .zstd)
        #expect(Compression(path: "out/part.gz/x.jsonl") == .none)
        #expect(Compression(path: "a.warc.gz") == .gzip)
    }

    @Test(arguments: [Compression.none, .gzip, .zstd])
    func sinksRoundTrip(compression: Compression) throws {
        let path = StreamFixtures.temporaryPath("roundtrip\(compression.fileSuffix)")
        let sink = try createByteSink(path: path, compression: compression)
        var expected: [UInt8] = []
        for i in 0..<20000 {
            let line = Array("record \(i) \(String(repeating: "z", count: i % 50))\n".utf8)
            expected += line
            try line.withUnsafeBytes { try sink.write($0) }
        }
        // One write larger than the internal buffer.
        let big = [UInt8](repeating: 0x41, count: 3 << 20)
        expected += big
        try big.withUnsafeBytes { try sink.write($0) }
        try sink.close()
        #expect(sink.bytesWritten == Int64(expected.count))

        let source = try openByteSource(path: path)
        #expect(Compression(magic: try FileByteSource(path: path).prefix(4)) == compression)
        #expect(try readAll(source) == expected)
        try verifyWithPython(path, compression: compression, count: expected.count)
    }

    /// An independent check: Python's own gzip / zstandard decode what the sinks wrote.
    private func verifyWithPython(_ path: String, compression: Compression, count: Int) throws {
        let script: String
        switch compression {
        case .none: return
        case .gzip: script = "import gzip,sys; print(len(gzip.open(sys.argv[1]).read()))"
        case .zstd:
            script = "import sys,zstandard,io; print(len(zstandard.ZstdDecompressor().stream_reader(open(sys.argv[1],'rb')).read()))"
        }
        guard let output = runPython(script, path) else {  // no python3 or module: skip, unless the reference is required
            if referenceRequired { Issue.record("python3 with gzip and zstandard is needed to check \(path) (WINNOW_REQUIRE_REFERENCE=1)") }
            return
        }
        #expect(output == String(count))
    }
}

/// Runs `python3 -c script args...`; nil when Python (or a module it needs) is unavailable.
func runPython(_ script: String, _ arguments: String...) -> String? {
    (try? ProcessRunner.python(script, arguments))?.trimmingCharacters(in: .whitespacesAndNewlines)
}
