import Foundation
import Testing
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowPII

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

func parseJSON(_ s: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed]) }

/// What the scanner finds in `text`: (type label, matched string) pairs in order.
func found(_ text: String, _ scanner: PIIScanner = PIIScanner()) -> [(String, String)] {
    let bytes = Array(text.utf8)
    return scanner.scan(bytes).map { ($0.type.label, String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)) }
}

/// The matched strings of one type.
func values(_ text: String, _ type: PIIType, _ scanner: PIIScanner = PIIScanner()) -> [String] {
    found(text, scanner).filter { $0.0 == type.label }.map(\.1)
}

/// Scalar (Python `str`) offsets of a byte span.
func scalarOffsets(_ text: [UInt8], _ span: PIISpan) -> (Int, Int) {
    var s = 0
    for k in 0..<span.start where text[k] & 0xC0 != 0x80 { s += 1 }
    var e = s
    for k in span.start..<span.end where text[k] & 0xC0 != 0x80 { e += 1 }
    return (s, e)
}

/// Every document of a file, read with WinnowIO.
func readDocuments(_ path: String) throws -> [Document] {
    var docs: [Document] = []
    var stats = StageStats(name: "read")
    try InputFormat.auto.resolve(path: path).reader(options: ReaderOptions()).read(
        file: path, stats: &stats, problem: { _ in }, emit: { docs.append($0) })
    return docs
}
