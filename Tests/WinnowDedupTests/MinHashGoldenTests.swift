import Foundation
import Testing
import WinnowCore
import WinnowIO
@testable import WinnowDedup

let dedupFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// Parity with datatrove 0.10.1's MinHash: `Fixtures/minhash_golden.json` (copied from
/// ../shared/reference) holds datatrove's permutation parameters for seed 1 and, for 12 texts under three hash
/// configurations, its simplified text, tokens, shingles, shingle hashes and 14x8 signature.
@Suite struct MinHashGoldenTests {
    struct Case {
        var precision: Int
        var function: MinHashConfiguration.HashFunction
        var text: String
        var simplified: String
        var shingles: [String]
        var firstHashes: [UInt64]
        var shingleCount: Int
        var signature: [UInt64]?
    }

    static func load() throws -> (a: [UInt64], b: [UInt64], cases: [Case]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: dedupFixtures + "/minhash_golden.json"))
        let root = try #require(try JSONParser.parse(Array(data)).objectValue)
        func numbers(_ v: JSONValue?) -> [UInt64] {
            guard let v, case .array(let items) = v else { return [] }
            return items.compactMap { item -> UInt64? in
                if case .number(let n) = item { return UInt64(n.description) }
                return nil
            }
        }
        let params = try #require(root["params_seed1_112"]?.objectValue)
        var cases: [Case] = []
        for value in root["cases"]?.arrayValue ?? [] {
            guard let c = value.objectValue else { continue }
            let config = c["hash"]?.stringValue ?? ""
            var signature: [UInt64]? = nil
            if let rows = c["signature_14x8"]?.arrayValue { signature = rows.flatMap { numbers($0) } }
            let shingles: [String] = (c["shingle_strings"]?.arrayValue ?? []).compactMap { $0.stringValue }
            cases.append(Case(
                precision: config.contains("precision=32") ? 32 : 64,
                function: config.contains("sha1") ? .sha1 : .xxhash,
                text: c["text"]?.stringValue ?? "", simplified: c["simplified"]?.stringValue ?? "",
                shingles: shingles,
                firstHashes: numbers(c["shingle_hashes_first3"]), shingleCount: c["num_shingles"]?.intValue ?? -1,
                signature: signature))
        }
        return (numbers(params["a"]), numbers(params["b"]), cases)
    }

    @Test func permutationParametersAreNumpys() throws {
        let golden = try Self.load()
        #expect(golden.a.count == 112)
        let (a, b) = MinHasher.permutationParameters(count: 112, seed: 1)
        #expect(a == golden.a)
        #expect(b == golden.b)
    }

    @Test func allCasesMatch() throws {
        let golden = try Self.load()
        #expect(golden.cases.count == 12)
        for c in golden.cases {
            var configuration = MinHashConfiguration()
            configuration.precision = c.precision
            configuration.hashFunction = c.function
            let hasher = MinHasher(configuration: configuration)
            let text = Array(c.text.utf8)
            var shingles: [String] = []
            hasher.forEachShingle(text) { shingles.append(String(decoding: $0, as: UTF8.self)) }
            #expect(String(decoding: hasher.lastSimplified, as: UTF8.self) == c.simplified, "\(c.text)")
            #expect(Array(shingles.prefix(c.shingles.count)) == c.shingles, "\(c.text)")
            let hashes = hasher.shingleHashes(text)
            #expect(hashes.count == c.shingleCount, "\(c.text)")
            #expect(Array(hashes.prefix(3)) == c.firstHashes, "\(c.precision) \(c.function) \(c.text)")
            var signature: [UInt64] = []
            let has = hasher.signature(text, into: &signature)
            #expect(has == (c.signature != nil))
            if let expected = c.signature { #expect(signature == expected, "\(c.precision) \(c.function) \(c.text)") }
        }
    }

    /// datatrove's `simplify_text` on hand-worked inputs (each expected string worked out from its rules).
    @Test(arguments: [
        ("  Hello,\tWORLD!! ", "hello world"),
        ("1,000,000 and 3.14 at 12:30", "0 0 and 0 at 0 0"),
        ("Ünïcödé — “quotes” … end", "unicode quotes end"),
        ("٣٫٥ apples", "0 apples"),
        ("a\u{00A0}b\u{3000}c", "a b c"),
    ])
    func simplifyText(input: String, expected: String) {
        #expect(String(decoding: DedupTextSimplifier().simplify(Array(input.utf8)), as: UTF8.self) == expected)
    }
}
