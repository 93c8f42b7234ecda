import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPII
import WinnowTokenizer

/// `winnow-bench`: timing commands for the benchmark scripts (docs/benchmarks.md), kept out of the product
/// CLI. Each loads the texts into memory, then times one component alone on one thread (process CPU time),
/// and prints a human line and a JSON object on the last line.
@main
struct WinnowBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winnow-bench", abstract: "Time Winnow components on in-memory texts (see docs/benchmarks.md).",
        subcommands: [TokenizerBench.self, PIIBench.self])
}

/// Options shared by the benchmarks: the documents to load and how many times to repeat.
struct BenchInput: ParsableArguments {
    @Option(help: "Repetitions; the median is reported.")
    var reps: Int = 3

    @Option(help: "Only the first N MB of text.")
    var limitMb: Double?

    @Argument(help: "Documents: JSONL, WARC or WET (plain, .gz or .zst).")
    var files: [String]

    /// The texts of `files`, up to `--limit-mb`.
    func texts() throws -> [[UInt8]] {
        var texts: [[UInt8]] = []
        var bytes = 0
        let limit = limitMb.map { Int($0 * 1e6) } ?? .max
        struct Done: Error {}
        var stats = StageStats(name: "read")
        do {
            try InputFormat.auto.readDocuments(files: files, options: ReaderOptions(), stats: &stats,
                                               problem: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }) { document in
                if bytes >= limit { throw Done() }
                texts.append(document.text)
                bytes += document.text.count
            }
        } catch is Done {}
        return texts
    }

    /// The median over `--reps` runs of `body`'s process CPU time.
    func medianCPUSeconds(_ body: () -> Void) -> (median: Double, runs: Int) {
        var times: [Double] = []
        for _ in 0..<max(1, reps) {
            let start = processCPUSeconds()
            body()
            times.append(processCPUSeconds() - start)
        }
        times.sort()
        return (times[times.count / 2], times.count)
    }
}

/// `winnow-bench tokenizer`: encoding throughput, a new encoder (cold cache) per repetition.
struct TokenizerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenizer", abstract: "Time encoding on one thread.")

    @Option(help: "tokenizer.json (HF, byte-level BPE) or a .tiktoken ranks file.")
    var tokenizer: String

    @OptionGroup var input: BenchInput

    func run() throws {
        let vocabulary = try BPEVocabulary.load(path: tokenizer, pattern: nil, specialTokens: nil)
        let texts = try input.texts()
        let bytes = texts.reduce(0) { $0 + $1.count }
        var tokens = 0
        var checksum: UInt64 = 0
        var ids: [UInt32] = []
        let (median, runs) = input.medianCPUSeconds {
            let encoder = BPEEncoder(vocabulary: vocabulary)
            tokens = 0
            checksum = 0
            for text in texts {
                ids.removeAll(keepingCapacity: true)
                encoder.encode(text, into: &ids)
                tokens += ids.count
                for id in ids { checksum = checksum &* 1_000_003 &+ UInt64(id) }
            }
        }
        let mbps = Double(bytes) / 1e6 / median
        print("documents \(texts.count), text \(String(format: "%.1f", Double(bytes) / 1e6)) MB, tokens \(tokens), encode CPU-s \(String(format: "%.3f", median)) (median of \(runs)), \(String(format: "%.2f", mbps)) MB/s per core")
        print("{\"documents\": \(texts.count), \"bytes\": \(bytes), \"tokens\": \(tokens), \"checksum\": \(checksum), \"cpu_seconds\": \(median), \"mb_per_s\": \(mbps)}")
    }
}

/// `winnow-bench pii`: the PII scanner alone (all types, global IPs only, as the `pii` stage's defaults).
struct PIIBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pii", abstract: "Time the PII scanner on one thread.")

    @OptionGroup var input: BenchInput

    func run() throws {
        let scanner = PIIScanner(types: .all, publicIPsOnly: true)
        let texts = try input.texts()
        let bytes = texts.reduce(0) { $0 + $1.count }
        var found = 0
        var spans: [PIISpan] = []
        spans.reserveCapacity(1024)
        let (median, runs) = input.medianCPUSeconds {
            found = 0
            for text in texts {
                spans.removeAll(keepingCapacity: true)
                text.withUnsafeBufferPointer { scanner.scan($0, into: &spans) }
                found += spans.count
            }
        }
        let mbps = Double(bytes) / 1e6 / median
        print("documents \(texts.count), text \(String(format: "%.1f", Double(bytes) / 1e6)) MB, spans \(found), scan CPU-s \(String(format: "%.3f", median)) (median of \(runs)), \(String(format: "%.1f", mbps)) MB/s per core")
        print("{\"documents\": \(texts.count), \"bytes\": \(bytes), \"spans\": \(found), \"cpu_seconds\": \(median), \"mb_per_s\": \(mbps)}")
    }
}

/// User plus system CPU time of this process, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
