import Foundation
import Testing
import WinnowCore
import WinnowTestSupport
@testable import WinnowDedup

/// `decontaminate` with `mode: paragraphs` (dolma's paragraph decontamination), on a fixture worked by hand:
/// paragraphs are `\n`-separated and compared byte for byte; an evaluation paragraph is indexed when it has at
/// least 13 of dolma's tokens (word-boundary segments that are not whitespace, punctuation marks included).
@Suite struct ParagraphDecontaminationTests {
    /// 13 words and a period: 14 tokens.
    static let budget = "The committee approved the new budget after a long debate on Tuesday evening."
    /// 11 words, a comma and a period: 13 tokens (indexed only because dolma counts punctuation).
    static let rain = "Rain fell on the quiet town all night, and again today."
    /// 11 words and a period: 12 tokens (not indexed).
    static let snow = "Snow covered the hills near the old farm by the river."

    static func stage(_ extra: [String: JSONValue] = [:]) throws -> (any DocumentStage, String) {
        let dir = try temporaryDirectory()
        let items: [[String: String]] = [["id": "e1", "text": budget + "\n" + snow], ["id": "e2", "question": rain]]
        try items.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) + "\n" }.joined()
            .write(toFile: dir + "/paloma.jsonl", atomically: true, encoding: .utf8)
        var p: [String: JSONValue] = ["eval_sets": .array([.string(dir + "/paloma.jsonl")]), "mode": .string("paragraphs")]
        for (k, v) in extra { p[k] = v }
        return (try DecontaminationStage.factory(parameters: StageParameters(stageName: "decontaminate", p)).make(), dir)
    }

    @Test func wholeParagraphsOfEvaluationItemsDropTheDocument() throws {
        var (s, _) = try Self.stage()
        // The budget paragraph after "Intro paragraph.\n" (17 characters).
        let (d1, doc1) = DecontaminationTests.run(&s, "Intro paragraph.\n" + Self.budget + "\nOutro.")
        #expect(d1 == .exclude(reason: "paragraph at character 17 is a paragraph of paloma item e1"))
        #expect(doc1.metadata["decontaminate_paragraph"] == .string(Self.budget) && doc1.metadata["decontaminate_item"] == .string("e1"))
        #expect(DecontaminationTests.run(&s, "Header\n" + Self.rain).0 == .exclude(reason: "paragraph at character 7 is a paragraph of paloma item e2"))
        // No normalization: without its period, in lower case, or inside a longer paragraph, it is another paragraph.
        #expect(DecontaminationTests.run(&s, String(Self.budget.dropLast())).0 == .keep)
        #expect(DecontaminationTests.run(&s, Self.budget.lowercased()).0 == .keep)
        #expect(DecontaminationTests.run(&s, "Prefix " + Self.budget).0 == .keep)
        // 12 tokens: not indexed; blank paragraphs are skipped.
        #expect(DecontaminationTests.run(&s, Self.snow).0 == .keep)
        #expect(DecontaminationTests.run(&s, "  \n\n").0 == .keep)
        // With min_paragraph_words 12 the snow paragraph is indexed too.
        var (twelve, _) = try Self.stage(["min_paragraph_words": .number(JSONNumber(12))])
        #expect(DecontaminationTests.run(&twelve, Self.snow).0 == .exclude(reason: "paragraph at character 0 is a paragraph of paloma item e1"))
    }

    /// The same from the command line: `winnow dedup decontaminate --mode paragraphs`.
    @Test func fromTheCommandLine() throws {
        let (_, dir) = try Self.stage()
        let docs: [[String: String]] = [["id": "hit", "text": "Intro\n" + Self.rain + "\nEnd"], ["id": "clean", "text": Self.snow]]
        try docs.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) + "\n" }.joined()
            .write(toFile: dir + "/train.jsonl", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["dedup", "decontaminate", dir + "/train.jsonl", "--eval-set", dir + "/paloma.jsonl",
                                                       "--mode", "paragraphs", "--output", dir + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        let excluded = try python("""
        import glob, json, sys, zstandard
        ids = []
        for p in glob.glob(sys.argv[1] + '/excluded/**/*.jsonl*', recursive=True):
            raw = open(p, 'rb').read()
            if p.endswith('.zst'): raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
            ids += [json.loads(l)['id'] for l in raw.decode().splitlines()]
        print(','.join(sorted(ids)))
        """, [dir + "/out"])
        #expect(excluded.trimmingCharacters(in: .whitespacesAndNewlines) == "hit")
    }
}
