import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes every shard of a plan, shards in parallel on `workers` threads (each shard by one thread, so its
/// bytes do not depend on the thread count), reading each document's tokens where `documents` says (the encode
/// phase's files, or the shards of existing sets being merged).
struct ShardSetWriter {
    let documents: DocumentLocations
    let plan: ShardPlan
    let format: ShardFormat
    let dtype: TokenDType
    let directory: String
    let name: String
    let tokenizerName: String

    func write(workers: Int) throws -> [ShardRecord] {
        var descriptors: [Int32] = []
        defer { for fd in descriptors { close(fd) } }
        for file in documents.files {
            let fd = open(file.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ShardError("cannot open \(file.path): \(String(cString: strerror(errno)))") }
            descriptors.append(fd)
        }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var records = [ShardRecord?](repeating: nil, count: plan.shards.count)
        nonisolated(unsafe) var failure: Error?
        let fds = descriptors
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, plan.shards.count))) { _ in
            var scratch: [UInt32] = []
            var narrow: [UInt16] = []
            while true {
                lock.lock()
                let shard = next
                next += 1
                let stop = failure != nil
                lock.unlock()
                guard shard < plan.shards.count, !stop else { return }
                do {
                    let record = try writeShard(shard, descriptors: fds, scratch: &scratch, narrow: &narrow)
                    lock.lock(); records[shard] = record; lock.unlock()
                } catch {
                    lock.lock(); failure = failure ?? error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return records.map { $0! }
    }

    private func writeShard(_ shard: Int, descriptors: [Int32], scratch: inout [UInt32], narrow: inout [UInt16]) throws -> ShardRecord {
        let (range, tokens, role) = plan.shards[shard]
        let writer = try ShardWriter(format: format, dtype: dtype, directory: directory, name: name, index: shard, role: role,
                                     tokens: tokens, tokenizerName: tokenizerName)
        for i in range {
            let d = plan.order[i]
            let n = Int(documents.length[d])
            if scratch.count < n { scratch = [UInt32](repeating: 0, count: max(n, scratch.count * 2)) }
            let f = Int(documents.file[d])
            let file = documents.files[f]
            let start = Int64(file.headerBytes) + documents.offset[d] * Int64(file.dtype.size)
            if file.dtype == .uint16 {
                if narrow.count < n { narrow = [UInt16](repeating: 0, count: max(n, narrow.count * 2)) }
                try narrow.withUnsafeMutableBytes { try readFully(descriptors[f], into: $0, count: n * 2, at: start, path: file.path) }
                narrow.withUnsafeBufferPointer { source in
                    scratch.withUnsafeMutableBufferPointer { for j in 0..<n { $0[j] = UInt32(UInt16(littleEndian: source[j])) } }
                }
            } else {
                try scratch.withUnsafeMutableBytes { try readFully(descriptors[f], into: $0, count: n * 4, at: start, path: file.path) }
                #if _endian(big)
                for j in 0..<n { scratch[j] = UInt32(littleEndian: scratch[j]) }
                #endif
            }
            try scratch.withUnsafeBufferPointer { try writer.add(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        return try writer.finish()
    }

    private func readFully(_ fd: Int32, into raw: UnsafeMutableRawBufferPointer, count: Int, at start: Int64, path: String) throws {
        var done = 0
        while done < count {
            let r = pread(fd, raw.baseAddress! + done, count - done, off_t(start) + off_t(done))
            if r < 0, errno == EINTR { continue }
            guard r > 0 else { throw ShardError("\(path) ends early at byte \(start + Int64(done)); rerun the step") }
            done += r
        }
    }
}
