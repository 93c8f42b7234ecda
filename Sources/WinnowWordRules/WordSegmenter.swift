import WinnowCore
import WinnowText

/// Splits a document into words as datatrove's `split_into_words` does: spaCy's English rules
/// (`EnglishWordTokenizer`) for languages written with spaces, ICU word breaking for languages written without
/// them (Chinese, Japanese, Thai, Khmer, Lao, Burmese), chosen by the stage's `language` or, when
/// `language_from_metadata` is on, by the document's `metadata.language`.
///
/// datatrove itself uses other segmenters for those languages (jieba, SudachiPy, PyThaiNLP): ICU's dictionary
/// segmentation is the native choice here; docs/filters.md explains the difference.
package final class WordSegmenter {
    package struct Options: Sendable {
        package var language: String = "en"
        package var languageFromMetadata: Bool = true

        package init() {}
        package init(language: String, languageFromMetadata: Bool) {
            self.language = language; self.languageFromMetadata = languageFromMetadata
        }

        /// The word-rule parameters of every stage that splits words.
        package static let parameters: [ParameterDeclaration] = [
            .string("language", default: "en", "the language whose word rules split the text (zh, ja, th, km, lo, my: ICU word breaking)"),
            .bool("language_from_metadata", default: true, "use the document's metadata.language instead, when it has one"),
        ]

        package static func read(_ p: StageParameters) throws -> Options {
            Options(language: try p.string("language"), languageFromMetadata: try p.bool("language_from_metadata"))
        }
    }

    package let options: Options
    private let english = EnglishWordTokenizer()
    private var breakers: [String: WordBreaker] = [:]
    /// The words of the last `segment` call (whitespace tokens only when asked for).
    package var words: [TokenSpan] = []

    package init(_ options: Options) { self.options = options }

    /// The ICU locale for a language code written without spaces, or nil for spaCy's English rules.
    package static func noSpaceLocale(_ language: String) -> String? {
        var code = Substring(language.lowercased())
        if let cut = code.firstIndex(where: { $0 == "_" || $0 == "-" }) { code = code[..<cut] }
        switch code {
        case "zh", "zho", "chi", "cmn", "yue", "wuu": return "zh"
        case "ja", "jpn": return "ja"
        case "th", "tha": return "th"
        case "km", "khm": return "km"
        case "lo", "lao": return "lo"
        case "my", "mya", "bur": return "my"
        default: return nil
        }
    }

    package func locale(for document: Document) -> String? {
        if options.languageFromMetadata, let language = document.metadata["language"]?.stringValue {
            return Self.noSpaceLocale(language)
        }
        return Self.noSpaceLocale(options.language)
    }

    /// Splits bytes `[start, end)` of `p` into `words`.
    package func segment(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, locale: String?, spaceTokens: Bool = false) {
        words.removeAll(keepingCapacity: true)
        guard let locale else {
            english.tokenize(p, start, end, spaceTokens: spaceTokens, into: &words)
            return
        }
        let breaker: WordBreaker
        if let b = breakers[locale] {
            breaker = b
        } else if let b = WordBreaker(locale: locale) {
            breakers[locale] = b
            breaker = b
        } else {
            english.tokenize(p, start, end, spaceTokens: spaceTokens, into: &words)
            return
        }
        breaker.forEachSegment(UnsafeBufferPointer(start: p + start, count: end - start)) { a, b in
            // datatrove strips every token and drops empty ones.
            let (s, e) = UTF8Scan.strip(p, start + a, start + b)
            if s < e { words.append(TokenSpan(start: s, end: e, space: false)) }
            else if spaceTokens { words.append(TokenSpan(start: start + a, end: start + b, space: true)) }
        }
    }
}
