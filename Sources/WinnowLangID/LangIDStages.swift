import WinnowFastText
import WinnowCore

/// The language stages this module registers with pipelines.
public enum LangIDStages {
    public static let all: [any RegisteredStage.Type] = [LanguageIDStage.self, LanguageFilterStage.self]
}

/// Annotates each document with its language: `language`, `language_script`, `language_score` and, with
/// `keep_top_pairs_threshold`, a `top_language_<code>_score` for every label above it. Never excludes.
///
/// YAML: `- language_id: {model: models/lid.176.ftz}`; the parameters are declared in `parameters` (without
/// `model`, Winnow's embedded `DefaultLanguageModel`). By default the text is predicted by parts (`by_parts`, see
/// `LanguageByParts`: `languages: {ko: 0.74, en: 0.26}`, `language_no_majority: true` when no language holds more
/// than half the characters); with `by_parts: false` it is predicted whole, as datatrove does: newlines count as
/// spaces. Counters: `language:<code>`, `no_prediction` (nothing the model knows in the text), `script_mismatch`,
/// `no_majority`.
public struct LanguageIDStage: DocumentStage, RegisteredStage {
    public static let stageName = "language_id"
    public static let summary = "annotate language, language_script and language_score with a fastText model (lid.176, GlotLID, OpenLID)"

    var annotator: LanguageAnnotator
    /// Language by parts (nil: the whole text at once).
    var parts: LanguageByParts?

    public init(model: FastTextModel, codes: LanguageCodeStyle = .model, keepTopPairsThreshold: Float? = nil,
                scriptMismatch: ScriptMismatchAction = .annotate, byParts: Bool = false, partThreshold: Float = 0.8) {
        annotator = LanguageAnnotator(identifier: LanguageIdentifier(model: model), style: codes, topThreshold: keepTopPairsThreshold,
                                      scriptCheck: scriptMismatch)
        parts = byParts ? LanguageByParts(partThreshold: partThreshold) : nil
    }

    public static let parameters = LanguageAnnotator.declarations(allowExclude: false) + [
        .bool("by_parts", .absent("true; false with keep_top_pairs_threshold"),
              "predict each line (short ones joined) and label by the language holding the most characters among confident parts"),
        .double("part_threshold", default: 0.8, "a part votes when its best probability reaches this"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let model = try LanguageIdentifier.loadModel(p)
        let (style, top) = try LanguageAnnotator.parameters(p)
        let scriptCheck = try LanguageAnnotator.scriptCheck(p)
        let byParts = try p.optionalBool("by_parts") ?? (top == nil)
        if byParts, top != nil {
            throw p.error("by_parts", "by_parts and keep_top_pairs_threshold do not go together: the top pairs are datatrove's whole-text scores; set by_parts: false")
        }
        let partThreshold = try p.double("part_threshold")
        guard partThreshold >= 0, partThreshold <= 1 else { throw p.error("part_threshold", "part_threshold must be between 0 and 1, not \(partThreshold)") }
        return StageFactory {
            LanguageIDStage(model: model, codes: style, keepTopPairsThreshold: top, scriptMismatch: scriptCheck, byParts: byParts,
                            partThreshold: Float(partThreshold))
        }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        if parts != nil, let result = parts!.vote(document.text, identifier: &annotator.identifier) {
            annotator.identifier.predictions = [FastTextPrediction(label: result.label, probability: result.score)]
            annotator.annotate(&document, stats: &stats)
            // Shares by written code (two labels can write the same code, `zh_Hans` and `zh_Hant` as `zh`).
            var named: [(String, Float)] = []
            for s in result.shares {
                let name = annotator.style.write(annotator.identifier.code(s.label))
                if let i = named.firstIndex(where: { $0.0 == name }) { named[i].1 += s.share } else { named.append((name, s.share)) }
            }
            var shares = JSONObject()
            for (name, share) in named { shares[name] = LanguageAnnotator.number((share * 100).rounded() / 100) }
            document.metadata["languages"] = .object(shares)
            if !result.majority {
                document.metadata["language_no_majority"] = .bool(true)
                stats.count("no_majority")
            }
            return .keep
        }
        if let top = annotator.topThreshold {
            annotator.identifier.identify(document.text, k: -1, threshold: top)
            if annotator.identifier.predictions.isEmpty { annotator.identifier.identify(document.text, k: 1) }
        } else {
            annotator.identifier.identify(document.text, k: 1)
        }
        annotator.annotate(&document, stats: &stats)
        return .keep
    }
}

/// Keeps documents in the listed languages, like datatrove's `LanguageFilter`: a document is kept when one
/// of `languages` has a probability above its threshold (`threshold`, default 0.65, or its entry in
/// `thresholds`, FineWeb-2 style), or, with no `languages`, when its best language is above its threshold.
/// Entries of `thresholds` for languages that are not listed are ignored.
/// It annotates like `language_id`; `label_only: true` annotates and keeps everything.
///
/// YAML: `- language_filter: {model: lid.176.ftz, languages: [fr, deu, spa_Latn], threshold: 0.65,
/// thresholds: {fr: 0.5}}` (or `thresholds: ["fr=0.5"]`). Codes match whatever the model writes: `fr`, `fra` and `fra_Latn` all select
/// French in lid.176 (`fr`) and GlotLID (`fra_Latn`); a script is compared only when the code names one.
/// Reasons: `other_language` (the best language is not listed), `below_threshold` (it is, but no listed
/// language reaches its threshold), `no_prediction`.
public struct LanguageFilterStage: DocumentStage, RegisteredStage {
    public static let stageName = "language_filter"
    public static let summary = "keep documents in the listed languages above a score (default 0.65), datatrove-compatible"

    var annotator: LanguageAnnotator
    /// Per label of the model: its threshold when the label is a wanted language, else nil.
    let labelThresholds: [Float?]
    let threshold: Float
    let anyLanguage: Bool
    let labelOnly: Bool
    let floor: Float

    public init(model: FastTextModel, languages: [String], threshold: Float = 0.65, thresholds: [String: Float] = [:],
                labelOnly: Bool = false, codes: LanguageCodeStyle = .model, keepTopPairsThreshold: Float? = nil,
                scriptMismatch: ScriptMismatchAction = .annotate) {
        annotator = LanguageAnnotator(identifier: LanguageIdentifier(model: model), style: codes, topThreshold: keepTopPairsThreshold,
                                      scriptCheck: scriptMismatch)
        self.threshold = threshold
        self.labelOnly = labelOnly
        anyLanguage = languages.isEmpty
        let wanted = languages.map { LanguageCode($0) }
        let specific = thresholds.map { (LanguageCode($0.key), $0.value) }
        // A per-language threshold applies to a listed language (or to any language when none is listed).
        labelThresholds = model.labelCodes.map { code in
            guard wanted.isEmpty || wanted.contains(where: { code.matches($0) }) else { return nil }
            return specific.first(where: { code.matches($0.0) })?.1 ?? threshold
        }
        floor = min(labelThresholds.compactMap { $0 }.min() ?? threshold, keepTopPairsThreshold ?? .infinity)
    }

    public static let parameters: [ParameterDeclaration] = [
        .stringList("languages", default: [], "the languages kept (empty: any language above its threshold)"),
        .double("threshold", default: 0.65, "the lowest score of the best label that keeps a document"),
        .raw("thresholds", shape: "map language -> score, or LANGUAGE=SCORE strings", .absent("none"),
             "per-language thresholds instead of threshold (FineWeb-2)"),
        .bool("label_only", default: false, "annotate only: never exclude"),
    ] + LanguageAnnotator.declarations(allowExclude: true)

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let model = try LanguageIdentifier.loadModel(p)
        let languages = try p.stringList("languages")
        let threshold = try p.double("threshold")
        var thresholds: [String: Float] = [:]
        switch try p.value("thresholds") {
        case nil: break
        case .object(let o)?:
            // FineWeb-2 style: {fra_Latn: 0.5, deu: 0.8}
            for e in o {
                guard let v = e.value.doubleValue else { throw p.error("thresholds", "threshold of '\(e.key)' must be a number") }
                thresholds[e.key] = Float(v)
            }
        case let v?:
            let entries = v.stringValue.map { [$0] } ?? v.arrayValue?.compactMap(\.stringValue) ?? []
            guard entries.count == (v.arrayValue?.count ?? 1), !entries.isEmpty || v.arrayValue != nil else {
                throw p.error("thresholds", "thresholds must be a mapping such as {fr: 0.5} or a list such as [fr=0.5]")
            }
            for entry in entries {
                let parts = entry.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let value = Double(String(parts[1]).trimmingCharacters(in: " ")) else {
                    throw p.error("thresholds", "thresholds entries must read LANGUAGE=SCORE, such as fr=0.5, not '\(entry)'")
                }
                thresholds[String(parts[0]).trimmingCharacters(in: " ")] = Float(value)
            }
        }
        let labelOnly = try p.bool("label_only")
        let (style, top) = try LanguageAnnotator.parameters(p)
        let scriptCheck = try LanguageAnnotator.scriptCheck(p)
        let stage = LanguageFilterStage(model: model, languages: languages, threshold: Float(threshold), thresholds: thresholds,
                                        labelOnly: labelOnly, codes: style, keepTopPairsThreshold: top, scriptMismatch: scriptCheck)
        if !languages.isEmpty, !stage.labelThresholds.contains(where: { $0 != nil }) {
            throw p.error("languages", "none of \(languages.joined(separator: ", ")) is a label of \(model.path)")
        }
        let perLanguage = thresholds
        return StageFactory {
            LanguageFilterStage(model: model, languages: languages, threshold: Float(threshold), thresholds: perLanguage,
                                labelOnly: labelOnly, codes: style, keepTopPairsThreshold: top, scriptMismatch: scriptCheck)
        }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        // Every label that could pass is needed, not just the best (datatrove asks fastText for k=-1).
        annotator.identifier.identify(document.text, k: -1, threshold: floor)
        if annotator.identifier.predictions.isEmpty {
            // Nothing reaches the floor: still annotate the best language.
            annotator.identifier.identify(document.text, k: 1)
        }
        let scriptMissing = annotator.annotate(&document, stats: &stats)
        if labelOnly { return .keep }
        let predictions = annotator.identifier.predictions
        guard let best = predictions.first else { return .exclude(reason: "no_prediction") }
        if scriptMissing, annotator.scriptCheck == .exclude { return .exclude(reason: "script_mismatch") }
        if anyLanguage {
            return best.probability > (labelThresholds[best.label] ?? threshold) ? .keep : .exclude(reason: "below_threshold")
        }
        for p in predictions {
            if let t = labelThresholds[p.label], p.probability > t { return .keep }
        }
        return .exclude(reason: labelThresholds[best.label] == nil ? "other_language" : "below_threshold")
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
