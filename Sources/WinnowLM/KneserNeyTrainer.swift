import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem while training a language model.
public struct LanguageModelTrainingError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Settings of `KneserNeyTrainer`.
public struct KneserNeyTrainingOptions: Sendable {
    /// The highest n-gram order, 2 to 5 (any order >= 1 works).
    public var order: Int
    /// Memory for the n-gram count table and the sort buffers; past it, sorted runs go to disk.
    public var memoryBytes: Int
    /// Where runs are written (a fresh subdirectory, removed at the end); default: the system's temporary directory.
    public var temporaryDirectory: String?
    /// Discounts for orders whose closed-form estimate fails (lmplz `--discount_fallback`); nil: fail.
    public var discountFallback: KneserNeyDiscount?
    /// Apply `LanguageModelNormalizer` to the text before counting (`add(text:)` only).
    public var normalize: Bool

    public init(order: Int = 3, memoryBytes: Int = 1 << 30, temporaryDirectory: String? = nil,
                discountFallback: KneserNeyDiscount? = nil, normalize: Bool = false) {
        self.order = order
        self.memoryBytes = memoryBytes
        self.temporaryDirectory = temporaryDirectory
        self.discountFallback = discountFallback
        self.normalize = normalize
    }
}

/// What training produced.
public struct KneserNeyTrainingSummary: Sendable {
    /// Words counted (not `</s>`) and sentences.
    public var tokens: Int
    public var sentences: Int
    /// N-grams per order in the model (index 0 = unigrams, `<unk>` and `<s>` included).
    public var ngramCounts: [Int]
    /// Discounts per order (index 0 = unigrams).
    public var discounts: [KneserNeyDiscount]
    /// Orders whose discounts are the fallback values.
    public var ordersWithFallbackDiscounts: [Int]
    /// Sorted runs the counter wrote to disk (0: the counts fit in memory).
    public var countRuns: Int
    /// `<s>`, `</s>` and `<unk>` found in the text and skipped.
    public var skippedSpecialTokens: Int
}

/// Estimates an interpolated modified Kneser-Ney n-gram model from sentences and writes it as ARPA, with
/// KenLM `lmplz`'s semantics:
///
/// - each sentence is `<s>` + its whitespace-separated tokens + `</s>`; the highest order keeps raw counts;
///   a lower-order n-gram's adjusted count is the number of distinct words seen before it, except for
///   n-grams starting with `<s>`, which keep raw counts;
/// - per order, discounts D1, D2, D3+ from the counts of adjusted counts 1-4 (`KneserNeyDiscount`);
/// - p(w | h) = (a(hw) - D(a(hw))) / a(h·) + γ(h) p(w | h'), with γ(h) = (D1 N1(h·) + D2 N2(h·) + D3+ N3+(h·))
///   / a(h·) and h' = h without its first word; unigrams interpolate with the uniform distribution over the
///   vocabulary without `<s>`; `<unk>` gets only the interpolated mass; `<s>` gets probability 1 (log10 0,
///   as lmplz writes it) since it is never predicted;
/// - the ARPA back-off of a context h is γ(h) (0 in log10 for n-grams that are no context and for those
///   ending in `</s>` or `<unk>`), so every context's distribution sums to 1.
///
/// Bounded memory: `NGramCounter` counts the highest order in a table limited by `memoryBytes` and spills
/// sorted runs; the estimation then streams through external sorts (WinnowIO's `ExternalSorter`), in the spirit of
/// lmplz: adjusted counts in suffix order, probabilities grouped by context, interpolation walking all orders
/// together in suffix order. Memory is the vocabulary, the sort buffers (`memoryBytes` in all) and one
/// context's n-grams at a time. The output does not depend on `memoryBytes`.
public final class KneserNeyTrainer {
    public let options: KneserNeyTrainingOptions
    private let directory: String
    private let counter: NGramCounter
    private let normalizer: LanguageModelNormalizer?
    private var normalized: [UInt8] = []

    public init(options: KneserNeyTrainingOptions) throws {
        guard options.order >= 1 else { throw LanguageModelTrainingError("the order must be at least 1") }
        self.options = options
        let base = options.temporaryDirectory ?? NSTemporaryDirectory()
        directory = (base as NSString).appendingPathComponent("winnow-lm-\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LanguageModelTrainingError("cannot create the temporary directory \(directory): \(error)")
        }
        counter = NGramCounter(order: options.order, memoryBytes: options.memoryBytes, directory: directory)
        normalizer = options.normalize ? LanguageModelNormalizer() : nil
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Adds one sentence, given as is (no normalization): whitespace-separated tokens.
    public func add(sentence: UnsafeBufferPointer<UInt8>) throws {
        try counter.add(sentence: sentence)
    }

    /// Adds a text: normalized when `options.normalize`, then every line (split on `\n`, empty lines
    /// included, as lmplz reads its input) is one sentence.
    public func add(text: UnsafeBufferPointer<UInt8>) throws {
        if let normalizer {
            normalizer.normalize(text, into: &normalized)
            let copy = normalized
            try copy.withUnsafeBufferPointer { try addLines($0) }
        } else {
            try addLines(text)
        }
    }

    public func add(text: [UInt8]) throws { try text.withUnsafeBufferPointer { try add(text: $0) } }
    public func add(text: String) throws { try add(text: Array(text.utf8)) }

    private func addLines(_ text: UnsafeBufferPointer<UInt8>) throws {
        var start = 0
        let n = text.count
        while start <= n {
            var end = start
            while end < n, text[end] != 0x0A { end += 1 }
            try counter.add(sentence: UnsafeBufferPointer(rebasing: text[start..<end]))
            start = end + 1
        }
    }

    /// Estimates the model and writes it to `path` as ARPA.
    @discardableResult
    public func writeARPA(to path: String) throws -> KneserNeyTrainingSummary {
        guard counter.sentenceCount > 0 else { throw LanguageModelTrainingError("no input text") }
        let order = options.order
        let vocabulary = counter.vocabulary
        let countRuns = counter.runCount
        let adjusted = try adjustCounts(try counter.finish(), order: order)
        var discounts: [KneserNeyDiscount] = []
        var fallbackOrders: [Int] = []
        for n in 1...order {
            if let d = KneserNeyDiscount(countOfCounts: adjusted.countOfCounts[n - 1]) {
                discounts.append(d)
            } else if let fallback = options.discountFallback {
                discounts.append(fallback)
                fallbackOrders.append(n)
            } else {
                let c = adjusted.countOfCounts[n - 1]
                throw LanguageModelTrainingError("""
                    cannot estimate Kneser-Ney discounts for \(n)-grams from the counts of adjusted counts 1-4 \
                    (\(c.map(String.init).joined(separator: ", "))): too little or artificial data? Deduplicate \
                    the input, or pass a discount fallback (lmplz's --discount_fallback)
                    """)
            }
        }
        let probabilities = try initialProbabilities(adjusted.sorters, discounts: discounts, order: order)
        let counts = try interpolateAndWrite(probabilities, order: order, vocabulary: vocabulary, path: path)
        return KneserNeyTrainingSummary(
            tokens: counter.tokenCount, sentences: counter.sentenceCount, ngramCounts: counts, discounts: discounts,
            ordersWithFallbackDiscounts: fallbackOrders, countRuns: countRuns,
            skippedSpecialTokens: counter.skippedSpecialTokens)
    }

    // MARK: adjusted counts

    private struct AdjustedCounts {
        /// Per order: (ids, count low, count high), sorted by context (unigrams: by id).
        var sorters: [NGramSorter]
        /// Per order: the number of n-grams with adjusted count 1, 2, 3, 4.
        var countOfCounts: [[UInt64]]
    }

    /// Derives every order's n-grams and adjusted counts from the highest-order counts in suffix order.
    /// Walking the n-grams in suffix order, a lower-order n-gram (a suffix) is finished when the suffix of
    /// that length changes; its adjusted count is the number of distinct words before it, that is the number
    /// of times the suffix one word longer changed while it stayed. Suffixes that start with `<s>` keep the raw
    /// count, and highest-order n-grams with `<s>` in second position (the padding) only yield their suffixes.
    private func adjustCounts(_ full: NGramStream, order: Int) throws -> AdjustedCounts {
        let share = max(1 << 16, options.memoryBytes / order)
        let sorters = (1...order).map { n in
            NGramSorter(width: n + 2, keyLength: n, order: n == 1 ? .suffix : .context, memoryBytes: share,
                                 directory: directory, name: "adjusted\(n)")
        }
        var countOfCounts = [[UInt64]](repeating: [0, 0, 0, 0], count: order)
        var scratch = [UInt32](repeating: 0, count: order + 2)
        func emit(_ n: Int, _ ids: UnsafePointer<UInt32>, _ count: UInt64) throws {
            try scratch.withUnsafeMutableBufferPointer { r in
                r.baseAddress!.update(from: ids, count: n)
                r[n] = UInt32(truncatingIfNeeded: count)
                r[n + 1] = UInt32(truncatingIfNeeded: count >> 32)
                try sorters[n - 1].append(r.baseAddress!)
            }
            if count >= 1 && count <= 4 { countOfCounts[n - 1][Int(count) - 1] += 1 }
        }
        // <unk> and <s> are unigrams of count 0 (no n-gram ends with them).
        var special: [UInt32] = [0, 1]
        try special.withUnsafeMutableBufferPointer { s in
            try emit(1, s.baseAddress!, 0)
            try emit(1, s.baseAddress! + 1, 0)
        }
        // current[n] holds the suffix of length n being counted, as the last n words of a row of `order`.
        var current = [UInt32](repeating: 0, count: order * order)
        var currentCount = [UInt64](repeating: 0, count: order)
        var valid = [Bool](repeating: false, count: order)
        var previous = [UInt32](repeating: 0, count: order)
        var hasPrevious = false
        try current.withUnsafeMutableBufferPointer { current in
            let rows = current.baseAddress!
            func row(_ n: Int) -> UnsafeMutablePointer<UInt32> { rows + n * order }
            while let r = full.head {
                let count = UInt64(r[order + 1]) << 32 | UInt64(r[order])
                var same = 0
                if hasPrevious {
                    while same < order, r[order - 1 - same] == previous[order - 1 - same] { same += 1 }
                }
                var n = order - 1
                while n > same {
                    if valid[n] { try emit(n, row(n), currentCount[n]); valid[n] = false }
                    n -= 1
                }
                if same > 0, same < order, valid[same] { currentCount[same] += 1 }
                var i = order - 1 - same
                while i > 0, r[i] != 1 {
                    row(order - i).update(from: r + i, count: order - i)
                    currentCount[order - i] = 1
                    valid[order - i] = true
                    i -= 1
                }
                if i > 0 {
                    row(order - i).update(from: r + i, count: order - i)
                    currentCount[order - i] = count
                    valid[order - i] = true
                } else {
                    try emit(order, r, count)
                }
                for k in 0..<order { previous[k] = r[k] }
                hasPrevious = true
                try full.advance()
            }
            for n in 1..<order where valid[n] { try emit(n, row(n), currentCount[n]) }
        }
        _ = special
        return AdjustedCounts(sorters: sorters, countOfCounts: countOfCounts)
    }

    // MARK: probabilities before interpolation

    private struct InitialProbabilities {
        /// Per order: (ids, uninterpolated probability, γ of the n-gram's context), Float bit patterns, suffix order.
        var ngrams: [NGramStream]
        /// Per order n < highest: (ids, γ) of the n-grams that are contexts, in suffix order.
        var contextWeights: [NGramStream]
    }

    private func initialProbabilities(_ adjusted: [NGramSorter], discounts: [KneserNeyDiscount],
                                      order: Int) throws -> InitialProbabilities {
        let share = max(1 << 16, options.memoryBytes / (2 * order))
        var ngrams: [NGramStream] = []
        var weights: [NGramSorter] = (1..<max(order, 1)).map { n in
            NGramSorter(width: n + 1, keyLength: n, order: .suffix, memoryBytes: share,
                                 directory: directory, name: "gamma\(n)")
        }
        for n in 1...order {
            let input = try adjusted[n - 1].finish()
            let output = NGramSorter(width: n + 2, keyLength: n, order: .suffix, memoryBytes: share,
                                              directory: directory, name: "probabilities\(n)")
            let discount = discounts[n - 1]
            let width = n + 2
            var group: [UInt32] = []
            var record = [UInt32](repeating: 0, count: width)
            var contextRecord = [UInt32](repeating: 0, count: n)

            func flushGroup() throws {
                let members = group.count / width
                guard members > 0 else { return }
                var denominator: UInt64 = 0
                var ofCount: (UInt64, UInt64, UInt64) = (0, 0, 0)
                for m in 0..<members {
                    let c = UInt64(group[m * width + n + 1]) << 32 | UInt64(group[m * width + n])
                    denominator += c
                    switch c {
                    case 0: break
                    case 1: ofCount.0 += 1
                    case 2: ofCount.1 += 1
                    default: ofCount.2 += 1
                    }
                }
                guard denominator > 0 else { throw LanguageModelTrainingError("internal: empty context") }
                let total = Double(denominator)
                let gamma = (discount.d1 * Double(ofCount.0) + discount.d2 * Double(ofCount.1)
                             + discount.d3Plus * Double(ofCount.2)) / total
                for m in 0..<members {
                    let base = m * width
                    let c = UInt64(group[base + n + 1]) << 32 | UInt64(group[base + n])
                    var probability = (Double(c) - discount.amount(forCount: c)) / total
                    var contextGamma = gamma
                    if n == 1 && group[base] == 1 { probability = 1; contextGamma = 0 }  // <s>
                    for k in 0..<n { record[k] = group[base + k] }
                    record[n] = Float(probability).bitPattern
                    record[n + 1] = Float(contextGamma).bitPattern
                    try record.withUnsafeBufferPointer { try output.append($0.baseAddress!) }
                }
                if n >= 2 {
                    for k in 0..<(n - 1) { contextRecord[k] = group[k] }
                    contextRecord[n - 1] = Float(gamma).bitPattern
                    try contextRecord.withUnsafeBufferPointer { try weights[n - 2].append($0.baseAddress!) }
                }
                group.removeAll(keepingCapacity: true)
            }

            while let r = input.head {
                if n >= 2, !group.isEmpty {
                    let sameContext = group.withUnsafeBufferPointer {
                        NGramRecordOrder.sameKey($0.baseAddress!, r, length: n - 1)
                    }
                    if !sameContext { try flushGroup() }
                }
                group.append(contentsOf: UnsafeBufferPointer(start: r, count: width))
                try input.advance()
            }
            try flushGroup()
            ngrams.append(try output.finish())
        }
        var contextWeights: [NGramStream] = []
        for i in weights.indices { contextWeights.append(try weights[i].finish()) }
        weights.removeAll()
        return InitialProbabilities(ngrams: ngrams, contextWeights: contextWeights)
    }

    // MARK: interpolation and output

    /// Walks all orders together in suffix order (each n-gram right after its suffix, whose interpolated
    /// probability is then known), writes each order's ARPA lines to a file and joins them. Returns the
    /// n-gram counts per order.
    private func interpolateAndWrite(_ input: InitialProbabilities, order: Int, vocabulary: Vocabulary,
                                     path: String) throws -> [Int] {
        let uniform = 1 / Double(max(vocabulary.count - 1, 1))  // the vocabulary without <s>
        var probabilities = [Double](repeating: 0, count: order + 1)
        probabilities[0] = uniform
        var counts = [Int](repeating: 0, count: order)
        var files: [UnsafeMutablePointer<FILE>] = []
        defer { for f in files { fclose(f) } }
        for n in 1...order {
            let orderPath = "\(directory)/order\(n).arpa"
            guard let f = fopen(orderPath, "w+b") else { throw LanguageModelTrainingError("cannot create \(orderPath)") }
            files.append(f)
        }
        var line: [UInt8] = []
        line.reserveCapacity(256)
        var levelIDs = [[UInt32]](repeating: [], count: order + 1)
        for n in 1...order { levelIDs[n] = [UInt32](repeating: 0, count: n) }

        func visit(_ n: Int, _ r: UnsafePointer<UInt32>) throws {
            let uninterpolated = Double(Float(bitPattern: r[n]))
            let gamma = Double(Float(bitPattern: r[n + 1]))
            let probability = uninterpolated + gamma * probabilities[n - 1]
            probabilities[n] = probability
            var backoff = 1.0
            let last = r[n - 1]
            if n < order, last != 0, last != 2, let w = input.contextWeights[n - 1].head,
               NGramRecordOrder.sameKey(w, r, length: n) {
                backoff = Double(Float(bitPattern: w[n]))
                try input.contextWeights[n - 1].advance()
            }
            line.removeAll(keepingCapacity: true)
            Self.appendNumber(min(0, Float(log10(probability))), to: &line)
            for k in 0..<n {
                line.append(k == 0 ? 0x09 : 0x20)
                vocabulary.withWord(Int(r[k])) { line.append(contentsOf: $0) }
            }
            if n < order {
                line.append(0x09)
                Self.appendNumber(Float(log10(backoff)), to: &line)
            }
            line.append(0x0A)
            let written = line.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, files[n - 1]) }
            guard written == line.count else { throw LanguageModelTrainingError("cannot write (disk full?)") }
            counts[n - 1] += 1
        }

        func walk(_ n: Int) throws {
            let stream = input.ngrams[n - 1]
            while let r = stream.head {
                if n > 1 {
                    let child = levelIDs[n - 1].withUnsafeBufferPointer { NGramRecordOrder.sameKey(r + 1, $0.baseAddress!, length: n - 1) }
                    if !child { return }
                }
                for k in 0..<n { levelIDs[n][k] = r[k] }
                try visit(n, r)
                try stream.advance()
                if n < order { try walk(n + 1) }
            }
        }
        try walk(1)
        for n in 1...order where input.ngrams[n - 1].head != nil {
            throw LanguageModelTrainingError("internal: \(n)-grams left whose suffix is not in the model")
        }
        for n in 1..<order where input.contextWeights[n - 1].head != nil {
            throw LanguageModelTrainingError("internal: back-offs left for \(n)-grams")
        }

        guard let out = fopen(path, "wb") else { throw LanguageModelTrainingError("cannot create \(path)") }
        defer { fclose(out) }
        var header = "\\data\\\n"
        for n in 1...order { header += "ngram \(n)=\(counts[n - 1])\n" }
        var ok = fputs(header, out) >= 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for n in 1...order where ok {
            ok = fputs("\n\\\(n)-grams:\n", out) >= 0
            rewind(files[n - 1])
            while ok {
                let got = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, files[n - 1]) }
                if got == 0 { break }
                ok = chunk.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, got, out) } == got
            }
        }
        if ok { ok = fputs("\n\\end\\\n", out) >= 0 }
        if ok { ok = fflush(out) == 0 }
        guard ok else { throw LanguageModelTrainingError("cannot write \(path) (disk full?)") }
        return counts
    }

    /// Appends the shortest decimal that reads back as `value` ("0" for zero).
    static func appendNumber(_ value: Float, to line: inout [UInt8]) {
        if value == 0 { line.append(0x30); return }
        let text = value.description
        if text.hasSuffix(".0") { line.append(contentsOf: text.utf8.dropLast(2)) } else { line.append(contentsOf: text.utf8) }
    }
}
