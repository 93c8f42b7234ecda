import Testing
@testable import WinnowWordRules
import WinnowTestSupport

/// `UTF8Scan.forEachLine` (16 bytes at a time) against Python's documented `str.splitlines()` breaks,
/// applied code point by code point on random texts with long runs between breaks.
struct LineSplitTests {
    static let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}"]

    static func pythonSplitlines(_ text: String) -> [String] {
        var lines: [String] = [], current = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if breaks.contains(c) {
                if c == "\r", scalars.first == "\n" { scalars.removeFirst() }
                lines.append(String(current)); current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    @Test func equalsSplitlines() {
        let pieces = ["a", "word ", "é", "—", "…", "\u{2028}", "\u{2029}", "\u{85}", "\u{A0}", "\n", "\r\n", "\r", "\u{0B}",
                      "\u{1C}", "\t", String(repeating: "x", count: 40), String(repeating: "é", count: 20), "“quoted”"]
        var rng = SplitMix64(seed: 2028)
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            var lines: [String] = []
            bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return }
                UTF8Scan.forEachLine(base, b.count) { s, e in lines.append(String(decoding: b[s..<e], as: UTF8.self)) }
            }
            #expect(lines == Self.pythonSplitlines(text), "\(text.debugDescription)")
        }
    }
}

/// The 8-byte tests against a byte loop, on random words with planted bytes.
@Test func swarByteTests() {
    var rng = SplitMix64(seed: 8)
    for _ in 0..<20000 {
        var bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        if Bool.random(using: &rng) {
            bytes[Int.random(in: 0..<8, using: &rng)] = [0x0A, 0x20, 0x1F, 0xC2, 0xE2, 0x23, 0x2E, 0x00, 0x80, 0xFF].randomElement(using: &rng)!
        }
        let x = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        for n: UInt8 in [1, 0x20, 0x80] { #expect(SWAR.hasByteBelow(x, n) == bytes.contains { $0 < n }) }
        for b: UInt8 in [0x00, 0x0A, 0x23, 0x2E, 0xC2, 0xE2, 0xFF] { #expect(SWAR.hasByte(x, b) == bytes.contains(b)) }
    }
}
