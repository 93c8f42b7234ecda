/// A defect in the input that a reader skipped or repaired: a malformed JSON line, a truncated gzip
/// member, a WARC record with a wrong Content-Length. Counted in stats under `reason`, logged, written to
/// the step's `problems/` output, and fatal in strict mode.
public struct InputProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Byte offset in the decompressed stream where the bad record starts.
    public var offset: Int64
    /// A short stable key for stats: `malformed_json`, `truncated_stream`, `record_too_large`, ...
    public var reason: String
    /// Human detail: what exactly was wrong.
    public var detail: String

    public init(file: String, offset: Int64, reason: String, detail: String) {
        self.file = file
        self.offset = offset
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(file) @\(offset): \(reason): \(detail)" }
}

