import CMinHash
import WinnowText

/// datatrove 0.10.1's `simplify_text` with its default `TextNormConfig`, on UTF-8 bytes, in datatrove's order:
///
/// 1. lowercase (each scalar's full lowercase mapping);
/// 2. numbers: a run of decimal digits (`\p{Nd}`, any script), optionally followed by one separator of
///    `. , ، ٫ ⎖ ⎗ ⎘` and another digit run, becomes `0` (`3.14` -> `0`, `12:30` -> `0:0`);
/// 3. datatrove's `PUNCTUATION` characters (ASCII punctuation, `— ” “ „ ’ « » … 、 。 ，` and the other
///    listed CJK and fullwidth forms, and the control characters U+0000-U+0008, U+000B-U+001F, U+007F-U+009F)
///    become spaces;
/// 4. whitespace (Python's `str.isspace`) is stripped at both ends and each run becomes one space;
/// 5. canonical decomposition (NFD), then nonspacing marks (category Mn) are dropped (`café` -> `cafe`);
/// 6. the result is stripped again.
///
/// Not reproduced: Python's context-dependent final sigma (`Σ` at the end of a word lowercases to `ς` in Python,
/// to `σ` here). Text is simplified in one pass, scalar by scalar, when each scalar's result depends on it alone
/// (ASCII, and most other text: see `simplifyByScalar`); otherwise step by step. One instance per task: it keeps
/// scratch buffers.
public final class DedupTextSimplifier {
    private let decomposer = UnicodeNormalizer(form: .nfd)
    /// The tables and scratch buffers, behind one pointer held as a constant: a call reaches them in place (no
    /// moving them out of the instance and back, no exclusivity check per access, no allocation once warm).
    private let state: UnsafeMutablePointer<State>
    private static let notComputed = UInt32.max, multipleScalars = UInt32.max - 1
    private static let known: UInt8 = 1, decimalDigit: UInt8 = 2, nonspacingMark: UInt8 = 4

    private struct State {
        /// Per BMP scalar, what the one-pass path makes of it (see `computeEntry`; 0: not yet computed).
        let scalarEntries: UnsafeMutablePointer<UInt32>
        /// The entries of scalars beyond the BMP (emoji, historic scripts), as met.
        var supplementaryEntries: [UInt32: UInt32] = [:]
        /// The expansions the entries point into.
        var expansionBytes: [UInt8] = []
        /// The one-pass output before step 6 (written without an array's per-append checks).
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
        var bufferCapacity = 4096
        /// Per BMP scalar, its lowercase mapping when that is one scalar (`notComputed`, `multipleScalars`
        /// otherwise), filled as scalars are met: the Unicode property lookups once per distinct scalar.
        let lowercase: UnsafeMutablePointer<UInt32>
        /// Per BMP scalar: `known` once computed, then `decimalDigit` and `nonspacingMark`.
        let properties: UnsafeMutablePointer<UInt8>
        /// The step-by-step path's scratch.
        var scalars: [UInt32] = []
        var scratch: [UInt32] = []
        var encoded: [UInt8] = []
        var kept: [UInt32] = []
        /// Per ASCII byte: 1 for whitespace and datatrove's punctuation and controls (a space), for CMinHash.
        let separators: UnsafeMutablePointer<UInt8>

        init() {
            separators = .allocate(capacity: 128)
            for b in 0..<128 {
                (separators + b).initialize(to: DedupTextSimplifier.isASCIISpace(UInt8(b)) || DedupTextSimplifier.asciiPunctuation[b] ? 1 : 0)
            }
            scalarEntries = .allocate(capacity: 0x10000)
            scalarEntries.initialize(repeating: 0, count: 0x10000)
            lowercase = .allocate(capacity: 0x10000)
            lowercase.initialize(repeating: DedupTextSimplifier.notComputed, count: 0x10000)
            properties = .allocate(capacity: 0x10000)
            properties.initialize(repeating: 0, count: 0x10000)
        }

        func deallocate() {
            scalarEntries.deallocate()
            buffer.deallocate()
            lowercase.deallocate()
            properties.deallocate()
            separators.deallocate()
        }
    }

    public init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.pointee.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// `known` plus the flags of scalar `v`.
    private static func properties(_ v: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(v) else { return known }
        var flags = known
        if scalar.properties.numericType == .decimal { flags |= decimalDigit }
        if scalar.properties.generalCategory == .nonspacingMark { flags |= nonspacingMark }
        return flags
    }

    /// Simplifies `text` (valid UTF-8) into `output`, which is cleared first.
    public func simplify(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        if simplifyByScalar(text, into: &output) { return }
        output.removeAll(keepingCapacity: true)
        simplifyUnicode(text, into: &output)
    }

    /// The step-by-step path alone (for tests: the one-pass path must give the same bytes).
    func simplifyStepByStep(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        text.withUnsafeBufferPointer { simplifyUnicode($0, into: &output) }
        return output
    }

    /// Whether `text` takes the one-pass path (for tests).
    func takesOnePass(_ text: [UInt8]) -> Bool {
        var output: [UInt8] = []
        return text.withUnsafeBufferPointer { simplifyByScalar($0, into: &output) }
    }

    /// Simplifies `text` into a new array.
    public func simplify(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        text.withUnsafeBufferPointer { simplify($0, into: &output) }
        return output
    }

    // MARK: ASCII

    /// `simplify` of the ASCII bytes `[start, end)` of `p` (no byte >= 0x80), into `output` (cleared first): the same
    /// bytes, without the instance's tables, for callers that simplify many short ASCII runs (the words of
    /// `OverlapWordScanner`), where `simplify`'s per-call set-up would cost more than the work.
    static func simplifyASCII(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        let punctuation = asciiPunctuation
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
        var i = start, pendingSpace = false
        while i < end {
            let b = p[i]
            let item: UInt8
            if isDigit(b) {
                // A number: digits, optionally one separator and more digits, becomes 0.
                i += 1
                while i < end && isDigit(p[i]) { i += 1 }
                if i + 1 < end, p[i] == 0x2E || p[i] == 0x2C, isDigit(p[i + 1]) {
                    i += 2
                    while i < end && isDigit(p[i]) { i += 1 }
                }
                item = 0x30
            } else {
                i += 1
                if isASCIISpace(b) || punctuation[Int(b)] { pendingSpace = true; continue }
                item = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            // Spaces fold into one and never start or end the output.
            if pendingSpace && !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(item)
        }
    }

    /// Python `str.isspace` for ASCII: `\t \n \v \f \r`, U+001C-U+001F and space.
    @inline(__always) static func isASCIISpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// ASCII characters of datatrove's `PUNCTUATION` (controls but tab and newline, and the listed symbols).
    static let asciiPunctuation: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for c in Array("!/:&(\\#%+^]~';{|[=-`*$,><)?@_.\"}".utf8) { table[Int(c)] = true }
        for c in 0..<9 { table[c] = true }
        for c in 11..<32 { table[c] = true }
        table[127] = true
        return table
    }()

    // MARK: One pass, scalar by scalar

    // What a non-ASCII scalar becomes (`State.scalarEntries`), computed once per distinct scalar: bit 0
    // computed, `digitEntry`, `spaceEntry` (punctuation or whitespace: a space), `generalEntry` (needs the
    // general path); otherwise bits 4-7 the length and bits 8-31 the offset in `expansionBytes` of what it
    // becomes (lowercase, NFD, nonspacing marks dropped: possibly nothing).
    private static let computedEntry: UInt32 = 1, digitEntry: UInt32 = 2, spaceEntry: UInt32 = 4, generalEntry: UInt32 = 8

    /// The entry of scalar `v` (see `State.scalarEntries`), its expansion appended to `expansionBytes`.
    private func computeEntry(_ v: UInt32) -> UInt32 {
        guard let scalar = Unicode.Scalar(v) else { return Self.computedEntry | Self.generalEntry }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        // A lowercase of several scalars (U+0130): the general path.
        guard mapping.count == 1, let lowered = mapping.first else {
            return Self.computedEntry | Self.generalEntry
        }
        let flags = Self.properties(lowered.value)
        if flags & Self.decimalDigit != 0 { return Self.computedEntry | Self.digitEntry }
        if Self.isUnicodePunctuation(lowered.value) || Self.isUnicodeSpace(lowered.value) { return Self.computedEntry | Self.spaceEntry }
        var encoded: [UInt8] = []
        Self.appendUTF8(lowered.value, to: &encoded)
        var kept: [UInt8] = []
        for part in String(decoding: decomposer.normalize(encoded), as: UTF8.self).unicodeScalars {
            if part.value >= 0x300, Self.properties(part.value) & Self.nonspacingMark != 0 { continue }
            // A kept combining character could be reordered by NFD across scalars, a space would be stripped:
            // the general path.
            if part.properties.canonicalCombiningClass.rawValue != 0 || Self.isUnicodeSpace(part.value) {
                return Self.computedEntry | Self.generalEntry
            }
            Self.appendUTF8(part.value, to: &kept)
        }
        let poolCount = state.pointee.expansionBytes.count
        guard kept.count < 16, poolCount < 1 << 24 else { return Self.computedEntry | Self.generalEntry }
        state.pointee.expansionBytes.append(contentsOf: kept)
        return Self.computedEntry | UInt32(kept.count) << 4 | UInt32(poolCount) << 8
    }

    /// All six steps in one pass: ASCII bytes directly, other scalars through their cached entry. Each scalar's
    /// result depends only on itself when its lowercase is one scalar whose NFD keeps no combining character
    /// (canonical reordering cannot move a kept character then); returns false, with `output` unspecified, for
    /// text with another scalar or invalid UTF-8, which the general path simplifies.
    private func simplifyByScalar(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        let state = self.state, entries = state.pointee.scalarEntries
        var out = state.pointee.buffer, capacity = state.pointee.bufferCapacity, count = 0
        defer { state.pointee.buffer = out; state.pointee.bufferCapacity = capacity }
        /// Makes room for `extra` more bytes in `out`.
        @inline(__always) func reserve(_ extra: Int) {
            guard count + extra > capacity else { return }
            capacity = max(capacity * 2, count + extra)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: out, count: count)
            out.deallocate()
            out = grown
        }
        let n = text.count
        var general = false
        /// The entry of the non-ASCII scalar at `i` and its byte length; `generalEntry` for invalid UTF-8.
        @inline(__always) func entry(at i: Int) -> (UInt32, Int) {
            let b0 = UInt32(text[i])
            var v: UInt32, length: Int
            if b0 & 0xE0 == 0xC0, i + 1 < n, text[i + 1] & 0xC0 == 0x80 {
                v = (b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F); length = 2
                if v < 0x80 { return (Self.generalEntry, 1) }
            } else if b0 & 0xF0 == 0xE0, i + 2 < n, text[i + 1] & 0xC0 == 0x80, text[i + 2] & 0xC0 == 0x80 {
                v = (b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F); length = 3
                if v < 0x800 || (v >= 0xD800 && v < 0xE000) { return (Self.generalEntry, 1) }
            } else if b0 & 0xF8 == 0xF0, i + 3 < n, text[i + 1] & 0xC0 == 0x80, text[i + 2] & 0xC0 == 0x80, text[i + 3] & 0xC0 == 0x80 {
                v = (b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6 | UInt32(text[i + 3] & 0x3F)
                if v < 0x10000 || v > 0x10FFFF { return (Self.generalEntry, 1) }
                if let e = state.pointee.supplementaryEntries[v] { return (e, 4) }
                let e = computeEntry(v)
                state.pointee.supplementaryEntries[v] = e
                return (e, 4)
            } else {
                return (Self.generalEntry, 1)  // invalid
            }
            var e = entries[Int(v)]
            if e == 0 { e = computeEntry(v); entries[Int(v)] = e }
            return (e, length)
        }
        /// The byte length of the decimal digit at `i`, or 0.
        @inline(__always) func digitLength(at i: Int) -> Int {
            guard i < n else { return 0 }
            let b = text[i]
            if b < 0x80 { return b >= 0x30 && b <= 0x39 ? 1 : 0 }
            let (e, length) = entry(at: i)
            if e & Self.generalEntry != 0 { general = true; return 0 }
            return e & Self.digitEntry != 0 ? length : 0
        }
        /// The byte length of the number separator at `i`, or 0.
        @inline(__always) func separatorLength(at i: Int) -> Int {
            guard i < n else { return 0 }
            let b = text[i]
            if b < 0x80 { return b == 0x2E || b == 0x2C ? 1 : 0 }
            if b == 0xD8 || b == 0xD9 {  // U+060C, U+066B
                return i + 1 < n && ((b == 0xD8 && text[i + 1] == 0x8C) || (b == 0xD9 && text[i + 1] == 0xAB)) ? 2 : 0
            }
            // U+2396...U+2398: E2 8E 96...98.
            return b == 0xE2 && i + 2 < n && text[i + 1] == 0x8E && text[i + 2] >= 0x96 && text[i + 2] <= 0x98 ? 3 : 0
        }
        var pendingSpace = false, emitted = false
        /// Starts an item of at most 16 bytes: the pending space first, if any.
        @inline(__always) func startItem() {
            reserve(17)
            if pendingSpace && emitted { out[count] = 0x20; count += 1 }
            pendingSpace = false
            emitted = true
        }
        var i = 0
        let separators = state.pointee.separators
        while i < n && !general {
            let b = text[i]
            if b < 0x80 {
                // ASCII in CMinHash (letters, spaces, punctuation, ASCII numbers), up to the next non-ASCII byte.
                reserve(n - i + 65)
                var written = count, pending: Int32 = pendingSpace ? 1 : 0, wrote: Int32 = emitted ? 1 : 0
                let next = winnow_simplify_ascii(text.baseAddress!, n, i, separators, out, &written, &pending, &wrote)
                count = written
                pendingSpace = pending != 0
                emitted = wrote != 0
                if next != i { i = next; continue }
                // No progress: a number that a digit or separator of another script may continue, taken here.
            }
            // A non-ASCII scalar is decoded and looked up once here (its entry says whether it is a digit).
            var scalarEntry: UInt32 = 0, scalarLength = 1
            var length: Int
            if b < 0x80 {
                length = b &- 0x30 < 10 ? 1 : 0
                if length == 0 { general = true; break }  // not reached: CMinHash stops without progress only at a digit
            } else {
                (scalarEntry, scalarLength) = entry(at: i)
                if scalarEntry & Self.generalEntry != 0 { general = true; break }
                length = scalarEntry & Self.digitEntry != 0 ? scalarLength : 0
            }
            if length != 0 {
                // A number: digits, optionally one separator and more digits, becomes 0.
                i += length
                while true { length = digitLength(at: i); if length == 0 { break }; i += length }
                let separator = separatorLength(at: i)
                if separator != 0, digitLength(at: i + separator) != 0 {
                    i += separator
                    while true { length = digitLength(at: i); if length == 0 { break }; i += length }
                }
                startItem()
                out[count] = 0x30; count += 1
                continue
            }
            let e = scalarEntry
            i += scalarLength
            if e & Self.spaceEntry != 0 { pendingSpace = true; continue }
            // Text (its expansion may be empty: a nonspacing mark still separates what surrounds it).
            startItem()
            let expansionLength = Int((e >> 4) & 0xF), offset = Int(e >> 8)
            state.pointee.expansionBytes.withUnsafeBufferPointer { pool in
                for k in offset..<(offset + expansionLength) { out[count] = pool[k]; count += 1 }
            }
        }
        if general { return false }
        // Step 6: a dropped mark may have left a space at either end.
        var start = 0
        while start < count && out[start] == 0x20 { start += 1 }
        while count > start && out[count - 1] == 0x20 { count -= 1 }
        output.append(contentsOf: UnsafeBufferPointer(start: out + start, count: count - start))
        return true
    }

    // MARK: Unicode

    /// Python `str.isspace` beyond ASCII (U+0085 is a control, already a space by step 3).
    @inline(__always) static func isUnicodeSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIISpace(UInt8(v)) }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// datatrove's `PUNCTUATION` beyond ASCII.
    @inline(__always) static func isUnicodePunctuation(_ v: UInt32) -> Bool {
        if v < 0x80 { return asciiPunctuation[Int(v)] }
        if v <= 0x9F { return true }
        switch v {
        case 0x2014, 0x201D, 0xFF05, 0xFF11, 0x3008, 0x3001, 0x2501, 0x3010, 0x300C, 0x300D, 0xFF0C, 0x3011, 0xFF1B,
             0x201C, 0x300A, 0x201E, 0x2019, 0x2236, 0x00B4, 0xFF0E, 0xFF08, 0x2013, 0xFF1F, 0xFF01, 0xFF1A, 0xFF5E,
             0x00AB, 0x3009, 0x300B, 0xFF09, 0x3002, 0x2026, 0x25BA, 0x00BB:
            return true
        default: return false
        }
    }

    /// The separators datatrove's number pattern allows between two digit runs.
    @inline(__always) static func isNumberSeparator(_ v: UInt32) -> Bool {
        v == 0x2E || v == 0x2C || v == 0x060C || v == 0x066B || v == 0x2396 || v == 0x2397 || v == 0x2398
    }

    private func simplifyUnicode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let state = self.state, lowercase = state.pointee.lowercase, cached = state.pointee.properties
        /// The cached flags of `v` (computed directly beyond the BMP).
        func flags(_ v: UInt32) -> UInt8 {
            guard v < 0x10000 else { return Self.properties(v) }
            if cached[Int(v)] == 0 { cached[Int(v)] = Self.properties(v) }
            return cached[Int(v)]
        }
        func isDigit(_ v: UInt32) -> Bool {
            if v < 0x80 { return v >= 0x30 && v <= 0x39 }
            return flags(v) & Self.decimalDigit != 0
        }
        // 1. Lowercase, as scalars.
        state.pointee.scalars.removeAll(keepingCapacity: true)
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                state.pointee.scalars.append(v >= 0x41 && v <= 0x5A ? v | 0x20 : v)
                continue
            }
            if v < 0x10000 {
                var lowered = lowercase[Int(v)]
                if lowered == Self.notComputed {
                    let mapping = scalar.properties.lowercaseMapping.unicodeScalars
                    lowered = mapping.count == 1 ? mapping.first!.value : Self.multipleScalars
                    lowercase[Int(v)] = lowered
                }
                if lowered != Self.multipleScalars { state.pointee.scalars.append(lowered); continue }
            }
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars { state.pointee.scalars.append(lowered.value) }
        }
        // 2-4. Numbers, punctuation, whitespace.
        state.pointee.scratch.removeAll(keepingCapacity: true)
        state.pointee.scalars.withUnsafeBufferPointer { scalars in
            var pendingSpace = false
            var i = 0
            let n = scalars.count
            while i < n {
                let v = scalars[i]
                var emitted = v
                if isDigit(v) {
                    i += 1
                    while i < n && isDigit(scalars[i]) { i += 1 }
                    if i + 1 < n && Self.isNumberSeparator(scalars[i]) && isDigit(scalars[i + 1]) {
                        i += 1
                        while i < n && isDigit(scalars[i]) { i += 1 }
                    }
                    emitted = 0x30
                } else {
                    i += 1
                    if Self.isUnicodePunctuation(v) || Self.isUnicodeSpace(v) { pendingSpace = true; continue }
                }
                if pendingSpace && !state.pointee.scratch.isEmpty { state.pointee.scratch.append(0x20) }
                pendingSpace = false
                state.pointee.scratch.append(emitted)
            }
        }
        // 5. NFD, drop nonspacing marks; 6. strip.
        state.pointee.encoded.removeAll(keepingCapacity: true)
        for v in state.pointee.scratch { Self.appendUTF8(v, to: &state.pointee.encoded) }
        let decomposed = decomposer.normalize(state.pointee.encoded)
        state.pointee.kept.removeAll(keepingCapacity: true)
        for scalar in String(decoding: decomposed, as: UTF8.self).unicodeScalars {
            if scalar.value >= 0x300, flags(scalar.value) & Self.nonspacingMark != 0 { continue }
            state.pointee.kept.append(scalar.value)
        }
        state.pointee.kept.withUnsafeBufferPointer { kept in
            var start = 0, end = kept.count
            while start < end && Self.isUnicodeSpace(kept[start]) { start += 1 }
            while end > start && Self.isUnicodeSpace(kept[end - 1]) { end -= 1 }
            for k in start..<end { Self.appendUTF8(kept[k], to: &output) }
        }
    }

    @inline(__always) private static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 { out.append(UInt8(v)) }
        else if v < 0x800 { out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F))) }
        else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
