import Foundation
import Testing
import WinnowTestSupport

/// `sentence_dedup` with `near_duplicates: true`: hand-made spans repeated with a changed name, date words,
/// punctuation, in four scripts; near misses that must stay; the same files for 1/2/4 workers and after
/// `kill -9` inside tasks.
@Suite(.serialized) struct NearSpanDedupTests {
    /// Character 5-gram Jaccard similarities of the simplified windows (worked out in Python, `\w` runs kept,
    /// digits -> 0): the repeats e2/e1 0.879, d2/d1 0.871, r2/r1 0.919, z2/z1 0.87 (each shares one of 14
    /// 8-row bands with probability >= 0.996); every other window against every earlier, non-overlapping one
    /// at most 0.402 (probability of a shared band < 0.01); m1 shares one of three sentences with e1 (0.22),
    /// m2 follows e1's template with other words (0.014). o1's overlapping windows are 0.83 alike (they share
    /// a band with probability 0.97): they must not remove each other; o2 repeats o1 exactly.
    static let fixture: [[String: String]] = [
        ["id": "e1", "language": "en", "text": "Our store on the corner of Main Street opens at nine o'clock every single morning. John Smith will welcome you at the front desk with a warm smile and a cup of coffee. Parking is free for all of our customers on weekends and public holidays. Yesterday the city council finally approved the long awaited plan to rebuild the old harbour bridge with two extra lanes for bicycles."],
        ["id": "e2", "language": "en", "text": "Scientists at the northern research station measured record low temperatures during an unusually dark and windy polar winter. Our store on the corner of Main Street opens at nine o'clock every single morning. Maria Garcia will welcome you at the front desk with a warm smile and a cup of coffee. Parking is free for all of our customers on weekends and public holidays."],
        ["id": "d1", "language": "de", "text": "Die jährliche Versammlung findet am Montag um achtzehn Uhr im großen Saal des alten Rathauses statt. Alle Mitglieder des Vereins und ihre Familien sind herzlich eingeladen. Anmeldungen nehmen wir bis Ende März per Post oder telefonisch entgegen."],
        ["id": "d2", "language": "de", "text": "Die jährliche Versammlung findet am Dienstag um achtzehn Uhr im großen Saal des alten Rathauses statt. Alle Mitglieder des Vereins und ihre Familien sind herzlich eingeladen. Anmeldungen nehmen wir bis Ende April per Post oder telefonisch entgegen."],
        ["id": "r1", "language": "ru", "text": "Библиотека работает каждый день, кроме воскресенья. Читатели могут брать до пяти книг на две недели. Просим возвращать книги вовремя."],
        ["id": "r2", "language": "ru", "text": "Библиотека работает каждый день кроме воскресенья!! Читатели могут брать до пяти книг на две недели... Просим возвращать книги вовремя, пожалуйста."],
        ["id": "z1", "language": "zh", "text": "我们的图书馆每天早上八点准时开门，晚上十点关门，节假日也照常开放。张伟老师会在一楼服务台耐心地帮助每一位来访的读者查找资料。所有持卡读者都可以免费使用二楼的阅览室、自习室和公共电脑。"],
        ["id": "z2", "language": "zh", "text": "我们的图书馆每天早上八点准时开门，晚上十点关门，节假日也照常开放。李娜老师会在一楼服务台耐心地帮助每一位来访的读者查找资料。所有持卡读者都可以免费使用二楼的阅览室、自习室和公共电脑。"],
        ["id": "m1", "language": "en", "text": "Our store on the corner of Main Street opens at nine o'clock every single morning. The bakery next door sells fresh bread that was baked long before sunrise. Children under twelve ride the city tram for half the usual price."],
        ["id": "m2", "language": "en", "text": "The hotel in Paris has two hundred rooms, a pool and a large spa. Guests praise the breakfast and the view of the river from the roof. Rooms are cleaned twice a day by a friendly team."],
        ["id": "o1", "language": "en", "text": "Item one of the catalogue is on sale today at the main shop. Item two of the catalogue is on sale today at the main shop. Item three of the catalogue is on sale today at the main shop. Item four of the catalogue is on sale today at the main shop."],
        ["id": "o2", "language": "en", "text": "Item one of the catalogue is on sale today at the main shop. Item two of the catalogue is on sale today at the main shop. Item three of the catalogue is on sale today at the main shop. Item four of the catalogue is on sale today at the main shop."],
    ]

    static func text(_ id: String) -> String { fixture.first { $0["id"] == id }!["text"]! }

    @Test func nearRepeatsInFourScriptsGoNearMissesStay() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.write(Self.fixture, to: dir + "/in.jsonl")
        try SentenceDedupStepTests.runStep("sentence_dedup: {near_duplicates: true, min_words: 0, min_sentences: 0, annotate: true}",
                                           input: dir + "/in.jsonl", output: dir + "/near")
        let kept = try DedupStepTests.documents(dir + "/near/dedup/documents")
        let excluded = try DedupStepTests.documents(dir + "/near/dedup/excluded/sentence_dedup")
        // The first occurrences and the near misses, unchanged; e2 keeps only its own first sentence.
        var expected: [String: String] = [:]
        for id in ["e1", "d1", "r1", "z1", "m1", "m2", "o1"] { expected[id] = Self.text(id) }
        expected["e2"] = "Scientists at the northern research station measured record low temperatures during an unusually dark and windy polar winter."
        #expect(kept.mapValues { $0["text"] as! String } == expected)
        #expect(kept["e2"]?["sentence_dedup_removed"] as? [String] == [
            "Our store on the corner of Main Street opens at nine o'clock every single morning. Maria Garcia will welcome you at the front desk with a warm smile and a cup of coffee. Parking is free for all of our customers on weekends and public holidays."])
        // Every sentence of the repeats went: nothing is left of them.
        #expect(Set(excluded.keys) == ["d2", "r2", "z2", "o2"])
        #expect((excluded["z2"]?["filter_reason"] as? String ?? "").hasPrefix("every sentence was a duplicate"))

        // Exact spans alone (the default) find only the exact repeat.
        try SentenceDedupStepTests.runStep("sentence_dedup: {min_words: 0, min_sentences: 0}", input: dir + "/in.jsonl", output: dir + "/exact")
        let exactKept = try DedupStepTests.documents(dir + "/exact/dedup/documents")
        #expect(Set(exactKept.keys) == Set(Self.fixture.map { $0["id"]! }).subtracting(["o2"]))
        #expect(exactKept.allSatisfy { $0.value["text"] as? String == Self.text($0.key) })
    }

    @Test func nearSettingsAreCheckedAndNamed() throws {
        let dir = try temporaryDirectory()
        try SentenceDedupStepTests.write(Self.fixture, to: dir + "/in.jsonl")
        for (spec, message) in [("sentence_dedup: {near_bands: 10}", "near_bands is a setting of near_duplicates"),
                                ("sentence_dedup: {near_duplicates: true, near_threshold: 0.8, near_rows: 4}", "either near_threshold or"),
                                ("sentence_dedup: {near_duplicates: true, near_char_ngram: 0}", "near_char_ngram must be 1 or more")] {
            try DedupStepTests.pipeline(inputs: [dir + "/in.jsonl"], output: dir + "/out", run: spec)
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "-q"])
            #expect(result.status != 0 && result.stderr.contains(message), "\(spec): \(result.stderr)")
        }
    }

    /// The same files for 1, 2 and 4 workers and with or without spilled sorted runs, on template sentences
    /// ("Sentence number 12 talks about cats.") that are near duplicates of each other everywhere.
    @Test func outputIsIdenticalForAnyWorkerCount() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let inputs = try SentenceDedupStepTests.corpus(in: dir + "/in", seed: 5)
        var trees: [[String: Data]] = []
        var removed: [String] = []
        for (workers, memory) in [(1, "16KiB"), (2, "16KiB"), (4, "16KiB"), (2, "512MiB")] {
            let out = dir + "/out\(workers)-\(memory)"
            try DedupStepTests.pipeline(inputs: inputs, output: out,
                                        run: "sentence_dedup: {near_duplicates: true, near_bands: 9, near_rows: 5, memory: \(memory), dups_tasks: 3, min_words: 5, annotate: true}")
                .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml", "--workers", "\(workers)", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            let stats = try String(contentsOfFile: out + "/dedup/stats.json", encoding: .utf8)
            #expect(stats.contains("\"spilled_runs\": 0") == (memory == "512MiB"), "\(memory): \(stats)")
            removed.append(stats.components(separatedBy: "\"removed_sentences\": ").dropFirst().first?.prefix(while: \.isNumber).description ?? "")
            trees.append(try treeContents(out, excluding: { DedupStepTests.isStats($0) || $0.hasSuffix("step.json") }))
        }
        #expect(trees[0].keys.contains { $0.hasPrefix("dedup/excluded/sentence_dedup/") })
        #expect(trees[0] == trees[1])
        #expect(trees[0] == trees[2])
        #expect(trees[0] == trees[3])
        // Near duplicates remove more than exact spans on this corpus (its sentences differ by a number or a word).
        let exact = dir + "/exact"
        try DedupStepTests.pipeline(inputs: inputs, output: exact, run: "sentence_dedup: {dups_tasks: 3, min_words: 5}")
            .write(toFile: dir + "/e.yaml", atomically: true, encoding: .utf8)
        #expect(try run(try winnowExecutable(), ["run", dir + "/e.yaml", "-q"]).status == 0)
        let exactStats = try String(contentsOfFile: exact + "/dedup/stats.json", encoding: .utf8)
        let exactRemoved = exactStats.components(separatedBy: "\"removed_sentences\": ").dropFirst().first?.prefix(while: \.isNumber) ?? ""
        #expect((Int(removed[0]) ?? 0) > (Int(exactRemoved) ?? .max), "near \(removed[0]) vs exact \(exactRemoved)")
    }

    /// `kill -9` at seeded random moments inside tasks, then a rerun: the files of an uninterrupted run.
    @Test func survivesKillsInsideTasks() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        let inputs = try SentenceDedupStepTests.corpus(in: dir + "/in", seed: 11)
        let winnow = try winnowExecutable()
        let spec = "sentence_dedup: {near_duplicates: true, dups_tasks: 5, min_words: 5}"
        try DedupStepTests.pipeline(inputs: inputs, output: dir + "/ref", run: spec).write(toFile: dir + "/ref.yaml", atomically: true, encoding: .utf8)
        try DedupStepTests.pipeline(inputs: inputs, output: dir + "/out", run: spec).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try run(winnow, ["run", dir + "/ref.yaml", "--workers", "2", "-q"]).status == 0)
        let scratch = ["hashes", "dups", "filter"].map { dir + "/out/dedup/\($0)/_tmp" }
        let landed = try killRunsInsideTasks(winnow: winnow, pipeline: dir + "/p.yaml", scratch: scratch,
                                             doneMarker: dir + "/out/dedup/stats.json", seed: 17, maxDelayMilliseconds: 40)
        #expect(landed >= 2, "only \(landed) kills landed inside a task")
        let rerun = try run(winnow, ["run", dir + "/p.yaml", "--workers", "2"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try treeContents(dir + "/out", excluding: DedupStepTests.isStats) == treeContents(dir + "/ref", excluding: DedupStepTests.isStats))
    }
}
