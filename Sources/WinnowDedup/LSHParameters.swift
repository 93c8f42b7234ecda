import Foundation

/// Chooses bands x rows for a Jaccard threshold as datasketch's `MinHashLSH` does (`_optimal_param` with
/// weights 0.5/0.5): among all `bands * rows <= permutations`, the pair minimising the false-positive area
/// `integral_0^t P(s) ds` plus the false-negative area `integral_t^1 (1 - P(s)) ds`, where
/// `P(s) = 1 - (1 - s^rows)^bands` is the probability that two documents of Jaccard `s` share a band. The
/// integrals are computed with Simpson's rule on 1000 intervals (datasketch uses scipy's `quad`).
public enum LSHParameters {
    public static func optimal(threshold t: Double, permutations: Int) -> (bands: Int, rows: Int) {
        func integral(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> Double {
            let n = 1000
            let h = (hi - lo) / Double(n)
            var sum = f(lo) + f(hi)
            for i in 1..<n { sum += f(lo + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
            return sum * h / 3
        }
        var best = (bands: 1, rows: 1), bestError = Double.infinity
        for bands in 1...permutations {
            for rows in 1...(permutations / bands) {
                let p = { (s: Double) in 1 - Foundation.pow(1 - Foundation.pow(s, Double(rows)), Double(bands)) }
                let error = 0.5 * integral(0, t, p) + 0.5 * integral(t, 1, { 1 - p($0) })
                if error < bestError { bestError = error; best = (bands, rows) }
            }
        }
        return best
    }
}
