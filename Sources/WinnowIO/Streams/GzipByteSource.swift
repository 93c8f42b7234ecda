import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decompresses a gzip stream of one or more members (Common Crawl's `.warc.gz` has one member per
/// record): at the end of a member the inflater is reset and decoding continues with the next one.
///
/// Trailing zero bytes after the last member are ignored. A stream that ends inside a member throws
/// `StreamError.truncated`; invalid data throws `StreamError.corrupt`, after which `skipToNextMember()`
/// can look for the next member's magic bytes and go on from there.
public final class GzipByteSource: ByteSource {
    private let input: ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var inputExhausted = false
    /// Whether the inflater has consumed bytes of a member that it has not finished.
    private var insideMember = false
    /// An error met after some output had been produced: thrown by the next `read`.
    private var pendingError: StreamError?
    private var decompressedTotal: Int64 = 0
    private var boundaries: [MemberBoundary] = []
    private var boundariesHead = 0

    /// Compressed offset where the member being decoded (or the last one finished) starts.
    public private(set) var currentMemberOffset: Int64 = 0
    /// When true, the start of every member is remembered (compressed and decompressed offsets) so that
    /// `memberOffset(startingAt:)` can answer; the WARC reader turns this on.
    public var recordsMemberBoundaries = false
    /// How many boundaries are kept at most when nobody asks for them.
    private static let boundaryLimit = 1 << 16

    /// Where a member starts in the compressed file and in the decompressed stream.
    public struct MemberBoundary: Sendable, Equatable {
        public var compressedOffset: Int64
        public var decompressedOffset: Int64
    }

    /// Bytes of the compressed file consumed by the inflater so far.
    public var compressedOffset: Int64 { input.compressedOffset - Int64(stream.pointee.avail_in) }

    public init(input: ByteSource, inputBufferSize: Int = 256 << 10) throws {
        self.input = input
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        inputBuffer = .allocate(byteCount: max(inputBufferSize, 64), alignment: 16)
        let status = winnow_inflateInit2(stream, 15 + 16)
        guard status == Z_OK else {
            stream.deallocate()
            inputBuffer.deallocate()
            throw StreamError.corrupt(format: "gzip", compressedOffset: 0, detail: "inflateInit2 failed (\(status))")
        }
    }

    /// Opens a gzip file.
    public convenience init(path: String) throws {
        try self.init(input: FileByteSource(path: path))
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        inputBuffer.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let error = pendingError { throw error }
        guard let outBase = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var produced = 0
        while produced < buffer.count {
            if stream.pointee.avail_in == 0 && !inputExhausted {
                try refillInput()
            }
            if !insideMember {
                skipZeroPadding()
                if stream.pointee.avail_in == 0 {
                    if inputExhausted { break }
                    continue
                }
                beginMember()
            }
            let room = min(buffer.count - produced, Int(UInt32.max))
            stream.pointee.next_out = (outBase + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(room)
            let status = inflate(stream, Z_NO_FLUSH)
            let made = room - Int(stream.pointee.avail_out)
            produced += made
            decompressedTotal += Int64(made)
            switch status {
            case Z_STREAM_END:
                insideMember = false
                inflateReset(stream)
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR: no progress possible. With all input consumed, more is read at the top of
                // the loop; when there is no more, the member is cut short. (Inflate is always called once
                // more after the input ends, so output it still holds is not mistaken for truncation.)
                guard status == Z_BUF_ERROR && made == 0 else { break }
                let error = stream.pointee.avail_in == 0 && inputExhausted
                    ? StreamError.truncated(format: "gzip", compressedOffset: compressedOffset)
                    : stream.pointee.avail_in == 0 ? nil : corruptError("inflate made no progress")
                if let error {
                    if produced > 0 { pendingError = error; return produced }
                    throw error
                }
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "inflate error \(status)"
                let error = corruptError(detail)
                if produced > 0 { pendingError = error; return produced }
                throw error
            }
        }
        return produced
    }

    /// After a `corrupt` error: drops input up to the next gzip member header (`1f 8b 08`) and resets the
    /// inflater there. Returns false when no further member exists. The corrupt member's remaining output
    /// is lost, and a member right after the corrupt point may be lost too, since zlib notices corruption late.
    public func skipToNextMember() throws -> Bool {
        pendingError = nil
        insideMember = false
        inflateReset(stream)
        // Move past the byte where decoding failed so that a false match cannot loop forever.
        if stream.pointee.avail_in > 0 {
            stream.pointee.next_in += 1
            stream.pointee.avail_in -= 1
        }
        while true {
            let available = Int(stream.pointee.avail_in)
            if available >= 3, let start = stream.pointee.next_in {
                var index = 0
                while index <= available - 3 {
                    guard let hit = memchr(start + index, 0x1f, available - 2 - index) else { index = available - 2; break }
                    let position = UnsafeMutablePointer<Bytef>(hit.assumingMemoryBound(to: Bytef.self)) - start
                    if start[position + 1] == 0x8b && start[position + 2] == 0x08 {
                        stream.pointee.next_in = start + position
                        stream.pointee.avail_in = uInt(available - position)
                        return true
                    }
                    index = position + 1
                }
                stream.pointee.next_in = start + index
                stream.pointee.avail_in = uInt(available - index)
            }
            if inputExhausted {
                stream.pointee.avail_in = 0
                return false
            }
            try refillInput()
        }
    }

    /// The compressed offset of the member that starts exactly at `decompressedOffset`, if one does.
    /// Queries must come in increasing order: boundaries before `decompressedOffset` are forgotten.
    public func memberOffset(startingAt decompressedOffset: Int64) -> Int64? {
        while boundariesHead < boundaries.count && boundaries[boundariesHead].decompressedOffset < decompressedOffset {
            boundariesHead += 1
        }
        if boundariesHead > 4096 && boundariesHead * 2 > boundaries.count {
            boundaries.removeFirst(boundariesHead)
            boundariesHead = 0
        }
        guard boundariesHead < boundaries.count else { return nil }
        // Several empty members may start at the same decompressed offset: the first one is the one asked for.
        let boundary = boundaries[boundariesHead]
        return boundary.decompressedOffset == decompressedOffset ? boundary.compressedOffset : nil
    }

    /// The decompressed offset of the first remembered member that starts after `decompressedOffset`, if
    /// one has been reached; does not forget any boundary.
    public func firstMemberStart(after decompressedOffset: Int64) -> Int64? {
        var index = boundariesHead
        while index < boundaries.count {
            if boundaries[index].decompressedOffset > decompressedOffset { return boundaries[index].decompressedOffset }
            index += 1
        }
        return nil
    }

    private func beginMember() {
        insideMember = true
        currentMemberOffset = compressedOffset
        guard recordsMemberBoundaries else { return }
        if boundaries.count - boundariesHead >= Self.boundaryLimit {
            boundaries.removeFirst(boundariesHead + 1)
            boundariesHead = 0
        }
        boundaries.append(MemberBoundary(compressedOffset: currentMemberOffset, decompressedOffset: decompressedTotal))
    }

    /// Between members, zero bytes are padding (some tools pad to a block size); drop them.
    private func skipZeroPadding() {
        while stream.pointee.avail_in > 0, let next = stream.pointee.next_in, next.pointee == 0 {
            stream.pointee.next_in = next + 1
            stream.pointee.avail_in -= 1
        }
    }

    /// Moves unconsumed input to the front of the input buffer and reads more after it.
    private func refillInput() throws {
        let base = inputBuffer.baseAddress!
        let remaining = Int(stream.pointee.avail_in)
        if remaining > 0, let next = stream.pointee.next_in {
            memmove(base, next, remaining)
        }
        let n = try input.read(into: UnsafeMutableRawBufferPointer(start: base + remaining, count: inputBuffer.count - remaining))
        if n == 0 { inputExhausted = true }
        stream.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(remaining + n)
    }

    private func corruptError(_ detail: String) -> StreamError {
        .corrupt(format: "gzip", compressedOffset: compressedOffset, detail: detail)
    }
}
