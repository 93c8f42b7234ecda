import Foundation
import Testing
import WinnowLM

/// Inputs the `arpa` and `lm_binary` fuzz targets (docs/fuzzing.md) found, kept in Fixtures/fuzz: each once
/// trapped, allocated without bound or hung; each must now be an error with a message, or load and score.
@Suite struct LMFuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    func message(_ name: String) -> String? {
        do {
            _ = try ARPAModel(path: Self.fixtures.appendingPathComponent(name).path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// `ngram 1=6666666666` sized the unigram arrays from the header (a 26 GB allocation).
    @Test func countBeyondTheFileIsAnError() throws {
        let error = try #require(message("huge-count.arpa"))
        #expect(error.contains("ngram 1=6666666666 is more n-grams than the file's"), "\(error)")
    }

    /// `ngram 2=0` followed by five 2-grams filled the 2-gram hash table, and the next insert probed forever.
    @Test func moreNGramsThanDeclaredIsAnError() throws {
        let error = try #require(message("more-ngrams-than-declared.arpa"))
        #expect(error.contains("more 2-grams than the header's 0"), "\(error)")
    }

    /// `ngram 2=0` declared a 2-gram order whose section never came: the model loaded with order 2 and no 2-gram
    /// table, and scoring a word with context indexed past the tables (trap; CI's smoke pass found it).
    /// KenLM expects a section per declared order, and so does Winnow now.
    @Test func declaredOrderWithoutItsSectionIsAnError() throws {
        let error = try #require(message("declared-order-without-section.arpa"))
        #expect(error.contains("line 10:") && error.contains("before the \\2-grams: section"), "\(error)")
        // The same model without the 2-gram declaration loads and scores.
        let fixed = try String(contentsOf: Self.fixtures.appendingPathComponent("declared-order-without-section.arpa"),
                               encoding: .utf8).replacingOccurrences(of: "ngram 2=0\n", with: "")
        let model = try ARPAModel(arpa: Array(fixed.utf8))
        #expect(model.order == 1)
        // Hand-worked: <s> is context only; "the" -1.0, </s> -1.0.
        #expect(abs(model.score("the") - (-2.0)) < 1e-6)
    }

    /// Huge digit strings in a count line overflowed the parser's integer.
    @Test func overlongCountIsAnError() throws {
        let text = "\\data\\\nngram 1=99999999999999999999999999\n\\1-grams:\n\\end\\\n"
        #expect(throws: (any Error).self) { try ARPAModel(arpa: Array(text.utf8)) }
    }

    /// A binary model (the toy model with its 3-gram table overwritten so that no slot is empty) made every
    /// lookup of a missing 3-gram probe forever. It maps (the header is valid) and scores with back-off.
    @Test func fullHashTableInABinaryModelEndsTheSearch() throws {
        let model = try ARPAModel(path: Self.fixtures.appendingPathComponent("full-table.wlm").path)
        #expect(model.isMapped)
        _ = model.score("the cat sat on the mat")
        _ = model.score("dog dog dog")
    }
}
