import Dispatch
import Synchronization

/// Runs `body` for each of `tasks` on up to `workers` threads, each thread taking the next task when it is done
/// with one. After the first failure no new task starts; returns the failure of the lowest task, if any.
func runTasks(_ tasks: [Int], workers: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> (task: Int, error: any Error)? {
    let next = Atomic<Int>(0)
    let failures = Mutex<[(Int, any Error)]>([])
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, tasks.count))) { _ in
        while true {
            if !failures.withLock({ $0.isEmpty }) { return }
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < tasks.count else { return }
            do {
                try body(tasks[i])
            } catch {
                failures.withLock { $0.append((tasks[i], error)) }
            }
        }
    }
    return failures.withLock { $0.min { $0.0 < $1.0 } }.map { (task: $0.0, error: $0.1) }
}
