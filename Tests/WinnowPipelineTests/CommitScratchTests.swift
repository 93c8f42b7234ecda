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
