import WinnowCore

/// What the report keeps of one sampled document for the distributions: its measures and the metadata fields
/// stages wrote (language, scores, perplexity, bucket, any number).
struct DocumentProfile: Sendable {
    var characters: Int
    var words: Int
    var language: String?
    /// The numeric metadata fields at the top level of the document's metadata (`language_score`,
    /// `perplexity`, the `statistics` stage's metrics, classifier scores...), at most `maxNumericFields`.
    var numbers: [(String, Double)]
    /// The categorical fields the report draws besides the language (`bucket`).
    var bucket: String?

    static let maxNumericFields = 24

    init(_ document: Document) {
        characters = TextMeasures.characters(document.text)
        words = TextMeasures.words(document.text)
        language = document.metadata["language"]?.stringValue
        bucket = document.metadata["bucket"]?.stringValue
        numbers = []
        for entry in document.metadata {
            guard case .number(let n) = entry.value, numbers.count < Self.maxNumericFields else { continue }
            let value = n.doubleValue
            if value.isFinite { numbers.append((entry.key, value)) }
        }
    }
}

/// A sampled excluded document, as the report shows it: id, URL, the first characters and the metadata values
/// that tell why it went (the stage's reason and the scores it measured, where it records them).
struct ExcludedExample: Sendable {
    var id: String
    var url: String?
    var reason: String
    var textStart: String
    var truncated: Bool
    var characters: Int
    /// Metadata that explains a decision: numbers, language and bucket, cluster fields; not the text, id or url.
    var values: [(String, String)]

    static let shownCharacters = 500
    static let maxValues = 16

    init(_ document: Document) {
        id = document.id
        url = document.metadata["url"]?.stringValue
        reason = document.metadata["filter_reason"]?.stringValue ?? "?"
        (textStart, truncated) = HTMLText.prefix(document.text, characters: Self.shownCharacters)
        characters = TextMeasures.characters(document.text)
        values = []
        for entry in document.metadata where values.count < Self.maxValues {
            switch entry.key {
            case "url", "filter", "filter_reason", "text", "id": continue
            default: break
            }
            switch entry.value {
            case .number(let n): values.append((entry.key, n.literal))
            case .bool(let b): values.append((entry.key, b ? "true" : "false"))
            case .string(let s) where Self.decidingStrings.contains(entry.key) || entry.key.hasSuffix("_cluster_id"):
                values.append((entry.key, s))
            default: continue
            }
        }
    }

    /// String fields worth showing next to a decision (others, like `license` or `date`, are left out).
    static let decidingStrings: Set<String> = ["language", "language_script", "bucket", "lang", "source"]
}
