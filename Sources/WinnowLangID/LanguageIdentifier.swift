import WinnowFastText
import WinnowCore
import WinnowText

/// Predicts the language of document texts with a fastText model, as datatrove does: newlines count as
/// spaces (datatrove replaces them before calling fastText) and the text ends with fastText's `</s>` token
/// (the Python binding appends a newline). One identifier per thread; the model is shared.
public struct LanguageIdentifier {
    public let model: FastTextModel
    /// The model's labels normalized to (language, script), by label index.
    public let labelCodes: [LanguageCode]
    private var predictor: FastTextPredictor
    public internal(set) var predictions: [FastTextPrediction] = []

    public init(model: FastTextModel) {
        self.model = model
        labelCodes = model.labelCodes
        predictor = FastTextPredictor(model: model)
    }

    /// Predicts `text`, keeping the `k` best labels (-1: all) at or above `threshold` in `predictions`.
    @discardableResult
    public mutating func identify(_ text: [UInt8], k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        text.withUnsafeBytes { predictor.predict($0, k: k, threshold: threshold, endOfLine: true, into: &predictions) }
        return predictions
    }

    /// The normalized code of a label.
    public func code(_ label: Int) -> LanguageCode { labelCodes[label] }

    /// Loads a stage's model (Winnow's default model when `model` is not given), turning errors into
    /// configuration errors on the `model` key.
    static func loadModel(_ p: StageParameters) throws -> FastTextModel {
        guard let path = try p.optionalString("model") else {
            do { return try DefaultLanguageModel.load() } catch { throw p.error("model", "Winnow's default model: \(error)") }
        }
        do {
            let model = try FastTextModel(path: path)
            guard model.header.model == .supervised else { throw FastTextError.notSupervised(path) }
            return model
        } catch {
            throw p.error("model", "\(error)")
        }
    }
}

/// How the `language` field writes a language.
public enum LanguageCodeStyle: String, Sendable, CaseIterable {
    /// As the model's label, without `__label__` and without a script suffix (`en` for lid.176, `eng` for
    /// GlotLID): what datatrove writes.
    case model
    /// ISO 639-1 when the language has a two-letter code, else ISO 639-3.
    case iso639_1
    /// ISO 639-3.
    case iso639_3

    public func write(_ code: LanguageCode) -> String {
        switch self {
        case .model:
            if code.hasExplicitScript, let sep = code.model.firstIndex(where: { $0 == "_" || $0 == "-" }) {
                return String(code.model[..<sep])
            }
            return code.model
        case .iso639_1: return code.shortCode
        case .iso639_3: return code.language
        }
    }
}

/// What the language stages do when the predicted language's script does not occur in the text.
public enum ScriptMismatchAction: String, Sendable, CaseIterable {
    /// Do not check.
    case off
    /// Write `language_script_mismatch: true` and count `script_mismatch`.
    case annotate
    /// Annotate, and exclude the document (`language_filter` only) with reason `script_mismatch`.
    case exclude
}

/// The annotation both language stages write.
struct LanguageAnnotator {
    var identifier: LanguageIdentifier
    var style: LanguageCodeStyle
    /// `top_language_<code>_score` for every label above this (nil: off).
    var topThreshold: Float?
    var scriptCheck: ScriptMismatchAction
    /// Per label: a matcher for its script when the check is on and the script is known to ICU.
    let scriptMatchers: [ScriptMatcher?]

    init(identifier: LanguageIdentifier, style: LanguageCodeStyle, topThreshold: Float?, scriptCheck: ScriptMismatchAction = .annotate) {
        self.identifier = identifier
        self.style = style
        self.topThreshold = topThreshold
        self.scriptCheck = scriptCheck
        scriptMatchers = identifier.labelCodes.map { code in
            scriptCheck == .off || code.script.isEmpty ? nil : ScriptMatcher(script: code.script)
        }
    }

    /// Whether the best prediction's script is absent from `text` (false when unchecked or unknown).
    func scriptIsMissing(from text: [UInt8]) -> Bool {
        guard let best = identifier.predictions.first, let matcher = scriptMatchers[best.label] else { return false }
        return !matcher.occurs(in: text)
    }

    /// Writes `language`, `language_script`, `language_score` (and the top languages) from the identifier's
    /// current predictions, best first.
    /// Returns whether the best language's script is missing from the text.
    @discardableResult
    func annotate(_ document: inout Document, stats: inout StageStats) -> Bool {
        let predictions = identifier.predictions
        guard let best = predictions.first else {
            stats.count("no_prediction")
            return false
        }
        let code = identifier.code(best.label)
        let name = style.write(code)
        document.metadata["language"] = .string(name)
        if !code.script.isEmpty { document.metadata["language_script"] = .string(code.script) }
        document.metadata["language_score"] = Self.number(best.probability)
        if let topThreshold {
            for p in predictions where p.probability > topThreshold {
                document.metadata["top_language_\(style.write(identifier.code(p.label)))_score"] = Self.number(p.probability)
            }
        }
        stats.count("language:\(name)")
        guard scriptIsMissing(from: document.text) else { return false }
        document.metadata["language_script_mismatch"] = .bool(true)
        stats.count("script_mismatch")
        return true
    }

    /// A probability as its shortest `Float` text (`0.9876543`), not a widened `Double`.
    static func number(_ value: Float) -> JSONValue {
        .number(JSONNumber(uncheckedLiteral: value.isFinite ? "\(value)" : "0"))
    }

    /// The parameters both language stages take (`allowExclude`: `script_mismatch: exclude` is accepted).
    static func declarations(allowExclude: Bool) -> [ParameterDeclaration] {
        [
            .string("model", .absent("Winnow's embedded model"), "a fastText supervised model, .bin or .ftz (lid.176, GlotLID, OpenLID)"),
            .choice("codes", LanguageCodeStyle.self, default: .model, "how the language is written: as the model's label, ISO 639-1 or ISO 639-3"),
            .double("keep_top_pairs_threshold", .absent("off"), "also write top_language_<code>_score for every label scoring above this"),
            .choice("script_mismatch", ScriptMismatchAction.allCases.filter { allowExclude || $0 != .exclude }.map(\.rawValue),
                    default: ScriptMismatchAction.annotate.rawValue,
                    "when the text has no character of the predicted script: annotate language_script_mismatch, \(allowExclude ? "exclude, " : "")or off"),
        ]
    }

    static func scriptCheck(_ p: StageParameters) throws -> ScriptMismatchAction {
        try p.choice("script_mismatch", as: ScriptMismatchAction.self)
    }

    static func parameters(_ p: StageParameters) throws -> (LanguageCodeStyle, Float?) {
        let style = try p.choice("codes", as: LanguageCodeStyle.self)
        var top: Float? = nil
        if let t = try p.optionalDouble("keep_top_pairs_threshold"), t >= 0 { top = Float(t) }
        return (style, top)
    }
}
