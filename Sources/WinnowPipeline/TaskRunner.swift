import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Runs one task of a step: reads its input files, passes each document through the stages, writes kept
/// and excluded documents, problems and stats into the task's temporary directory, then moves everything
/// into place and writes the completion marker last. A task killed half-way leaves no marker and no file
/// in the final directories that a rerun would not first remove.
struct TaskRunner {
    let step: StepConfiguration
    let layout: StepLayout
    let task: Int
    let files: [String]
    let options: RunOptions
    let progress: ProgressCounters
    let logger: Logger

    func run() throws {
        try layout.clean(task: task)
        let name = StepLayout.taskName(task)
        let temporary = layout.temporary(task: task)
        let tmpDocuments = temporary + "/documents"
        try makeDirectory(tmpDocuments)

        var stages = try step.stages.map { try $0.factory.make() }
        var stageStats = step.stages.map { StageStats(name: $0.name) }
        var readStats = StageStats(name: "read")
        var writeStats = StageStats(name: "write")
        let writer = step.writer.makeWriter(directory: tmpDocuments, prefix: name)
        var excludedWriters: [JSONLWriter?] = Array(repeating: nil, count: stages.count)
        var problemLog = ProblemLog(path: temporary + "/problems/" + name + ".jsonl", task: task,
                                    logLimit: options.problemLogLimit, strict: options.strict, logger: logger)
        let clock = ContinuousClock()
        let started = clock.now
        var documentsRead = 0, bytesRead = 0

        for file in files {
            let format = try step.input.format.resolve(path: file)
            let reader = format.reader(options: step.input.options)
            let readStart = clock.now
            var stageTime = Duration.zero
            do {
                try reader.read(file: file, stats: &readStats, problem: { try problemLog.record($0) }) { document in
                    var document = document
                    documentsRead += 1
                    bytesRead += document.text.count
                    let before = clock.now
                    defer { stageTime += clock.now - before }
                    progress.add(documents: 1, bytes: document.text.count)
                    for i in stages.indices {
                        stageStats[i].documentsIn += 1
                        stageStats[i].bytesIn += document.text.count
                        let t0 = clock.now
                        let decision = stages[i].process(&document, stats: &stageStats[i])
                        stageStats[i].seconds += (clock.now - t0).seconds
                        if case .exclude(let reason) = decision {
                            stageStats[i].excluded[reason, default: 0] += 1
                            guard step.writer.writeExcluded else { return }
                            if excludedWriters[i] == nil {
                                let dir = temporary + "/excluded/" + step.stages[i].name
                                try makeDirectory(dir)
                                excludedWriters[i] = JSONLWriter(directory: dir, prefix: name, compression: step.writer.compression)
                            }
                            document.metadata["filter"] = .string(step.stages[i].name)
                            document.metadata["filter_reason"] = .string(reason)
                            try excludedWriters[i]!.write(document)
                            return
                        }
                        stageStats[i].documentsOut += 1
                        stageStats[i].bytesOut += document.text.count
                    }
                    let t0 = clock.now
                    writeStats.documentsIn += 1
                    writeStats.bytesIn += document.text.count
                    try writer.write(document)
                    writeStats.seconds += (clock.now - t0).seconds
                }
            } catch let problem as StrictModeStop {
                throw ExecutionError("strict mode: \(problem.problem)")
            } catch let error as StreamError {
                // The file could not be opened or read at all.
                try problemLog.record(InputProblem(file: file, offset: 0, reason: error.problemReason, detail: error.description))
            }
            readStats.seconds += (clock.now - readStart - stageTime).seconds
            let size = fileSize(file)
            readStats.bytesIn += size  // the reader's bytes in: input files as stored (compressed)
            progress.finishedFile(bytes: size)
        }

        readStats.documentsOut = documentsRead
        readStats.bytesOut = bytesRead
        for i in stages.indices { try stages[i].finish(stats: &stageStats[i]) }
        try writer.close()
        writeStats.documentsOut = writer.documentsWritten
        writeStats.bytesOut = writer.bytesWritten
        writeStats.count("files", writer.files.count)
        for w in excludedWriters { try w?.close() }
        try problemLog.close()
        for (reason, n) in problemLog.counts { readStats.count("problem:" + reason, n) }

        let allStats = [readStats] + stageStats + [writeStats]
        var taskStats = JSONObject()
        taskStats["step"] = .string(step.name)
        taskStats["task"] = .number(JSONNumber(task))
        taskStats["files"] = .array(files.map { .string($0) })
        taskStats["seconds"] = .number(JSONNumber(((clock.now - started).seconds * 1000).rounded() / 1000))
        taskStats["stages"] = .array(allStats.map(\.json))
        try makeDirectory(temporary + "/stats")
        try writeAtomically(JSONWriter.prettyString(.object(taskStats)), to: temporary + "/stats/" + name + ".json", scratch: temporary)

        try commitScratch(temporary, into: layout.root)
        try createMarker(layout.completionMarker(task))
        progress.finishedTask()
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}

/// Thrown out of a reader in strict mode, to stop at the first problem.
struct StrictModeStop: Error {
    let problem: InputProblem
}
