import Foundation
import Testing
import WinnowCore
@testable import WinnowPipeline
import WinnowTestSupport

/// Files, directories and globs expand to a sorted, de-duplicated list, as a shell would list them.
@Suite struct InputFilesTests {
    @Test func globsDirectoriesAndFiles() throws {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        for name in ["b.jsonl.zst", "a.jsonl", "c.txt", ".hidden.jsonl", "_tmp/x.jsonl", "sub/d.jsonl", "sub/e.warc.gz"] {
            let path = dir + "/" + name
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: path, contents: Data("{}".utf8))
        }
        #expect(try InputFiles.expand([dir + "/*.jsonl*"], location: "p.yaml:3").files == [dir + "/a.jsonl", dir + "/b.jsonl.zst"])
        // A directory: every regular file below it, sorted, without hidden or underscore entries.
        #expect(try InputFiles.expand([dir], location: "p.yaml:3").files ==
                ["a.jsonl", "b.jsonl.zst", "c.txt", "sub/d.jsonl", "sub/e.warc.gz"].map { dir + "/" + $0 })
        // Overlapping entries are listed once, in first-seen order.
        #expect(try InputFiles.expand([dir + "/sub/e.warc.gz", dir + "/sub"], location: "p.yaml:3").files ==
                [dir + "/sub/e.warc.gz", dir + "/sub/d.jsonl"])
        #expect(throws: ConfigurationError(location: "p.yaml:3", message: "no file matches '\(dir)/*.parquet'")) {
            try InputFiles.expand([dir + "/*.parquet"], location: "p.yaml:3")
        }
    }

    /// A directory takes the files whose format is recognised and lists the others; a directory without
    /// an input file is the same error as a glob without a match.
    @Test func directoriesTakeInputFilesOnly() throws {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        try Data("{\"text\":\"a\"}\n".utf8).write(to: URL(fileURLWithPath: dir + "/part-0"))
        try Data("Read me first.\n".utf8).write(to: URL(fileURLWithPath: dir + "/readme.txt"))
        let listing = try InputFiles.expand([dir], location: "p.yaml:4")
        #expect(listing.files == [dir + "/part-0"])
        #expect(listing.ignored == [dir + "/readme.txt"])

        let empty = dir + "/empty"
        try fm.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: ConfigurationError(location: "p.yaml:4", message: "no input file in '\(empty)'")) {
            try InputFiles.expand([empty], location: "p.yaml:4")
        }
        let notes = dir + "/notes"
        try fm.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try Data("Read me.\n".utf8).write(to: URL(fileURLWithPath: notes + "/readme.txt"))
        #expect(throws: ConfigurationError(location: "p.yaml:4", message: "no input file in '\(notes)' (1 other files: \(notes)/readme.txt)")) {
            try InputFiles.expand([notes], location: "p.yaml:4")
        }
    }
}
