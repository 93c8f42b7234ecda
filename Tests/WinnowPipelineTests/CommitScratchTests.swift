import Foundation
import Testing
import WinnowTestSupport
@testable import WinnowPipeline

/// `commitScratch` (a task's last step before its marker) and `makeDirectory`, on hand-made trees.
@Suite struct CommitScratchTests {
    @Test func movesEveryRegularFileAndRemovesTheScratchTree() throws {
        let root = try temporaryDirectory()
        let scratch = root + "/_tmp/00003"
        let files = ["phase/key-000/00003.bin", "phase/key-001/00003.bin", "phase/stats/00003.json", "top.txt",
                     "phase/a/b/c/deep.bin"]
        for (i, f) in files.enumerated() {
            try makeDirectory(scratch + "/" + String(f[..<(f.lastIndex(of: "/") ?? f.startIndex)]))
            #expect(FileManager.default.createFile(atPath: scratch + "/" + f, contents: Data("file \(i)\n".utf8)))
        }
        try makeDirectory(scratch + "/phase/empty/nested")
        // A file already in place is replaced; another task's file beside it stays.
        try makeDirectory(root + "/phase/key-000")
        #expect(FileManager.default.createFile(atPath: root + "/phase/key-000/00003.bin", contents: Data("old".utf8)))
        #expect(FileManager.default.createFile(atPath: root + "/phase/key-000/00001.bin", contents: Data("other".utf8)))
        try FileManager.default.createSymbolicLink(atPath: scratch + "/phase/link", withDestinationPath: "top.txt")

        try commitScratch(scratch, into: root)

        for (i, f) in files.enumerated() {
            #expect(try String(contentsOfFile: root + "/" + f, encoding: .utf8) == "file \(i)\n", "\(f)")
        }
        #expect(try String(contentsOfFile: root + "/phase/key-000/00001.bin", encoding: .utf8) == "other")
        #expect(!FileManager.default.fileExists(atPath: scratch))
        #expect(!FileManager.default.fileExists(atPath: root + "/phase/empty"))  // directories alone are not committed
        #expect(!FileManager.default.fileExists(atPath: root + "/phase/link"))  // nor anything but regular files
        // A missing scratch directory commits nothing.
        try commitScratch(root + "/_tmp/missing", into: root)
    }

    /// A phase task's files sit directly in its scratch directory under flat names (`flatScratchName`): each goes
    /// to the path its name encodes, `%` and `/` included, beside files in subdirectories (a document writer's).
    @Test func flatNamesGoToThePathTheyEncode() throws {
        let root = try temporaryDirectory()
        let scratch = root + "/_tmp/00002"
        try makeDirectory(scratch + "/documents")
        let flat = ["phase/key-000/00002.bin", "labels-03/part-001/00002.bin", "phase/stats/00002.json", "odd%2Fname/00002.bin",
                    "100%/a/00002.tsv", "top.txt"]
        #expect(flatScratchName("phase/key-000/00002.bin") == "phase%2Fkey-000%2F00002.bin")
        #expect(flatScratchName("100%/a") == "100%25%2Fa")
        #expect(flatScratchName("top.txt") == "top.txt")
        for (i, f) in flat.enumerated() {
            #expect(unflattenedScratchPath(flatScratchName(f)) == f)
            #expect(FileManager.default.createFile(atPath: scratch + "/" + flatScratchName(f), contents: Data("flat \(i)\n".utf8)))
        }
        #expect(FileManager.default.createFile(atPath: scratch + "/documents/00002.jsonl", contents: Data("doc\n".utf8)))

        try commitScratch(scratch, into: root)

        for (i, f) in flat.enumerated() {
            #expect(try String(contentsOfFile: root + "/" + f, encoding: .utf8) == "flat \(i)\n", "\(f)")
        }
        #expect(try String(contentsOfFile: root + "/documents/00002.jsonl", encoding: .utf8) == "doc\n")
        #expect(!FileManager.default.fileExists(atPath: scratch))
    }

    @Test func makeDirectoryCreatesParentsAndRefusesAFile() throws {
        let root = try temporaryDirectory()
        try makeDirectory(root + "/a/b/c")
        try makeDirectory(root + "/a/b/c")  // already there
        try makeDirectory(root + "/a/b/d")  // only the last component missing
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/d", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.createFile(atPath: root + "/a/file", contents: Data()))
        #expect(throws: ExecutionError.self) { try makeDirectory(root + "/a/file") }
        #expect(throws: ExecutionError.self) { try makeDirectory(root + "/a/file/sub") }
    }
}
