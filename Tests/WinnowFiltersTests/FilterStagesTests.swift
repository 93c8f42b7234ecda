import Testing
import WinnowTestSupport
import WinnowCore
import WinnowFilters

@Suite struct LengthFilterTests {
    func decide(_ parameters: [String: JSONValue], _ text: String) throws -> StageDecision {
        var stage = try LengthFilter.factory(parameters: StageParameters(stageName: "length", parameters)).make()
        var document = Document(id: "d", text: text)
        var stats = StageStats(name: "length")
        return stage.process(&document, stats: &stats)
    }

    @Test func countsUnicodeScalarsLikePythonLen() throws {
        // "é中😀" is 3 scalars (Python len) in 2 + 3 + 4 = 9 UTF-8 bytes.
        #expect(try decide(["min_chars": 3], "é中😀") == .keep)
        #expect(try decide(["min_chars": 4], "é中😀") == .exclude(reason: "too_short"))
        #expect(try decide(["max_chars": 2], "é中😀") == .exclude(reason: "too_long"))
        #expect(try decide(["max_chars": 3], "é中😀") == .keep)
        #expect(try decide(["min_bytes": 10], "é中😀") == .exclude(reason: "too_short"))
        #expect(try decide(["max_bytes": "9"], "é中😀") == .keep)
        #expect(try decide(["max_bytes": 8], "é中😀") == .exclude(reason: "too_long"))
    }

    @Test func rejectsBadParameters() {
        #expect(throws: ConfigurationError.self) { try decide(["min_chars": "ten"], "") }
        #expect(throws: ConfigurationError.self) { try decide(["min_chars": 5, "max_chars": 2], "") }
        #expect(throws: ConfigurationError.self) { try decide(["minimum": 5], "") }
    }
}

@Suite struct SamplerFilterTests {
    func kept(rate: Double, seed: Int, ids: Range<Int>) throws -> Set<Int> {
        var stage = try SamplerFilter.factory(parameters: StageParameters(stageName: "sample", ["rate": .number(JSONNumber(rate)), "seed": .number(JSONNumber(seed))])).make()
        var stats = StageStats(name: "sample")
        var result = Set<Int>()
        for i in ids {
            var document = Document(id: "doc-\(i)", text: "")
            if stage.process(&document, stats: &stats) == .keep { result.insert(i) }
        }
        return result
    }

    @Test func keepsTheRequestedFractionDeterministically() throws {
        let a = try kept(rate: 0.3, seed: 1, ids: 0..<20000)
        // Binomial(20000, 0.3): standard deviation ~65, so +-400 is over six sigma.
        #expect(abs(a.count - 6000) < 400)
        #expect(try kept(rate: 0.3, seed: 1, ids: 0..<20000) == a)
        let other = try kept(rate: 0.3, seed: 2, ids: 0..<20000)
        #expect(other != a)
        // A higher rate keeps a superset: the decision is a threshold on one hash per document.
        #expect(try kept(rate: 0.6, seed: 1, ids: 0..<20000).isSuperset(of: a))
        #expect(try kept(rate: 0, seed: 1, ids: 0..<100).isEmpty)
        #expect(try kept(rate: 1, seed: 1, ids: 0..<100).count == 100)
    }
}
