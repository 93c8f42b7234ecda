/// What `FastTextTrainer` trains: the hyperparameters of `fasttext supervised`, with its defaults.
public struct FastTextTrainingOptions: Sendable, Equatable {
    /// Size of the word vectors (`-dim`).
    public var dim = 100
    /// Passes over the text (`-epoch`).
    public var epoch = 5
    /// Starting learning rate (`-lr`), decaying linearly to 0 over the run: `lr * (1 - progress)`. Used as given;
    /// fastText's CLI reads a `-lr` argument as a float (`std::stof`), so `Double(Float(x))` is what
    /// `fasttext supervised -lr x` uses (`winnow langid train --lr` does the same).
    public var learningRate = 0.1
    /// Tokens a thread reads before it publishes its progress (`-lrUpdateRate`).
    public var learningRateUpdateRate = 100
    /// Longest word n-gram (`-wordNgrams`; 1: words only).
    public var wordNgrams = 1
    /// Character n-gram lengths, in UTF-8 characters of `<word>` (`-minn`, `-maxn`; maxn 0: none).
    public var minn = 0, maxn = 0
    /// Hash buckets shared by character and word n-grams (`-bucket`); 0 when there are neither, as fastText does.
    public var bucket = 2_000_000
    /// Words seen fewer times are dropped (`-minCount`); labels likewise (`-minCountLabel`).
    public var minCount = 1, minCountLabel = 0
    /// softmax, hierarchicalSoftmax or oneVsAll (`-loss softmax|hs|ova`).
    public var loss: FastTextModel.Loss = .softmax
    /// Training threads (`-thread`). With 1 the model is a function of the text and options (byte-identical
    /// across runs and equal to `fasttext supervised -thread 1`); with more, threads update the shared
    /// matrices without locks (Hogwild, as fastText) and runs differ.
    public var threads = 1
    /// Seeds the input matrix and each thread's generator (`-seed`; `std::minstd_rand` turns 0 into 1, so seeds 0
    /// and 1 train the same model, as in fastText).
    public var seed = 0
    /// Tokens starting with this are labels (`-label`).
    public var labelPrefix = "__label__"

    public init() {}

    /// The bucket count fastText uses: 0 when there are no n-grams to hash.
    var effectiveBucket: Int { wordNgrams <= 1 && maxn == 0 ? 0 : bucket }

    func validate() throws {
        func check(_ ok: Bool, _ why: String) throws { if !ok { throw FastTextTrainingError.invalidOption(why) } }
        try check(dim > 0 && dim <= 1 << 16, "dim must be between 1 and 65536")
        try check(epoch >= 0, "epoch must not be negative")
        try check(learningRate > 0 && learningRate.isFinite, "lr must be positive")
        try check(learningRateUpdateRate > 0, "lr-update-rate must be positive")
        try check(wordNgrams >= 1, "word-ngrams must be at least 1")
        try check(minn >= 0 && maxn >= 0 && (maxn == 0 || minn <= maxn), "minn must not exceed maxn")
        try check(bucket >= 0 && bucket <= Int(Int32.max), "bucket must be between 0 and 2^31-1")
        try check(effectiveBucket > 0 || (wordNgrams <= 1 && maxn == 0), "n-grams need a positive bucket count")
        try check(threads >= 1 && threads <= 1024, "threads must be between 1 and 1024")
        try check(!labelPrefix.isEmpty, "the label prefix must not be empty")
        try check([.softmax, .hierarchicalSoftmax, .oneVsAll].contains(loss), "loss must be softmax, hs or ova")
    }
}

/// Trains supervised fastText classifiers (`fasttext supervised`) from fastText-format text.
///
/// The dictionary, the initialization, the order of the examples and every floating-point operation
/// follow fastText 0.9.2 (`FastText::train`, `trainThread`, `Model::update`, the losses), so one thread
/// gives the same model, byte for byte, as `fasttext supervised ... -thread 1` with the same options.
/// The result is written as a `.bin` (`FastTextDenseModel.write(to:)`) and quantized by `FastTextQuantizer`.
///
/// fastText's initialization is kept as it is: the input matrix is split into tenths and thread `i`
/// (`i < threads`) fills tenth `i` with uniform values in `[-1/dim, 1/dim]` from a generator seeded
/// `seed + i`; the rest stays 0 (with one thread only the first tenth, which holds the words unless the
/// vocabulary is large; the zero rows learn from the first update on). The output matrix starts at 0.
public struct FastTextTrainer: Sendable {
    public var options: FastTextTrainingOptions

    public init(options: FastTextTrainingOptions) {
        self.options = options
    }

    /// Builds the dictionary from `text` and trains on it.
    public func train(_ text: FastTextTrainingText) throws -> FastTextDenseModel {
        try options.validate()
        let o = options
        let dictionary = try FastTextDictionary(text: text.bytes, labelPrefix: Array(o.labelPrefix.utf8),
                                                minCount: o.minCount, minCountLabel: o.minCountLabel,
                                                minn: o.minn, maxn: o.maxn, bucket: o.effectiveBucket, wordNgrams: o.wordNgrams)
        guard dictionary.labelCount > 0 else { throw FastTextTrainingError.noLabels }
        let rows = dictionary.wordCount + o.effectiveBucket
        var input = [Float](repeating: 0, count: rows * o.dim)
        Self.initialize(&input, dim: o.dim, threads: o.threads, seed: o.seed)
        var output = [Float](repeating: 0, count: dictionary.labelCount * o.dim)
        let run = FastTextSGD(dim: o.dim, loss: o.loss, labelCounts: dictionary.labelCounts, epoch: o.epoch,
                              learningRate: o.learningRate, learningRateUpdateRate: o.learningRateUpdateRate,
                              threads: o.threads, seed: o.seed)
        try run.train(dictionary: dictionary, text: text, input: &input, output: &output)
        let header = FastTextModel.Header(
            version: 12, dim: Int32(o.dim), ws: 5, epoch: Int32(o.epoch), minCount: Int32(o.minCount), neg: 5,
            wordNgrams: Int32(o.wordNgrams), loss: o.loss, model: .supervised, bucket: Int32(o.effectiveBucket),
            minn: Int32(o.minn), maxn: Int32(o.maxn), lrUpdateRate: Int32(o.learningRateUpdateRate), t: 1e-4)
        return FastTextDenseModel(header: header, dictionary: dictionary, input: input, output: output)
    }

    /// fastText's `DenseMatrix::uniform(1/dim, threads, seed)`: tenth `i` of the matrix, for `i < threads`
    /// (only tenth 0 with one thread), from `std::minstd_rand(seed + i)` and
    /// `std::uniform_real_distribution<double>(-a, a)` with `a = float(1/dim)`.
    static func initialize(_ matrix: inout [Float], dim: Int, threads: Int, seed: Int) {
        let a = Double(Float(1.0 / Double(dim)))
        let total = matrix.count
        let block = total / 10
        for b in 0..<max(threads, 1) {
            var rng = MinstdRandom(seed: b + seed)
            var i = block * b
            while i < total && i < block * (b + 1) {
                matrix[i] = Float(rng.uniform(-a, a))
                i += 1
            }
        }
    }
}
