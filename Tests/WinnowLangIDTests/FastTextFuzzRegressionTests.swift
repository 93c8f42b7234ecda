import Foundation
import Testing
import WinnowFastText

/// Inputs the `fasttext` fuzz target (docs/fuzzing.md) found, kept in Fixtures/fuzz (mutations of a tiny
/// supervised model that `fasttext supervised` wrote).
@Suite struct FastTextFuzzRegressionTests {
    static func path(_ name: String) -> String { fixtures + "/fuzz/" + name }

    /// The error loading a fixture gives, or nil when it loads.
    func loadError(_ name: String) -> String? {
        do {
            _ = try FastTextModel(path: Self.path(name))
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A dictionary size the file cannot hold reserved memory for it before reading (a 256 GB allocation).
    @Test func dictionaryLargerThanTheFileIsAnError() throws {
        let error = try #require(loadError("huge-dictionary.bin"))
        #expect(error.contains("exceed the file's 1872 bytes"), "\(error)")
    }

    /// Word and label counts whose Int32 sum overflowed trapped in the header check.
    @Test func dictionaryCountsThatOverflowAreAnError() throws {
        let error = try #require(loadError("size-overflow.bin"))
        #expect(error.contains("bad dictionary sizes"), "\(error)")
    }

    /// A word-vector (skipgram) model whose input matrix has fewer rows than words + buckets: predicting read past
    /// the matrix (AddressSanitizer: heap-buffer-overflow), since the row check was made for supervised models only.
    @Test func inputMatrixTooSmallForTheBucketsIsAnError() throws {
        let error = try #require(loadError("short-input-matrix.bin"))
        #expect(error.contains("input matrix has"), "\(error)")
    }

    /// A hierarchical-softmax model whose label counts reach fastText's sentinel (10^15) made the Huffman tree
    /// builder read past its arrays. It loads and predicts.
    @Test func hugeLabelCountsBuildTheTree() throws {
        let model = try FastTextModel(path: Self.path("huge-label-counts.bin"))
        var predictor = FastTextPredictor(model: model)
        var results: [FastTextPrediction] = []
        Array("Hello world".utf8).withUnsafeBytes { predictor.predict($0, k: 1, into: &results) }
        #expect(results.count <= 1)
    }

    /// A model whose weights hold NaN (a one-vs-all model) trapped in the sigmoid table lookup.
    @Test func nanWeightsPredictWithoutTrapping() throws {
        let model = try FastTextModel(path: Self.path("nan-weights.bin"))
        var predictor = FastTextPredictor(model: model)
        var results: [FastTextPrediction] = []
        Array("Hello world, this is a test".utf8).withUnsafeBytes { predictor.predict($0, k: 2, into: &results) }
        #expect(results.count <= 2)
    }
}
