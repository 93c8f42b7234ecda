import Foundation
import WinnowCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The documents of an index (`documents.tsv`, `documents.bin`; see `DedupIndex`), written in two steps: each
/// task of the keys phase lists the documents it reads (`IndexDocumentRecorder`), and the index phase merges the
/// tasks' lists by position (`IndexDocumentTable.merge`).
enum IndexDocumentTable {
    /// The directory of the tasks' lists inside the keys phase's directory.
    static func directory(phase: String) -> String { phase + "/documents" }

    /// Merges the tasks' lists (`<task>.bin` records (position, 0, task) sorted by position, `<task>.tsv` their
    /// lines in the same order) into `table` and `records`; returns the number of documents.
    static func merge(_ context: any PhaseContext, phase: String, table: String, records: String) throws -> Int {
        let binaries = try context.files(in: directory(phase: phase)).filter { $0.hasSuffix(".bin") }
        var lines: [Int: UnsafeMutablePointer<FILE>] = [:]
        defer { for f in lines.values { fclose(f) } }
        for path in binaries {
            let tsv = String(path.dropLast(4)) + ".tsv"
            guard let task = Int(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent), let f = fopen(tsv, "rb") else {
                throw DedupIOError("cannot open \(tsv); rerun the keys phase")
            }
            lines[task] = f
        }
        let output = try IdListWriter(path: table)
        let index = try RecordFileOutput(path: records)
        var offset: UInt64 = 0, count = 0
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        try SortedRecordMerge(paths: binaries).forEach { r in
            guard let f = lines[Int(r.rank)] else { throw DedupIOError("a documents list names task \(r.rank), which has no .tsv; rerun the keys phase") }
            let n = getline(&line, &capacity, f)
            guard n > 0, let line else { throw DedupIOError("the documents list of task \(r.rank) is short; rerun the keys phase") }
            let text = String(cString: line)
            try output.write(text)
            try index.write(DedupRecord(key: r.key, position: offset, rank: 0))
            offset += UInt64(text.utf8.count)
            count += 1
        }
        try output.close()
        try index.close()
        return count
    }
}

/// A phase context that lists each document the wrapped task reads (its position, id, input file and record)
/// for the index's documents table, then hands it on.
final class IndexDocumentRecorder: PhaseContext {
    private let base: any PhaseContext
    private let records: RecordFileOutput
    private let lines: IdListWriter

    init(_ base: any PhaseContext, phase: String) throws {
        self.base = base
        records = try RecordFileOutput(path: try base.taskFile(in: IndexDocumentTable.directory(phase: phase), suffix: ".bin"))
        lines = try IdListWriter(path: try base.taskFile(in: IndexDocumentTable.directory(phase: phase), suffix: ".tsv"))
    }

    func finish() throws {
        try records.close()
        try lines.close()
    }

    var task: Int { base.task }
    var taskCount: Int { base.taskCount }
    var workers: Int { base.workers }
    var stepDirectory: String { base.stepDirectory }

    func forEachDocument(_ body: (Document, DocumentPosition) throws -> Void) throws {
        let task = UInt64(base.task)
        try base.forEachDocument { document, position in
            try records.append(position: DedupRecord.pack(file: position.file, record: position.record), task: task)
            try lines.write(IdListWriter.escape(document.id) + "\t" + IdListWriter.escape(document.provenance.file) + "\t\(position.record)\n")
            try body(document, position)
        }
    }

    func taskFile(in relativeDirectory: String, suffix: String) throws -> String { try base.taskFile(in: relativeDirectory, suffix: suffix) }
    func outputFile(in relativeDirectory: String, name: String) throws -> String { try base.outputFile(in: relativeDirectory, name: name) }
    func files(in relativeDirectory: String) throws -> [String] { try base.files(in: relativeDirectory) }
    func write(_ document: Document) throws { try base.write(document) }
    func exclude(_ document: Document, stage: String, reason: String) throws { try base.exclude(document, stage: stage, reason: reason) }
    func record(_ problem: InputProblem) throws { try base.record(problem) }
}

private extension RecordFileOutput {
    func append(position: UInt64, task: UInt64) throws { try write(DedupRecord(key: position, position: 0, rank: task)) }
}
