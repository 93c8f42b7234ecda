import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTestSupport
@testable import WinnowPipeline

/// `Pipelines/refilter-parquet.yaml` on a FineWeb-style Parquet file that pyarrow builds from the sample.
/// Runs when Python can import pyarrow; fails instead of skipping when `WINNOW_REQUIRE_REFERENCE=1` (CI).
enum PyArrow {
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1" { return true }
        let ok = (try? run("/usr/bin/env", ["python3", "-c", "import pyarrow"]).status) == 0
        if !ok { print("ParquetPipelineTests: skipped, Python cannot import pyarrow (pip install pyarrow)") }
        return ok
    }()
}

@Suite(.enabled(if: PyArrow.available)) struct ParquetPipelineTests {
    static let fixtureScript = repositoryRoot + "/Tests/WinnowIOTests/Fixtures/parquet_reference.py"

    @Test func refilterRecipeWritesParquetAndJSONL() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/fineweb", withIntermediateDirectories: true)
        let built = try run("/usr/bin/env", ["python3", Self.fixtureScript, "fineweb", repositoryRoot + "/Samples/sample-00000.jsonl.zst",
                                             dir + "/fineweb/000_00000.parquet"])
        #expect(built.status == 0, "\(built.stderr)")
        let winnow = try winnowExecutable()
        let result = try run(winnow, ["run", repositoryRoot + "/Pipelines/refilter-parquet.yaml", "--output", dir + "/out"], cwd: dir)
        #expect(result.status == 0, "\(result.stderr)")

        // The same stages on the sample as JSONL (the reader tested against Python's json): the Parquet
        // path must keep exactly the same documents.
        let yaml = try String(contentsOfFile: repositoryRoot + "/Pipelines/refilter-parquet.yaml", encoding: .utf8)
            .replacingOccurrences(of: "paths: [fineweb]", with: "paths: [\(repositoryRoot)/Samples/sample-00000.jsonl.zst]")
            .replacingOccurrences(of: "columns: [dump, url, date, language, language_score, token_count]", with: "")
        try yaml.write(toFile: dir + "/jsonl.yaml", atomically: true, encoding: .utf8)
        let reference = try run(winnow, ["run", dir + "/jsonl.yaml", "--output", dir + "/reference"], cwd: dir)
        #expect(reference.status == 0, "\(reference.stderr)")

        let check = try python("""
        import glob, json, sys, zstandard
        import pyarrow.parquet as pq
        out, ref = sys.argv[1], sys.argv[2]
        files = sorted(glob.glob(out + '/refilter/documents/*.parquet'))
        table = pq.read_table(files)
        schema = [(f.name, str(f.type)) for f in table.schema]
        rows = table.to_pylist()
        def jsonl(pattern):
            docs = []
            for p in sorted(glob.glob(pattern)):
                data = zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read())
                docs += [json.loads(l) for l in data.splitlines()]
            return docs
        exported = jsonl(out + '/jsonl/documents/*.jsonl.zst')
        print(json.dumps({
            'schema': schema,
            'parquet_ids': [r['id'] for r in rows],
            'parquet_equals_jsonl': [{k: v for k, v in r.items()} for r in rows] == [{k: d[k] for k in r} for r, d in zip(rows, exported)] and len(rows) == len(exported),
            'jsonl_ids': [d['id'] for d in exported],
        }))
        """, [dir + "/out", dir + "/reference"])
        let parsed = try JSONSerialization.jsonObject(with: Data(check.utf8)) as! [String: Any]
        let schema = (parsed["schema"] as! [[String]]).map { "\($0[0]):\($0[1])" }
        #expect(schema == ["text:string", "id:string", "dump:string", "url:string", "date:string", "language:string",
                           "language_score:double", "token_count:int64"])
        #expect(parsed["parquet_equals_jsonl"] as? Bool == true)
        let parquetIDs = parsed["parquet_ids"] as! [String]
        #expect(!parquetIDs.isEmpty)

        // The JSONL run's kept ids (read with Python from the reference run's output).
        let referenceIDs = try python("""
        import glob, json, sys
        import pyarrow.parquet as pq
        print(json.dumps(sorted(pq.read_table(sorted(glob.glob(sys.argv[1] + '/refilter/documents/*.parquet'))).column('id').to_pylist())))
        """, [dir + "/reference"])
        let expectedIDs = try JSONSerialization.jsonObject(with: Data(referenceIDs.utf8)) as! [String]
        #expect(parquetIDs.sorted() == expectedIDs)
    }

    /// `row_groups_per_task: 1` makes a task per row group; their outputs, in task order, are exactly the
    /// one-task run's output.
    @Test func rowGroupTasksEqualOneTask() throws {
        let dir = try temporaryDirectory()
        let parquet = dir + "/fw.parquet"
        let built = try run("/usr/bin/env", ["python3", Self.fixtureScript, "fineweb", repositoryRoot + "/Samples/sample-00000.jsonl.zst", parquet, "100"])
        #expect(built.status == 0, "\(built.stderr)")
        func runPipeline(_ perTask: Int) throws -> (texts: [String], files: Int) {
            let out = dir + "/out\(perTask)"
            let yaml = """
            name: rg
            output: \(out)
            steps:
              - name: read
                input: {paths: [\(parquet)], row_groups_per_task: \(perTask)}
                stages: [{length: {min_chars: 200}}]
                writer: {compression: none}
            """
            try yaml.write(toFile: dir + "/rg\(perTask).yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/rg\(perTask).yaml", "--workers", "2"], cwd: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let documents = out + "/read/documents"
            let files = try FileManager.default.contentsOfDirectory(atPath: documents).sorted()
            let texts = try files.map { try String(contentsOfFile: documents + "/" + $0, encoding: .utf8) }
            return (texts, files.count)
        }
        let whole = try runPipeline(0)
        let split = try runPipeline(1)
        #expect(whole.files == 1)
        #expect(split.files == 5)  // 449 rows, 100 per row group
        #expect(split.texts.joined() == whole.texts.joined())
        #expect(!whole.texts.joined().isEmpty)
    }
}

/// `input: nested:` reaches the Parquet reader's options; a value other than json or skip is refused with
/// its line.
@Suite struct ParquetNestedOptionTests {
    let step = "output: /tmp/x\nsteps:\n  - name: s\n    input:\n      paths: [/etc/hostname]\n"

    @Test func nestedIsParsed() throws {
        #expect(try PipelineLoader.parse(yaml: step, file: "p.yaml").steps[0].input.options.nested == .json)
        let skip = try PipelineLoader.parse(yaml: step + "      nested: skip\n", file: "p.yaml")
        #expect(skip.steps[0].input.options.nested == .skip)
        #expect(throws: ConfigurationError.self) { try PipelineLoader.parse(yaml: step + "      nested: flat\n", file: "p.yaml") }
        do {
            _ = try PipelineLoader.parse(yaml: step + "      nested: flat\n", file: "p.yaml")
        } catch {
            #expect("\(error)".contains("nested must be json or skip, not 'flat'"), "\(error)")
        }
    }
}
