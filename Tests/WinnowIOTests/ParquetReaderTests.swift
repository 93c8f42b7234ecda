import Foundation
import Testing
import WinnowCore
import WinnowTestSupport
@testable import WinnowIO

/// pyarrow (`pip install pyarrow`) writes the files; these tests skip without it, and fail instead when
/// `WINNOW_REQUIRE_REFERENCE=1` (CI).
enum PyArrowReference {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parquet_reference.py").path

    static let available: Bool = {
        if ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1" { return true }
        let ok = (try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import pyarrow"]).status) == 0
        if !ok { print("ParquetReaderTests: skipped, Python cannot import pyarrow (pip install pyarrow)") }
        return ok
    }()

    /// Runs the reference script; its standard output.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let output = try ProcessRunner.run("/usr/bin/env", ["python3", script] + arguments)
        guard output.status == 0 else { throw ProcessFailure("parquet_reference.py \(arguments): \(output.stderr)") }
        return output.stdout
    }

    static func expected(_ directory: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))) as! [String: Any]
    }
}

/// A document as the reference script describes it: id, text, metadata as ordered [key, value] pairs.
func documentAsJSON(_ document: Document) -> Any {
    let pairs: [Any] = document.metadata.map { entry -> Any in
        [entry.key, try! JSONSerialization.jsonObject(with: Data(JSONWriter.string(entry.value).utf8), options: .fragmentsAllowed)]
    }
    return ["id": document.id, "text": document.textString, "metadata": pairs]
}

@Suite(.enabled(if: PyArrowReference.available)) struct ParquetReaderTests {
    /// Every compression, page version, dictionary on/off, the DELTA and BYTE_STREAM_SPLIT encodings,
    /// checksums, null patterns, several row groups and pages: the documents equal pyarrow's reading.
    @Test func readsWhatPyArrowWrites() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["write", dir])
        let expected = try PyArrowReference.expected(dir)
        #expect(expected.count == 20)
        for (path, value) in expected.sorted(by: { $0.key < $1.key }) {
            let entry = value as! [String: Any]
            let (documents, problems, stats) = try readAll(path, format: try InputFormat.auto.resolve(path: path))
            let wanted = entry["documents"] as! [Any]
            #expect(documents.count == wanted.count, "\(path) \(entry["options"]!)")
            #expect(NSArray(array: documents.map(documentAsJSON)) == NSArray(array: wanted), "\(path) \(entry["options"]!)")
            // Null texts are reported, one problem per row.
            #expect(problems.allSatisfy { $0.reason == "missing_text" }, "\(problems)")
            #expect(problems.count == 300 - wanted.count)
            // Every column is read, the list of structs too.
            #expect(stats.counters["parquet_skipped_columns_nested"] == nil)
        }
    }

    /// Dictionary entries are converted once and shared by the rows that use them; a column of distinct
    /// values stops caching. Either way the documents and the count of repaired values equal those of the
    /// same table written without a dictionary (worked by hand: `src` has an invalid byte in every third
    /// row, 3,333 of 10,000, and `uniq` in one row late in the column).
    @Test func dictionaryEntriesConvertedOnceRepairsCountedPerRow() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["repeated", dir])
        var results: [[String]] = []
        for name in ["dictionary-true", "dictionary-false"] {
            let path = dir + "/\(name).parquet"
            let (documents, problems, stats) = try readAll(path, format: try InputFormat.auto.resolve(path: path))
            #expect(problems.isEmpty)
            #expect(documents.count == 10_000)
            #expect(stats.counters["replaced_invalid_utf8"] == 3_334, "\(name)")
            #expect(documents[1].metadata["src"] == .string("bad\u{FFFD}"))
            #expect(documents[2].metadata["src"] == .string("caf\u{E9}"))
            #expect(documents[9_999].metadata["src"] == .string("ok"))
            #expect(documents[9_993].metadata["uniq"] == .string("row-9993\u{FFFD}"))
            #expect(documents[4_500].metadata["uniq"] == .string("row-4500"))
            // The ids name the file; the rest must be the same.
            results.append(documents.map { $0.textString + "\t" + JSONWriter.string(.object($0.metadata)) })
        }
        #expect(results[0] == results[1])
    }

    /// `nested: skip` leaves the struct, list and map columns out of the metadata and counts them; the other
    /// columns are pyarrow's values as with `nested: json` (the default, `readsWhatPyArrowWrites`).
    @Test func nestedColumnsSkippedOnRequest() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["write", dir])
        let expected = try PyArrowReference.expected(dir)
        let nested: Set<String> = ["tags", "words", "attrs", "days", "spans", "grid", "info"]
        for path in [dir + "/v00.parquet", dir + "/v10.parquet"] {
            let entry = expected[path] as! [String: Any]
            let wanted = (entry["documents"] as! [[String: Any]]).map { document -> [String: Any] in
                var document = document
                document["metadata"] = (document["metadata"] as! [[Any]]).filter { !nested.contains($0[0] as! String) }
                return document
            }
            var options = ReaderOptions()
            options.nested = .skip
            let (documents, _, stats) = try readAll(path, options: options, format: .parquet)
            #expect(documents.count == wanted.count)
            #expect(NSArray(array: documents.map(documentAsJSON)) == NSArray(array: wanted), "\(path)")
            #expect(documents.allSatisfy { $0.metadata.allSatisfy { !nested.contains($0.key) } })
            #expect(stats.counters["parquet_skipped_columns_nested"] == 7)
            // The default reads them.
            let (all, _, _) = try readAll(path, format: .parquet)
            #expect(all.first.map { Set($0.metadata.map(\.key)).isSuperset(of: nested) } == true)
        }
    }

    /// Projection: only the named metadata columns come back, in file order.
    @Test func projectionReadsOnlyTheNamedColumns() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["write", dir])
        let path = dir + "/v00.parquet"
        var options = ReaderOptions()
        options.columns = ["lang", "url"]
        let (documents, _, _) = try readAll(path, options: options, format: .parquet)
        #expect(!documents.isEmpty)
        #expect(documents.allSatisfy { $0.metadata.map(\.key) == ["url", "lang"] })
    }

    /// Damaged row groups are reported with file, row group, column and page; the others still read.
    @Test func damagedRowGroupsAreReportedAndSkipped() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["corrupt", dir])
        let expected = try PyArrowReference.expected(dir)
        for (path, value) in expected.sorted(by: { $0.key < $1.key }) {
            let wanted = value as! [[String: Any]]
            let (documents, problems, _) = try readAll(path, format: try InputFormat.auto.resolve(path: path))
            #expect(documents.map { [$0.id, $0.textString] } == wanted.map { [$0["id"] as! String, $0["text"] as! String] }, "\(path)")
            #expect(problems.count == 1, "\(path): \(problems)")
            guard let problem = problems.first else { continue }
            #expect(problem.file == path)
            if path.hasSuffix("truncated.parquet") {
                #expect(problem.reason == "corrupt_parquet_footer")
            } else {
                #expect(problem.reason == "corrupt_parquet_page")
                #expect(problem.detail.contains("row group 1, column 'text', page"), "\(problem.detail)")
            }
            let name = URL(fileURLWithPath: path).lastPathComponent
            let cause = ["bad_snappy.parquet": "snappy", "page_past_chunk.parquet": "runs past",
                         "bad_dictionary_index.parquet": "dictionary index", "bad_checksum.parquet": "CRC",
                         "truncated.parquet": "PAR1"][name]!
            #expect(problem.detail.contains(cause), "\(problem.detail)")
        }
    }

    /// A shard written the way datatrove's ParquetWriter writes (snappy, 1000-row batches), built from the
    /// sample: every document of the sample comes back, in order.
    @Test func readsADatatroveStyleShard() throws {
        let dir = try scratchDirectory()
        let sample = StreamFixtures.sharedSample("sample-00000.jsonl.zst")!
        let path = dir + "/fineweb.parquet"
        let count = Int(try PyArrowReference.run(["fineweb", sample, path]).trimmingCharacters(in: .whitespacesAndNewlines))!
        let (documents, problems, stats) = try readAll(path, format: try InputFormat.auto.resolve(path: path))
        let original = try readAll(sample, format: .jsonl).documents
        #expect(problems.isEmpty)
        #expect(documents.count == count)
        #expect(documents.map(\.text) == original.map(\.text))
        #expect(stats.counters["parquet_row_groups"] == (count + 999) / 1000)
        #expect(documents.first?.metadata.map(\.key) == ["dump", "url", "date", "file_path", "language", "language_score", "token_count"])
    }

    /// datatrove's ParquetWriter (default adapter) writes text, id, media (a list) and metadata (a struct):
    /// the struct's fields come back as top-level metadata, the list is skipped.
    @Test func readsDatatroveWriterLayout() throws {
        let dir = try scratchDirectory()
        let path = dir + "/datatrove.parquet"
        _ = try runPython("""
        import pyarrow as pa, pyarrow.parquet as pq, sys
        rows = [{"text": "first", "id": "a", "media": [], "metadata": {"url": "https://a", "score": 0.5}},
                {"text": "second", "id": "b", "media": [], "metadata": {"url": None, "score": 2.0}}]
        pq.write_table(pa.Table.from_pylist(rows), sys.argv[1], compression="snappy")
        """, arguments: [path])
        let (documents, problems, stats) = try readAll(path, format: try InputFormat.auto.resolve(path: path))
        #expect(problems.isEmpty)
        #expect(documents.map(\.id) == ["a", "b"])
        #expect(documents.map { $0.metadata.map(\.key) } == [["url", "score"], ["url", "score"]])
        #expect(documents[0].metadata["url"] == .string("https://a"))
        #expect(documents[1].metadata["url"] == .null)
        #expect(documents[1].metadata["score"]?.doubleValue == 2.0)
        #expect(stats.counters["parquet_skipped_columns_nested"] == 1)
    }

    @Test func rowGroupRangesSplitAFile() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["corrupt", dir])
        let path = dir + "/bad_checksum.parquet"
        #expect(try ParquetReader.rowGroupCount(file: path) == 3)
        var documents: [Document] = []
        var stats = StageStats(name: "read")
        try ParquetReader(rowGroups: 2..<3).read(file: path, stats: &stats, problem: { _ in }) { documents.append($0) }
        #expect(documents.map(\.id) == (40..<60).map { "r\($0)" })
        #expect(documents.first?.provenance.offset == 40)
    }
}

/// Bad input never crashes: seeded random damage (byte flips, overwritten runs, truncation) to files
/// with every encoding and codec; the reader must return, with problems naming the file.
@Suite(.enabled(if: PyArrowReference.available)) struct ParquetDamageTests {
    @Test func randomDamageNeverCrashes() throws {
        let dir = try scratchDirectory()
        try PyArrowReference.run(["write", dir])
        var rng = SplitMix64(seed: 2020)
        var problemsSeen = 0
        for name in ["v00", "v03", "v04", "v09", "v13", "v14", "v16", "v17", "v19"] {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name).parquet")))
            for trial in 0..<40 {
                var bytes = original
                switch trial % 4 {
                case 0:  // flip bytes anywhere
                    for _ in 0..<(1 + Int(rng.next() % 8)) { bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 + rng.next() % 255) }
                case 1:  // overwrite a run in the footer
                    let footer = bytes.count - 8 - Int(UInt32(bytes[bytes.count - 8]) | UInt32(bytes[bytes.count - 7]) << 8 | UInt32(bytes[bytes.count - 6]) << 16)
                    let start = footer + Int(rng.next() % UInt64(max(bytes.count - 8 - footer, 1)))
                    for i in start..<min(start + 4, bytes.count - 8) { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
                case 2:  // overwrite a run in the data
                    let start = 4 + Int(rng.next() % UInt64(bytes.count / 2))
                    for i in start..<start + 16 { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
                default:  // truncate, keeping the footer's last 8 bytes
                    let cut = Int(rng.next() % UInt64(bytes.count - 12))
                    bytes = Array(bytes[..<cut]) + Array(bytes[(bytes.count - 8)...])
                }
                let path = "\(dir)/damaged.parquet"
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let (_, problems, _) = try readAll(path, format: .parquet)
                #expect(problems.allSatisfy { $0.file == path })
                problemsSeen += problems.count
            }
        }
        #expect(problemsSeen > 100)
    }
}
