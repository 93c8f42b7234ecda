import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowPipeline

/// Task locks and scratch files while other tasks of a cluster array tidy up: a task that completes a phase
/// removes the empty lock and scratch directories, which another task may be creating files in at that moment
/// (seen on Slurm as "cannot create the task lock ...: cannot write ...").
@Suite struct TaskLockTests {
    @Test func lockSurvivesItsDirectoryBeingRemovedMeanwhile() throws {
        let root = try temporaryDirectory()
        let locks = root + "/locks/count"
        let stop = Atomic(false)
        // Another task tidying up: removes the directories whenever they are empty.
        let tidier = Thread {
            while !stop.value { rmdir(locks); rmdir(root + "/locks") }
        }
        tidier.start()
        defer { stop.value = true }
        for task in 0..<300 {
            switch try TaskLock.acquire(path: locks + "/" + String(format: "%05d", task % 7)) {
            case .success(let lock): lock.release()
            case .failure(let held): Issue.record("lock held by \(held.holder)")
            }
        }
    }

    @Test func atomicWriteSurvivesItsScratchDirectoryBeingRemovedMeanwhile() throws {
        let root = try temporaryDirectory()
        let stop = Atomic(false)
        let tidier = Thread {
            while !stop.value { rmdir(root + "/_tmp/phase"); rmdir(root + "/_tmp") }
        }
        tidier.start()
        defer { stop.value = true }
        for i in 0..<300 {
            try writeAtomically("\(i)\n", to: root + "/stats.json", scratch: root + "/_tmp/phase")
            try makeDirectory(root + "/_tmp/phase/task\(i % 5)/stats")
            rmdir(root + "/_tmp/phase/task\(i % 5)/stats"); rmdir(root + "/_tmp/phase/task\(i % 5)")
        }
        #expect(try String(contentsOfFile: root + "/stats.json", encoding: .utf8) == "299\n")
    }
}

/// A flag shared with a thread.
private final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Bool
    init(_ value: Bool) { stored = value }
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
