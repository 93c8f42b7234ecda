import Foundation
import Testing
import WinnowCore
import WinnowHTML
import WinnowIO

/// Winnow's main text on 25 pages of the sample WARC against the hand-made expected text in
/// `Benchmarks/Extraction/sample-main-text/` (see its README): bag-of-words F1 of lower-cased word tokens, as
/// `Benchmarks/Extraction/evaluate.py` scores it. The floor is trafilatura's mean F1 on the same pages
/// (trafilatura 2.3.1, default settings, measured by `evaluate.py`, in docs/extraction.md), so the test needs no
/// reference tool and fails when the default mode falls below trafilatura on these pages.
@Suite struct SampleMainTextTests {
    static let trafilaturaF1 = 0.945

    /// Lower-cased word tokens: runs of letters, digits and `_` (Python's `\w+`).
    static func bag(_ text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var word = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { counts[String(word).lowercased(), default: 0] += 1 }
            word.removeAll()
        }
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber:
                word.append(scalar)
            default:
                if scalar == "_" { word.append(scalar) } else { flush() }
            }
        }
        flush()
        return counts
    }

    static func f1(expected: [String: Int], got: [String: Int]) -> Double {
        let common = expected.reduce(0) { $0 + min($1.value, got[$1.key] ?? 0) }
        let p = Double(common) / Double(max(1, got.values.reduce(0, +)))
        let r = Double(common) / Double(max(1, expected.values.reduce(0, +)))
        return p + r > 0 ? 2 * p * r / (p + r) : 0
    }

    func scores(mode: ExtractionMode) throws -> [(url: String, f1: Double)] {
        let path = repositoryRoot + "/Benchmarks/Extraction/sample-main-text/expected.jsonl"
        var expected: [String: String] = [:]
        var order: [String] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
            expected[row["url"]!] = row["text"]!
            order.append(row["url"]!)
        }
        var extracted: [String: String] = [:]
        var extractor = HTMLExtractor(options: HTMLExtractionOptions(mode: mode))
        var stats = StageStats(name: "read")
        try WARCReader().read(file: repositoryRoot + "/Samples/sample-00000.warc.gz", stats: &stats, problem: { _ in }) { document in
            guard let url = document.metadata["url"]?.stringValue, expected[url] != nil, extracted[url] == nil else { return }
            extracted[url] = String(decoding: extractor.extract(document.text).text, as: UTF8.self)
        }
        return order.map { url in (url, Self.f1(expected: Self.bag(expected[url]!), got: Self.bag(extracted[url] ?? ""))) }
    }

    @Test func tokenizerAndScore() {
        #expect(Self.bag("Don't stop_me, Ünïcode 42 日本語") == ["don": 1, "t": 1, "stop_me": 1, "ünïcode": 1, "42": 1, "日本語": 1])
        // Hand-worked: expected {a:2, b:1}, got {a:1, c:1}: common 1, P 1/2, R 1/3, F1 0.4.
        #expect(abs(Self.f1(expected: ["a": 2, "b": 1], got: ["a": 1, "c": 1]) - 0.4) < 1e-9)
        #expect(Self.f1(expected: ["a": 1], got: [:]) == 0)
    }

    @Test func balancedAtLeastTrafilatura() throws {
        let results = try scores(mode: .balanced)
        #expect(results.count == 25)
        let mean = results.map(\.f1).reduce(0, +) / Double(results.count)
        let worst = results.min { $0.f1 < $1.f1 }!
        #expect(mean >= Self.trafilaturaF1, "mean F1 \(mean) below trafilatura's \(Self.trafilaturaF1); worst page \(worst.url) at \(worst.f1)")
        for r in results {
            #expect(r.f1 >= 0.5, "\(r.url): F1 \(r.f1), the main text was missed")
        }
    }
}
