import Dispatch
import WinnowText

/// Counts the pre-tokens of many documents on several threads, for tokenizer training.
///
/// Documents are gathered into batches (`batchBytes` of text); each batch is split between `threads` workers,
/// each with its own pre-tokenizer, optional Unicode normalizer and `PreTokenCounter`. When a worker's table
/// passes its share of `memoryBudget`, it is written to `spillDirectory` as a sorted run and emptied; `finish`
/// merges what is left. Counting is a sum, so the counts — and the tokenizer trained on them — are the same for
/// any number of threads and any budget.
public final class ParallelPreTokenCounter {
    public struct Options: Sendable {
        public var threads: Int
        /// Bytes of counting tables held in memory before spilling (all workers together).
        public var memoryBudget: Int = 4 << 30
        /// Where sorted runs go; nil: never spill.
        public var spillDirectory: String?
        /// Run files are named `<spillDirectory>/<runFilePrefix><n>.run`, n = 00000, 00001, ...
        public var runFilePrefix = "pretokens-"
        /// Normalization applied to each document before splitting (nil: none).
        public var normalization: NormalizationForm?
        /// Text per batch handed to the workers.
        public var batchBytes: Int = 16 << 20
        /// The split pattern.
        public var pattern: SplitPattern = .gpt2

        public init(threads: Int) { self.threads = max(1, threads) }
    }

    public let options: Options
    private let workers: Workers
    private var batch: [[UInt8]] = []
    private var batchSize = 0
    public private(set) var documents = 0
    public private(set) var runs: [String] = []

    /// Per-worker state, touched by one thread each during a batch.
    private final class Workers: @unchecked Sendable {
        var counters: [PreTokenCounter]
        let normalizers: [UnicodeNormalizer?]
        let splitter: PreTokenizer
        init(_ n: Int, pattern: SplitPattern, normalization: NormalizationForm?) {
            counters = (0..<n).map { _ in PreTokenCounter() }
            normalizers = (0..<n).map { _ in normalization.map { UnicodeNormalizer(form: $0) } }
            splitter = PreTokenizer(pattern: pattern)
        }
    }

    public init(options: Options) {
        self.options = options
        workers = Workers(options.threads, pattern: options.pattern, normalization: options.normalization)
    }

    /// Adds one document (its whole text).
    public func add(document text: [UInt8]) throws {
        documents += 1
        batchSize += text.count
        batch.append(text)
        if batchSize >= options.batchBytes { try processBatch() }
    }

    private func processBatch() throws {
        guard !batch.isEmpty else { return }
        let docs = batch
        let threads = options.threads
        let w = workers
        w.counters.withUnsafeMutableBufferPointer { counters in
            let counters = UnsafeMutableSendableBuffer(counters)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let normalizer = w.normalizers[t]
                for d in stride(from: t, to: docs.count, by: threads) {
                    let text = normalizer.map { $0.normalize(docs[d]) } ?? docs[d]
                    text.withUnsafeBufferPointer { buffer in
                        guard let base = buffer.baseAddress else { return }
                        w.splitter.split(buffer) { range in counters.pointer[t].add(base + range.lowerBound, range.count) }
                    }
                }
            }
        }
        batch.removeAll(keepingCapacity: true)
        batchSize = 0
        if let dir = options.spillDirectory {
            let share = max(options.memoryBudget / threads, 1 << 20)
            for t in 0..<threads where w.counters[t].memoryBytes > share {
                try spill(t, dir)
            }
        }
    }

    private func spill(_ t: Int, _ dir: String) throws {
        let path = dir + "/" + options.runFilePrefix + String(runs.count + 100_000).dropFirst() + ".run"
        try PreTokenRuns.write(workers.counters[t], to: path)
        runs.append(path)
        workers.counters[t] = PreTokenCounter()
    }

    /// Counts what is left and returns all counts: in memory when nothing was spilled, else as sorted runs.
    public func finish() throws -> PreTokenCounts {
        try processBatch()
        if runs.isEmpty {
            var total = PreTokenCounter()
            for counter in workers.counters.sorted(by: { $0.count > $1.count }) {
                if total.count == 0 { total = counter } else { total.merge(counter) }
            }
            workers.counters = []
            return .memory(total)
        }
        for t in 0..<workers.counters.count where workers.counters[t].count > 0 { try spill(t, options.spillDirectory!) }
        return .runs(runs)
    }
}

extension ParallelPreTokenCounter {
    /// Counts what is left and writes every count to sorted runs in the spill directory (at least one run,
    /// empty when there was no document): for handing counts to another process. Returns the run paths.
    public func finishIntoRuns() throws -> [String] {
        guard let directory = options.spillDirectory else { throw PreTokenRuns.IOError(description: "no spill directory") }
        switch try finish() {
        case .runs(let paths): return paths
        case .memory(let counter):
            let path = directory + "/" + options.runFilePrefix + "00000.run"
            try PreTokenRuns.write(counter, to: path)
            return [path]
        }
    }
}

/// Pre-token counts, in memory or in sorted runs on disk.
public enum PreTokenCounts {
    case memory(PreTokenCounter)
    case runs([String])

    /// Every distinct pre-token with its total count (runs: in key order, read from disk).
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int64) throws -> Void) throws {
        switch self {
        case .memory(let counter): try counter.forEach(body)
        case .runs(let paths): try PreTokenRuns.merge(paths, body)
        }
    }

    /// The number of distinct pre-tokens when known without reading (in memory), else nil.
    public var knownCount: Int? {
        if case .memory(let c) = self { return c.count }
        return nil
    }
}

/// A mutable buffer shared with worker closures that each touch their own element.
struct UnsafeMutableSendableBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Element>
    init(_ pointer: UnsafeMutableBufferPointer<Element>) { self.pointer = pointer }
}
