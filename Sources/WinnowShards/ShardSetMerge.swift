import Foundation
import WinnowCore

/// `winnow shards merge A B ... --output C`: one shard set from the documents of several (the same tokenizer and
/// boundary tokens), re-cut to `shardTokens` and rewritten in `format`. Training documents are taken in the
/// inputs' order (A's shards in manifest order, then B's), shuffled with `seed` when `shuffle` is set, exactly as
/// `tokenize` shuffles its input order; the documents of a configured validation split stay validation documents, in order (llm.c's shard 0
/// without a split is a convention, not a split: its documents are training documents like the others). So
/// merging sets built without shuffling gives the very shards a build of all their inputs at once (A's files
/// first) gives with the same seed and shard size. Memory: about 20 bytes per document plus one per thread.
public struct ShardSetMerge {
    /// The input sets' manifests.
    public var inputs: [String]
    public var output: String
    /// Defaults: the first input's format and shard size.
    public var format: ShardFormat?
    public var shardTokens: Int?
    public var shuffle = true
    public var seed: UInt64 = 0
    public var name = "tokens"
    public var verify = true

    public init(inputs: [String], output: String) {
        self.inputs = inputs
        self.output = output
    }

    /// Reads, checks and merges the inputs; writes the shards, the tokenizer and `manifest.json` into `output`.
    public func run(workers: Int) throws -> ShardManifest {
        guard !inputs.isEmpty else { throw ShardError("shards merge needs at least one input manifest") }
        let manifests = try inputs.map { try ShardManifest.load(path: Self.manifestPath($0)) }
        let first = manifests[0]
        for (path, m) in zip(inputs, manifests).dropFirst() {
            guard m.tokenizer.sha256 == first.tokenizer.sha256 else {
                throw ShardError("\(path) was tokenized with \(m.tokenizer.file) (SHA-256 \(m.tokenizer.sha256.prefix(12))...), \(inputs[0]) with \(first.tokenizer.file) (\(first.tokenizer.sha256.prefix(12))...): only sets of one tokenizer can be merged")
            }
            guard m.bosID == first.bosID, m.eosID == first.eosID else {
                throw ShardError("\(path) has bos \(m.bosID.map(String.init) ?? "none") and eos \(m.eosID.map(String.init) ?? "none"), \(inputs[0]) has bos \(first.bosID.map(String.init) ?? "none") and eos \(first.eosID.map(String.init) ?? "none"): only sets with the same document boundaries can be merged")
            }
        }
        let format = self.format ?? first.format
        if format == .llmc, first.bosID == nil {
            throw ShardError("llm.c shards need an EOT before each document; the inputs have no bos token: merge into another format")
        }
        let shardTokens = self.shardTokens ?? first.shardTokens
        guard shardTokens > 0 else { throw ShardError("the shard size must be positive") }

        // Every document of every input shard, where its tokens are.
        var documents = DocumentLocations()
        var validation: [Int] = [], training: [Int] = []
        var anyValidation = false
        for (path, m) in zip(inputs, manifests) {
            let directory = URL(fileURLWithPath: Self.manifestPath(path)).deletingLastPathComponent().path
            anyValidation = anyValidation || m.validationRequest != nil
            for shard in m.shards {
                guard let data = shard.files.first else { throw ShardError("\(path): shard \(shard.index) lists no files") }
                let reader = try ShardReader(path: directory + "/" + data.path, manifest: m)
                guard reader.tokens == shard.tokens, reader.documents == shard.documents else {
                    throw ShardError("\(reader.path) holds \(reader.documents) documents and \(reader.tokens) tokens, its manifest says \(shard.documents) and \(shard.tokens): run `winnow shards verify \(path)`")
                }
                documents.files.append(.init(path: reader.path, headerBytes: reader.headerBytes, dtype: reader.dtype))
                var start = 0
                for end in reader.ends {
                    if shard.role == .validation { validation.append(documents.count) } else { training.append(documents.count) }
                    documents.append(file: documents.files.count - 1, offset: start, length: end - start)
                    start = end
                }
            }
        }
        // Without a configured split (llm.c's shard 0 is a convention, not a split), every document is training.
        if !anyValidation { training = Array(0..<documents.count) }
        if shuffle {
            var random = SeededRandom(seed: seed)
            random.shuffle(&training)
        }
        let plan = ShardPlan(validation: anyValidation ? validation : nil, training: training, lengths: documents.length,
                             shardTokens: shardTokens, format: format)

        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let sourceDirectory = URL(fileURLWithPath: Self.manifestPath(inputs[0])).deletingLastPathComponent().path
        let tokenizerFile = try TokenizerIdentity.copy(sourceDirectory + "/" + first.tokenizer.file, into: output)
        let vocabulary = first.tokenizer.vocabSize
        let dtype = format.dtype(vocabSize: vocabulary)
        let records = try ShardSetWriter(documents: documents, plan: plan, format: format, dtype: dtype, directory: output,
                                         name: name, tokenizerName: tokenizerFile).write(workers: workers)
        var manifest = ShardManifest(format: format, dtype: dtype, shardTokens: shardTokens, shuffle: shuffle, seed: seed,
                                     bosID: first.bosID, eosID: first.eosID, tokenizer: first.tokenizer, shards: records)
        manifest.tokenizer.file = tokenizerFile
        manifest.sources = manifests.flatMap(\.sources)
        if anyValidation { manifest.validationRequest = .string("kept from the merged sets") }
        manifest.mergedFrom = try inputs.map { ($0, try sha256OfFile(Self.manifestPath($0))) }
        let manifestPath = output + "/manifest.json"
        try writeWhole(Array(manifest.json().utf8), to: manifestPath)
        if verify {
            let problems = ShardVerifier.verify(manifestPath: manifestPath)
            guard problems.isEmpty else { throw ShardError("the merged shards do not verify:\n" + problems.joined(separator: "\n")) }
        }
        return manifest
    }

    /// A manifest path, or a shard set's directory (its `manifest.json`).
    static func manifestPath(_ input: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue { return input + "/manifest.json" }
        return input
    }
}
