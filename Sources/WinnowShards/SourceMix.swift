import Foundation
import WinnowCore

/// `mix:` of the `tokenize` step: the step's input files fall into named sources (by path prefix, or an earlier
/// step's `documents/`), each sampled by document to a weight or a token target, up to `max_epochs` passes over
/// it (up-sampling repeats whole documents; down-sampling takes a seeded subset). The manifest records each
/// source's requested and achieved tokens and shares.
public struct SourceMix: Sendable {
    public struct Source: Sendable {
        public var name: String
        /// Path prefixes (absolute) or `{step: NAME}` directories (resolved at run time).
        var paths: [String]
        var steps: [String]
        public var weight: Double?
        public var tokens: Int?
        public var maxEpochs: Double
        /// Held out of this source (overrides the step's `validation`).
        public var validation: ValidationSplit?
    }

    public var sources: [Source]
    /// With weights: the total tokens to sample (default: every source's tokens added up).
    public var totalTokens: Int?

    static func parse(_ value: JSONValue?, totalTokens: Int?, parameters p: StageParameters) throws -> SourceMix? {
        guard let value else { return nil }
        guard let list = value.arrayValue, !list.isEmpty else { throw p.error("mix", "mix must be a list of sources") }
        var sources: [Source] = []
        for (i, entry) in list.enumerated() {
            guard let o = entry.objectValue else { throw p.error("mix", "mix[\(i)] must be a mapping") }
            for e in o where !["name", "paths", "step", "weight", "tokens", "max_epochs", "validation"].contains(e.key) {
                throw p.error("mix", "mix[\(i)]: unknown key '\(e.key)' (known: name, paths, step, weight, tokens, max_epochs, validation)")
            }
            guard let name = o["name"]?.stringValue, !name.isEmpty else { throw p.error("mix", "mix[\(i)] needs a name") }
            let paths = (o["paths"]?.arrayValue ?? []).compactMap(\.stringValue).map { URL(fileURLWithPath: $0).standardized.path }
            let steps = o["step"]?.stringValue.map { [$0] } ?? []
            guard !paths.isEmpty || !steps.isEmpty else { throw p.error("mix", "mix[\(i)] '\(name)': give paths (prefixes of input files) or step") }
            let weight = o["weight"]?.doubleValue, tokens = o["tokens"]?.intValue
            guard (weight == nil) != (tokens == nil) else { throw p.error("mix", "mix[\(i)] '\(name)': give exactly one of weight and tokens") }
            if let weight, weight <= 0 { throw p.error("mix", "mix[\(i)] '\(name)': weight must be positive") }
            if let tokens, tokens < 0 { throw p.error("mix", "mix[\(i)] '\(name)': tokens must not be negative") }
            let epochs = o["max_epochs"]?.doubleValue ?? 1
            guard epochs > 0 else { throw p.error("mix", "mix[\(i)] '\(name)': max_epochs must be positive") }
            let validation = try ValidationSplit.parse(o["validation"], context: "mix[\(i)] '\(name)': validation", parameters: p, key: "mix")
            sources.append(Source(name: name, paths: paths, steps: steps, weight: weight, tokens: tokens, maxEpochs: epochs,
                                  validation: validation))
        }
        return SourceMix(sources: sources, totalTokens: totalTokens)
    }

    /// The index of the source an input file belongs to (the first whose prefix matches).
    func source(of file: String, stepDirectory: String) throws -> Int {
        let path = URL(fileURLWithPath: file).standardized.path
        let outputRoot = URL(fileURLWithPath: stepDirectory).deletingLastPathComponent()
        for (i, s) in sources.enumerated() {
            let prefixes = s.paths + s.steps.map { outputRoot.appendingPathComponent($0).appendingPathComponent("documents").standardized.path }
            if prefixes.contains(where: { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) { return i }
        }
        throw ShardError("input file \(file) belongs to no source of mix: (\(sources.map(\.name).joined(separator: ", "))); add its directory to one source's paths")
    }

    /// Per source: the documents taken from its part of `order` (whole passes, then a prefix of one more pass).
    func select(order: [Int], sourceOf: (Int) -> Int, length: (Int) -> Int) -> (documents: [Int], report: [ShardManifest.Source]) {
        var bySource = [[Int]](repeating: [], count: sources.count)
        for d in order { bySource[sourceOf(d)].append(d) }
        let available = bySource.map { $0.reduce(0) { $0 + length($1) } }
        let weightSum = sources.compactMap(\.weight).reduce(0, +)
        let weightedAvailable = zip(sources, available).filter { $0.0.weight != nil }.map(\.1).reduce(0, +)
        let total = totalTokens ?? weightedAvailable
        var documents: [Int] = []
        var report: [ShardManifest.Source] = []
        for (i, s) in sources.enumerated() {
            let requested = s.tokens ?? Int((s.weight! / weightSum * Double(total)).rounded())
            let cap = Int((Double(available[i]) * s.maxEpochs).rounded(.down))
            let target = min(requested, cap)
            var taken = 0, count = 0, k = 0
            let docs = bySource[i]
            while taken < target, !docs.isEmpty {
                let d = docs[k % docs.count]
                if taken + length(d) > cap { break }
                documents.append(d)
                taken += length(d)
                count += 1
                k += 1
            }
            var r = ShardManifest.Source(name: s.name, documents: docs.count, tokens: available[i])
            r.requestedTokens = requested
            r.requestedShare = s.weight.map { $0 / weightSum }
            r.achievedTokens = taken
            r.achievedDocuments = count
            r.epochs = available[i] > 0 ? Double(taken) / Double(available[i]) : 0
            report.append(r)
        }
        let achieved = max(1, report.reduce(0) { $0 + ($1.achievedTokens ?? 0) })
        for i in report.indices { report[i].achievedShare = Double(report[i].achievedTokens ?? 0) / Double(achieved) }
        return (documents, report)
    }
}
