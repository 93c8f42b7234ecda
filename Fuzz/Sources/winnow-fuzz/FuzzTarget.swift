import Foundation

/// A fuzz target: a name (`WINNOW_FUZZ_TARGET`, the corpus directory `Fuzz/Corpus/<name>`) and the function
/// libFuzzer calls with each input. A target returns normally for every input, accepted or rejected; a trap,
/// a sanitizer report, a hang (`-timeout`) or a memory blow-up (`-rss_limit_mb`) is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void
}

/// Every target, in the order of docs/fuzzing.md.
let allTargets: [FuzzTarget] = [
    jsonLineTarget, jsonlReaderTarget, warcTarget, httpTarget, wetTarget, charsetTarget, yamlTarget,
    tokenizerJSONTarget, tiktokenTarget, fastTextTarget, arpaTarget, lmBinaryTarget, piiTarget, preTokenTarget,
    htmlTarget, parquetTarget, minhashTarget,
]

/// A scratch file per process for targets whose parser reads files (readers, model loaders): inputs are
/// written to it and read back. It lives in /dev/shm when there is one.
enum ScratchFile {
    nonisolated(unsafe) static var directory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(base)/winnow-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to `<directory>/<name>` and returns the path.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, name: String) -> String {
        let path = "\(directory)/\(name)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create the scratch file \(path)")
        var written = 0
        while written < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0, "cannot write the scratch file \(path)")
            written += n
        }
        close(fd)
        return path
    }

    static func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Splits an input at its first newline: a short header (a label, a content type, a choice) and the bytes after it.
func splitHeader(_ data: UnsafeBufferPointer<UInt8>) -> (header: String, body: UnsafeBufferPointer<UInt8>) {
    guard let newline = data.firstIndex(of: 0x0A) else { return ("", data) }
    let header = String(decoding: UnsafeBufferPointer(rebasing: data[..<newline]), as: UTF8.self)
    return (header, UnsafeBufferPointer(rebasing: data[(newline + 1)...]))
}

/// A property a target checks failed: stop like a trap, so libFuzzer saves the input.
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("fuzz property failed: \(message())\n".utf8))
        abort()
    }
}
