import Foundation
import WinnowCore
import WinnowIO
import WinnowTokenizer

/// `run: {tokenize: {...}}`: encodes every input document and writes token shards a trainer reads (Megatron
/// `.bin/.idx`, llm.c `.bin`, datatrove `.ds`, OLMo memmap), with `manifest.json`; `winnow shards build` runs it.
///
/// Two phases:
/// 1. `encode` (one task per slice of the input files): encodes each document, with `bos` before and `eos` after
///    it when configured, into `encode/<task>.tokens` (uint32) and `encode/<task>.docs` (per document: input
///    file index, record ordinal, token count; uint64 each);
/// 2. `merge` (one task, every worker writing shards): orders all documents by their input position, shuffles
///    them with `seed`, cuts shards of at least `shard_tokens` tokens (documents are never split), writes them
///    into `output/` on all workers, then `manifest.json`, and verifies what it wrote.
/// The order depends only on the input and the seed, so the shards are byte-identical for any number of tasks
/// or workers. Memory: the merge holds about 32 bytes per document (the shuffle needs all of them).
///
/// Parameters: see `parameters` (or `winnow stages tokenize`) and docs/shards.md.
public struct TokenizeStep: DatasetStep {
    public static let stepName = "tokenize"
    public static let summary = "encode every document and write token shards (Megatron, llm.c, datatrove, OLMo) with a manifest"

    public var tokenizer: TokenizerReference
    public var format: ShardFormat
    var eos: BoundaryToken?
    var bos: BoundaryToken?
    public var shardTokens: Int
    public var shuffle: Bool
    public var seed: UInt64
    public var name: String
    public var verify: Bool
    /// Sources sampled by weight or token target (nil: every document once).
    public var mix: SourceMix?
    /// Held out of every source (a `mix:` source's own `validation` overrides it).
    public var validation: ValidationSplit?

    public static let parameters: [ParameterDeclaration] = [
        .raw("tokenizer", shape: "a path, or {step: NAME, file: F}", .required,
             "tokenizer.json or .tiktoken; {step: NAME}: the tokenizer.json an earlier train_tokenizer step wrote"),
        .choice("format", ShardFormat.self, default: .megatron, "megatron (.bin/.idx), llmc (.bin), datatrove (.ds), memmap (OLMo .npy + offsets)"),
        .raw("eos", shape: "token text or id", .absent("none"), "token appended after each document"),
        .raw("bos", shape: "token text or id", .absent("none"), "token put before each document (llm.c: its EOT, required there)"),
        .int("shard_tokens", default: 100_000_000, "a shard ends with the first document that reaches this many tokens"),
        .bool("shuffle", default: true, "shuffle documents globally (seeded) before cutting shards"),
        .int("seed", default: 0, "the shuffle's and the mix sampling's seed"),
        .string("name", default: "tokens", "shard file name prefix"),
        .bool("verify", default: true, "re-read every shard and check it against the manifest after writing"),
        .int("total_tokens", .absent("the sources' own sizes"), "with mix: the tokens of the mixed set"),
        .raw("mix", shape: "list of {path|step, weight|tokens, max_epochs}", .absent("every document once"),
             "sources sampled by weight or token target (docs/shards.md)"),
        .raw("validation", shape: "{fraction: F} or {tokens: N}", .absent("none"),
             "held out of each source before shuffling and mixing, into <name>_val_ shards (role validation)"),
    ]

    public static func make(parameters p: StageParameters) throws -> TokenizeStep {
        try p.validate(against: parameters)
        let tokenizer = try TokenizerReference.parse(try p.value("tokenizer"), parameters: p)
        let format = try p.choice("format", as: ShardFormat.self)
        let eos = try BoundaryToken.parse("eos", p)
        let bos = try BoundaryToken.parse("bos", p)
        if format == .llmc, bos == nil {
            throw p.error("format", "llm.c shards put an EOT token before each document: give it as bos (for example bos: \"<|endoftext|>\")")
        }
        if format == .llmc, eos != nil {
            throw p.error("eos", "llm.c documents are delimited by the EOT before each one: give it as bos only, without eos")
        }
        let shardTokens = try p.int("shard_tokens")
        guard shardTokens > 0 else { throw p.error("shard_tokens", "shard_tokens must be positive") }
        let shuffle = try p.bool("shuffle")
        let seed = try p.int("seed")
        guard seed >= 0 else { throw p.error("seed", "seed must not be negative") }
        let name = try p.string("name")
        guard !name.isEmpty, !name.contains("/") else { throw p.error("name", "name must be a file name prefix without '/'") }
        let verify = try p.bool("verify")
        let totalTokens = try p.optionalInt("total_tokens")
        let mix = try SourceMix.parse(try p.value("mix"), totalTokens: totalTokens, parameters: p)
        if totalTokens != nil, mix == nil { throw p.error("total_tokens", "total_tokens needs mix:") }
        let validation = try ValidationSplit.parse(try p.value("validation"), context: "validation", parameters: p, key: "validation")
        try p.finish()
        return TokenizeStep(tokenizer: tokenizer, format: format, eos: eos, bos: bos, shardTokens: shardTokens,
                            shuffle: shuffle, seed: UInt64(seed), name: name, verify: verify, mix: mix, validation: validation)
    }

    public var phases: [DatasetPhase] {
        [DatasetPhase(name: "encode", tasks: .inputFiles) { try encode($0) },
         DatasetPhase(name: "merge", tasks: .fixed(1), writes: ["output"]) { try merge($0) }]
    }

    func loadTokenizer(_ context: any PhaseContext) throws -> (path: String, vocabulary: BPEVocabulary, bos: UInt32?, eos: UInt32?) {
        let path = tokenizer.path(stepDirectory: context.stepDirectory)
        guard FileManager.default.fileExists(atPath: path) else {
            if case .step(let step, _) = tokenizer {
                throw ShardError("tokenizer \(path) does not exist: step '\(step)' must be a train_tokenizer step that runs before this one")
            }
            throw ShardError("tokenizer \(path) does not exist")
        }
        let vocabulary = try BPEVocabulary.load(path: path)
        return (path, vocabulary, try bos?.resolve(in: vocabulary, key: "bos", tokenizer: path),
                try eos?.resolve(in: vocabulary, key: "eos", tokenizer: path))
    }

    /// Encodes the task's documents.
    func encode(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "encode")
        let (_, vocabulary, bos, eos) = try loadTokenizer(context)
        let encoder = BPEEncoder(vocabulary: vocabulary)
        let tokensSink = try FileByteSink(path: try context.taskFile(in: "encode", suffix: ".tokens"))
        let docsSink = try FileByteSink(path: try context.taskFile(in: "encode", suffix: ".docs"))
        var ids: [UInt32] = []
        var entry = [UInt64](repeating: 0, count: 4)
        var sourceOfFile: [String: Int] = [:]
        var tokens = 0, empty = 0
        try context.forEachDocument { document, position in
            stats.documentsIn += 1
            stats.bytesIn += document.text.count
            ids.removeAll(keepingCapacity: true)
            if let bos { ids.append(bos) }
            encoder.encode(document.text, into: &ids)
            if let eos { ids.append(eos) }
            guard !ids.isEmpty else { empty += 1; return }
            for i in ids.indices { ids[i] = ids[i].littleEndian }
            try ids.withUnsafeBytes { try tokensSink.write($0) }
            entry[0] = UInt64(position.file).littleEndian
            entry[1] = UInt64(position.record).littleEndian
            entry[2] = UInt64(ids.count).littleEndian
            if let mix {
                if sourceOfFile[document.provenance.file] == nil {
                    sourceOfFile[document.provenance.file] = try mix.source(of: document.provenance.file, stepDirectory: context.stepDirectory)
                }
                entry[3] = UInt64(sourceOfFile[document.provenance.file]!).littleEndian
            }
            try entry.withUnsafeBytes { try docsSink.write($0) }
            tokens += ids.count
            stats.documentsOut += 1
            stats.bytesOut += document.text.count
        }
        try tokensSink.close()
        try docsSink.close()
        stats.count("tokens", tokens)
        if empty > 0 { stats.count("empty_documents", empty) }
        return stats
    }

    /// Orders, shuffles and writes the shards, the manifest and a copy of the tokenizer, then verifies them.
    func merge(_ context: any PhaseContext) throws -> StageStats {
        var stats = StageStats(name: "merge")
        let (tokenizerPath, vocabulary, bos, eos) = try loadTokenizer(context)
        let encoded = try context.files(in: "encode").filter { $0.hasSuffix(".docs") }.map { String($0.dropLast(5)) }
        let catalog = try EncodedDocuments(prefixes: encoded)
        let inputOrder = catalog.order(shuffle: false, seed: seed)
        var order = inputOrder
        if shuffle {
            var random = SeededRandom(seed: seed)
            random.shuffle(&order)
        }
        var sources = [ShardManifest.Source(name: "input", documents: catalog.count, tokens: catalog.totalTokens)]
        // The validation split, held out of each source before the mix's sampling.
        let splits = mix.map { m in m.sources.map { $0.validation ?? validation } } ?? [validation]
        var heldOut: [[Int]]? = nil, requestedValidation: [Int] = []
        if splits.contains(where: { $0 != nil }) {
            let selection = ValidationSplit.select(inputOrder: inputOrder, sources: splits.count, sourceOf: { catalog.mixSource[$0] },
                                                   length: { Int(catalog.length[$0]) }, splits: splits, seed: seed)
            heldOut = selection.heldOut
            requestedValidation = selection.requested
            var isHeld = [Bool](repeating: false, count: catalog.count)
            for d in selection.heldOut.joined() { isHeld[d] = true }
            order.removeAll { isHeld[$0] }
        }
        if let mix {
            (order, sources) = mix.select(order: order, sourceOf: { catalog.mixSource[$0] }, length: { Int(catalog.length[$0]) })
            if shuffle {
                var random = SeededRandom(seed: seed ^ 0x6D69_7865_6400_0000)
                random.shuffle(&order)
            }
        }
        if let heldOut {
            for (s, documents) in heldOut.enumerated() where splits[s] != nil {
                let tokens = documents.reduce(0) { $0 + Int(catalog.length[$1]) }
                sources[s].validationRequestedTokens = requestedValidation[s]
                sources[s].validationDocuments = documents.count
                sources[s].validationTokens = tokens
                if mix != nil {  // the mix reported what was left for training; a source's figures are all it had
                    sources[s].documents += documents.count
                    sources[s].tokens += tokens
                }
            }
        }
        let plan = ShardPlan(validation: heldOut.map { Array($0.joined()) }, training: order, lengths: catalog.length,
                             shardTokens: shardTokens, format: format)

        let manifestPath = try context.outputFile(in: "output", name: "manifest.json")
        let directory = String(manifestPath[..<manifestPath.lastIndex(of: "/")!])
        let dtype = format.dtype(vocabSize: vocabulary.idCount)
        let tokenizerFile = try TokenizerIdentity.copy(tokenizerPath, into: directory)
        let records = try ShardSetWriter(documents: catalog.locations, plan: plan, format: format, dtype: dtype, directory: directory,
                                         name: name, tokenizerName: tokenizerFile)
            .write(workers: context.workers)

        var manifest = ShardManifest(format: format, dtype: dtype, shardTokens: shardTokens, shuffle: shuffle, seed: seed,
                                     bosID: bos, eosID: eos,
                                     tokenizer: try TokenizerIdentity(file: tokenizerFile, directory: directory, vocabulary: vocabulary),
                                     shards: records)
        manifest.sources = sources
        if heldOut != nil { manifest.validationRequest = validation?.json ?? .string("per source") }
        // The step's configuration as the executor recorded it in step.json (the canonical YAML of the step).
        if let data = FileManager.default.contents(atPath: context.stepDirectory + "/step.json"),
           let configuration = (try? JSONParser.parse(Array(data)))?.objectValue?["configuration"]?.stringValue {
            var digest = SHA256Digest()
            digest.update(Array(configuration.utf8))
            manifest.stepConfiguration = (configuration, digest.finalize())
        }
        try writeWhole(Array(manifest.json().utf8), to: manifestPath)
        if verify {
            let problems = ShardVerifier.verify(manifestPath: manifestPath)
            guard problems.isEmpty else {
                throw ShardError("the shards just written do not verify:\n" + problems.joined(separator: "\n"))
            }
            stats.count("verified_shards", records.count)
        }
        stats.documentsIn = catalog.count
        stats.documentsOut = order.count
        stats.count("shards", records.count)
        stats.count("tokens", records.reduce(0) { $0 + $1.tokens })
        return stats
    }
}
