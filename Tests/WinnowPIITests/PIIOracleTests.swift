import Foundation
import Testing
import WinnowPII
import WinnowReferences
import WinnowTestSupport

/// The PII scanner against an independent oracle (`PIISpanCheck`): every span re-validates with its type's checker
/// and spans never overlap; and values made valid by construction (Luhn, mod 97, BIP-173 are computed here) in
/// seeded random text are found. The same property as the `pii` fuzz target, run by CI without fuzzing.
@Suite struct PIIOracleTests {
    @Test func oracleRejectsWhatItShould() {
        #expect(PIISpanCheck.problem(type: "credit_card", Array("4111 1111 1111 1111".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "credit_card", Array("4111 1111 1111 1112".utf8)) != nil)
        #expect(PIISpanCheck.problem(type: "iban", Array("GB82 WEST 1234 5698 7654 32".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "iban", Array("GB82 WEST 1234 5698 7654 33".utf8)) != nil)
        #expect(PIISpanCheck.problem(type: "ip", Array("8.8.8.8".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "ip", Array("2001:4860:4860::8888".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "ip", Array("8.8.8.256".utf8)) != nil)
        #expect(PIISpanCheck.problem(type: "us_ssn", Array("123-45-6789".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "us_ssn", Array("666-45-6789".utf8)) != nil)
        #expect(PIISpanCheck.problem(type: "email", Array("jane.doe@example.co.uk".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "email", Array("jane..doe@example.com".utf8)) != nil)
        // BIP-173's and BIP-350's test vectors, and a P2PKH address (the genesis block's).
        #expect(PIISpanCheck.problem(type: "crypto", Array("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "crypto", Array("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5".utf8)) != nil)
        #expect(PIISpanCheck.problem(type: "crypto", Array("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "crypto", Array("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb".utf8)) == "Base58Check checksum")
        // E-mail: the Public Suffix List's wildcard and exception rules, a bare suffix, an unknown top label.
        if PublicSuffixReference.installed != nil {
            #expect(PIISpanCheck.problem(type: "email", Array("a@x.b.kawasaki.jp".utf8)) == nil)
            #expect(PIISpanCheck.problem(type: "email", Array("a@city.kawasaki.jp".utf8)) == nil)
            #expect(PIISpanCheck.problem(type: "email", Array("a@b.kawasaki.jp".utf8)) != nil)
            #expect(PIISpanCheck.problem(type: "email", Array("a@co.uk".utf8)) != nil)
            #expect(PIISpanCheck.problem(type: "email", Array("a@example.notatld".utf8)) != nil)
        }
        #expect(PIISpanCheck.problem(type: "email", Array("1234567890x@example.com".utf8)) != nil)
        #expect(PIISpanCheck.problem(type: "email", Array("name@example.c0m".utf8)) != nil)
        // Secrets: token shapes, and assignment values (hand-worked: "password1" has 8 distinct bytes in 9, about
        // 2.95 bits/byte; "Xk9#mP2$vL7q" 12 distinct, log2(12) = 3.58).
        #expect(PIISpanCheck.problem(type: "secret", Array("ghp_0123456789abcdefghijABCDEFGHIJ012345".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "secret", Array("AKIAIOSFODNN7EXAMPLE".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "secret", Array("Xk9#mP2$vL7q".utf8)) == nil)
        #expect(PIISpanCheck.problem(type: "secret", Array("password1".utf8))?.hasPrefix("entropy") == true)
        #expect(PIISpanCheck.problem(type: "secret", Array("aaaa1234bcdefg".utf8)) == "a run of 4 equal bytes")
        #expect(PIISpanCheck.problem(type: "secret", Array("$SECRET_VALUE".utf8)) == "a variable or a call")
    }

    /// The oracle's SHA-256: FIPS 180-2's examples (one block, two blocks, a million bytes), and Python's hashlib
    /// on every length from 0 to 130 bytes (each padding case around the 56- and 64-byte boundaries).
    @Test func sha256ReferenceIsSHA256() throws {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256Reference.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256Reference.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(SHA256Reference.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let out = try python("""
        import hashlib
        for n in range(131):
            print(hashlib.sha256(bytes((i * 7 + n) % 256 for i in range(n))).hexdigest())
        """)
        let expected = out.split(separator: "\n").map(String.init)
        #expect(expected.count == 131)
        for (n, digest) in expected.enumerated() {
            #expect(hex(SHA256Reference.digest((0..<n).map { UInt8(($0 * 7 + n) % 256) })) == digest, "length \(n)")
        }
    }

    /// Random text: words, digits and separators, with valid values of several types built in.
    static func randomText(_ random: inout SplitMix64) -> [UInt8] {
        let filler = ["the", "card", "IBAN", "Tel.", "mail", "at", "@", ".", "-", " ", "  ", "\n", ":", "(", ")", "+", "/",
                      "x", "ext.", "10.0.0.1", "::", "1.2.3", "é", "电话", "0", "00", "555", "2024-01-02", "#",
                      "password=", "api_key: ", "\"token\": \"", "=", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
                      "x.b.kawasaki.jp", "city.kawasaki.jp", "co.uk", "ghp_", "AKIA", "-----BEGIN RSA PRIVATE KEY-----"]
        var text: [UInt8] = []
        for _ in 0..<random.next(below: 24) {
            switch random.next(below: 10) {
            case 0: text += Array(validCard(&random).utf8)
            case 1: text += Array(validIBAN(&random).utf8)
            case 2: text += Array((0..<(7 + random.next(below: 10))).map { _ in Character(String(random.next(below: 10))) }.map(String.init).joined().utf8)
            case 3: text += Array("\(random.next(below: 256)).\(random.next(below: 256)).\(random.next(below: 256)).\(random.next(below: 256))".utf8)
            case 4: text += Array("user\(random.next(below: 100))@example\(random.next(below: 3) == 0 ? "" : ".com")".utf8)
            case 5 where random.next(below: 2) == 0:  // a secret-looking value of mixed classes, after a key or not
                let alphabet = Array("abcXYZ0189#$_-!".utf8)
                text += (0..<(6 + random.next(below: 20))).map { _ in alphabet[random.next(below: alphabet.count)] }
            default: text += Array(filler[random.next(below: filler.count)].utf8)
            }
            if random.next(below: 2) == 0 { text.append(UInt8(ascii: " ")) }
        }
        return text
    }

    /// A Visa number (16 digits starting with 4) with its Luhn check digit, in groups of four half the time.
    static func validCard(_ random: inout SplitMix64) -> String {
        var digits = [4] + (0..<14).map { _ in random.next(below: 10) }
        var sum = 0
        for (k, d) in digits.reversed().enumerated() { sum += k % 2 == 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d }
        digits.append((10 - sum % 10) % 10)
        let plain = digits.map(String.init).joined()
        guard random.next(below: 2) == 0 else { return plain }
        return stride(from: 0, to: 16, by: 4).map { Array(plain)[$0..<($0 + 4)].map(String.init).joined() }.joined(separator: " ")
    }

    /// A German IBAN (22 characters) with its mod-97 check digits.
    static func validIBAN(_ random: inout SplitMix64) -> String {
        let bban = (0..<18).map { _ in String(random.next(below: 10)) }.joined()
        // DE = 13 14; check = 98 - (bban + "131400") mod 97.
        var remainder = 0
        for c in (bban + "131400").utf8 { remainder = (remainder * 10 + Int(c - 0x30)) % 97 }
        let check = 98 - remainder
        return "DE" + (check < 10 ? "0" : "") + String(check) + bban
    }

    @Test func everySpanRevalidatesAndValidValuesAreFound() {
        var random = SplitMix64(seed: 0x9117_0001)
        var checked = 0
        var typesChecked: Set<String> = []
        var cards = 0, cardsFound = 0, ibans = 0, ibansFound = 0
        for _ in 0..<3000 {
            let text = Self.randomText(&random)
            let spans = PIIScanner().scan(text)
            var previousEnd = 0
            for span in spans {
                #expect(span.start >= previousEnd && span.start < span.end && span.end <= text.count, "span \(span) in \(text.count) bytes")
                previousEnd = span.end
                let value = Array(text[span.start..<span.end])
                if let problem = PIISpanCheck.problem(type: span.type.key, value) {
                    Issue.record("\(span.type.key) span \(String(decoding: value, as: UTF8.self).debugDescription) in \(String(decoding: text, as: UTF8.self).debugDescription): \(problem)")
                }
                checked += 1
                typesChecked.insert(span.type.key)
            }
        }
        // Valid values alone between spaces are found.
        for _ in 0..<500 {
            let card = Self.validCard(&random), iban = Self.validIBAN(&random)
            cards += 1; ibans += 1
            if PIIScanner().scan(Array("paid with \(card) today".utf8)).contains(where: { $0.type == .creditCard }) { cardsFound += 1 }
            if PIIScanner().scan(Array("account \(iban) today".utf8)).contains(where: { $0.type == .iban }) { ibansFound += 1 }
        }
        #expect(checked > 1000, "the random texts gave only \(checked) spans")
        #expect(typesChecked.isSuperset(of: ["credit_card", "iban", "ip", "email", "secret", "crypto", "phone"]), "\(typesChecked)")
        #expect(cardsFound == cards)
        #expect(ibansFound == ibans)
    }
}
