@_implementationOnly import CICU

/// Splits UTF-8 text at ICU word boundaries (UAX #29 with ICU's dictionaries), the way to count words in
/// languages written without spaces (Chinese, Japanese, Thai, Khmer, Lao, Burmese).
///
/// Works on the UTF-8 bytes directly (an ICU UText over them), so boundaries are byte offsets. The instance
/// keeps its ICU iterator: it is not thread-safe; create one per task.
public final class WordBreaker {
    public let locale: String
    private let iterator: OpaquePointer
    private var text: UnsafeMutablePointer<UText>?

    /// nil when ICU has no word break rules (it falls back to the root locale for unknown languages, so this
    /// only fails when ICU's data is missing).
    public init?(locale: String) {
        var err = U_ZERO_ERROR
        guard let it = winnow_ubrk_openWord(locale, &err), err.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
        self.locale = locale
        self.iterator = it
    }

    deinit {
        winnow_ubrk_close(iterator)
        if let text { winnow_utext_close(text) }
    }

    /// Calls `body(start, end)` with the byte range of every segment between two boundaries, spaces and
    /// punctuation included. Texts of 2 GiB and more are not split (one segment).
    public func forEachSegment(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        forEachICUSegment(iterator, &text, bytes, body)
    }
}
