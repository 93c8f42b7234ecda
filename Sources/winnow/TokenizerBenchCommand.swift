import ArgumentParser
import Foundation
import WinnowTokenizer

/// `winnow tokenizer bench`: encoding throughput on in-memory texts, one thread (Benchmarks/Tokenizer).
struct TokenizerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Time encoding on in-memory texts, one thread (see docs/benchmarks.md).",
        shouldDisplay: false)

    @OptionGroup var tokenizer: TokenizerFileOptions
    @OptionGroup var input: DocumentInputOptions

    @Option(help: "Repetitions, each with a new encoder (cold cache); the median is reported.")
    var reps: Int = 3

    @Option(help: "Only the first N MB of text.")
    var limitMb: Double?

    @Argument(help: "Input files.")
    var files: [String]

    func run() throws {
        let vocabulary = try tokenizer.load()
        var texts: [[UInt8]] = []
        var bytes = 0
        let limit = limitMb.map { Int($0 * 1e6) } ?? .max
        struct Done: Error {}
        do {
            try input.read(files) { document in
                if bytes >= limit { throw Done() }
                texts.append(document.text)
                bytes += document.text.count
            }
        } catch is Done {}
        var times: [Double] = []
        var tokens = 0
        var checksum: UInt64 = 0
        var ids: [UInt32] = []
        for _ in 0..<max(1, reps) {
            let encoder = BPEEncoder(vocabulary: vocabulary)
            tokens = 0
            checksum = 0
            let start = piiCPUSeconds()
            for text in texts {
                ids.removeAll(keepingCapacity: true)
                encoder.encode(text, into: &ids)
                tokens += ids.count
                for id in ids { checksum = checksum &* 1_000_003 &+ UInt64(id) }
            }
            times.append(piiCPUSeconds() - start)
        }
        times.sort()
        let median = times[times.count / 2]
        let mbps = Double(bytes) / 1e6 / median
        print("documents \(texts.count), text \(String(format: "%.1f", Double(bytes) / 1e6)) MB, tokens \(tokens), encode CPU-s \(String(format: "%.3f", median)) (median of \(times.count)), \(String(format: "%.2f", mbps)) MB/s per core")
        print("{\"documents\": \(texts.count), \"bytes\": \(bytes), \"tokens\": \(tokens), \"checksum\": \(checksum), \"cpu_seconds\": \(median), \"mb_per_s\": \(mbps)}")
    }
}
