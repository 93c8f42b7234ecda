import Foundation
import Testing
import WinnowCore
import WinnowTestSupport
@testable import WinnowIO

@Suite(.enabled(if: PyArrowReference.available)) struct ParquetWriterTests {
    /// Seeded random documents with every metadata kind, nulls and missing keys.
    static func documents(count: Int, seed: UInt64) -> [Document] {
        var rng = SplitMix64(seed: seed)
        let words = ["alpha", "βήτα", "гамма", "日本", "🙂", "e\"q", "back\\slash", "new\nline", ""]
        return (0..<count).map { i in
            let n = Int(rng.next() % 300)
            let text = (0..<n).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            var metadata: JSONObject = [:]
            metadata["url"] = i % 5 == 0 ? .null : .string("https://example.com/\(i)")
            metadata["token_count"] = .number(JSONNumber(Int(rng.next() % 100_000) - 50))
            metadata["score"] = i % 3 == 0 ? .number(JSONNumber(Int(i))) : .number(JSONNumber(Double(rng.next() % 1_000_000) / 997.0))
            if i % 4 != 1 { metadata["kept"] = .bool(rng.next() % 2 == 0) }
            metadata["tags"] = i % 2 == 0 ? .array([.string("a"), .number(JSONNumber(i))]) : .string("plain")
            metadata["big"] = .number(JSONNumber(uncheckedLiteral: "9007199254740993"))
            return Document(id: "doc-\(i)", text: text, metadata: metadata)
        }
    }

    /// pyarrow reads back every value with the inferred types; Winnow's reader gives back the documents.
    @Test(arguments: ParquetWriterCompression.allCases) func pyarrowReadsWhatWinnowWrites(compression: ParquetWriterCompression) throws {
        let dir = try scratchDirectory()
        let input = Self.documents(count: 2500, seed: 42)
        let writer = ParquetWriter(directory: dir, prefix: "part", compression: compression, rowGroupBytes: 200_000)
        for d in input { try writer.write(d) }
        try writer.close()
        #expect(writer.files == ["part.parquet"])
        let path = dir + "/part.parquet"
        let read = try JSONSerialization.jsonObject(with: Data(PyArrowReference.run(["read", path]).utf8)) as! [String: Any]
        let schema = (read["schema"] as! [[String]]).map { "\($0[0]):\($0[1])" }
        #expect(schema == ["text:string", "id:string", "url:string", "token_count:int64", "score:double", "kept:bool",
                           "tags:string", "big:int64"])
        #expect((read["num_row_groups"] as! Int) > 1)
        let rows = read["rows"] as! [[String: Any]]
        #expect(rows.count == input.count)
        for (row, document) in zip(rows, input) {
            #expect(row["text"] as? String == document.textString)
            #expect(row["id"] as? String == document.id)
            #expect((row["url"] as? String) == document.metadata["url"]?.stringValue)
            #expect((row["token_count"] as? Int) == document.metadata["token_count"]?.intValue)
            #expect((row["score"] as? String).flatMap(Double.init) == document.metadata["score"]?.doubleValue)
            #expect((row["kept"] as? Bool) == document.metadata["kept"]?.boolValue)
            #expect((row["tags"] as? String) == document.metadata["tags"].map { $0.stringValue ?? JSONWriter.string($0) })
            #expect((row["big"] as? Int) == 9007199254740993)
        }
        // And Winnow's own reader gives back the same texts, ids and metadata keys.
        let (documents, problems, _) = try readAll(path, format: .parquet)
        #expect(problems.isEmpty)
        #expect(documents.map(\.text) == input.map(\.text))
        #expect(documents.map(\.id) == input.map(\.id))
        #expect(documents[1].metadata["kept"] == .null)
        #expect(documents[2].metadata["tags"] == .string(#"["a",2]"#))
    }

    /// Statistics per column chunk, as pyarrow sees them.
    @Test func columnChunksCarryStatistics() throws {
        let dir = try scratchDirectory()
        let writer = ParquetWriter(directory: dir, prefix: "s", compression: .snappy)
        for (i, v) in [5, -3, 12].enumerated() {
            try writer.write(Document(id: "d\(i)", text: "t\(2 - i)", metadata: ["n": .number(JSONNumber(v)), "u": i == 1 ? .null : .string("x\(i)")]))
        }
        try writer.close()
        let out = try runPython("""
        import pyarrow.parquet as pq, sys, json
        g = pq.ParquetFile(sys.argv[1]).metadata.row_group(0)
        s = [g.column(i).statistics for i in range(g.num_columns)]
        print(json.dumps([[x.min, x.max, x.null_count] for x in s]))
        """, arguments: [dir + "/s.parquet"])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == #"[["t0", "t2", 0], ["d0", "d2", 0], [-3, 12, 0], ["x0", "x2", 1]]"#)
    }

    /// A later row group that does not fit the schema the first one fixed is refused with a clear error.
    @Test func laterRowsThatDoNotFitAreRefused() throws {
        let dir = try scratchDirectory()
        let writer = ParquetWriter(directory: dir, prefix: "p", rowGroupBytes: 10)
        try writer.write(Document(id: "a", text: "first row group", metadata: ["n": 1]))
        try writer.write(Document(id: "b", text: "an int fits", metadata: ["n": 2]))
        #expect(throws: ParquetSchemaMismatch.self) { try writer.write(Document(id: "c", text: "x", metadata: ["n": 2.5])) }
        #expect(throws: ParquetSchemaMismatch.self) { try writer.write(Document(id: "d", text: "x", metadata: ["new": "key"])) }
        let error = #expect(throws: ParquetSchemaMismatch.self) { try writer.write(Document(id: "e", text: "x", metadata: ["n": "s"])) }
        #expect(error?.description.contains("document 'e' has metadata 'n'") == true)
        // Within the first row group, kinds widen: int and double -> double, anything else mixed -> string.
        let schema = ParquetWriterSchema(textField: "text", idField: "id", inferringFrom: [
            Document(id: "1", text: "", metadata: ["a": 1, "b": 1, "c": true, "d": .null]),
            Document(id: "2", text: "", metadata: ["a": 1.5, "b": "s", "c": false, "d": .null]),
        ])
        #expect(schema.columns.map { "\($0.name):\($0.kind.rawValue)" } == ["a:double", "b:string", "c:boolean", "d:string"])
    }

    /// Rotation by documents: each file is complete and readable.
    @Test func rotationWritesCompleteFiles() throws {
        let dir = try scratchDirectory()
        let input = Self.documents(count: 25, seed: 3)
        let writer = ParquetWriter(directory: dir, prefix: "r", compression: .zstd, maxDocuments: 10)
        for d in input { try writer.write(d) }
        try writer.close()
        #expect(writer.files == ["r_0000.parquet", "r_0001.parquet", "r_0002.parquet"])
        var texts: [[UInt8]] = []
        for f in writer.files { texts += try readAll(dir + "/" + f, format: .parquet).documents.map(\.text) }
        #expect(texts == input.map(\.text))
    }
}
