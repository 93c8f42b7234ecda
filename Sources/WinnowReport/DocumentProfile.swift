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

    static let maxNumericFields = 32

    init(_ document: Document) {
        characters = TextMeasures.characters(document.text)
        words = TextMeasures.words(document.text)
        language = document.metadata["language"]?.stringValue
        bucket = document.metadata["bucket"]?.stringValue
        numbers = []
        Self.forEachNumber(in: document.metadata) { key, n in
            let value = n.doubleValue
            if value.isFinite, numbers.count < Self.maxNumericFields { numbers.append((key, value)) }
        }
    }

    /// The numbers at the top level of `metadata` and one level down (`stats.word_count`, as the `statistics`
    /// stage writes them), in order; not inside maps keyed by data (`languages`: language → probability).
    static func forEachNumber(in metadata: JSONObject, _ body: (String, JSONNumber) -> Void) {
        for entry in metadata {
            switch entry.value {
            case .number(let n): body(entry.key, n)
            case .object(let inner) where !keyedByData.contains(entry.key):
                for e in inner { if case .number(let n) = e.value { body(entry.key + "." + e.key, n) } }
            default: continue
            }
        }
    }

    /// Objects whose keys are data, not field names: their numbers would make a chart per language.
    static let keyedByData: Set<String> = ["languages"]
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
    static let maxValues = 32

    init(_ document: Document) {
        id = document.id
        url = document.metadata["url"]?.stringValue
        reason = document.metadata["filter_reason"]?.stringValue ?? "?"
        (textStart, truncated) = HTMLText.prefix(document.text, characters: Self.shownCharacters)
        characters = TextMeasures.characters(document.text)
        values = []
        for entry in document.metadata where values.count < Self.maxValues {
            switch entry.value {
            case .bool(let b): values.append((entry.key, b ? "true" : "false"))
            case .string(let s) where Self.decidingStrings.contains(entry.key) || entry.key.hasSuffix("_cluster_id"):
                values.append((entry.key, s))
            default: continue
            }
        }
        DocumentProfile.forEachNumber(in: document.metadata) { key, n in
            if values.count < Self.maxValues { values.append((key, n.literal)) }
        }
    }

    /// String fields worth showing next to a decision (others, like `license` or `date`, are left out).
    static let decidingStrings: Set<String> = ["language", "language_script", "bucket", "lang", "source"]
}
