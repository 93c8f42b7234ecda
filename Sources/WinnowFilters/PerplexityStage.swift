import Foundation
import WinnowCore

/// Annotates each document with its perplexity under an ARPA n-gram model, CCNet-style, and optionally
/// excludes documents outside bounds.
///
/// YAML: `- perplexity: {model: models/en.arpa, field: perplexity, min: 10, max: 1000, normalize: true}`.
/// Reasons: `perplexity_too_low`, `perplexity_too_high`.
///
/// Scoring follows CCNet's `DocLM` (cc_net/perplexity.py): the text is split into paragraphs on `\n` (every
/// paragraph counts, empty ones included); each paragraph is scored as one sentence with `<s>` and `</s>`
/// (KenLM's `model.score(line)`) and contributes its token count + 1 (for `</s>`) to the length; the
/// document's perplexity is `10^(-sum of log10 / total length)`. Tokens are separated by ASCII whitespace
/// (`NGramScorer.isSpace`), where CCNet uses Python's `str.split()`, which also splits on non-ASCII spaces.
/// CCNet rounds the value to one decimal; Winnow stores it unrounded.
///
/// `normalize: true` applies `LanguageModelNormalizer` (CCNet's `text_normalizer.normalize`: lowercase,
/// accents stripped, digits to `0`, Unicode punctuation replaced, control characters dropped) before
/// scoring, the same function `winnow lm train --normalize` applies, so the model must have been trained
/// with it. CCNet also tokenizes with SentencePiece before scoring; Winnow scores whitespace tokens as given.
public struct PerplexityStage: DocumentStage, RegisteredStage {
    public static let stageName = "perplexity"
    public static let summary = "annotate perplexity under an ARPA n-gram model (CCNet-style) and filter by bounds"

    public let field: String
    public let minimum: Double?
    public let maximum: Double?
    public let normalize: Bool
    private var scorer: NGramScorer
    private let normalizer: LanguageModelNormalizer?
    private var scratch: [UInt8] = []

    public init(model: ARPAModel, field: String = "perplexity", minimum: Double? = nil, maximum: Double? = nil,
                normalize: Bool = false) {
        self.scorer = NGramScorer(model: model)
        self.field = field
        self.minimum = minimum
        self.maximum = maximum
        self.normalize = normalize
        self.normalizer = normalize ? LanguageModelNormalizer() : nil
    }

    public static func factory(parameters p: StageParameters) throws -> StageFactory {
        guard p.has("model") else {
            throw p.error("model", "model is required: the path to an ARPA n-gram model (there is no built-in default model yet)")
        }
        let path = try p.string("model", default: "")
        let field = try p.string("field", default: "perplexity")
        let minimum = p.has("min") ? try p.double("min", default: 0) : nil
        let maximum = p.has("max") ? try p.double("max", default: 0) : nil
        let normalize = try p.bool("normalize", default: false)
        if let lo = minimum, let hi = maximum, lo > hi { throw p.error("max", "max is below min") }
        if field.isEmpty { throw p.error("field", "field must not be empty") }
        try p.finish()
        let model: ARPAModel
        do {
            model = try ARPAModel(path: path)
        } catch {
            throw p.error("model", "cannot load ARPA model '\(path)': \(error)")
        }
        return StageFactory {
            PerplexityStage(model: model, field: field, minimum: minimum, maximum: maximum, normalize: normalize)
        }
    }

    /// The document's perplexity (CCNet's combination over paragraphs).
    public mutating func perplexity(of text: [UInt8]) -> Double {
        if let normalizer {
            text.withUnsafeBufferPointer { normalizer.normalize($0, into: &scratch) }
            let buffer = scratch
            return buffer.withUnsafeBufferPointer { Self.perplexity(of: $0, scorer: &scorer) }
        }
        return text.withUnsafeBufferPointer { Self.perplexity(of: $0, scorer: &scorer) }
    }

    static func perplexity(of text: UnsafeBufferPointer<UInt8>, scorer: inout NGramScorer) -> Double {
        var logSum = 0.0
        var length = 0
        var start = 0
        let n = text.count
        while true {
            var end = start
            while end < n, text[end] != 0x0A { end += 1 }
            scorer.begin(bos: true)
            var sentence: Float = 0  // KenLM sums a sentence in float
            NGramScorer.forEachToken(UnsafeBufferPointer(rebasing: text[start..<end])) { token in
                sentence += scorer.score(token: token).log10
                length += 1
            }
            sentence += scorer.end().log10
            length += 1
            logSum += Double(sentence)
            if end >= n { break }
            start = end + 1
        }
        return pow(10.0, -logSum / Double(length))
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let value = perplexity(of: document.text)
        document.metadata[field] = .number(JSONNumber(value))
        if let lo = minimum, value < lo { return .exclude(reason: "perplexity_too_low") }
        if let hi = maximum, value > hi { return .exclude(reason: "perplexity_too_high") }
        return .keep
    }
}
