import CXXHash
import WinnowCore
import WinnowWordRules

/// `run: {line_dedup: {...}}` and `winnow dedup lines`: CCNet's line dedup. Each line (split on `\n`), or each
/// paragraph (`unit: paragraph`: a run of non-blank lines), is hashed after CCNet's `normalize_for_dedup`
/// (xxh3-64 of the normalized text). Default: every occurrence after the first, in (file, record, line) order,
/// is removed, inside a document too (CCNet's `deduplicate`). With `max_documents: N`: a unit found in more than
/// N documents is removed everywhere, first occurrence included (Data-Juicer-style boilerplate removal; 6 is a
/// common choice). Units whose normalized text has fewer than `min_line_length` characters are left alone
/// (the default 1 leaves blank lines; 0 dedups them too, as CCNet). Kept lines are joined by `\n`; a document
/// left blank goes to `excluded/line_dedup/`. Phases: `SpanDedupPhases` (hashes, dups, filter).
public struct LineDedupStep: DatasetStep {
    public static let stepName = "line_dedup"
    public static let summary = "remove repeated lines or paragraphs after CCNet's normalization (keep the first, or drop those in more than N documents)"
    static let stage = "line_dedup"

    public enum Unit: String, Sendable, CaseIterable { case line, paragraph }

    struct Config: Sendable {
        var unit = Unit.line
        var maxDocuments: Int?
        var minLineLength = 1
        var annotate = false
        var memoryBytes = 512 << 20
        var dupsTasks = 4
        var against: [DedupIndex] = []

        /// What decides the hashes (an index must have been built with the same).
        var hashingSignature: String { "lines unit=\(unit.rawValue) min_line_length=\(minLineLength) ccnet-normalized xxh3" }
    }

    let config: Config

    public static let parameters: [ParameterDeclaration] = [
        .choice("unit", Unit.self, default: .line, "what is hashed: each line, or each paragraph (a run of non-blank lines)"),
        .int("max_documents", .absent("every repeat goes, the first occurrence stays (CCNet)"),
             "remove a unit found in more than this many documents, everywhere (Data-Juicer-style; e.g. 6)"),
        .int("min_line_length", default: 1, "units shorter than this (normalized characters) are left alone (0: CCNet, blank lines too)"),
        .bool("annotate", default: false, "list the removed lines in metadata line_dedup_removed"),
    ] + SpanDedupPhases.declarations

    public static func make(parameters p: StageParameters) throws -> LineDedupStep {
        try p.validate(against: parameters)
        var c = Config()
        c.unit = try p.choice("unit", as: Unit.self)
        c.maxDocuments = try p.optionalInt("max_documents")
        if let m = c.maxDocuments, m < 1 { throw p.error("max_documents", "max_documents must be 1 or more") }
        c.minLineLength = try p.int("min_line_length")
        c.annotate = try p.bool("annotate")
        (c.memoryBytes, c.dupsTasks) = try SpanDedupPhases.readTasks(p)
        c.against = try SpanDedupPhases.readAgainst(p, method: "lines", signature: c.hashingSignature)
        try p.finish()
        return LineDedupStep(config: c)
    }

    public var phases: [DatasetPhase] {
        let c = config
        return SpanDedupPhases(stage: Self.stage, unit: c.unit.rawValue, policy: c.maxDocuments.map { .maxDocuments($0) } ?? .keepFirst,
                               annotate: c.annotate, memoryBytes: c.memoryBytes, dupsTasks: c.dupsTasks, against: c.against,
                               makeWorker: { LineDedupWorker(config: c) }).phases
    }
}

/// `line_dedup`'s work on one document, per task.
final class LineDedupWorker: SpanDedupWorker {
    let config: LineDedupStep.Config
    private let normalizer = CCNetLineNormalizer()
    private var lines: [(start: Int, end: Int)] = []
    /// Per unit: its first and last line (inclusive).
    private var units: [(first: Int, last: Int)] = []
    private var normalized: [UInt8] = []
    private var joined: [UInt8] = []

    init(config: LineDedupStep.Config) { self.config = config }

    /// Lines (Python `split("\n")`: n line breaks make n + 1 lines) and units of `p`.
    private func split(_ p: UnsafePointer<UInt8>, _ count: Int) {
        lines.removeAll(keepingCapacity: true)
        units.removeAll(keepingCapacity: true)
        var start = 0
        for i in 0..<count where p[i] == 0x0A {
            lines.append((start, i))
            start = i + 1
        }
        lines.append((start, count))
        switch config.unit {
        case .line:
            for i in lines.indices { units.append((i, i)) }
        case .paragraph:
            // A paragraph is a run of non-blank lines with the blank lines after it; blank lines at the start
            // form a unit of their own.
            var first = 0
            for i in lines.indices where i > 0 && !isBlank(p, lines[i]) && isBlank(p, lines[i - 1]) {
                units.append((first, i - 1))
                first = i
            }
            units.append((first, lines.count - 1))
        }
    }

    private func isBlank(_ p: UnsafePointer<UInt8>, _ line: (start: Int, end: Int)) -> Bool {
        let (a, b) = UTF8Scan.strip(p, line.start, line.end)
        return a == b
    }

    func forEachHash(_ document: Document, _ body: (Int, UInt64) throws -> Void) throws {
        try document.text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            split(p, buffer.count)
            for (u, unit) in units.enumerated() {
                joined.removeAll(keepingCapacity: true)
                var characters = 0, parts = 0
                for l in unit.first...unit.last {
                    // Paragraphs: the normalized non-blank lines joined by line breaks.
                    if config.unit == .paragraph && isBlank(p, lines[l]) { continue }
                    let n = normalizer.normalize(p, lines[l].start, lines[l].end, into: &normalized)
                    if parts > 0 { joined.append(0x0A); characters += 1 }
                    joined.append(contentsOf: normalized)
                    characters += n
                    parts += 1
                }
                if config.unit == .paragraph && parts == 0 { continue }  // blank lines at the start
                guard characters >= config.minLineLength else { continue }
                try body(u, joined.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) })
            }
        }
    }

    func remove(_ document: Document, duplicates: [Int]) -> SpanRemoval {
        document.text.withUnsafeBufferPointer { buffer -> SpanRemoval in
            let p = buffer.baseAddress!
            split(p, buffer.count)
            var result = SpanRemoval(text: [], removed: [], removedUnits: 0, units: units.count, rejection: nil)
            var d = 0, keptLines = 0
            for (u, unit) in units.enumerated() {
                while d < duplicates.count && duplicates[d] < u { d += 1 }
                let lineRange = lines[unit.first].start..<lines[unit.last].end
                if d < duplicates.count && duplicates[d] == u {
                    result.removedUnits += 1
                    let (a, b) = UTF8Scan.strip(p, lineRange.lowerBound, lineRange.upperBound)
                    result.removed.append(Array(buffer[a..<b]))
                    continue
                }
                for l in unit.first...unit.last {
                    if keptLines > 0 { result.text.append(0x0A) }
                    result.text.append(contentsOf: buffer[lines[l].start..<lines[l].end])
                    keptLines += 1
                }
            }
            let blank = result.text.withUnsafeBufferPointer { b in
                b.baseAddress.map { UTF8Scan.strip($0, 0, b.count) }.map { $0.0 == $0.1 } ?? true
            }
            if blank { result.rejection = "every \(config.unit.rawValue) was a duplicate (\(result.removedUnits) removed)" }
            return result
        }
    }
}
