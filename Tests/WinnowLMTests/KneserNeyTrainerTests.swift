import WinnowTestSupport
import Foundation
import Testing
@testable import WinnowLM

/// `KneserNeyTrainer` (winnow lm train) against hand-worked values, a direct dictionary-based estimator
/// (`NaiveKneserNey`), normalization of every context, held-out baselines, and spilling.
@Suite struct KneserNeyTrainerTests {
    /// Trains on `lines` (one sentence each) and returns the ARPA path and the summary.
    static func train(_ lines: [String], order: Int, memory: Int = 64 << 20, fallback: Bool = false,
                      in dir: String, name: String = "model.arpa") throws -> (String, KneserNeyTrainingSummary) {
        let options = KneserNeyTrainingOptions(order: order, memoryBytes: memory, temporaryDirectory: dir,
                                               discountFallback: fallback ? .fallback : nil)
        let trainer = try KneserNeyTrainer(options: options)
        for line in lines { try trainer.add(text: line) }
        let path = dir + "/" + name
        let summary = try trainer.writeARPA(to: path)
        return (path, summary)
    }

    /// The texts of the filters' golden fixture (Tests/WinnowFiltersTests/Fixtures), one line per paragraph.
    static let goldenLines: [String] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../WinnowFiltersTests/Fixtures/filters_golden.jsonl.gz").standardized.path
        guard let r = try? ProcessRunner.run("/usr/bin/env", ["gzip", "-dc", path]), r.status == 0 else { return [] }
        return r.stdoutData.split(separator: UInt8(ascii: "\n")).flatMap { line -> [String] in
            let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
            return ((object?["text"] as? String) ?? "").split(separator: "\n").map(String.init)
        }
    }()

    @Test func chenGoodmanDiscountsByHand() throws {
        // n1..n4 = 10, 4, 2, 1: Y = 10/18 = 5/9; D1 = 1 - 2(5/9)(4/10) = 5/9; D2 = 2 - 3(5/9)(2/4) = 7/6;
        // D3+ = 3 - 4(5/9)(1/2) = 17/9.
        let d = try #require(KneserNeyDiscount(countOfCounts: [10, 4, 2, 1]))
        #expect(abs(d.d1 - 5.0 / 9) < 1e-12 && abs(d.d2 - 7.0 / 6) < 1e-12 && abs(d.d3Plus - 17.0 / 9) < 1e-12)
        #expect(d.amount(forCount: 0) == 0 && d.amount(forCount: 7) == d.d3Plus)
        #expect(KneserNeyDiscount(countOfCounts: [5, 0, 1, 1]) == nil)  // no doubletons
        // n1..n4 = 10, 1, 10, 1: Y = 10/12, D2 = 2 - 3 (10/12) (10/1) = -23 < 0.
        #expect(KneserNeyDiscount(countOfCounts: [10, 1, 10, 1]) == nil)
    }

    /// Bigram model of "a a b a" / "b a a b" with the fallback discounts 0.5, 1, 1.5, worked by hand.
    @Test func tinyCorpusByHand() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, summary) = try Self.train(["a a b a", "b a a b"], order: 2, fallback: true, in: dir)
        // Bigrams (raw counts): <s> a 1, a a 2, a b 2, b a 2, a </s> 1, <s> b 1, b </s> 1.
        // Unigram adjusted counts (distinct left words): a {<s>, a, b} 3, b {a, <s>} 2, </s> {a, b} 2.
        #expect(summary.ngramCounts == [5, 7])
        #expect(summary.ordersWithFallbackDiscounts == [1, 2])
        // Unigrams: total 7; gamma = (D2 * 2 + D3 * 1) / 7 = 0.5; uniform over <unk>, </s>, a, b = 1/4.
        let pA = 1.5 / 7 + 0.5 / 4, pB = 1.0 / 7 + 0.5 / 4, pEnd = 1.0 / 7 + 0.5 / 4, pUnk = 0.5 / 4
        // Context a: {a 2, b 2, </s> 1}, total 5, gamma = (0.5 + 1 + 1) / 5 = 0.5.
        let pBgivenA = 1.0 / 5 + 0.5 * pB, pEndGivenA = 0.5 / 5 + 0.5 * pEnd
        // Context b: {a 2, </s> 1}, total 3, gamma = (1 + 0.5) / 3 = 0.5. Context <s>: {a 1, b 1}, gamma 0.5.
        let pAgivenB = 1.0 / 3 + 0.5 * pA, pAgivenStart = 0.5 / 2 + 0.5 * pA
        let arpa = try ARPADictionary(path: path)
        func expectLog(_ ngram: String, _ p: Double, backoff: Double? = nil) {
            let n = ngram.split(separator: " ").count
            guard let e = arpa.entries[n - 1][ngram] else { Issue.record("missing \(ngram)"); return }
            #expect(abs(e.prob - log10(p)) < 1e-6, "\(ngram)")
            if let backoff { #expect(abs(e.backoff - log10(backoff)) < 1e-6, "\(ngram) back-off") }
        }
        expectLog("a", pA, backoff: 0.5)
        expectLog("b", pB, backoff: 0.5)
        expectLog("</s>", pEnd, backoff: 1)
        expectLog("<unk>", pUnk, backoff: 1)
        expectLog("<s>", 1, backoff: 0.5)
        expectLog("a b", pBgivenA)
        expectLog("a </s>", pEndGivenA)
        expectLog("b a", pAgivenB)
        expectLog("<s> a", pAgivenStart)
        // Unseen bigram "b b": back-off of b (0.5) times p(b); scored by Winnow's reader.
        let model = try ARPAModel(path: path)
        let scores = model.fullScores("b b")
        #expect(abs(Double(scores[1].log10) - log10(0.5 * pB)) < 1e-5)
    }

    /// Every probability and back-off against the direct estimator, on random corpora of orders 2-5.
    @Test(arguments: [2, 3, 4, 5])
    func matchesDirectEstimator(order: Int) throws {
        var rng = SplitMix64(seed: UInt64(order) * 7919)
        let words = (0..<40).map { "w\($0)" }
        var sentences: [[String]] = []
        for _ in 0..<600 {
            let length = Int(rng.next() % 9)
            // Zipf-like choice with some bigram structure: the next word is often near the previous one.
            var s: [String] = []
            var previous = Int(rng.next() % 40)
            for _ in 0..<length {
                let r = rng.next() % 100
                let next = r < 50 ? (previous + Int(rng.next() % 3)) % 40 : Int(rng.next() % UInt64(1 + rng.next() % 40))
                s.append(words[next])
                previous = next
            }
            sentences.append(s)
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, summary) = try Self.train(sentences.map { $0.joined(separator: " ") }, order: order, fallback: true, in: dir)
        let reference = NaiveKneserNey(sentences: sentences, order: order, fallback: (0.5, 1, 1.5))
        let arpa = try ARPADictionary(path: path)
        #expect(arpa.order == order)
        for n in 1...order {
            let d = summary.discounts[n - 1], r = reference.discounts[n - 1]
            #expect(abs(d.d1 - r.0) < 1e-9 && abs(d.d2 - r.1) < 1e-9 && abs(d.d3Plus - r.2) < 1e-9, "discounts of order \(n)")
            #expect(arpa.entries[n - 1].count == reference.probabilities[n - 1].count, "\(n)-gram count")
            #expect(summary.ngramCounts[n - 1] == reference.probabilities[n - 1].count)
            var checked = 0
            for (ngram, p) in reference.probabilities[n - 1] {
                guard let e = arpa.entries[n - 1][ngram] else { Issue.record("missing \(ngram)"); continue }
                if abs(e.prob - min(0, log10(p))) > 2e-6 { Issue.record("\(ngram): \(e.prob) vs \(log10(p))") }
                let backoff = reference.backoffs[n - 1][ngram]!
                if n < order, abs(e.backoff - log10(backoff)) > 2e-6 { Issue.record("\(ngram) back-off: \(e.backoff) vs \(log10(backoff))") }
                checked += 1
            }
            #expect(checked > 0)
        }
    }

    /// Sum over the vocabulary (without <s>) of p(w | h), with back-off, for contexts of every order: seen
    /// ones taken from the model and unseen ones made up.
    @Test func everyContextSumsToOne() throws {
        let lines = Array(Self.goldenLines.prefix(1500))
        try #require(lines.count == 1500)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, _) = try Self.train(lines, order: 4, in: dir)
        let arpa = try ARPADictionary(path: path)
        let vocabulary = arpa.vocabulary.filter { $0 != "<s>" }
        var contexts: [[String]] = [[]]
        for n in 1...3 {
            let grams = arpa.entries[n - 1].keys.sorted().filter { !$0.hasSuffix("</s>") }
            for i in stride(from: 0, to: grams.count, by: max(1, grams.count / 40)) {
                contexts.append(grams[i].split(separator: " ").map(String.init))
            }
        }
        contexts.append(["never-seen", "the"])
        contexts.append(["<s>", "zzz-unknown", "of"])
        #expect(contexts.count > 100)
        for context in contexts {
            var sum = 0.0
            for w in vocabulary { sum += pow(10, arpa.log10Probability(w, context: context)) }
            #expect(abs(sum - 1) < 1e-6, "context \(context): sum \(sum)")
        }
    }

    /// Held-out perplexity (every 10th line held out) beats add-one and unsmoothed (MLE backing off to an
    /// add-one unigram) trigram baselines computed here.
    @Test func heldOutPerplexityBeatsBaselines() throws {
        let all = Self.goldenLines.filter { !$0.isEmpty }
        try #require(all.count > 2000)
        var train: [String] = [], heldOut: [String] = []
        for (i, line) in all.enumerated() { if i % 10 == 9 { heldOut.append(line) } else { train.append(line) } }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, _) = try Self.train(train, order: 3, in: dir)
        let model = try ARPAModel(path: path)
        func tokens(_ s: String) -> [String] { s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }

        // Baseline counts over the same padded sentences, OOV mapped to <unk>.
        var unigram: [String: Int] = [:], bigram: [String: Int] = [:], trigram: [String: Int] = [:]
        var vocabulary: Set<String> = ["</s>", "<unk>"]
        var totalTokens = 0
        for line in train {
            let t = ["<s>", "<s>"] + tokens(line) + ["</s>"]
            for j in 2..<t.count {
                unigram[t[j], default: 0] += 1
                bigram[t[j - 1] + " " + t[j], default: 0] += 1
                trigram[t[j - 2] + " " + t[j - 1] + " " + t[j], default: 0] += 1
                vocabulary.insert(t[j])
                totalTokens += 1
            }
        }
        var contextCount: [String: Int] = [:]
        for (g, c) in trigram { contextCount[String(g[..<g.lastIndex(of: " ")!]), default: 0] += c }
        let v = Double(vocabulary.count)
        func addOneUnigram(_ w: String) -> Double { Double((unigram[w] ?? 0) + 1) / (Double(totalTokens) + v) }

        var logKN = 0.0, logAddOne = 0.0, logMLE = 0.0, length = 0
        for line in heldOut {
            logKN += model.score(line)
            let t = ["<s>", "<s>"] + tokens(line).map { vocabulary.contains($0) ? $0 : "<unk>" } + ["</s>"]
            for j in 2..<t.count {
                let h = t[j - 2] + " " + t[j - 1], g = h + " " + t[j]
                let c = Double(trigram[g] ?? 0), ch = Double(contextCount[h] ?? 0)
                logAddOne += log10((c + 1) / (ch + v))
                logMLE += log10(c > 0 ? c / ch : addOneUnigram(t[j]))
                length += 1
            }
        }
        let ppKN = pow(10, -logKN / Double(length)), ppAddOne = pow(10, -logAddOne / Double(length))
        let ppMLE = pow(10, -logMLE / Double(length))
        #expect(ppKN < ppAddOne, "KN \(ppKN) vs add-one \(ppAddOne)")
        #expect(ppKN < ppMLE, "KN \(ppKN) vs MLE \(ppMLE)")
    }

    /// A memory budget small enough to force many sorted runs in every phase gives the same bytes.
    @Test func spilledTrainingIsByteIdentical() throws {
        let lines = Array(Self.goldenLines.prefix(3000))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (inMemory, big) = try Self.train(lines, order: 4, memory: 256 << 20, in: dir, name: "memory.arpa")
        let (spilled, small) = try Self.train(lines, order: 4, memory: 64 << 10, in: dir, name: "spilled.arpa")
        #expect(big.countRuns == 0)
        #expect(small.countRuns > 20)
        let a = try #require(FileManager.default.contents(atPath: inMemory))
        let b = try #require(FileManager.default.contents(atPath: spilled))
        #expect(a.count > 100_000)
        #expect(a == b)
    }

    @Test func specialTokensAreSkippedAndEmptyInputFails() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, summary) = try Self.train(["a <s> b", "b a </s>", "<unk> a a b"], order: 2, fallback: true, in: dir)
        #expect(summary.skippedSpecialTokens == 3)
        #expect(summary.tokens == 7)
        let arpa = try ARPADictionary(path: path)
        // The sentences are "a b", "b a" and "a a b".
        #expect(Set(arpa.entries[1].keys) == ["<s> a", "a b", "b </s>", "<s> b", "b a", "a </s>", "a a"])
        let trainer = try KneserNeyTrainer(options: KneserNeyTrainingOptions(order: 3, temporaryDirectory: dir))
        #expect(throws: LanguageModelTrainingError.self) { try trainer.writeARPA(to: dir + "/empty.arpa") }
        // Too little data for closed-form discounts and no fallback: an error naming the order.
        do {
            _ = try Self.train(["a b"], order: 2, in: dir)
            Issue.record("expected a discount error")
        } catch let e as LanguageModelTrainingError {
            #expect(e.message.contains("1-grams"))
        }
    }
}

/// `LanguageModelNormalizer` (CCNet's normalize), shared by training and scoring, on hand-worked strings.
@Suite struct LanguageModelNormalizerTests {
    func normalized(_ s: String) -> String {
        String(decoding: LanguageModelNormalizer().normalize(Array(s.utf8)), as: UTF8.self)
    }

    @Test func asciiPath() {
        #expect(normalized("The CAT\n\nsat 42") == "the cat\n\nsat 00")
        #expect(normalized("a\tb\r\nc\u{7F}d") == "ab\ncd")  // controls other than \n are dropped, as in CCNet
    }

    @Test func unicodePath() {
        // lowercase, accents stripped, digits to 0, – “ ” … replaced, the tab dropped.
        #expect(normalized("Élan VITAL, 1984 – Ça “marche”…\tOK") == "elan vital, 0000 - ca \"marche\"...ok")
        #expect(normalized("\u{663}\u{664} ١٢") == "00 00")          // Arabic-Indic digits (Nd)
        #expect(normalized("（ａ）：５") == "(ａ):0")                     // fullwidth punctuation; ５ is Nd
        #expect(normalized("İstanbul") == "istanbul")                // İ -> i + U+0307, the mark dropped
        #expect(normalized("한") == "\u{1112}\u{1161}\u{11AB}")       // stays decomposed (NFD), as in CCNet
        #expect(normalized("x\u{85}y\u{A0}z") == "xy\u{A0}z")        // C1 control dropped, NBSP kept
        #expect(normalized("naïve\nCAFÉ") == "naive\ncafe")
    }

    @Test func trainingAndScoringShareIt() throws {
        // A model trained with normalization knows "cafe" and "00"; the stage normalizes "CAFÉ 12" to them.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trainer = try KneserNeyTrainer(options: KneserNeyTrainingOptions(
            order: 2, temporaryDirectory: dir, discountFallback: .fallback, normalize: true))
        try trainer.add(text: "Café 12\nCAFÉ 34\nthé 5")
        try trainer.writeARPA(to: dir + "/n.arpa")
        let model = try ARPAModel(path: dir + "/n.arpa")
        #expect(model.id(of: "cafe") != 0 && model.id(of: "00") != 0 && model.id(of: "the") != 0 && model.id(of: "0") != 0)
        #expect(model.id(of: "Café") == 0)
        var stage = PerplexityStage(model: model, normalize: true)
        var plain = PerplexityStage(model: model, normalize: false)
        #expect(stage.perplexity(of: Array("CAFÉ 12".utf8)) < plain.perplexity(of: Array("CAFÉ 12".utf8)))
        #expect(abs(stage.perplexity(of: Array("CAFÉ 12".utf8)) - plain.perplexity(of: Array("cafe 00".utf8))) < 1e-9)
    }
}

/// The binary model form (`winnow lm build`): mapped back, it scores exactly as the ARPA it came from.
@Suite struct BinaryLanguageModelTests {
    @Test func binaryScoresEqualARPA() throws {
        let lines = KneserNeyTrainerTests.goldenLines
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (arpaPath, _) = try KneserNeyTrainerTests.train(Array(lines.prefix(2000)), order: 4, in: dir)
        let arpa = try ARPAModel(path: arpaPath)
        #expect(!arpa.isMapped)
        try arpa.writeBinary(to: dir + "/m.wlm")
        let binary = try ARPAModel(path: dir + "/m.wlm")
        #expect(binary.isMapped)
        #expect(binary.order == 4 && binary.counts == arpa.counts && binary.vocabularySize == arpa.vocabularySize)
        var tokens = 0
        for line in lines.dropFirst(1500).prefix(2000) {
            let a = arpa.fullScores(line), b = binary.fullScores(line)
            #expect(a == b, "\(line.debugDescription)")
            tokens += a.count
        }
        #expect(tokens > 20_000)
        // The stage takes either file; same document values.
        var fromARPA = PerplexityStage(model: arpa), fromBinary = PerplexityStage(model: binary)
        let text = Array(lines[2100...2120].joined(separator: "\n").utf8)
        #expect(fromARPA.perplexity(of: text) == fromBinary.perplexity(of: text))
    }

    @Test func corruptBinaryIsRejected() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let toy = try ARPAModel(path: PerplexityTests.toyPath)
        try toy.writeBinary(to: dir + "/toy.wlm")
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/toy.wlm"))
        try bytes.prefix(bytes.count - 16).write(to: URL(fileURLWithPath: dir + "/short.wlm"))
        #expect(throws: ARPAError.self) { try ARPAModel(path: dir + "/short.wlm") }
        var wrongVersion = bytes
        wrongVersion[8] = 99
        try wrongVersion.write(to: URL(fileURLWithPath: dir + "/v99.wlm"))
        #expect(throws: ARPAError.self) { try ARPAModel(path: dir + "/v99.wlm") }
        #expect(try ARPAModel(path: dir + "/toy.wlm").fullScores("the cat sat") == toy.fullScores("the cat sat"))
    }
}
