/// Finds PII in UTF-8 text with hand-written byte scanners: one pass over the bytes, a class table per
/// byte, and detectors that start only at the few bytes that can begin (or, for e-mail and IPv6, sit
/// inside) what they look for. Candidates are validated before they count: Public Suffix List for e-mail
/// domains, address ranges for IPs, Luhn and issuer prefixes for cards, the country length table and
/// mod-97 for IBANs, the invalid ranges for SSNs, Base58Check / bech32 for crypto addresses, shape and
/// entropy for secrets. Spans come out in text order and never overlap. No allocation happens unless a
/// candidate of the right shape is being validated (Base58 and SHA-256).
///
/// See docs/pii.md for the exact rules of each detector.
public struct PIIScanner: Sendable {
    public var types: PIITypeSet
    /// Report only globally routable IP addresses (Python `ipaddress` `is_global`, minus multicast).
    public var publicIPsOnly: Bool
    let suffixes: PublicSuffixList

    public init(types: PIITypeSet = .all, publicIPsOnly: Bool = true, suffixes: PublicSuffixList = .shared) {
        self.types = types
        self.publicIPsOnly = publicIPsOnly
        self.suffixes = suffixes
    }

    /// The spans in `text`.
    public func scan(_ text: [UInt8]) -> [PIISpan] {
        var spans: [PIISpan] = []
        text.withUnsafeBufferPointer { scan($0, into: &spans) }
        return spans
    }

    /// Appends the spans found in `text` to `spans` (offsets relative to `text`).
    public func scan(_ text: UnsafeBufferPointer<UInt8>, into spans: inout [PIISpan]) {
        ByteClass.table.withUnsafeBufferPointer { table in
            var s = Scan(p: text, cls: table, scanner: self)
            s.run(into: &spans)
        }
    }
}

/// Byte classes for the scanner.
enum ByteClass {
    static let digit: UInt8 = 1
    static let upper: UInt8 = 2
    static let lower: UInt8 = 4
    static let hex: UInt8 = 8
    static let under: UInt8 = 16  // '_'
    static let high: UInt8 = 32  // UTF-8 lead or continuation byte (part of a non-ASCII word)
    /// Starts a check: '@', ':', '=', '+', '(', '-', '#'.
    static let trigger: UInt8 = 64
    static let word: UInt8 = digit | upper | lower | under | high

    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = digit | hex }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = upper }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = lower }
        for c in UInt8(ascii: "A")...UInt8(ascii: "F") { t[Int(c)] |= hex }
        for c in UInt8(ascii: "a")...UInt8(ascii: "f") { t[Int(c)] |= hex }
        t[Int(UInt8(ascii: "_"))] = under
        for c in 0x80...0xFF { t[c] = high }
        for c in "@:=+(-".utf8 { t[Int(c)] = trigger }
        return t
    }()
}

/// The state of one scan: the text, the class table and the end of the last span (nothing may start
/// before it).
struct Scan {
    let p: UnsafeBufferPointer<UInt8>
    let cls: UnsafeBufferPointer<UInt8>
    let scanner: PIIScanner
    let n: Int
    var floor = 0
    /// Whether runs of non-ASCII digits are checked for phone numbers (`NativeDigitPhones.swift`); off in
    /// the scan of the rewritten run itself.
    var nativeDigits = true

    init(p: UnsafeBufferPointer<UInt8>, cls: UnsafeBufferPointer<UInt8>, scanner: PIIScanner) {
        self.p = p
        self.cls = cls
        self.scanner = scanner
        n = p.count
    }

    @inline(__always) func c(_ i: Int) -> UInt8 { i >= 0 && i < n ? cls[Int(p[i])] : 0 }
    @inline(__always) func byte(_ i: Int) -> UInt8 { i >= 0 && i < n ? p[i] : 0 }
    @inline(__always) func isDigit(_ i: Int) -> Bool { c(i) & ByteClass.digit != 0 }
    @inline(__always) func isWord(_ i: Int) -> Bool { c(i) & ByteClass.word != 0 }
    @inline(__always) func isAlnum(_ i: Int) -> Bool { c(i) & (ByteClass.digit | ByteClass.upper | ByteClass.lower) != 0 }
    @inline(__always) func isHex(_ i: Int) -> Bool { c(i) & ByteClass.hex != 0 }
    @inline(__always) func isUpper(_ i: Int) -> Bool { c(i) & ByteClass.upper != 0 }
    @inline(__always) func isLetter(_ i: Int) -> Bool { c(i) & (ByteClass.upper | ByteClass.lower) != 0 }
    @inline(__always) func on(_ t: PIIType) -> Bool { scanner.types.contains(t) }

    /// End of the run of word bytes starting at `i`.
    @inline(__always) func wordEnd(_ i: Int) -> Int {
        var j = i
        while j < n, cls[Int(p[j])] & ByteClass.word != 0 { j += 1 }
        return j
    }

    mutating func emit(_ type: PIIType, _ start: Int, _ end: Int, into spans: inout [PIISpan]) {
        spans.append(PIISpan(type: type, start: start, end: end))
        floor = end
    }

    mutating func run(into spans: inout [PIISpan]) {
        var i = 0
        let word = ByteClass.word
        while i < n {
            let k = cls[Int(p[i])]
            if k == 0 { i += 1; continue }
            if k & ByteClass.trigger != 0 {
                if let end = trigger(at: i, into: &spans) { i = end } else { i += 1 }
                continue
            }
            // A word byte. Only a word start can begin a number, an IBAN, a key or an address; digits
            // right after non-ASCII text (`电话：0943-860383`, `请拨打13946476725`) start a number too.
            if i > 0, cls[Int(p[i - 1])] & word != 0, !(k & ByteClass.digit != 0 && p[i - 1] >= 0x80) {
                // Native digits right after non-ASCII text (`電話：０３-１２３４-５６７８`) start a number too.
                if nativeDigits, p[i - 1] >= 0x80, NativeDigits.mayStart(p[i]), on(.phone),
                   let e = nativeDigitPhone(at: i, into: &spans) { i = e; continue }
                i += 1
                continue
            }
            // Non-ASCII words begin nothing the detectors look for; step through them byte by byte so
            // that digits inside CJK text are seen.
            if k & ByteClass.high != 0 {
                if nativeDigits, on(.phone), let e = nativeDigitPhone(at: i, into: &spans) { i = e; continue }
                i += 1
                while i < n, cls[Int(p[i])] == ByteClass.high {
                    if nativeDigits, NativeDigits.mayStart(p[i]), NativeDigits.digit(p, i) != nil { break }
                    i += 1
                }
                continue
            }
            let end = wordEnd(i)
            if k & ByteClass.digit != 0 {
                if let e = numeric(at: i, wordEnd: end, into: &spans) { i = e; continue }
            } else if k & (ByteClass.upper | ByteClass.lower) != 0 {
                if let e = letterWord(at: i, wordEnd: end, into: &spans) { i = e; continue }
            }
            i = end
        }
    }

    // MARK: Triggers inside or before words

    mutating func trigger(at i: Int, into spans: inout [PIISpan]) -> Int? {
        switch p[i] {
        case UInt8(ascii: "@"):
            return on(.email) ? email(at: i, into: &spans) : nil
        case UInt8(ascii: ":"):
            if on(.ipAddress), let e = ipv6(colon: i, into: &spans) { return e }
            if on(.secret), let e = assignment(at: i, into: &spans) { return e }
            return nil
        case UInt8(ascii: "="):
            return on(.secret) ? assignment(at: i, into: &spans) : nil
        case UInt8(ascii: "+"), UInt8(ascii: "("):
            if i > 0, isWord(i - 1) { return nil }
            return on(.phone) ? phone(at: i, into: &spans) : nil
        case UInt8(ascii: "-"):
            return on(.secret) ? privateKey(at: i, into: &spans) : nil
        default:
            return nil
        }
    }

    // MARK: E-mail

    @inline(__always) func isLocalChar(_ b: UInt8) -> Bool {
        cls[Int(b)] & (ByteClass.digit | ByteClass.upper | ByteClass.lower | ByteClass.under) != 0
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "%")
            || b == UInt8(ascii: "'")
    }

    mutating func email(at: Int, into spans: inout [PIISpan]) -> Int? {
        // Local part, backwards.
        var s = at
        while s > floor, at - s < 64, isLocalChar(p[s - 1]) { s -= 1 }
        while s < at, p[s] == UInt8(ascii: ".") || p[s] == UInt8(ascii: "'") || p[s] == UInt8(ascii: "-") || p[s] == UInt8(ascii: "+") { s += 1 }
        guard s < at, p[at - 1] != UInt8(ascii: ".") else { return nil }
        if s > 0, c(s - 1) & ByteClass.high != 0 { /* a non-ASCII letter glued to the local part: fine, start here */ }
        for j in s..<(at - 1) where p[j] == UInt8(ascii: ".") && p[j + 1] == UInt8(ascii: ".") { return nil }
        // A Message-ID (`200412101215.04040.name@host`): a local part opening with a run of 10+ digits.
        var digitRun = s
        while digitRun < at, isDigit(digitRun) { digitRun += 1 }
        if digitRun - s >= 10 { return nil }
        // Domain, forwards: labels of letters, digits and hyphens.
        var e = at + 1
        var lastDot = -1
        var labelStart = e
        while e < n {
            let b = p[e]
            if isAlnum(e) || b == UInt8(ascii: "-") {
                e += 1
            } else if b == UInt8(ascii: "."), e > labelStart, isAlnum(e + 1) {
                lastDot = e
                e += 1
                labelStart = e
            } else {
                break
            }
            if e - at > 253 { return nil }
        }
        guard lastDot > 0 else { return nil }
        // Labels must not start or end with '-'; the top-level label must be letters (or punycode).
        var j = at + 1
        var labelBegin = j
        while j <= e {
            if j == e || p[j] == UInt8(ascii: ".") {
                if j == labelBegin || p[labelBegin] == UInt8(ascii: "-") || p[j - 1] == UInt8(ascii: "-") || j - labelBegin > 63 { return nil }
                labelBegin = j + 1
            }
            j += 1
        }
        let tld = lastDot + 1
        if !(e - tld > 4 && (p[tld] | 0x20) == UInt8(ascii: "x") && (p[tld + 1] | 0x20) == UInt8(ascii: "n") && p[tld + 2] == UInt8(ascii: "-")) {
            for k in tld..<e where c(k) & (ByteClass.upper | ByteClass.lower) == 0 { return nil }
        }
        // Next byte: not a word byte (an e-mail glued to more text is not one).
        if e < n, c(e) & (ByteClass.under | ByteClass.high) != 0 { return nil }
        guard scanner.suffixes.isRegistrable(UnsafeBufferPointer(rebasing: p[(at + 1)..<e])) else { return nil }
        emit(.email, s, e, into: &spans)
        return e
    }

    // MARK: Numbers: IPv4, SSN, cards, phones, Base58 addresses

    /// Whether the digit run at `i` continues a longer token: a word, a dotted or dashed number
    /// (`v2.4.10.1`, `1.3.6.1.4.1`), a path or an issue number (`#1234`).
    func continuesToken(_ i: Int) -> Bool {
        guard i > 0 else { return false }
        let b = p[i - 1]
        if b == UInt8(ascii: "#") || b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "$") { return true }
        if b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: ",") {
            return isAlnum(i - 2)
        }
        return false
    }

    mutating func numeric(at i: Int, wordEnd: Int, into spans: inout [PIISpan]) -> Int? {
        if continuesToken(i) { return nil }
        // Base58 Bitcoin address: a 25-35 byte alphanumeric word starting with 1 or 3.
        if on(.crypto), wordEnd - i >= 25, wordEnd - i <= 35, p[i] == UInt8(ascii: "1") || p[i] == UInt8(ascii: "3") {
            if let e = base58Address(i, wordEnd, into: &spans) { return e }
        }
        // Everything else starts with a run of digits.
        var d = i
        while d < n, isDigit(d) { d += 1 }
        if d < wordEnd { return nil }  // digits glued to letters: `3rd`, `5cf7`, a hash
        let next = byte(d)
        if next == UInt8(ascii: ".") {
            if on(.ipAddress), let e = ipv4(i, into: &spans) { return e }
        }
        if on(.usSSN), d - i == 3, next == UInt8(ascii: "-"), let e = ssn(i, into: &spans) { return e }
        if on(.creditCard), let e = card(i, into: &spans) { return e }
        if on(.phone), let e = phone(at: i, into: &spans) { return e }
        return nil
    }

    /// Parses `d.d.d.d`. Returns the end and the 32-bit value if there are exactly four dotted groups of
    /// 1-3 digits, none with a leading zero, all <= 255, not continued by more dots or digits.
    func parseIPv4(_ i: Int) -> (end: Int, value: UInt32)? {
        var j = i
        var value: UInt32 = 0
        for part in 0..<4 {
            let s = j
            var v: UInt32 = 0
            while j < n, isDigit(j), j - s < 4 { v = v * 10 + UInt32(p[j] - 0x30); j += 1 }
            let len = j - s
            if len == 0 || len > 3 || v > 255 || (len > 1 && p[s] == UInt8(ascii: "0")) { return nil }
            value = value << 8 | v
            if part < 3 {
                guard byte(j) == UInt8(ascii: "."), isDigit(j + 1) else { return nil }
                j += 1
            }
        }
        // Not a longer dotted sequence or a word.
        if isWord(j) { return nil }
        if (byte(j) == UInt8(ascii: ".") || byte(j) == UInt8(ascii: "-")) && isAlnum(j + 1) { return nil }
        return (j, value)
    }

    mutating func ipv4(_ i: Int, into spans: inout [PIISpan]) -> Int? {
        guard let (end, v) = parseIPv4(i) else { return nil }
        if scanner.publicIPsOnly && !Self.isGlobalIPv4(v) { return nil }
        // A network (`/24`), a network or broadcast address (`.0`, `.255`) is not a host.
        if byte(end) == UInt8(ascii: "/") && isDigit(end + 1) { return nil }
        if v & 0xFF == 0 || v & 0xFF == 255 { return nil }
        if versionContext(before: i) { return nil }
        // A numbered heading at the start of a line (after list markers): `15.4.1.1. Rules`,
        // `• 6.5.11.1. Name`, or `6.6.3.1 note` when every part is small (a hosts line such as
        // `93.184.216.34 example.org` stays an address).
        let h = lineStartSkippingListMarkers(before: i)
        if h == 0 || p[h - 1] == 0x0A {
            let smallParts = (v >> 24) <= 40 && (v >> 16 & 0xFF) <= 40 && (v >> 8 & 0xFF) <= 40 && (v & 0xFF) <= 40
            if byte(end) == UInt8(ascii: ".") || (byte(end) == UInt8(ascii: " ") && smallParts) { return nil }
        }
        emit(.ipAddress, i, end, into: &spans)
        return end
    }

    /// Steps back from `i` over spaces, tabs and list markers (`*`, `-`, `+`, `>`, `#`, `•`, `‣`, `◦`,
    /// `▪`, `·`, `–`, `—`), at most 16 bytes: where a table-of-contents line starts.
    func lineStartSkippingListMarkers(before i: Int) -> Int {
        var h = i
        while h > 0, i - h < 16 {
            let b = p[h - 1]
            if b == 0x20 || b == 0x09 || b == UInt8(ascii: "*") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: ">") || b == UInt8(ascii: "#") {
                h -= 1
            } else if h >= 3, p[h - 3] == 0xE2,
                      (p[h - 2] == 0x80 && (p[h - 1] == 0xA2 || p[h - 1] == 0xA3 || p[h - 1] == 0x93 || p[h - 1] == 0x94))
                        || (p[h - 2] == 0x97 && p[h - 1] == 0xA6) || (p[h - 2] == 0x96 && p[h - 1] == 0xAA) {
                h -= 3
            } else if h >= 2, p[h - 2] == 0xC2, p[h - 1] == 0xB7 {
                h -= 2
            } else {
                break
            }
        }
        return h
    }

    /// Python `ipaddress.IPv4Address.is_global` (3.11-3.13 tables), and not multicast.
    static func isGlobalIPv4(_ v: UInt32) -> Bool {
        func inNet(_ base: UInt32, _ bits: UInt32) -> Bool { bits == 0 || v >> (32 - bits) == base >> (32 - bits) }
        let a = v >> 24
        if a == 0 || a == 10 || a == 127 || a >= 224 { return false }  // this network, private, loopback, multicast, reserved, broadcast
        if inNet(0x6440_0000, 10) { return false }  // 100.64.0.0/10 shared address space
        if inNet(0xA9FE_0000, 16) { return false }  // 169.254.0.0/16 link-local
        if inNet(0xAC10_0000, 12) { return false }  // 172.16.0.0/12
        if inNet(0xC000_0000, 24) { return v == 0xC000_0009 || v == 0xC000_000A }  // 192.0.0.0/24 IETF (but .9, .10 are global)
        if inNet(0xC000_0200, 24) { return false }  // 192.0.2.0/24 TEST-NET-1
        if inNet(0xC0A8_0000, 16) { return false }  // 192.168.0.0/16
        if inNet(0xC612_0000, 15) { return false }  // 198.18.0.0/15 benchmarking
        if inNet(0xC633_6400, 24) { return false }  // 198.51.100.0/24 TEST-NET-2
        if inNet(0xCB00_7100, 24) { return false }  // 203.0.113.0/24 TEST-NET-3
        return true
    }

    /// A version keyword (`version`, `release`, `upgrade`, ...) earlier on the same line, at most 40 bytes
    /// back: `version 2.4.10.1 or 1.2.3.4` lists versions, not hosts.
    func versionContext(before i: Int) -> Bool {
        let lo = Swift.max(0, i - 40)
        var j = i - 1
        while j >= lo, p[j] != 0x0A { j -= 1 }
        let from = j + 1
        guard from < i else { return false }
        for word in Self.versionWords {
            if containsLower(word, from, i) { return true }
        }
        return false
    }

    static let versionWords: [[UInt8]] = [
        "version", "release", "upgrade", "update", "firmware", "kernel", "build", "versión", "versão", "versione", "versie",
        "section", "chapter", "kapitel", "abschnitt", "chapitre", "sección", "capítulo", "capitolo", "sezione", "hoofdstuk",
        "раздел", "глава", "розділ", "rozdział", "kapitola", "§", "قسمت", "بخش", "節", "章", "절", "oid", "mib", "snmp",
        // Cross-references in the Debian manuals' translations ("vegeu Secció 9.2.1.4"); only ASCII is
        // case-folded, so capitalised non-ASCII forms are listed too.
        "secció", "afsnit", "seção", "secção", "sektion", "avsnitt", "bölüm", "szakasz", "sectie", "oddíl", "sekcja",
        "τμήμα", "Τμήμα", "ενότητα", "Ενότητα", "Раздел", "Глава", "Розділ", "Rozdział", "Sección", "Capítulo",
    ].map { Array($0.utf8) }

    /// Whether `word` (lower-case) occurs in `p[from..<to]`, comparing ASCII case-insensitively.
    func containsLower(_ word: [UInt8], _ from: Int, _ to: Int) -> Bool {
        let m = word.count
        guard to - from >= m else { return false }
        var s = from
        while s + m <= to {
            var k = 0
            while k < m {
                var b = p[s + k]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != word[k] { break }
                k += 1
            }
            if k == m { return true }
            s += 1
        }
        return false
    }

    /// US SSN `AAA-GG-SSSS`: area not 000, 666 or 900-999; group not 00; serial not 0000.
    mutating func ssn(_ i: Int, into spans: inout [PIISpan]) -> Int? {
        guard i + 11 <= n, p[i + 3] == UInt8(ascii: "-"), p[i + 6] == UInt8(ascii: "-") else { return nil }
        for k in [0, 1, 2, 4, 5, 7, 8, 9, 10] where !isDigit(i + k) { return nil }
        let e = i + 11
        if isWord(e) || ((byte(e) == UInt8(ascii: "-") || byte(e) == UInt8(ascii: ".")) && isDigit(e + 1)) { return nil }
        func num(_ a: Int, _ len: Int) -> Int { var v = 0; for k in a..<(a + len) { v = v * 10 + Int(p[k] - 0x30) }; return v }
        let area = num(i, 3), group = num(i + 4, 2), serial = num(i + 7, 4)
        if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 { return nil }
        emit(.usSSN, i, e, into: &spans)
        return e
    }

    /// Payment card: 12-19 digits in one run or in groups of 3-6 split by single spaces or dashes (one kind),
    /// Luhn-valid, with a known issuer prefix and length. 12 digits (Maestro) only right after a card
    /// keyword. When a spaced run is longer (`4111 1111 1111 1111 12/25`), shorter group prefixes are tried.
    mutating func card(_ i: Int, into spans: inout [PIISpan]) -> Int? {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 digit slots, filled below
        var count = 0
        var groupEnds: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)  // byte end of each group
        var groupDigits: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)  // digits up to it
        var groups = 0
        var sep: UInt8 = 0
        var j = i
        return withUnsafeMutableBytes(of: &digits) { dbuf -> Int? in
            withUnsafeMutableBytes(of: &groupEnds) { ends -> Int? in
                withUnsafeMutableBytes(of: &groupDigits) { gd -> Int? in
                    while true {
                        let s = j
                        while j < n, isDigit(j) {
                            if count == 24 { return nil }
                            dbuf[count] = p[j] - 0x30
                            count += 1
                            j += 1
                        }
                        let len = j - s
                        if groups > 0 && (len < 3 || len > 6) { break }
                        if groups == 8 { return nil }
                        ends.storeBytes(of: j, toByteOffset: groups * 8, as: Int.self)
                        gd.storeBytes(of: count, toByteOffset: groups * 8, as: Int.self)
                        groups += 1
                        let b = byte(j)
                        guard (b == UInt8(ascii: " ") || b == UInt8(ascii: "-")) && (sep == 0 || sep == b) && isDigit(j + 1) else { break }
                        if groups == 1 && (len < 3 || len > 6) { break }
                        sep = b
                        j += 1
                    }
                    let maxEnd = ends.load(fromByteOffset: (groups - 1) * 8, as: Int.self)
                    // The full token must not run into more word bytes.
                    if isWord(maxEnd) { return nil }
                    if (byte(maxEnd) == UInt8(ascii: ".") || byte(maxEnd) == UInt8(ascii: "-")) && isDigit(maxEnd + 1) { return nil }
                    var g = groups
                    while g >= 1 {
                        let m = gd.load(fromByteOffset: (g - 1) * 8, as: Int.self)
                        let end = ends.load(fromByteOffset: (g - 1) * 8, as: Int.self)
                        g -= 1
                        if m < 12 { break }
                        if m > 19 { if groups == 1 { return nil } else { continue } }
                        let ds = UnsafeBufferPointer<UInt8>(start: dbuf.baseAddress!.assumingMemoryBound(to: UInt8.self), count: m)
                        guard Self.cardIssuer(ds), Checksums.luhn(ds) else { continue }
                        if m == 12 && !keywordBefore(i, Self.cardWords) { continue }
                        emit(.creditCard, i, end, into: &spans)
                        return end
                    }
                    return nil
                }
            }
        }
    }

    /// A known issuer prefix for this length (digits as values 0...9).
    static func cardIssuer(_ d: UnsafeBufferPointer<UInt8>) -> Bool {
        let len = d.count
        func pre(_ k: Int) -> Int { var v = 0; for x in 0..<k { v = v * 10 + Int(d[x]) }; return v }
        let p1 = pre(1), p2 = pre(2), p3 = pre(3), p4 = pre(4), p6 = len >= 6 ? pre(6) : 0
        if p1 == 4 { return len == 13 || len == 16 || len == 19 }  // Visa
        if (51...55).contains(p2) || (2221...2720).contains(p4) { return len == 16 }  // Mastercard
        if p2 == 34 || p2 == 37 { return len == 15 }  // American Express
        if p4 == 6011 || (644...649).contains(p3) || p2 == 65 || (622126...622925).contains(p6) { return (16...19).contains(len) }  // Discover
        if p2 == 35 { return (16...19).contains(len) }  // JCB (3528-3589; Faker and some lists use all of 35)
        if p4 == 1800 || p4 == 2131 { return len == 15 }  // JCB 15
        if (300...305).contains(p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39 { return (14...19).contains(len) }  // Diners Club
        if (2200...2204).contains(p4) { return (16...19).contains(len) }  // Mir
        if p2 == 62 || p2 == 81 { return (16...19).contains(len) }  // UnionPay
        if p2 == 50 || (56...69).contains(p2) || p4 == 604 { return (12...19).contains(len) }  // Maestro (0604 too)
        return false
    }

    static let cardWords = KeywordList(["card", "carta", "carte", "karte", "tarjeta", "cartão", "kartu", "kart", "karta", "kaart", "kort", "カード", "卡", "卡号", "카드", "карта", "картка", "כרטיס", "بطاقة", "thẻ"])

    static let phoneWords = KeywordList([
        "tel", "tel.", "tél", "tél.", "phone", "telephone", "téléphone", "telefon", "telefone", "telefono", "teléfono",
        "telefoon", "puhelin", "fax", "mobile", "mobil", "cell", "cellphone", "call", "gsm", "handy", "tlf", "telp",
        "điện thoại", "sđt", "電話", "电话", "手机", "전화", "휴대폰", "тел", "тел.", "телефон", "моб", "τηλ", "τηλέφωνο",
        "טלפון", "هاتف", "تلفن", "फ़ोन", "โทร", "phone number",
    ])

    /// Whether one of `words` (lower-case) ends right before `i`, with only spaces, colons, dots, dashes or a
    /// fullwidth colon between, and does not continue a longer word on its left.
    func keywordBefore(_ i: Int, _ words: KeywordList) -> Bool {
        var j = i
        var skipped = 0
        while j > 0, skipped < 4 {
            let b = p[j - 1]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: ":") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "=") {
                j -= 1; skipped += 1
            } else if j >= 3, p[j - 3] == 0xEF, p[j - 2] == 0xBC, p[j - 1] == 0x9A {  // '：'
                j -= 3; skipped += 1
            } else {
                break
            }
        }
        if j == i && !(i > 0 && (p[i - 1] == UInt8(ascii: "."))) { return false }
        return keyword(of: words, endingAt: j) { s in
            s == 0 || c(s - 1) & (ByteClass.upper | ByteClass.lower | ByteClass.digit) == 0
        }
    }

    /// Whether `p[s..<s + w.count]` equals the lower-case word `w`, folding ASCII, Cyrillic and Greek
    /// capitals (`Тел`, `Τηλ`, `TEL` all match their lower-case list words; both cases are two bytes).
    func matchesFolded(_ s: Int, _ w: [UInt8]) -> Bool {
        let m = w.count
        guard s >= 0, s + m <= n else { return false }
        var k = 0
        while k < m {
            var b = p[s + k]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if (b == 0xD0 || b == 0xCE) && k + 1 < m {
                let (l0, l1) = Self.lowerTwoByte(b, p[s + k + 1])
                guard l0 == w[k], l1 == w[k + 1] else { return false }
                k += 2
                continue
            }
            guard b == w[k] else { return false }
            k += 1
        }
        return true
    }

    /// The lower case of a two-byte Cyrillic (D0 xx) or Greek (CE xx) capital; other pairs unchanged.
    static func lowerTwoByte(_ b0: UInt8, _ b1: UInt8) -> (UInt8, UInt8) {
        if b0 == 0xD0 {
            if b1 >= 0x90 && b1 <= 0x9F { return (0xD0, b1 + 0x20) }  // А-П
            if b1 >= 0xA0 && b1 <= 0xAF { return (0xD1, b1 - 0x20) }  // Р-Я
            if b1 >= 0x80 && b1 <= 0x8F { return (0xD1, b1 + 0x10) }  // Ѐ-Џ
        } else if b0 == 0xCE {
            if b1 >= 0x91 && b1 <= 0x9F { return (0xCE, b1 + 0x20) }  // Α-Ο
            if b1 >= 0xA0 && b1 <= 0xA9 { return (0xCF, b1 - 0x20) }  // Π-Ω
            if b1 == 0x86 { return (0xCE, 0xAC) }  // Ά
            if b1 >= 0x88 && b1 <= 0x8A { return (0xCE, b1 + 0x25) }  // Έ Ή Ί
            if b1 == 0x8C { return (0xCF, 0x8C) }  // Ό
            if b1 == 0x8E || b1 == 0x8F { return (0xCF, b1 - 0x01) }  // Ύ Ώ
        }
        return (b0, b1)
    }

    /// Phone numbers (see docs/pii.md): `+CC ...` international; North American `(415) 555-2671`,
    /// `415-555-2671`, `415.555.2671`, `1-415-555-2671`; national numbers with a trunk 0 and a dash or
    /// brackets (`03-1128-726`, `0959-409 9246`); anything of 7-15 digits right after a phone keyword.
    /// Never after `#`, `isbn` or `doi`, never with more than 15 digits, never a dotted date.
    mutating func phone(at i: Int, into spans: inout [PIISpan]) -> Int? {
        var j = i
        // `+CC ...`, or `(+CC) ...` with the country code in brackets.
        let plusParen = p[j] == UInt8(ascii: "(") && byte(j + 1) == UInt8(ascii: "+")
        let plus = p[j] == UInt8(ascii: "+") || plusParen
        if plus { j += plusParen ? 2 : 1; guard isDigit(j) else { return nil } }
        // Groups: digit count, end offset, the separator before it (0 none, or ' ', '-', '.', '/'), bracketed.
        var lens: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        var ends: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        var seps: (UInt64) = 0  // 8 bytes: separator before each group
        var parens: UInt8 = 0  // bit per bracketed group
        var groups = 0
        var digits = 0
        var sepBefore: UInt8 = 0
        while j < n {
            var inParen = plusParen && groups == 0
            if !inParen && p[j] == UInt8(ascii: "(") {
                guard isDigit(j + 1) else { break }
                inParen = true
                j += 1
            }
            let s = j
            while j < n, isDigit(j) { j += 1 }
            let len = j - s
            if len == 0 { break }
            if inParen {
                guard byte(j) == UInt8(ascii: ")") else { return nil }
                j += 1
                parens |= 1 << UInt8(groups)
            }
            if groups == 8 || digits + len > 15 {
                if sepBefore == UInt8(ascii: " ") { break }  // the next number is another token
                return nil
            }
            digits += len
            withUnsafeMutableBytes(of: &lens) { $0.storeBytes(of: len, toByteOffset: groups * 8, as: Int.self) }
            withUnsafeMutableBytes(of: &ends) { $0.storeBytes(of: j, toByteOffset: groups * 8, as: Int.self) }
            withUnsafeMutableBytes(of: &seps) { $0[groups] = sepBefore }
            groups += 1
            let b = byte(j)
            if (b == UInt8(ascii: " ") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/")) && (isDigit(j + 1) || byte(j + 1) == UInt8(ascii: "(")) {
                sepBefore = b
                j += 1
            } else if (inParen && isDigit(j)) || (b == UInt8(ascii: "(") && isDigit(j + 1)) {
                sepBefore = 0
                continue
            } else {
                break
            }
        }
        guard groups > 0 else { return nil }
        if afterExcludedWord(i) { return nil }
        let keyword = !plus && keywordBefore(i, Self.phoneWords)
        func len(_ k: Int) -> Int { withUnsafeBytes(of: lens) { $0.load(fromByteOffset: k * 8, as: Int.self) } }
        func endOf(_ k: Int) -> Int { withUnsafeBytes(of: ends) { $0.load(fromByteOffset: k * 8, as: Int.self) } }
        func sep(_ k: Int) -> UInt8 { withUnsafeBytes(of: seps) { $0[k] } }
        // Try the whole token, then shorter prefixes that end before a space.
        var g = groups
        while g >= 1 {
            defer { g -= 1 }
            if g < groups && sep(g) != UInt8(ascii: " ") { continue }
            var end = endOf(g - 1)
            if g == groups {
                // An extension: x1234, ext. 12.
                var x = end
                if byte(x) == UInt8(ascii: "x") { x += 1 } else if startsWith(x, " ext. ") { x += 6 } else if startsWith(x, " x") { x += 2 }
                if x > end, isDigit(x) {
                    var y = x
                    while y < n, isDigit(y), y - x < 6 { y += 1 }
                    if !isWord(y) { end = y }
                }
                // Boundary: not glued to a word or continued by more number.
                if isWord(end) { return nil }
                if (byte(end) == UInt8(ascii: "-") || byte(end) == UInt8(ascii: ".") || byte(end) == UInt8(ascii: ",") || byte(end) == UInt8(ascii: ":")) && isDigit(end + 1) { return nil }
                if byte(end) == UInt8(ascii: "-") && isAlnum(end + 1) { return nil }  // `0-7954-5340-X`, `123-456-abc`
            }
            var total = 0, dash = false, dot = false, space = false, slash = false
            for k in 0..<g {
                total += len(k)
                switch sep(k) {
                case UInt8(ascii: "-"): dash = true
                case UInt8(ascii: "."): dot = true
                case UInt8(ascii: "/"): slash = true
                case UInt8(ascii: " "): space = true
                default: break
                }
            }
            let paren = parens & UInt8(truncatingIfNeeded: (1 << g) - 1) != 0
            if slash && (dateShaped(g, len) || !(keyword || phoneContext(before: i))) { continue }  // dates and fractions; `06-1/822 4480` after `Telefon`
            if dot && (dash || space || g == 2) { continue }  // mixed separators, decimals (`84.1025505`)
            if dot && g == 4 && len(0) <= 3 && len(1) <= 3 && len(2) <= 3 && len(3) <= 3 { continue }  // `033.01.033.033`
            // A book number: 10 or 13 digits in 4-5 groups ending in the single check digit.
            if !plus, (total == 10 || total == 13), g >= 4, len(g - 1) == 1, !dot, isbn(from: i, to: endOf(g - 1), digits: total) { continue }
            let first = p[plusParen ? i + 2 : (plus || p[i] == UInt8(ascii: "(") ? i + 1 : i)]
            var ok = false
            if plus {
                ok = total >= 8 && (!dot || g >= 3)  // `+61.7.4542.8060`
            } else if keyword {
                ok = total >= 7 && !(dot && g == 3 && len(2) == 4 && len(0) <= 2)  // not 01.02.2023
            } else if total == 10, g == 3, len(0) == 3, len(1) == 3, len(2) == 4, first >= UInt8(ascii: "2") {
                // North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX; area and exchange start with 2-9.
                let exch = p[endOf(1) - 3]
                ok = exch >= UInt8(ascii: "2") && (paren || (dash && !space) || (dot && !space))
            } else if total == 11, g == 4, first == UInt8(ascii: "1"), len(0) == 1, len(1) == 3, len(2) == 3, len(3) == 4 {
                ok = dash && !space
            } else if first == UInt8(ascii: "0"), g >= 2, total >= 9, total <= 12, dash || paren, !dot {
                // National with trunk prefix (not 00, the international prefix); not a dd-mm-yyyy date or an
                // SSN-shaped 3-2-4.
                ok = byte(i + 1) != UInt8(ascii: "0") && !(g == 3 && len(0) == 2 && len(1) == 2 && len(2) == 4)
                    && !(g == 3 && len(0) == 3 && len(1) == 2 && len(2) == 4)
            }
            // The national rules take whole tokens only, not a group run cut short or continuing one
            // (`DE89 3704 0044 0532 0130 01`).
            if !ok, !plus, g == groups, !(i >= 2 && p[i - 1] == UInt8(ascii: " ") && isDigit(i - 2)), total >= 7, total <= 15,
               !dateShaped(g, len), !(g == 2 && timeRange(i)) {
                var layout: (UInt64) = 0  // 8 group lengths
                for k in 0..<g { withUnsafeMutableBytes(of: &layout) { $0[k] = UInt8(len(k)) } }
                ok = nationalNumber(from: i, to: endOf(g - 1), groups: g, layout: layout)
            }
            if ok {
                emit(.phone, i, end, into: &spans)
                return end
            }
        }
        return nil
    }

    /// `dd.mm.yyyy`, `yyyy-mm-dd` and `dd mm yy` shapes: dates, whatever the separator.
    func dateShaped(_ g: Int, _ len: (Int) -> Int) -> Bool {
        guard g == 3 else { return false }
        let (a, b, c) = (len(0), len(1), len(2))
        return (a <= 2 && b <= 2 && (c == 4 || c == 2)) || (a == 4 && b <= 2 && c <= 2)
    }

    /// Whether the digits in `p[from..<to]` are a valid ISBN-10 (last digit may not be `X` here) or an
    /// ISBN-13 starting 978/979 (`0-424-10504-7`, `978-3-16-148410-0` are book numbers, not phones).
    func isbn(from: Int, to: Int, digits: Int) -> Bool {
        var sum = 0, k = 0, prefix = 0
        for x in from..<to where isDigit(x) {
            let d = Int(p[x] - 0x30)
            if k < 3 { prefix = prefix * 10 + d }
            sum += digits == 10 ? d * (10 - k) : d * (k % 2 == 0 ? 1 : 3)
            k += 1
        }
        return digits == 10 ? sum % 11 == 0 : (sum % 10 == 0 && (prefix == 978 || prefix == 979))
    }

    /// `0800-1700`: two `hhmm` times joined by a dash.
    func timeRange(_ i: Int) -> Bool {
        guard i + 9 <= n, p[i + 4] == UInt8(ascii: "-") else { return false }
        func hhmm(_ a: Int) -> Bool {
            for k in a..<(a + 4) where !isDigit(k) { return false }
            let h = Int(p[a] - 0x30) * 10 + Int(p[a + 1] - 0x30), m = Int(p[a + 2] - 0x30) * 10 + Int(p[a + 3] - 0x30)
            return h <= 24 && m < 60
        }
        return hhmm(i) && hhmm(i + 5) && !isDigit(i + 9)
    }

    /// A number without a country code (see `PhoneRegions`): written with a region's trunk prefix and that
    /// region's own grouping, or a region's national number with a phone word shortly before it.
    func nationalNumber(from i: Int, to end: Int, groups: Int, layout: UInt64) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer -> Bool in
            var count = 0
            for k in i..<end where isDigit(k) {
                if count == 16 { return false }
                buffer[count] = p[k] - 0x30
                count += 1
            }
            let digits = UnsafeBufferPointer(rebasing: buffer[0..<count])
            let regions = PhoneRegions.shared
            // Trunk prefix and grouping alone: 9 digits or more, or 3 groups or more (`0532 0130` is a page
            // or table number as often as a phone), not right after an identifier word.
            if groups >= 2, count >= 9 || groups >= 3, !identifierBefore(i) {
                let formatted = withUnsafeBytes(of: layout) {
                    regions.isTrunkFormatted(digits, groupLengths: UnsafeBufferPointer(rebasing: $0.bindMemory(to: UInt8.self)[0..<groups]))
                }
                if formatted { return true }
            }
            // `00` and a country code, or one run of 10-11 digits with a trunk `0` standing alone (after a
            // space, a bracket or a quote, not in `0,.0106510993` or a MAC address `08002b:0102030405`).
            if !identifierBefore(i), regions.isInternational(digits) || (groups == 1 && standsAlone(i) && regions.isTrunkRun(digits)) {
                return true
            }
            guard phoneContext(before: i) else { return false }
            // A local number without area code (`467 3395`) or a national number of some region.
            return (count <= 8 && digits[0] != 0) || regions.isNationalNumber(digits)
        }
    }

    /// Whether the byte before `i` is a space, a bracket, a quote, non-ASCII text or the start of the text.
    func standsAlone(_ i: Int) -> Bool {
        guard i > 0 else { return true }
        let b = p[i - 1]
        return b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == UInt8(ascii: "(") || b == UInt8(ascii: "\"")
            || b == UInt8(ascii: "'") || b >= 0x80
    }

    static let excludedWords: [[UInt8]] = ["isbn", "issn", "doi", "doi:", "#", "no", "arxiv", "pmid", "id", "version", "v"].map { Array($0.utf8) }

    /// Right after `isbn`, `doi`, `#`, ... (with spaces, colons or `-` between).
    func afterExcludedWord(_ i: Int) -> Bool {
        var j = i
        while j > 0, j > i - 3, p[j - 1] == UInt8(ascii: " ") || p[j - 1] == UInt8(ascii: ":") || p[j - 1] == UInt8(ascii: "-") { j -= 1 }
        if j > 0, p[j - 1] == UInt8(ascii: "#") { return true }
        for w in [Self.excludedWords[0], Self.excludedWords[1], Self.excludedWords[2], Self.excludedWords[5], Self.excludedWords[6]] {
            let m = w.count
            guard j >= m else { continue }
            var k = 0
            while k < m {
                var b = p[j - m + k]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != w[k] { break }
                k += 1
            }
            if k == m, j - m == 0 || !isAlnum(j - m - 1) { return true }
        }
        return false
    }

    mutating func base58Address(_ i: Int, _ e: Int, into spans: inout [PIISpan]) -> Int? {
        if isWord(e) && !isAlnum(e) { return nil }
        let ok = Checksums.base58Check25(UnsafeBufferPointer(rebasing: p[i..<e]))
        guard let version = ok, version == 0x00 || version == 0x05 else { return nil }
        emit(.crypto, i, e, into: &spans)
        return e
    }

    // MARK: Words starting with a letter: IBAN, keys, tokens, bech32

    mutating func letterWord(at i: Int, wordEnd e: Int, into spans: inout [PIISpan]) -> Int? {
        let b0 = p[i]
        let len = e - i
        if on(.iban), isLetter(i), isLetter(i + 1), isDigit(i + 2), isDigit(i + 3), let end = iban(i, into: &spans) { return end }
        if isUpper(i) {
            if on(.secret), len == 20, b0 == UInt8(ascii: "A"), Self.awsPrefix(p, i) {
                for k in (i + 4)..<e where !(isUpper(k) || isDigit(k)) { return nil }
                if hyphenGlued(i, e) { return nil }
                emit(.secret, i, e, into: &spans)
                return e
            }
            if on(.secret), b0 == UInt8(ascii: "A"), byte(i + 1) == UInt8(ascii: "I"), byte(i + 2) == UInt8(ascii: "z"), byte(i + 3) == UInt8(ascii: "a") {
                // Google API key: AIza + 35 of [A-Za-z0-9_-].
                var j = i + 4
                while j < n, isAlnum(j) || p[j] == UInt8(ascii: "_") || p[j] == UInt8(ascii: "-") { j += 1 }
                if j - i == 39 { emit(.secret, i, j, into: &spans); return j }
            }
            return nil
        }
        switch b0 {
        case UInt8(ascii: "g"):
            guard on(.secret), len >= 40 else { return nil }
            if byte(i + 1) == UInt8(ascii: "h"), byte(i + 3) == UInt8(ascii: "_"), "pousr".utf8.contains(byte(i + 2)) {
                if len == 40 { for k in (i + 4)..<e where !isAlnum(k) { return nil }; emit(.secret, i, e, into: &spans); return e }
            }
            if len == 93, startsWith(i, "github_pat_") { emit(.secret, i, e, into: &spans); return e }
        case UInt8(ascii: "x"):
            guard on(.secret), byte(i + 1) == UInt8(ascii: "o"), byte(i + 2) == UInt8(ascii: "x"), "baprse".utf8.contains(byte(i + 3)), byte(i + 4) == UInt8(ascii: "-") else { return nil }
            var j = i + 5
            while j < n, isAlnum(j) || p[j] == UInt8(ascii: "-") { j += 1 }
            if j - i >= 15, j - i <= 255, !isWord(j) { emit(.secret, i, j, into: &spans); return j }
        case UInt8(ascii: "s"), UInt8(ascii: "r"):
            guard on(.secret), len >= 32, byte(i + 1) == UInt8(ascii: "k"), startsWith(i + 2, "_live_") else { return nil }
            emit(.secret, i, e, into: &spans)
            return e
        case UInt8(ascii: "b"):
            guard on(.crypto), len >= 14, len <= 74, byte(i + 1) == UInt8(ascii: "c"), byte(i + 2) == UInt8(ascii: "1") else { return nil }
            if Checksums.bech32Valid(hrp: UnsafeBufferPointer(rebasing: p[i..<(i + 2)]), data: UnsafeBufferPointer(rebasing: p[(i + 3)..<e])) {
                emit(.crypto, i, e, into: &spans)
                return e
            }
        default:
            break
        }
        return nil
    }

    /// A word directly joined by '-' to more word bytes (`AKIA...-suffix`) is an identifier, not a key.
    func hyphenGlued(_ i: Int, _ e: Int) -> Bool {
        (byte(e) == UInt8(ascii: "-") && isAlnum(e + 1)) || (i > 1 && p[i - 1] == UInt8(ascii: "-") && isAlnum(i - 2))
    }

    func startsWith(_ i: Int, _ s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard i + m <= n else { return false }
        let b = s.utf8Start
        for k in 0..<m where p[i + k] != b[k] { return false }
        return true
    }

    static func awsPrefix(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i + 4 <= p.count else { return false }
        let a = p[i + 1], b = p[i + 2], c = p[i + 3]
        switch (a, b, c) {
        case (0x4B, 0x49, 0x41), (0x53, 0x49, 0x41), (0x47, 0x50, 0x41), (0x49, 0x44, 0x41), (0x52, 0x4F, 0x41),  // KIA SIA GPA IDA ROA
             (0x49, 0x50, 0x41), (0x4E, 0x50, 0x41), (0x4E, 0x56, 0x41), (0x42, 0x49, 0x41), (0x43, 0x43, 0x41),  // IPA NPA NVA BIA CCA
             (0x50, 0x4B, 0x41), (0x53, 0x43, 0x41):  // PKA SCA
            return true
        default:
            return false
        }
    }

    /// IBAN: country code, two check digits and the country's BBAN length, compact or in groups of four
    /// separated by single spaces, in any letter case (`gb42nawi...`); mod-97 must be 1.
    mutating func iban(_ i: Int, into spans: inout [PIISpan]) -> Int? {
        guard let length = IBANCountries.length(p[i] & 0xDF, p[i + 1] & 0xDF), length <= 34 else { return nil }
        var chars: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes: the longest IBAN is 34
        var count = 0
        var j = i
        var spaced = false
        while count < length, j < n {
            let b = p[j]
            if isDigit(j) || isLetter(j) {
                withUnsafeMutableBytes(of: &chars) { $0[count] = isDigit(j) ? b : b & 0xDF }  // upper-cased for mod-97
                count += 1
                j += 1
            } else if b == UInt8(ascii: " "), count % 4 == 0, count > 0, (spaced || count == 4), isDigit(j + 1) || isLetter(j + 1) {
                spaced = true
                j += 1
            } else {
                break
            }
            if !spaced && count > 4 && j - i != count { return nil }
        }
        guard count == length, !isWord(j) else { return nil }
        if (byte(j) == UInt8(ascii: "-") || byte(j) == UInt8(ascii: ".")) && isAlnum(j + 1) { return nil }
        let valid = withUnsafeBytes(of: &chars) { Checksums.ibanMod97(UnsafeBufferPointer(rebasing: $0.bindMemory(to: UInt8.self)[0..<count])) }
        guard valid else { return nil }
        emit(.iban, i, j, into: &spans)
        return j
    }

    // MARK: IPv6 (found from its first ':')

    mutating func ipv6(colon: Int, into spans: inout [PIISpan]) -> Int? {
        // Back to the start of the first group: 1-4 hex digits after a non-word, non-':' byte.
        var s = colon
        while s > floor, colon - s < 4, isHex(s - 1) { s -= 1 }
        if s == colon { return nil }
        if s > 0 {
            let b = p[s - 1]
            if isWord(s - 1) || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") { return nil }
        }
        var words: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var gap = -1  // group index where '::' sits
        var j = s
        var end = s
        parse: while j < n {
            // A group.
            let g = j
            var v: UInt32 = 0
            while j < n, isHex(j), j - g < 5 {
                let b = p[j]
                let d: UInt8 = b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10
                v = v << 4 | UInt32(d)
                j += 1
            }
            if j - g == 0 { break }
            if j - g > 4 { return nil }
            // An embedded IPv4 tail (::ffff:1.2.3.4).
            if byte(j) == UInt8(ascii: "."), count <= 6, let (e4, v4) = parseIPv4(g) {
                withUnsafeMutableBytes(of: &words) {
                    $0.storeBytes(of: UInt16(v4 >> 16), toByteOffset: count * 2, as: UInt16.self)
                    $0.storeBytes(of: UInt16(v4 & 0xFFFF), toByteOffset: (count + 1) * 2, as: UInt16.self)
                }
                count += 2
                end = e4
                break parse
            }
            if count == 8 { return nil }
            withUnsafeMutableBytes(of: &words) { $0.storeBytes(of: UInt16(v), toByteOffset: count * 2, as: UInt16.self) }
            count += 1
            end = j
            guard byte(j) == UInt8(ascii: ":") else { break }
            if byte(j + 1) == UInt8(ascii: ":") {
                if gap >= 0 { return nil }
                gap = count
                end = j + 2
                j += 2
                if !isHex(j) { break }
            } else if isHex(j + 1) {
                j += 1
            } else {
                break
            }
        }
        if gap < 0 { if count != 8 { return nil } } else if count >= 8 || count < 3 { return nil }
        if isWord(end) || (byte(end) == UInt8(ascii: ".") && isAlnum(end + 1)) || (byte(end) == UInt8(ascii: ":") && isHex(end + 1)) { return nil }
        // Expand to 128 bits.
        var full: [UInt16] = [0, 0, 0, 0, 0, 0, 0, 0]
        withUnsafeBytes(of: words) { w in
            let before = gap < 0 ? count : gap
            for k in 0..<before { full[k] = w.load(fromByteOffset: k * 2, as: UInt16.self) }
            for k in before..<count { full[8 - (count - k)] = w.load(fromByteOffset: k * 2, as: UInt16.self) }
        }
        if scanner.publicIPsOnly && !Self.isGlobalIPv6(full) { return nil }
        emit(.ipAddress, s, end, into: &spans)
        return end
    }

    /// Python `ipaddress.IPv6Address.is_global` (not in the special-purpose private ranges), and not multicast.
    static func isGlobalIPv6(_ w: [UInt16]) -> Bool {
        let allZeroPrefix = w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0
        if allZeroPrefix && (w[5] == 0 || w[5] == 0xFFFF) { return false }  // ::, ::1, IPv4-compatible, ::ffff:0:0/96
        if w[0] == 0x0064 && w[1] == 0xFF9B && w[2] == 0x0001 { return false }  // 64:ff9b:1::/48
        if w[0] == 0x0100 && w[1] == 0 && w[2] == 0 && w[3] == 0 { return false }  // 100::/64 discard
        if w[0] == 0x2001 && w[1] < 0x0200 {  // 2001::/23 IETF protocol assignments, with global exceptions
            if w[1] == 0x0001 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && (w[7] == 1 || w[7] == 2) { return true }
            if w[1] == 0x0003 || (w[1] >= 0x0020 && w[1] <= 0x002F) { return true }  // 2001:3::/32, 2001:20::/28
            if w[1] == 0x0004 && w[2] == 0x0112 { return true }  // 2001:4:112::/48
            return false
        }
        if w[0] == 0x2001 && w[1] == 0x0DB8 { return false }  // documentation
        if w[0] == 0x3FFF && w[1] < 0x1000 { return false }  // 3fff::/20 documentation
        if w[0] == 0x5F00 { return false }  // 5f00::/16 SRv6
        if w[0] & 0xFE00 == 0xFC00 { return false }  // unique local
        if w[0] & 0xFFC0 == 0xFE80 { return false }  // link-local
        if w[0] & 0xFF00 == 0xFF00 { return false }  // multicast
        return true
    }

    // MARK: Secrets

    mutating func privateKey(at i: Int, into spans: inout [PIISpan]) -> Int? {
        guard startsWith(i, "-----BEGIN ") else { return nil }
        var j = i + 11
        let limit = Swift.min(n, j + 40)
        while j < limit, isUpper(j) || p[j] == UInt8(ascii: " ") { j += 1 }
        guard j >= i + 11 + 11, startsWith(j - 11, "PRIVATE KEY"), startsWith(j, "-----") else { return nil }
        j += 5
        // To the END line, or the first blank line if there is none within 64 KiB.
        let searchEnd = Swift.min(n, j + 65536)
        var k = j
        while k < searchEnd {
            if p[k] == UInt8(ascii: "-"), startsWith(k, "-----END ") {
                var e = k + 9
                while e < n, isUpper(e) || p[e] == UInt8(ascii: " ") { e += 1 }
                if startsWith(e, "-----") { e += 5 }
                emit(.secret, i, e, into: &spans)
                return e
            }
            if p[k] == 0x0A, byte(k + 1) == 0x0A { break }
            k += 1
        }
        emit(.secret, i, k, into: &spans)
        return k
    }

    static let secretKeys: [[UInt8]] = [
        "password", "passwd", "pwd", "passphrase", "secret", "api_key", "apikey", "api-key", "access_key", "secret_key",
        "private_key", "token", "auth", "credentials",
    ].map { Array($0.utf8) }

    static let placeholders: [[UInt8]] = ["your", "example", "xxx", "changeme", "placeholder", "password", "secret", "dummy", "sample", "redacted", "here"].map { Array($0.utf8) }

    /// `password=...`, `api_key: "..."`, `"secret": "..."`: a key name ending in one of `secretKeys`, then
    /// `=` or `:`, then a value of 8-128 bytes that mixes at least two character classes and has at least
    /// 3 bits of entropy per byte. The span is the value only.
    mutating func assignment(at i: Int, into spans: inout [PIISpan]) -> Int? {
        // The key, backwards: skip a closing quote and spaces.
        var k = i
        while k > floor, i - k < 2, p[k - 1] == UInt8(ascii: " ") { k -= 1 }
        if k > floor, p[k - 1] == UInt8(ascii: "\"") || p[k - 1] == UInt8(ascii: "'") { k -= 1 }
        let keyEnd = k
        while k > floor, keyEnd - k < 40, isAlnum(k - 1) || p[k - 1] == UInt8(ascii: "_") || p[k - 1] == UInt8(ascii: "-") || p[k - 1] == UInt8(ascii: ".") { k -= 1 }
        guard keyEnd > k else { return nil }
        var matched = false
        for w in Self.secretKeys where keyEnd - k >= w.count {
            var ok = true
            for x in 0..<w.count {
                var b = p[keyEnd - w.count + x]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != w[x] { ok = false; break }
            }
            if ok { matched = true; break }
        }
        guard matched else { return nil }
        // The value.
        var v = i + 1
        if p[i] == UInt8(ascii: ":"), byte(v) == UInt8(ascii: "=") { v += 1 }  // :=
        while v < n, v - i < 4, p[v] == UInt8(ascii: " ") { v += 1 }
        var quote: UInt8 = 0
        if v < n, p[v] == UInt8(ascii: "\"") || p[v] == UInt8(ascii: "'") { quote = p[v]; v += 1 }
        let s = v
        while v < n, v - s <= 128 {
            let b = p[v]
            if quote != 0 ? (b == quote || b < 0x20) : (b <= 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: ",")
                || b == UInt8(ascii: ";") || b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: ")")
                || b == UInt8(ascii: "}") || b == UInt8(ascii: "]")) { break }
            if b >= 0x80 || b == UInt8(ascii: " ") { return nil }
            v += 1
        }
        let len = v - s
        guard len >= 8, len <= 128 else { return nil }
        if quote != 0, byte(v) != quote { return nil }
        let first = p[s]
        if first == UInt8(ascii: "$") || first == UInt8(ascii: "%") || first == UInt8(ascii: "{") || first == UInt8(ascii: "<") || first == UInt8(ascii: "[") || first == UInt8(ascii: "(") { return nil }
        var lower = false, upper = false, digit = false, other = false
        var sameRun = 1, maxRun = 1
        for x in s..<v {
            let k2 = c(x)
            if k2 & ByteClass.lower != 0 { lower = true } else if k2 & ByteClass.upper != 0 { upper = true } else if k2 & ByteClass.digit != 0 { digit = true } else { other = true }
            if x > s, p[x] == p[x - 1] { sameRun += 1; maxRun = Swift.max(maxRun, sameRun) } else { sameRun = 1 }
            if p[x] == UInt8(ascii: "(") { return nil }  // a call: getpass(), os.getenv(...)
        }
        let classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0)
        guard classes >= 2, maxRun < 4 else { return nil }
        for w in Self.placeholders where containsLower(w, s, v) { return nil }
        guard Checksums.entropy(UnsafeBufferPointer(rebasing: p[s..<v])) >= 3.0 else { return nil }
        emit(.secret, s, v, into: &spans)
        return v
    }
}

/// IBAN lengths per country (SWIFT IBAN registry).
enum IBANCountries {
    static let table: [UInt16: UInt8] = {
        let list = """
        AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 \
        FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 \
        LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 \
        RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30
        """
        var t: [UInt16: UInt8] = [:]
        for item in list.split(separator: " ") {
            let b = Array(item.utf8)
            t[UInt16(b[0]) << 8 | UInt16(b[1])] = UInt8(b[2] - 0x30) * 10 + (b[3] - 0x30)
        }
        return t
    }()

    static func length(_ a: UInt8, _ b: UInt8) -> Int? { table[UInt16(a) << 8 | UInt16(b)].map(Int.init) }
}
