#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// fastText's supervised training loop (`FastText::startThreads`, `trainThread`, `supervised`,
/// `Model::update` and the softmax, hierarchical softmax and one-vs-all losses), in fastText's float
/// arithmetic and order of operations.
///
/// Each thread reads the text from its own starting point (`i * size / threads`, wrapping around at the
/// end), draws from its own `std::minstd_rand(seed + i)` (which label of a multi-label line is the target),
/// and takes one gradient step per line. Progress is the count of tokens read by all threads; the learning
/// rate is `lr * (1 - progress)` and training stops after `epoch` times the dictionary's token count.
struct FastTextSGD: Sendable {
    let dim: Int
    let loss: FastTextModel.Loss
    let labelCount: Int
    let tree: FastTextHuffmanTree?
    let epoch: Int
    let learningRate: Double
    let learningRateUpdateRate: Int
    let threads: Int
    let seed: Int

    init(dim: Int, loss: FastTextModel.Loss, labelCounts: [Int64], epoch: Int, learningRate: Double,
         learningRateUpdateRate: Int, threads: Int, seed: Int) {
        self.dim = dim; self.loss = loss; labelCount = labelCounts.count
        tree = loss == .hierarchicalSoftmax ? FastTextHuffmanTree(counts: labelCounts) : nil
        self.epoch = epoch; self.learningRate = learningRate; self.learningRateUpdateRate = learningRateUpdateRate
        self.threads = threads; self.seed = seed
    }

    func train(dictionary: FastTextDictionary, text: FastTextTrainingText, input: inout [Float], output: inout [Float]) throws {
        let shared = SharedProgress()
        let total = Int64(epoch) * dictionary.tokenCount
        guard total > 0, text.count > 0 else { return }
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            try output.withUnsafeMutableBufferPointer { outputBuffer in
                let context = Context(sgd: self, dictionary: dictionary, text: text, total: total, shared: shared,
                                      input: inputBuffer.baseAddress!, output: outputBuffer.baseAddress!)
                runThreads(threads) { id in
                    var worker = Worker(context: context, threadID: id)
                    worker.run()
                    worker.deallocate()
                }
                if shared.diverged.load(ordering: .relaxed) { throw FastTextTrainingError.diverged }
            }
        }
    }

    final class SharedProgress: Sendable {
        let tokens = Atomic<Int64>(0)
        let diverged = Atomic<Bool>(false)
    }

    /// What every thread shares: the matrices are written by all threads without locks (Hogwild).
    final class Context: @unchecked Sendable {
        let sgd: FastTextSGD
        let dictionary: FastTextDictionary
        let text: FastTextTrainingText
        let total: Int64
        let shared: SharedProgress
        let input: UnsafeMutablePointer<Float>
        let output: UnsafeMutablePointer<Float>

        init(sgd: FastTextSGD, dictionary: FastTextDictionary, text: FastTextTrainingText, total: Int64, shared: SharedProgress,
             input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
            self.sgd = sgd; self.dictionary = dictionary; self.text = text; self.total = total; self.shared = shared
            self.input = input; self.output = output
        }
    }

    /// One training thread: its reader, generator and scratch vectors.
    struct Worker {
        let context: Context
        var dictionary: FastTextDictionary
        var reader: FastTextWordReader
        var rng: MinstdRandom
        let dim: Int, labelCount: Int
        let hidden: UnsafeMutablePointer<Float>
        let grad: UnsafeMutablePointer<Float>
        let scores: UnsafeMutablePointer<Float>
        var rows: [Int32] = []
        var labels: [Int32] = []
        var diverged = false

        init(context: Context, threadID: Int) {
            self.context = context
            dictionary = context.dictionary
            let text = context.text.bytes
            reader = FastTextWordReader(text: text, position: threadID * text.count / context.sgd.threads)
            rng = MinstdRandom(seed: threadID + context.sgd.seed)
            dim = context.sgd.dim
            labelCount = context.sgd.labelCount
            hidden = .allocate(capacity: dim)
            grad = .allocate(capacity: dim)
            scores = .allocate(capacity: max(labelCount, 1))
            rows.reserveCapacity(4096)
            labels.reserveCapacity(16)
        }

        func deallocate() {
            hidden.deallocate(); grad.deallocate(); scores.deallocate()
        }

        mutating func run() {
            let shared = context.shared, total = context.total
            let lr0 = context.sgd.learningRate
            let updateRate = Int64(context.sgd.learningRateUpdateRate)
            var local: Int64 = 0
            while true {
                let done = shared.tokens.load(ordering: .relaxed)
                if done >= total || shared.diverged.load(ordering: .relaxed) { break }
                let progress = Float(done) / Float(total)
                let lr = Float(lr0 * (1.0 - Double(progress)))
                local += Int64(dictionary.readLine(&reader, rows: &rows, labels: &labels))
                supervised(lr: lr)
                if diverged {
                    shared.diverged.store(true, ordering: .relaxed)
                    break
                }
                if local > updateRate {
                    shared.tokens.add(local, ordering: .relaxed)
                    local = 0
                }
            }
        }

        /// fastText's `FastText::supervised`: one step towards one label of the line (chosen uniformly), or
        /// towards all of them for one-vs-all.
        private mutating func supervised(lr: Float) {
            if labels.isEmpty || rows.isEmpty { return }
            if context.sgd.loss == .oneVsAll {
                update(target: -1, lr: lr)
            } else {
                let i = Int(rng.uniformInt(0, UInt64(labels.count - 1)))
                update(target: Int(labels[i]), lr: lr)
            }
        }

        /// `Model::update`: hidden = mean of the input rows; the loss's step on the output rows accumulates
        /// the gradient, which (divided by the number of rows) is added to every input row.
        private mutating func update(target: Int, lr: Float) {
            let n = rows.count
            let dim = dim, input = context.input
            for j in 0..<dim { hidden[j] = 0 }
            rows.withUnsafeBufferPointer { rs in
                for r in rs {
                    let row = input + Int(r) * dim
                    for j in 0..<dim { hidden[j] += row[j] }
                }
            }
            let scale = Float(1.0 / Double(n))
            for j in 0..<dim { hidden[j] *= scale }
            for j in 0..<dim { grad[j] = 0 }
            switch context.sgd.loss {
            case .softmax: softmaxStep(target: target, lr: lr)
            case .hierarchicalSoftmax:
                let tree = context.sgd.tree!
                let path = tree.paths[target], code = tree.codes[target]
                for k in 0..<path.count { binaryLogistic(row: Int(path[k]), positive: code[k], lr: lr) }
            default:
                for i in 0..<labelCount { binaryLogistic(row: i, positive: labels.contains(Int32(i)), lr: lr) }
            }
            if diverged { return }
            for j in 0..<dim { grad[j] *= scale }
            rows.withUnsafeBufferPointer { rs in
                for r in rs {
                    let row = input + Int(r) * dim
                    for j in 0..<dim { row[j] += grad[j] }
                }
            }
        }

        /// `SoftmaxLoss::forward` with backpropagation.
        private mutating func softmaxStep(target: Int, lr: Float) {
            let dim = dim, output = context.output, n = labelCount
            var i = 0
            while i + 4 <= n {
                let r0 = output + i * dim, r1 = r0 + dim, r2 = r1 + dim, r3 = r2 + dim
                var d0: Float = 0, d1: Float = 0, d2: Float = 0, d3: Float = 0
                for j in 0..<dim {
                    let h = hidden[j]
                    d0 += r0[j] * h; d1 += r1[j] * h; d2 += r2[j] * h; d3 += r3[j] * h
                }
                scores[i] = d0; scores[i + 1] = d1; scores[i + 2] = d2; scores[i + 3] = d3
                i += 4
            }
            while i < n {
                scores[i] = dot(output + i * dim)
                i += 1
            }
            var top = scores[0]
            for i in 0..<n {
                if scores[i].isNaN { diverged = true; return }
                top = scores[i] < top ? top : scores[i]
            }
            var z: Float = 0
            for i in 0..<n {
                scores[i] = Float(exp(Double(scores[i] - top)))
                z += scores[i]
            }
            for i in 0..<n { scores[i] /= z }
            for i in 0..<n {
                let label: Float = i == target ? 1 : 0
                let alpha = lr * (label - scores[i])
                let row = output + i * dim
                for j in 0..<dim { grad[j] += alpha * row[j] }
                for j in 0..<dim { row[j] += alpha * hidden[j] }
            }
        }

        /// `BinaryLogisticLoss::binaryLogistic` with backpropagation (fastText's sigmoid table).
        @inline(__always)
        private mutating func binaryLogistic(row index: Int, positive: Bool, lr: Float) {
            let row = context.output + index * dim
            let d = dot(row)
            if d.isNaN { diverged = true; return }
            let score = Sigmoid.table(d)
            let alpha = lr * ((positive ? 1 : 0) - score)
            for j in 0..<dim { grad[j] += alpha * row[j] }
            for j in 0..<dim { row[j] += alpha * hidden[j] }
        }

        @inline(__always)
        private func dot(_ row: UnsafeMutablePointer<Float>) -> Float {
            var d: Float = 0
            for j in 0..<dim { d += row[j] * hidden[j] }
            return d
        }
    }
}

/// Runs `body(0..<count)` on `count` threads (the caller's thread alone when `count` is 1) and waits for all.
func runThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if count == 1 {
        body(0)
        return
    }
    final class Start: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
    #if canImport(Glibc)
    var threads: [pthread_t] = []
    #else
    var threads: [pthread_t?] = []
    #endif
    for i in 0..<count {
        let start = Unmanaged.passRetained(Start { body(i) }).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let status = pthread_create(&thread, nil, { argument in
            Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, start)
        precondition(status == 0, "cannot start a training thread (\(status))")
        threads.append(thread)
    }
    #if canImport(Glibc)
    for t in threads { pthread_join(t, nil) }
    #else
    for t in threads { pthread_join(t!, nil) }
    #endif
}
