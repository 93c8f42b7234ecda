import Foundation
import Testing
import WinnowTestSupport

/// The command line as a new user meets it (issue 19 items 7, 8, 10, 12, 13, 14 and the CLI grammar of
/// issue 10): every command reads files the same way, `-` is standard input, mistakes show the subcommand's
/// usage, messages are plain words.
@Suite struct CLIHardeningTests {
    let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
    let wet = repositoryRoot + "/Samples/sample-00000.warc.wet.gz"

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    /// A WET file given to `langid predict` without --jsonl is read as documents (one JSON line per
    /// conversion record), not as compressed bytes; compressed text lines are decompressed by content.
    @Test func langidPredictReadsFilesAsWinnowRunDoes() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The number of non-empty conversion records, counted by Python's gzip.
        let conversions = try python("""
            import gzip, re, sys
            data = gzip.open(sys.argv[1]).read()
            records = re.split(rb'\\r\\n\\r\\n(?=WARC/1\\.)', data)
            print(sum(1 for r in records if b'WARC-Type: conversion' in r and r.split(b'\\r\\n\\r\\n', 1)[1].strip()))
            """, [wet]).trimmingCharacters(in: .whitespacesAndNewlines)
        let predicted = try run(winnow, ["langid", "predict", wet])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(String(lines(predicted.stdout).count) == conversions)
        #expect(lines(predicted.stdout).allSatisfy { $0.hasPrefix("{\"id\":\"<urn:uuid:") })

        let text = "The quick brown fox jumps over the lazy dog.\nLe renard brun saute par-dessus le chien.\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/lines.txt"))
        _ = try python("import gzip, sys; open(sys.argv[2], 'wb').write(gzip.compress(open(sys.argv[1], 'rb').read()))",
                       [dir + "/lines.txt", dir + "/lines-gzipped"])
        let plain = try run(winnow, ["langid", "predict", dir + "/lines.txt"])
        let gzipped = try run(winnow, ["langid", "predict", dir + "/lines-gzipped"])
        #expect(plain.status == 0 && gzipped.status == 0, "\(gzipped.stderr)")
        #expect(lines(plain.stdout).count == 2)
        #expect(gzipped.stdout == plain.stdout)
        let piped = try run(winnow, ["langid", "predict", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: dir + "/lines-gzipped")))
        #expect(piped.stdout == plain.stdout, "\(piped.stderr)")
    }

    /// `-` (and /dev/stdin) is standard input in every command that reads files, compression detected on the stream.
    @Test func standardInputEverywhere() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let compressed = try Data(contentsOf: URL(fileURLWithPath: sample))  // zstd

        let scanned = try run(winnow, ["pii", "scan", sample])
        let scannedStdin = try run(winnow, ["pii", "scan", "-"], stdin: compressed)
        #expect(scanned.status == 0 && scannedStdin.status == 0, "\(scannedStdin.stderr)")
        #expect(!scanned.stdout.isEmpty)
        #expect(scannedStdin.stdout == scanned.stdout)

        let filtered = try run(winnow, ["filter", "length", "--param", "min_chars=500", sample, "-o", dir + "/a"])
        let filteredStdin = try run(winnow, ["filter", "length", "--param", "min_chars=500", "/dev/stdin", "-o", dir + "/b"], stdin: compressed)
        #expect(filtered.status == 0 && filteredStdin.status == 0, "\(filteredStdin.stderr)")
        #expect(filteredStdin.stdout == filtered.stdout)
        #expect(filtered.stdout.hasPrefix("length: 449 documents"))

        let trained = try run(winnow, ["tokenizer", "train", sample, "--vocab-size", "400", "-o", dir + "/tok"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let encoded = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/tok/tokenizer.json", sample])
        // Through the shell: the ids are more than a pipe holds, and the test's runner writes standard input first.
        let encodedStdin = try run("/bin/sh", ["-c", "exec \"$0\" tokenizer encode --tokenizer \"$1\" - < \"$2\"",
                                               winnow, dir + "/tok/tokenizer.json", sample])
        #expect(encodedStdin.status == 0, "\(encodedStdin.stderr)")
        #expect(lines(encoded.stdout).count == 449)
        #expect(encodedStdin.stdout == encoded.stdout)
    }

    /// Mistakes in arguments print the subcommand's usage; choice options reject what they do not know and
    /// list what they do.
    @Test func argumentMistakesShowTheSubcommandsUsage() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let types = try run(winnow, ["pii", "scan", "--types", "email,phonee", sample])
        #expect(types.status == 64)
        #expect(types.stderr.contains("unknown PII type 'phonee'") && types.stderr.contains("phone"), "\(types.stderr)")
        #expect(types.stderr.contains("Usage: winnow pii scan"), "\(types.stderr)")

        let param = try run(winnow, ["filter", "gopher_quality", "--param", "min_doc_words", sample, "-o", dir])
        #expect(param.status == 64)
        #expect(param.stderr.contains("Usage: winnow filter"), "\(param.stderr)")

        let value = try run(winnow, ["filter", "gopher_quality", "--param", "min_doc_words=abc", sample, "-o", dir])
        #expect(value.status == 2)
        #expect(value.stderr.contains("--param min_doc_words: stage 'gopher_quality': min_doc_words must be an integer"), "\(value.stderr)")

        for command in [["tokenizer", "eval", "--tokenizer", "t.json", "--pattern", "gpt5", sample],
                        ["tokenizer", "extend", "t.json", sample, "--add", "5", "--pattern", "gpt5", "-o", dir],
                        ["tokenizer", "train", sample, "--vocab-size", "300", "--pattern", "gpt5", "-o", dir]] {
            let bad = try run(winnow, command)
            #expect(bad.status == 64, "\(command)")
            #expect(bad.stderr.contains("'gpt5' is invalid") && bad.stderr.contains("'cl100k'"), "\(bad.stderr)")
        }
        for order in ["0", "7"] {
            let bad = try run(winnow, ["lm", "train", sample, "--order", order, "-o", dir + "/m.arpa"])
            #expect(bad.status == 64)
            #expect(bad.stderr.contains("--order must be between 1 and 6"), "\(bad.stderr)")
        }
        let format = try run(winnow, ["pii", "scan", "--format", "xml", sample])
        #expect(format.status == 64)
        #expect(format.stderr.contains("'jsonl'"), "\(format.stderr)")
    }

    /// A vocabulary with no room for merges is trained (it is valid) but warned about.
    @Test func trainingWithoutRoomForMergesWarns() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = try run(winnow, ["tokenizer", "train", sample, "--vocab-size", "100", "-o", dir])
        #expect(small.status == 0)
        #expect(small.stderr.contains("warning: --vocab-size 100 leaves no room for merges"), "\(small.stderr)")
    }

    /// `tokenizer decode` writes the lines before a bad one before it reports the bad one.
    @Test func decodeWritesEarlierLinesBeforeAnError() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try run(winnow, ["tokenizer", "train", sample, "--vocab-size", "300", "-o", dir]).status == 0)
        // Ids of the byte symbols: "h" and "i" in the HF layout are their byte-level characters' ranks.
        let ids = try run(winnow, ["tokenizer", "encode", "--tokenizer", dir + "/tokenizer.json", "--lines", "-"], stdin: Data("hi\n".utf8))
        let decoded = try run(winnow, ["tokenizer", "decode", "--tokenizer", dir + "/tokenizer.json"],
                              stdin: Data((ids.stdout + "not ids\n").utf8))
        #expect(decoded.status == 2)
        #expect(decoded.stdout == "hi\n")
        #expect(decoded.stderr.contains("line 2: not a list of ids"), "\(decoded.stderr)")
    }

    /// File-system errors name the path and what failed, in words.
    @Test func fileSystemErrorsAreInPlainWords() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data().write(to: URL(fileURLWithPath: dir + "/a-file"))
        let filtered = try run(winnow, ["filter", "length", sample, "-o", dir + "/a-file/out"])
        #expect(filtered.status == 2)
        #expect(!filtered.stderr.contains("NSCocoaErrorDomain") && !filtered.stderr.contains("Error Domain"), "\(filtered.stderr)")
        #expect(filtered.stderr.contains("\(dir)/a-file is a file, not a directory"), "\(filtered.stderr)")
    }

    /// `--version` names the commit the binary was built from (as git reports the checkout's HEAD).
    @Test func versionNamesTheCommit() throws {
        let winnow = try winnowExecutable()
        let head = try run("/usr/bin/env", ["git", "-C", repositoryRoot, "rev-parse", "HEAD"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let version = try run(winnow, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("winnow "), "\(version.stdout)")
        #expect(head.count == 40 && version.stdout.contains("commit " + head.prefix(12)), "\(version.stdout) vs HEAD \(head)")
    }

    /// The summary lists steps in the pipeline's order, the ten largest of a counter family and how many more,
    /// and says that the read row's MB in is compressed.
    @Test func summaryFollowsThePipeline() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = """
            output: \(dir)/out
            steps:
              - name: zeta
                input: {paths: [\(sample)]}
                stages: [language_id]
              - name: alpha
                input: {step: zeta}
                stages: [{length: {min_chars: 10}}]
            """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try run(winnow, ["run", dir + "/p.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        let zeta = try #require(out.range(of: "step zeta")), alpha = try #require(out.range(of: "step alpha"))
        #expect(zeta.lowerBound < alpha.lowerBound)
        // The sample holds pages in ~50 languages (Samples/README.md): ten are shown, the rest counted.
        let languageLines = lines(out).filter { $0.hasPrefix("  language_id: language:") && !$0.hasSuffix("(all in stats.json)") }
        #expect(languageLines.count == 10)
        #expect(out.contains("  language_id: language: ") && out.contains(" more (all in stats.json)"), "\(out)")
        #expect(out.contains("read: MB in is the input files as stored, compressed"))
    }

    /// A directory input takes the files it can read and says which it ignored; one without any is an error
    /// at the `paths:` line, as a glob without a match is.
    @Test func directoryInputsSayWhatTheyIgnore() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sample, toPath: dir + "/in/part-0.jsonl.zst")
        try Data("Read me first.\n".utf8).write(to: URL(fileURLWithPath: dir + "/in/readme.txt"))
        for (input, name) in [("in", "ok"), ("empty", "empty"), ("nothing*", "glob")] {
            let yaml = "output: \(dir)/out-\(name)\nsteps:\n  - name: s\n    input:\n      paths: [\(dir)/\(input)]\n    stages: [fix_line_endings]\n"
            try yaml.write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8)
        }
        let ok = try run(winnow, ["run", dir + "/ok.yaml"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("ignored 1 files in input directories that are not JSONL, WARC or WET: \(dir)/in/readme.txt"), "\(ok.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out-ok/s/problems"))
        for name in ["empty", "glob"] {
            let failed = try run(winnow, ["run", dir + "/\(name).yaml"])
            #expect(failed.status == 2)
            #expect(failed.stderr.contains("\(dir)/\(name).yaml:5: "), "\(failed.stderr)")
        }
    }

    /// Without a terminal (a log file, a cluster job), progress is a plain line every --progress-interval
    /// seconds; -q and --progress-interval 0 turn it off.
    @Test func progressLinesWithoutATerminal() throws {
        let winnow = try winnowExecutable()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Language ID over the sample three times: a few seconds in a debug build.
        let inputs = (1...3).map { "\(dir)/in\($0).jsonl.zst" }
        for input in inputs { try FileManager.default.copyItem(atPath: sample, toPath: input) }
        let yaml = "output: \(dir)/out\nsteps:\n  - name: s\n    input: {paths: [\(inputs.joined(separator: ", "))]}\n    stages: [language_id]\n"
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let logged = try run(winnow, ["run", dir + "/p.yaml", "--workers", "1", "--progress-interval", "0.2", "-o", dir + "/a"])
        #expect(logged.status == 0)
        let progress = lines(logged.stderr).filter { $0.hasPrefix("progress: s: ") }
        #expect(progress.count >= 2, "\(logged.stderr)")
        #expect(progress.last?.hasSuffix("(done)") == true)
        #expect(!logged.stderr.contains("\u{1B}["))
        for quiet in [["-q"], ["--progress-interval", "0"]] {
            let silent = try run(winnow, ["run", dir + "/p.yaml", "-o", dir + "/b" + quiet[0]] + quiet)
            #expect(silent.status == 0)
            #expect(!silent.stderr.contains("progress:"), "\(quiet): \(silent.stderr)")
        }
    }
}
