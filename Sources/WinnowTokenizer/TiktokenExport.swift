import WinnowCore
import WinnowIO

extension BPEModel {
    /// Why tiktoken would encode differently from this model, or nil. tiktoken uses a token's rank both as its id
    /// and as its merge priority, so the export writes rank = id; that is exact when the merged tokens' ids follow
    /// the order of their first merges, as training assigns them, unless a pair was merged twice (`mergeSteps >
    /// merges.count`, HF then keeps the pair's later rank).
    public var tiktokenMismatch: String? {
        var firstRank = [Int](repeating: Int.max, count: vocab.count)
        for (rank, merge) in merges.enumerated() where firstRank[merge.result] == Int.max { firstRank[merge.result] = rank }
        var previous = -1
        for id in 0..<vocab.count where firstRank[id] != Int.max {
            if firstRank[id] < previous {
                return "token \(id) (\(vocab[id])) is made by merge \(firstRank[id]), before an earlier id's merge"
            }
            previous = firstRank[id]
        }
        return nil
    }

    /// The `.tiktoken` ranks file: `base64(token bytes) id` per line in id order, for every token but the special
    /// tokens (a special token that is a single byte stays: tiktoken needs all 256 bytes).
    public func tiktokenRanks() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(vocab.count * 16)
        for id in 0..<vocab.count {
            let bytes = bytes(of: id)
            if isSpecial(id) && bytes.count != 1 { continue }
            Base64.encode(bytes, to: &out)
            out.append(0x20)
            out += String(id).utf8
            out.append(0x0A)
        }
        return out
    }

    /// `tiktoken.json`: what `tiktoken.Encoding` needs besides the ranks: {"pattern": preset, "pat_str": regex,
    /// "special_tokens": {text: id}, "n_vocab": N, "ranks_file": "tokenizer.tiktoken"}.
    public func tiktokenConfig() -> [UInt8] {
        var specials = JSONObject()
        for (k, token) in specialTokens.enumerated() where bytes(of: specialIDs[k]).count != 1 {
            specials.append(key: token, value: .number(JSONNumber(specialIDs[k])))
        }
        let config: JSONObject = [
            "pattern": .string(pattern.rawValue), "pat_str": .string(pattern.regex), "special_tokens": .object(specials),
            "n_vocab": .number(JSONNumber(vocab.count)), "ranks_file": "tokenizer.tiktoken",
        ]
        return Array((JSONWriter.prettyString(.object(config)) + "\n").utf8)
    }
}
