/// Scores a sentence token by token against an `ARPAModel`, like KenLM's `full_scores`: each token's log10
/// probability, the length of the n-gram that matched and whether the token is out of vocabulary.
///
/// Usage: `begin(bos:)`, then `score(token:)` per token, then `end()` for `</s>`. The scorer keeps the last
/// `order - 1` word ids (most recent first) in one buffer allocated at creation; scoring allocates nothing.
/// Keeping the full history rather than KenLM's minimized state gives the same scores: KenLM drops a
/// context word only when no longer n-gram extends it, in which case its back-off is 0.
public struct NGramScorer {
    public struct TokenScore: Sendable, Equatable {
        public var log10: Float
        public var ngramLength: Int
        public var oov: Bool
    }

    public let model: ARPAModel
    private var history: [UInt32]
    private var historyCount = 0
    /// Two halves of `slots` entries, used in turn: the current half's entry j is the back-off of the
    /// (j+1)-gram ending at history[0] (KenLM's state); the other half receives the next state.
    private var backoffs: [Float]
    private var current = 0
    private let slots: Int
    /// The length of the n-gram the last scored word matched (1 for `<s>`).
    private var previousLength = 0

    public init(model: ARPAModel) {
        self.model = model
        self.history = [UInt32](repeating: 0, count: max(model.order - 1, 1))
        self.slots = max(model.order - 1, 1)
        self.backoffs = [Float](repeating: 0, count: 2 * max(model.order - 1, 1))
    }

    /// Starts a sentence; with `bos`, the context is `<s>` (KenLM's `BeginSentenceState`), else empty.
    public mutating func begin(bos: Bool = true) {
        historyCount = 0
        previousLength = 1
        for j in backoffs.indices { backoffs[j] = 0 }
        if bos, model.order > 1 {
            history[0] = model.bosID
            historyCount = 1
            backoffs[current] = model.store.unigramBackoff[Int(model.bosID)]
        }
    }

    /// Scores one word given by its id and appends it to the context.
    @inline(__always)
    public mutating func score(id: UInt32) -> TokenScore {
        // Only the context words that form an n-gram of the model with the previous word can extend to
        // an n-gram with this one (every n-gram's prefixes are in the model, as lmplz and `winnow lm train`
        // write them): the longer orders are not probed at all, as KenLM's minimized state does. Their
        // back-offs are 0, so the score is the same.
        let count = min(historyCount, previousLength), now = current, next = slots - current
        let model = self.model
        let (p, n) = history.withUnsafeBufferPointer { h in
            backoffs.withUnsafeMutableBufferPointer { b in
                model.score(id, context: UnsafeBufferPointer(rebasing: h[0..<count]),
                            contextBackoffs: b.baseAddress! + now, newBackoffs: b.baseAddress! + next)
            }
        }
        current = next
        previousLength = n
        let capacity = model.order - 1
        if capacity > 0 {
            history.withUnsafeMutableBufferPointer { h in
                var i = min(historyCount, capacity - 1)
                while i > 0 { h[i] = h[i - 1]; i -= 1 }
                h[0] = id
            }
            historyCount = min(historyCount + 1, capacity)
        }
        return TokenScore(log10: p, ngramLength: n, oov: id == model.unknownID)
    }

    /// Scores one token given by its UTF-8 bytes.
    @inline(__always)
    public mutating func score(token: UnsafeBufferPointer<UInt8>) -> TokenScore {
        score(id: model.id(of: token))
    }

    /// Scores `</s>`.
    public mutating func end() -> TokenScore { score(id: model.eosID) }

    /// How many words ahead `scoreSentence` loads the n-gram slots of.
    static let lookahead = 2

    /// Scores a sentence given by word ids, with `<s>` as context when `bos` and `</s>` at the end when
    /// `eos`, and returns its log10 probability (a Float sum, as KenLM) and the number of OOV words. The
    /// scores are those of `score(id:)` word by word; the difference is memory-level parallelism: while one
    /// word is scored, the home slots of the n-grams the word `lookahead` places on could match are
    /// prefetched, so the table lookups of consecutive words no longer wait for each other.
    public mutating func scoreSentence(_ ids: UnsafeBufferPointer<UInt32>, bos: Bool = true, eos: Bool = true) -> (log10: Float, oov: Int) {
        begin(bos: bos)
        var total: Float = 0
        var oov = 0
        let tables = model.store.tables
        let contextWords = model.order - 1
        let ahead = Self.lookahead
        for t in 0..<ids.count {
            // Load the slots the word at t + ahead will probe first: its n-grams with the words before it.
            let u = t + ahead
            if u < ids.count, contextWords > 0 {
                var key = NGramHash.start(ids[u])
                var k = 0
                while k < contextWords, u - 1 - k >= 0 {
                    key = NGramHash.extend(key, ids[u - 1 - k])
                    tables[k].prefetch(key)
                    k += 1
                }
            }
            let s = score(id: ids[t])
            total += s.log10
            if s.oov { oov += 1 }
        }
        if eos { total += end().log10 }
        return (total, oov)
    }

    /// The ids of the whitespace-separated tokens of `text`, appended to `ids`: every token is hashed and
    /// its vocabulary slot prefetched first, then all are looked up, so the lookups overlap.
    public mutating func ids(of text: UnsafeBufferPointer<UInt8>, into ids: inout [UInt32]) {
        tokens.removeAll(keepingCapacity: true)
        let store = model.store
        NGramScorer.forEachToken(text) { token in
            let h = Vocabulary.hash(token)
            store.prefetchWord(hash: h)
            tokens.append((token.baseAddress! - text.baseAddress!, token.count, h))
        }
        for (start, count, h) in tokens {
            ids.append(store.find(UnsafeBufferPointer(rebasing: text[start..<(start + count)]), hash: h) ?? model.unknownID)
        }
    }

    /// Scratch for `ids(of:into:)`: offset, length and hash of each token.
    private var tokens: [(Int, Int, UInt64)] = []
    private var lineIDs: [UInt32] = []

    /// Scores one sentence of whitespace-separated tokens with `<s>` and `</s>` (KenLM's `score(line)`):
    /// its log10 probability, its token count (without `</s>`) and its OOV tokens. Looks all the words up
    /// first, then scores them with `scoreSentence`.
    public mutating func scoreLine(_ text: UnsafeBufferPointer<UInt8>) -> (log10: Float, tokens: Int, oov: Int) {
        var ids = lineIDs
        lineIDs = []
        ids.removeAll(keepingCapacity: true)
        self.ids(of: text, into: &ids)
        let s = ids.withUnsafeBufferPointer { scoreSentence($0) }
        let count = ids.count
        lineIDs = ids
        return (s.log10, count, s.oov)
    }

    /// Whether a byte separates tokens: Python's `str.split()` whitespace within ASCII (space, \t, \n, \v,
    /// \f, \r and the separators 0x1C-0x1F). Non-ASCII spaces (U+00A0, U+2000...) are not separators here,
    /// though Python's `split()` (used by the `kenlm` module) treats them as such.
    @inline(__always)
    public static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)
    }

    /// Calls `body` with each whitespace-separated token of `text`.
    @inline(__always)
    public static func forEachToken(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var i = 0
        let n = text.count
        while i < n {
            while i < n, isSpace(text[i]) { i += 1 }
            if i == n { break }
            let start = i
            while i < n, !isSpace(text[i]) { i += 1 }
            body(UnsafeBufferPointer(rebasing: text[start..<i]))
        }
    }
}
