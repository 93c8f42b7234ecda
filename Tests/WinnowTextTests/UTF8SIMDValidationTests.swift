import Testing
import WinnowTestSupport
import WinnowText

/// The SIMD validator (`isValid`) against the scalar scan (`validPrefixLength`, itself checked against
/// Python), on inputs built to put every kind of sequence and error at every offset of a 16-byte block and
/// around every 32-byte boundary; each kernel (scalar, SSSE3, AVX2) on its own.
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
            let scalar = bytes.withUnsafeBytes { UTF8Validation.validPrefixLength($0) == $0.count }
            #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0) } == scalar, "\(bytes.map { String($0, radix: 16) })")
            for kernel in UTF8Validation.Kernel.allCases {
                #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0, kernel: kernel) } == scalar, "\(kernel)")
            }
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

    @Test func everyPieceAtEveryOffsetAroundTheBlockBoundaries() {
        // Each piece (well-formed or not) after 0..<100 ASCII bytes and before 0..<3 more: it straddles the
        // 16-, 32- and 64-byte boundaries at every position, and sits in the unaligned tail.
        #expect(UTF8Validation.bestKernel == .avx2 || UTF8Validation.bestKernel == .ssse3 || UTF8Validation.bestKernel == .scalar)
        var mismatches = 0, invalid = 0
        for piece in Self.pieces {
            for before in 0..<100 {
                for after in 0..<3 {
                    let bytes = Array(repeating: UInt8(0x61), count: before) + piece + Array(repeating: UInt8(0x62), count: after)
                    let expected = bytes.withUnsafeBytes { UTF8Validation.validPrefixLength($0) == $0.count }
                    if !expected { invalid += 1 }
                    for kernel in UTF8Validation.Kernel.allCases where bytes.withUnsafeBytes({ UTF8Validation.isValid($0, kernel: kernel) }) != expected {
                        mismatches += 1
                    }
                    // The dispatching entry point too (under 64 bytes it first tries an 8-bytes-at-a-time ASCII check).
                    if bytes.withUnsafeBytes({ UTF8Validation.isValid($0) }) != expected { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(invalid == 13 * 100 * 3, "the 13 ill-formed pieces are each refused at every offset")
    }

    @Test func errorsAfterLongValidRunsOfMixedScripts() {
        // Well-formed text of 1..<300 bytes mixing 1- to 4-byte characters, then one byte flipped: every
        // kernel agrees with the scalar scan (the AVX2 lanes carry state across 32-byte blocks).
        var rng = SplitMix64(seed: 0x5EED_0032)
        let characters: [[UInt8]] = [[0x61], [0x20], [0xC3, 0xA9], [0xD0, 0x96], [0xE2, 0x82, 0xAC], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x98, 0x80]]
        var invalid = 0
        for round in 0..<5_000 {
            var bytes: [UInt8] = []
            let target = 1 + rng.next(below: 300)
            while bytes.count < target { bytes += characters[rng.next(below: characters.count)] }
            if round % 2 == 1 { bytes[rng.next(below: bytes.count)] ^= UInt8(1) << UInt8(rng.next(below: 8)) }
            let expected = bytes.withUnsafeBytes { UTF8Validation.validPrefixLength($0) == $0.count }
            if !expected { invalid += 1 }
            for kernel in UTF8Validation.Kernel.allCases {
                #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0, kernel: kernel) } == expected, "\(kernel) round \(round)")
            }
        }
        #expect(invalid > 500, "flips make ill-formed text (a flip can leave it well-formed)")
    }
}
