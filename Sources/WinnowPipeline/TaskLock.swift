import Foundation

/// A lock on one task, so that concurrent runs into one output directory (or array jobs given the same
/// task) split the work instead of doing it twice: `<step>/locks/<task>`, created exclusively and holding
/// `pid host`. A lock whose holder died on this host is stale and taken over; a lock of another host is
/// respected (delete the file if that job is known to be dead).
struct TaskLock {
    let path: String

    /// Who holds a lock, as written in its file.
    struct Holder: CustomStringConvertible {
        var pid: Int32
        var host: String
        var description: String { "process \(pid) on \(host)" }
    }

    /// Takes the lock at `path`, or returns the live holder when another process has it.
    static func acquire(path: String) throws -> Result<TaskLock, HolderError> {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for _ in 0..<2 {
            let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                let text = "\(getpid()) \(hostName())\n"
                _ = text.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
                return .success(TaskLock(path: path))
            }
            guard errno == EEXIST else {
                throw ExecutionError("cannot create the task lock \(path): \(String(cString: strerror(errno)))")
            }
            if let holder = holder(of: path), !isStale(holder) { return .failure(HolderError(holder: holder)) }
            if holder(of: path) == nil, let age = age(of: path), age < 10 { return .failure(HolderError(holder: Holder(pid: 0, host: "?"))) }
            unlink(path)  // stale: its holder died; take it over
        }
        throw ExecutionError("cannot take the task lock \(path)")
    }

    /// Another process holds the lock.
    struct HolderError: Error { var holder: Holder }

    func release() { unlink(path) }

    private static func holder(of path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let pid = Int32(parts[0]) else { return nil }
        return Holder(pid: pid, host: String(parts[1]))
    }

    /// A holder on this host that no longer runs.
    private static func isStale(_ holder: Holder) -> Bool {
        holder.host == hostName() && kill(holder.pid, 0) != 0 && errno == ESRCH
    }

    private static func age(of path: String) -> Double? {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
        return Date().timeIntervalSince(date)
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(cString: buffer)
    }
}
