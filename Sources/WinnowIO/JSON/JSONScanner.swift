import Glibc
import WinnowCore
import WinnowText

/// A hand-written UTF-8 JSON parser over a byte buffer (RFC 8259: the full grammar, all escapes,
/// `\uXXXX` with surrogate pairs, numbers kept as their literal text).
///
/// Strings are unescaped straight into byte arrays (or `String` storage), eight bytes at a time, then
/// checked for valid UTF-8; invalid sequences become U+FFFD (counted in `replacements`). A lone surrogate escape
/// also becomes U+FFFD, as in browsers. Nesting deeper than `maxDepth` is an error, so no input can
/// overflow the stack.
struct JSONScanner: ~Copyable {
    static let maxDepth = 512

    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0
    /// U+FFFD substitutions made so far (invalid UTF-8 and lone surrogates).
    var replacements = 0
    /// Escapes read so far that `JSONWriter` writes differently (`\/`, `\u`): a string read with neither
    /// these nor `replacements` is, byte for byte, what the writer writes for its value.
    var rewrittenEscapes = 0
    /// Reused for keys and short strings.
    var scratch: [UInt8] = []

    init(_ buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have a nil base address; point at a static byte instead.
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? JSONScanner.emptyByte
        count = buffer.count
        scratch.reserveCapacity(64)
    }

    nonisolated(unsafe) private static let emptyByte: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    func fail(_ message: String) -> JSONParseError {
        JSONParseError(offset: position, message: message)
    }

    @inline(__always) var atEnd: Bool { position >= count }
    @inline(__always) func peek() -> UInt8 { base[position] }

    @inline(__always) mutating func skipWhitespace() {
        while position < count {
            let c = base[position]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 } else { return }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        skipWhitespace()
        guard position < count, base[position] == byte else {
            throw fail(position < count ? "expected \(what)" : "unexpected end, expected \(what)")
        }
        position += 1
    }

    /// Checks that only whitespace follows the value.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        if position < count { throw fail("unexpected data after the JSON value") }
    }

    // MARK: Values

    mutating func parseValue(depth: Int = 0) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < count else { throw fail("unexpected end, expected a value") }
        switch base[position] {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["):
            return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw fail("unexpected character, expected a value")
        }
    }

    mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard count - position >= n else { throw fail("invalid literal") }
        let w = word.utf8Start
        for i in 0..<n where base[position + i] != w[i] { throw fail("invalid literal") }
        position += n
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONObject {
        guard depth <= JSONScanner.maxDepth else { throw fail("nesting deeper than \(JSONScanner.maxDepth)") }
        position += 1  // {
        var object = JSONObject()
        skipWhitespace()
        if position < count, base[position] == UInt8(ascii: "}") {
            position += 1
            return object
        }
        var seen: [String: Int]? = nil  // only built for large objects
        while true {
            skipWhitespace()
            guard position < count, base[position] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseShortString()
            try expect(UInt8(ascii: ":"), "':'")
            let value = try parseValue(depth: depth)
            object.appendKeepingLast(key: key, value: value, index: &seen)
            skipWhitespace()
            guard position < count else { throw fail("unexpected end in object") }
            let c = base[position]
            position += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return object }
            position -= 1
            throw fail("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> [JSONValue] {
        guard depth <= JSONScanner.maxDepth else { throw fail("nesting deeper than \(JSONScanner.maxDepth)") }
        position += 1  // [
        var array: [JSONValue] = []
        skipWhitespace()
        if position < count, base[position] == UInt8(ascii: "]") {
            position += 1
            return array
        }
        while true {
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < count else { throw fail("unexpected end in array") }
            let c = base[position]
            position += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { return array }
            position -= 1
            throw fail("expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < count, isDigit(base[position]) else { throw fail("invalid number") }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < count, isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: ".") {
            position += 1
            guard position < count, isDigit(base[position]) else { throw fail("invalid number: digit expected after '.'") }
            while position < count, isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
            guard position < count, isDigit(base[position]) else { throw fail("invalid number: digit expected in exponent") }
            while position < count, isDigit(base[position]) { position += 1 }
        }
        let literal = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        return JSONNumber(uncheckedLiteral: literal)
    }

    @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    // MARK: Strings

    /// The string at `position` through the repairing path and a reusable scratch buffer: for object keys
    /// and for strings holding invalid UTF-8.
    mutating func parseShortString() throws(JSONParseError) -> String {
        var buffer: [UInt8] = []
        swap(&buffer, &scratch)  // reuse the scratch capacity without overlapping access to self
        defer { swap(&buffer, &scratch) }
        buffer.removeAll(keepingCapacity: true)
        try parseStringBytes(appendingTo: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Parses the string at `position` (which is a quote) and returns its bytes in a new array.
    ///
    /// Raw bytes are copied eight at a time up to the next quote, backslash or control byte (found with
    /// a word mask), escapes are decoded in place, and the finished output is checked for valid UTF-8 in
    /// one call. The output never outgrows the input (escapes only shrink), so it is written into one
    /// allocation sized by the closing quote. On invalid UTF-8 the repairing path redoes the string.
    ///
    /// `boundedByLine` sizes the output by the rest of the buffer instead of finding the closing quote
    /// first: one pass less for a string that fills most of its line (a JSONL document's text).
    mutating func parseStringBytes(boundedByLine: Bool = false) throws(JSONParseError) -> [UInt8] {
        let start = position + 1
        var scan = StringScan(written: 0, end: start, outcome: .needsRepair)
        let capacity = boundedByLine ? count - start + 8 : stringCapacity(from: start)
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
            scan = scanString(from: start, into: UnsafeMutableRawPointer(out.baseAddress!))
            initialized = scan.written
        }
        switch scan.outcome {
        case .done:
            position = scan.end
            return bytes
        case .failed(let error):
            position = error.offset
            throw error
        case .needsRepair:
            position = start - 1
            var repaired: [UInt8] = []
            repaired.reserveCapacity(count - start + 16)
            try parseStringBytes(appendingTo: &repaired)
            return repaired
        }
    }

    /// The string at `position` as a Swift `String`, decoded straight into the string's storage.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = position + 1
        var scan = StringScan(written: 0, end: start, outcome: .needsRepair)
        let string = String(unsafeUninitializedCapacity: stringCapacity(from: start)) { out in
            scan = scanString(from: start, into: UnsafeMutableRawPointer(out.baseAddress!))
            return scan.outcome == .done ? scan.written : 0
        }
        switch scan.outcome {
        case .done:
            position = scan.end
            return string
        case .failed(let error):
            position = error.offset
            throw error
        case .needsRepair:
            position = start - 1
            return try parseShortString()
        }
    }

    /// Output room for the string whose content starts at `start`: its raw length plus eight bytes of
    /// slack, since word stores may write past the closing quote.
    @inline(__always) func stringCapacity(from start: Int) -> Int {
        closingQuote(from: start) - start + 8
    }

    /// How a fast string scan ended.
    struct StringScan {
        enum Outcome: Equatable { case done, needsRepair, failed(JSONParseError) }
        /// Bytes written to the output.
        var written: Int
        /// Index after the closing quote (when done).
        var end: Int
        var outcome: Outcome
    }

    /// Decodes the string content starting at `start` into `dst`, which has `stringCapacity` bytes.
    /// Stops at invalid UTF-8 (`needsRepair`: the caller takes the repairing path).
    @inline(__always) mutating func scanString(from start: Int, into dst: UnsafeMutableRawPointer) -> StringScan {
        let raw = UnsafeRawPointer(base)
        var i = start
        var o = 0
        while true {
            while i &+ 8 <= count {
                // Copy the word; advance past its plain ASCII prefix (all eight bytes if clean).
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                dst.storeBytes(of: w, toByteOffset: o, as: UInt64.self)
                let special = SWAR.escapeMask(w)
                if special != 0 {
                    let clean = special.trailingZeroBitCount &>> 3
                    i &+= clean
                    o &+= clean
                    break
                }
                i &+= 8
                o &+= 8
            }
            guard i < count else {
                return StringScan(written: o, end: i, outcome: .failed(JSONParseError(offset: i, message: "unterminated string")))
            }
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                // Escapes only produce whole sequences, so the output is valid UTF-8 exactly when the
                // raw bytes were.
                let valid = UTF8Validation.isValid(UnsafeRawBufferPointer(start: dst, count: o))
                return StringScan(written: o, end: i &+ 1, outcome: valid ? .done : .needsRepair)
            }
            if c >= 0x80 {
                // Non-ASCII bytes are copied here and validated in bulk once the string is complete.
                dst.storeBytes(of: c, toByteOffset: o, as: UInt8.self)
                i &+= 1
                o &+= 1
            } else if c == UInt8(ascii: "\\") {
                let e = i &+ 1 < count ? base[i &+ 1] : 0
                let simple: UInt8 = switch e {
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "t"): 0x09
                case UInt8(ascii: "\""): 0x22
                case UInt8(ascii: "\\"): 0x5C
                case UInt8(ascii: "r"): 0x0D
                default: 0  // `\/` too: `decodeEscape` counts it as rewritten
                }
                if simple != 0 {
                    dst.storeBytes(of: simple, toByteOffset: o, as: UInt8.self)
                    i &+= 2
                    o &+= 1
                    continue
                }
                position = i
                do throws(JSONParseError) {
                    o += try decodeEscape(into: dst + o)
                } catch {
                    return StringScan(written: o, end: i, outcome: .failed(error))
                }
                i = position
            } else if c < 0x20 {
                return StringScan(written: o, end: i, outcome: .failed(JSONParseError(offset: i, message: "control character in string")))
            } else {
                dst.storeBytes(of: c, toByteOffset: o, as: UInt8.self)
                i &+= 1
                o &+= 1
            }
        }
    }

    /// The index of the quote that closes a string whose content starts at `start` (one not preceded by
    /// an odd number of backslashes), or `count`. Found with memchr, so it costs little next to parsing,
    /// and it bounds the output of a string without escapes or invalid bytes exactly.
    func closingQuote(from start: Int) -> Int {
        var i = start
        while i < count {
            guard let hit = memchr(base + i, 0x22, count - i) else { return count }
            let q = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            var backslashes = 0
            while q - backslashes - 1 >= start, base[q - backslashes - 1] == 0x5C { backslashes += 1 }
            if backslashes & 1 == 0 { return q }
            i = q + 1
        }
        return count
    }

    /// Decodes the escape at `position` (a backslash) into `out`, returning the bytes written (at most 4,
    /// never more than the escape's own length) and moving `position` past it.
    mutating func decodeEscape(into out: UnsafeMutableRawPointer) throws(JSONParseError) -> Int {
        position += 1
        guard position < count else { throw fail("unterminated escape") }
        let e = base[position]
        position += 1
        let byte: UInt8
        switch e {
        case UInt8(ascii: "\""): byte = 0x22
        case UInt8(ascii: "\\"): byte = 0x5C
        case UInt8(ascii: "/"):
            byte = 0x2F
            rewrittenEscapes += 1
        case UInt8(ascii: "b"): byte = 0x08
        case UInt8(ascii: "f"): byte = 0x0C
        case UInt8(ascii: "n"): byte = 0x0A
        case UInt8(ascii: "r"): byte = 0x0D
        case UInt8(ascii: "t"): byte = 0x09
        case UInt8(ascii: "u"):
            rewrittenEscapes += 1
            return Self.store(try parseUnicodeEscape(), at: out)
        default:
            position -= 1
            throw fail("invalid escape")
        }
        out.storeBytes(of: byte, as: UInt8.self)
        return 1
    }

    /// Appends the unescaped bytes of the string at `position` (a quote) to `output`.
    mutating func parseStringBytes(appendingTo output: inout [UInt8]) throws(JSONParseError) {
        position += 1  // opening quote
        while true {
            let runStart = position
            let stop = scanRun(from: runStart)
            if stop > runStart {
                let run = UnsafeRawBufferPointer(start: base + runStart, count: stop - runStart)
                replacements += UTF8Validation.appendRepairing(run, to: &output)
            }
            position = stop
            guard position < count else { throw fail("unterminated string") }
            let c = base[position]
            if c == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if c < 0x20 { throw fail("control character in string") }
            // Backslash escape.
            position += 1
            guard position < count else { throw fail("unterminated escape") }
            let e = base[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): output.append(0x22)
            case UInt8(ascii: "\\"): output.append(0x5C)
            case UInt8(ascii: "/"):
                output.append(0x2F)
                rewrittenEscapes += 1
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                rewrittenEscapes += 1
                appendScalar(try parseUnicodeEscape(), to: &output)
            default:
                position -= 1
                throw fail("invalid escape")
            }
        }
    }

    /// After `\u`: four hex digits, combining a high and a low surrogate escape into one scalar; a lone
    /// surrogate becomes U+FFFD.
    mutating func parseUnicodeEscape() throws(JSONParseError) -> UInt32 {
        var scalar = try parseHex4()
        if scalar & 0xFC00 == 0xD800 {
            // High surrogate: a low one must follow as another \u escape.
            if count - position >= 6, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") {
                let save = position
                position += 2
                let low = try parseHex4()
                if low & 0xFC00 == 0xDC00 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    position = save  // not a low surrogate: leave it for the next round
                    scalar = 0xFFFD
                    replacements += 1
                }
            } else {
                scalar = 0xFFFD
                replacements += 1
            }
        } else if scalar & 0xFC00 == 0xDC00 {
            scalar = 0xFFFD  // lone low surrogate
            replacements += 1
        }
        return scalar
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard count - position >= 4 else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[position]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    @inline(__always) func appendScalar(_ s: UInt32, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 4, alignment: 1) { buffer in
            let n = Self.store(s, at: buffer.baseAddress!)
            output.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: n))
        }
    }

    /// Writes the UTF-8 form of scalar `s` at `p`, returning its length (1 to 4).
    @inline(__always) static func store(_ s: UInt32, at p: UnsafeMutableRawPointer) -> Int {
        switch s {
        case 0..<0x80:
            p.storeBytes(of: UInt8(s), as: UInt8.self)
            return 1
        case 0x80..<0x800:
            p.storeBytes(of: UInt8(0xC0 | s >> 6), as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s & 0x3F), toByteOffset: 1, as: UInt8.self)
            return 2
        case 0x800..<0x10000:
            p.storeBytes(of: UInt8(0xE0 | s >> 12), as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s >> 6 & 0x3F), toByteOffset: 1, as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s & 0x3F), toByteOffset: 2, as: UInt8.self)
            return 3
        default:
            p.storeBytes(of: UInt8(0xF0 | s >> 18), as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s >> 12 & 0x3F), toByteOffset: 1, as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s >> 6 & 0x3F), toByteOffset: 2, as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s & 0x3F), toByteOffset: 3, as: UInt8.self)
            return 4
        }
    }

    /// The index of the first byte at or after `start` that is a quote, a backslash or a control
    /// character (or `count`). Checks eight bytes per step.
    @inline(__always) func scanRun(from start: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 8 <= count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if SWAR.hasQuoteBackslashOrControl(w) { break }
            i += 8
        }
        while i < count {
            let c = base[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { return i }
            i += 1
        }
        return i
    }
}

/// Byte-parallel tests on 64-bit words (eight bytes at once).
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// True if some byte of `w` is zero (exact: no false positives).
    @inline(__always) static func hasZeroByte(_ w: UInt64) -> Bool {
        ((w &- ones) & ~w & highs) != 0
    }

    /// True if some byte is below 0x20; bytes >= 0x80 never count.
    @inline(__always) static func hasControlByte(_ w: UInt64) -> Bool {
        ((w &- ones &* 0x20) & ~w & highs) != 0
    }

    /// High bits set for the bytes that end a raw run in a JSON string: `"`, `\` and bytes below 0x20
    /// (bytes >= 0x80 do not count). Only the lowest set bit is exact (borrows can flag bytes above it),
    /// which is all a scanner needs to find the first such byte (little-endian loads).
    @inline(__always) static func escapeMask(_ w: UInt64) -> UInt64 {
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        return ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w) & highs
    }

    /// True if some byte is `"`, `\` or below 0x20.
    @inline(__always) static func hasQuoteBackslashOrControl(_ w: UInt64) -> Bool {
        hasZeroByte(w ^ (ones &* 0x22)) || hasZeroByte(w ^ (ones &* 0x5C)) || hasControlByte(w)
    }
}

extension JSONObject {
    /// Adds a parsed member. A repeated key keeps its first position and its last value, as Python's
    /// `json` does. Large objects get a key index so that a hostile line cannot make this quadratic.
    mutating func appendKeepingLast(key: String, value: JSONValue, index: inout [String: Int]?) {
        // Indexes `entries` directly (no local copy, which would make the appends below copy the array).
        if entries.count < 16 {
            for i in 0..<entries.count where entries[i].key == key {
                replaceValue(at: i, with: value)
                return
            }
            append(key: key, value: value)
            return
        }
        if index == nil {
            var built: [String: Int] = [:]
            for i in 0..<entries.count where built[entries[i].key] == nil { built[entries[i].key] = i }
            index = built
        }
        if let i = index![key] {
            replaceValue(at: i, with: value)
        } else {
            index![key] = entries.count
            append(key: key, value: value)
        }
    }
}
