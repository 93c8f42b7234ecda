import Foundation
import WinnowCore

/// Facts about the run that its directory does not record, known to whoever ran it (`report: true` in a
/// pipeline) or given on the command line (`winnow report --pipeline`).
public struct RunInfo: Sendable {
    public var pipelineName: String?
    public var pipelineFile: String?
    /// SHA-256 of the pipeline YAML file's bytes.
    public var pipelineSHA256: String?
    public var started: Date?
    public var finished: Date?
    /// CPU seconds (user + system) of the process that ran the pipeline.
    public var cpuSeconds: Double?

    public init(pipelineName: String? = nil, pipelineFile: String? = nil, pipelineSHA256: String? = nil,
                started: Date? = nil, finished: Date? = nil, cpuSeconds: Double? = nil) {
        self.pipelineName = pipelineName
        self.pipelineFile = pipelineFile
        self.pipelineSHA256 = pipelineSHA256
        self.started = started
        self.finished = finished
        self.cpuSeconds = cpuSeconds
    }

    /// Name, file and hash of a pipeline YAML file (the file's bytes as they are now).
    public static func pipeline(file: String, name: String?) -> RunInfo {
        var digest = SHA256Digest()
        if let data = FileManager.default.contents(atPath: file) { digest.update(Array(data)) }
        return RunInfo(pipelineName: name, pipelineFile: file, pipelineSHA256: digest.finalize())
    }
}

/// How the report is drawn.
public struct ReportOptions: Sendable {
    /// Excluded documents shown per stage and reason.
    public var examplesPerReason = 5
    /// Documents per reservoir (before and after, per step) behind the distributions.
    public var sampleSize = 10_000
    /// Seed of the reservoirs: the same run gives the same page.
    public var seed: UInt64 = 1
    /// The steps in the pipeline's order; nil: the order they started in (`step.json` times).
    public var stepOrder: [String]?
    /// The Winnow version that writes the report (shown in the header).
    public var version = ""
    public var run = RunInfo()

    public init() {}
}

/// `winnow report`: one self-contained HTML page about a run directory (inline CSS and SVG; no script, no
/// external resource), with the run's header, per step the funnel of documents and bytes through each stage,
/// exclusions per stage and reason, problems, distributions before and after the step from bounded seeded
/// samples, sampled excluded documents, and the results of whole-dataset steps. See docs/report.md.
public enum RunReport {
    /// Renders the page for `runDirectory` (a `winnow run` output directory).
    public static func render(runDirectory: String, options: ReportOptions = ReportOptions(),
                              linkBase: String? = nil) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDirectory) else {
            throw ReportError("\(runDirectory) does not exist: give the output directory of a `winnow run`")
        }
        guard isDirectory.boolValue else {
            throw ReportError("\(runDirectory) is a file, not a directory: give the output directory of a `winnow run`")
        }
        let steps = try loadSteps(runDirectory, order: options.stepOrder)
        guard !steps.isEmpty else {
            throw ReportError("no step directories (with step.json) in \(runDirectory): give the output directory of a `winnow run`")
        }
        // Steps are sampled independently, in parallel; each sample depends only on its step's files and the seed.
        let samples = Samples(count: steps.count)
        DispatchQueue.concurrentPerform(iterations: steps.count) { i in
            let step = steps[i]
            let keys = Set((step.stats ?? []).flatMap { $0.excluded.keys })
            let seed = options.seed &+ UInt64(i) &* 0x1000_0001
            samples.set(i, StepSample.read(step, reasonKeys: keys, sampleSize: options.sampleSize,
                                           examplesPerReason: options.examplesPerReason, seed: seed))
        }
        var page = ReportPage(runDirectory: runDirectory, options: options, linkBase: linkBase ?? runDirectory)
        return page.render(steps: steps, samples: samples.values())
    }

    /// Writes the page to `output` (by default `<runDirectory>/report.html`); returns its path.
    @discardableResult
    public static func write(runDirectory: String, output: String? = nil, options: ReportOptions = ReportOptions()) throws -> String {
        let path = output ?? runDirectory + "/report.html"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let html = try render(runDirectory: runDirectory, options: options,
                              linkBase: relativePath(from: directory, to: runDirectory))
        let scratch = path + ".tmp.\(getpid())"
        guard FileManager.default.createFile(atPath: scratch, contents: Data(html.utf8)) else {
            throw ReportError("cannot write \(scratch): does the directory \(directory) exist and is it writable?")
        }
        guard rename(scratch, path) == 0 else {
            throw ReportError("cannot move \(scratch) to \(path): \(String(cString: strerror(errno)))")
        }
        return path
    }

    /// Step directories of a run: the subdirectories holding a `step.json`, in `order` (others after, by start).
    static func loadSteps(_ runDirectory: String, order: [String]?) throws -> [StepRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runDirectory)) ?? []
        var steps: [StepRecord] = []
        for name in names.sorted() where FileManager.default.fileExists(atPath: runDirectory + "/" + name + "/step.json") {
            steps.append(try StepRecord(root: runDirectory + "/" + name))
        }
        let rank = Dictionary((order ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return steps.enumerated().sorted { a, b in
            let ka = (rank[URL(fileURLWithPath: a.element.root).lastPathComponent] ?? Int.max, a.element.started ?? .distantFuture, a.offset)
            let kb = (rank[URL(fileURLWithPath: b.element.root).lastPathComponent] ?? Int.max, b.element.started ?? .distantFuture, b.offset)
            return ka.0 != kb.0 ? ka.0 < kb.0 : ka.1 != kb.1 ? ka.1 < kb.1 : ka.2 < kb.2
        }.map(\.element)
    }

    /// `target` relative to `base` (both directories), for links that work when the page and the run move together.
    static func relativePath(from base: String, to target: String) -> String {
        let b = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let t = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < min(b.count, t.count), b[common] == t[common] { common += 1 }
        let parts = Array(repeating: "..", count: b.count - common) + t[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

/// The per-step samples, filled by parallel workers, each writing its own slot.
private final class Samples: @unchecked Sendable {
    private var slots: [StepSample?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ sample: StepSample) {
        lock.lock()
        slots[i] = sample
        lock.unlock()
    }

    func values() -> [StepSample] { slots.map { $0! } }
}
