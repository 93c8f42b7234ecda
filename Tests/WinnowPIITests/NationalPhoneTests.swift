import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowPII

/// Phone numbers without a country code: a phone word shortly before them, or a region's trunk prefix with
/// that region's own grouping. Expectations are hand-worked from the numbering plans (cited per case), or
/// come from libphonenumber itself (Python `phonenumbers`) formatting its own example numbers.
@Suite struct NationalPhoneTests {
    /// The misses the issue listed, in the phrases they appeared in.
    @Test func issueExamples() {
        let cases = [
            "Phone: 07700 063 966 (evenings)": "07700 063 966",  // GB mobile, Faker's grouping
            "Call me at (08) 8747 6301.": "(08) 8747 6301",  // AU: trunk 0, area 8, 4-4
            "Tel. 0494 92 82 32": "0494 92 82 32",  // BE mobile 04xx xx xx xx
            "Téléphone : 01.84.17.61.18": "01.84.17.61.18",  // FR 0X XX XX XX XX with dots
            "call 930.167.3943 today": "930.167.3943",  // NANP with dots
            "Call me at 467 3395.": "467 3395",  // a local number after a phone phrase
            "Telefone: (71) 4233-6306": "(71) 4233-6306",  // BR area code in brackets
            "Mein Telefon: 06-1/822 4480": "06-1/822 4480",  // HU with a slash, after a phone word
        ]
        for (text, want) in cases.sorted(by: { $0.key < $1.key }) { #expect(values(text, .phone) == [want], "\(text)") }
    }

    /// Trunk prefix plus the region's grouping: found with no phone word at all.
    @Test func trunkFormatsWithoutContext() {
        let cases = [
            "Bitte 01 84 17 61 18 anrufen": "01 84 17 61 18",  // FR 2-2-2-2-2
            "Office 020 7946 0958.": "020 7946 0958",  // GB London 3-4-4
            "Rufen Sie 030 12345678 an": "030 12345678",  // DE Berlin 3-8
            "Info (08) 8747 6301": "(08) 8747 6301",  // AU (0X) XXXX XXXX
            "Numéro 0494 92 82 32.": "0494 92 82 32",  // BE 4-2-2-2
            "Сервис 8 (495) 123-45-67": "8 (495) 123-45-67",  // RU trunk 8: 8 (XXX) XXX-XX-XX
        ]
        for (text, want) in cases.sorted(by: { $0.key < $1.key }) { #expect(values(text, .phone) == [want], "\(text)") }
    }

    /// The same digits without a phone word and without the region's grouping are not taken.
    @Test func noContextNoFormat() {
        for text in ["The note said 7700063966.", "Result 467 3395 units", "Total 0494 9 282 32", "Population 01 84 176 118",
                     "See 930 167 3943 in the table"] {
            #expect(values(text, .phone) == [], "\(text)")
        }
    }

    /// A phone word in at least 15 languages, with up to four words between it and the number.
    @Test func contextWordsInManyLanguages() {
        let number = "612 345 678"
        let phrases = [
            "Call me at", "You can reach our office on", "Mobile:", "Fax", "Contact:",  // en
            "Telefon:", "Rufen Sie uns unter", "Handy",  // de
            "Téléphone :", "Appelez-nous au", "Mon portable :",  // fr
            "Teléfono:", "Llámenos al", "Mi móvil es",  // es
            "Telefone:", "Ligue para",  // pt
            "Telefono:", "Chiamate il",  // it
            "Telefoon:", "Bel ons op",  // nl
            "Zadzwoń pod numer",  // pl
            "Volejte na číslo",  // cs
            "Hívjon a",  // hu
            "Sunați la",  // ro
            "Τηλέφωνο:", "Καλέστε στο",  // el (capitals folded)
            "Телефон:", "Звоните по номеру",  // ru
            "Puhelin:",  // fi
            "Ring oss på",  // sv
            "Hubungi kami di",  // id
            "Điện thoại:",  // vi
            "טלפון:",  // he
            "هاتف:",  // ar
            "फ़ोन:",  // hi
            "電話番号は", "お問い合わせは",  // ja (word inside a run of CJK text)
            "请拨打", "电话",  // zh
            "전화:",  // ko
            "โทร",  // th
        ]
        for phrase in phrases {
            let text = "Hours 9-17. \(phrase) \(number)"
            #expect(values(text, .phone) == [number], "\(text)")
        }
    }

    /// Where the context rule must not reach: another sentence, more than four words back, an identifier
    /// word right before the number, dates, time ranges, decimals, book numbers.
    @Test func contextLimits() {
        for text in [
            "Call us. The batch 612 345 678 was shipped.",  // sentence end between
            "Phone lines were busy all day long, batch 612 345 678 shipped",  // more than four words between
            "Contact us about order 12345678.",  // identifier word
            "Call center open 0800-1700 daily.",  // time range
            "Phone 12.05.2024 and 2024-05-12",  // dates
            "Call 84.1025505",  // a decimal
            "Telefon ISBN 0-306-40615-2",  // ISBN
            "Tel 978-3-16-148410-0",  // ISBN-13
            "Phone: 12/05/2024",  // date with slashes
            "Kontakt\n\n612 345 678",  // a blank line between
        ] {
            #expect(values(text, .phone) == [], "\(text)")
        }
    }

    /// libphonenumber's own example numbers, formatted nationally by libphonenumber, for every table
    /// region with a trunk prefix: found with no phone word. (Formats that libphonenumber writes with
    /// a grouping the table did not record, such as a single group, may be missed: the bar is 90 %.)
    @Test func libphonenumberNationalFormats() throws {
        guard Self.phonenumbersAvailable() else { return }
        let trunkRegions = Set(PhoneRegions.shared.regions.filter { !$0.trunk.isEmpty }.map(\.name))
        let rows = try Self.libphonenumberExamples().filter { trunkRegions.contains($0.region) && $0.national.contains { " -.()".contains($0) } }
            .map { [$0.region, $0.national] }
        #expect(rows.count > 60)
        Self.expectFoundWithoutContext(rows, recall: 0.9, "libphonenumber national examples")
    }

    /// `00` in place of `+`, and one run of 10-11 digits with a single trunk `0`: found with no phone word.
    @Test func internationalPrefixAndTrunkRuns() {
        let cases = [
            "Her note just said 00420 606 459 803": "00420 606 459 803",  // CZ 420, mobile 60x, 9-digit NSN
            "Office 0044 20 7946 0958.": "0044 20 7946 0958",  // GB 44, London 20 + 8 digits
            "Ring 004930123456789 now": "004930123456789",  // DE 49, Berlin 30 + 9 digits, no separators
            "Her note just said 0474708686": "0474708686",  // FR: trunk 0, NSN 4xxxxxxxx (9 digits)
            "See 0895232945 for details.": "0895232945",  // IT: no trunk prefix, fixed-line NSN 08x of 10 digits
            "(01174960626)": "(01174960626)",  // GB: trunk 0, NSN 1174960626 (10 digits, Bristol 117)
            "The note said 07700063966.": "07700063966",  // GB mobile 07700 with 6 more digits
        ]
        for (text, want) in cases.sorted(by: { $0.key < $1.key }) { #expect(values(text, .phone) == [want], "\(text)") }
    }

    /// Digit runs that look like the rules above and are not phone numbers.
    @Test func trunkRunLookAlikes() {
        for text in [
            "The class [0123456789] matches one digit.",  // the digit alphabet
            "=LOGNORM.DIST(0,1;0;1) returns 0,.0106510993.",  // a decimal fraction
            "'08002b:0102030405' and '08002b-0102030405'",  // MAC addresses
            "Invoice 0474708686 is due.",  // identifier word
            "The odds are 13562190123 to 1.",  // 11 digits without a trunk 0 (a Chinese mobile shape)
            "total 14511243264",  // a byte count
            "See 0047 12",  // too short for 00 + a country code + a number
        ] {
            #expect(values(text, .phone) == [], "\(text)")
        }
    }

    /// Phone numbers in a script's own digits are found where the same number in ASCII digits is, with the
    /// span mapped back onto the native digits: Bengali, Devanagari, Arabic-Indic, Persian, Thai, fullwidth.
    @Test func nativeDigits() {
        let zeros: [(String, UInt32)] = [("bn", 0x09E6), ("hi", 0x0966), ("ar", 0x0660), ("fa", 0x06F0), ("th", 0x0E50), ("fullwidth", 0xFF10)]
        let ascii = [
            ("Phone: ", "+880-2-3-2247-2991", " (office)"),  // Faker bn_BD's international format
            ("See ", "01586-162919", "."),  // BD mobile with trunk 0 and a dash
            ("Call me at ", "467 3395", " tomorrow."),  // local number after a phone phrase
            ("電話：", "03-1234-5678", ""),  // JP after CJK text
        ]
        func native(_ s: String, _ zero: UInt32) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.map { c in
                c.value >= 0x30 && c.value <= 0x39 ? Unicode.Scalar(zero + c.value - 0x30)! : c
            }))
        }
        for (before, number, after) in ascii {
            #expect(values(before + number + after, .phone) == [number], "ASCII \(number)")
            for (script, zero) in zeros {
                let text = native(before, zero) + native(number, zero) + after
                #expect(values(text, .phone) == [native(number, zero)], "\(script): \(text)")
            }
        }
        // Native digits that are not a phone: a year, a short count.
        for (_, zero) in zeros {
            #expect(values(native("In 2024 there were 15 of them, 300 in all.", zero), .phone) == [])
        }
    }

    /// libphonenumber's example numbers of every table region written with `00` for `+` (its international
    /// format, and E.164 without separators), and those of trunk-`0` regions as one national run of 10-11
    /// digits: found with no phone word.
    @Test func libphonenumberInternationalAndRuns() throws {
        guard Self.phonenumbersAvailable() else { return }
        var rows: [[String]] = []
        for e in try Self.libphonenumberExamples() {
            rows.append(["00 " + e.region, "00" + e.international.dropFirst()])
            rows.append(["00 " + e.region, "00" + e.e164.dropFirst()])
            let run = e.national.filter(\.isASCII).filter(\.isNumber)
            if e.ownRegion, run.hasPrefix("0"), !run.hasPrefix("00"), run.count == 10 || run.count == 11 { rows.append(["run " + e.region, run]) }
        }
        #expect(rows.count > 250)
        Self.expectFoundWithoutContext(rows, recall: 0.95, "libphonenumber examples with 00 and as runs")
    }

    /// libphonenumber's example fixed-line and mobile numbers of every table region, formatted by it:
    /// national, international and E.164; `ownRegion` when the number's region is the one asked for (not a
    /// region sharing its calling code).
    static func libphonenumberExamples() throws -> [(region: String, national: String, international: String, e164: String, ownRegion: Bool)] {
        let out = try python("""
        import json, sys, phonenumbers as pn
        from phonenumbers import PhoneNumberType as T, PhoneNumberFormat as F
        rows = []
        for r in sys.argv[1].split(','):
            for t in (T.FIXED_LINE, T.MOBILE):
                ex = pn.example_number_for_type(r, t)
                if ex is None: continue
                rows.append([r, pn.format_number(ex, F.NATIONAL), pn.format_number(ex, F.INTERNATIONAL),
                             pn.format_number(ex, F.E164), str(pn.region_code_for_number(ex) == r)])
        print(json.dumps(rows))
        """, [PhoneRegions.shared.regions.map(\.name).joined(separator: ",")])
        return (try parseJSON(out) as! [[String]]).map { ($0[0], $0[1], $0[2], $0[3], $0[4] == "True") }
    }

    /// Whether Python can import `phonenumbers` (always true under `WINNOW_REQUIRE_REFERENCE=1`, so the
    /// tests fail there instead of skipping).
    static func phonenumbersAvailable() -> Bool {
        let available = ProcessInfo.processInfo.environment["WINNOW_REQUIRE_REFERENCE"] == "1"
            || (try? python("import phonenumbers")) != nil
        if !available { print("skipped: Python package `phonenumbers` is missing (pip install phonenumbers)") }
        return available
    }

    /// Each row's number (`[label, number]`) must be found, whole, in a sentence without a phone word, for at
    /// least the `recall` share of the rows.
    static func expectFoundWithoutContext(_ rows: [[String]], recall: Double, _ name: String) {
        var missed: [String] = []
        for r in rows where values("Hours 9-17. Address: \(r[1]) (head office)", .phone) != [r[1]] { missed.append("\(r[0]) \(r[1])") }
        print("\(name): \(rows.count - missed.count)/\(rows.count); missed \(missed)")
        #expect(Double(rows.count - missed.count) / Double(rows.count) >= recall, "missed \(missed)")
    }
}
