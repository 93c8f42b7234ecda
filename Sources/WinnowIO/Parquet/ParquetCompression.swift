import CSnappy
import CSnappyDecoder
import CZlib
import CZstd

/// Page compression codecs (`CompressionCodec` in parquet.thrift): Winnow reads and writes none, snappy
/// and zstd, and reads gzip. Pages carry their uncompressed size, so every codec decompresses in one call
/// into a buffer of exactly that size; a mismatch is corrupt input.
enum ParquetCodec: Int32, Sendable {
    case uncompressed = 0, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw

    var name: String {
        switch self {
        case .uncompressed: "none"
        case .snappy: "snappy"
        case .gzip: "gzip"
        case .lzo: "lzo"
        case .brotli: "brotli"
        case .lz4: "lz4"
        case .zstd: "zstd"
        case .lz4Raw: "lz4_raw"
        }
    }

    var isSupported: Bool { self == .uncompressed || self == .snappy || self == .gzip || self == .zstd }

    /// Decompresses `input` into the first `size` bytes of `output`, which grows when it is shorter and keeps
    /// whatever it holds past `size` (a reused page buffer is overwritten, not emptied and filled again).
    /// `zstd` is a reusable zstd context (created on first use).
    func decompress(_ input: UnsafeRawBufferPointer, size: Int, into output: inout [UInt8], zstd: ParquetZstdContext) throws {
        if output.count < size { output.append(contentsOf: repeatElement(0, count: size - output.count)) }
        if self == .uncompressed {
            guard input.count == size else {
                throw ParquetFormatError("uncompressed page of \(input.count) bytes declares \(size)")
            }
            if size > 0 { output.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: size) } }
            return
        }
        if size == 0 && input.isEmpty { return }
        let produced: Int = try output.withUnsafeMutableBytes { out in
            let outBase = out.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
            let inBase = input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            switch self {
            case .snappy:
                // Winnow's own decoder (Sources/CSnappyDecoder): 1.35x libsnappy 1.1.9's speed on Parquet text
                // pages, same bytes and same streams refused (docs/parquet.md).
                let inBytes = inBase.assumingMemoryBound(to: UInt8.self)
                var length = 0
                guard winnow_snappy_uncompressed_length(inBytes, input.count, &length) > 0, length == size else {
                    throw ParquetFormatError("snappy page does not decode to its declared \(size) bytes")
                }
                guard winnow_snappy_decompress(inBytes, input.count, outBase.assumingMemoryBound(to: UInt8.self), size)
                        == WINNOW_SNAPPY_OK else {
                    throw ParquetFormatError("snappy page does not decode")
                }
                return size
            case .zstd:
                // Pages may hold several frames; the streaming API handles that and never overruns `out`.
                let context = try zstd.context()
                var inBuffer = ZSTD_inBuffer(src: inBase, size: input.count, pos: 0)
                var outBuffer = ZSTD_outBuffer(dst: outBase, size: size, pos: 0)
                while inBuffer.pos < inBuffer.size {
                    let r = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                    if ZSTD_isError(r) != 0 {
                        throw ParquetFormatError("zstd page does not decode: \(String(cString: ZSTD_getErrorName(r)))")
                    }
                    if outBuffer.pos == outBuffer.size && inBuffer.pos < inBuffer.size && r != 0 {
                        throw ParquetFormatError("zstd page decodes to more than its declared \(size) bytes")
                    }
                    if r != 0 && inBuffer.pos == inBuffer.size { throw ParquetFormatError("zstd page is truncated") }
                }
                return outBuffer.pos
            case .gzip:
                var stream = z_stream()
                guard winnow_inflateInit2(&stream, 15 + 32) == Z_OK else { throw ParquetFormatError("inflateInit2 failed") }
                defer { inflateEnd(&stream) }
                stream.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: UInt8.self))
                stream.avail_in = UInt32(input.count)
                stream.next_out = outBase.assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(size)
                let status = inflate(&stream, Z_FINISH)
                guard status == Z_STREAM_END else { throw ParquetFormatError("gzip page does not decode (zlib status \(status))") }
                return size - Int(stream.avail_out)
            default:
                throw ParquetFormatError("compression \(name) is not supported (Winnow reads none, snappy, gzip, zstd)")
            }
        }
        guard produced == size else {
            throw ParquetFormatError("\(name) page decodes to \(produced) bytes, its header declares \(size)")
        }
    }

    /// Compresses `input`, appending to `output`.
    func compress(_ input: UnsafeRawBufferPointer, level: Int, appendingTo output: inout [UInt8]) {
        switch self {
        case .snappy:
            let bound = snappy_max_compressed_length(input.count)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: bound))
            var length = bound
            output.withUnsafeMutableBytes { out in
                let source = (input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
                _ = snappy_compress(source, input.count,
                                    (out.baseAddress! + start).assumingMemoryBound(to: CChar.self), &length)
            }
            output.removeLast(bound - length)
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: bound))
            let written = output.withUnsafeMutableBytes { out in
                ZSTD_compress(out.baseAddress! + start, bound, input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, input.count, Int32(level))
            }
            output.removeLast(bound - (ZSTD_isError(written) != 0 ? 0 : written))
        default:
            output.append(contentsOf: input)
        }
    }
}

/// A zstd decompression context kept for the pages of a column chunk (creating one per page costs more than
/// decoding a small page). Reset before each page, so a failed page does not affect the next.
final class ParquetZstdContext {
    private var pointer: OpaquePointer?

    init() {}

    func context() throws -> OpaquePointer {
        if let pointer {
            ZSTD_DCtx_reset(pointer, ZSTD_reset_session_only)
            return pointer
        }
        guard let created = ZSTD_createDCtx() else { throw ParquetFormatError("ZSTD_createDCtx failed") }
        pointer = created
        return created
    }

    deinit { if let pointer { ZSTD_freeDCtx(pointer) } }
}
