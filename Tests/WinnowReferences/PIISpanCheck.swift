#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An oracle for PII spans, written apart from the scanner: every span the scanner reports must re-validate with
/// its type's checker here (a necessary condition of docs/pii.md's rules, not all of them). `problem` returns why
/// a span is not a value of its type, or nil. Types are named by their YAML keys (`email`, `ip`, ...).
///
/// What is checked: e-mail shape (one `@`, the local part's characters and length, a domain of 2+ labels of
/// letters, digits and `-`); IP addresses parse with the C library's `inet_pton`; credit cards are 12-19 digits
/// with one kind of separator and pass Luhn; IBANs are 15-34 characters (2 letters, 2 digits, letters and digits,
/// single spaces) with mod-97 = 1; US SSNs are `AAA-GG-SSSS` outside the invalid ranges; bech32 addresses pass
/// the BIP-173/350 checksum and Base58 ones decode to 25 bytes with version 0 or 5 (their double SHA-256 is not
/// recomputed); phone numbers hold 7+ digits of some script; secrets are not checked.
public enum PIISpanCheck {
    public static func problem(type: String, _ span: [UInt8]) -> String? {
        switch type {
        case "email": return email(span)
        case "ip": return ip(span)
        case "credit_card": return creditCard(span)
        case "iban": return iban(span)
        case "us_ssn": return ssn(span)
        case "crypto": return crypto(span)
        case "phone": return phone(span)
        default: return nil
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    static func email(_ s: [UInt8]) -> String? {
        let at = s.indices.filter { s[$0] == UInt8(ascii: "@") }
        guard at.count == 1 else { return "\(at.count) @ signs" }
        let local = s[..<at[0]], domain = s[(at[0] + 1)...]
        guard !local.isEmpty, local.count <= 64 else { return "local part of \(local.count) bytes" }
        let localExtras = Array("._%+-'".utf8)
        guard local.allSatisfy({ isDigit($0) || isLetter($0) || localExtras.contains($0) }) else { return "local part character" }
        guard !String(decoding: local, as: UTF8.self).contains("..") else { return "local part has .." }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "domain of one label" }
        for label in labels {
            guard !label.isEmpty, label.allSatisfy({ isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") }) else {
                return "domain label \(String(decoding: label, as: UTF8.self).debugDescription)"
            }
        }
        return nil
    }

    static func ip(_ s: [UInt8]) -> String? {
        let text = String(decoding: s, as: UTF8.self)
        var buffer = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1 { return nil }
        return "inet_pton rejects it"
    }

    static func creditCard(_ s: [UInt8]) -> String? {
        let separators = Set(s.filter { !isDigit($0) })
        guard separators.isSubset(of: [UInt8(ascii: " "), UInt8(ascii: "-")]), separators.count <= 1 else { return "separators \(separators)" }
        let digits = s.filter(isDigit).map { Int($0 - 0x30) }
        guard (12...19).contains(digits.count) else { return "\(digits.count) digits" }
        guard isDigit(s.first!), isDigit(s.last!) else { return "starts or ends with a separator" }
        var sum = 0
        for (k, d) in digits.reversed().enumerated() { sum += k % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d }
        return sum % 10 == 0 ? nil : "Luhn sum \(sum)"
    }

    static func iban(_ s: [UInt8]) -> String? {
        guard s.first != UInt8(ascii: " "), s.last != UInt8(ascii: " ") else { return "space at an end" }
        guard !String(decoding: s, as: UTF8.self).contains("  ") else { return "double space" }
        let chars = s.filter { $0 != UInt8(ascii: " ") }.map { isLetter($0) ? $0 & ~0x20 : $0 }
        guard (15...34).contains(chars.count) else { return "\(chars.count) characters" }
        guard isLetter(chars[0]), isLetter(chars[1]), isDigit(chars[2]), isDigit(chars[3]) else { return "no country code and check digits" }
        guard chars.allSatisfy({ isDigit($0) || isLetter($0) }) else { return "not letters and digits" }
        // The number of the rearranged string, digit by digit, mod 97.
        let rearranged = chars[4...] + chars[..<4]
        var remainder = 0
        for c in rearranged {
            for digit in isDigit(c) ? [Int(c - 0x30)] : [Int(c - 0x41 + 10) / 10, Int(c - 0x41 + 10) % 10] {
                remainder = (remainder * 10 + digit) % 97
            }
        }
        return remainder == 1 ? nil : "mod 97 = \(remainder)"
    }

    static func ssn(_ s: [UInt8]) -> String? {
        let text = String(decoding: s, as: UTF8.self)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [3, 2, 4], parts.allSatisfy({ $0.utf8.allSatisfy(isDigit) }) else { return "not AAA-GG-SSSS" }
        let area = Int(parts[0])!, group = Int(parts[1])!, serial = Int(parts[2])!
        if area == 0 || area == 666 || area >= 900 { return "area \(area)" }
        if group == 0 { return "group 00" }
        if serial == 0 { return "serial 0000" }
        return nil
    }

    static func phone(_ s: [UInt8]) -> String? {
        let digits = String(decoding: s, as: UTF8.self).unicodeScalars.filter { $0.properties.numericType == .decimal }.count
        return digits >= 7 ? nil : "\(digits) digits"
    }

    static func crypto(_ s: [UInt8]) -> String? {
        let text = String(decoding: s, as: UTF8.self)
        if text.lowercased().hasPrefix("bc1") { return bech32(text) }
        let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
        var value = [UInt8]()  // big-endian bytes
        for c in s {
            guard let digit = alphabet.firstIndex(of: c) else { return "not Base58" }
            var carry = digit
            for k in stride(from: value.count - 1, through: 0, by: -1) {
                carry += Int(value[k]) * 58
                value[k] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 { value.insert(UInt8(carry & 0xFF), at: 0); carry >>= 8 }
        }
        let bytes = [UInt8](repeating: 0, count: s.prefix { $0 == UInt8(ascii: "1") }.count) + value.drop { $0 == 0 }
        guard bytes.count == 25 else { return "Base58 decodes to \(bytes.count) bytes" }
        return bytes[0] == 0 || bytes[0] == 5 ? nil : "version \(bytes[0])"
    }

    /// BIP-173 (bech32, constant 1) and BIP-350 (bech32m, 0x2bc830a3) checksum over `hrp1data`.
    static func bech32(_ text: String) -> String? {
        guard text == text.lowercased() || text == text.uppercased() else { return "mixed case" }
        let lower = Array(text.lowercased().utf8)
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator >= 1, lower.count - separator >= 7 else { return "no data part" }
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        var values = lower[..<separator].map { Int($0 >> 5) } + [0] + lower[..<separator].map { Int($0 & 31) }
        for c in lower[(separator + 1)...] {
            guard let v = charset.firstIndex(of: c) else { return "not bech32 characters" }
            values.append(v)
        }
        let generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
        var checksum = 1
        for v in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ffffff) << 5 ^ v
            for k in 0..<5 where (top >> k) & 1 == 1 { checksum ^= generator[k] }
        }
        return checksum == 1 || checksum == 0x2bc830a3 ? nil : "bech32 checksum"
    }
}
