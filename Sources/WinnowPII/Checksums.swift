#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WinnowCore

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

/// SHA-256 (FIPS 180-4), for Base58Check and for salted-hash replacement (WinnowCore's `SHA256Digest`).
public enum SHA256 {
    /// The 32-byte digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var digest = SHA256Digest()
        digest.update(message)
        return digest.finalizeBytes()
    }
}
