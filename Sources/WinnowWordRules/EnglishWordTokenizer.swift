/// A token of a text: bytes `[start, end)`. `space` marks the whitespace tokens spaCy keeps (runs of
/// whitespace other than one plain space after a word); datatrove drops them from word lists.
package struct TokenSpan: Sendable, Equatable {
    package var start: Int
    package var end: Int
    package var space: Bool
    @inlinable package init(start: Int, end: Int, space: Bool) { self.start = start; self.end = end; self.space = space }
}

/// Splits text into words the way datatrove 0.10.1 does for English: spaCy 3.8's rule-based English tokenizer
/// (`spacy.blank("en")`), reimplemented on UTF-8 bytes. The text is split on whitespace; each chunk is looked up
/// in the special-case table (contractions such as "don't" -> "do" "n't", abbreviations such as "Mr.", emoticons),
/// otherwise prefixes and suffixes are peeled off (punctuation, quotes, currency, units after digits, a final
/// period after a lowercase letter, ...) and what remains is split at infixes (hyphens and `/:<>=` between
/// letters, `.` between a lowercase and an uppercase letter, `,` between letters, runs of dots) unless it is a URL.
///
/// Not reproduced: spaCy's second pass that re-matches special cases across tokens produced by affix splitting
/// (it only concerns special cases that themselves contain punctuation, such as emoticons glued to words), and
/// the IP-address form of spaCy's URL pattern. docs/filters.md lists the effects.
///
/// One instance per task: it keeps scratch buffers.
package final class EnglishWordTokenizer {
    private var suffixStack: [Int] = []  // start offsets of peeled suffixes (each ends where the previous starts)
    private let t = CharClasses.table
    private let specials = SpecialCases.english

    package init() {}

    /// The strings of spaCy's special-case table (UTF-8), for callers that need to know which chunks a fixed
    /// rule may split (WinnowDedup's fast path for simplified text).
    package static var specialCaseKeys: [[UInt8]] {
        Array(spacyEnglishSpecialCases.utf8).split(separator: UInt8(ascii: "\n")).compactMap { line in
            line.firstIndex(of: UInt8(ascii: "\t")).map { Array(line[line.startIndex..<$0]) }
        }
    }

    /// Classes that make a non-ASCII character matter to the prefix, suffix or infix rules.
    package static let affixRelevant: CharClass = [.icon, .quote, .pySpace, .unicodeP, .datatrovePunctuation, .terminalPunctuation,
                                           .sentencePunctuation, .prefixChar, .suffixChar]

    /// Appends the tokens of bytes `[start, end)` to `out`.
    package func tokenize(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, spaceTokens: Bool, into out: inout [TokenSpan]) {
        var i = start
        // A leading whitespace run is one token.
        var runStart = i
        while i < end { let n = UTF8Scan.spaceLength(p, i, end); if n == 0 { break }; i += n }
        if i > runStart, spaceTokens { out.append(TokenSpan(start: runStart, end: i, space: true)) }
        while i < end {
            // A chunk of non-whitespace.
            let chunkStart = i
            while i < end {
                let b = p[i]
                if b > 0x20 && b < 0x7F { i += 1; continue }
                if UTF8Scan.spaceLength(p, i, end) != 0 { break }
                i += b < 0x80 ? 1 : UTF8Scan.decode(p, i, end).1
            }
            tokenizeChunk(p, chunkStart, i, into: &out)
            if i >= end { break }
            // A whitespace run: one plain space belongs to the previous token, the rest is a token.
            runStart = p[i] == 0x20 ? i + 1 : i
            while i < end { let n = UTF8Scan.spaceLength(p, i, end); if n == 0 { break }; i += n }
            if i > runStart, spaceTokens { out.append(TokenSpan(start: runStart, end: i, space: true)) }
        }
    }

    private func tokenizeChunk(_ p: UnsafePointer<UInt8>, _ chunkStart: Int, _ chunkEnd: Int, into out: inout [TokenSpan]) {
        if specials.emit(p, chunkStart, chunkEnd, into: &out) { return }
        // Fast path: a chunk of letters only (most words, in any script) has no prefix, suffix, infix or URL.
        // ASCII: a-z, A-Z. Beyond ASCII: any character without a class that an affix or infix rule tests
        // (punctuation, quotes, icons, prefix and suffix characters); the rules that involve digits, `.`,
        // `'`, `+`, `$` or hyphens cannot apply to a chunk without those.
        var k = chunkStart
        while k < chunkEnd {
            let b = p[k]
            if b < 0x80 {
                if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A { k += 1; continue }
                break
            }
            let (cp, n) = UTF8Scan.decode(p, k, chunkEnd)
            if t.classes(cp).rawValue & Self.affixRelevant.rawValue != 0 { break }
            k += n
        }
        if k == chunkEnd {
            out.append(TokenSpan(start: chunkStart, end: chunkEnd, space: false))
            return
        }
        let first = out.count
        defer { if out.count - first >= 2 { rematchSpecialCases(p, from: first, into: &out) } }
        var s = chunkStart, e = chunkEnd
        suffixStack.removeAll(keepingCapacity: true)
        var lastSize = -1
        while s < e && e - s != lastSize {
            // The whole chunk is known not to be special.
            if (s != chunkStart || e != chunkEnd) && specials.contains(p, s, e) { break }
            lastSize = e - s
            let pre = prefixLength(p, s, e)
            if pre != 0, s + pre < e, specials.contains(p, s + pre, e) {
                out.append(TokenSpan(start: s, end: s + pre, space: false))
                s += pre
                break
            }
            let suf = suffixLength(p, s + pre, e)
            if suf != 0, e - suf > s, specials.contains(p, s, e - suf) {
                suffixStack.append(e - suf)
                e -= suf
                break
            }
            if pre != 0 && suf != 0 && pre + suf <= e - s {
                out.append(TokenSpan(start: s, end: s + pre, space: false))
                s += pre
                suffixStack.append(e - suf)
                e -= suf
            } else if pre != 0 {
                out.append(TokenSpan(start: s, end: s + pre, space: false))
                s += pre
            } else if suf != 0 {
                suffixStack.append(e - suf)
                e -= suf
            }
        }
        if s < e {
            if (s != chunkStart || e != chunkEnd) && specials.emit(p, s, e, into: &out) {
            } else if URLMatch.matches(p, s, e) {
                out.append(TokenSpan(start: s, end: e, space: false))
            } else {
                splitInfixes(p, s, e, into: &out)
            }
        }
        // Suffixes, innermost first.
        var idx = suffixStack.count - 1
        while idx >= 0 {
            let sufStart = suffixStack[idx]
            // Each suffix runs from its start to the start of the suffix peeled before it (or the chunk end).
            let sufEnd = idx == 0 ? chunkEnd : suffixStack[idx - 1]
            out.append(TokenSpan(start: sufStart, end: sufEnd, space: false))
            idx -= 1
        }
    }

    /// spaCy's second pass (`_apply_special_cases`): a special case that affix splitting cut into several
    /// tokens (such as "):" after a word) is put back together. Longest match first, left to right.
    private func rematchSpecialCases(_ p: UnsafePointer<UInt8>, from first: Int, into out: inout [TokenSpan]) {
        var i = first
        while i < out.count - 1 {
            guard specials.mayStart(p[out[i].start]) else { i += 1; continue }
            var best = -1
            var j = i + 1
            while j < out.count && j - i < 8 {
                if specials.contains(p, out[i].start, out[j].end) { best = j }
                j += 1
            }
            if best < 0 { i += 1; continue }
            var replacement: [TokenSpan] = []
            _ = specials.emit(p, out[i].start, out[best].end, into: &replacement)
            out.replaceSubrange(i...best, with: replacement)
            i += replacement.count
        }
    }

    // MARK: Prefixes

    /// spaCy's `prefix_search` on bytes `[s, e)`: the byte length of the prefix, or 0.
    @inline(__always)
    func prefixLength(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        let b = p[s]
        if b == UInt8(ascii: ".") {
            var j = s + 1
            while j < e && p[j] == UInt8(ascii: ".") { j += 1 }
            return j - s >= 2 ? j - s : 0
        }
        if b == UInt8(ascii: "+") {
            return s + 1 < e && p[s + 1] >= 0x30 && p[s + 1] <= 0x39 ? 0 : 1
        }
        if b == UInt8(ascii: "U"), UTF8Scan.hasPrefix(p, s, e, "US$") { return 3 }
        if b == UInt8(ascii: "C") || b == UInt8(ascii: "A"), s + 1 < e, p[s + 1] == UInt8(ascii: "$") { return 2 }
        let (cp, n) = UTF8Scan.decode(p, s, e)
        return t.classes(cp).contains(.prefixChar) ? n : 0
    }

    // MARK: Suffixes

    /// spaCy's `suffix_search` on bytes `[s, e)`: the regex search finds the leftmost start of any suffix
    /// alternative, so this is the longest matching suffix. Look-behinds see only `[s, e)`.
    func suffixLength(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        guard s < e else { return 0 }
        var best = 0
        let lastStart = UTF8Scan.previousStart(p, e, s)
        let (last, lastLen) = UTF8Scan.decode(p, lastStart, e)
        let lastClasses = t.classes(last)
        if lastClasses.contains(.suffixChar) { best = lastLen }
        // A run of two or more dots.
        if last == 0x2E {
            var j = e - 1
            while j > s && p[j - 1] == UInt8(ascii: ".") { j -= 1 }
            if e - j >= 2 { return max(best, e - j) }
            // A single final period, after a class of characters.
            if lastStart > s {
                let beforeStart = UTF8Scan.previousStart(p, lastStart, s)
                let before = UTF8Scan.decode(p, beforeStart, lastStart).0
                let bc = t.classes(before)
                var dot = bc.contains(.beforeDotSuffix)
                if !dot && bc.contains(.alphaUpper) && beforeStart > s {
                    dot = t.classes(UTF8Scan.previous(p, beforeStart, s)).contains(.alphaUpper)
                }
                if !dot, before == 0x46 || before == 0x66 || before == 0x43 || before == 0x63 || before == 0x4B || before == 0x6B,
                   beforeStart > s, UTF8Scan.previous(p, beforeStart, s) == 0xB0 {
                    dot = true
                }
                if dot { best = max(best, 1) }
            }
        }
        // Two ellipsis characters.
        if last == 0x2026, lastStart > s, UTF8Scan.previous(p, lastStart, s) == 0x2026 { best = max(best, 6) }
        // 's and ’s.
        if last == 0x73 || last == 0x53 {
            if lastStart > s, p[lastStart - 1] == UInt8(ascii: "'") { best = max(best, 2) }
            else if lastStart - 3 >= s, p[lastStart - 3] == 0xE2, p[lastStart - 2] == 0x80, p[lastStart - 1] == 0x99 { best = max(best, 4) }
        }
        if last == UInt8(ascii: "+"), lastStart > s, isDigit(p[lastStart - 1]) { best = max(best, 1) }
        // Currency and units after a digit: only when a digit stands among the last bytes (the longest unit
        // or currency is 12 bytes).
        var j = e - 1, digit = false
        while j > s && j >= e - 13 { if isDigit(p[j - 1]) { digit = true; break }; j -= 1 }
        if digit {
            for u in Self.currencies where u.count > best && e - u.count > s {
                if Self.endsWith(p, s, e, u), isDigit(p[e - u.count - 1]) { best = u.count }
            }
            for u in Self.units where u.count > best && e - u.count > s {
                if Self.endsWith(p, s, e, u), isDigit(p[e - u.count - 1]) { best = u.count }
            }
        }
        return best
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func endsWith(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ u: [UInt8]) -> Bool {
        guard e - s >= u.count else { return false }
        let o = e - u.count
        for k in 0..<u.count where p[o + k] != u[k] { return false }
        return true
    }

    static let currencies: [[UInt8]] = "$ £ € ¥ ฿ US$ C$ A$ ₽ ﷼ ₴ ₠ ₡ ₢ ₣ ₤ ₥ ₦ ₧ ₨ ₩ ₪ ₫ ₭ ₮ ₯ ₰ ₱ ₲ ₳ ₵ ₶ ₷ ₸ ₹ ₺ ₻ ₼ ₾ ₿"
        .split(separator: " ").map { Array($0.utf8) }
    static let units: [[UInt8]] = ("km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz "
        + "m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ см см² см³ мм "
        + "мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ тбكم كم² كم³ م م² م³ سم سم² سم³ مم "
        + "مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب")
        .split(separator: " ").map { Array($0.utf8) }

    // MARK: Infixes

    /// spaCy's `infix_finditer` on bytes `[s, e)`, emitting the pieces as `_attach_tokens` does (a match at the
    /// very start is ignored).
    private func splitInfixes(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, into out: inout [TokenSpan]) {
        var start = s
        var i = s
        while i < e {
            let m = infixMatch(p, s, i, e)
            if m == 0 {
                i += p[i] < 0x80 ? 1 : UTF8Scan.decode(p, i, e).1
                continue
            }
            if i != s {
                if i != start { out.append(TokenSpan(start: start, end: i, space: false)) }
                out.append(TokenSpan(start: i, end: i + m, space: false))
                start = i + m
            }
            i += m
        }
        if start < e { out.append(TokenSpan(start: start, end: e, space: false)) }
    }

    /// The byte length of an infix match at `i` (0 if none), trying the alternatives in spaCy's order.
    @inline(__always)
    private func infixMatch(_ p: UnsafePointer<UInt8>, _ s: Int, _ i: Int, _ e: Int) -> Int {
        let b = p[i]
        if b == UInt8(ascii: ".") && i + 1 < e && p[i + 1] == UInt8(ascii: ".") {
            var j = i + 2
            while j < e && p[j] == UInt8(ascii: ".") { j += 1 }
            return j - i
        }
        let (cp, n) = UTF8Scan.decode(p, i, e)
        if cp == 0x2026 { return n }
        let c = t.classes(cp)
        if c.contains(.icon) { return n }
        guard i > s else { return 0 }
        // Only a few characters can be infixes from here on.
        let isHyphenLike = b == UInt8(ascii: "-") || b == UInt8(ascii: "~") || cp == 0x2013 || cp == 0x2014
        let isOther = b == UInt8(ascii: "+") || b == UInt8(ascii: "*") || b == UInt8(ascii: "^") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: ",") || b == UInt8(ascii: ":") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
            || b == UInt8(ascii: "=") || b == UInt8(ascii: "/")
        guard isHyphenLike || isOther else { return 0 }
        let prev = UTF8Scan.previous(p, i, s)
        let pc = t.classes(prev)
        let prevDigit = prev >= 0x30 && prev <= 0x39
        var nextCP: UInt32 = 0, nextC = CharClass()
        if i + n < e { nextCP = UTF8Scan.decode(p, i + n, e).0; nextC = t.classes(nextCP) }
        let hasNext = i + n < e
        // (?<=[0-9])[+\-\*^](?=[0-9-])
        if prevDigit && (b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "*") || b == UInt8(ascii: "^")),
           hasNext, (nextCP >= 0x30 && nextCP <= 0x39) || nextCP == 0x2D {
            return 1
        }
        // (?<=[{al}{q}])\.(?=[{au}{q}])
        if b == UInt8(ascii: "."), !pc.isDisjoint(with: [.alphaLower, .quote]), hasNext, !nextC.isDisjoint(with: [.alphaUpper, .quote]) {
            return 1
        }
        // (?<=[{a}]),(?=[{a}])
        if b == UInt8(ascii: ","), pc.contains(.alpha), hasNext, nextC.contains(.alpha) { return 1 }
        // (?<=[{a}0-9])(?:-|–|—|--|---|——|~)(?=[{a}])
        if isHyphenLike, pc.contains(.alpha) || prevDigit {
            if hasNext, nextC.contains(.alpha) { return n }
            // -- and ---, —— followed by a letter
            if b == UInt8(ascii: "-") {
                if i + 2 < e, p[i + 1] == UInt8(ascii: "-") {
                    if t.classes(UTF8Scan.decode(p, i + 2, e).0).contains(.alpha) { return 2 }
                    if i + 3 < e, p[i + 2] == UInt8(ascii: "-"),
                       t.classes(UTF8Scan.decode(p, i + 3, e).0).contains(.alpha) { return 3 }
                }
            } else if cp == 0x2014, nextCP == 0x2014, i + 6 < e,
                      t.classes(UTF8Scan.decode(p, i + 6, e).0).contains(.alpha) {
                return 6
            }
        }
        // (?<=[{a}0-9])[:<>=/](?=[{a}])
        if b == UInt8(ascii: ":") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=") || b == UInt8(ascii: "/"),
           pc.contains(.alpha) || prevDigit, hasNext, nextC.contains(.alpha) {
            return 1
        }
        return 0
    }
}

/// spaCy's special cases: strings tokenized by a fixed rule.
final class SpecialCases: Sendable {
    static let english = SpecialCases(table: spacyEnglishSpecialCases)

    private let blob: [UInt8]
    /// Per entry: key offset, key length, first piece index, piece count.
    private let entries: [(Int32, Int32, Int32, Int32)]
    private let pieces: [Int32]
    private let slots: [Int32]
    private let mask: Int
    private let maxLength: Int
    private let firstBytes: [Bool]
    /// (first byte, length) pairs of the keys: bit `length` of `lengthsByFirstByte[first]` (lengths < 64).
    private let lengthsByFirstByte: [UInt64]

    init(table: String) {
        var blob: [UInt8] = [], entries: [(Int32, Int32, Int32, Int32)] = [], pieces: [Int32] = []
        var firstBytes = [Bool](repeating: false, count: 256)
        var lengthsByFirstByte = [UInt64](repeating: 0, count: 256)
        var maxLength = 0
        for line in Array(table.utf8).split(separator: UInt8(ascii: "\n")) {
            guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
            let key = Array(line[line.startIndex..<tab])
            let lengths = line[(tab + 1)...].split(separator: UInt8(ascii: ",")).map { Int32(String(decoding: $0, as: UTF8.self))! }
            entries.append((Int32(blob.count), Int32(key.count), Int32(pieces.count), Int32(lengths.count)))
            blob += key
            pieces += lengths
            firstBytes[Int(key[0])] = true
            lengthsByFirstByte[Int(key[0])] |= 1 << UInt64(min(key.count, 63))
            maxLength = max(maxLength, key.count)
        }
        var size = 1
        while size < entries.count * 4 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for (index, entry) in entries.enumerated() {
            var h = blob.withUnsafeBufferPointer { Self.hash($0.baseAddress!, Int(entry.0), Int(entry.0 + entry.1)) } & (size - 1)
            while slots[h] >= 0 { h = (h + 1) & (size - 1) }
            slots[h] = Int32(index)
        }
        self.blob = blob
        self.entries = entries
        self.pieces = pieces
        self.slots = slots
        self.mask = size - 1
        self.maxLength = maxLength
        self.firstBytes = firstBytes
        self.lengthsByFirstByte = lengthsByFirstByte
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in s..<e { h = (h ^ UInt64(p[k])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func find(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        let n = e - s
        guard n > 0, n <= maxLength, lengthsByFirstByte[Int(p[s])] & (1 << UInt64(min(n, 63))) != 0 else { return nil }
        var h = Self.hash(p, s, e) & mask
        return blob.withUnsafeBufferPointer { b in
            while true {
                let index = slots[h]
                if index < 0 { return nil }
                let entry = entries[Int(index)]
                if Int(entry.1) == n {
                    var same = true
                    let o = Int(entry.0)
                    for k in 0..<n where b[o + k] != p[s + k] { same = false; break }
                    if same { return Int(index) }
                }
                h = (h + 1) & mask
            }
        }
    }

    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool { find(p, s, e) != nil }

    /// Whether some special case starts with this byte.
    @inline(__always)
    func mayStart(_ byte: UInt8) -> Bool { firstBytes[Int(byte)] }

    /// Appends the special tokenization of `[s, e)` if there is one.
    @inline(__always)
    func emit(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, into out: inout [TokenSpan]) -> Bool {
        guard let index = find(p, s, e) else { return false }
        let entry = entries[index]
        var o = s
        for k in Int(entry.2)..<Int(entry.2 + entry.3) {
            let l = Int(pieces[k])
            out.append(TokenSpan(start: o, end: o + l, space: false))
            o += l
        }
        return true
    }
}

/// spaCy's URL pattern (`URL_MATCH`) for host names: an optional scheme and user, dot-separated labels ending in
/// a lowercase top-level domain of 2-63 letters, an optional port and an optional path. (The IP-address
/// alternative is not implemented.)
enum URLMatch {
    static func matches(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        // Must contain a dot to have a host with a top-level domain.
        var hasDot = false
        for k in s..<e where p[k] == UInt8(ascii: ".") { hasDot = true; break }
        guard hasDot else { return false }
        var starts = [s]
        // [\w\+\-\.]{2,}://
        var k = s
        while k < e {
            let (cp, n) = UTF8Scan.decode(p, k, e)
            if cp == 0x2B || cp == 0x2D || cp == 0x2E || CharClasses.classes(cp).contains(.pyWord) { k += n } else { break }
        }
        if UTF8Scan.scalarCount(p, s, k) >= 2, UTF8Scan.hasPrefix(p, k, e, "://") { starts.append(k + 3) }
        for start in starts {
            if hostAndRest(p, start, e) { return true }
            // user@ (any non-space run up to an @)
            var j = start
            while j < e {
                if p[j] == UInt8(ascii: "@"), j > start, hostAndRest(p, j + 1, e) { return true }
                j += 1
            }
        }
        return false
    }

    private static func hostAndRest(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        // The host: a run of [H_.-] characters.
        var k = s
        while k < e {
            let (cp, n) = UTF8Scan.decode(p, k, e)
            if cp == 0x2E || cp == 0x5F || cp == 0x2D || CharClasses.classes(cp).contains(.urlHostChar) { k += n } else { break }
        }
        let hostEnd = k
        // The last label is the top-level domain: 2-63 lowercase letters.
        var lastDot = -1
        for j in s..<hostEnd where p[j] == UInt8(ascii: ".") { lastDot = j }
        guard lastDot > s else { return false }
        var tld = 0
        var j = lastDot + 1
        while j < hostEnd {
            let (cp, n) = UTF8Scan.decode(p, j, hostEnd)
            guard CharClasses.classes(cp).contains(.alphaLower) else { return false }
            tld += 1
            j += n
        }
        guard tld >= 2 && tld <= 63 else { return false }
        // Labels: [H] or [H][H_-]{0,62}[H], each followed by a dot.
        var labelStart = s
        j = s
        while j <= lastDot {
            if p[j] == UInt8(ascii: ".") {
                guard j > labelStart, validLabel(p, labelStart, j) else { return false }
                labelStart = j + 1
            }
            j += 1
        }
        // (?::\d{2,5})?(?:[/?#]\S*)?$
        k = hostEnd
        if k < e, p[k] == UInt8(ascii: ":") {
            var d = k + 1
            while d < e && p[d] >= 0x30 && p[d] <= 0x39 { d += 1 }
            guard d - k - 1 >= 2 && d - k - 1 <= 5 else { return false }
            k = d
        }
        if k == e { return true }
        return p[k] == UInt8(ascii: "/") || p[k] == UInt8(ascii: "?") || p[k] == UInt8(ascii: "#")
    }

    private static func validLabel(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let (first, _) = UTF8Scan.decode(p, s, e)
        guard CharClasses.classes(first).contains(.urlHostChar) else { return false }
        let last = UTF8Scan.previous(p, e, s)
        guard CharClasses.classes(last).contains(.urlHostChar) else { return false }
        return UTF8Scan.scalarCount(p, s, e) <= 64
    }
}
