import WinnowCore
import WinnowFastText
import WinnowWordRules

/// The training text for a quality classifier: one fastText line per document, `__label__<label> <text>`, the
/// text prepared exactly as `classifier_filter` prepares it for prediction (Python-stripped, newlines replaced by
/// `newlineReplacement`), so training and filtering see the same input. `shuffled(seed:)` orders the lines by a
/// seeded permutation: fastText learns in file order with a decaying learning rate, so all positives followed by
/// all negatives would bias the model towards the last label.
public struct ClassifierTrainingSet {
    private var text: [UInt8] = []
    private var lineStarts: [Int] = []
    public let newlineReplacement: [UInt8]
    public private(set) var counts: [String: Int] = [:]

    public init(newlineReplacement: String = "") {
        self.newlineReplacement = Array(newlineReplacement.utf8)
    }

    /// Adds a document under `label` (without `__label__`). Documents that are empty after stripping are skipped.
    public mutating func add(_ document: Document, label: String) {
        document.text.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            let (s, e) = UTF8Scan.strip(p, 0, b.count)
            guard s < e else { return }
            lineStarts.append(text.count)
            text.append(contentsOf: Array("__label__\(label) ".utf8))
            for i in s..<e {
                let c = p[i]
                // A line break would end the fastText line: newlines become the replacement, other breaks spaces.
                if c == 0x0A { text.append(contentsOf: newlineReplacement) } else if c == 0x0D { text.append(0x20) } else { text.append(c) }
            }
            text.append(0x0A)
        }
        counts[label, default: 0] += 1
    }

    /// The lines in a seeded random order (the same for a seed on every machine), as fastText training text.
    public func shuffled(seed: UInt64) -> FastTextTrainingText {
        var order = Array(lineStarts.indices)
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        for k in order {
            let end = k + 1 < lineStarts.count ? lineStarts[k + 1] : text.count
            out.append(contentsOf: text[lineStarts[k]..<end])
        }
        return FastTextTrainingText(bytes: out)
    }
}
