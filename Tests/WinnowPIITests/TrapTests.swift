import Foundation
import Testing
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
