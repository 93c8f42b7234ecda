@_implementationOnly import CICU

/// Splits UTF-8 text at ICU sentence boundaries (UAX #29 sentence rules with the locale's exceptions), for
/// sentence-level work in any language and script.
///
/// Works on the UTF-8 bytes directly (an ICU UText over them), so boundaries are byte offsets. The instance
/// keeps its ICU iterator: it is not thread-safe; create one per task.
public final class SentenceBreaker {
    public let locale: String
    private let iterator: OpaquePointer
    private var text: UnsafeMutablePointer<UText>?

    /// nil when ICU has no sentence break rules (only when ICU's data is missing: unknown locales fall back to
    /// the root rules).
    public init?(locale: String) {
        var err = U_ZERO_ERROR
        guard let it = winnow_ubrk_openSentence(locale, &err), err.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
        self.locale = locale
        self.iterator = it
    }

    deinit {
        winnow_ubrk_close(iterator)
        if let text { winnow_utext_close(text) }
    }

    /// Calls `body(start, end)` with the byte range of every sentence, its trailing spaces and line breaks
    /// included (ICU's segments cover the whole text). Texts of 2 GiB and more are not split (one sentence).
    public func forEachSentence(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        forEachICUSegment(iterator, &text, bytes, body)
    }
}
