import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowDedup

/// The `position \t id` lists of the keys phase: what `IdListWriter` writes, `IdListReader` reads back.
@Suite struct IdListTests {
    @Test func idsWithEscapesAndControlCharactersRoundTrip() throws {
        let path = try temporaryDirectory() + "/ids.tsv"
        let ids: [(UInt64, String)] = [(0, "plain"), (7, "tab\there"), (42, "new\nline"), (1 << 40, "back\\slash\\t"),
                                       (UInt64.max, "carriage\r"), (3, "\r\n"), (5, "ünïcode 🔎"), (9, "")]
        let writer = try IdListWriter(path: path)
        for (p, id) in ids { try writer.write(position: p, id: id) }
        try writer.close()
        var read: [(UInt64, String)] = []
        try IdListReader.forEach(path: path) { read.append(($0, $1)) }
        #expect(read.map(\.0) == ids.map(\.0))
        #expect(read.map(\.1) == ids.map(\.1))
    }

    @Test func malformedLinesAreRejected() throws {
        let dir = try temporaryDirectory()
        for (i, text) in ["12 no tab\n", "x1\tid\n", "\tid\n", "18446744073709551616\tid\n"].enumerated() {
            let path = dir + "/bad\(i).tsv"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: DedupIOError.self) { try IdListReader.forEach(path: path) { _, _ in } }
        }
        // Blank lines are skipped.
        let path = dir + "/blank.tsv"
        try Data("\n1\ta\n\n2\tb\n".utf8).write(to: URL(fileURLWithPath: path))
        var read: [String] = []
        try IdListReader.forEach(path: path) { read.append("\($0)=\($1)") }
        #expect(read == ["1=a", "2=b"])
    }
}
