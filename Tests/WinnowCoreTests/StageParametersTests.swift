import Testing
import WinnowTestSupport
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

    static let declared: [ParameterDeclaration] = [
        .int("n", default: 1, "a count"),
        .int("absent", default: 9, "a count nobody gives"),
        .int("limit", .absent("no limit"), "an optional bound"),
        .string("s", default: "b", "a string"),
        .choice("c", ["b", "c"], default: "b", "a choice"),
        .byteSize("size", default: "1KiB", "a size"),
        .byteSize("memory", default: "4GiB", "a size written with a unit"),
        .stringList("list", default: ["x"], "a list"),
        .string("model", .required, "a model file"),
    ]

    static func given(_ extra: [String: StageParameters.Value] = [:]) -> StageParameters {
        var values: [String: StageParameters.Value] = [
            "n": .init(value: 5, line: 4), "s": .init(value: "a", line: 5), "size": .init(value: "2KiB", line: 6),
            "list": .init(value: ["a", "b"], line: 7), "model": .init(value: "m.bin", line: 8),
        ]
        values.merge(extra) { $1 }
        return StageParameters(stageName: "x", file: "p.yaml", line: 3, values: values)
    }

    @Test func gettersReturnGivenValuesOrDeclaredDefaults() throws {
        let p = Self.given()
        try p.validate(against: Self.declared)
        #expect(try p.int("n") == 5)
        #expect(try p.int("absent") == 9)
        #expect(try p.optionalInt("limit") == nil)
        #expect(try p.byteSize("size") == 2048)
        #expect(try p.byteSize("memory") == 4 << 30)  // hand-worked: 4 * 2^30
        #expect(try p.stringList("list") == ["a", "b"])
        #expect(try p.choice("c") == "b")
        #expect(p.undeclaredReads.isEmpty)
        try p.finish()
    }

    @Test func validationNamesTheLineAndTheValidKeys() throws {
        #expect(throws: ConfigurationError(location: "p.yaml:9", message: """
            stage 'x': unknown parameter 'typo' (valid: absent, c, limit, list, memory, model, n, s, size)
            """)) { try Self.given(["typo": .init(value: true, line: 9)]).validate(against: Self.declared) }
        #expect(throws: ConfigurationError(location: "p.yaml:10", message: "stage 'x': n must be an integer")) {
            try Self.given(["n": .init(value: "five", line: 10)]).validate(against: Self.declared)
        }
        #expect(throws: ConfigurationError(location: "p.yaml:11", message: "stage 'x': c must be one of b, c, not 'a'")) {
            try Self.given(["c": .init(value: "a", line: 11)]).validate(against: Self.declared)
        }
        #expect(throws: ConfigurationError(location: "p.yaml:12", message: "stage 'x': size must be a size such as 1048576, 64MiB or 1GB")) {
            try Self.given(["size": .init(value: "12 parsecs", line: 12)]).validate(against: Self.declared)
        }
        let noModel = StageParameters(stageName: "x", file: "p.yaml", line: 3, values: [:])
        #expect(throws: ConfigurationError(location: "p.yaml:3", message: "stage 'x': needs 'model': a model file")) {
            try noModel.validate(against: Self.declared)
        }
    }

    @Test func readingAnUndeclaredKeyIsABug() throws {
        let p = Self.given()
        try p.validate(against: Self.declared)
        #expect(throws: ConfigurationError.self) { try p.int("undeclared") }
        _ = p.has("also_undeclared")
        #expect(p.undeclaredReads == ["also_undeclared", "undeclared"])
        #expect(throws: ConfigurationError.self) { try p.finish() }
        // Before validation no getter works: the stage would silently miss its declared defaults.
        #expect(throws: ConfigurationError.self) { try Self.given().int("n") }
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

    /// Numbers made from values format only when asked, and compare and hash by their literal whatever
    /// they were made from (values worked by hand from the JSON grammar and Swift's shortest round-trip).
    @Test func numbersFromValuesEqualTheirLiterals() {
        let pairs: [(JSONNumber, String)] = [
            (JSONNumber(-0.0), "0"), (JSONNumber(-3.0), "-3"), (JSONNumber(0.8666396017591642), "0.8666396017591642"),
            (JSONNumber(1e15), "1000000000000000.0"), (JSONNumber(1e17), "1e+17"), (JSONNumber(-2.5e-7), "-2.5e-07"), (JSONNumber(Double.infinity), "0"),
            (JSONNumber(Int.min), "-9223372036854775808"), (JSONNumber(999_999_999_999_999.0), "999999999999999"),
        ]
        for (number, literal) in pairs {
            #expect(number.literal == literal)
            #expect(number == JSONNumber(uncheckedLiteral: literal))
            #expect(number.hashValue == JSONNumber(uncheckedLiteral: literal).hashValue)
            #expect(number.doubleValue == Double(literal)!)
        }
        #expect(JSONNumber(2.0) == JSONNumber(2))
        #expect(JSONNumber(0.5) != JSONNumber(uncheckedLiteral: "0.50"))
        #expect(JSONNumber(3) != JSONNumber(uncheckedLiteral: "3.0"))
        #expect(JSONNumber(1e15).intValue == 1_000_000_000_000_000)
        #expect(JSONNumber(1e17).intValue == nil)
        #expect(JSONNumber(0.5).intValue == nil)
        #expect(JSONValue.number(JSONNumber(7)) == 7)
    }
}
