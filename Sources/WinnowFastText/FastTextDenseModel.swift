#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A supervised fastText model with dense matrices, as training leaves it and as `.bin` files hold it:
/// the Args block, the dictionary (with counts) and the input and output matrices. `FastTextQuantizer`
/// turns it into an `.ftz`; `FastTextModel` loads either file for prediction.
public struct FastTextDenseModel: Sendable {
    public internal(set) var header: FastTextModel.Header
    var dictionary: FastTextDictionary
    /// `inputRows × dim` floats: words, then n-gram buckets.
    var input: [Float]
    /// `labelCount × dim` floats.
    var output: [Float]

    public var dim: Int { Int(header.dim) }
    public var inputRows: Int { input.count / max(dim, 1) }
    public var wordCount: Int { dictionary.wordCount }
    public var labelCount: Int { dictionary.labelCount }
    public var tokenCount: Int64 { dictionary.tokenCount }
    /// Labels as written (`__label__en`), most frequent first.
    public var labels: [String] { (dictionary.wordCount..<dictionary.entries.count).map { String(decoding: dictionary.bytes($0), as: UTF8.self) } }
    public var labelCounts: [Int64] { dictionary.labelCounts }

    init(header: FastTextModel.Header, dictionary: FastTextDictionary, input: [Float], output: [Float]) {
        self.header = header; self.dictionary = dictionary; self.input = input; self.output = output
    }

    /// The `.bin` file's bytes.
    func serialized() -> FastTextModelWriter {
        var w = FastTextModelWriter()
        w.appendHeader(header)
        w.appendDictionary(dictionary)
        w.append(false)
        w.appendDense(rows: inputRows, cols: dim, input)
        w.append(false)
        w.appendDense(rows: labelCount, cols: dim, output)
        return w
    }

    /// Writes a `.bin` that fastText (and `FastTextModel`) loads.
    public func write(to path: String) throws {
        try serialized().write(to: path)
    }

    /// Reads a dense supervised `.bin` (version 12) to quantize it. `labelPrefix` is the one it was trained
    /// with (the file does not record it; it matters only to retraining).
    public init(path: String, labelPrefix: String = "__label__") throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FastTextError.cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FastTextError.cannotOpen(path, String(cString: strerror(errno))) }
        let length = Int(st.st_size)
        guard length >= 8, let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw FastTextError.invalid(path, "not a fastText model")
        }
        defer { munmap(base, length) }
        var r = ModelReader(base: UnsafeRawPointer(base), length: length, path: path)
        let magic: Int32 = try r.read(), version: Int32 = try r.read()
        guard magic == FastTextModelWriter.magic, version == 12 else {
            throw FastTextError.invalid(path, "not a fastText version 12 model (magic \(magic), version \(version))")
        }
        var v: [Int32] = []
        for _ in 0..<12 { v.append(try r.read()) }
        let t: Double = try r.read()
        guard let loss = FastTextModel.Loss(rawValue: v[6]), let kind = FastTextModel.Kind(rawValue: v[7]), kind == .supervised else {
            throw FastTextError.notSupervised(path)
        }
        header = FastTextModel.Header(version: 12, dim: v[0], ws: v[1], epoch: v[2], minCount: v[3], neg: v[4], wordNgrams: v[5],
                                      loss: loss, model: kind, bucket: v[8], minn: v[9], maxn: v[10], lrUpdateRate: v[11], t: t)
        let size: Int32 = try r.read(), nwords: Int32 = try r.read(), nlabels: Int32 = try r.read()
        let ntokens: Int64 = try r.read(), pruneSize: Int64 = try r.read()
        guard size >= 0, nwords >= 0, nlabels >= 0, nwords + nlabels == size else { throw FastTextError.invalid(path, "bad dictionary sizes") }
        var entries: [(bytes: [UInt8], count: Int64, isLabel: Bool)] = []
        for _ in 0..<Int(size) {
            let word = try r.cString()
            let count: Int64 = try r.read()
            let type: Int8 = try r.read()
            entries.append((word, count, type == 1))
        }
        var pairs: [(Int32, Int32)]? = nil
        if pruneSize >= 0 {
            pairs = []
            for _ in 0..<Int(pruneSize) { pairs!.append((try r.read(), try r.read())) }
        }
        let quantized: UInt8 = try r.read()
        guard quantized == 0 else { throw FastTextError.invalid(path, "already quantized: quantize a dense .bin") }
        dictionary = FastTextDictionary(entries: entries, tokenCount: ntokens, pruneIndex: pairs, labelPrefix: Array(labelPrefix.utf8),
                                        minn: Int(header.minn), maxn: Int(header.maxn), bucket: Int(header.bucket),
                                        wordNgrams: Int(header.wordNgrams))
        let dim = Int(header.dim)
        let inRows: Int64 = try r.read(), inCols: Int64 = try r.read()
        guard inCols == Int64(dim), inRows >= 0, inRows * inCols * 4 <= Int64(length) else { throw FastTextError.invalid(path, "bad input matrix") }
        input = try r.floats(Int(inRows) * dim)
        let qout: UInt8 = try r.read()
        guard qout == 0 else { throw FastTextError.invalid(path, "already quantized: quantize a dense .bin") }
        let outRows: Int64 = try r.read(), outCols: Int64 = try r.read()
        guard outCols == Int64(dim), outRows == Int64(nlabels) else { throw FastTextError.invalid(path, "bad output matrix") }
        output = try r.floats(Int(outRows) * dim)
    }
}
