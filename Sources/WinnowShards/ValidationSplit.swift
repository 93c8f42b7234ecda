import Foundation
import WinnowCore

/// `validation:` of the `tokenize` step (and of each `mix:` source): documents held out of training, per source,
/// as a fraction of the source's tokens or a token count. They are drawn before the training shuffle and the mix's
/// sampling (so training never sees them, not even up-sampled), as a seeded random sample of each source's
/// documents in input order: the same documents for any number of workers, tasks, `shuffle` or `mix` weights.
/// They are written in input order to shards of their own (`<name>_val_<index>`, role `validation`).
public enum ValidationSplit: Sendable, Equatable {
    case fraction(Double)
    case tokens(Int)

    /// `{fraction: F}` (0 < F < 1) or `{tokens: N}`; `context` names where it was given, for errors.
    static func parse(_ value: JSONValue?, context: String, parameters p: StageParameters, key: String) throws -> ValidationSplit? {
        guard let value else { return nil }
        guard let o = value.objectValue, o.count == 1, let entry = o.first else {
            throw p.error(key, "\(context) must be {fraction: F} or {tokens: N}")
        }
        switch entry.key {
        case "fraction":
            guard let f = entry.value.doubleValue, f > 0, f < 1 else { throw p.error(key, "\(context): fraction must be a number between 0 and 1 (exclusive)") }
            return .fraction(f)
        case "tokens":
            guard let n = entry.value.intValue, n >= 0 else { throw p.error(key, "\(context): tokens must be a non-negative integer") }
            return .tokens(n)
        default:
            throw p.error(key, "\(context): unknown key '\(entry.key)' (give fraction or tokens)")
        }
    }

    /// The tokens to hold out of a source of `available` tokens.
    func target(available: Int) -> Int {
        switch self {
        case .fraction(let f): Int((f * Double(available)).rounded())
        case .tokens(let n): n
        }
    }

    var json: JSONValue {
        var o = JSONObject()
        switch self {
        case .fraction(let f): o["fraction"] = .number(JSONNumber(f))
        case .tokens(let n): o["tokens"] = .number(JSONNumber(n))
        }
        return .object(o)
    }

    /// The held-out documents of each source: a seeded random order of the source's documents (given in input
    /// order), taken until the target is reached (the last document may pass it), returned in input order.
    /// `splits[s]` nil: nothing held out of source s.
    static func select(inputOrder: [Int], sources: Int, sourceOf: (Int) -> Int, length: (Int) -> Int,
                       splits: [ValidationSplit?], seed: UInt64) -> (heldOut: [[Int]], requested: [Int]) {
        var bySource = [[Int]](repeating: [], count: sources)
        for d in inputOrder { bySource[sourceOf(d)].append(d) }
        var heldOut = [[Int]](repeating: [], count: sources)
        var requested = [Int](repeating: 0, count: sources)
        for s in 0..<sources {
            guard let split = splits[s] else { continue }
            let documents = bySource[s]
            requested[s] = split.target(available: documents.reduce(0) { $0 + length($1) })
            var positions = Array(documents.indices)
            var random = SeededRandom(seed: seed ^ 0x7661_6C69_6400_0000 &+ UInt64(s))
            random.shuffle(&positions)
            var taken = 0, chosen: [Int] = []
            for p in positions where taken < requested[s] {
                chosen.append(p)
                taken += length(documents[p])
            }
            heldOut[s] = chosen.sorted().map { documents[$0] }
        }
        return (heldOut, requested)
    }
}
