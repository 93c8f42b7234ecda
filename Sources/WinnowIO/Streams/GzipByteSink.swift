import CZlib

/// Compresses into a gzip file of a single member. Small writes are collected in a 1 MiB buffer first.
public final class GzipByteSink: ByteSink {
    private let file: FileByteSink
    private let stream: UnsafeMutablePointer<z_stream>
    private var pending: WriteBuffer
    private let output: UnsafeMutableRawBufferPointer
    private var closed = false
    public private(set) var bytesWritten: Int64 = 0

    /// Creates or truncates `path`; `level` is zlib's 0...9 (default 6).
    public init(path: String, level: Int = 6, bufferSize: Int = 1 << 20) throws {
        file = try FileByteSink(path: path)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        pending = WriteBuffer(capacity: bufferSize)
        output = .allocate(byteCount: 256 << 10, alignment: 16)
        let status = winnow_deflateInit2(stream, Int32(min(max(level, 0), 9)), 15 + 16)
        guard status == Z_OK else {
            stream.deallocate()
            pending.deallocate()
            output.deallocate()
            throw StreamError.io(path: path, detail: "deflateInit2 failed (\(status))")
        }
    }

    deinit {
        if !closed { try? close() }
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        pending.deallocate()
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !closed else { throw StreamError.io(path: file.path, detail: "write after close") }
        bytesWritten += Int64(bytes.count)
        try pending.write(bytes) { try deflate($0, flush: Z_NO_FLUSH) }
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try compressPending()
        try deflate(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        try file.close()
    }

    private func compressPending() throws {
        try pending.flush { try deflate($0, flush: Z_NO_FLUSH) }
    }

    private func deflate(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws {
        var offset = 0
        repeat {
            let chunk = min(bytes.count - offset, Int(UInt32.max >> 1))
            stream.pointee.next_in = chunk > 0
                ? UnsafeMutablePointer(mutating: (bytes.baseAddress! + offset).assumingMemoryBound(to: Bytef.self)) : nil
            stream.pointee.avail_in = uInt(chunk)
            offset += chunk
            let mode = offset == bytes.count ? flush : Z_NO_FLUSH
            while true {
                stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(output.count)
                let status = CZlib.deflate(stream, mode)
                guard status != Z_STREAM_ERROR else { throw StreamError.io(path: file.path, detail: "deflate failed") }
                let made = output.count - Int(stream.pointee.avail_out)
                if made > 0 { try file.write(UnsafeRawBufferPointer(start: output.baseAddress, count: made)) }
                if mode == Z_FINISH {
                    if status == Z_STREAM_END { break }
                } else if stream.pointee.avail_out != 0 {
                    break
                }
            }
        } while offset < bytes.count
    }
}
