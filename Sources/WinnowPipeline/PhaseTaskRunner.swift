import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Runs one task of a phase: gives the phase's code a `PhaseContext` whose every file goes to the task's scratch
/// directory, then moves the files into place and writes the completion marker last (as `TaskRunner` does for a
/// document step). A task killed half-way leaves no marker and nothing a rerun would not first remove.
final class PhaseTaskRunner: PhaseContext {
    let step: StepConfiguration
    let phase: DatasetPhase
    let layout: PhaseLayout
    let task: Int
    /// The step's input files with their indices in the step's list (empty unless the phase reads input).
    let files: [(index: Int, path: String)]
    let workers: Int
    let options: RunOptions
    let progress: ProgressCounters
    let logger: Logger

    private let scratch: String
    private var problems: ProblemLog
    private var readStats = StageStats(name: "read")
    private var didRead = false
    private var writer: JSONLWriter?
    private var excludedWriters: [String: JSONLWriter] = [:]
    /// The JSONL line of the document `forEachDocument` is visiting and that document's text (held, so that
    /// a changed text cannot share its storage), for `writeUnchanged`.
    private var source: (line: JSONLSourceLine, text: [UInt8])?

    init(step: StepConfiguration, phase: DatasetPhase, layout: PhaseLayout, task: Int, files: [(index: Int, path: String)],
         workers: Int, options: RunOptions, progress: ProgressCounters, logger: Logger) {
        self.step = step
        self.phase = phase
        self.layout = layout
        self.task = task
        self.files = files
        self.workers = workers
        self.options = options
        self.progress = progress
        self.logger = logger
        scratch = layout.temporary(task: task)
        problems = ProblemLog(path: scratch + "/" + flatScratchName(layout.name + "/problems/" + StepLayout.taskName(task) + ".jsonl"),
                              task: task, logLimit: options.problemLogLimit, strict: options.strict, logger: logger)
    }

    var taskCount: Int { layout.taskCount }
    var stepDirectory: String { layout.step.root }

    func run() throws {
        try layout.clean(task: task)
        try makeDirectory(scratch)
        let clock = ContinuousClock()
        let started = clock.now
        var stats: StageStats
        do {
            stats = try phase.run(self)
        } catch let stop as StrictModeStop {
            throw ExecutionError("strict mode: \(stop.problem)")
        }
        stats.name = phase.name
        stats.seconds = (clock.now - started).seconds
        try writer?.close()
        for (_, w) in excludedWriters { try w.close() }
        try problems.close()
        var rows: [StageStats] = []
        if didRead {
            for (reason, n) in problems.counts { readStats.count("problem:" + reason, n) }
            rows.append(readStats)
        }
        rows.append(stats)

        let name = StepLayout.taskName(task)
        var taskStats = JSONObject()
        taskStats["step"] = .string(step.name)
        taskStats["phase"] = .string(phase.name)
        taskStats["task"] = .number(JSONNumber(task))
        if didRead { taskStats["files"] = .array(files.map { .string($0.path) }) }
        taskStats["seconds"] = .number(JSONNumber((stats.seconds * 1000).rounded() / 1000))
        taskStats["stages"] = .array(rows.map(\.json))
        try writeAtomically(JSONWriter.prettyString(.object(taskStats)),
                            to: scratch + "/" + flatScratchName(layout.name + "/stats/" + name + ".json"), scratch: scratch)
        try commitScratch(scratch, into: layout.step.root)
        try createMarker(layout.completionMarker(task))
        progress.finishedTask()
    }

    // MARK: PhaseContext

    func forEachDocument(_ body: (Document, DocumentPosition) throws -> Void) throws {
        guard phase.tasks == .inputFiles else {
            throw ExecutionError("phase '\(phase.name)' of step '\(step.name)' reads input documents but its tasks are not over input files")
        }
        didRead = true
        var stats = readStats
        defer { readStats = stats }
        for (index, file) in files {
            var record = 0, documents = 0, bytes = 0
            do {
                func visit(_ document: Document) throws {
                    documents += 1
                    bytes += document.text.count
                    progress.add(documents: 1, bytes: document.text.count)
                    try body(document, DocumentPosition(file: index, record: record))
                    record += 1
                }
                let reader = try step.input.format.resolve(path: file).reader(options: step.input.options)
                if let jsonl = reader as? JSONLReader {
                    try jsonl.read(file: file, stats: &stats, problem: { try problems.record($0) }) { document, line in
                        source = (line, document.text)
                        defer { source = nil }
                        try visit(document)
                    }
                } else {
                    try reader.read(file: file, stats: &stats, problem: { try problems.record($0) }) { try visit($0) }
                }
            } catch let error as StreamError {
                try problems.record(InputProblem(file: file, offset: 0, reason: error.problemReason, detail: error.description))
            }
            let size = fileSize(file)
            stats.documentsOut += documents
            stats.bytesOut += bytes
            stats.bytesIn += size  // input files as stored, as for document steps
            progress.finishedFile(bytes: size)
        }
    }

    /// Directly in the scratch directory, named after its place (`flatScratchName`): no directory to make.
    func taskFile(in relativeDirectory: String, suffix: String) throws -> String {
        try checkWritable(relativeDirectory)
        return scratch + "/" + flatScratchName(relativeDirectory + "/" + StepLayout.taskName(task) + suffix)
    }

    func outputFile(in relativeDirectory: String, name: String) throws -> String {
        guard layout.taskCount == 1 else {
            throw ExecutionError("phase '\(phase.name)' has \(layout.taskCount) tasks: its files must be named after their task")
        }
        try checkWritable(relativeDirectory)
        let directory = scratch + "/" + relativeDirectory
        try makeDirectory(directory)
        return directory + "/" + name
    }

    func files(in relativeDirectory: String) throws -> [String] {
        let directory = layout.step.root + "/" + relativeDirectory
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().map { directory + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    func write(_ document: Document) throws {
        try documentWriter().write(document)
    }

    func writeUnchanged(_ document: Document) throws {
        guard let source, Self.sameStorage(document.text, source.text) else { return try write(document) }
        try documentWriter().write(document, sourceLine: source.line)
    }

    /// Whether two arrays share their storage (so hold the same bytes: a changed copy gets its own).
    private static func sameStorage(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count } }
    }

    private func documentWriter() throws -> JSONLWriter {
        if let writer { return writer }
        try checkWritable("documents")
        let directory = scratch + "/documents"
        try makeDirectory(directory)
        let created = JSONLWriter(directory: directory, prefix: StepLayout.taskName(task), compression: step.writer.compression,
                                  level: step.writer.level, maxFileBytes: step.writer.maxFileBytes,
                                  maxDocuments: step.writer.maxDocuments)
        writer = created
        return created
    }

    func exclude(_ document: Document, stage: String, reason: String) throws {
        guard step.writer.writeExcluded else { return }
        if excludedWriters[stage] == nil {
            try checkWritable("excluded")
            let directory = scratch + "/excluded/" + stage
            try makeDirectory(directory)
            excludedWriters[stage] = JSONLWriter(directory: directory, prefix: StepLayout.taskName(task), compression: step.writer.compression)
        }
        var document = document
        document.metadata["filter"] = .string(stage)
        document.metadata["filter_reason"] = .string(reason)
        try excludedWriters[stage]!.write(document)
    }

    func record(_ problem: InputProblem) throws {
        didRead = true
        try problems.record(problem)
    }

    /// A phase writes its own directory and the step-level directories it declared, nothing else.
    private func checkWritable(_ relativeDirectory: String) throws {
        let top = String(relativeDirectory.split(separator: "/").first ?? "")
        guard top == phase.name || phase.writes.contains(top), !relativeDirectory.contains("..") else {
            throw ExecutionError("phase '\(phase.name)' of step '\(step.name)' writes '\(relativeDirectory)', which it did not declare")
        }
    }
}

/// The size of the file at `path` in bytes, 0 when it cannot be read (one `stat`; Foundation's attributes
/// also look up the owner's name in /etc/passwd and /etc/group).
func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}
