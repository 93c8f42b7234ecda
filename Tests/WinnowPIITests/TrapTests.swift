import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowPII

/// `Fixtures/pii_probe_results.json` (copied from ../shared/reference): the classic traps must not be
/// found; the real values must be. Expectations are written by hand from each case's note, not taken
/// from any tool's output.
@Suite struct TrapTests {
    static let expected: [String: [(String, String)]] = [
        "email_plain": [("EMAIL_ADDRESS", "john.doe+tag@example.co.uk")],
        "email_in_angle": [("EMAIL_ADDRESS", "jane@debian.org")],
        "ipv4_public": [("IP_ADDRESS", "8.8.8.8")],
        "ipv6": [("IP_ADDRESS", "2001:4860:4860::8888")],
        "cc_visa_valid": [("CREDIT_CARD", "4111 1111 1111 1111")],
        "iban_valid": [("IBAN_CODE", "DE89 3704 0044 0532 0130 00")],
        "ssn_valid_format": [("US_SSN", "536-22-1234")],
        "phone_us": [("PHONE_NUMBER", "(415) 555-2671"), ("PHONE_NUMBER", "+1 415-555-2671")],
        "btc_address": [("CRYPTO", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT")],
        "aws_key": [("SECRET", "AKIAIOSFODNN7EXAMPLE")],
        // Everything else is a trap or a non-match: versions, OIDs, dotted dates, private and TEST-NET
        // addresses, leading zeros, a Luhn-invalid card, a bad IBAN check, invalid SSN areas, ISBN and
        // DOI, a bad Base58 checksum, a hex hash, obfuscated and local-only addresses.
    ]

    @Test func everyProbe() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/pii_probe_results.json"))
        let cases = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        #expect(cases.count == 25)
        for c in cases {
            let name = c["case"] as! String, text = c["text"] as! String
            let got = found(text)
            let want = Self.expected[name] ?? []
            #expect(got.map { "\($0.0) \($0.1)" } == want.map { "\($0.0) \($0.1)" }, "\(name): \(text)")
        }
        // The traps really are in the file (a renamed case must not silently drop a check).
        let names = Set(cases.map { $0["case"] as! String })
        for trap in ["version_4part", "oid", "date_dots", "ip_with_port", "ip_leading_zero", "cc_invalid_luhn", "iban_invalid",
                     "ssn_invalid", "phone_like_isbn", "btc_invalid", "hex_hash", "ipv4_private"] {
            #expect(names.contains(trap))
        }
        for name in Self.expected.keys { #expect(names.contains(name)) }
    }

    /// Number-heavy prose (written for this test, in the shapes the sample's Debian text and Faker's
    /// distractors have): versions, OIDs, dates, ISBNs, coordinates, prices, timestamps, page ranges, order
    /// numbers, postcodes and statistics. Nothing in it is PII, also near phone words.
    @Test func numberHeavyProse() {
        let lines = [
            "Upgrade to version 10.0.19045.3570 or 2.4.10.1; see OID 1.3.6.1.4.1.311.21.8 and 2.16.840.1.113730.",
            "The meeting took place on 01.02.2023, 2023-04-05, 12/25/2023, 05-12-2024 and 12 05 2024.",
            "ISBN 978-3-16-148410-0 (paperback), 0-306-40615-2 (hardcover), ISSN 0317-8471.",
            "Coordinates: 48.8566, 2.3522 and -33.8688151, 151.2092955; elevation 1 234 m.",
            "The price rose from 1 299,00 EUR to 12 345 678 USD (about 1,234,567.89 in 2023).",
            "Logged at 1699999999 (2023-11-14T22:13:19.818180) and 1700000000123 ms.",
            "See pages 123-456, 1001-1099 and chapters 1588-1679 of volume 2001-2007.",
            "Order 123-4567-8901234 shipped; invoice INV-00045123; ticket #4155552671; case no. 0471 123 456.",
            "Population 12 345 678 in 2020, area 357 022 km2, density 232.7 per km2.",
            "Call center open 0800-1700 daily; phone lines busy from 0900-1230.",
            "Kernel 5.15.0-91-generic built 20231211 on host 10.8.0.0/24, uptime 1048576 s.",
            "Postcode 75008 Paris, Rue 12, 00144 Roma, PLZ 10115 Berlin, 100-0001 Tokyo.",
            "Release 2.6.32.12-0.7 of 13-285792-8, catalogue 0-534-93744-6, 00/00000404, 01/01160200.",
            "Page 0422 of 0532 0130, table 01 84 17, row 0494 92.",
        ]
        for line in lines {
            #expect(found(line).isEmpty, "\(line): \(found(line))")
        }
    }

    /// With private addresses allowed, the private-range probe is found, the TEST-NET ones too, but
    /// versions and OIDs are still not addresses.
    @Test func privateAddressesWhenAsked() {
        let all = PIIScanner(publicIPsOnly: false)
        #expect(values("Router 192.168.1.1 and 10.0.0.1 are private.", .ipAddress, all) == ["192.168.1.1", "10.0.0.1"])
        #expect(values("Connect to 203.0.113.7:8080 now.", .ipAddress, all) == ["203.0.113.7"])
        #expect(values("OID 1.3.6.1.4.1.311 is Microsoft.", .ipAddress, all) == [])
        #expect(values("Upgrade to version 2.4.10.1 or 1.2.3.4 today.", .ipAddress, all) == [])
        #expect(values("Bad IP 033.01.033.033 in log.", .ipAddress, all) == [])
    }
}
