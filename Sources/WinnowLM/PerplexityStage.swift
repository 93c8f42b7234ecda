import Foundation
import WinnowCore

/// Annotates each document with its perplexity under an ARPA n-gram model, CCNet-style, and optionally
/// excludes documents outside bounds.
///
/// YAML: `- perplexity: {model: models/en.arpa, field: perplexity, min: 10, max: 1000, normalize: true,
/// cutoffs: [300, 900]}`. Without `model`, the built-in model of `language` (default `en`,
/// `DefaultLanguageModels`) is used, with `normalize` on by default. `model` may be ARPA or Winnow's binary
/// form. With `cutoffs: [head_max, middle_max]`, CCNet's bucket (`head`, `middle`, `tail`) goes to
/// `bucket_field` (default `bucket`). Reasons: `perplexity_too_low`, `perplexity_too_high`.
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
    public static let summary = "annotate perplexity under an n-gram model (CCNet-style; built-in English model), bucket and filter by bounds"

    public let field: String
    public let minimum: Double?
    public let maximum: Double?
    public let normalize: Bool
    /// CCNet's head/middle/tail cutoffs (perplexity upper bounds of head and middle), when bucketing.
    public let cutoffs: (head: Double, middle: Double)?
    public let bucketField: String
    private var scorer: NGramScorer
    private let normalizer: LanguageModelNormalizer?
    private var scratch: [UInt8] = []

    public init(model: ARPAModel, field: String = "perplexity", minimum: Double? = nil, maximum: Double? = nil,
                normalize: Bool = false, cutoffs: (Double, Double)? = nil, bucketField: String = "bucket") {
        self.scorer = NGramScorer(model: model)
        self.field = field
        self.minimum = minimum
        self.maximum = maximum
        self.normalize = normalize
        self.normalizer = normalize ? LanguageModelNormalizer() : nil
        self.cutoffs = cutoffs.map { (head: $0.0, middle: $0.1) }
        self.bucketField = bucketField
    }

    public static let parameters: [ParameterDeclaration] = [
        .string("model", .absent("the built-in model of language"), "an n-gram model: ARPA or Winnow's binary form (winnow lm build)"),
        .string("language", default: "en", "the built-in model used when model is not given"),
        .string("field", default: "perplexity", "the metadata key the perplexity is written to"),
        .double("min", .absent("none"), "exclude documents below this perplexity (perplexity_too_low)"),
        .double("max", .absent("none"), "exclude documents above this perplexity (perplexity_too_high)"),
        .bool("normalize", .absent("true with a built-in model, else false"), "normalize the text as CCNet does before scoring"),
        .raw("cutoffs", shape: "[head_max, middle_max]", .absent("none"), "write CCNet's head/middle/tail bucket to bucket_field"),
        .string("bucket_field", default: "bucket", "the metadata key of the bucket"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let language = try p.string("language")
        let path = try p.optionalString("model")
        let field = try p.string("field")
        let minimum = try p.optionalDouble("min")
        let maximum = try p.optionalDouble("max")
        // The built-in models are trained on normalized text, so normalization is on by default with them.
        let normalize = try p.optionalBool("normalize") ?? (path == nil)
        let bucketField = try p.string("bucket_field")
        var cutoffs: (Double, Double)? = nil
        if let raw = try p.value("cutoffs") {
            guard let list = raw.arrayValue, list.count == 2, let head = list[0].doubleValue, let middle = list[1].doubleValue,
                  head <= middle else {
                throw p.error("cutoffs", "cutoffs must be two increasing perplexities [head_max, middle_max]")
            }
            cutoffs = (head, middle)
        }
        if let lo = minimum, let hi = maximum, lo > hi { throw p.error("max", "max is below min") }
        if field.isEmpty { throw p.error("field", "field must not be empty") }
        if bucketField.isEmpty { throw p.error("bucket_field", "bucket_field must not be empty") }
        let model: ARPAModel
        if let path {
            do {
                model = try ARPAModel(path: path)
            } catch {
                throw p.error("model", "cannot load the n-gram model '\(path)' (ARPA or binary): \(error)")
            }
        } else {
            do {
                guard let builtIn = try DefaultLanguageModels.model(language: language) else {
                    throw p.error("language", """
                        no built-in model for language '\(language)' (built in: \(DefaultLanguageModels.languages.joined(separator: ", "))); \
                        give model: PATH (ARPA or binary, see winnow lm train)
                        """)
                }
                model = builtIn
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw p.error("model", "cannot load the built-in model: \(error)")
            }
        }
        let bucketCutoffs = cutoffs
        return StageFactory {
            PerplexityStage(model: model, field: field, minimum: minimum, maximum: maximum, normalize: normalize,
                            cutoffs: bucketCutoffs, bucketField: bucketField)
        }
    }

    /// CCNet's bucket for a perplexity: `head` below the first cutoff, `middle` below the second, else `tail`.
    public static func bucket(_ perplexity: Double, cutoffs: (head: Double, middle: Double)) -> String {
        perplexity < cutoffs.head ? "head" : perplexity < cutoffs.middle ? "middle" : "tail"
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
            let sentence = scorer.scoreLine(UnsafeBufferPointer(rebasing: text[start..<end]))  // a float sum, as KenLM
            length += sentence.tokens + 1
            logSum += Double(sentence.log10)
            if end >= n { break }
            start = end + 1
        }
        return pow(10.0, -logSum / Double(length))
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let value = perplexity(of: document.text)
        document.metadata[field] = .number(JSONNumber(value))
        if let cutoffs { document.metadata[bucketField] = .string(Self.bucket(value, cutoffs: cutoffs)) }
        if let lo = minimum, value < lo { return .exclude(reason: "perplexity_too_low") }
        if let hi = maximum, value > hi { return .exclude(reason: "perplexity_too_high") }
        return .keep
    }
}
