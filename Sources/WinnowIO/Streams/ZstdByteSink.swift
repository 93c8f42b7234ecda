import CZstd

/// Compresses into a zstd file (one frame). Small writes are collected in a 1 MiB buffer first.
public final class ZstdByteSink: ByteSink {
    private let file: FileByteSink
    private let context: OpaquePointer
    private var pending: WriteBuffer
    private let output: UnsafeMutableRawBufferPointer
    private var closed = false
    public private(set) var bytesWritten: Int64 = 0

    /// Creates or truncates `path`. `level` is zstd's (default 3); `threads` > 0 turns on zstd's
    /// multithreaded compression (0, the default, compresses on the calling thread).
    public init(path: String, level: Int = 3, threads: Int = 0, bufferSize: Int = 1 << 20) throws {
        guard let context = ZSTD_createCCtx() else { throw StreamError.io(path: path, detail: "ZSTD_createCCtx failed") }
        self.context = context
        do {
            file = try FileByteSink(path: path)
        } catch {
            ZSTD_freeCCtx(context)
            throw error
        }
        pending = WriteBuffer(capacity: bufferSize)
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        _ = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
        _ = ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        if threads > 0 { _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(threads)) }
    }

    deinit {
        if !closed { try? close() }
        ZSTD_freeCCtx(context)
        pending.deallocate()
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !closed else { throw StreamError.io(path: file.path, detail: "write after close") }
        bytesWritten += Int64(bytes.count)
        try pending.write(bytes) { try compress($0, directive: ZSTD_e_continue) }
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try compressPending()
        try compress(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end)
        try file.close()
    }

    private func compressPending() throws {
        try pending.flush { try compress($0, directive: ZSTD_e_continue) }
    }

    private func compress(_ bytes: UnsafeRawBufferPointer, directive: ZSTD_EndDirective) throws {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let remaining = ZSTD_compressStream2(context, &out, &input, directive)
            if ZSTD_isError(remaining) != 0 {
                throw StreamError.io(path: file.path, detail: "zstd: " + String(cString: ZSTD_getErrorName(remaining)))
            }
            if out.pos > 0 { try file.write(UnsafeRawBufferPointer(start: output.baseAddress, count: out.pos)) }
            let finished = directive == ZSTD_e_end ? remaining == 0 : input.pos == input.size
            if finished { break }
        }
    }
}
