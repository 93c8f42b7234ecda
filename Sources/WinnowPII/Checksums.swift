#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The check-digit algorithms the detectors validate with. All work on ASCII bytes of one candidate, so
/// they run only when a scanner has found something of the right shape.
enum Checksums {
    /// Luhn (ISO/IEC 7812-1) over the decimal digits of `digits` (values 0...9, not ASCII).
    static func luhn(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var double = false
        var i = digits.count - 1
        while i >= 0 {
            var d = Int(digits[i])
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
            i -= 1
        }
        return sum % 10 == 0
    }

    /// ISO 13616 IBAN check: move the first four characters to the end, letters become 10...35, the
    /// number mod 97 must be 1. `chars` are upper-case ASCII letters and digits, no spaces.
    static func ibanMod97(_ chars: UnsafeBufferPointer<UInt8>) -> Bool {
        guard chars.count > 4 else { return false }
        var r = 0
        func add(_ c: UInt8) -> Bool {
            if c >= 0x30 && c <= 0x39 {
                r = (r * 10 + Int(c - 0x30)) % 97
            } else if c >= 0x41 && c <= 0x5A {
                r = (r * 100 + Int(c - 0x41 + 10)) % 97
            } else {
                return false
            }
            return true
        }
        for i in 4..<chars.count where !add(chars[i]) { return false }
        for i in 0..<4 where !add(chars[i]) { return false }
        return r == 1
    }

    static let base58Alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    /// ASCII byte -> base58 digit, 255 for bytes outside the alphabet.
    static let base58Value: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in base58Alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Base58Check with a 25-byte payload (Bitcoin P2PKH/P2SH): decodes `chars`, checks that the last four
    /// bytes are the first four of SHA-256(SHA-256(first 21)) and returns the version byte, or nil.
    static func base58Check25(_ chars: UnsafeBufferPointer<UInt8>) -> UInt8? {
        var out = [UInt8](repeating: 0, count: 25)
        for c in chars {
            let v = base58Value[Int(c)]
            if v == 255 { return nil }
            var carry = Int(v)
            var j = 24
            while j >= 0 {
                carry += Int(out[j]) * 58
                out[j] = UInt8(carry & 0xFF)
                carry >>= 8
                j -= 1
            }
            if carry != 0 { return nil }  // more than 25 bytes
        }
        // Leading '1's encode leading zero bytes: their number must match.
        var ones = 0
        while ones < chars.count && chars[ones] == 0x31 { ones += 1 }
        var zeros = 0
        while zeros < 25 && out[zeros] == 0 { zeros += 1 }
        if ones != zeros { return nil }
        let first = SHA256.hash(SHA256.hash(Array(out[0..<21])))
        guard first[0] == out[21], first[1] == out[22], first[2] == out[23], first[3] == out[24] else { return nil }
        return out[0]
    }

    static let bech32Charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    static let bech32Value: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in bech32Charset.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// BIP-173 / BIP-350 checksum of a lower-case bech32 string `hrp1data`: 1 for bech32, 0x2bc830a3 for
    /// bech32m are valid. Returns whether the polymod matches either constant.
    static func bech32Valid(hrp: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>) -> Bool {
        let gen: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk: UInt32 = 1
        func step(_ v: UInt8) {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= gen[i] }
        }
        for c in hrp { step(c >> 5) }
        step(0)
        for c in hrp { step(c & 31) }
        for c in data {
            let v = bech32Value[Int(c)]
            if v == 255 { return false }
            step(v)
        }
        return chk == 1 || chk == 0x2bc8_30a3
    }

    /// Shannon entropy of the bytes, in bits per byte.
    static func entropy(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        let n = Double(bytes.count)
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / n
            h -= p * log2(p)
        }
        return h
    }
}

/// SHA-256 (FIPS 180-4), for Base58Check and for salted-hash replacement. Small inputs only.
public enum SHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var m = message
        let bitLength = UInt64(message.count) * 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for i in (0..<8).reversed() { m.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        var w = [UInt32](repeating: 0, count: 64)
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        for chunk in stride(from: 0, to: m.count, by: 64) {
            for t in 0..<16 {
                let j = chunk + t * 4
                w[t] = UInt32(m[j]) << 24 | UInt32(m[j + 1]) << 16 | UInt32(m[j + 2]) << 8 | UInt32(m[j + 3])
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for v in h { for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        return out
    }
}
