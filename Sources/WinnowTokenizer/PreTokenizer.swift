/// Splits UTF-8 text into pre-tokens with a preset's hand-written scanner, exactly as the preset's regex does
/// under Python `regex`, Oniguruma (HF `tokenizers`) and fancy-regex (tiktoken).
///
/// The pieces tile the text. Input need not be valid UTF-8: a byte that does not start a well-formed sequence
/// is one character of its own that is neither a letter, a number nor whitespace (as a lone U+FFFD would be),
/// and stays a byte of the piece it lands in, so pieces always concatenate back to the input.
public struct PreTokenizer: Sendable {
    public let pattern: SplitPattern

    public init(pattern: SplitPattern) {
        self.pattern = pattern
    }

    /// Calls `body` with the byte range of each pre-token of `text`, in order.
    @inline(__always)
    public func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) rethrows {
        guard !text.isEmpty else { return }
        let t = ScanText(text)
        var i = 0
        switch pattern {
        case .gpt2:
            while i < t.n { let end = GPT2Scanner.pieceEnd(t, i); try body(i..<end); i = end }
        case .cl100k:
            while i < t.n { let end = CL100KScanner.pieceEnd(t, i, .cl100k); try body(i..<end); i = end }
        case .llama3:
            while i < t.n { let end = CL100KScanner.pieceEnd(t, i, .llama3); try body(i..<end); i = end }
        case .qwen2:
            while i < t.n { let end = CL100KScanner.pieceEnd(t, i, .qwen2); try body(i..<end); i = end }
        case .o200k:
            while i < t.n { let end = O200KScanner.pieceEnd(t, i); try body(i..<end); i = end }
        }
    }

    /// The pre-tokens of `text` as byte arrays (for tests and tools).
    public func pieces(_ text: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        text.withUnsafeBufferPointer { buffer in
            split(buffer) { out.append(Array(buffer[$0])) }
        }
        return out
    }
}
