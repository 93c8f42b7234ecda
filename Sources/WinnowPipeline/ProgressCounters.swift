import Foundation
import Synchronization

/// Counters the workers bump and the progress line reads; relaxed atomics, so a bump costs a few
/// nanoseconds.
final class ProgressCounters: Sendable {
    let documents = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
    let inputBytesDone = Atomic<Int>(0)
    let tasksDone = Atomic<Int>(0)

    func add(documents n: Int, bytes b: Int) {
        documents.add(n, ordering: .relaxed)
        bytes.add(b, ordering: .relaxed)
    }

    func finishedFile(bytes: Int) { inputBytesDone.add(bytes, ordering: .relaxed) }
    func finishedTask() { tasksDone.add(1, ordering: .relaxed) }
}

/// Prints `step: N docs, X MB/s, t/T tasks, ETA` on one terminal line every half second while a step
/// runs. ETA comes from the share of input bytes (compressed file sizes) of finished files.
final class ProgressLine: @unchecked Sendable {
    private let counters: ProgressCounters
    private let step: String
    private let totalTasks: Int
    private let totalInputBytes: Int
    private let stopped = Atomic<Bool>(false)
    private var thread: Thread?
    /// Seconds between plain log lines, or nil to redraw one line in place on a terminal.
    private let logInterval: Double?

    init(counters: ProgressCounters, step: String, totalTasks: Int, totalInputBytes: Int, logInterval: Double? = nil) {
        self.counters = counters
        self.step = step
        self.totalTasks = totalTasks
        self.totalInputBytes = totalInputBytes
        self.logInterval = logInterval
    }

    func start() {
        let start = Date()
        let interval = logInterval ?? 0.5
        let t = Thread { [self] in
            var next = interval
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: min(0.1, interval))
                if stopped.load(ordering: .relaxed) { break }
                let elapsed = Date().timeIntervalSince(start)
                if elapsed >= next {
                    render(elapsed: elapsed, final: false)
                    next = elapsed + interval
                }
            }
            // In a log, a step that finished before the first line needs no progress line.
            if logInterval == nil || Date().timeIntervalSince(start) >= interval {
                render(elapsed: Date().timeIntervalSince(start), final: true)
            }
        }
        thread = t
        t.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        while thread?.isFinished == false { Thread.sleep(forTimeInterval: 0.01) }
    }

    private func render(elapsed: Double, final: Bool) {
        let docs = counters.documents.load(ordering: .relaxed)
        let mb = Double(counters.bytes.load(ordering: .relaxed)) / 1e6
        let done = counters.inputBytesDone.load(ordering: .relaxed)
        let tasks = counters.tasksDone.load(ordering: .relaxed)
        var eta = ""
        if !final, done > 0, totalInputBytes > done {
            let remaining = elapsed * Double(totalInputBytes - done) / Double(done)
            eta = ", ETA \(formatDuration(remaining))"
        }
        let line = "\(step): \(docs) docs, \(String(format: "%.1f", mb / max(elapsed, 1e-3))) MB/s, \(tasks)/\(totalTasks) tasks, \(formatDuration(elapsed))\(eta)"
        if logInterval != nil {
            FileHandle.standardError.write(Data(("progress: " + line + (final ? " (done)" : "") + "\n").utf8))
        } else {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (final ? "\n" : "")).utf8))
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
    return "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
}
