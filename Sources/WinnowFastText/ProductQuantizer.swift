/// fastText's product quantizer (`ProductQuantizer`), trained as fastText trains it: each row is cut into
/// sub-vectors of `dsub` floats (the last one shorter when `dsub` does not divide the dimension); per
/// sub-vector position, k-means with 256 centroids (25 iterations, at most 256 × 256 sample rows drawn by a
/// shuffle, centroids started from a shuffle, empty clusters split off a populated one with a ±1e-7 nudge)
/// from a `std::minstd_rand` seeded 1234, so the codes and centroids are those of `fasttext quantize`.
struct ProductQuantizer {
    static let centroidCount = 256
    static let iterations = 25
    static let maxPointsPerCluster = 256
    static let seed = 1234
    static let epsilon: Float = 1e-7

    let dim: Int
    let dsub: Int
    let subquantizerCount: Int
    let lastDsub: Int
    /// 256 centroids per sub-quantizer, `dsub` floats each (`lastDsub` for the last).
    private(set) var centroids: [Float]
    private var rng = MinstdRandom(seed: ProductQuantizer.seed)

    init(dim: Int, dsub: Int) {
        self.dim = dim
        self.dsub = dsub
        var count = dim / dsub
        var last = dim % dsub
        if last == 0 { last = dsub } else { count += 1 }
        subquantizerCount = count
        lastDsub = last
        centroids = [Float](repeating: 0, count: dim * Self.centroidCount)
    }

    /// Offset of centroid `i` of sub-quantizer `m` in `centroids`.
    func centroidOffset(_ m: Int, _ i: Int) -> Int {
        m == subquantizerCount - 1 ? m * Self.centroidCount * dsub + i * lastDsub : (m * Self.centroidCount + i) * dsub
    }

    /// Trains on `n` rows of `dim` floats (`ProductQuantizer::train`); needs at least 256 rows.
    mutating func train(_ x: UnsafePointer<Float>, rows n: Int) throws {
        guard n >= Self.centroidCount else {
            throw FastTextTrainingError.invalidOption("matrix too small for quantization: \(n) rows, at least 256 needed")
        }
        var perm = Array(0..<Int32(n))
        let np = min(n, Self.maxPointsPerCluster * Self.centroidCount)
        var slice = [Float](repeating: 0, count: np * dsub)
        var d = dsub
        for m in 0..<subquantizerCount {
            if m == subquantizerCount - 1 { d = lastDsub }
            if np != n { rng.shuffle(&perm) }
            for j in 0..<np {
                let src = x + Int(perm[j]) * dim + m * dsub
                for k in 0..<d { slice[j * d + k] = src[k] }
            }
            let offset = centroidOffset(m, 0)
            var c = Array(centroids[offset..<(offset + Self.centroidCount * d)])
            kmeans(slice, &c, n: np, d: d)
            centroids.replaceSubrange(offset..<(offset + Self.centroidCount * d), with: c)
        }
    }

    private mutating func kmeans(_ x: [Float], _ c: inout [Float], n: Int, d: Int) {
        var perm = Array(0..<Int32(n))
        rng.shuffle(&perm)
        for i in 0..<Self.centroidCount {
            for k in 0..<d { c[i * d + k] = x[Int(perm[i]) * d + k] }
        }
        var codes = [UInt8](repeating: 0, count: n)
        for _ in 0..<Self.iterations {
            x.withUnsafeBufferPointer { xp in
                c.withUnsafeBufferPointer { cp in
                    for i in 0..<n { codes[i] = Self.nearest(xp.baseAddress! + i * d, cp.baseAddress!, d: d) }
                }
            }
            mStep(x, &c, codes, n: n, d: d)
        }
    }

    /// `ProductQuantizer::MStep`: centroids become the means of their points; an empty cluster copies a
    /// populated one chosen at random (with probability growing with its size) and the two move apart.
    private mutating func mStep(_ x: [Float], _ c: inout [Float], _ codes: [UInt8], n: Int, d: Int) {
        let k = Self.centroidCount
        var members = [Int32](repeating: 0, count: k)
        for i in 0..<(k * d) { c[i] = 0 }
        for i in 0..<n {
            let code = Int(codes[i])
            for j in 0..<d { c[code * d + j] += x[i * d + j] }
            members[code] += 1
        }
        for cluster in 0..<k {
            let z = Float(members[cluster])
            if z != 0 {
                for j in 0..<d { c[cluster * d + j] /= z }
            }
        }
        for cluster in 0..<k where members[cluster] == 0 {
            var m = 0
            while rng.uniform(0, 1) * Double(n - k) >= Double(members[m] - 1) {
                m = (m + 1) % k
            }
            for j in 0..<d { c[cluster * d + j] = c[m * d + j] }
            for j in 0..<d {
                let sign = Float((j % 2) * 2 - 1)
                c[cluster * d + j] += sign * Self.epsilon
                c[m * d + j] -= sign * Self.epsilon
            }
            members[cluster] = members[m] / 2
            members[m] -= members[cluster]
        }
    }

    /// The centroid nearest to `x` (`assign_centroid`: squared distance summed in order, the first of equals).
    @inline(__always)
    static func nearest(_ x: UnsafePointer<Float>, _ c0: UnsafePointer<Float>, d: Int) -> UInt8 {
        var best = distance(x, c0, d)
        var code: UInt8 = 0
        var c = c0
        for j in 1..<centroidCount {
            c += d
            let dist = distance(x, c, d)
            if dist < best {
                code = UInt8(j)
                best = dist
            }
        }
        return code
    }

    @inline(__always)
    private static func distance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ d: Int) -> Float {
        var dist: Float = 0
        for i in 0..<d {
            let t = x[i] - y[i]
            dist += t * t
        }
        return dist
    }

    /// The codes of `n` rows (`compute_codes`): one byte per sub-vector.
    func codes(_ x: UnsafePointer<Float>, rows n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n * subquantizerCount)
        centroids.withUnsafeBufferPointer { cp in
            for i in 0..<n {
                var d = dsub
                for m in 0..<subquantizerCount {
                    if m == subquantizerCount - 1 { d = lastDsub }
                    out[i * subquantizerCount + m] = Self.nearest(x + i * dim + m * dsub, cp.baseAddress! + centroidOffset(m, 0), d: d)
                }
            }
        }
        return out
    }
}

/// A product-quantized matrix as fastText's `QuantMatrix` stores it: codes, the quantizer, and optionally
/// the row norms quantized separately (the rows are then divided by their norms before quantization).
struct QuantizedMatrixData {
    var rows: Int, cols: Int
    var codes: [UInt8]
    var quantizer: ProductQuantizer
    var normCodes: [UInt8] = []
    var normQuantizer: ProductQuantizer?

    /// `QuantMatrix(DenseMatrix&&, dsub, qnorm)`.
    init(dense: [Float], rows: Int, cols: Int, dsub: Int, qnorm: Bool) throws {
        self.rows = rows; self.cols = cols
        var data = dense
        if qnorm {
            var norms = [Float](repeating: 0, count: rows)
            for i in 0..<rows {
                var sum = 0.0
                for j in 0..<cols {
                    let v = data[i * cols + j]
                    sum += Double(v * v)
                }
                norms[i] = Float(sum.squareRoot())
                if norms[i] != 0 {
                    for j in 0..<cols { data[i * cols + j] /= norms[i] }
                }
            }
            var npq = ProductQuantizer(dim: 1, dsub: 1)
            try norms.withUnsafeBufferPointer { try npq.train($0.baseAddress!, rows: rows) }
            normCodes = norms.withUnsafeBufferPointer { npq.codes($0.baseAddress!, rows: rows) }
            normQuantizer = npq
        }
        var pq = ProductQuantizer(dim: cols, dsub: dsub)
        try data.withUnsafeBufferPointer { try pq.train($0.baseAddress!, rows: rows) }
        codes = data.withUnsafeBufferPointer { pq.codes($0.baseAddress!, rows: rows) }
        quantizer = pq
    }
}
