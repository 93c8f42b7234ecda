import Foundation
import Logging
import WinnowCore
import WinnowIO

/// Records input problems of one task: counts them per reason (reported as `problem:<reason>` in the reader's stats), keeps each
/// as a JSON line in `problems/<task>.jsonl`, and logs the first few of each reason. In strict mode the
/// first problem stops the task.
struct ProblemLog {
    let path: String
    let task: Int
    let logLimit: Int
    let strict: Bool
    let logger: Logger
    private var sink: ByteSink?
    /// Problems per reason so far.
    private(set) var counts: [String: Int] = [:]
    private var line: [UInt8] = []

    init(path: String, task: Int, logLimit: Int, strict: Bool, logger: Logger) {
        self.path = path
        self.task = task
        self.logLimit = logLimit
        self.strict = strict
        self.logger = logger
    }

    mutating func record(_ problem: InputProblem) throws {
        let n = counts[problem.reason, default: 0]
        counts[problem.reason] = n + 1
        if n < logLimit {
            logger.warning("\(problem.file) @\(problem.offset): \(problem.reason): \(problem.detail)")
        } else if n == logLimit {
            logger.warning("task \(task): further '\(problem.reason)' problems are only counted and kept in problems/")
        }
        if strict { throw StrictModeStop(problem: problem) }
        if sink == nil {
            try makeDirectory(String(path[..<path.lastIndex(of: "/")!]))
            sink = try createByteSink(path: path, compression: .none)
        }
        var o = JSONObject()
        o["file"] = .string(problem.file)
        o["offset"] = .number(JSONNumber(Int(problem.offset)))
        o["reason"] = .string(problem.reason)
        o["detail"] = .string(problem.detail)
        line.removeAll(keepingCapacity: true)
        JSONWriter.appendObject(o, to: &line)
        line.append(UInt8(ascii: "\n"))
        try line.withUnsafeBytes { try sink!.write($0) }
    }

    mutating func close() throws {
        try sink?.close()
        sink = nil
    }
}
