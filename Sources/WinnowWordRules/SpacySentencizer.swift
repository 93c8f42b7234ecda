/// spaCy 3.8's rule-based `sentencizer` (what datatrove's English `sent_tokenize`/`span_tokenize` run after
/// `spacy.blank("en")`): the first token starts a sentence, and after a token that is one of the sentencizer's
/// punctuation characters (`.`, `!`, `?`, `。` and the other `default_punct_chars`), the next token that is
/// neither punctuation (every character in Unicode category P) nor such a character starts the next one.
/// Whitespace tokens count as tokens, so a sentence may start with a line break.
package struct SpacySentencizer {
    private let table = CharClasses.table
    private var seenPeriod = false

    package init() {}

    /// Feeds the next token of a text (whitespace tokens included, in order); returns whether it starts a new
    /// sentence. The first token of a text starts the first sentence and returns false.
    package mutating func startsSentence(_ p: UnsafePointer<UInt8>, _ t: TokenSpan) -> Bool {
        var isPunct = true
        var j = t.start
        while j < t.end {
            let (cp, len) = UTF8Scan.decode(p, j, t.end)
            if !table.classes(cp).contains(.unicodeP) { isPunct = false; break }
            j += len
        }
        var inPunctChars = false
        if isPunct {
            let (cp, len) = UTF8Scan.decode(p, t.start, t.end)
            inPunctChars = len == t.end - t.start && table.classes(cp).contains(.sentencePunctuation)
        }
        if seenPeriod && !isPunct && !inPunctChars {
            seenPeriod = false
            return true
        }
        if inPunctChars { seenPeriod = true }
        return false
    }

    /// Replaces `spans` by the byte ranges of the sentences of bytes `[0, count)` of `p`: each from its first
    /// token's start to its last token's end (spaCy's `sent.start_char`, `sent.end_char`). `tokens` is scratch.
    package static func split(_ p: UnsafePointer<UInt8>, _ count: Int, tokenizer: EnglishWordTokenizer,
                              tokens: inout [TokenSpan], into spans: inout [(start: Int, end: Int)]) {
        spans.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        tokenizer.tokenize(p, 0, count, spaceTokens: true, into: &tokens)
        guard !tokens.isEmpty else { return }
        var sentencizer = SpacySentencizer()
        var sentenceStart = 0
        for (i, t) in tokens.enumerated() where sentencizer.startsSentence(p, t) {
            spans.append((tokens[sentenceStart].start, tokens[i - 1].end))
            sentenceStart = i
        }
        spans.append((tokens[sentenceStart].start, tokens[tokens.count - 1].end))
    }
}
