/// Collects small writes into one large buffer and hands it on when full; a write as large as the buffer
/// goes through directly. The sinks share it so that no sink makes a system call or a compressor call
/// per small write.
struct WriteBuffer {
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(capacity: Int) {
        storage = .allocate(byteCount: max(capacity, 4096), alignment: 16)
    }

    func deallocate() { storage.deallocate() }

    /// Buffers `bytes`, handing the buffer (or `bytes` itself, when large) to `drain` as needed.
    mutating func write(_ bytes: UnsafeRawBufferPointer, drain: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count <= storage.count - count {
            (storage.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
            count += bytes.count
            return
        }
        try flush(drain: drain)
        if bytes.count >= storage.count {
            try drain(bytes)
        } else {
            storage.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            count = bytes.count
        }
    }

    /// Hands whatever is buffered to `drain`.
    mutating func flush(drain: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard count > 0 else { return }
        let n = count
        count = 0
        try drain(UnsafeRawBufferPointer(start: storage.baseAddress, count: n))
    }
}
