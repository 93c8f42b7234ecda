import ArgumentParser
import WinnowShards

/// The options `shards build` and `shards merge` share: how the shards are laid out and shuffled.
struct ShardOutputOptions: ParsableArguments {
    @Option(help: "Shard format: megatron, llmc, datatrove or memmap (build: megatron; merge: the first input's).")
    var shardFormat: String?

    @Option(help: "Target tokens per shard; documents are not split (build: 100000000; merge: the first input's).")
    var shardTokens: Int?

    @Option(help: "Shuffle seed.")
    var seed: Int = 0

    @Flag(help: "Keep the input order (no shuffle).")
    var noShuffle = false

    @Option(help: "Shard file name prefix.")
    var name: String = "tokens"

    @Option(help: "Worker threads (default: all cores). The shards are the same for any value.")
    var workers: Int?

    var format: ShardFormat? { shardFormat.flatMap(ShardFormat.init(rawValue:)) }

    func validate() throws {
        if let shardFormat, ShardFormat(rawValue: shardFormat) == nil { throw ValidationError("--shard-format must be megatron, llmc, datatrove or memmap") }
        if let shardTokens, shardTokens < 1 { throw ValidationError("--shard-tokens must be positive") }
        if seed < 0 { throw ValidationError("--seed must not be negative") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }
}
