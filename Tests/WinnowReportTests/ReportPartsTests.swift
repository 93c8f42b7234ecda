import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowReport

/// The report's parts checked against independent computations: Swift's Unicode properties for the text
/// measures, a plain replacement for escaping, inclusion frequencies for the reservoir, hand-worked bins.
@Suite struct ReportPartsTests {
    /// Random strings over an alphabet of markup characters, multi-byte letters and every kind of whitespace.
    static func randomStrings(seed: UInt64, count: Int) -> [String] {
        let alphabet: [String] = ["a", "Z", "<", ">", "&", "\"", "'", "/", "é", "中", "😀", " ", "\t", "\n", "\r",
                                  "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{200B}", "\u{2028}", "\u{202F}", "\u{3000}",
                                  "</textarea>", "<script>", "x"]
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<random.next(below: 40)).map { _ in alphabet[random.next(below: alphabet.count)] }.joined() }
    }

    @Test func escapedTextHasNoMarkupAndReadsBack() {
        for s in Self.randomStrings(seed: 7, count: 500) {
            let escaped = HTMLText.escape(s)
            #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"))
            let back = escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(back == s)
        }
        #expect(HTMLText.escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    }

    @Test func charactersAndWordsMatchUnicodeProperties() {
        for s in Self.randomStrings(seed: 11, count: 500) {
            let bytes = Array(s.utf8)
            #expect(TextMeasures.characters(bytes) == s.unicodeScalars.count)
            let words = s.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }).count
            #expect(TextMeasures.words(bytes) == words, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func prefixKeepsWholeCharacters() {
        let text = Array("aé中😀b".utf8)
        #expect(HTMLText.prefix(text, characters: 3) == ("aé中", true))
        #expect(HTMLText.prefix(text, characters: 5) == ("aé中😀b", false))
        #expect(HTMLText.prefix(text, characters: 0) == ("", true))
    }

    @Test func reservoirIsBoundedDeterministicAndUniform() {
        let n = 50, k = 5, trials = 4000
        var inclusions = [Int](repeating: 0, count: n)
        for seed in 0..<UInt64(trials) {
            var r = Reservoir<Int>(capacity: k, seed: seed)
            for i in 0..<n { r.offer { i } }
            #expect(r.items.count == k && Set(r.items).count == k && r.seen == n)
            for i in r.items { inclusions[i] += 1 }
        }
        // Each item is kept with probability k/n = 0.1: 400 of 4000 expected, standard deviation about 19.
        for (i, c) in inclusions.enumerated() { #expect(abs(c - trials * k / n) < 100, "item \(i) kept \(c) times") }
        var a = Reservoir<Int>(capacity: 3, seed: 42), b = Reservoir<Int>(capacity: 3, seed: 42)
        for i in 0..<1000 { a.offer { i }; b.offer { i } }
        #expect(a.items == b.items)
        var small = Reservoir<Int>(capacity: 10, seed: 1)
        for i in 0..<4 { small.offer { i } }
        #expect(small.items == [0, 1, 2, 3])
    }

    @Test func histogramBinsByHand() {
        // Pooled 0...10 in 5 bins of width 2: [0,2) [2,4) [4,6) [6,8) [8,10]; the maximum falls in the last bin.
        let h = Histogram(before: [0, 1, 2, 9, 10], after: [5, 5, 7], scale: .linear, binCount: 5)
        #expect(h.before == [2, 1, 0, 0, 2])
        #expect(h.after == [0, 0, 2, 1, 0])
        #expect(h.edges == [0, 2, 4, 6, 8, 10])
        // Log scale: 1, 10, 100, 1000 over log10 0...3 in 3 bins.
        let g = Histogram(before: [1, 10, 100, 1000], after: [], scale: .logarithmic, binCount: 3)
        #expect(g.before == [1, 1, 2])
        #expect(abs(g.value(atEdge: 1) - 10) < 1e-9)
    }

    /// A path that is not a run directory is named for what it is, not reported as a run without steps.
    @Test func missingOrFileRunDirectoryIsNamed() throws {
        let directory = try temporaryDirectory()
        let file = directory + "/stats.json"
        try "{}".write(toFile: file, atomically: true, encoding: .utf8)
        let cases = [(directory + "/nope", "does not exist"), (file, "is a file, not a directory"), (directory, "no step directories")]
        for (path, message) in cases {
            let error = #expect(throws: ReportError.self) { try RunReport.render(runDirectory: path) }
            #expect(error?.description.contains(message) == true, "\(path): \(String(describing: error))")
        }
    }

    @Test func relativeLinks() {
        #expect(RunReport.relativePath(from: "/a/b", to: "/a/b") == ".")
        #expect(RunReport.relativePath(from: "/a/b", to: "/a/c/d") == "../c/d")
        #expect(RunReport.relativePath(from: "/a", to: "/a/run") == "run")
    }
}
