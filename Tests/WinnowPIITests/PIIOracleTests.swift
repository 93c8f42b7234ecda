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
    }

    /// Random text: words, digits and separators, with valid values of several types built in.
    static func randomText(_ random: inout SplitMix64) -> [UInt8] {
        let filler = ["the", "card", "IBAN", "Tel.", "mail", "at", "@", ".", "-", " ", "  ", "\n", ":", "(", ")", "+", "/",
                      "x", "ext.", "10.0.0.1", "::", "1.2.3", "é", "电话", "0", "00", "555", "2024-01-02", "#"]
        var text: [UInt8] = []
        for _ in 0..<random.next(below: 24) {
            switch random.next(below: 10) {
            case 0: text += Array(validCard(&random).utf8)
            case 1: text += Array(validIBAN(&random).utf8)
            case 2: text += Array((0..<(7 + random.next(below: 10))).map { _ in Character(String(random.next(below: 10))) }.map(String.init).joined().utf8)
            case 3: text += Array("\(random.next(below: 256)).\(random.next(below: 256)).\(random.next(below: 256)).\(random.next(below: 256))".utf8)
            case 4: text += Array("user\(random.next(below: 100))@example\(random.next(below: 3) == 0 ? "" : ".com")".utf8)
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
        #expect(cardsFound == cards)
        #expect(ibansFound == ibans)
    }
}
