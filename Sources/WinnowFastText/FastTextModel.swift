#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fastText model file (`.bin` or `.ftz`) loaded for prediction: the header (Args), the dictionary, the
/// input matrix (dense, or product-quantized and dequantized once here) and the output matrix.
///
/// The layout follows fastText's `FastText::loadModel` (magic 793712314, versions 11 and 12). A large dense
/// input matrix (GlotLID, OpenLID: 1-1.7 GB) stays in the memory-mapped file; everything else is copied
/// into owned buffers. The model is immutable after loading and shared read-only between threads; each
/// thread predicts through its own `FastTextPredictor`.
public final class FastTextModel: @unchecked Sendable {
    public enum Loss: Int32, Sendable { case hierarchicalSoftmax = 1, negativeSampling = 2, softmax = 3, oneVsAll = 4 }
    public enum Kind: Int32, Sendable { case cbow = 1, skipgram = 2, supervised = 3 }

    /// The Args block of the file.
    public struct Header: Sendable {
        public var version: Int32
        public var dim: Int32, ws: Int32, epoch: Int32, minCount: Int32, neg: Int32, wordNgrams: Int32
        public var loss: Loss, model: Kind
        public var bucket: Int32, minn: Int32, maxn: Int32, lrUpdateRate: Int32
        public var t: Double
    }

    public let path: String
    public let header: Header
    /// Words in the dictionary, labels, tokens seen in training, kept n-gram buckets (-1: not pruned).
    public let wordCount: Int, labelCount: Int, tokenCount: Int64, pruneIndexSize: Int
    public let quantizedInput: Bool, quantizedOutput: Bool
    /// Rows of the input matrix (words + buckets, or words + kept buckets in a pruned model).
    public let inputRows: Int
    /// Whether the input matrix is read from the memory-mapped file rather than an owned copy.
    public let inputIsMapped: Bool
    /// Labels as written in the model (`__label__en`), by label index.
    public let labels: [String]
    /// Training counts of the labels (they shape the hierarchical softmax tree).
    public let labelCounts: [Int64]

    // Dictionary: word bytes in one arena, looked up by FNV-1a hash in an open-addressing table. The hot
    // tables live in buffers allocated here and freed in `deinit`, so predictors read them without the
    // bookkeeping of arrays.
    let arena: UnsafeMutableBufferPointer<UInt8>
    let entryStart: UnsafeMutableBufferPointer<Int32>   // size + 1 offsets into `arena`
    let entryHash: UnsafeMutableBufferPointer<UInt32>
    let entryIsLabel: UnsafeMutableBufferPointer<Bool>
    let table: UnsafeMutableBufferPointer<Int32>        // entry index or -1; power-of-two size
    let tableMask: Int
    // Prune index: bucket -> kept row, open addressing.
    let pruneKeys: UnsafeMutableBufferPointer<Int32>
    let pruneValues: UnsafeMutableBufferPointer<Int32>
    let pruneMask: Int

    let dim: Int
    /// Input rows, `dim` floats each (unaligned in a mapped file).
    let input: UnsafeRawPointer
    private let ownedInput: UnsafeMutableRawPointer?
    private let mapping: UnsafeMutableRawPointer?
    private let mappingLength: Int

    /// Output rows (labels, or internal nodes for hierarchical softmax), row-major, without norms.
    let output: [Float]
    let outputRows: Int
    /// Per output row factor from quantized norms (nil: 1).
    let outputNorms: [Float]?
    /// Output matrix transposed, `dim` rows of `outputStride` floats, for the flat losses.
    let outputTransposed: [Float]
    let outputStride: Int
    /// The id of `</s>` in the dictionary, or -1.
    let eosID: Int32
    /// Hierarchical softmax tree (fastText's Huffman-like tree from label counts): children per node, -1 at
    /// leaves. Leaves are labels `0..<labelCount`; internal node `i` uses output row `i - labelCount`.
    let treeLeft: [Int32]
    let treeRight: [Int32]

    /// Dense input matrices at least this large are read from the mapped file instead of copied.
    public static let mapThreshold = 64 << 20

    public convenience init(path: String) throws {
        try self.init(path: path, mapThreshold: Self.mapThreshold)
    }

    public init(path: String, mapThreshold: Int) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FastTextError.cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FastTextError.cannotOpen(path, String(cString: strerror(errno))) }
        let length = Int(st.st_size)
        guard length >= 8 else { throw FastTextError.invalid(path, "not a fastText model (too short)") }
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw FastTextError.cannotOpen(path, String(cString: strerror(errno)))
        }
        var keepMapping = false
        defer { if !keepMapping { munmap(base, length) } }
        var r = ModelReader(base: UnsafeRawPointer(base), length: length, path: path)

        let magic: Int32 = try r.read()
        guard magic == 793_712_314 else { throw FastTextError.invalid(path, "not a fastText model (magic \(magic))") }
        let version: Int32 = try r.read()
        guard version == 11 || version == 12 else {
            throw FastTextError.invalid(path, "unsupported fastText model version \(version) (11 and 12 are)")
        }
        let dim: Int32 = try r.read(), ws: Int32 = try r.read(), epoch: Int32 = try r.read()
        let minCount: Int32 = try r.read(), neg: Int32 = try r.read(), wordNgrams: Int32 = try r.read()
        let lossRaw: Int32 = try r.read(), modelRaw: Int32 = try r.read()
        let bucket: Int32 = try r.read(), minn: Int32 = try r.read()
        var maxn: Int32 = try r.read()
        let lrUpdateRate: Int32 = try r.read()
        let t: Double = try r.read()
        guard let loss = Loss(rawValue: lossRaw) else { throw FastTextError.invalid(path, "unknown loss \(lossRaw)") }
        guard let kind = Kind(rawValue: modelRaw) else { throw FastTextError.invalid(path, "unknown model type \(modelRaw)") }
        // Old supervised models have no character n-grams (fastText's backward compatibility rule).
        if version == 11 && kind == .supervised { maxn = 0 }
        guard dim > 0, dim <= 1 << 16 else { throw FastTextError.invalid(path, "bad dimension \(dim)") }
        header = Header(version: version, dim: dim, ws: ws, epoch: epoch, minCount: minCount, neg: neg,
                        wordNgrams: wordNgrams, loss: loss, model: kind, bucket: bucket, minn: minn, maxn: maxn,
                        lrUpdateRate: lrUpdateRate, t: t)
        self.dim = Int(dim)

        // Dictionary.
        let size: Int32 = try r.read(), nwords: Int32 = try r.read(), nlabels: Int32 = try r.read()
        let ntokens: Int64 = try r.read(), pruneSize: Int64 = try r.read()
        guard size >= 0, nwords >= 0, nlabels >= 0, Int(nwords) + Int(nlabels) == Int(size), pruneSize >= -1 else {
            throw FastTextError.invalid(path, "bad dictionary sizes (\(size) entries, \(nwords) words, \(nlabels) labels)")
        }
        // Each entry takes at least 10 bytes (word, NUL, count, type) and each prune entry 8: larger sizes are
        // false, and would size the tables below.
        guard Int(size) <= (length - r.offset) / 10, pruneSize <= Int64(length - r.offset) / 8 else {
            throw FastTextError.invalid(path, "dictionary sizes (\(size) entries, \(pruneSize) pruned) exceed the file's \(length) bytes")
        }
        wordCount = Int(nwords); labelCount = Int(nlabels); tokenCount = ntokens; pruneIndexSize = Int(pruneSize)
        var arena: [UInt8] = [], starts: [Int32] = [0], hashes: [UInt32] = [], isLabel: [Bool] = []
        var labels: [String] = [], labelCounts: [Int64] = []
        var eos: Int32 = -1
        starts.reserveCapacity(Int(size) + 1); hashes.reserveCapacity(Int(size)); isLabel.reserveCapacity(Int(size))
        for _ in 0..<Int(size) {
            let word = try r.cString()
            let count: Int64 = try r.read()
            let type: Int8 = try r.read()
            arena.append(contentsOf: word)
            starts.append(Int32(arena.count))
            hashes.append(FastTextHash.fnv1a(word))
            isLabel.append(type == 1)
            if word == FastTextHash.eos { eos = Int32(isLabel.count - 1) }
            if type == 1 {
                labels.append(String(decoding: word, as: UTF8.self))
                labelCounts.append(count)
            }
        }
        // fastText sorts words before labels; ids below `nwords` index input rows.
        guard labels.count == Int(nlabels), !isLabel[..<Int(nwords)].contains(true) else {
            throw FastTextError.invalid(path, "dictionary entries are not words then labels")
        }
        self.labels = labels; self.labelCounts = labelCounts
        var tableSize = 16
        while tableSize < Int(size) * 2 { tableSize <<= 1 }
        var table = [Int32](repeating: -1, count: tableSize)
        for i in 0..<Int(size) {
            var slot = Int(hashes[i]) & (tableSize - 1)
            while table[slot] != -1 { slot = (slot + 1) & (tableSize - 1) }
            table[slot] = Int32(i)
        }
        var pruneCapacity = 16
        while pruneCapacity < Int(max(pruneSize, 0)) * 2 { pruneCapacity <<= 1 }
        var pruneKeys = [Int32](repeating: -1, count: pruneSize > 0 ? pruneCapacity : 0)
        var pruneValues = [Int32](repeating: -1, count: pruneSize > 0 ? pruneCapacity : 0)
        for _ in 0..<max(pruneSize, 0) {
            let key: Int32 = try r.read(), value: Int32 = try r.read()
            guard key >= 0, value >= 0, value < Int32(pruneSize) else { throw FastTextError.invalid(path, "bad prune index entry \(key) -> \(value)") }
            var slot = FastTextModel.pruneSlot(key, mask: pruneCapacity - 1)
            while pruneKeys[slot] != -1 && pruneKeys[slot] != key { slot = (slot + 1) & (pruneCapacity - 1) }
            pruneKeys[slot] = key; pruneValues[slot] = value
        }
        self.arena = frozen(arena); entryStart = frozen(starts); entryHash = frozen(hashes); entryIsLabel = frozen(isLabel)
        self.table = frozen(table); tableMask = tableSize - 1
        self.pruneKeys = frozen(pruneKeys); self.pruneValues = frozen(pruneValues); pruneMask = pruneCapacity - 1

        // Input matrix.
        let quantInput: UInt8 = try r.read()
        quantizedInput = quantInput != 0
        if !quantizedInput && pruneSize >= 0 {
            throw FastTextError.invalid(path, "a pruned model must have a quantized input matrix (fastText issue #332: download the updated model)")
        }
        if quantizedInput {
            let q = try QuantizedMatrix(reader: &r)
            guard q.cols == self.dim else { throw FastTextError.invalid(path, "input matrix has \(q.cols) columns, not \(dim)") }
            let rows = q.rows
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(rows * self.dim * 4, 4), alignment: 64)
            let d = self.dim
            let floats = buffer.bindMemory(to: Float.self, capacity: rows * d)
            for row in 0..<rows { q.dequantize(row: row, into: floats + row * d, applyNorm: true) }
            input = UnsafeRawPointer(buffer); ownedInput = buffer; inputRows = rows; inputIsMapped = false
        } else {
            let rows: Int64 = try r.read(), cols: Int64 = try r.read()
            guard rows >= 0, rows <= Int64(length), cols == Int64(dim) else { throw FastTextError.invalid(path, "input matrix is \(rows)x\(cols), dimension \(dim)") }
            let bytes = Int(rows) * Int(cols) * 4
            let start = try r.skip(bytes)
            if bytes >= mapThreshold {
                input = start; ownedInput = nil; inputIsMapped = true
                madvise(base, length, MADV_RANDOM)
                keepMapping = true
            } else {
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 4), alignment: 64)
                buffer.copyMemory(from: start, byteCount: bytes)
                input = UnsafeRawPointer(buffer); ownedInput = buffer; inputIsMapped = false
            }
            inputRows = Int(rows)
        }
        mapping = keepMapping ? base : nil
        mappingLength = keepMapping ? length : 0

        // Output matrix.
        let qout: UInt8 = try r.read()
        quantizedOutput = quantizedInput && qout != 0
        var output: [Float], norms: [Float]? = nil, outRows: Int
        if quantizedOutput {
            let q = try QuantizedMatrix(reader: &r)
            guard q.cols == self.dim else { throw FastTextError.invalid(path, "output matrix has \(q.cols) columns, not \(dim)") }
            outRows = q.rows
            let d = self.dim, n = outRows
            output = [Float](repeating: 0, count: n * d)
            output.withUnsafeMutableBufferPointer { o in
                for row in 0..<n { q.dequantize(row: row, into: o.baseAddress! + row * d, applyNorm: false) }
            }
            if q.hasNorms { norms = (0..<outRows).map { q.norm(row: $0) } }
        } else if kind != .supervised {
            // Word-vector models (cbow, skipgram) cannot classify; their output matrix is not loaded.
            let rows: Int64 = try r.read(), cols: Int64 = try r.read()
            guard rows >= 0, rows <= Int64(length), cols >= 0, cols <= 1 << 16 else { throw r.truncated }
            _ = try r.skip(Int(rows) * Int(cols) * 4)
            outRows = 0
            output = []
        } else {
            let rows: Int64 = try r.read(), cols: Int64 = try r.read()
            guard rows >= 0, rows <= Int64(length), cols == Int64(dim) else { throw FastTextError.invalid(path, "output matrix is \(rows)x\(cols), dimension \(dim)") }
            outRows = Int(rows)
            let start = try r.skip(outRows * self.dim * 4)
            let bytes = outRows * self.dim * 4
            output = [Float](repeating: 0, count: outRows * self.dim)
            output.withUnsafeMutableBytes { if bytes > 0 { $0.baseAddress!.copyMemory(from: start, byteCount: bytes) } }
        }
        let expectedRows = loss == .hierarchicalSoftmax ? max(Int(nlabels) - 1, 0) : Int(nlabels)
        // fastText allocates one output row per label even for hierarchical softmax, which uses one fewer.
        if kind == .supervised && (outRows < expectedRows || (loss != .hierarchicalSoftmax && outRows != expectedRows)) {
            throw FastTextError.invalid(path, "output matrix has \(outRows) rows, expected \(expectedRows) for \(nlabels) labels")
        }
        self.output = output; outputNorms = norms; outputRows = outRows
        let stride = (outRows + 7) & ~7
        var transposed = [Float](repeating: 0, count: stride * self.dim)
        for row in 0..<outRows { for j in 0..<self.dim { transposed[j * stride + row] = output[row * self.dim + j] } }
        outputTransposed = transposed; outputStride = stride

        // Row ids above must stay inside the input matrix, for every kind of model (the predictor reads them).
        let expectedInput = Int(nwords) + (pruneSize >= 0 ? Int(pruneSize) : Int(max(bucket, 0)))
        if inputRows < expectedInput {
            throw FastTextError.invalid(path, "input matrix has \(inputRows) rows, expected \(expectedInput)")
        }
        eosID = eos
        (treeLeft, treeRight) = loss == .hierarchicalSoftmax ? Self.buildTree(counts: labelCounts) : ([], [])
    }

    /// fastText's `HierarchicalSoftmaxLoss::buildTree`: repeatedly joins the two smallest of the remaining
    /// leaves (taken from the end of the count-sorted labels) and internal nodes.
    static func buildTree(counts: [Int64]) -> ([Int32], [Int32]) {
        let osz = counts.count
        guard osz > 0 else { return ([], []) }
        var count = [Int64](repeating: 1_000_000_000_000_000, count: 2 * osz - 1)
        var left = [Int32](repeating: -1, count: 2 * osz - 1), right = left
        for i in 0..<osz { count[i] = counts[i] }
        var leaf = osz - 1, node = osz
        for i in osz..<(2 * osz - 1) {
            var mini = [0, 0]
            for j in 0..<2 {
                // An internal node not built yet (node >= i) holds fastText's sentinel count, which only a
                // corrupt file's label counts reach: the leaf is taken then, as fastText takes it below that.
                if leaf >= 0 && (node >= i || count[leaf] < count[node]) {
                    mini[j] = leaf; leaf -= 1
                } else {
                    mini[j] = node; node += 1
                }
            }
            left[i] = Int32(mini[0]); right[i] = Int32(mini[1])
            let (sum, overflow) = count[mini[0]].addingReportingOverflow(count[mini[1]])
            count[i] = overflow ? .max : sum  // only a corrupt file's counts overflow
        }
        return (left, right)
    }

    deinit {
        arena.deallocate(); entryStart.deallocate(); entryHash.deallocate(); entryIsLabel.deallocate()
        table.deallocate(); pruneKeys.deallocate(); pruneValues.deallocate()
        ownedInput?.deallocate()
        if let mapping { munmap(mapping, mappingLength) }
    }

    /// The label without fastText's `__label__` prefix.
    public func labelName(_ index: Int) -> String {
        let l = labels[index]
        return l.hasPrefix("__label__") ? String(l.dropFirst(9)) : l
    }

    /// Dictionary entry for the bytes, or -1.
    @inline(__always)
    func lookup(_ word: UnsafeRawBufferPointer, hash: UInt32) -> Int32 {
        var slot = Int(hash) & tableMask
        while true {
            let e = table[slot]
            if e < 0 { return -1 }
            let i = Int(e)
            if entryHash[i] == hash {
                let s = Int(entryStart[i]), n = Int(entryStart[i + 1]) - s
                if n == word.count && (n == 0 || memcmp(arena.baseAddress! + s, word.baseAddress!, n) == 0) { return e }
            }
            slot = (slot + 1) & tableMask
        }
    }

    @inline(__always)
    static func pruneSlot(_ key: Int32, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt32(bitPattern: key) &* 2_654_435_761) >> 7) & mask
    }

    /// The kept row of an n-gram bucket in a pruned model, or -1.
    @inline(__always)
    func prunedRow(_ bucket: Int32) -> Int32 {
        var slot = Self.pruneSlot(bucket, mask: pruneMask)
        while true {
            let k = pruneKeys[slot]
            if k == bucket { return pruneValues[slot] }
            if k == -1 { return -1 }
            slot = (slot + 1) & pruneMask
        }
    }

    /// A summary like `fasttext dump MODEL args` plus the dictionary and matrix shapes.
    public var summary: String {
        let h = header
        let lossName: String = switch h.loss {
        case .hierarchicalSoftmax: "hs"
        case .negativeSampling: "ns"
        case .softmax: "softmax"
        case .oneVsAll: "ova"
        }
        let kindName: String = switch h.model { case .cbow: "cbow"; case .skipgram: "sg"; case .supervised: "sup" }
        var lines = [
            "file \(path)", "version \(h.version)",
            "dim \(h.dim)", "ws \(h.ws)", "epoch \(h.epoch)", "minCount \(h.minCount)", "neg \(h.neg)",
            "wordNgrams \(h.wordNgrams)", "loss \(lossName)", "model \(kindName)", "bucket \(h.bucket)",
            "minn \(h.minn)", "maxn \(h.maxn)", "lrUpdateRate \(h.lrUpdateRate)", "t \(h.t)",
            "words \(wordCount)", "labels \(labelCount)", "tokens \(tokenCount)",
            "pruned_buckets \(pruneIndexSize < 0 ? "none" : String(pruneIndexSize))",
            "input \(inputRows)x\(dim) \(quantizedInput ? "quantized" : "dense")\(inputIsMapped ? " (memory-mapped)" : "")",
            "output \(outputRows)x\(dim) \(quantizedOutput ? "quantized" : "dense")",
        ]
        lines.append("label_names " + (0..<labelCount).map { labelName($0) }.joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A heap copy of an array that lives as long as the model.
private func frozen<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
    _ = buffer.initialize(from: array)
    return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
}

/// Why a model could not be loaded.
public enum FastTextError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(String, String)
    case invalid(String, String)
    case notSupervised(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let why): "cannot open model \(path): \(why)"
        case .invalid(let path, let why): "\(path): \(why)"
        case .notSupervised(let path): "\(path): not a supervised (classification) model"
        }
    }
}

/// fastText's hash: 32-bit FNV-1a over the bytes, each byte sign-extended first (as `int8_t` then
/// `uint32_t`), which differs from textbook FNV-1a for bytes >= 0x80.
enum FastTextHash {
    static let offsetBasis: UInt32 = 2_166_136_261
    static let prime: UInt32 = 16_777_619
    static let eos: [UInt8] = Array("</s>".utf8)

    @inline(__always)
    static func step(_ h: UInt32, _ byte: UInt8) -> UInt32 {
        (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* prime
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        var h = offsetBasis
        for b in bytes { h = step(h, b) }
        return h
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h = offsetBasis
        for b in bytes { h = step(h, b) }
        return h
    }

    /// fastText's `computeSubwords`: calls `body` with the bucket of every character n-gram (minn...maxn
    /// characters, counted in UTF-8 characters) of `w`, the word wrapped in `<` and `>`, in fastText's order; an
    /// n-gram of one character at either end (`<` or `>` alone) is skipped.
    @inline(__always)
    static func forEachCharNgramBucket(_ w: UnsafeBufferPointer<UInt8>, minn: Int, maxn: Int, bucket: UInt32,
                                       _ body: (Int32) -> Void) {
        let count = w.count
        for i in 0..<count where w[i] & 0xC0 != 0x80 {
            var h = offsetBasis
            var j = i, n = 1
            while j < count && n <= maxn {
                h = step(h, w[j]); j += 1
                while j < count && w[j] & 0xC0 == 0x80 { h = step(h, w[j]); j += 1 }
                if n >= minn && !(n == 1 && (i == 0 || j == count)) {
                    body(Int32(bitPattern: h % bucket))
                }
                n += 1
            }
        }
    }
}

/// Little-endian reads from the mapped file with bounds checks.
struct ModelReader {
    let base: UnsafeRawPointer
    let length: Int
    let path: String
    var offset = 0

    init(base: UnsafeRawPointer, length: Int, path: String) {
        self.base = base; self.length = length; self.path = path
    }

    mutating func read<T: FixedWidthInteger>() throws -> T {
        guard offset + MemoryLayout<T>.size <= length else { throw truncated }
        let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    mutating func read() throws -> Double {
        Double(bitPattern: try read() as UInt64)
    }

    mutating func read() throws -> Float {
        Float(bitPattern: try read() as UInt32)
    }

    mutating func cString() throws -> [UInt8] {
        let start = offset
        while offset < length && base.load(fromByteOffset: offset, as: UInt8.self) != 0 { offset += 1 }
        guard offset < length else { throw truncated }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: base + start, count: offset - start))
        offset += 1
        return bytes
    }

    /// Skips `count` bytes, returning where they start.
    mutating func skip(_ count: Int) throws -> UnsafeRawPointer {
        guard count >= 0, offset + count <= length else { throw truncated }
        let p = base + offset
        offset += count
        return p
    }

    mutating func floats(_ count: Int) throws -> [Float] {
        let p = try skip(count * 4)
        return (0..<count).map { Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }

    var truncated: FastTextError { .invalid(path, "truncated model file (at byte \(offset) of \(length))") }
}

/// fastText's `QuantMatrix`: product-quantized rows (256 centroids per sub-vector), optionally with
/// quantized row norms. Only read here, to be dequantized once.
struct QuantizedMatrix {
    struct Quantizer {
        var dim: Int, nsubq: Int, dsub: Int, lastdsub: Int
        var centroids: [Float]

        init(reader r: inout ModelReader) throws {
            let dim: Int32 = try r.read(), nsubq: Int32 = try r.read(), dsub: Int32 = try r.read(), last: Int32 = try r.read()
            guard dim > 0, nsubq > 0, dsub > 0, last > 0, Int(nsubq - 1) * Int(dsub) + Int(last) == Int(dim) else {
                throw FastTextError.invalid(r.path, "bad product quantizer (dim \(dim), nsubq \(nsubq), dsub \(dsub), lastdsub \(last))")
            }
            self.dim = Int(dim); self.nsubq = Int(nsubq); self.dsub = Int(dsub); lastdsub = Int(last)
            centroids = try r.floats(Int(dim) * 256)
        }

        /// Offset of the centroid `i` of sub-quantizer `m` (fastText's `get_centroids`).
        func centroid(_ m: Int, _ i: UInt8) -> Int {
            m == nsubq - 1 ? m * 256 * dsub + Int(i) * lastdsub : (m * 256 + Int(i)) * dsub
        }
    }

    /// At most this many bytes of dequantized matrix per byte of model file: a file cannot ask for more memory
    /// than its size allows. Every matrix whose sub-vectors have at most 64 dimensions (fastText's `-dsub`, 2 by
    /// default) is within it, since each row takes at least `dim / 64` code bytes of the file.
    static let maxExpansion = 256

    var rows: Int, cols: Int
    var codes: [UInt8]
    var pq: Quantizer
    var normCodes: [UInt8] = []
    var npq: Quantizer?
    var hasNorms: Bool { npq != nil }

    init(reader r: inout ModelReader) throws {
        let qnorm: UInt8 = try r.read()
        let m: Int64 = try r.read(), n: Int64 = try r.read()
        let codesize: Int32 = try r.read()
        guard m >= 0, m <= Int64(r.length), n > 0, n <= 1 << 16, codesize >= 0 else { throw FastTextError.invalid(r.path, "bad quantized matrix \(m)x\(n)") }
        rows = Int(m); cols = Int(n)
        // Dequantized, each code byte becomes `dsub` floats: bound the matrix by the file's size (docs/fuzzing.md).
        guard rows * cols * 4 <= Self.maxExpansion * r.length else {
            throw FastTextError.invalid(r.path, "quantized matrix \(rows)x\(cols) would dequantize to \(rows * cols * 4) bytes, more than "
                + "\(Self.maxExpansion) times the file's \(r.length) bytes (product quantizers with sub-vectors of up to 64 dimensions load)")
        }
        codes = [UInt8](UnsafeRawBufferPointer(start: try r.skip(Int(codesize)), count: Int(codesize)))
        pq = try Quantizer(reader: &r)
        guard pq.dim == cols, codes.count >= rows * pq.nsubq else { throw FastTextError.invalid(r.path, "quantized matrix codes do not fit its shape") }
        if qnorm != 0 {
            normCodes = [UInt8](UnsafeRawBufferPointer(start: try r.skip(rows), count: rows))
            npq = try Quantizer(reader: &r)
        }
    }

    func norm(row: Int) -> Float {
        guard let npq else { return 1 }
        return npq.centroids[npq.centroid(0, normCodes[row])]
    }

    /// Writes row `row` as floats: centroid values, times the row norm when `applyNorm` (as fastText's
    /// `addcode` computes `norm * c` before adding).
    func dequantize(row: Int, into out: UnsafeMutablePointer<Float>, applyNorm: Bool) {
        let alpha: Float = applyNorm ? norm(row: row) : 1
        let base = pq.nsubq * row
        for m in 0..<pq.nsubq {
            let c = pq.centroid(m, codes[base + m])
            let d = m == pq.nsubq - 1 ? pq.lastdsub : pq.dsub
            for k in 0..<d { out[m * pq.dsub + k] = alpha * pq.centroids[c + k] }
        }
    }
}
