import Foundation
import WinnowCore
import WinnowIO
import WinnowWordRules

/// A persistent index of a processed dataset for dedup below the document: the distinct unit hashes (lines or
/// sentence spans) of every document, so a later dataset can drop what the indexed one already has
/// (`against: [INDEX]`). A directory with `hashes.bin` (sorted distinct little-endian `UInt64`s) and
/// `index.json` (the method, the parameters that decide the hashes, the count); `winnow dedup index` writes it.
enum SpanIndex {
    static let hashesFile = "hashes.bin"
    static let manifestFile = "index.json"

    /// Checks that the index at `directory` was built with the same hashing (`signature`) and returns its
    /// hashes file; throws a message naming what differs.
    static func open(_ directory: String, signature: String) throws -> String {
        let manifest = directory + "/" + manifestFile
        guard let data = FileManager.default.contents(atPath: manifest),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DedupIOError("\(manifest) is missing or not JSON: build the index with `winnow dedup index`")
        }
        let built = object["hashing"] as? String ?? ""
        guard built == signature else {
            throw DedupIOError("the index \(directory) was built with hashing '\(built)', this step hashes '\(signature)': rebuild it with the same parameters")
        }
        return directory + "/" + hashesFile
    }
}

/// Reads a sorted file of `UInt64` hashes from a given hash on, in order.
final class SortedHashCursor {
    private let file: UnsafeMutablePointer<FILE>
    let path: String
    private var buffer = [UInt64](repeating: 0, count: 8192)
    private var available = 0, next = 0

    /// Opens `path` and positions the cursor on the first hash `h` with `isAtOrAfter(h)` (monotonic in `h`).
    init(path: String, from isAtOrAfter: (UInt64) -> Bool) throws {
        guard let f = fopen(path, "rb") else { throw DedupIOError("cannot open \(path): \(String(cString: strerror(errno)))") }
        file = f
        self.path = path
        fseeko(f, 0, SEEK_END)
        let count = Int(ftello(f)) / 8
        // Binary search for the first qualifying hash.
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrAfter(try read(at: mid)) { high = mid } else { low = mid + 1 }
        }
        fseeko(f, off_t(low * 8), SEEK_SET)
    }

    deinit { fclose(file) }

    private func read(at index: Int) throws -> UInt64 {
        var value: UInt64 = 0
        fseeko(file, off_t(index * 8), SEEK_SET)
        guard fread(&value, 8, 1, file) == 1 else { throw DedupIOError("\(path) is truncated; rebuild the index") }
        return UInt64(littleEndian: value)
    }

    /// The current hash without taking it, or nil at the end.
    func peek() throws -> UInt64? {
        if next == available {
            available = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 8, 8192, file) }
            next = 0
            if available == 0 { return nil }
        }
        return UInt64(littleEndian: buffer[next])
    }

    /// Whether `hash` is in the file, advancing past smaller hashes (calls must come in increasing order).
    func contains(_ hash: UInt64) throws -> Bool {
        while let h = try peek(), h < hash { next += 1 }
        return try peek() == hash
    }
}

/// `run: {dedup_index: {...}}` and `winnow dedup index`: the index of a dataset for `against:` of
/// `line_dedup` or `sentence_dedup`. Phases: `hashes` (as those steps: per task and hash range, sorted
/// records) and `index` (one task: the merge, distinct hashes to `output/hashes.bin`, and `output/index.json`).
public struct SpanIndexStep: DatasetStep {
    public static let stepName = "dedup_index"
    public static let summary = "write an index of a dataset's line or sentence-span hashes, for against: of line_dedup and sentence_dedup"

    public enum Method: String, Sendable, CaseIterable { case lines, sentences }

    public static let parameters: [ParameterDeclaration] = [
        .choice("method", Method.self, default: .lines, "which hashes: lines (line_dedup's) or sentences (sentence_dedup's)"),
        .int("n_sentences", default: 3, "sentences: sentences per span"),
        .choice("sentence_splitter", SentenceSplitting.self, default: .auto, "sentences: auto, spacy, icu or lines"),
        .choice("unit", LineDedupStep.Unit.self, default: .line, "lines: line or paragraph"),
        .int("min_line_length", default: 1, "lines: shorter units are not indexed"),
    ] + WordSegmenter.Options.parameters + [
        .byteSize("memory", default: "512MiB", "hash records buffered per task before they spill to sorted runs"),
    ]

    let phasesTemplate: SpanDedupPhases
    let signature: String
    let method: Method

    public static func make(parameters p: StageParameters) throws -> SpanIndexStep {
        try p.validate(against: parameters)
        let method = try p.choice("method", as: Method.self)
        var sentences = SentenceDedupStep.Config()
        sentences.sentences = try p.int("n_sentences")
        sentences.splitting = try p.choice("sentence_splitter", as: SentenceSplitting.self)
        sentences.language = try WordSegmenter.Options.read(p)
        var lines = LineDedupStep.Config()
        lines.unit = try p.choice("unit", as: LineDedupStep.Unit.self)
        lines.minLineLength = try p.int("min_line_length")
        let memory = try p.byteSize("memory")
        try p.finish()
        let phases: SpanDedupPhases
        let signature: String
        let (lineConfig, sentenceConfig) = (lines, sentences)
        switch method {
        case .lines:
            signature = lines.hashingSignature
            phases = SpanDedupPhases(stage: "dedup_index", unit: "line", policy: .keepFirst, annotate: false, memoryBytes: memory,
                                     dupsTasks: 1, makeWorker: { LineDedupWorker(config: lineConfig) })
        case .sentences:
            signature = sentences.hashingSignature
            phases = SpanDedupPhases(stage: "dedup_index", unit: "sentence", policy: .keepFirst, annotate: false, memoryBytes: memory,
                                     dupsTasks: 1, makeWorker: { SentenceDedupWorker(config: sentenceConfig) })
        }
        return SpanIndexStep(phasesTemplate: phases, signature: signature, method: method)
    }

    public var phases: [DatasetPhase] {
        let template = phasesTemplate, signature = signature, method = method
        return [DatasetPhase(name: "hashes", tasks: .inputFiles) { try template.hashes($0) },
                DatasetPhase(name: "index", tasks: .fixed(1), writes: ["output"]) { context in
                    var stats = StageStats(name: "index")
                    let files = try context.files(in: template.rangeDirectory(0)).filter { $0.hasSuffix(".bin") }
                    let path = try context.outputFile(in: "output", name: SpanIndex.hashesFile)
                    guard let out = fopen(path, "wb") else { throw DedupIOError("cannot create \(path)") }
                    var last: UInt64? = nil, distinct = 0
                    var buffer: [UInt64] = []
                    buffer.reserveCapacity(8192)
                    func flush() throws {
                        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 8, buffer.count, out) }
                        guard written == buffer.count else { throw DedupIOError("cannot write \(path) (disk full?)") }
                        buffer.removeAll(keepingCapacity: true)
                    }
                    try SortedRecordMerge(paths: files).forEach { r in
                        stats.documentsIn += 1
                        guard r.key != last else { return }
                        last = r.key
                        distinct += 1
                        buffer.append(r.key.littleEndian)
                        if buffer.count == 8192 { try flush() }
                    }
                    try flush()
                    guard fclose(out) == 0 else { throw DedupIOError("cannot close \(path)") }
                    let manifest: JSONValue = .object(["method": .string(method.rawValue), "hashing": .string(signature),
                                                       "hashes": .number(JSONNumber(distinct))])
                    try Data(JSONWriter.string(manifest).utf8).write(to: URL(fileURLWithPath: try context.outputFile(in: "output", name: SpanIndex.manifestFile)))
                    stats.count("distinct_hashes", distinct)
                    return stats
                }]
    }
}
