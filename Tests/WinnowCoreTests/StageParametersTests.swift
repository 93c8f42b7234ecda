import Testing
import WinnowCore

@Suite struct StageParametersTests {
    @Test func byteSizes() {
        // Hand-worked: binary units are powers of 1024, decimal ones powers of 1000.
        #expect(ByteSize.parse("4096") == 4096)
        #expect(ByteSize.parse("64KiB") == 65_536)
        #expect(ByteSize.parse("64k") == 65_536)
        #expect(ByteSize.parse("1.5MB") == 1_500_000)
        #expect(ByteSize.parse(" 2 GiB ") == 2_147_483_648)
        #expect(ByteSize.parse("1gb") == 1_000_000_000)
        #expect(ByteSize.parse("12 parsecs") == nil)
        #expect(ByteSize.parse("-1") == nil)
        #expect(ByteSize.parse("") == nil)
    }

    @Test func typedGettersAndErrors() throws {
        let p = StageParameters(stageName: "x", file: "p.yaml", line: 3, values: [
            "n": .init(value: 5, line: 4), "s": .init(value: "a", line: 5), "size": .init(value: "2KiB", line: 6),
            "list": .init(value: ["a", "b"], line: 7), "typo": .init(value: true, line: 8),
        ])
        #expect(try p.int("n", default: 0) == 5)
        #expect(try p.int("absent", default: 9) == 9)
        #expect(try p.byteSize("size", default: 0) == 2048)
        #expect(try p.stringList("list", default: []) == ["a", "b"])
        #expect(throws: ConfigurationError(location: "p.yaml:5", message: "stage 'x': s must be an integer")) { try p.int("s", default: 0) }
        #expect(throws: ConfigurationError(location: "p.yaml:5", message: "stage 'x': s must be one of b, c, not 'a'")) {
            try p.choice("s", ["b", "c"], default: "b")
        }
        #expect(throws: ConfigurationError(location: "p.yaml:8", message: "stage 'x': unknown parameter 'typo'")) { try p.finish() }
    }
}

@Suite struct StageStatsTests {
    @Test func mergeAddsAndJSONRoundTrips() {
        var a = StageStats(name: "f")
        a.documentsIn = 10; a.documentsOut = 7; a.bytesIn = 100; a.bytesOut = 70
        a.excluded["short"] = 3; a.count("c", 2); a.seconds = 0.5
        var b = StageStats(name: "f")
        b.documentsIn = 5; b.documentsOut = 5; b.excluded["long"] = 1; b.count("c"); b.seconds = 0.25
        a.merge(b)
        #expect(a.documentsIn == 15 && a.documentsOut == 12 && a.bytesIn == 100)
        #expect(a.excluded == ["short": 3, "long": 1] && a.counters == ["c": 3] && a.seconds == 0.75)
        #expect(StageStats(json: a.json) == a)
    }
}

@Suite struct JSONObjectTests {
    @Test func keepsOrderAndReplacesInPlace() {
        var o: JSONObject = ["b": 1, "a": 2]
        o["c"] = "x"
        o["b"] = 3
        o["a"] = nil
        #expect(o.map(\.key) == ["b", "c"])
        #expect(o["b"] == 3)
    }

    @Test func numbersKeepLiterals() {
        #expect(JSONNumber(42).literal == "42")
        #expect(JSONNumber(2.0).literal == "2")
        #expect(JSONNumber(0.1).literal == "0.1")
        #expect(JSONNumber(Double.nan).literal == "0")
        #expect(JSONNumber(uncheckedLiteral: "1e3").intValue == 1000)
        #expect(JSONNumber(uncheckedLiteral: "1.5").intValue == nil)
    }
}
