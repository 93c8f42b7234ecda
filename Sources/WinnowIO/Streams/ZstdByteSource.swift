import CZstd

/// Decompresses a zstd stream of one or more frames; skippable frames are passed over.
///
/// A stream that ends inside a frame throws `StreamError.truncated`; invalid data throws
/// `StreamError.corrupt` (there is no resynchronisation: the rest of the file is lost).
public final class ZstdByteSource: ByteSource {
    private let input: ByteSource
    private let context: OpaquePointer
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var inputPosition = 0
    private var inputCount = 0
    private var inputExhausted = false
    /// The last hint from `ZSTD_decompressStream`: 0 when a frame has just been completed.
    private var frameIncomplete = false
    private var pendingError: StreamError?

    /// Bytes of the compressed file consumed by the decoder so far.
    public var compressedOffset: Int64 { input.compressedOffset - Int64(inputCount - inputPosition) }

    public init(input: ByteSource) throws {
        guard let context = ZSTD_createDCtx() else {
            throw StreamError.corrupt(format: "zstd", compressedOffset: 0, detail: "ZSTD_createDCtx failed")
        }
        self.input = input
        self.context = context
        inputBuffer = .allocate(byteCount: ZSTD_DStreamInSize() * 2, alignment: 16)
    }

    /// Opens a zstd file.
    public convenience init(path: String) throws {
        try self.init(input: FileByteSource(path: path))
    }

    deinit {
        ZSTD_freeDCtx(context)
        inputBuffer.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let error = pendingError { throw error }
        guard let outBase = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var output = ZSTD_outBuffer(dst: outBase, size: buffer.count, pos: 0)
        while output.pos < output.size {
            if inputPosition == inputCount && !inputExhausted {
                let n = try input.read(into: inputBuffer)
                inputPosition = 0
                inputCount = n
                if n == 0 { inputExhausted = true }
            }
            let hadInput = inputPosition < inputCount
            var inBuffer = ZSTD_inBuffer(src: inputBuffer.baseAddress!, size: inputCount, pos: inputPosition)
            let before = output.pos
            let hint = ZSTD_decompressStream(context, &output, &inBuffer)
            inputPosition = inBuffer.pos
            if ZSTD_isError(hint) != 0 {
                let error = StreamError.corrupt(format: "zstd", compressedOffset: compressedOffset,
                                                detail: String(cString: ZSTD_getErrorName(hint)))
                pendingError = error
                if output.pos > 0 { break }
                throw error
            }
            // An empty call at a frame boundary hints at the next frame's header: only calls that consumed
            // input or produced output tell whether the current frame is complete.
            if hadInput || output.pos > before { frameIncomplete = hint != 0 }
            if !hadInput && output.pos == before {
                // Input exhausted and nothing left buffered inside the decoder.
                if frameIncomplete {
                    let error = StreamError.truncated(format: "zstd", compressedOffset: compressedOffset)
                    pendingError = error
                    if output.pos > 0 { break }
                    throw error
                }
                break
            }
        }
        return output.pos
    }
}
