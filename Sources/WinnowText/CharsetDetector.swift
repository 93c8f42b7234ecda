@_implementationOnly import CICU

/// Picks the charset of a web page body and decodes it to UTF-8: the declared charset when it can be
/// trusted, else a statistical guess (ICU's `ucsdet`).
///
/// The rule, in `decodeToUTF8(_:declared:)`:
/// 1. A byte order mark, or a declared charset other than UTF-8 (HTTP header, else `<meta>`, as
///    `CharsetSniffer` finds it), is used as declared, unless the page is valid UTF-8 holding multi-byte
///    characters (`misdeclaredUTF8Evidence`): then it is UTF-8 that still carries an old declaration (a
///    site converted to UTF-8, a page saved again), decoded as UTF-8. Legacy text is valid UTF-8 only by
///    chance: every byte above 0x7F would have to fall into a well-formed sequence. datatrove's WARC
///    reader and trafilatura go further and take any valid UTF-8 as UTF-8.
/// 2. Declared UTF-8, or nothing declared: valid UTF-8 is used as is (the common case: one validation
///    pass, one copy, no detection).
/// 3. Otherwise the bytes are not UTF-8, whatever the page says, and detection runs:
///    - Mostly UTF-8 (more than `utf8EvidenceRatio` valid multi-byte characters per invalid sequence):
///      corrupt UTF-8 (a cut-off page, a stray byte), decoded as UTF-8 with U+FFFD.
///    - Else ICU's best guess with at least `minimumConfidence`, if it decodes with fewer U+FFFD than
///      UTF-8 does.
///    - Else the fallback: windows-1252 when nothing was declared (the WHATWG default for most locales;
///      it maps every byte), UTF-8 with U+FFFD when UTF-8 was declared.
public enum CharsetDetector {
    /// Confidence (ICU's 0-100 scale) a guess needs to be used.
    ///
    /// Why 20: ICU scores the UTF-16 recognizers 10 on any ASCII-compatible text and plain ASCII 15, so
    /// anything at or below 15 means "no evidence". Its n-gram recognizers (single-byte charsets) scale
    /// the share of the language's top 64 trigrams found, and correct guesses on real pages land at
    /// 20-98 (the sample crawl: windows-1251 Russian 41-51, KOI8-R 23-42, ISO-8859-9 Turkish 43,
    /// Latin-1 languages 21-98, ISO-8859-2 34-58); CJK recognizers score 90-100 when right. Below 20
    /// the top guess is as often wrong as right. Wrong guesses above 20 do occur (a Persian windows-1256
    /// page reads as windows-1252 at 49), which is why a guess must also decode with fewer U+FFFD than
    /// UTF-8 and why detection only runs on bytes that are not UTF-8.
    public static let minimumConfidence = 20

    /// Valid multi-byte UTF-8 characters per invalid sequence above which undecodable bytes are taken
    /// for corrupt UTF-8 rather than a legacy charset. Legacy text forms valid UTF-8 pairs only by chance:
    /// at most about one per three invalid sequences in CJK double-byte text (EUC-JP, GBK), almost never
    /// in single-byte text; real UTF-8 with a few damaged bytes has far more valid than invalid ones.
    public static let utf8EvidenceRatio = 2

    /// Multi-byte UTF-8 characters that valid UTF-8 must hold to overrule a declared legacy charset: one for
    /// single-byte charsets (a Latin-1 letter followed by a byte in 0x80-0xBF is already unusual text),
    /// eight for the double-byte CJK charsets, whose pairs form valid UTF-8 about one time in four. Never
    /// for UTF-16 and the 7-bit ISO-2022 and HZ encodings (their text is ASCII bytes).
    public static func misdeclaredUTF8Evidence(declared name: String) -> Int? {
        switch name {
        case "utf-16le", "utf-16be", "iso-2022-jp", "iso-2022-kr", "iso-2022-cn", "iso-2022-cn-ext", "hz-gb-2312": nil
        case "gbk", "gb18030", "big5", "euc-jp", "shift_jis", "euc-kr": 8
        default: 1
        }
    }

    /// One of ICU's guesses, under its canonical name (`CharsetDecoder.canonicalName`).
    public struct Guess: Sendable, Equatable {
        public let charset: String
        /// 0-100.
        public let confidence: Int
        /// The language ICU's statistics matched (ISO 639), or "".
        public let language: String
    }

    /// How `decodeToUTF8(_:declared:)` chose the charset.
    public enum Choice: Sendable, Equatable {
        /// The declared charset (or a byte order mark), or UTF-8 for valid UTF-8 with nothing declared.
        case declared
        /// Detection ran and its answer was used (ICU's guess, UTF-8 for corrupt UTF-8 that declared
        /// nothing, or UTF-8 for valid UTF-8 that declared a legacy charset).
        case detected
        /// Detection ran without a usable answer: windows-1252 (nothing declared) or UTF-8 (declared).
        case fallback
    }

    /// Text decoded to UTF-8.
    public struct Decoded: Sendable {
        public var text: [UInt8]
        /// Invalid or unmapped sequences replaced by U+FFFD.
        public var replacements: Int
        /// The canonical name of the charset used; nil for valid UTF-8 with nothing declared.
        public var charset: String?
        public var choice: Choice
        /// ICU's confidence (0-100) when its guess was used.
        public var confidence: Int? = nil
    }

    /// ICU's guesses for `bytes`, best first, limited to charsets `CharsetDecoder` can decode. UTF-8,
    /// UTF-16 and UTF-32 (without a BOM, which the caller has handled) and the EBCDIC recognizers are left
    /// out: detection is for legacy charsets.
    ///
    /// HTML is sampled before ICU sees it: the text between tags that holds non-ASCII bytes (up to
    /// 16 KiB), since markup and ASCII-only text carry no evidence and, on pages with little non-ASCII
    /// text, would make ICU guess from English markup. Bodies with under 200 bytes of such text go to
    /// ICU whole, with ICU's own markup filter.
    public static func guesses(_ bytes: UnsafeRawBufferPointer) -> [Guess] {
        guard !bytes.isEmpty else { return [] }
        let sample = evidenceSample(bytes)
        if sample.count < 200 {
            // ICU's filter reads at most 8 KiB of text, and markup around it: 64 KiB is plenty.
            return icuGuesses(UnsafeRawBufferPointer(rebasing: bytes.prefix(64 << 10)), filterMarkup: true)
        }
        return sample.withUnsafeBytes { icuGuesses($0, filterMarkup: false) }
    }

    /// Decodes a page body to UTF-8 by the rule above. `declared` is a charset name or label (as
    /// `CharsetSniffer.declaredCharset` returns it), nil when nothing is declared; a label nothing can
    /// decode counts as nothing declared.
    public static func decodeToUTF8(_ bytes: UnsafeRawBufferPointer, declared: String?) -> Decoded {
        // `CharsetSniffer` gives canonical names: UTF-8 and nothing skip the label lookup.
        var declaredName = declared == nil || declared == "utf-8" ? declared : declared.flatMap(CharsetDecoder.canonicalName)
        let bom = CharsetSniffer.byteOrderMark(bytes)
        if let bom { declaredName = bom.charset }
        if let name = declaredName, name != "utf-8" || bom != nil {
            if bom == nil, let evidence = misdeclaredUTF8Evidence(declared: name),
               UTF8Validation.validPrefixLength(bytes) == bytes.count, multiByteCharacters(bytes, atLeast: evidence)
            {
                return Decoded(text: Array(bytes), replacements: 0, charset: "utf-8", choice: .detected)
            }
            if let decoded = CharsetDecoder.decodeToUTF8(bytes, charset: name) {
                return Decoded(text: decoded.text, replacements: decoded.replacements, charset: name, choice: .declared)
            }
        }
        let declaredUTF8 = declaredName == "utf-8"
        let validPrefix = UTF8Validation.validPrefixLength(bytes)
        if validPrefix == bytes.count {
            return Decoded(text: Array(bytes), replacements: 0, charset: declaredUTF8 ? "utf-8" : nil, choice: .declared)
        }

        // Not UTF-8. The UTF-8 repair is the declared-UTF-8 fallback and the yardstick for guesses.
        var repaired: [UInt8] = []
        repaired.reserveCapacity(bytes.count + 16)
        repaired.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<validPrefix]))
        let invalid = UTF8Validation.appendRepairing(UnsafeRawBufferPointer(rebasing: bytes[validPrefix...]), to: &repaired)
        var leadBytes = 0
        for b in repaired where b >= 0xC0 { leadBytes += 1 }
        let validMultibyte = leadBytes - invalid  // every U+FFFD written starts with EF
        let asUTF8 = Decoded(text: repaired, replacements: invalid, charset: "utf-8", choice: declaredUTF8 ? .fallback : .detected)
        if validMultibyte > utf8EvidenceRatio * invalid { return asUTF8 }

        for guess in guesses(bytes).prefix(3) where guess.confidence >= minimumConfidence {
            guard let decoded = CharsetDecoder.decodeToUTF8(bytes, charset: guess.charset),
                  decoded.replacements < invalid
            else { continue }
            return Decoded(text: decoded.text, replacements: decoded.replacements, charset: guess.charset,
                           choice: .detected, confidence: guess.confidence)
        }
        if declaredUTF8 {
            var fallback = asUTF8
            fallback.choice = .fallback
            return fallback
        }
        let latin = CharsetDecoder.decodeToUTF8(bytes, charset: "windows-1252")!
        return Decoded(text: latin.text, replacements: latin.replacements, charset: "windows-1252", choice: .fallback)
    }

    /// Decodes a page body to UTF-8 by the rule above.
    public static func decodeToUTF8(_ bytes: [UInt8], declared: String?) -> Decoded {
        bytes.withUnsafeBytes { decodeToUTF8($0, declared: declared) }
    }

    // MARK: Internals

    /// Whether valid UTF-8 `bytes` hold at least `count` multi-byte characters (lead bytes 0xC0 and above).
    static func multiByteCharacters(_ bytes: UnsafeRawBufferPointer, atLeast count: Int) -> Bool {
        var found = 0
        for b in bytes where b >= 0xC0 {
            found += 1
            if found >= count { return true }
        }
        return false
    }

    private static func icuGuesses(_ text: UnsafeRawBufferPointer, filterMarkup: Bool) -> [Guess] {
        guard let base = text.baseAddress, !text.isEmpty else { return [] }
        var err = U_ZERO_ERROR
        guard let detector = winnow_ucsdet_open(&err), err.rawValue <= U_ZERO_ERROR.rawValue else { return [] }
        defer { winnow_ucsdet_close(detector) }
        winnow_ucsdet_enableInputFilter(detector, filterMarkup ? 1 : 0)
        winnow_ucsdet_setText(detector, base.assumingMemoryBound(to: CChar.self), Int32(text.count), &err)
        var found: Int32 = 0
        guard let matches = winnow_ucsdet_detectAll(detector, &found, &err), err.rawValue <= U_ZERO_ERROR.rawValue
        else { return [] }
        var result: [Guess] = []
        for k in 0..<Int(found) {
            guard let match = matches[k] else { continue }
            var e = U_ZERO_ERROR
            guard let name = winnow_ucsdet_getName(match, &e) else { continue }
            let icuName = String(cString: name)
            if icuName.hasPrefix("UTF-") || icuName.hasPrefix("IBM42") { continue }
            guard let charset = CharsetDecoder.canonicalName(icuName) else { continue }
            let confidence = Int(winnow_ucsdet_getConfidence(match, &e))
            let language = String(cString: winnow_ucsdet_getLanguage(match, &e))
            result.append(Guess(charset: charset, confidence: confidence, language: language))
        }
        return result
    }

    /// The runs of text between `<...>` tags that hold a byte of 0x80 or above, joined by newlines, up to
    /// 16 KiB.
    static func evidenceSample(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let limit = 16 << 10
        var sample: [UInt8] = []
        var runStart = 0
        var inTag = false
        var runHasHighByte = false
        func flush(_ end: Int) {
            if runHasHighByte, end > runStart {
                if !sample.isEmpty { sample.append(0x0A) }
                sample.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<min(end, runStart + limit)]))
            }
            runHasHighByte = false
        }
        for i in 0..<bytes.count {
            let b = bytes[i]
            if inTag {
                if b == UInt8(ascii: ">") { inTag = false; runStart = i + 1 }
            } else if b == UInt8(ascii: "<") {
                flush(i)
                inTag = true
                if sample.count >= limit { break }
            } else if b >= 0x80 {
                runHasHighByte = true
            }
        }
        if !inTag { flush(bytes.count) }
        if sample.count > limit { sample.removeSubrange(limit...) }
        return sample
    }
}
