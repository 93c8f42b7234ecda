/// The three discounts of modified Kneser-Ney smoothing for one order: D1 for n-grams of (adjusted) count
/// 1, D2 for count 2 and D3+ for counts of 3 and more.
public struct KneserNeyDiscount: Sendable, Equatable, CustomStringConvertible {
    public var d1: Double
    public var d2: Double
    public var d3Plus: Double

    public init(d1: Double, d2: Double, d3Plus: Double) {
        self.d1 = d1
        self.d2 = d2
        self.d3Plus = d3Plus
    }

    /// lmplz's `--discount_fallback` default: 0.5, 1, 1.5.
    public static let fallback = KneserNeyDiscount(d1: 0.5, d2: 1, d3Plus: 1.5)

    /// Chen and Goodman's estimate (their equation 26) from the number of n-grams with adjusted count 1,
    /// 2, 3 and 4 (`countOfCounts[0...3]`): Y = n1 / (n1 + 2 n2), Dk = k - (k + 1) Y n(k+1) / nk. Nil when
    /// n1, n2 or n3 is 0 or a discount falls outside [0, k], where lmplz stops (or, with
    /// `--discount_fallback`, uses fallback values).
    public init?(countOfCounts n: [UInt64]) {
        precondition(n.count >= 4)
        guard n[0] > 0, n[1] > 0, n[2] > 0 else { return nil }
        let y = Double(n[0]) / (Double(n[0]) + 2 * Double(n[1]))
        var d = [0.0, 0.0, 0.0]
        for k in 1...3 {
            d[k - 1] = Double(k) - Double(k + 1) * y * Double(n[k]) / Double(n[k - 1])
            if d[k - 1] < 0 || d[k - 1] > Double(k) { return nil }
        }
        self.init(d1: d[0], d2: d[1], d3Plus: d[2])
    }

    /// The discount for an adjusted count (0 for 0).
    @inline(__always)
    public func amount(forCount count: UInt64) -> Double {
        switch count {
        case 0: return 0
        case 1: return d1
        case 2: return d2
        default: return d3Plus
        }
    }

    public var description: String { "D1=\(d1) D2=\(d2) D3+=\(d3Plus)" }
}
