import WinnowCore
import WinnowFastText
import WinnowWordRules

/// Scores documents with any fastText supervised model (a DCLM- or FineWeb-Edu-style quality classifier,
/// a topic classifier) and keeps or removes them by label scores, as datatrove's `FastTextClassifierFilter`.
///
/// YAML: `- classifier_filter: {model: quality.bin, keep_labels: {hq: 0.5}}`; the parameters are declared in
/// `parameters`. `keep_labels`/`remove_labels` take a mapping `{hq: 0.5}`, a list of pairs `[[hq, 0.5]]` or of
/// strings `["hq=0.5"]`, or one string `"hq=0.5,edu=0.3"` (for `--param` on the command line). In `paragraph`
/// mode each non-blank line with the blank lines after it is a unit; the kept units form the new text, lines
/// joined by `\n` as datatrove's `split_into_parts` does.
///
/// Each unit is predicted as datatrove predicts it: Python `strip()`, newlines replaced, every label (`k=-1`).
/// Reasons: `below_threshold` (keep mode: no kept label reached), `removed_label` (remove mode), both only in
/// document mode; `no_kept_paragraph` in paragraph mode. Counters: `kept_span`, `removed_span`.
public struct ClassifierFilter: DocumentStage, RegisteredStage {
    public static let stageName = "classifier_filter"
    public static let summary = "keep or remove documents by the label scores of a fastText classifier (DCLM-style quality)"

    public enum Mode: String, Sendable, CaseIterable { case document, paragraph }

    /// Label indices with their minimum scores.
    public struct Rule: Sendable {
        public var label: Int
        public var minimum: Float
    }

    let model: FastTextModel
    let keep: [Rule]
    let remove: [Rule]
    let saveLabels: Bool
    let newlineReplacement: [UInt8]
    let mode: Mode
    private var predictor: FastTextPredictor
    private var predictions: [FastTextPrediction] = []
    /// Scratch, reused between documents: the unit's lines joined, the unit being predicted, score sums per label
    /// over units, the rebuilt text.
    private var joined: [UInt8] = []
    private var unit: [UInt8] = []
    private var scoreSums: [Double]
    private var newText: [UInt8] = []

    public init(model: FastTextModel, keep: [Rule] = [], remove: [Rule] = [], saveLabels: Bool = true,
                newlineReplacement: String = "", mode: Mode = .document) {
        self.model = model
        self.keep = keep
        self.remove = remove
        self.saveLabels = saveLabels
        self.newlineReplacement = Array(newlineReplacement.utf8)
        self.mode = mode
        predictor = FastTextPredictor(model: model)
        scoreSums = [Double](repeating: 0, count: model.labels.count)
    }

    public static let parameters: [ParameterDeclaration] = [
        .string("model", .required, "a fastText supervised model, .bin or .ftz"),
        .raw("keep_labels", shape: "map label -> score, [[label, score]], or label=score strings", .absent("none"),
             "keep when one of these labels (without __label__) scores at least its minimum"),
        .raw("remove_labels", shape: "as keep_labels", .absent("none"),
             "remove when one of these labels scores at least its minimum (neither: annotate only)"),
        .bool("save_labels_in_metadata", default: true, "write every label's score as metadata[\"__label__<name>\"]"),
        .string("newline_replacement", default: "", "what a line break becomes before predicting"),
        .choice("mode", Mode.self, default: .document, "document, or paragraph: score and filter each paragraph"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let path = try p.string("model")
        let model: FastTextModel
        do {
            model = try FastTextModel(path: path)
            guard model.header.model == .supervised else { throw FastTextError.notSupervised(path) }
        } catch {
            throw p.error("model", "\(error)")
        }
        let keep = try rules(p, "keep_labels", model)
        let remove = try rules(p, "remove_labels", model)
        if !keep.isEmpty, !remove.isEmpty {
            throw p.error("remove_labels", "give keep_labels or remove_labels, not both (use two stages)")
        }
        let save = try p.bool("save_labels_in_metadata")
        let replacement = try p.string("newline_replacement")
        let mode = try p.choice("mode", as: Mode.self)
        return StageFactory {
            ClassifierFilter(model: model, keep: keep, remove: remove, saveLabels: save, newlineReplacement: replacement, mode: mode)
        }
    }

    /// Reads `{label: score}`, `[[label, score]]` or `["label=score"]`, checking each label is in the model.
    static func rules(_ p: StageParameters, _ key: String, _ model: FastTextModel) throws -> [Rule] {
        var pairs: [(String, Double)] = []
        switch try p.value(key) {
        case nil: return []
        case .object(let o)?:
            for e in o {
                guard let v = e.value.doubleValue else { throw p.error(key, "the score of '\(e.key)' must be a number") }
                pairs.append((e.key, v))
            }
        case let value?:
            // A list, or one string of comma-separated entries (`--param keep_labels=hq=0.5`).
            let items = value.arrayValue ?? value.stringValue.map { $0.split(separator: ",").map { JSONValue.string(String($0)) } } ?? []
            guard !items.isEmpty else { throw p.error(key, "\(key) must be a mapping such as {hq: 0.5} or a list such as [[hq, 0.5]]") }
            for item in items {
                if let a = item.arrayValue, a.count == 2, let l = a[0].stringValue, let v = a[1].doubleValue {
                    pairs.append((l, v))
                } else if let s = item.stringValue, let eq = s.lastIndex(of: "="),
                          let v = Double(s[s.index(after: eq)...].filter { $0 != " " }) {
                    pairs.append((String(s[..<eq]).filter { $0 != " " }, v))
                } else {
                    throw p.error(key, "\(key) entries must be [label, score] pairs or 'label=score' strings")
                }
            }
        }
        return try pairs.map { name, minimum in
            let label = name.hasPrefix("__label__") ? name : "__label__" + name
            guard let index = model.labels.firstIndex(of: label) else {
                let known = model.labels.map { String($0.dropFirst("__label__".count)) }.prefix(20).joined(separator: ", ")
                throw p.error(key, "label '\(name)' is not in \(model.path) (labels: \(known))")
            }
            return Rule(label: index, minimum: Float(minimum))
        }
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        for i in scoreSums.indices { scoreSums[i] = 0 }
        let decision: StageDecision
        var units = 1
        switch mode {
        case .document:
            unit.removeAll(keepingCapacity: true)
            appendUnit(document.text, [(0, document.text.count, false)])
            let kept = predictUnit()
            stats.count(kept ? "kept_span" : "removed_span")
            decision = kept ? .keep : .exclude(reason: remove.isEmpty ? "below_threshold" : "removed_label")
        case .paragraph:
            let paragraphs = Self.paragraphs(document.text)
            units = max(paragraphs.count, 1)
            newText.removeAll(keepingCapacity: true)
            if paragraphs.isEmpty { unit.removeAll(keepingCapacity: true); _ = predictUnit() }
            for lines in paragraphs {
                unit.removeAll(keepingCapacity: true)
                appendUnit(document.text, lines)
                let kept = predictUnit()
                stats.count(kept ? "kept_span" : "removed_span")
                if kept {
                    for line in lines {
                        newText.append(contentsOf: document.text[line.start..<line.end])
                        if line.newline { newText.append(0x0A) }
                    }
                }
            }
            document.text = newText
            let blank = newText.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return true }
                let (s, e) = UTF8Scan.strip(base, 0, b.count)
                return s >= e
            }
            decision = blank ? .exclude(reason: "no_kept_paragraph") : .keep
        }
        if saveLabels {
            for (i, label) in model.labels.enumerated() {
                document.metadata[label] = Self.number(scoreSums[i] / Double(units))
            }
        }
        return decision
    }

    /// A unit as line ranges of the text (without their breaks), each followed by `\n` or not.
    typealias Lines = [(start: Int, end: Int, newline: Bool)]

    /// Appends the unit made of `lines` of `text` to `unit` as datatrove predicts it: the unit's text (lines
    /// joined by `\n`), Python-stripped, with `\n` replaced by `newline_replacement`.
    private mutating func appendUnit(_ text: [UInt8], _ lines: Lines) {
        joined.removeAll(keepingCapacity: true)
        for line in lines {
            joined.append(contentsOf: text[line.start..<line.end])
            if line.newline { joined.append(0x0A) }
        }
        joined.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            let (a, e) = UTF8Scan.strip(p, 0, b.count)
            for i in a..<max(a, e) {
                if p[i] == 0x0A { unit.append(contentsOf: newlineReplacement) } else { unit.append(p[i]) }
            }
        }
    }

    /// Predicts `unit` with every label, adds the scores to `scoreSums`, and answers whether it is kept.
    private mutating func predictUnit() -> Bool {
        unit.withUnsafeBytes { predictor.predict($0, k: FastTextPredictor.allLabels, threshold: 0, endOfLine: true, into: &predictions) }
        for p in predictions { scoreSums[p.label] += Double(p.probability) }
        func score(_ label: Int) -> Float { predictions.first { $0.label == label }?.probability ?? -9e9 }
        if !keep.isEmpty { return keep.contains { score($0.label) >= $0.minimum } }
        return !remove.contains { score($0.label) >= $0.minimum }
    }

    /// datatrove's paragraph split: Python `splitlines()`, a `\n` after every line but the last, and each
    /// non-blank line starts a unit (blank lines stay with the unit before them).
    static func paragraphs(_ text: [UInt8]) -> [Lines] {
        var result: [Lines] = []
        text.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var lines: [(Int, Int)] = []
            UTF8Scan.forEachLine(base, b.count) { s, e in lines.append((s, e)) }
            var current: Lines = []
            for (index, line) in lines.enumerated() {
                let (s, e) = UTF8Scan.strip(base, line.0, line.1)
                if s < e, !current.isEmpty {
                    result.append(current)
                    current.removeAll()
                }
                current.append((line.0, line.1, index != lines.count - 1))
            }
            if !current.isEmpty { result.append(current) }
        }
        return result
    }

    static func number(_ value: Double) -> JSONValue {
        .number(JSONNumber(uncheckedLiteral: value.isFinite ? "\(value)" : "0"))
    }
}
