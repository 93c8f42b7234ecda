import Foundation
import WinnowIO

/// Where a step keeps its files under `<output>/<step>/`. This layout is the contract between steps and
/// between the tasks of one step (locally or on a cluster):
///
/// - `documents/<task>.jsonl.zst` (or `<task>_<part>.jsonl.zst` when rotating): the kept documents;
/// - `excluded/<stage>/<task>.jsonl.zst`: documents a stage rejected, with `filter` (the stage) and `filter_reason`;
/// - `problems/<task>.jsonl`: input defects (file, offset, reason, detail);
/// - `stats/<task>.json`: per-task stats; `stats.json`: all tasks merged, written when the step completes;
/// - `completed/<task>`: the marker written last, after a task's files are all in place;
/// - `step.json`: the configuration fingerprint, task count and input files of this run (inside the output:
///   relative to the step directory; else absolute), with each input's size and modification time;
/// - `locks/<task>`: `pid host` of the process running the task, so that concurrent runs split the work;
/// - `_tmp/<task>/`: a running task's files, moved into place when it finishes.
public struct StepLayout: Sendable {
    public let root: String

    public init(output: String, step: String) {
        root = output + "/" + step
    }

    public var documents: String { root + "/documents" }
    public var excluded: String { root + "/excluded" }
    public var problems: String { root + "/problems" }
    public var stats: String { root + "/stats" }
    public var completed: String { root + "/completed" }
    public var mergedStats: String { root + "/stats.json" }
    public var manifest: String { root + "/step.json" }
    public var temporary: String { root + "/_tmp" }
    /// `locks/<task>`: held while a process runs the task (see `TaskLock`).
    public var locks: String { root + "/locks" }
    public func lock(task: Int) -> String { locks + "/" + Self.taskName(task) }
    /// The results of a whole-dataset step (a tokenizer, ...).
    public var output: String { root + "/output" }

    public static func taskName(_ task: Int) -> String { zeroPadded(task, 5) }

    public func completionMarker(_ task: Int) -> String { completed + "/" + Self.taskName(task) }
    public func temporary(task: Int) -> String { temporary + "/" + Self.taskName(task) }

    public func isComplete(task: Int) -> Bool {
        FileManager.default.fileExists(atPath: completionMarker(task))
    }

    /// Removes everything an unfinished run of `task` may have left: its temporary directory and any of
    /// its files already moved into place. Other tasks' files are not touched.
    public func clean(task: Int) throws {
        let fm = FileManager.default
        let name = Self.taskName(task)
        try? fm.removeItem(atPath: temporary(task: task))
        var directories = [documents, problems, stats]
        if let stages = try? fm.contentsOfDirectory(atPath: excluded) {
            directories += stages.map { excluded + "/" + $0 }
        }
        for dir in directories {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for file in names where Self.belongs(file, to: name) {
                try fm.removeItem(atPath: dir + "/" + file)
            }
        }
    }

    /// Removes what a killed run may have left in `_tmp/` besides task directories (half-written
    /// step files); task directories are cleaned when their task runs again.
    public func removeScratchFiles() { removeStaleScratchFiles(in: temporary) }

    /// Whether a file name in an output directory was written by the task named `task`.
    static func belongs(_ file: String, to task: String) -> Bool {
        guard file.hasPrefix(task) else { return false }
        let rest = file.dropFirst(task.count)
        return rest.hasPrefix(".") || rest.hasPrefix("_")
    }
}

/// Writes a file so that readers see either the old or the whole new content: write a sibling in
/// `scratch` (a directory on the same file system), named after this host and process, then rename. A run killed
/// in between leaves only the scratch file, which a later run on the same host removes once that process is gone
/// (`removeStaleScratchFiles`); tasks running at the same time (a cluster array) never remove each other's.
func writeAtomically(_ text: String, to path: String, scratch: String) throws {
    let name = path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...]
    let temporary = scratch + "/" + name + "." + scratchOwner + ".\(getpid())"
    guard try createFile(temporary, contents: Data(text.utf8)) else {
        throw ExecutionError("cannot write \(temporary)")
    }
    try moveReplacing(temporary, to: path)
}

/// This host's name, as scratch file names carry it.
let scratchOwner: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count)
    let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return host.isEmpty ? "host" : host.replacingOccurrences(of: ".", with: "_")
}()

/// Removes the half-written files (`<name>.<host>.<pid>`) in `directory` left by dead processes of this host.
func removeStaleScratchFiles(in directory: String) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
    for name in names {
        let parts = name.split(separator: ".")
        guard parts.count >= 3, String(parts[parts.count - 2]) == scratchOwner, let pid = Int32(parts[parts.count - 1]) else { continue }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
        if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { try? fm.removeItem(atPath: directory + "/" + name) }
    }
}

/// Removes a scratch directory if it is empty (other tasks of a cluster array may still be using it).
func removeIfEmpty(_ directory: String) {
    rmdir(directory)
}

/// The name in a task's scratch directory of the file that goes to `relativePath` under the step's directory:
/// the path with `%` written `%25` and `/` written `%2F`, so the file sits directly in the scratch directory.
/// A task's files need no scratch subdirectories then: each one made and removed again was an ext4 inode
/// allocated and freed, and a freshly freed inode slows the next allocations (the kernel skips recently
/// deleted inodes), most of the fixed cost of a phase's tasks. `commitScratch` decodes the name.
func flatScratchName(_ relativePath: String) -> String {
    guard relativePath.utf8.contains(where: { $0 == 0x25 || $0 == 0x2F }) else { return relativePath }
    return relativePath.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
}

/// The relative path a file directly in a scratch directory goes to (`flatScratchName` undone).
func unflattenedScratchPath(_ name: String) -> String {
    guard name.utf8.contains(0x25) else { return name }
    return name.replacingOccurrences(of: "%2F", with: "/").replacingOccurrences(of: "%25", with: "%")
}

/// Moves every regular file of a task's scratch directory to the same relative place under `root` (in target
/// order), then removes the scratch directory: the last step before a task's completion marker. A file directly
/// in the scratch directory goes where its name says (`flatScratchName`); a file in a subdirectory (a document
/// writer's) to the same relative path. The tree is read with `readdir` (entry types from the directory
/// itself): Foundation's enumerator asked for each entry's attributes, reading /etc/passwd and /etc/group every
/// time, about a third of a small task's CPU time.
func commitScratch(_ scratch: String, into root: String) throws {
    var files: [String] = [], directories: [String] = []
    guard listTree(scratch, relative: "", files: &files, directories: &directories) else { return }
    let moves = files.map { (source: $0, target: $0.contains("/") ? $0 : unflattenedScratchPath($0)) }
    var made = Set<String>()
    for (source, relative) in moves.sorted(by: { $0.target < $1.target }) {
        let target = root + "/" + relative
        let parent = String(target[..<target.lastIndex(of: "/")!])
        // A directory this commit already moved a file into is not empty, so no other task removes it.
        if made.insert(parent).inserted { try makeDirectory(parent) }
        try moveReplacing(scratch + "/" + source, to: target)
    }
    // Only the (now empty) directories are left, listed parents first: remove children first. Anything else
    // (a symbolic link, a socket) is removed with the rest by FileManager.
    for relative in directories.reversed() { rmdir(scratch + "/" + relative) }
    if rmdir(scratch) != 0 { try FileManager.default.removeItem(atPath: scratch) }
}

/// Appends the regular files and directories under `base/relative` (paths relative to `base`, directories
/// before their contents); false when `base/relative` cannot be opened as a directory.
private func listTree(_ base: String, relative: String, files: inout [String], directories: inout [String]) -> Bool {
    let path = relative.isEmpty ? base : base + "/" + relative
    guard let directory = opendir(path) else { return false }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name == "." || name == ".." { continue }
        let child = relative.isEmpty ? name : relative + "/" + name
        var type = Int32(entry.pointee.d_type)
        if type == Int32(DT_UNKNOWN) {
            var info = stat()
            guard lstat(base + "/" + child, &info) == 0 else { continue }
            type = (info.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : type
        }
        if type == Int32(DT_DIR) {
            directories.append(child)
            _ = listTree(base, relative: child, files: &files, directories: &directories)
        } else if type == Int32(DT_REG) {
            files.append(child)
        }
    }
    return true
}

/// The tasks a run takes on: `--task-index` alone (checked against `taskCount`), else every task.
func selectedTasks(_ taskIndex: Int?, taskCount: Int, of what: String) throws -> [Int] {
    guard let index = taskIndex else { return Array(0..<taskCount) }
    guard index >= 0, index < taskCount else { throw ExecutionError("--task-index \(index) is outside 0..<\(taskCount) (\(what))") }
    return [index]
}

/// Creates an empty file (a marker) with one system call: it either exists or not, whatever happens.
func createMarker(_ path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ExecutionError("cannot create \(path): \(String(cString: strerror(errno)))") }
    close(fd)
}

func moveReplacing(_ from: String, to: String) throws {
    if rename(from, to) != 0 {
        throw ExecutionError("cannot move \(from) to \(to): \(String(cString: strerror(errno)))")
    }
}

/// Creates `path` and its missing parents. Tasks of a cluster array tidy up by removing empty scratch and lock
/// directories (`removeIfEmpty`), so a parent made here may vanish before its child is made: then it starts again.
func makeDirectory(_ path: String) throws {
    // Most calls find the directory there, or only it missing: one mkdir (and one stat) instead of one per component.
    if mkdir(path, 0o777) == 0 { return }
    if errno == EEXIST {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
    }
    var prefixes: [String] = []
    var current = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + component
        prefixes.append(current)
    }
    for _ in 0..<vanishedDirectoryRetries {
        var vanished = false
        for prefix in prefixes {
            if mkdir(prefix, 0o777) == 0 || errno == EEXIST { continue }
            if errno == ENOENT { vanished = true; break }
            if errno == ENOTDIR, let file = prefixes.first(where: { isFile($0) }) {
                throw ExecutionError("cannot create the directory \(path): \(file) is a file, not a directory")
            }
            throw ExecutionError("cannot create the directory \(prefix): \(String(cString: strerror(errno)))")
        }
        if !vanished {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else { throw ExecutionError("cannot create the directory \(path): \(path) is a file, not a directory") }
            return
        }
    }
    throw ExecutionError("cannot create the directory \(path): it keeps disappearing")
}

private func isFile(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
}

/// Creates the file `path` (replacing one there) in a directory that is made first and made again when another
/// task removed it, empty, in between. False when the file cannot be created for another reason. Written in
/// place, not through a temporary file of Foundation's (`.dat.nosync...`), which a process killed in between would
/// leave behind under a name nobody cleans: callers that need atomicity write a scratch name and rename it.
func createFile(_ path: String, contents: Data) throws -> Bool {
    let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    for _ in 0..<vanishedDirectoryRetries {
        if !directory.isEmpty { try makeDirectory(directory) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 {
            defer { close(fd) }
            let written = contents.withUnsafeBytes { bytes -> Bool in
                var offset = 0
                while offset < bytes.count {
                    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    offset += n
                }
                return true
            }
            return written
        }
        if errno != ENOENT || directory.isEmpty || FileManager.default.fileExists(atPath: directory) { return false }
    }
    return false
}

/// How often creating in a directory that another task keeps removing is tried again (each removal needs the
/// directory empty, so every retry is real progress by someone).
private let vanishedDirectoryRetries = 10_000

/// A failure of the run itself (not of one input record): cannot write output, a strict-mode problem,
/// an output directory from a different configuration.
public struct ExecutionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
