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
/// to `σ` here). ASCII text is simplified in one byte pass. One instance per task: it keeps scratch buffers.
public final class DedupTextSimplifier {
    private let decomposer = UnicodeNormalizer(form: .nfd)
    private var scalars: [UInt32] = []
    private var scratch: [UInt32] = []
    private var encoded: [UInt8] = []
    /// Per BMP scalar, its lowercase mapping when that is one scalar (`notComputed`, `multipleScalars`
    /// otherwise), filled as scalars are met: the Unicode property lookups once per distinct scalar.
    private var lowercaseCache = [UInt32](repeating: notComputed, count: 0x10000)
    /// Per BMP scalar: `known` once computed, then `decimalDigit` and `nonspacingMark`.
    private var propertyCache = [UInt8](repeating: 0, count: 0x10000)
    private static let notComputed = UInt32.max, multipleScalars = UInt32.max - 1
    private static let known: UInt8 = 1, decimalDigit: UInt8 = 2, nonspacingMark: UInt8 = 4

    public init() {}

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
        var ascii = true
        for b in text where b >= 0x80 { ascii = false; break }
        if ascii { simplifyASCII(text, into: &output) } else { simplifyUnicode(text, into: &output) }
    }

    /// Simplifies `text` into a new array.
    public func simplify(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        text.withUnsafeBufferPointer { simplify($0, into: &output) }
        return output
    }

    // MARK: ASCII

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

    private func simplifyASCII(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let punctuation = Self.asciiPunctuation
        var pendingSpace = false
        var i = 0
        let n = text.count
        @inline(__always) func emit(_ b: UInt8) {
            if pendingSpace && !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(b)
        }
        while i < n {
            let b = text[i]
            if b >= 0x30 && b <= 0x39 {
                i += 1
                while i < n && text[i] >= 0x30 && text[i] <= 0x39 { i += 1 }
                if i + 1 < n && (text[i] == 0x2E || text[i] == 0x2C) && text[i + 1] >= 0x30 && text[i + 1] <= 0x39 {
                    i += 1
                    while i < n && text[i] >= 0x30 && text[i] <= 0x39 { i += 1 }
                }
                emit(0x30)
                continue
            }
            i += 1
            if Self.isASCIISpace(b) || punctuation[Int(b)] { pendingSpace = true; continue }
            emit(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
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
        // Scratch buffers as locals (no exclusivity checks on class properties per access).
        var scalars = self.scalars, scratch = self.scratch, encoded = self.encoded
        var lowercase = self.lowercaseCache, cached = self.propertyCache
        self.scalars = []; self.scratch = []; self.encoded = []; self.lowercaseCache = []; self.propertyCache = []
        defer {
            self.scalars = scalars; self.scratch = scratch; self.encoded = encoded
            self.lowercaseCache = lowercase; self.propertyCache = cached
        }
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
        scalars.removeAll(keepingCapacity: true)
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                scalars.append(v >= 0x41 && v <= 0x5A ? v | 0x20 : v)
                continue
            }
            if v < 0x10000 {
                var lowered = lowercase[Int(v)]
                if lowered == Self.notComputed {
                    let mapping = scalar.properties.lowercaseMapping.unicodeScalars
                    lowered = mapping.count == 1 ? mapping.first!.value : Self.multipleScalars
                    lowercase[Int(v)] = lowered
                }
                if lowered != Self.multipleScalars { scalars.append(lowered); continue }
            }
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars { scalars.append(lowered.value) }
        }
        // 2-4. Numbers, punctuation, whitespace.
        scratch.removeAll(keepingCapacity: true)
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
            if pendingSpace && !scratch.isEmpty { scratch.append(0x20) }
            pendingSpace = false
            scratch.append(emitted)
        }
        // 5. NFD, drop nonspacing marks; 6. strip.
        encoded.removeAll(keepingCapacity: true)
        for v in scratch { Self.appendUTF8(v, to: &encoded) }
        let decomposed = decomposer.normalize(encoded)
        var kept: [UInt32] = []
        kept.reserveCapacity(decomposed.count)
        for scalar in String(decoding: decomposed, as: UTF8.self).unicodeScalars {
            if scalar.value >= 0x300, flags(scalar.value) & Self.nonspacingMark != 0 { continue }
            kept.append(scalar.value)
        }
        var start = 0, end = kept.count
        while start < end && Self.isUnicodeSpace(kept[start]) { start += 1 }
        while end > start && Self.isUnicodeSpace(kept[end - 1]) { end -= 1 }
        for k in start..<end { Self.appendUTF8(kept[k], to: &output) }
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
