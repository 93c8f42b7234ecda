/// National phone number plans of 74 regions (the 40 most populous countries, the EU members and a few
/// more), from libphonenumber's metadata (`Generated/PhoneRegionData.swift`, made by
/// `Scripts/generate_phone_regions.py`): which national significant number (NSN) lengths each two-digit
/// start allows, the national (trunk) prefix, and how the region groups the digits of a number written
/// nationally with that prefix (`07700 900123` is GB `5 6`, `01 84 17 61 18` is FR `2 2 2 2 2`).
///
/// The scanner uses it to validate numbers written without a country code: by length and leading digits
/// (`isNationalNumber`), and, with no phone word nearby, by the trunk prefix and the region's own grouping
/// (`isTrunkFormatted`).
struct PhoneRegions: Sendable {
    struct Region: Sendable {
        let name: String
        let code: Int
        /// The national (trunk) prefix as digit values (`[0]`, `[8]` for RU, `[0, 6]` for HU), or empty.
        let trunk: [UInt8]
        /// For NSN starts 00...99: bit L set when some number type allows an NSN of L digits.
        let lengths: [UInt32]
        /// National groupings with the trunk prefix included, as digit counts per group.
        let layouts: [[UInt8]]
    }

    let regions: [Region]

    static let shared = PhoneRegions()

    init() {
        func hexValue(_ b: UInt8) -> UInt32 { b <= 0x39 ? UInt32(b - 0x30) : UInt32(b - 0x61 + 10) }
        func base36(_ b: UInt8) -> UInt8 { b <= 0x39 ? b - 0x30 : b - 0x61 + 10 }
        regions = Self.rows.map { row in
            let hex = Array(row.lengths.description.utf8)
            precondition(hex.count == 600, "PhoneRegionData: region \(row.region) needs 100 six-digit masks")
            var lengths = [UInt32](repeating: 0, count: 100)
            for k in 0..<100 {
                var v: UInt32 = 0
                for x in 0..<6 { v = v << 4 | hexValue(hex[k * 6 + x]) }
                lengths[k] = v
            }
            let layouts = row.layouts.description.utf8.split(separator: 0x20).map { $0.map(base36) }
            return Region(name: row.region.description, code: row.code, trunk: row.trunk.description.utf8.map { $0 - 0x30 },
                          lengths: lengths, layouts: layouts)
        }
    }

    /// Whether `digits` (values 0-9) is an NSN of `region` by length and its first two digits.
    @inline(__always)
    static func allows(_ region: Region, _ digits: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        let count = digits.count - from
        guard count >= 2, count < 32 else { return false }
        let start = Int(digits[from]) * 10 + Int(digits[from + 1])
        return region.lengths[start] & (1 << UInt32(count)) != 0
    }

    @inline(__always)
    static func hasTrunk(_ region: Region, _ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        let t = region.trunk
        guard !t.isEmpty, digits.count > t.count else { return false }
        for k in 0..<t.count where digits[k] != t[k] { return false }
        return true
    }

    /// Whether some region takes `digits` as a national number: the whole as an NSN, or the part after
    /// the region's trunk prefix.
    func isNationalNumber(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        for r in regions {
            if Self.allows(r, digits, from: 0) { return true }
            if Self.hasTrunk(r, digits), Self.allows(r, digits, from: r.trunk.count) { return true }
        }
        return false
    }

    /// Whether `digits` is `00` (the international prefix most of the world dials in place of `+`), a
    /// region's country calling code and an NSN of that region: `00420 606 459 803`, `001-961-565-1728`.
    func isInternational(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        guard digits.count >= 11, digits[0] == 0, digits[1] == 0, digits[2] != 0 else { return false }
        var code = 0
        for k in 2..<5 {
            code = code * 10 + Int(digits[k])
            for r in regions where r.code == code && Self.allows(r, digits, from: k + 1) { return true }
        }
        return false
    }

    /// Whether `digits`, written as one run of 10 or 11 digits, is a national number starting with a single
    /// trunk `0`: the trunk prefix `0` and an NSN of a region that dials it (`0474708686`, FR), or an NSN
    /// of a region without a trunk prefix whose numbers start with 0 (`0895232945`, IT). Runs without a
    /// leading 0 (a Chinese mobile `13812345678`) are not taken without a phone word: in real text they are
    /// byte counts, timer values and odds far more often than phone numbers.
    func isTrunkRun(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        guard digits.count == 10 || digits.count == 11, digits[0] == 0, digits[1] != 0 else { return false }
        // `0123456789` is the digit alphabet (a regular expression's class, a test string), not a number.
        var counting = true
        for k in 1..<digits.count where digits[k] != (digits[k - 1] + 1) % 10 { counting = false; break }
        if counting { return false }
        for r in regions {
            if r.trunk.isEmpty ? Self.allows(r, digits, from: 0) : (r.trunk == [0] && Self.allows(r, digits, from: 1)) { return true }
        }
        return false
    }

    /// Whether some region writes `digits` nationally as groups of `groupLengths` digits: the number
    /// starts with the region's trunk prefix, the rest is an NSN of the region, and the grouping is one
    /// of the region's national formats.
    func isTrunkFormatted(_ digits: UnsafeBufferPointer<UInt8>, groupLengths: UnsafeBufferPointer<UInt8>) -> Bool {
        for r in regions where Self.hasTrunk(r, digits) && Self.allows(r, digits, from: r.trunk.count) {
            for layout in r.layouts where layout.count == groupLengths.count {
                var same = true
                for k in 0..<layout.count where layout[k] != groupLengths[k] { same = false; break }
                if same { return true }
            }
        }
        return false
    }
}
