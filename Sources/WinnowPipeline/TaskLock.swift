import Foundation

/// A lock on one task, so that concurrent runs into one output directory (or array jobs given the same
/// task) split the work instead of doing it twice: `<step>/locks/<task>`, created exclusively and holding
/// `pid host start`. It is created whole (written to a scratch name, then hard-linked into place, which fails when
/// the lock exists), so a lock file is never seen half-written. A lock whose holder no longer runs on this host
/// (no such process, or a process with the same id but another start time: the id was reused) is stale and taken
/// over; a lock of another host is respected (delete the file if that job is known to be dead).
struct TaskLock {
    let path: String

    /// Who holds a lock, as written in its file.
    struct Holder: CustomStringConvertible {
        var pid: Int32
        var host: String
        /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`), nil when unknown.
        var start: UInt64?
        var description: String { "process \(pid) on \(host)" }
    }

    /// Takes the lock at `path`, or returns the live holder when another process has it.
    static func acquire(path: String) throws -> Result<TaskLock, HolderError> {
        for _ in 0..<2 {
            let scratch = path + ".\(getpid()).new"
            let text = "\(getpid()) \(hostName()) \(startTime(of: getpid()) ?? 0)\n"
            guard try createFile(scratch, contents: Data(text.utf8)) else {
                throw ExecutionError("cannot create the task lock \(path): cannot write \(scratch)")
            }
            let linked = link(scratch, path)
            let error = errno
            unlink(scratch)
            if linked == 0 { return .success(TaskLock(path: path)) }
            guard error == EEXIST else {
                throw ExecutionError("cannot create the task lock \(path): \(String(cString: strerror(error)))")
            }
            if let holder = holder(of: path), !isStale(holder) { return .failure(HolderError(holder: holder)) }
            unlink(path)  // stale (its holder died) or unreadable: take it over
        }
        throw ExecutionError("cannot take the task lock \(path)")
    }

    /// Another process holds the lock.
    struct HolderError: Error { var holder: Holder }

    func release() { unlink(path) }

    private static func holder(of path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 2, let pid = Int32(parts[0]) else { return nil }
        let start = parts.count > 2 ? UInt64(parts[2]).flatMap { $0 == 0 ? nil : $0 } : nil
        return Holder(pid: pid, host: String(parts[1]), start: start)
    }

    /// A holder on this host that no longer runs: no such process, or the id now names a later process.
    private static func isStale(_ holder: Holder) -> Bool {
        guard holder.host == hostName() else { return false }
        if kill(holder.pid, 0) != 0, errno == ESRCH { return true }
        if let start = holder.start, let now = startTime(of: holder.pid), now != start { return true }
        return false
    }

    /// A process's start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`), nil off Linux.
    private static func startTime(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil  // fields after the name start at field 3
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(cString: buffer)
    }
}

/// Removes the task locks in `directory` once every task they guard is complete: a run killed between a task's
/// marker and its lock's release leaves a lock nobody would remove; a run still holding one only finds its task
/// complete (its own release then finds no file).
func removeLocks(_ directory: String) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] { unlink(directory + "/" + name) }
    rmdir(directory)
}
