import WinnowCore
import WinnowText
import WinnowWordRules

/// How `sentence_dedup` cuts a document into sentences.
public enum SentenceSplitting: String, Sendable, CaseIterable {
    /// spaCy's rules for English documents, ICU for the others (the document's language as `language` and
    /// `language_from_metadata` say).
    case auto
    /// spaCy 3.8's English tokenizer and sentencizer, as datatrove's English `SentenceDedup` (any language).
    case spacy
    /// ICU sentence breaks (UAX #29) with the language's locale.
    case icu
    /// Lines (`str.splitlines()`), as datatrove's `split_sentences=False`.
    case lines
}

/// Cuts documents into sentences (byte ranges) and counts their words, per document language. One per task.
final class SentenceSplitter {
    let splitting: SentenceSplitting
    let words: WordSegmenter
    private let english = EnglishWordTokenizer()
    private var tokens: [TokenSpan] = []
    private var breakers: [String: SentenceBreaker] = [:]
    /// The sentences of the last `split` call.
    var spans: [(start: Int, end: Int)] = []

    init(splitting: SentenceSplitting, language: WordSegmenter.Options) {
        self.splitting = splitting
        words = WordSegmenter(language)
    }

    /// The language that decides the splitting and word rules of `document`.
    func language(of document: Document) -> String {
        if words.options.languageFromMetadata, let l = document.metadata["language"]?.stringValue, !l.isEmpty { return l }
        return words.options.language
    }

    /// What splits a text in `language`.
    func method(for language: String) -> SentenceSplitting {
        guard splitting == .auto else { return splitting }
        var code = Substring(language.lowercased())
        if let cut = code.firstIndex(where: { $0 == "_" || $0 == "-" }) { code = code[..<cut] }
        return code == "en" || code == "eng" ? .spacy : .icu
    }

    /// Splits bytes `[0, count)` of `p` into `spans`. spaCy: from the first to the last token of each sentence
    /// (whitespace between sentences belongs to neither); ICU: consecutive segments covering the text; lines:
    /// each line without its break.
    func split(_ p: UnsafePointer<UInt8>, _ count: Int, language: String) {
        switch method(for: language) {
        case .spacy, .auto:
            SpacySentencizer.split(p, count, tokenizer: english, tokens: &tokens, into: &spans)
        case .lines:
            spans.removeAll(keepingCapacity: true)
            UTF8Scan.forEachLine(p, count) { spans.append(($0, $1)) }
        case .icu:
            spans.removeAll(keepingCapacity: true)
            let locale = language.isEmpty ? "root" : language
            let breaker: SentenceBreaker?
            if let b = breakers[locale] { breaker = b } else {
                breaker = SentenceBreaker(locale: locale)
                breakers[locale] = breaker
            }
            guard let breaker else { spans.append((0, count)); return }
            breaker.forEachSentence(UnsafeBufferPointer(start: p, count: count)) { spans.append(($0, $1)) }
        }
    }

    /// Words of bytes `[0, count)` as datatrove's `word_tokenize` counts them (spaCy's English rules, ICU word
    /// breaks for languages written without spaces).
    func wordCount(_ p: UnsafePointer<UInt8>, _ count: Int, language: String) -> Int {
        words.segment(p, 0, count, locale: WordSegmenter.noSpaceLocale(language))
        return words.words.count
    }
}
