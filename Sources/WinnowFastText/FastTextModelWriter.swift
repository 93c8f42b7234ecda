#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serializes models in fastText's file format (`FastText::saveModel`, version 12): magic 793712314, the
/// version, the Args block, the dictionary (entries, then the prune index of a pruned model), the quantized
/// flag, the input matrix, the quantized-output flag and the output matrix. Little-endian, as fastText
/// writes on every machine it runs on.
struct FastTextModelWriter {
    static let magic: Int32 = 793_712_314
    static let version: Int32 = 12

    private(set) var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Float) { append(value.bitPattern) }
    mutating func append(_ value: Double) { append(value.bitPattern) }
    mutating func append(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func append(floats: [Float]) {
        bytes.reserveCapacity(bytes.count + floats.count * 4)
        for f in floats { append(f.bitPattern) }
    }

    /// Magic, version and the Args block (`Args::save`).
    mutating func appendHeader(_ h: FastTextModel.Header) {
        append(Self.magic)
        append(Self.version)
        for v in [h.dim, h.ws, h.epoch, h.minCount, h.neg, h.wordNgrams, h.loss.rawValue, h.model.rawValue,
                  h.bucket, h.minn, h.maxn, h.lrUpdateRate] { append(v) }
        append(h.t)
    }

    /// `Dictionary::save`: sizes, entries (bytes, NUL, count, type), prune index pairs (bucket, row).
    mutating func appendDictionary(_ d: FastTextDictionary) {
        append(Int32(d.entries.count))
        append(Int32(d.wordCount))
        append(Int32(d.labelCount))
        append(d.tokenCount)
        append(Int64(d.pruneIndexSize))
        for i in 0..<d.entries.count {
            bytes.append(contentsOf: d.bytes(i))
            bytes.append(0)
            append(d.entries[i].count)
            bytes.append(d.entries[i].isLabel ? 1 : 0)
        }
        if d.pruneIndexSize > 0 {
            for bucket in d.prunedBuckets {
                append(bucket)
                append(d.pruneIndex[bucket]!)
            }
        }
    }

    /// `DenseMatrix::save`: rows, columns (int64), the floats row by row.
    mutating func appendDense(rows: Int, cols: Int, _ data: [Float]) {
        append(Int64(rows))
        append(Int64(cols))
        append(floats: data)
    }

    /// `QuantMatrix::save`.
    mutating func appendQuantized(_ q: QuantizedMatrixData) {
        append(q.normQuantizer != nil)
        append(Int64(q.rows))
        append(Int64(q.cols))
        append(Int32(q.codes.count))
        bytes.append(contentsOf: q.codes)
        appendQuantizer(q.quantizer)
        if let npq = q.normQuantizer {
            bytes.append(contentsOf: q.normCodes)
            appendQuantizer(npq)
        }
    }

    private mutating func appendQuantizer(_ pq: ProductQuantizer) {
        append(Int32(pq.dim))
        append(Int32(pq.subquantizerCount))
        append(Int32(pq.dsub))
        append(Int32(pq.lastDsub))
        append(floats: pq.centroids)
    }

    /// Writes the bytes to `path` through a temporary file renamed into place.
    func write(to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FastTextTrainingError.io("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let why = String(cString: strerror(errno))
                close(fd); unlink(temporary)
                throw FastTextTrainingError.io("cannot write \(temporary): \(why)")
            }
            offset += n
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw FastTextTrainingError.io("cannot write \(path): \(why)")
        }
    }
}

/// Why training or quantization failed.
public enum FastTextTrainingError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidOption(String)
    case emptyVocabulary
    case noLabels
    case diverged
    case io(String)
    case invalidModel(String)

    public var description: String {
        switch self {
        case .invalidOption(let why): why
        case .emptyVocabulary: "empty vocabulary: no word reaches min-count"
        case .noLabels: "no labels in the training text (lines start with the label prefix, e.g. __label__en)"
        case .diverged: "training diverged (NaN, as fastText's 'Encountered NaN'): lower the learning rate"
        case .io(let why): why
        case .invalidModel(let why): why
        }
    }
}
