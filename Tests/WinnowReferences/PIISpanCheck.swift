#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An oracle for PII spans, written apart from the scanner: every span the scanner reports must re-validate with
/// its type's checker here (a necessary condition of docs/pii.md's rules, not all of them). `problem` returns why
/// a span is not a value of its type, or nil. Types are named by their YAML keys (`email`, `ip`, ...).
///
/// What is checked: e-mail shape (one `@`, the local part's characters and length, not opening with 10+ digits, a
/// domain of 2+ labels of letters, digits and `-`, a top label of letters or `xn--`) and, when the list file is
/// installed, a public suffix from the Public Suffix List's ICANN section with a label in front
/// (`PublicSuffixReference`; domains with `xn--` labels are not looked up); IP addresses parse with the C library's
/// `inet_pton`; credit cards are 12-19 digits with one kind of separator and pass Luhn (issuer prefixes are not
/// checked); IBANs are 15-34 characters (2 letters, 2 digits, letters and digits, single spaces) with mod-97 = 1
/// (the country lengths are checked against python-stdnum's registry by `DetectorTests`); US SSNs are
/// `AAA-GG-SSSS` outside the invalid ranges; bech32 addresses pass the BIP-173/350 checksum and Base58 ones decode
/// to 25 bytes with version 0 or 5 whose last 4 are the double SHA-256 of the first 21 (`SHA256Reference`);
/// secrets are one of the token shapes of docs/pii.md, a private-key block, or an assignment value of 8-128
/// printable ASCII bytes with 2+ character classes, no run of 4 equal bytes and 3+ bits/byte of entropy;
/// phone numbers hold 7+ digits of some script.
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
        case "secret": return secret(span)
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
        guard local.prefix(10).count < 10 || !local.prefix(10).allSatisfy(isDigit) else { return "local part opens with 10+ digits" }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "domain of one label" }
        for label in labels {
            guard !label.isEmpty, label.allSatisfy({ isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") }) else {
                return "domain label \(String(decoding: label, as: UTF8.self).debugDescription)"
            }
        }
        let top = String(decoding: labels.last!, as: UTF8.self).lowercased()
        guard top.hasPrefix("xn--") || top.utf8.allSatisfy(isLetter) else { return "top label \(top.debugDescription)" }
        let domainText = String(decoding: domain, as: UTF8.self).lowercased()
        if let list = PublicSuffixReference.installed, !labels.contains(where: { String(decoding: $0, as: UTF8.self).lowercased().hasPrefix("xn--") }) {
            guard let suffixLabels = list.suffixLabelCount(domainText) else { return "no ICANN public suffix for \(domainText)" }
            guard suffixLabels < labels.count else { return "\(domainText) is a public suffix (no label in front)" }
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
        guard bytes[0] == 0 || bytes[0] == 5 else { return "version \(bytes[0])" }
        let check = SHA256Reference.digest(SHA256Reference.digest(Array(bytes[0..<21])))
        return Array(check[0..<4]) == Array(bytes[21..<25]) ? nil : "Base58Check checksum"
    }

    static func secret(_ s: [UInt8]) -> String? {
        let text = String(decoding: s, as: UTF8.self)
        func all(_ from: Int, _ allowed: (UInt8) -> Bool) -> Bool { s.dropFirst(from).allSatisfy(allowed) }
        let alnum: (UInt8) -> Bool = { isDigit($0) || isLetter($0) }
        // Token shapes.
        if s.count == 20, s.first == UInt8(ascii: "A"), all(0, { isDigit($0) || ($0 >= 0x41 && $0 <= 0x5A) }) { return nil }  // AWS key id
        if s.count == 39, text.hasPrefix("AIza"), all(4, { alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) { return nil }
        if s.count == 40, text.hasPrefix("gh"), "pousr".utf8.contains(s[2]), s[3] == UInt8(ascii: "_"), all(4, alnum) { return nil }
        if s.count == 93, text.hasPrefix("github_pat_") { return nil }
        if (15...255).contains(s.count), text.hasPrefix("xox"), "baprse".utf8.contains(s[3]), s[4] == UInt8(ascii: "-"),
           all(5, { alnum($0) || $0 == UInt8(ascii: "-") }) { return nil }
        if s.count >= 32, text.hasPrefix("sk_live_") || text.hasPrefix("rk_live_") { return nil }
        if text.hasPrefix("-----BEGIN "), text.contains("PRIVATE KEY-----") { return nil }
        // An assignment's value.
        guard (8...128).contains(s.count) else { return "\(s.count) bytes, not a token shape" }
        guard s.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return "a byte outside printable ASCII" }
        guard !"$%{<[(".utf8.contains(s[0]), !s.contains(UInt8(ascii: "(")) else { return "a variable or a call" }
        let classes = [s.contains(where: { $0 >= 0x61 && $0 <= 0x7A }), s.contains(where: { $0 >= 0x41 && $0 <= 0x5A }),
                       s.contains(where: isDigit), s.contains(where: { !alnum($0) })].filter { $0 }.count
        guard classes >= 2 else { return "\(classes) character class" }
        var run = 1
        for k in 1..<s.count {
            run = s[k] == s[k - 1] ? run + 1 : 1
            if run >= 4 { return "a run of 4 equal bytes" }
        }
        var counts = [Int](repeating: 0, count: 256)
        for b in s { counts[Int(b)] += 1 }
        let entropy = counts.filter { $0 > 0 }.reduce(0.0) { sum, c in
            let q = Double(c) / Double(s.count)
            return sum - q * log2(q)
        }
        return entropy >= 3.0 - 1e-9 ? nil : "entropy \(entropy) bits/byte"
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
