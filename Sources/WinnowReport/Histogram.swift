import Foundation

/// Equal-width bins over the pooled values of two samples (before and after a step), on a linear or
/// logarithmic axis, so both samples are counted in the same bins.
struct Histogram {
    enum Scale { case linear, logarithmic }

    var edges: [Double]
    var before: [Int]
    var after: [Int]
    var scale: Scale

    init(before beforeValues: [Double], after afterValues: [Double], scale: Scale, binCount: Int = 30) {
        self.scale = scale
        let transform: (Double) -> Double = scale == .logarithmic ? { log10(max($0, 1)) } : { $0 }
        let pooled = (beforeValues + afterValues).map(transform)
        let low = pooled.min() ?? 0
        var high = pooled.max() ?? 1
        if high <= low { high = low + 1 }
        let width = (high - low) / Double(binCount)
        edges = (0...binCount).map { low + Double($0) * width }
        func count(_ values: [Double]) -> [Int] {
            var bins = [Int](repeating: 0, count: binCount)
            for v in values {
                let i = Int((transform(v) - low) / width)
                bins[min(max(i, 0), binCount - 1)] += 1
            }
            return bins
        }
        before = count(beforeValues)
        after = count(afterValues)
    }

    /// An axis value back on the data's scale.
    func value(atEdge i: Int) -> Double { scale == .logarithmic ? pow(10, edges[i]) : edges[i] }
}

/// Numbers as the page prints them.
enum Format {
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func bytes(_ n: Int) -> String {
        let v = Double(n)
        if v >= 1e9 { return String(format: "%.2f GB", v / 1e9) }
        if v >= 1e6 { return String(format: "%.2f MB", v / 1e6) }
        if v >= 1e3 { return String(format: "%.1f kB", v / 1e3) }
        return "\(n) B"
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e4 { return String(Int(v)) }
        let a = abs(v)
        if a >= 1e9 { return String(format: "%.3gG", v / 1e9) }
        if a >= 1e6 { return String(format: "%.3gM", v / 1e6) }
        if a >= 1e4 { return String(format: "%.3gk", v / 1e3) }
        if a >= 100 { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : String(format: "%.1f%%", 100 * Double(part) / Double(whole))
    }

    static func seconds(_ s: Double) -> String {
        s >= 120 ? String(format: "%.1f min", s / 60) : String(format: "%.2f s", s)
    }
}
