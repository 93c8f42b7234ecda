import Foundation
import Testing
import WinnowFastText

/// A quantized (.ftz) matrix dequantizes to `rows × dim` floats, up to `4 × dsub` bytes per byte of codes: a small
/// file with wide sub-vectors asked for gigabytes. The loader bounds the dequantized matrix by 256 times the file's
/// size (docs/fuzzing.md, "Bounds"). The models here are written byte by byte after fastText's `saveModel` layout.
@Suite struct FastTextQuantizedBoundsTests {
    /// A supervised model with an empty dictionary and a product-quantized input matrix of `rows` rows of `dim`
    /// columns in one sub-vector (`dsub = dim`), every code 0; a dense 0×dim output matrix.
    static func quantizedModel(rows: Int, dim: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        int32(793_712_314); int32(12)  // magic, version
        // Args: dim, ws, epoch, minCount, neg, wordNgrams, loss (softmax = 3), model (supervised = 3), bucket,
        // minn, maxn, lrUpdateRate, t.
        for v in [Int32(dim), 5, 5, 1, 5, 1, 3, 3, 0, 0, 0, 100] { int32(v) }
        withUnsafeBytes(of: (1e-4 as Double).bitPattern.littleEndian) { bytes += $0 }
        int32(0); int32(0); int32(0); int64(0); int64(-1)  // dictionary: no entries, no prune index
        bytes.append(1)  // quantized input
        bytes.append(0)  // no norms
        int64(Int64(rows)); int64(Int64(dim)); int32(Int32(rows))  // rows, columns, code bytes
        bytes += [UInt8](repeating: 0, count: rows)
        int32(Int32(dim)); int32(1); int32(Int32(dim)); int32(Int32(dim))  // dim, nsubq, dsub, lastdsub
        bytes += [UInt8](repeating: 0, count: dim * 256 * 4)  // centroids
        bytes.append(0)  // dense output
        int64(0); int64(Int64(dim))
        return bytes
    }

    func load(_ bytes: [UInt8]) throws -> FastTextModel {
        let path = NSTemporaryDirectory() + "winnow-ftz-bound-\(getpid())-\(bytes.count).ftz"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try FastTextModel(path: path)
    }

    /// 140,000 rows of 128 dimensions in a 271 KB file: 71.7 MB dequantized, 264 times the file.
    @Test func wideSubVectorsBeyondTheBoundAreAnError() throws {
        let bytes = Self.quantizedModel(rows: 140_000, dim: 128)
        #expect(bytes.count == 271_219)
        do {
            _ = try load(bytes)
            Issue.record("a quantized matrix 264 times the file's size loaded")
        } catch {
            #expect("\(error)".contains("would dequantize to 71680000 bytes, more than 256 times the file's 271219 bytes"), "\(error)")
        }
    }

    /// The same shape with 120,000 rows (about 245 times the file) loads: the bound is the file's size, not dsub.
    @Test func wideSubVectorsWithinTheBoundLoad() throws {
        let model = try load(Self.quantizedModel(rows: 120_000, dim: 128))
        #expect(model.quantizedInput)
        #expect(model.inputRows == 120_000)
    }
}
