import Foundation
import Testing
import WinnowTestSupport
import WinnowCore
@testable import WinnowIO

/// Reads `file` with a JSONL reader, returning documents, problems and stats.
func readAll(_ file: String, options: ReaderOptions = ReaderOptions(), format: InputFormat = .jsonl) throws -> (documents: [Document], problems: [InputProblem], stats: StageStats) {
    var documents: [Document] = []
    var problems: [InputProblem] = []
    var stats = StageStats(name: "read")
    try format.reader(options: options).read(file: file, stats: &stats, problem: { problems.append($0) }) { documents.append($0) }
    return (documents, problems, stats)
}

func scratchDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "winnow-io-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct JSONLReaderTests {
    /// Python writes one file with every kind of bad line, in each compression; the expectation is
    /// Python's reading of the same bytes.
    @Test(arguments: ["plain", "gzip", "zstd"]) func badLinesAreReportedAndSkipped(compression: String) throws {
        let dir = try scratchDirectory()
        let path = dir + "/bad.jsonl"
        let expected = try runPython("""
        import gzip, json, sys, zstandard
        lines = [b'{"id":"a","text":"first"}', b'', b'   ', b'{"id":"b","text":"caf\\xc3\\xa9 \\xff"}',
                 b'{"id":"c","text":', b'[1,2]', b'{"id":"d"}', b'{"id":"e","text":null}',
                 b'{"id":"f","text":"' + b'x' * 5000 + b'"}', b'{"text":"no id","url":"u"}',
                 b'{"id":"g","text":"crlf"}\\r', b'{"id":"h","text":"last, no newline"}']
        data = b'\\n'.join(lines)
        offsets = []
        o = 0
        for l in lines:
            offsets.append(o); o += len(l) + 1
        kind = sys.argv[2]
        raw = {'plain': data, 'gzip': gzip.compress(data), 'zstd': zstandard.ZstdCompressor().compress(data)}[kind]
        open(sys.argv[1], 'wb').write(raw)
        docs = []
        for l in lines:
            try: d = json.loads(l.decode('utf-8', 'replace'))
            except ValueError: continue
            if isinstance(d, dict) and isinstance(d.get('text'), str) and len(l) <= 1000: docs.append([d.get('id'), d['text']])
        print(json.dumps({'docs': docs, 'offsets': offsets}))
        """, arguments: [path, compression])
        let parsed = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as! [String: Any]
        let offsets = parsed["offsets"] as! [Int]

        var options = ReaderOptions()
        options.maxRecordBytes = 1000
        let (documents, problems, stats) = try readAll(path, options: options)
        let expectedDocs = (parsed["docs"] as! [[Any]]).map { [($0[0] as? String) ?? "", $0[1] as! String] }
        #expect(documents.map { [$0.id.hasPrefix(path) ? "" : $0.id, $0.textString] } == expectedDocs)
        #expect(documents.first { $0.textString == "no id" }?.id == "\(path)/9")
        #expect(problems.map(\.reason) == ["malformed_json", "malformed_json", "missing_text", "missing_text", "record_too_large"])
        #expect(problems.map(\.offset) == [4, 5, 6, 7, 8].map { Int64(offsets[$0]) })
        #expect(problems.allSatisfy { $0.file == path })
        #expect(stats.counters["blank_lines"] == 2)
        #expect(stats.counters["replaced_invalid_utf8"] == 1)
        #expect(documents.map(\.provenance.offset) == [0, 3, 9, 10, 11].map { Int64(offsets[$0]) })
    }

    @Test(arguments: ["gzip", "zstd"]) func truncatedStreamKeepsWhatCameBefore(compression: String) throws {
        let dir = try scratchDirectory()
        let path = dir + "/cut.jsonl"
        let count = try runPython("""
        import gzip, json, sys, zstandard
        lines = [json.dumps({'id': str(i), 'text': 'document %d ' % i * 50}) for i in range(2000)]
        data = ('\\n'.join(lines) + '\\n').encode()
        raw = gzip.compress(data) if sys.argv[2] == 'gzip' else zstandard.ZstdCompressor().compress(data)
        cut = raw[:len(raw) * 2 // 3]
        open(sys.argv[1], 'wb').write(cut)
        # How many whole lines the surviving bytes hold, by Python's own streaming decoder.
        if sys.argv[2] == 'gzip':
            import zlib; part = zlib.decompressobj(31).decompress(cut)
        else:
            part = zstandard.ZstdDecompressor().decompressobj().decompress(cut)
        print(part.count(b'\\n'))
        """, arguments: [path, compression])
        let (documents, problems, _) = try readAll(path)
        #expect(problems.count == 1)
        #expect(problems.first?.reason == "truncated_stream")
        // The decoder may hold back the last partial block; never more documents than whole lines.
        let whole = Int(count.trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(documents.count <= whole + 1 && documents.count >= whole - 200, "\(documents.count) vs \(whole)")
        #expect(documents.enumerated().allSatisfy { $0.element.id == String($0.offset) })
    }

    @Test func customFieldNames() throws {
        let dir = try scratchDirectory()
        let path = dir + "/c.jsonl"
        try #"{"content":"body","doc_id":17,"text":"meta"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        var options = ReaderOptions()
        options.textField = "content"
        options.idField = "doc_id"
        let (documents, problems, _) = try readAll(path, options: options)
        #expect(problems.isEmpty)
        #expect(documents.map(\.id) == ["17"] && documents[0].textString == "body" && documents[0].metadata["text"] == .string("meta"))
    }

    @Test func formatDetection() throws {
        let dir = try scratchDirectory()
        try Data("{\"text\":\"x\"}\n".utf8).write(to: URL(fileURLWithPath: dir + "/noext"))
        #expect(try InputFormat.auto.resolve(path: dir + "/noext") == .jsonl)
        try Data("WARC/1.0\r\nWARC-Type: warcinfo\r\n".utf8).write(to: URL(fileURLWithPath: dir + "/crawl"))
        #expect(try InputFormat.auto.resolve(path: dir + "/crawl") == .warc)
        #expect(try InputFormat.auto.resolve(path: "x/CC-MAIN-1.warc.wet.gz") == .wet)
        #expect(try InputFormat.auto.resolve(path: "x/CC-MAIN-1.warc.gz") == .warc)
        #expect(try InputFormat.auto.resolve(path: "x/docs.jsonl.zst") == .jsonl)
    }
}

@Suite struct JSONLWriterTests {
    @Test(arguments: [Compression.none, .gzip, .zstd]) func rotatesAndPythonReadsEveryFile(compression: Compression) throws {
        let dir = try scratchDirectory()
        let writer = JSONLWriter(directory: dir, prefix: "00007", compression: compression, maxDocuments: 3)
        for i in 0..<7 { try writer.write(Document(id: "d\(i)", text: "text \(i) \u{1F600}\n", metadata: ["i": .number(JSONNumber(i))])) }
        try writer.close()
        let suffix = compression.fileSuffix
        #expect(writer.files == ["00007_0000.jsonl\(suffix)", "00007_0001.jsonl\(suffix)", "00007_0002.jsonl\(suffix)"])
        let read = try runPython("""
        import glob, gzip, json, sys, zstandard
        out = []
        for p in sorted(glob.glob(sys.argv[1] + '/*')):
            raw = open(p, 'rb').read()
            if p.endswith('.zst'): raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
            if p.endswith('.gz'): raw = gzip.decompress(raw)
            out.append([[d['id'], d['text'], d['i']] for d in map(json.loads, raw.decode().splitlines())])
        print(json.dumps(out, ensure_ascii=False))
        """, arguments: [dir])
        let expected = "[" + [[0, 1, 2], [3, 4, 5], [6]].map { part in
            "[" + part.map { "[\"d\($0)\", \"text \($0) \u{1F600}\\n\", \($0)]" }.joined(separator: ", ") + "]"
        }.joined(separator: ", ") + "]"
        #expect(read.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    @Test func rotatesBySizeAndWritesNothingWhenEmpty() throws {
        let dir = try scratchDirectory()
        let writer = JSONLWriter(directory: dir, prefix: "00000", compression: .none, maxFileBytes: 100)
        // Each line is {"id":"dN","text":"<40 x>"} + newline: 19 + 40 + 2 + 1 = 62 bytes, so one document per 100-byte file.
        for i in 0..<3 { try writer.write(Document(id: "d\(i)", text: String(repeating: "x", count: 40))) }
        try writer.close()
        #expect(writer.files.count == 3)
        #expect((try FileManager.default.attributesOfItem(atPath: dir + "/00000_0000.jsonl")[.size] as? NSNumber)?.intValue == 62)
        let empty = JSONLWriter(directory: dir + "/none", prefix: "00001", compression: .zstd)
        try empty.close()
        #expect(!FileManager.default.fileExists(atPath: dir + "/none"))
    }
}
