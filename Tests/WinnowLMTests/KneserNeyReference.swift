import WinnowTestSupport
import Foundation

/// Test-side helpers for the Kneser-Ney trainer, written independently of the code under test: an ARPA
/// parser into dictionaries with a back-off evaluator in Double, and a direct, dictionary-based
/// interpolated modified Kneser-Ney estimator that follows the textbook definitions (Chen & Goodman)
/// with lmplz's conventions for `<s>`, `</s>` and `<unk>`.
struct ARPADictionary {
    /// entries[n - 1]["w1 w2 ..."] = (log10 probability, log10 back-off)
    var entries: [[String: (prob: Double, backoff: Double)]] = []
    var order: Int { entries.count }

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var section = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("ngram ") {
                entries.append([:])
                continue
            }
            if line.hasPrefix("\\") {
                if line.hasSuffix("-grams:") { section = Int(line.dropFirst().prefix { $0.isNumber })! }
                continue
            }
            guard section > 0 else { continue }
            let fields = line.split(separator: "\t").map(String.init)
            let backoff = fields.count > 2 ? Double(fields[2])! : 0
            entries[section - 1][fields[1]] = (Double(fields[0])!, backoff)
        }
    }

    var vocabulary: [String] { Array(entries[0].keys) }

    /// log10 p(word | context) with back-off (context oldest first), in Double.
    func log10Probability(_ word: String, context: [String]) -> Double {
        let context = Array(context.suffix(order - 1))
        var backoff = 0.0
        for start in 0...context.count {
            let history = context[start...]
            let ngram = (history + [word]).joined(separator: " ")
            if let hit = entries[history.count][ngram] { return hit.prob + backoff }
            if !history.isEmpty, let ctx = entries[history.count - 1][history.joined(separator: " ")] {
                backoff += ctx.backoff
            }
        }
        return entries[0]["<unk>"]!.prob + backoff
    }
}

/// Direct interpolated modified Kneser-Ney with lmplz's conventions, from the definitions:
/// occurrences of every order in `<s> words </s>` (n-grams may start with one `<s>` at most); adjusted
/// count = raw count for the highest order and for n-grams starting with `<s>`, else the number of distinct
/// words seen before; discounts from the counts of adjusted counts 1-4 per order; the unigram level
/// interpolates with a uniform distribution over the vocabulary without `<s>`; `<s>` has probability 1.
struct NaiveKneserNey {
    var order: Int
    /// probabilities[n - 1][ngram] and backoffs[n - 1][ngram] in natural (not log) space.
    var probabilities: [[String: Double]] = []
    var backoffs: [[String: Double]] = []
    var discounts: [(Double, Double, Double)] = []

    init(sentences: [[String]], order: Int, fallback: (Double, Double, Double)? = nil) {
        self.order = order
        var raw = [[[String]: Int]](repeating: [:], count: order)
        var vocabulary: Set<String> = ["<unk>", "<s>", "</s>"]
        for words in sentences {
            let t = ["<s>"] + words + ["</s>"]
            vocabulary.formUnion(words)
            for j in 1..<t.count {
                for n in 1...order where j - n + 1 >= 0 {
                    raw[n - 1][Array(t[(j - n + 1)...j]), default: 0] += 1
                }
            }
        }
        // Adjusted counts.
        var adjusted = [[[String]: Int]](repeating: [:], count: order)
        for n in 1...order {
            for (g, c) in raw[n - 1] {
                if n == order || g[0] == "<s>" {
                    adjusted[n - 1][g] = c
                } else {
                    adjusted[n - 1][g] = 0
                }
            }
            if n < order {
                for g in raw[n].keys {  // each distinct (n+1)-gram v g adds one left word to g
                    let suffix = Array(g.dropFirst())
                    if suffix[0] != "<s>" { adjusted[n - 1][suffix]! += 1 }
                }
            }
        }
        adjusted[0][["<unk>"]] = 0
        adjusted[0][["<s>"]] = 0
        // Discounts.
        for n in 1...order {
            var c = [0, 0, 0, 0, 0]
            for a in adjusted[n - 1].values where a >= 1 && a <= 4 { c[a] += 1 }
            var d: (Double, Double, Double)? = nil
            if c[1] > 0, c[2] > 0, c[3] > 0 {
                let y = Double(c[1]) / Double(c[1] + 2 * c[2])
                let d1 = 1 - 2 * y * Double(c[2]) / Double(c[1])
                let d2 = 2 - 3 * y * Double(c[3]) / Double(c[2])
                let d3 = 3 - 4 * y * Double(c[4]) / Double(c[3])
                if d1 >= 0, d1 <= 1, d2 >= 0, d2 <= 2, d3 >= 0, d3 <= 3 { d = (d1, d2, d3) }
            }
            discounts.append(d ?? fallback!)
        }
        func discount(_ n: Int, _ a: Int) -> Double {
            a == 0 ? 0 : a == 1 ? discounts[n - 1].0 : a == 2 ? discounts[n - 1].1 : discounts[n - 1].2
        }
        // Per-context sums and weights.
        var denominators = [[[String]: Int]](repeating: [:], count: order)
        var gammas = [[[String]: Double]](repeating: [:], count: order)
        for n in 1...order {
            for (g, a) in adjusted[n - 1] {
                let h = Array(g.dropLast())
                denominators[n - 1][h, default: 0] += a
                gammas[n - 1][h, default: 0] += discount(n, a)
            }
            for (h, total) in denominators[n - 1] { gammas[n - 1][h]! /= Double(total) }
        }
        let uniform = 1 / Double(vocabulary.count - 1)
        probabilities = [[String: Double]](repeating: [:], count: order)
        backoffs = [[String: Double]](repeating: [:], count: order)
        var byGram = [[[String]: Double]](repeating: [:], count: order)
        for n in 1...order {
            for (g, a) in adjusted[n - 1] {
                let h = Array(g.dropLast())
                let lower = n == 1 ? uniform : byGram[n - 2][Array(g.dropFirst())]!
                var p = (Double(a) - discount(n, a)) / Double(denominators[n - 1][h]!) + gammas[n - 1][h]! * lower
                if g == ["<s>"] { p = 1 }
                byGram[n - 1][g] = p
                probabilities[n - 1][g.joined(separator: " ")] = p
                var backoff = 1.0
                if n < order, g.last != "</s>", g.last != "<unk>", let gamma = gammas[n][g] { backoff = gamma }
                backoffs[n - 1][g.joined(separator: " ")] = backoff
            }
        }
    }
}
