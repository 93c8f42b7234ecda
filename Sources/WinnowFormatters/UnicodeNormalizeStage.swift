import WinnowCore
import WinnowText

/// `normalize_unicode`: rewrites each document's text into one Unicode normalization form.
///
/// Parameters: `form` (see `parameters`).
/// Counts `normalized` for documents whose text changed; unchanged documents are not copied.
public struct UnicodeNormalizeStage: RegisteredStage, DocumentStage {
    public static let stageName = "normalize_unicode"
    public static let summary = "Normalize text to NFC, NFKC, NFD, NFKD or NFKC_Casefold (form, default nfc)"

    public static let parameters: [ParameterDeclaration] = [
        .choice("form", NormalizationForm.self, default: .nfc, "the Unicode normalization form the text is rewritten into"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        let form = try p.choice("form", as: NormalizationForm.self)
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
