import Testing
import WinnowTestSupport
import WinnowText

/// The SIMD validator (`isValid`) against the scalar scan (`validPrefixLength`, itself checked against
/// Python), on inputs built to put every kind of sequence and error at every offset of a 16-byte block.
@Suite struct UTF8SIMDValidationTests {
    static let pieces: [[UInt8]] = [
        [0x41], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBD],
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        // ill-formed: overlongs, surrogates, too large, lone continuation, truncated, bad lead
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xBF], [0xC2], [0xE1, 0x80], [0xF1, 0x80, 0x80], [0xFF],
    ]

    @Test func agreesWithTheScalarScan() {
        var rng = SplitMix64(seed: 0x5EED_0008)
        var checked = 0, invalid = 0
        for _ in 0..<30_000 {
            var bytes: [UInt8] = []
            let asciiPrefix = Int.random(in: 0..<40, using: &rng)
            bytes += Array(repeating: 0x61, count: asciiPrefix)
            for _ in 0..<Int.random(in: 0..<12, using: &rng) {
                // Mostly well-formed pieces, so that errors are rare and land anywhere.
                let piece = Int.random(in: 0..<100, using: &rng) < 90 ? Self.pieces[Int.random(in: 0..<9, using: &rng)] : Self.pieces.randomElement(using: &rng)!
                bytes += piece
                bytes += Array(repeating: 0x62, count: Int.random(in: 0..<20, using: &rng))
            }
            let simd = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
            let scalar = bytes.withUnsafeBytes { UTF8Validation.validPrefixLength($0) == $0.count }
            #expect(simd == scalar, "\(bytes.map { String($0, radix: 16) })")
            if !scalar { invalid += 1 }
            checked += 1
        }
        #expect(invalid > 1000 && invalid < checked - 1000, "both outcomes are exercised")
    }

    @Test func truncatedAtEveryBlockPosition() {
        // A multi-byte sequence cut by the end of the input, at every position of the last block.
        for length in 1..<40 {
            for lead in [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98]] as [[UInt8]] {
                let bytes = Array(repeating: UInt8(0x61), count: length) + lead
                #expect(!bytes.withUnsafeBytes { UTF8Validation.isValid($0) })
                // One more continuation byte completes each: C3 AC "ì", E2 82 AC "€", F0 9F 98 AC "😬".
                let whole = bytes + [0xAC]
                #expect(whole.withUnsafeBytes { UTF8Validation.isValid($0) })
                // And a second one is one too many.
                #expect(!(whole + [0xAC]).withUnsafeBytes { UTF8Validation.isValid($0) })
            }
        }
    }
}
