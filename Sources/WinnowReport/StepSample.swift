import WinnowCore
import WinnowIO

/// Bounded samples of one step's documents, read from its output files when the report is written:
/// - `before`: every document that went through the step's stages (kept and excluded), as the stages left it;
/// - `after`: the kept documents (`documents/`);
/// - per exclusion stage and reason, `examplesPerReason` excluded documents.
/// Each is a seeded reservoir, so memory is bounded by the sizes whatever the run's size, and the report of a
/// run is the same every time.
struct StepSample {
    var before: Reservoir<DocumentProfile>
    var after: Reservoir<DocumentProfile>
    /// Examples by exclusion stage (the `excluded/` directory), then by reason group, in first-seen order.
    var examples: [(stage: String, reasons: [(reason: String, reservoir: Reservoir<ExcludedExample>)])] = []
    /// Records the report could not read (damaged files): counted and named on the page.
    var unreadable = 0
    var unreadableDetail: String?

    /// Reason groups kept per stage; further reasons share one group (`maxReasonsLabel`).
    static let maxReasonsPerStage = 64
    static let otherReasons = "(other reasons)"

    init(sampleSize: Int, seed: UInt64) {
        before = Reservoir(capacity: sampleSize, seed: seed)
        after = Reservoir(capacity: sampleSize, seed: seed ^ 0x5A5A_5A5A)
    }

    /// Reads the step's kept and excluded documents. `reasonKeys` are the exclusion reasons stats.json lists for
    /// the step: a document's `filter_reason` outside them (`duplicate of <id>`) is grouped under its stage's name
    /// when that is a key, else under `otherReasons`.
    static func read(_ step: StepRecord, reasonKeys: Set<String>, sampleSize: Int, examplesPerReason: Int,
                     seed: UInt64) -> StepSample {
        var sample = StepSample(sampleSize: sampleSize, seed: seed)
        var stats = StageStats(name: "report")
        var unreadable = Unreadable()
        readFiles(step.documentFiles, stats: &stats, unreadable: &unreadable) { document in
            sample.before.offer { DocumentProfile(document) }
            sample.after.offer { DocumentProfile(document) }
        }
        for (index, (stage, files)) in step.excludedFiles.enumerated() {
            var groups: [(reason: String, reservoir: Reservoir<ExcludedExample>)] = []
            var groupIndex: [String: Int] = [:]
            let stageSeed = seed &+ UInt64(index + 1) &* 0x9E37_79B9
            readFiles(files, stats: &stats, unreadable: &unreadable) { document in
                sample.before.offer { DocumentProfile(document) }
                let raw = document.metadata["filter_reason"]?.stringValue ?? "?"
                var key = reasonKeys.contains(raw) ? raw : reasonKeys.contains(stage) ? stage : otherReasons
                if groupIndex[key] == nil, groups.count >= maxReasonsPerStage { key = otherReasons }
                let g: Int
                if let existing = groupIndex[key] {
                    g = existing
                } else {
                    g = groups.count
                    groupIndex[key] = g
                    groups.append((key, Reservoir(capacity: examplesPerReason, seed: stageSeed &+ UInt64(g))))
                }
                groups[g].reservoir.offer { ExcludedExample(document) }
            }
            sample.examples.append((stage, groups))
        }
        sample.unreadable = unreadable.count
        sample.unreadableDetail = unreadable.first
        return sample
    }

    struct Unreadable {
        var count = 0
        var first: String?
        mutating func add(_ detail: String) {
            count += 1
            if first == nil { first = detail }
        }
    }

    private static func readFiles(_ files: [String], stats: inout StageStats, unreadable: inout Unreadable,
                                  _ take: (Document) -> Void) {
        for file in files {
            do {
                try InputFormat.auto.readDocuments(files: [file], options: ReaderOptions(), stats: &stats,
                                                   problem: { unreadable.add($0.description) }, emit: take)
            } catch {
                unreadable.add("\(file): \(error)")
            }
        }
    }
}
