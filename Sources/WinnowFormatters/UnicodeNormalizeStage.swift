import WinnowCore
import WinnowText

/// `normalize_unicode`: rewrites each document's text into one Unicode normalization form.
///
/// Parameters: `form` — `nfc` (default), `nfkc`, `nfd`, `nfkd` or `nfkc_casefold`.
/// Counts `normalized` for documents whose text changed; unchanged documents are not copied.
public struct UnicodeNormalizeStage: RegisteredStage, DocumentStage {
    public static let stageName = "normalize_unicode"
    public static let summary = "Normalize text to NFC, NFKC, NFD, NFKD or NFKC_Casefold (form, default nfc)"

    public static func factory(parameters: StageParameters) throws -> StageFactory {
        let name = try parameters.choice("form", NormalizationForm.allCases.map(\.rawValue), default: "nfc")
        try parameters.finish()
        let form = NormalizationForm(rawValue: name)!
        return StageFactory { UnicodeNormalizeStage(form: form) }
    }

    private let normalizer: UnicodeNormalizer

    public init(form: NormalizationForm) {
        normalizer = UnicodeNormalizer(form: form)
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        if let text = normalizer.normalizeIfChanged(document.text) {
            document.text = text
            stats.count("normalized")
        }
        return .keep
    }
}
