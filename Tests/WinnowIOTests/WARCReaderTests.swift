import Foundation
import Testing
import WinnowCore
import WinnowIO
import WinnowTestSupport

@Suite struct WARCReaderTests {
    /// Checks documents against expectations computed by warcio (see make_stream_fixtures.py).
    private func compare(_ documents: [Document], _ expected: [[String: Any]], offsets: Bool, compressedOffsets: Bool = false) {
        #expect(documents.count == expected.count)
        for (document, want) in zip(documents, expected) {
            #expect(document.id == want["id"] as? String)
            let metadata = want["metadata"] as! [String: Any]
            for (key, value) in metadata {
                switch value {
                case let string as String:
                    #expect(document.metadata[key]?.stringValue == string, "\(key) of \(document.id)")
                case let number as NSNumber:
                    #expect(document.metadata[key]?.intValue == number.intValue, "\(key) of \(document.id)")
                default:
                    Issue.record("unexpected metadata type for \(key)")
                }
            }
            // Nothing beyond the expected keys, apart from the HTTP headers and optional WARC fields.
            var allowed: Set<String> = ["http_headers", "warc_identified_payload_type", "warc_truncated"]
            // Pages whose charset had to be detected: whether the guess was used, and the charset ICU named.
            if let detected = want["charset_detected"] as? Bool {
                #expect(document.metadata["charset_detected"]?.boolValue == detected, "charset_detected of \(document.id)")
                allowed.insert("charset_detected")
            }
            if want["charset_unchecked"] as? Bool == true || want["text_length"] == nil {
                #expect(document.metadata["charset"]?.stringValue != nil, "charset of \(document.id)")
                allowed.insert("charset")
            }
            let extra = Set(document.metadata.map(\.key)).subtracting(metadata.keys).subtracting(allowed)
            #expect(extra.isEmpty, "unexpected metadata \(extra) in \(document.id)")
            if let text = want["text"] as? String {
                #expect(document.textString == text, "text of \(document.id)")
            }
            // Detected pages of unknown actual charset come without text expectations.
            if want["text_length"] != nil {
                #expect(document.text.count == want["text_length"] as? Int, "text length of \(document.id)")
                #expect(fnv1a64(document.text) == want["text_fnv1a64"] as? String, "text of \(document.id)")
            }
            if offsets {
                let offset = Int64(want["offset"] as! Int)
                if compressedOffsets {
                    #expect(document.provenance.compressedOffset == offset, "compressed offset of \(document.id)")
                } else {
                    #expect(document.provenance.offset == offset, "offset of \(document.id)")
                }
            }
        }
    }

    @Test(arguments: ["pages.warc", "pages.warc.gz", "pages-one-member.warc.gz", "pages.warc.zst"])
    func warcioWrittenFilesMatchWarcio(name: String) throws {
        let expected = try StreamFixtures.expected()
        let result = try run(WARCReader(), StreamFixtures.path(name))
        #expect(result.problems.isEmpty, "\(result.problems)")
        // Offsets: the plain file's are decompressed offsets; per-record gzip gives member offsets.
        let reference = name == "pages.warc.gz" ? "pages.warc.gz" : "pages.warc"
        compare(result.documents, expected[reference] as! [[String: Any]], offsets: true, compressedOffsets: name == "pages.warc.gz")
        if name == "pages.warc.gz" {
            // And the decompressed offsets agree with the plain file's.
            let plain = expected["pages.warc"] as! [[String: Any]]
            #expect(result.documents.map(\.provenance.offset) == plain.map { Int64($0["offset"] as! Int) })
        } else {
            #expect(result.documents.allSatisfy { $0.provenance.compressedOffset == nil })
        }
        let skipped = expected["pages_skipped"] as! [String: Int]
        for (key, count) in skipped { #expect(result.stats.counters[key] == count, "\(key)") }
        #expect(result.stats.counters["skipped_non_text_payload"] == 1)
        #expect(result.stats.counters["skipped_empty_payload"] == 1)
        #expect(result.stats.counters["replaced_invalid_utf8"] == 3)
        #expect(result.stats.counters["charset_detected"] == 2)
        #expect(result.stats.counters["charset_detection_fallback"] == 1)  // the corrupt UTF-8 page
        #expect(result.documents.allSatisfy { $0.provenance.file == StreamFixtures.path(name) })
    }

    @Test func httpHeadersAreKeptWithRepeatedFieldsJoined() throws {
        let result = try run(WARCReader(), StreamFixtures.path("pages.warc"))
        let document = try #require(result.documents.first { $0.metadata["url"]?.stringValue == "http://example.com/crawler-decoded" })
        let headers = try #require(document.metadata["http_headers"]?.objectValue)
        #expect(headers["Set-Cookie"]?.stringValue == "a=1, b=2")
        #expect(headers["X-Crawler-Content-Encoding"]?.stringValue == "gzip")
        #expect(headers["Content-Type"]?.stringValue == "text/html; charset=utf-8")
    }

    @Test(arguments: ["bad-content-length.warc", "bad-content-length.warc.gz"])
    func wrongContentLengthIsReportedAndReadingResynchronizes(name: String) throws {
        let result = try run(WARCReader(), StreamFixtures.path(name))
        #expect(result.documents.map(\.textString) == ["first record, fine", "third record, fine", "fifth record, fine"])
        #expect(result.problems.map(\.reason) == ["bad_content_length", "bad_content_length"])
        #expect(result.problems.allSatisfy { $0.file == StreamFixtures.path(name) })
        // Problems point at the record start: the offsets of the 2nd and 4th records.
        let plain = try StreamFixtures.bytes("bad-content-length.warc")
        let starts = recordStarts(plain)
        #expect(result.problems.map(\.offset) == [starts[1], starts[3]])
    }

    @Test func missingHeadersAreReported() throws {
        let result = try run(WARCReader(), StreamFixtures.path("missing-header.warc"))
        #expect(result.documents.map(\.textString) == ["has every header", "after the defects"])
        #expect(result.problems.map(\.reason) == ["missing_header", "missing_header"])
    }

    @Test func oversizedRecordsAreSkipped() throws {
        var options = ReaderOptions()
        options.maxRecordBytes = 1000
        let result = try run(WARCReader(options: options), StreamFixtures.path("oversized.warc"))
        #expect(result.documents.map(\.textString) == ["small before", "small after"])
        #expect(result.problems.map(\.reason) == ["record_too_large"])
        #expect(result.problems.first?.offset == recordStarts(try StreamFixtures.bytes("oversized.warc"))[1])
    }

    @Test func garbageBetweenRecordsIsReported() throws {
        let result = try run(WARCReader(), StreamFixtures.path("garbage.warc"))
        #expect(result.documents.map(\.textString) == ["after garbage", "after more junk"])
        #expect(result.problems.map(\.reason) == ["invalid_record", "invalid_record"])
        #expect(result.problems.first?.offset == 0)
    }

    @Test func lfOnlyLineEndsAreAccepted() throws {
        let result = try run(WARCReader(), StreamFixtures.path("lf-only.warc"))
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.documents.map(\.textString) == ["LF only line ends", "second LF record"])
        #expect(result.documents.first?.metadata["http_status"]?.intValue == 200)
        #expect(result.stats.counters["skipped_record:warcinfo"] == 1)
    }

    @Test func truncatedGzipKeepsEarlierRecords() throws {
        let result = try run(WARCReader(), StreamFixtures.path("truncated.warc.gz"))
        #expect(result.documents.map(\.textString) == (1...3).map { "record \($0) of a truncated file" })
        #expect(result.problems.map(\.reason) == ["truncated_stream"])
    }

    @Test func corruptGzipMemberIsSkipped() throws {
        let result = try run(WARCReader(), StreamFixtures.path("corrupt-member.warc.gz"))
        let texts = result.documents.map(\.textString)
        #expect(texts.first == "before the corrupt member")
        #expect(texts.last == "well after the corrupt member")
        #expect(!texts.contains { $0.contains("corrupt member corrupt") })
        #expect(result.problems.first?.reason == "corrupt_stream")
    }

    @Test func decompressedLimitStopsTheFile() throws {
        var options = ReaderOptions()
        options.maxDecompressedBytes = 3000
        let result = try run(WARCReader(options: options), StreamFixtures.path("pages.warc.gz"))
        let plain = try StreamFixtures.expected()["pages.warc"] as! [[String: Any]]
        #expect(result.documents.count == plain.filter { ($0["offset"] as! Int) < 3000 }.count)
        #expect(result.problems.map(\.reason) == ["decompressed_limit"])
    }

    @Test(arguments: ["sample.wet", "sample.wet.gz"])
    func wetConversionRecordsMatchWarcio(name: String) throws {
        let expected = try StreamFixtures.expected()["sample.wet"] as! [[String: Any]]
        let result = try run(WETReader(), StreamFixtures.path(name))
        #expect(result.problems.isEmpty)
        compare(result.documents, expected, offsets: true)
        #expect(result.stats.counters["skipped_record:warcinfo"] == 1)
        #expect(result.stats.counters["replaced_invalid_utf8"] == 1)
    }

    @Test func wetRecordsInAWARCAreSkippedAndViceVersa() throws {
        let warc = try run(WARCReader(), StreamFixtures.path("sample.wet"))
        #expect(warc.documents.isEmpty)
        #expect(warc.stats.counters["skipped_record:conversion"] == 3)
        let wet = try run(WETReader(), StreamFixtures.path("pages.warc"))
        #expect(wet.documents.isEmpty)
        #expect(wet.stats.counters["skipped_record:response"] == 15)
    }

    @Test func missingFileThrows() {
        #expect(throws: (any Error).self) { _ = try run(WARCReader(), "/nonexistent/file.warc.gz") }
    }

    // MARK: The shared Common Crawl-style sample, compared with warcio's reading of it

    @Test(arguments: ["sample-00000.warc.gz", "sample-00000.warc.wet.gz"])
    func sharedSampleMatchesWarcio(name: String) throws {
        guard let path = StreamFixtures.sharedSample(name) else { return }  // no ../shared: nothing to compare
        let expectedPath = StreamFixtures.temporaryPath(name + ".expected.json")
        // With the truth file, pages whose charset must be detected are expected in their actual charset.
        let truth = Self.truthPath(besides: path)
        guard runPython("import runpy,sys; sys.argv=[sys.argv[1],'--expect']+sys.argv[2:]; runpy.run_path(sys.argv[0])",
                        Self.fixtureScript, path, expectedPath, truth) != nil
        else {
            Issue.record("python3 with warcio is needed to compute the expectation for \(name)")
            return
        }
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expectedPath))) as! [[String: Any]]
        let isWET = name.contains(".wet")
        let result = isWET ? try run(WETReader(), path) : try run(WARCReader(), path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        compare(result.documents, expected, offsets: true, compressedOffsets: true)
        if !isWET {
            // The planted truncated capture (WARC-Truncated: length) is kept and marked.
            #expect(result.documents.contains { $0.metadata["warc_truncated"]?.stringValue == "length" })
            #expect(result.stats.counters["skipped_record:request"] == 352)
        }
    }

    /// Every response of the sample whose actual charset (the sample's truth) differs from the declared
    /// one, or that declares none, reads exactly as Python decodes its body in the actual charset.
    @Test func sampleCharsetDetectionMatchesTruth() throws {
        guard let path = StreamFixtures.sharedSample("sample-00000.warc.gz") else { return }
        let expectedPath = StreamFixtures.temporaryPath("sample-00000.truth-texts.json")
        guard runPython("import runpy,sys; sys.argv=[sys.argv[1],'--truth-texts']+sys.argv[2:]; runpy.run_path(sys.argv[0])",
                        Self.fixtureScript, path, Self.truthPath(besides: path), expectedPath) != nil
        else {
            Issue.record("python3 with warcio is needed to decode the sample's pages")
            return
        }
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expectedPath))) as! [[String: Any]]
        let result = try run(WARCReader(), path)
        let byID = Dictionary(result.documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(expected.count == 8)
        var exact = 0
        for want in expected {
            let id = want["id"] as! String
            let document = try #require(byID[id], "document \(id)")
            let label = "\(want["url"]!) (declared \(want["declared"] ?? "nothing"), actually \(want["actual"]!))"
            #expect(document.metadata["charset_detected"]?.boolValue == true, "charset_detected of \(label)")
            #expect(document.textString == want["text"] as? String, "text of \(label), read as \(document.metadata["charset"]?.stringValue ?? "?")")
            if document.textString == want["text"] as? String { exact += 1 }
        }
        #expect(exact == expected.count, "\(exact) of \(expected.count) pages read as in their actual charset")
        #expect(result.stats.counters["charset_detected"] == expected.count)
        #expect(result.stats.counters["replaced_invalid_utf8"] == nil)
    }

    private static var fixtureScript: String {
        StreamFixtures.directory.deletingLastPathComponent().appendingPathComponent("make_stream_fixtures.py").path
    }

    /// The truth file of a sample file (`truth/warc.truth.jsonl` in its folder).
    private static func truthPath(besides sample: String) -> String {
        URL(fileURLWithPath: sample).deletingLastPathComponent().appendingPathComponent("truth/warc.truth.jsonl").path
    }

    /// Offsets of lines starting `WARC/1.` (a naive scan for the tests).
    private func recordStarts(_ bytes: [UInt8]) -> [Int64] {
        var starts: [Int64] = []
        let marker = Array("WARC/1.".utf8)
        var lineStart = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            if Array(bytes[lineStart..<min(lineStart + marker.count, bytes.count)]) == marker { starts.append(Int64(lineStart)) }
            lineStart = i + 1
        }
        return starts
    }
}

/// A Content-Length that runs past the end of the file costs that record only: for records of the shared
/// sample in turn (every sixth from a seeded start, and the last three; all of them take minutes in a debug
/// build), its length is rewritten to 99999999 and the documents read must be warcio's reading of the
/// original file without that record, with one `bad_content_length` problem.
@Suite struct ContentLengthResynchronizationTests {
    @Test(arguments: ["sample-00000.warc.gz", "sample-00000.warc.wet.gz"])
    func everyRecordWithALengthPastTheEnd(name: String) throws {
        guard let path = StreamFixtures.sharedSample(name) else { return }
        let fixtures = StreamFixtures.directory.deletingLastPathComponent()
        let expectedPath = StreamFixtures.temporaryPath(name + ".resync-expected.json")
        let mutationsPath = StreamFixtures.temporaryPath(name + ".mutations.json")
        guard runPython("import runpy,sys; sys.argv=[sys.argv[1],'--expect']+sys.argv[2:]; runpy.run_path(sys.argv[0])",
                        fixtures.appendingPathComponent("make_stream_fixtures.py").path, path, expectedPath) != nil,
              runPython("import runpy,sys; sys.argv=sys.argv[1:]; runpy.run_path(sys.argv[0])",
                        fixtures.appendingPathComponent("mutate_content_lengths.py").path, path, mutationsPath) != nil
        else {
            Issue.record("python3 with warcio is needed to compute the expectation for \(name)")
            return
        }
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expectedPath))) as! [[String: Any]]
        let mutations = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: mutationsPath))) as! [[String: Any]]
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let isWET = name.contains(".wet")
        let signature: ([String: Any]) -> String = { "\($0["id"]!) \($0["text_length"] ?? "-") \($0["text_fnv1a64"] ?? "-")" }
        let expectedSignatures = expected.map(signature)
        #expect(mutations.count > expected.count)
        var random = SplitMix64(seed: 19)
        let start = Int(random.next() % 6)
        let chosen = mutations.indices.filter { ($0 - start) % 6 == 0 || $0 >= mutations.count - 3 }
        var failures = 0
        for mutation in chosen.map({ mutations[$0] }) {
            let id = mutation["id"] as? String ?? ""
            var file = original.prefix(mutation["start"] as! Int)
            file.append(Data(base64Encoded: mutation["member"] as! String)!)
            file.append(original.suffix(from: mutation["end"] as! Int))
            let mutatedPath = StreamFixtures.temporaryPath("mutated-" + name)
            try file.write(to: URL(fileURLWithPath: mutatedPath))
            let result = isWET ? try run(WETReader(), mutatedPath) : try run(WARCReader(), mutatedPath)
            // The sample holds records with the same id: the one dropped is the one at the mutated member.
            let want = zip(expected, expectedSignatures).filter { $0.0["offset"] as? Int != mutation["start"] as? Int }.map(\.1)
            let got = result.documents.map { document in
                let known = expected.first { $0["id"] as? String == document.id }
                let hashed = known?["text_length"] != nil
                return "\(document.id) \(hashed ? String(document.text.count) : "-") \(hashed ? fnv1a64(document.text) : "-")"
            }
            let reasons = result.problems.map(\.reason)
            if got != want || reasons != ["bad_content_length"] {
                failures += 1
                Issue.record("\(mutation["type"] ?? "?") record \(id) at \(mutation["start"]!): \(got.count) documents (want \(want.count)), problems \(result.problems)")
                if failures > 3 { return }
            }
        }
    }
}
