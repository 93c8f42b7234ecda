import CSnappy
import CSnappyDecoder
import Testing
import WinnowTestSupport

/// Winnow's snappy decoder (`Sources/CSnappyDecoder`) against libsnappy: seeded random inputs compressed
/// by libsnappy must decode to themselves; damaged streams must be refused exactly when libsnappy refuses
/// them, and decode to libsnappy's bytes when it accepts them. Buffers are exact-size arrays, so a read or
/// write past either end would show (under the address sanitizer as a fault, otherwise as wrong bytes).
@Suite struct SnappyDecoderTests {
    /// Text-like bytes: runs of an alphabet of `alphabet` symbols with repeats from 1..<back bytes earlier,
    /// so the compressed stream holds literals and copies of every kind (including overlapping copies).
    static func sample(_ rng: inout SplitMix64, count: Int) -> [UInt8] {
        let alphabet = 1 + rng.next(below: 255), back = 1 + rng.next(below: 80)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for i in 0..<count {
            if i > 8 && rng.next(below: 3) == 0 {
                bytes.append(bytes[i - 1 - rng.next(below: min(i, back))])
            } else {
                bytes.append(UInt8(rng.next(below: alphabet)))
            }
        }
        return bytes
    }

    static func libsnappyCompress(_ input: [UInt8]) -> [UInt8] {
        var length = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: length)
        let status = input.withUnsafeBytes { i in
            output.withUnsafeMutableBytes { o in
                snappy_compress(i.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                o.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        precondition(status == SNAPPY_OK)
        return Array(output[..<length])
    }

    /// libsnappy's reading of `stream`: the bytes, or nil when it refuses the stream.
    static func libsnappyDecompress(_ stream: [UInt8]) -> [UInt8]? {
        var length = 0
        guard stream.withUnsafeBytes({ snappy_uncompressed_length($0.baseAddress?.assumingMemoryBound(to: CChar.self), stream.count, &length) }) == SNAPPY_OK,
              length < 1 << 22 else { return nil }
        var output = [UInt8](repeating: 0, count: length)
        let status = stream.withUnsafeBytes { s in
            output.withUnsafeMutableBytes { o in
                snappy_uncompress(s.baseAddress?.assumingMemoryBound(to: CChar.self), stream.count,
                                  o.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        return status == SNAPPY_OK ? output : nil
    }

    /// Winnow's reading of `stream`: the bytes, or nil when it refuses the stream.
    static func winnowDecompress(_ stream: [UInt8]) -> [UInt8]? {
        var length = 0
        guard stream.withUnsafeBytes({ winnow_snappy_uncompressed_length($0.baseAddress?.assumingMemoryBound(to: UInt8.self), stream.count, &length) }) > 0,
              length < 1 << 22 else { return nil }
        var output = [UInt8](repeating: 0, count: length)
        let status = stream.withUnsafeBytes { s in
            output.withUnsafeMutableBytes { o in
                winnow_snappy_decompress(s.baseAddress?.assumingMemoryBound(to: UInt8.self), stream.count,
                                         o.baseAddress?.assumingMemoryBound(to: UInt8.self), length)
            }
        }
        return status == WINNOW_SNAPPY_OK ? output : nil
    }

    @Test func decodesWhatLibsnappyEncodes() {
        var rng = SplitMix64(seed: 0x5EED_5A99)
        for round in 0..<3_000 {
            let count = round % 50 == 0 ? 70_000 + rng.next(below: 200_000) : rng.next(below: 700)
            let input = Self.sample(&rng, count: count)
            #expect(Self.winnowDecompress(Self.libsnappyCompress(input)) == input, "round \(round), \(count) bytes")
        }
    }

    @Test func damagedStreamsAreRefusedAsLibsnappyRefusesThem() {
        var rng = SplitMix64(seed: 0x5EED_BAD5)
        var accepted = 0, refused = 0
        for round in 0..<20_000 {
            var stream = Self.libsnappyCompress(Self.sample(&rng, count: rng.next(below: round % 20 == 0 ? 5_000 : 400)))
            for _ in 0..<(1 + rng.next(below: 4)) where !stream.isEmpty {
                stream[rng.next(below: stream.count)] ^= UInt8(1 + rng.next(below: 255))
            }
            if rng.next(below: 4) == 0 { stream.removeLast(rng.next(below: stream.count + 1)) }
            let expected = Self.libsnappyDecompress(stream)
            #expect(Self.winnowDecompress(stream) == expected, "round \(round)")
            if expected == nil { refused += 1 } else { accepted += 1 }
        }
        #expect(accepted > 1_000 && refused > 1_000, "both outcomes are exercised")
    }

    @Test func handWrittenStreams() {
        // Preamble 5, literal "ab" (tag 0x04), copy of 3 from offset 2 (1-byte offset: tag 0b000_000_01 needs
        // length >= 4, so use the 2-byte form: tag (3-1)<<2 | 2 = 0x0A, offset 02 00): "ab" + "aba".
        #expect(Self.winnowDecompress([5, 0x04, 0x61, 0x62, 0x0A, 0x02, 0x00]) == Array("ababa".utf8))
        // The same with offset 0 (refused), offset 3 (before the start: refused), one byte short (refused).
        #expect(Self.winnowDecompress([5, 0x04, 0x61, 0x62, 0x0A, 0x00, 0x00]) == nil)
        #expect(Self.winnowDecompress([5, 0x04, 0x61, 0x62, 0x0A, 0x03, 0x00]) == nil)
        #expect(Self.winnowDecompress([5, 0x04, 0x61, 0x62, 0x0A, 0x02]) == nil)
        // A literal declared longer than what is left of the input or of the output.
        #expect(Self.winnowDecompress([2, 0x08, 0x61, 0x62]) == nil)
        #expect(Self.winnowDecompress([2, 0x08, 0x61, 0x62, 0x63]) == nil)
        // Empty input decodes to nothing; a preamble alone that declares bytes is refused; no preamble at all.
        #expect(Self.winnowDecompress([0]) == [])
        #expect(Self.winnowDecompress([1]) == nil)
        #expect(Self.winnowDecompress([]) == nil)
        // A preamble longer than five bytes or over 32 bits.
        #expect(Self.winnowDecompress([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) == nil)
        #expect(Self.winnowDecompress([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) == nil)
    }
}
