#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fasttext predict-prob` over a stream: one output line per input line, `__label__xx 0.987654 ...`
/// (labels and probabilities with C++ `ostream`'s default 6 significant digits), an empty line when a line
/// has no prediction. Lines end at `\n`; a line ending in `\n` gets the `</s>` token, a last line without
/// one does not, as in fastText.
public struct FastTextLinePredictor {
    public var predictor: FastTextPredictor
    public var k: Int
    public var threshold: Float
    private var results: [FastTextPrediction] = []
    private var labelBytes: [[UInt8]]

    public init(model: FastTextModel, k: Int = 1, threshold: Float = 0) {
        predictor = FastTextPredictor(model: model)
        self.k = k
        self.threshold = threshold
        labelBytes = model.labels.map { Array($0.utf8) }
    }

    /// Reads `input` to its end and writes predictions to `output` (file descriptors).
    public mutating func run(input: Int32, output: Int32) throws {
        try run(read: { buffer in
            while true {
                let n = read(input, buffer.baseAddress!, buffer.count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw LangIDToolError("read failed: \(String(cString: strerror(errno)))")
            }
        }, output: output)
    }

    /// Reads bytes with `read` (which fills a buffer and returns the count, 0 at the end) and writes
    /// predictions to the file descriptor `output`.
    public mutating func run(read: (UnsafeMutableRawBufferPointer) throws -> Int, output: Int32) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try read($0) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { all in
                let chunk = UnsafeRawBufferPointer(rebasing: all[0..<n])
                var start = 0
                while let nl = Self.newline(in: chunk, from: start) {
                    if pending.isEmpty {
                        predictLine(UnsafeRawBufferPointer(rebasing: chunk[start..<nl]), endOfLine: true, into: &out)
                    } else {
                        pending.append(contentsOf: chunk[start..<nl])
                        pending.withUnsafeBytes { predictLine($0, endOfLine: true, into: &out) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    start = nl + 1
                    if out.count >= 1 << 16 { try Self.write(&out, to: output) }
                }
                pending.append(contentsOf: chunk[start...])
            }
        }
        if !pending.isEmpty {
            pending.withUnsafeBytes { predictLine($0, endOfLine: false, into: &out) }
        }
        try Self.write(&out, to: output)
    }

    /// Appends the prediction line for one input line (without its `\n`) to `out`.
    public mutating func predictLine(_ line: UnsafeRawBufferPointer, endOfLine: Bool, into out: inout [UInt8]) {
        let labels = labelBytes
        predictLine(line, endOfLine: endOfLine) { results in
            for (i, p) in results.enumerated() {
                if i > 0 { out.append(0x20) }
                out.append(contentsOf: labels[p.label])
                out.append(0x20)
                FloatFormat.appendShortest6(p.probability, to: &out)
            }
            out.append(0x0A)
        }
    }

    /// Predicts one input line (without its `\n`), calling `body` once per output line: once, or more when
    /// the line holds a literal `</s>` token, after which fastText's CLI reads the rest as another line.
    public mutating func predictLine(_ line: UnsafeRawBufferPointer, endOfLine: Bool, _ body: ([FastTextPrediction]) -> Void) {
        var rest = line
        while true {
            predictor.predict(rest, k: k, threshold: threshold, endOfLine: endOfLine, into: &results)
            body(results)
            guard let stop = predictor.stoppedAt else { return }
            // The separator after the token is consumed with it.
            let next = min(stop + 1, rest.count)
            if next == rest.count && !endOfLine { return }
            rest = UnsafeRawBufferPointer(rebasing: rest[next...])
        }
    }

    private static func newline(in chunk: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < chunk.count else { return nil }
        guard let p = memchr(chunk.baseAddress! + start, 0x0A, chunk.count - start) else { return nil }
        return UnsafeRawPointer(p) - chunk.baseAddress!
    }

    static func write(_ out: inout [UInt8], to fd: Int32) throws {
        var offset = 0
        while offset < out.count {
            let n = out.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LangIDToolError("write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        out.removeAll(keepingCapacity: true)
    }
}

public struct LangIDToolError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Number formatting as C++ `std::ostream << float` with the default precision: `printf("%g")`, six
/// significant digits, trailing zeros removed. Probabilities take an exact integer path (the float's binary
/// value times a power of ten, rounded half to even, as glibc rounds); other values go through `vsnprintf`.
enum FloatFormat {
    static func appendShortest6(_ value: Float, to out: inout [UInt8]) {
        if value.isNormal, value > 0, value >= 1e-20, value < 1e5, appendFast(value, to: &out) { return }
        appendPrintf(value, to: &out)
    }

    static func appendPrintf(_ value: Float, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buf in
            let n = withVaList([Double(value)]) { vsnprintf(buf.baseAddress!, 32, "%g", $0) }
            buf.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: 32) { p in
                out.append(contentsOf: UnsafeBufferPointer(start: p, count: Int(min(n, 31))))
            }
        }
    }

    private static let powersOfTen: [UInt128] = (0...30).map { n in (0..<n).reduce(UInt128(1)) { r, _ in r * 10 } }

    /// `value * 10^scale` rounded half to even, exactly; nil when out of the fast path's range.
    private static func scaled(_ value: Float, _ scale: Int) -> UInt64? {
        guard scale >= 0, scale <= 30 else { return nil }
        let m = UInt128((1 as UInt32) << 23 | value.significandBitPattern)
        let shift = 23 - Int(value.exponent)   // value = m / 2^shift
        guard shift > 0, shift < 127 else { return nil }
        let n = m * powersOfTen[scale]
        let q = n >> shift, r = n & ((1 << shift) - 1), half = UInt128(1) << (shift - 1)
        let rounded = r > half || (r == half && q & 1 == 1) ? q + 1 : q
        return rounded <= UInt128(UInt64.max) ? UInt64(rounded) : nil
    }

    private static func appendFast(_ value: Float, to out: inout [UInt8]) -> Bool {
        var e = Int(floor(log10(Double(value))))
        guard var n = scaled(value, 5 - e) else { return false }
        if n >= 1_000_000 {
            e += 1
            guard let m = scaled(value, 5 - e) else { return false }
            n = m
        } else if n < 100_000 {
            e -= 1
            guard let m = scaled(value, 5 - e) else { return false }
            n = m
            if n >= 1_000_000 { e += 1; n /= 10 }
        }
        // Six digits, most significant first; keep those before the trailing zeros.
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var x = n
            for i in stride(from: 5, through: 0, by: -1) { d[i] = UInt8(x % 10); x /= 10 }
        }
        return withUnsafeBytes(of: &digits) { d -> Bool in
            var last = 5
            while last > 0 && d[last] == 0 { last -= 1 }
            if e < -4 || e >= 6 {
                out.append(0x30 + d[0])
                if last > 0 {
                    out.append(0x2E)
                    for i in 1...last { out.append(0x30 + d[i]) }
                }
                out.append(0x65)
                out.append(e < 0 ? 0x2D : 0x2B)
                let a = abs(e)
                if a >= 100 { out.append(0x30 + UInt8(a / 100)) }
                out.append(0x30 + UInt8(a / 10 % 10))
                out.append(0x30 + UInt8(a % 10))
            } else if e >= 0 {
                for i in 0...e { out.append(0x30 + d[i]) }
                if last > e {
                    out.append(0x2E)
                    for i in (e + 1)...last { out.append(0x30 + d[i]) }
                }
            } else {
                out.append(0x30)
                out.append(0x2E)
                for _ in 0..<(-e - 1) { out.append(0x30) }
                for i in 0...last { out.append(0x30 + d[i]) }
            }
            return true
        }
    }

    static func string(_ value: Float) -> String {
        var out: [UInt8] = []
        appendShortest6(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
