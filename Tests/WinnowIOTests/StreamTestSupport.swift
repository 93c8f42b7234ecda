import Foundation
import WinnowCore
import WinnowIO

/// Paths of the stream and WARC fixtures made by `Fixtures/make_stream_fixtures.py`.
enum StreamFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/streams")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }

    /// `expected.json`: documents computed by warcio and Python's codecs.
    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// A file of the repository's `Samples/` (the Common Crawl-style sample set); always present.
    static func sharedSample(_ name: String) -> String? {
        let repo = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repo.appendingPathComponent("Samples/\(name)").path
    }

    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("winnow-stream-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }
}

/// A byte source over memory that hands out at most `chunk` bytes per read.
final class MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    let chunk: Int
    private var position = 0
    var compressedOffset: Int64 { Int64(position) }

    init(_ bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = chunk
    }

    convenience init(_ text: String, chunk: Int = .max) { self.init(Array(text.utf8), chunk: chunk) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, chunk, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }
}

/// Reads a whole source.
func readAll(_ source: ByteSource, chunk: Int = 1 << 16) throws -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return out }
        out.append(contentsOf: buffer[0..<n])
    }
}

/// What a reader produced for one file.
struct ReaderRun {
    var documents: [Document] = []
    var problems: [InputProblem] = []
    var stats = StageStats(name: "reader")
}

func run(_ reader: some DocumentReader, _ path: String) throws -> ReaderRun {
    var result = ReaderRun()
    var stats = StageStats(name: "reader")
    try reader.read(file: path, stats: &stats, problem: { result.problems.append($0) }, emit: { result.documents.append($0) })
    result.stats = stats
    return result
}

/// FNV-1a 64, as the fixture script computes it, in lower-case hex of 16 digits.
func fnv1a64(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf29ce484222325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
