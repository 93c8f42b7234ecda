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
