import ArgumentParser
import Foundation
import WinnowCore
import WinnowIO
import WinnowPipeline
import WinnowShards
import WinnowTokenizer

/// `winnow shards ...`: token shards for trainers.
struct ShardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards", abstract: "Token shards for trainers: build, verify, inspect, stats (see docs/shards.md).",
        subcommands: [ShardsBuildCommand.self, ShardsMergeCommand.self, ShardsVerifyCommand.self, ShardsInspectCommand.self,
                      ShardsStatsCommand.self])
}

struct ShardsBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Encode documents and write token shards with manifest.json (the pipeline step `tokenize`).",
        discussion: """
        Runs the phases of the step `run: {tokenize: ...}` (encode on all workers, one task per input file; then \
        merge: global seeded shuffle, shards of --shard-tokens, written in parallel, verified) in \
        OUTPUT/.winnow-run, which is removed when it completes; an interrupted build resumes when run again.
        """)

    @Argument(help: "Input files (JSONL, WARC, WET; plain, .gz or .zst).")
    var inputs: [String]

    @Option(help: "Tokenizer: tokenizer.json or .tiktoken (with its tiktoken.json).")
    var tokenizer: String

    @Option(help: "Token added after each document (text such as <|endoftext|>, or an id).")
    var eos: String?

    @Option(help: "Token added before each document (llm.c's EOT).")
    var bos: String?

    @Option(help: "Hold this fraction of the tokens out as a validation split (its own _val_ shards).")
    var validationFraction: Double?

    @Option(help: "Hold this many tokens out as a validation split (its own _val_ shards).")
    var validationTokens: Int?

    @OptionGroup var layout: ShardOutputOptions

    @OptionGroup var input: DocumentInputOptions

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String

    func validate() throws {
        if validationFraction != nil, validationTokens != nil { throw ValidationError("give --validation-fraction or --validation-tokens, not both") }
    }

    func run() throws {
        try reportingErrors {
            func token(_ s: String) -> JSONValue { Int(s).map { .number(JSONNumber($0)) } ?? .string(s) }
            let shardFormat = layout.shardFormat ?? ShardFormat.megatron.rawValue
            var parameters: [String: JSONValue] = [
                "tokenizer": .string(URL(fileURLWithPath: tokenizer).path), "format": .string(shardFormat),
                "shard_tokens": .number(JSONNumber(layout.shardTokens ?? 100_000_000)), "seed": .number(JSONNumber(layout.seed)),
                "shuffle": .bool(!layout.noShuffle), "name": .string(layout.name),
            ]
            if let validationFraction { parameters["validation"] = .object(["fraction": .number(JSONNumber(validationFraction))]) }
            if let validationTokens { parameters["validation"] = .object(["tokens": .number(JSONNumber(validationTokens))]) }
            if let eos { parameters["eos"] = token(eos) }
            if let bos { parameters["bos"] = token(bos) }
            let run = StandaloneDatasetStepRun(stepName: TokenizeStep.stepName, parameters: parameters, inputs: inputs,
                                               format: try input.inputFormat(), readerOptions: input.readerOptions, output: output,
                                               optionNames: ["format": "--shard-format", "shuffle": "--no-shuffle",
                                                             "validation": validationTokens != nil ? "--validation-tokens" : "--validation-fraction"])
            let stats = try run.run(options: RunOptions(workers: layout.workers ?? ProcessInfo.processInfo.activeProcessorCount),
                                    logger: makeLogger(quiet: true, verbose: false))
            let read = stats.first { $0.name == "read" }
            let merge = stats.first { $0.name == "merge" }
            let problems = inputProblemCount(stats)
            FileHandle.standardError.write(Data("""
                \(merge?.documentsOut ?? 0) documents\(problems > 0 ? " (\(problems) input problems)" : ""), \
                \(merge?.counters["tokens"] ?? 0) tokens in \(merge?.counters["shards"] ?? 0) \(shardFormat) shards -> \(output)/manifest.json\n
                """.utf8))
        }
    }
}

struct ShardsMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge shard sets of one tokenizer into one set: re-cut, reshuffled, rewritten, with manifest.json.",
        discussion: """
        Training documents are taken in the order of the inputs (the first set's shards, then the next's) and \
        shuffled with --seed like `shards build` shuffles its input; a validation split's documents stay \
        validation documents. Merging sets built with --no-shuffle gives the shards a build of all their inputs \
        at once gives. Format and shard size default to the first input's. One input re-cuts or converts a set.
        """)

    @Argument(help: "The input sets: their manifest.json files or directories (one: re-cut or convert it).")
    var inputs: [String]

    @OptionGroup var layout: ShardOutputOptions

    @Flag(help: "Do not re-read the written shards against the new manifest (`shards verify` does it later).")
    var noVerify = false

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String

    func run() throws {
        try reportingErrors {
            var merge = ShardSetMerge(inputs: inputs, output: output)
            merge.format = layout.format
            merge.shardTokens = layout.shardTokens
            merge.shuffle = !layout.noShuffle
            merge.seed = UInt64(layout.seed)
            merge.name = layout.name
            merge.verify = !noVerify
            let manifest = try merge.run(workers: layout.workers ?? ProcessInfo.processInfo.activeProcessorCount)
            FileHandle.standardError.write(Data("""
                \(manifest.documents) documents, \(manifest.tokens) tokens in \(manifest.shards.count) \(manifest.format.rawValue) shards -> \(output)/manifest.json\n
                """.utf8))
        }
    }
}

struct ShardsVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recheck a shard set against its manifest: sizes, SHA-256, indices, counts; exit 1 on any mismatch.")

    @Argument(help: "The shard set's manifest.json.")
    var manifest: String

    func run() throws {
        let problems = ShardVerifier.verify(manifestPath: manifest)
        if problems.isEmpty {
            print("ok: \(manifest)")
            return
        }
        for p in problems { FileHandle.standardError.write(Data("mismatch: \(p)\n".utf8)) }
        FileHandle.standardError.write(Data("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(manifest)\n".utf8))
        throw ExitCode(1)
    }
}

struct ShardsInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Decode one document of a shard (with the tokenizer its manifest.json names), or print its ids.")

    @Argument(help: "A shard's data file: .bin (Megatron or llm.c), .ds or .npy.")
    var shard: String

    @Option(help: "The document's index in the shard.")
    var doc: Int = 0

    @Flag(help: "Print the token ids instead of the text.")
    var ids = false

    @Option(help: "Tokenizer to decode with (default: the one in the manifest beside the shard).")
    var tokenizer: String?

    func run() throws {
        try reportingErrors {
            let directory = URL(fileURLWithPath: shard).deletingLastPathComponent().path
            let manifestPath = directory + "/manifest.json"
            let manifest = FileManager.default.fileExists(atPath: manifestPath) ? try ShardManifest.load(path: manifestPath) : nil
            let reader = try ShardReader(path: shard, manifest: manifest)
            let tokens = try reader.document(doc)
            if ids {
                print(tokens.map(String.init).joined(separator: " "))
                return
            }
            guard let path = tokenizer ?? manifest.map({ directory + "/" + $0.tokenizer.file }) else {
                throw ShardError("no manifest.json beside \(shard) names a tokenizer: give --tokenizer")
            }
            let vocabulary = try BPEVocabulary.load(path: path)
            var text = try vocabulary.decode(tokens)
            text.append(0x0A)
            FileHandle.standardOutput.write(Data(text))
        }
    }
}

struct ShardsStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Tokens per source and per shard, and a document-length histogram.")

    @Argument(help: "The shard set's manifest.json.")
    var manifest: String

    func run() throws {
        try reportingErrors { print(try ShardStatistics.render(manifestPath: manifest), terminator: "") }
    }
}
