import WinnowCore

/// Why a rule of a quality filter rejected a document: its reason, the value it measured and the threshold that
/// value crossed. The document carries them to `excluded/` as `filter_reason`, `filter_value` and
/// `filter_threshold`, so a person (or `winnow report`) sees how far from the line it was.
struct RuleFailure {
    var reason: String
    var value: Double
    var threshold: Double

    init(_ reason: String, value: Double, threshold: Double) {
        self.reason = reason
        self.value = value
        self.threshold = threshold
    }

    init(_ reason: String, value: Int, threshold: Int) {
        self.init(reason, value: Double(value), threshold: Double(threshold))
    }

    /// Records the measured value and threshold on the document and returns the stage's decision.
    func exclude(_ document: inout Document) -> StageDecision {
        // Four significant decimals: enough to compare with the threshold, short in the excluded files.
        document.metadata["filter_value"] = .number(JSONNumber((value * 10_000).rounded() / 10_000))
        document.metadata["filter_threshold"] = .number(JSONNumber(threshold))
        return .exclude(reason: reason)
    }
}
