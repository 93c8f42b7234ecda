/// The on-disk token formats `tokenize` writes, each exactly as its trainer's reader expects.
public enum ShardFormat: String, Sendable, CaseIterable {
    /// Megatron-LM / NeMo / GPT-NeoX indexed dataset: `<name>_<shard>.bin` tokens + `.idx` index (`MMIDIDX`).
    case megatron
    /// llm.c / nanoGPT speedruns: `<name>_val_000000.bin`, `<name>_train_<shard>.bin`, a 256 × int32 header then
    /// tokens; an EOT token before each document (the step's `bos`); shard 0 is the validation shard.
    case llmc
    /// datatrove / nanotron: `<name>_<shard>.ds` tokens, `.ds.index` uint64 cumulative document ends,
    /// `.ds.metadata` (`tokenizer|token_size`, token count).
    case datatrove
    /// OLMo / dolma: `<name>_<shard>.npy` raw tokens (no header, numpy memmap) + `.csv` document offsets
    /// (`start,end` in tokens, one document a line).
    case memmap

    /// The token type for a vocabulary of `vocabSize` ids, as each reader decides it.
    public func dtype(vocabSize: Int) -> TokenDType {
        switch self {
        // megatron/core/datasets/indexed_dataset.py: DType.optimal_dtype: uint16 below 65,500 entries, else int32.
        case .megatron: vocabSize < 65_500 ? .uint16 : .int32
        // llm.c data_common.py: GPT-2 (uint16, version 1) or Llama 3 (uint32, version 7); datatrove: token_size 2 or 4.
        case .llmc, .datatrove, .memmap: vocabSize <= 65_536 ? .uint16 : .uint32
        }
    }

    /// The files of shard `index` (relative names), data file first. Validation shards are `<name>_val_<index>`
    /// (llm.c's naming; its training shards are `<name>_train_<index>`).
    public func fileNames(name: String, index: Int, role: ShardRole) -> [String] {
        let name = role == .validation ? name + "_val" : name
        let n5 = String(index).leftPadded(5)
        switch self {
        case .megatron: return ["\(name)_\(n5).bin", "\(name)_\(n5).idx"]
        case .llmc: return ["\(role == .validation ? name : name + "_train")_\(String(index).leftPadded(6)).bin"]
        case .datatrove: return ["\(name)_\(n5).ds", "\(name)_\(n5).ds.index", "\(name)_\(n5).ds.metadata"]
        case .memmap: return ["\(name)_\(n5).npy", "\(name)_\(n5).csv"]
        }
    }
}

/// What a shard is for: training, or the held-out validation split (llm.c: shard 0 when no split is configured).
public enum ShardRole: String, Sendable {
    case train, validation
}

/// How one token id is stored.
public enum TokenDType: String, Sendable {
    case uint16, uint32, int32

    public var size: Int { self == .uint16 ? 2 : 4 }

    /// Megatron's `DType` code in the `.idx` header.
    public var megatronCode: UInt8 {
        switch self {
        case .uint16: 8
        case .int32: 4
        case .uint32: 0  // not a Megatron type; never chosen for megatron
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
