import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes every shard of a plan, shards in parallel on `workers` threads (each shard by one thread, so its
/// bytes do not depend on the thread count), reading each document's tokens from the encode files.
struct ShardSetWriter {
    let catalog: EncodedDocuments
    let plan: ShardPlan
    let format: ShardFormat
    let dtype: TokenDType
    let directory: String
    let name: String
    let tokenizerName: String

    func write(workers: Int) throws -> [ShardRecord] {
        var descriptors: [Int32] = []
        defer { for fd in descriptors { close(fd) } }
        for prefix in catalog.prefixes {
            let fd = open(prefix + ".tokens", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ShardError("cannot open \(prefix).tokens: \(String(cString: strerror(errno)))") }
            descriptors.append(fd)
        }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var records = [ShardRecord?](repeating: nil, count: plan.shards.count)
        nonisolated(unsafe) var failure: Error?
        let fds = descriptors
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, plan.shards.count))) { _ in
            var scratch: [UInt32] = []
            while true {
                lock.lock()
                let shard = next
                next += 1
                let stop = failure != nil
                lock.unlock()
                guard shard < plan.shards.count, !stop else { return }
                do {
                    let record = try writeShard(shard, descriptors: fds, scratch: &scratch)
                    lock.lock(); records[shard] = record; lock.unlock()
                } catch {
                    lock.lock(); failure = failure ?? error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return records.map { $0! }
    }

    private func writeShard(_ shard: Int, descriptors: [Int32], scratch: inout [UInt32]) throws -> ShardRecord {
        let (documents, tokens) = plan.shards[shard]
        let writer = try ShardWriter(format: format, dtype: dtype, directory: directory, name: name, index: shard,
                                     tokens: tokens, tokenizerName: tokenizerName)
        for i in documents {
            let d = plan.order[i]
            let n = Int(catalog.length[d])
            if scratch.count < n { scratch = [UInt32](repeating: 0, count: max(n, scratch.count * 2)) }
            let fd = descriptors[Int(catalog.source[d])]
            let byteOffset = catalog.offset[d] * 4
            try scratch.withUnsafeMutableBytes { raw in
                var done = 0
                while done < n * 4 {
                    let r = pread(fd, raw.baseAddress! + done, n * 4 - done, off_t(byteOffset) + off_t(done))
                    if r < 0, errno == EINTR { continue }
                    guard r > 0 else {
                        throw ShardError("\(catalog.prefixes[Int(catalog.source[d])]).tokens ends early at byte \(byteOffset + Int64(done)); rerun the step")
                    }
                    done += r
                }
            }
            #if _endian(big)
            for j in 0..<n { scratch[j] = UInt32(littleEndian: scratch[j]) }
            #endif
            try scratch.withUnsafeBufferPointer { try writer.add(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        return try writer.finish()
    }
}
