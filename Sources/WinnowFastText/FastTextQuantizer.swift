/// What `FastTextQuantizer` does: the options of `fasttext quantize`, with its defaults.
public struct FastTextQuantizationOptions: Sendable, Equatable {
    /// Keep only this many input rows, those with the largest norms (`-cutoff`; 0: keep all).
    public var cutoff = 0
    /// Floats per sub-vector of the product quantizer (`-dsub`).
    public var dsub = 2
    /// Quantize the row norms separately (`-qnorm`).
    public var qnorm = false
    /// Quantize the output matrix too (`-qout`; fastText requires at least 256 labels for it).
    public var qout = false
    /// After the cutoff, train the kept rows again on the training text (`-retrain`).
    public var retrain = false
    /// Retraining: passes (`-epoch`), learning rate (`-lr`), threads (`-thread`) and seed. The seed is 0 in
    /// fastText (a `.bin` does not record the seed it was trained with).
    public var epoch = 5
    public var learningRate = 0.05
    public var threads = 1
    public var seed = 0

    public init() {}
}

/// A quantized supervised model, as `.ftz` files hold it.
public struct FastTextQuantizedModel: Sendable {
    public internal(set) var header: FastTextModel.Header
    var dictionary: FastTextDictionary
    var input: QuantizedMatrixData
    /// The output matrix, dense unless `quantizedOutput` is set.
    var denseOutput: [Float]
    var quantizedOutput: QuantizedMatrixData?

    public var wordCount: Int { dictionary.wordCount }
    public var labelCount: Int { dictionary.labelCount }
    /// Kept n-gram buckets (-1: not pruned).
    public var pruneIndexSize: Int { dictionary.pruneIndexSize }
    public var inputRows: Int { input.rows }

    func serialized() -> FastTextModelWriter {
        var w = FastTextModelWriter()
        w.appendHeader(header)
        w.appendDictionary(dictionary)
        w.append(true)
        w.appendQuantized(input)
        w.append(quantizedOutput != nil)
        if let q = quantizedOutput {
            w.appendQuantized(q)
        } else {
            w.appendDense(rows: dictionary.labelCount, cols: Int(header.dim), denseOutput)
        }
        return w
    }

    /// Writes an `.ftz` that fastText (and `FastTextModel`) loads.
    public func write(to path: String) throws {
        try serialized().write(to: path)
    }
}

/// Quantizes supervised models as `fasttext quantize` does (`FastText::quantize`).
///
/// With a `cutoff`, the input rows with the largest L2 norms are kept (`</s>` first, then by norm, sorted with
/// libstdc++'s `std::sort` as fastText's `selectEmbeddings`); the dictionary keeps the chosen words and maps
/// each chosen n-gram bucket to its new row (the prune index). With `retrain`, the pruned model is trained
/// again on the text. Then the input matrix (and with `qout` the output matrix, with `dsub` 2) is
/// product-quantized, optionally with quantized norms. Everything is drawn from fastText's generators, so
/// codes, centroids and the dictionary are those of `fasttext quantize` (with `-thread 1` when retraining);
/// only the prune index is written in row order, where fastText writes its hash map's order.
public enum FastTextQuantizer {
    public static func quantize(_ model: FastTextDenseModel, options o: FastTextQuantizationOptions,
                                retrainText: FastTextTrainingText? = nil) throws -> FastTextQuantizedModel {
        guard o.dsub > 0 else { throw FastTextTrainingError.invalidOption("dsub must be positive") }
        guard o.cutoff >= 0 else { throw FastTextTrainingError.invalidOption("cutoff must not be negative") }
        if o.retrain && o.cutoff > 0 && retrainText == nil {
            throw FastTextTrainingError.invalidOption("retraining needs the training text (--input)")
        }
        var header = model.header
        var dictionary = model.dictionary
        let dim = model.dim
        var input = model.input
        var output = model.output
        var rows = model.inputRows
        if o.cutoff > 0 && o.cutoff < rows {
            var keep = selectEmbeddings(model, cutoff: o.cutoff)
            dictionary.prune(keeping: &keep)
            var pruned = [Float](repeating: 0, count: keep.count * dim)
            for (i, row) in keep.enumerated() {
                for j in 0..<dim { pruned[i * dim + j] = input[Int(row) * dim + j] }
            }
            input = pruned
            rows = keep.count
            if o.retrain, let text = retrainText {
                guard o.threads >= 1, o.epoch >= 0, o.learningRate > 0 else {
                    throw FastTextTrainingError.invalidOption("retraining needs threads >= 1, epoch >= 0 and a positive lr")
                }
                header.epoch = Int32(o.epoch)
                let sgd = FastTextSGD(dim: dim, loss: header.loss, labelCounts: dictionary.labelCounts, epoch: o.epoch,
                                      learningRate: o.learningRate, learningRateUpdateRate: Int(header.lrUpdateRate),
                                      threads: o.threads, seed: o.seed)
                try sgd.train(dictionary: dictionary, text: text, input: &input, output: &output)
            }
        }
        let quantizedInput = try QuantizedMatrixData(dense: input, rows: rows, cols: dim, dsub: o.dsub, qnorm: o.qnorm)
        var quantizedOutput: QuantizedMatrixData? = nil
        if o.qout {
            quantizedOutput = try QuantizedMatrixData(dense: output, rows: dictionary.labelCount, cols: dim, dsub: 2, qnorm: o.qnorm)
        }
        return FastTextQuantizedModel(header: header, dictionary: dictionary, input: quantizedInput,
                                      denseOutput: quantizedOutput == nil ? output : [], quantizedOutput: quantizedOutput)
    }

    /// fastText's `selectEmbeddings`: `</s>` first, then rows by decreasing L2 norm (summed in double,
    /// rounded to float), the first `cutoff` of them.
    static func selectEmbeddings(_ model: FastTextDenseModel, cutoff: Int) -> [Int32] {
        let dim = model.dim, rows = model.inputRows
        var norms = [Float](repeating: 0, count: rows)
        model.input.withUnsafeBufferPointer { m in
            for i in 0..<rows {
                var sum = 0.0
                for j in 0..<dim {
                    let v = m[i * dim + j]
                    sum += Double(v * v)
                }
                norms[i] = Float(sum.squareRoot())
            }
        }
        let eos = FastTextDictionary.endOfSentence.withUnsafeBytes {
            model.dictionary.find($0, hash: FastTextDictionary.endOfSentenceHash)
        }
        var index = Array(0..<Int32(rows))
        norms.withUnsafeBufferPointer { n in
            StandardLibrarySort.sort(&index) { a, b in
                if a == eos && b == eos { return false }
                return a == eos || (b != eos && n[Int(a)] > n[Int(b)])
            }
        }
        index.removeSubrange(cutoff...)
        return index
    }
}
