import Foundation
import Testing
import WinnowCore
import WinnowTestSupport
@testable import WinnowDedup

/// `decontaminate` on planted evaluation questions, worked by hand.
@Suite struct DecontaminationTests {
    static let question = "Which planet in the solar system has the largest number of confirmed moons orbiting around it as of today?"
    /// 102 characters of text unrelated to the question.
    static let filler = "Gardening in the mountains needs patience, good soil and a lot of water during the dry summer months. "

    static func stage(_ extra: [String: JSONValue] = [:]) throws -> any DocumentStage {
        let dir = try temporaryDirectory()
        try """
        {"id": "q1", "question": "\(question)", "answer": "Saturn"}
        {"id": "q2", "question": "Short question here?", "choices": ["yes", "no"]}

        """.write(toFile: dir + "/mmlu.jsonl", atomically: true, encoding: .utf8)
        try "What is the boiling point of water at sea level measured in degrees on the Celsius scale\n"
            .write(toFile: dir + "/extra.txt", atomically: true, encoding: .utf8)
        var p: [String: JSONValue] = ["eval_sets": .array([.string(dir + "/mmlu.jsonl"), .string(dir + "/extra.txt")])]
        for (k, v) in extra { p[k] = v }
        return try DecontaminationStage.factory(parameters: StageParameters(stageName: "decontaminate", p)).make()
    }

    static func run(_ stage: inout any DocumentStage, _ text: String) -> (StageDecision, Document) {
        var doc = Document(id: "d", text: text)
        var stats = StageStats(name: "decontaminate")
        let decision = stage.process(&doc, stats: &stats)
        return (decision, doc)
    }

    @Test func dropsPlantedQuestionsWithOrWithoutPunctuationChanges() throws {
        var s = try Self.stage()
        // Verbatim, after 3 fillers (306 characters): the first 13 words match at character 306.
        let (d1, doc1) = Self.run(&s, String(repeating: Self.filler, count: 3) + Self.question)
        #expect(d1 == .exclude(reason: "13-gram \"Which planet in the solar system has the largest number of confirmed moons\" of mmlu item q1 at character 306"))
        #expect(doc1.metadata["decontaminate_set"] == .string("mmlu") && doc1.metadata["decontaminate_position"] == .number(JSONNumber(306)))
        // Case, punctuation and hyphens changed: the same words.
        let changed = "WHICH planet -- in the solar-system, has the LARGEST number of confirmed moons orbiting around it (as of today)!"
        if case .exclude = Self.run(&s, Self.filler + changed).0 {} else { Issue.record("the changed question was not caught") }
        // A plain-text set: each line is an item, named by its line number.
        let (d3, _) = Self.run(&s, "what is the boiling point of water at sea level measured in degrees on the celsius scale")
        #expect(d3 == .exclude(reason: "13-gram \"what is the boiling point of water at sea level measured in degrees\" of extra item 1 at character 0"))
        // The 8th word replaced: every 13-word window of the 19-word question contains it, so nothing matches.
        let broken = Self.question.replacingOccurrences(of: "largest", with: "biggest")
        #expect(Self.run(&s, broken).0 == .keep)
        // Items shorter than 13 words ("Short question here?", "yes") match nothing; the filler alone is clean.
        #expect(Self.run(&s, "Short question here? yes no " + Self.filler).0 == .keep)
    }

    /// GPT-3's cut: the match and 200 characters each side go; pieces under 200 characters go; more than 10
    /// pieces drop the document.
    @Test func cutsWithMargin() throws {
        var s = try Self.stage(["mode": .string("cut")])
        let before = String(repeating: Self.filler, count: 5)  // 510 characters
        let after = String(repeating: Self.filler, count: 4)   // 408 characters
        let (d, doc) = Self.run(&s, before + Self.question + " " + after)
        #expect(d == .keep)
        // Matches cover the question's words; the margin takes 200 characters before "Which" and 200 after "today".
        let keptBefore = String(before.prefix(510 - 200)).trimmingCharacters(in: .whitespaces)
        let tail = " " + after  // after "today?": "?" and the space are within the margin
        let keptAfter = String(("?" + tail).dropFirst(200)).trimmingCharacters(in: .whitespaces)
        #expect(doc.textString == keptBefore + "\n" + keptAfter)
        #expect(doc.metadata["decontaminate_matches"]?.arrayValue?.count == 7)  // windows 0...6 of 19 words
        // Too little left: both pieces under 200 characters.
        if case .exclude(let reason) = Self.run(&s, Self.filler + Self.question + " " + Self.filler).0 {
            #expect(reason.hasPrefix("no piece of 200 characters left"))
        } else { Issue.record("expected an exclusion") }
        // Eleven questions between fillers of 408 characters: 12 pieces.
        let many = Array(repeating: after, count: 12).joined(separator: Self.question + " ")
        if case .exclude(let reason) = Self.run(&s, many).0 {
            #expect(reason.hasPrefix("split into 12 pieces"), "\(reason)")
        } else { Issue.record("expected an exclusion for 12 pieces") }
    }
}
