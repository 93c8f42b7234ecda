#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One predicted label: its index in `FastTextModel.labels` and fastText's probability.
///
/// The probability is what fastText reports: `exp(log(p + 1e-5))`, so a certain prediction reads 1.00001.
public struct FastTextPrediction: Sendable, Equatable {
    public var label: Int
    public var probability: Float

    public init(label: Int, probability: Float) {
        self.label = label
        self.probability = probability
    }
}

/// Predicts labels for lines of text with a `FastTextModel`, as `fasttext predict-prob` does.
///
/// One predictor per thread: it owns the scratch buffers (no allocation per token or per line once
/// warm). The text is UTF-8 bytes, never decoded: tokens are split on ASCII whitespace (space, `\n`,
/// `\r`, `\t`, `\v`, `\f`, NUL), each token adds its dictionary row (if any) and the rows of its
/// character n-grams of `<token>` (counted in UTF-8 characters), then word n-grams are added; the mean
/// of those rows goes through the output layer and the loss's predict rule.
public struct FastTextPredictor {
    public let model: FastTextModel
    private var hidden: [Float]
    private var scores: [Float]
    private var rowCount = 0
    private var token: [UInt8] = []
    private var wordHashes: [Int32] = []
    private var best: [(score: Float, label: Int32)] = []
    /// After a prediction: the offset just past a literal `</s>` token that ended the line early (fastText
    /// stops reading a line there and the CLI reads the rest as a new line), else nil.
    public private(set) var stoppedAt: Int?

    /// fastText's `-1`: every label.
    public static let allLabels = -1

    public init(model: FastTextModel) {
        self.model = model
        hidden = [Float](repeating: 0, count: model.dim)
        scores = [Float](repeating: 0, count: max(model.outputStride, 8))
        token.reserveCapacity(256)
        wordHashes.reserveCapacity(256)
        best.reserveCapacity(model.outputRows + 1)
    }

    /// The `k` most likely labels (all with `k == -1`) whose probability is at least `threshold`, best first.
    ///
    /// `endOfLine` adds fastText's `</s>` token, as the CLI does for a line ending in `\n` and the Python
    /// binding does for every text. A `\n` inside `text` is a separator here (datatrove replaces newlines with
    /// spaces before predicting); `FastTextLinePredictor` follows the CLI line by line instead. Text after a
    /// literal `</s>` token is ignored, as fastText ignores it (`stoppedAt` tells where it stopped).
    public mutating func predict(_ text: UnsafeRawBufferPointer, k: Int = 1, threshold: Float = 0,
                                 endOfLine: Bool = true, into results: inout [FastTextPrediction]) {
        results.removeAll(keepingCapacity: true)
        precondition(k == Self.allLabels || k > 0, "k must be positive or -1")
        let limit = k == Self.allLabels ? max(model.outputRows, 1) : k
        computeHidden(text, endOfLine: endOfLine)
        guard rowCount > 0, model.labelCount > 0 else { return }
        best.removeAll(keepingCapacity: true)
        switch model.header.loss {
        case .hierarchicalSoftmax:
            hierarchicalSearch(limit: limit, threshold: threshold, node: 2 * model.labelCount - 2, score: 0)
        case .softmax:
            computeLogits()
            softmax()
            selectBest(limit: limit, threshold: threshold)
        case .oneVsAll, .negativeSampling:
            computeLogits()
            for i in 0..<model.outputRows { scores[i] = Sigmoid.table(scores[i]) }
            selectBest(limit: limit, threshold: threshold)
        }
        if limit >= model.labelCount && best.count > 1 {
            // Unlimited: collected unordered, sorted once (ties: lower label first).
            best.sort { $0.score > $1.score || ($0.score == $1.score && $0.label < $1.label) }
        }
        for b in best { results.append(FastTextPrediction(label: Int(b.label), probability: expf(b.score))) }
    }

    public mutating func predict(_ text: [UInt8], k: Int = 1, threshold: Float = 0, endOfLine: Bool = true) -> [FastTextPrediction] {
        var results: [FastTextPrediction] = []
        text.withUnsafeBytes { predict($0, k: k, threshold: threshold, endOfLine: endOfLine, into: &results) }
        return results
    }

    public mutating func predict(_ text: String, k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        predict(Array(text.utf8), k: k, threshold: threshold)
    }

    // MARK: Input: tokens, n-grams, the mean of their rows

    @inline(__always)
    private static func isSeparator(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0
    }

    private mutating func computeHidden(_ text: UnsafeRawBufferPointer, endOfLine: Bool) {
        for j in 0..<hidden.count { hidden[j] = 0 }
        rowCount = 0
        wordHashes.removeAll(keepingCapacity: true)
        let n = text.count
        var i = 0
        stoppedAt = nil
        while i < n {
            while i < n && Self.isSeparator(text[i]) { i += 1 }
            if i == n { break }
            let start = i
            while i < n && !Self.isSeparator(text[i]) { i += 1 }
            if addToken(UnsafeRawBufferPointer(rebasing: text[start..<i])) { stoppedAt = i; break }
        }
        if endOfLine && stoppedAt == nil {
            FastTextHash.eos.withUnsafeBytes { _ = addToken($0) }
        }
        addWordNgrams()
        if rowCount > 0 {
            let scale = Float(1.0 / Double(rowCount))
            for j in 0..<hidden.count { hidden[j] *= scale }
        }
    }

    /// Adds one token's rows; returns true when the token is `</s>`, which ends a line in fastText.
    private mutating func addToken(_ word: UnsafeRawBufferPointer) -> Bool {
        var h = FastTextHash.offsetBasis
        for b in word { h = FastTextHash.step(h, b) }
        let id = model.lookup(word, hash: h)
        let isEOS = word.count == 4 && word[0] == 0x3C && word[1] == 0x2F && word[2] == 0x73 && word[3] == 0x3E
        let isLabel = id >= 0 ? model.entryIsLabel[Int(id)] : Self.hasLabelPrefix(word)
        if !isLabel {
            if id >= 0 { addRow(id) }
            if !isEOS && (id < 0 || model.header.maxn > 0) { addCharNgrams(word) }
            wordHashes.append(Int32(bitPattern: h))
        }
        return isEOS
    }

    private static func hasLabelPrefix(_ word: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "__label__"
        guard word.count >= prefix.utf8CodeUnitCount else { return false }
        let p = prefix.utf8Start
        for i in 0..<prefix.utf8CodeUnitCount where word[i] != p[i] { return false }
        return true
    }

    /// The n-grams of `<word>` with `minn...maxn` characters, except `<` and `>` alone.
    private mutating func addCharNgrams(_ word: UnsafeRawBufferPointer) {
        let minn = Int(model.header.minn), maxn = Int(model.header.maxn)
        let bucket = UInt32(max(model.header.bucket, 0))
        guard maxn > 0, bucket > 0 else { return }
        token.removeAll(keepingCapacity: true)
        token.append(0x3C)
        token.append(contentsOf: word)
        token.append(0x3E)
        token.withUnsafeBufferPointer { w in
            FastTextHash.forEachCharNgramBucket(w, minn: minn, maxn: maxn, bucket: bucket) { addBucket($0) }
        }
    }

    /// Word n-grams over the tokens' hashes, with fastText's sign extension of the 32-bit hashes.
    private mutating func addWordNgrams() {
        let n = Int(model.header.wordNgrams)
        let bucket = UInt64(max(model.header.bucket, 0))
        guard n > 1, bucket > 0, wordHashes.count > 1 else { return }
        for i in 0..<wordHashes.count {
            var h = UInt64(bitPattern: Int64(wordHashes[i]))
            var j = i + 1
            while j < wordHashes.count && j < i + n {
                h = h &* 116_049_371 &+ UInt64(bitPattern: Int64(wordHashes[j]))
                addBucket(Int32(truncatingIfNeeded: h % bucket))
                j += 1
            }
        }
    }

    @inline(__always)
    private mutating func addBucket(_ bucket: Int32) {
        let pruned = model.pruneIndexSize
        if pruned == 0 || bucket < 0 { return }
        var row = bucket
        if pruned > 0 {
            row = model.prunedRow(bucket)
            if row < 0 { return }
        }
        addRow(Int32(model.wordCount) + row)
    }

    @inline(__always)
    private mutating func addRow(_ row: Int32) {
        let dim = model.dim
        let src = model.input + Int(row) * dim * 4
        rowCount += 1
        hidden.withUnsafeMutableBufferPointer { h in
            let dst = UnsafeMutableRawPointer(h.baseAddress!)
            var j = 0
            while j + 8 <= dim {
                let a = dst.load(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                let b = src.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                dst.storeBytes(of: a + b, toByteOffset: j * 4, as: SIMD8<Float>.self)
                j += 8
            }
            while j < dim {
                h[j] += src.loadUnaligned(fromByteOffset: j * 4, as: Float.self)
                j += 1
            }
        }
    }

    // MARK: Output: logits, losses, best labels

    /// `scores[l] = sum_j W[l][j] * hidden[j]`, summed over `j` in order as fastText does (so the rounding is
    /// the same), eight labels at a time from the transposed matrix.
    private mutating func computeLogits() {
        let stride = model.outputStride, dim = model.dim
        model.outputTransposed.withUnsafeBufferPointer { wt in
            hidden.withUnsafeBufferPointer { h in
                scores.withUnsafeMutableBufferPointer { out in
                    let o = UnsafeMutableRawPointer(out.baseAddress!)
                    let w = UnsafeRawPointer(wt.baseAddress!)
                    var l = 0
                    while l < stride {
                        var acc = SIMD8<Float>(repeating: 0)
                        for j in 0..<dim {
                            acc = acc + w.load(fromByteOffset: (j * stride + l) * 4, as: SIMD8<Float>.self) * SIMD8(repeating: h[j])
                        }
                        o.storeBytes(of: acc, toByteOffset: l * 4, as: SIMD8<Float>.self)
                        l += 8
                    }
                }
            }
        }
        if let norms = model.outputNorms {
            for i in 0..<model.outputRows { scores[i] = scores[i] * norms[i] }
        }
    }

    private mutating func softmax() {
        let n = model.outputRows
        var top = scores[0]
        for i in 0..<n { top = max(scores[i], top) }
        var z: Float = 0
        for i in 0..<n {
            scores[i] = Float(exp(Double(scores[i] - top)))
            z += scores[i]
        }
        for i in 0..<n { scores[i] /= z }
    }

    /// fastText's `std_log`.
    @inline(__always)
    private static func stdLog(_ x: Float) -> Float {
        Float(log(Double(x) + 1e-5))
    }

    /// Keeps the `limit` best log-probabilities; ties keep the lower label index first.
    private mutating func selectBest(limit: Int, threshold: Float) {
        for i in 0..<model.outputRows where !(scores[i] < threshold) {
            insert(Self.stdLog(scores[i]), Int32(i), limit: limit)
        }
    }

    @inline(__always)
    private mutating func insert(_ score: Float, _ label: Int32, limit: Int) {
        if limit >= model.labelCount {
            best.append((score, label))
            return
        }
        if best.count == limit {
            guard score > best[best.count - 1].score else { return }
            best.removeLast()
        }
        var at = best.count
        while at > 0 && best[at - 1].score < score { at -= 1 }
        best.insert((score, label), at: at)
    }

    /// fastText's `HierarchicalSoftmaxLoss::dfs`: a depth-first search that prunes branches below the
    /// threshold or below the current k-th best.
    private mutating func hierarchicalSearch(limit: Int, threshold: Float, node: Int, score: Float) {
        if score < Self.stdLog(threshold) { return }
        if best.count == limit && limit < model.labelCount && score < best[best.count - 1].score { return }
        let left = model.treeLeft[node], right = model.treeRight[node]
        if left == -1 && right == -1 {
            if limit >= model.labelCount {
                best.append((score, Int32(node)))
                return
            }
            // fastText pushes then pops the smallest; a tie with the k-th best does not replace it.
            if best.count == limit {
                guard score > best[best.count - 1].score else { return }
                best.removeLast()
            }
            var at = best.count
            while at > 0 && best[at - 1].score < score { at -= 1 }
            best.insert((score, Int32(node)), at: at)
            return
        }
        var f = dotOutputRow(node - model.labelCount)
        let denominator: Float = 1 + expf(-f)
        f = Float(1.0 / Double(denominator))
        hierarchicalSearch(limit: limit, threshold: threshold, node: Int(left), score: score + Self.stdLog(Float(1.0 - Double(f))))
        hierarchicalSearch(limit: limit, threshold: threshold, node: Int(right), score: score + Self.stdLog(f))
    }

    private func dotOutputRow(_ row: Int) -> Float {
        let dim = model.dim
        var d: Float = 0
        model.output.withUnsafeBufferPointer { w in
            for j in 0..<dim { d += w[row * dim + j] * hidden[j] }
        }
        if let norms = model.outputNorms { d *= norms[row] }
        return d
    }
}

/// fastText's sigmoid lookup table (512 steps over [-8, 8]), used by one-vs-all and negative sampling.
enum Sigmoid {
    static let values: [Float] = (0...512).map { i in
        let x = Float(i * 16) / 512 - 8
        return Float(1.0 / (1.0 + Double(expf(-x))))
    }

    @inline(__always)
    static func table(_ x: Float) -> Float {
        if x < -8 || x.isNaN { return 0 }  // NaN only from a corrupt model's weights
        if x > 8 { return 1 }
        let i = Int((x + 8) * 512 / 8 / 2)
        return values[i]
    }
}
