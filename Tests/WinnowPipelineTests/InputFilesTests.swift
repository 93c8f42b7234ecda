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
        #expect(try InputFiles.expand([dir + "/*.jsonl*"], location: "p.yaml:3") == [dir + "/a.jsonl", dir + "/b.jsonl.zst"])
        // A directory: every regular file below it, sorted, without hidden or underscore entries.
        #expect(try InputFiles.expand([dir], location: "p.yaml:3") ==
                ["a.jsonl", "b.jsonl.zst", "c.txt", "sub/d.jsonl", "sub/e.warc.gz"].map { dir + "/" + $0 })
        // Overlapping entries are listed once, in first-seen order.
        #expect(try InputFiles.expand([dir + "/sub/e.warc.gz", dir + "/sub"], location: "p.yaml:3") ==
                [dir + "/sub/e.warc.gz", dir + "/sub/d.jsonl"])
        #expect(throws: ConfigurationError(location: "p.yaml:3", message: "no file matches '\(dir)/*.parquet'")) {
            try InputFiles.expand([dir + "/*.parquet"], location: "p.yaml:3")
        }
    }
}
