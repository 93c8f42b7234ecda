import Foundation
import Testing
import WinnowTestSupport

/// The `train_tokenizer` whole-dataset step: it trains on the documents an earlier step wrote, equal to HF
/// `BpeTrainer` on those documents (read by Python), skips itself when complete, and its errors name the line.
@Suite(.serialized) struct DatasetStepTests {
    @Test func trainsTokenizerOnEarlierStepAndResumes() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        _ = try makeCorpus(in: dir + "/in", files: 2, documentsPerFile: 150)
        let yaml = PipelineRunTests.pipeline(input: dir + "/in", output: dir + "/out", minChars: 50) + """

          - name: tokenizer
            input: {step: clean}
            run:
              train_tokenizer: {vocab_size: 700, min_frequency: 2, special_tokens: ["<|endoftext|>"], memory: 1M, threads: 2}
        """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let first = try run(try winnowExecutable(), ["run", dir + "/p.yaml"])
        #expect(first.status == 0, "\(first.stderr)")
        let tokenizer = dir + "/out/tokenizer/output/tokenizer.json"
        #expect(FileManager.default.fileExists(atPath: tokenizer))

        // HF on the same documents, read from clean/documents by Python.
        let same = try python("""
            import glob, gzip, json, sys, zstandard
            from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
            texts = []
            for p in sorted(glob.glob(sys.argv[1] + '/*.jsonl*')):
                raw = open(p, 'rb').read()
                if p.endswith('.zst'): raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
                texts += [json.loads(l)['text'] for l in raw.decode('utf-8').splitlines()]
            tok = Tokenizer(models.BPE())
            tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
            tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=700, min_frequency=2, special_tokens=["<|endoftext|>"],
                initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
            hf = json.loads(tok.to_str())['model']
            ours = json.load(open(sys.argv[2]))['model']
            norm = lambda m: [x if isinstance(x, str) else ' '.join(x) for x in m]
            print(hf['vocab'] == ours['vocab'] and norm(hf['merges']) == norm(ours['merges']))
            """, [dir + "/out/clean/documents", tokenizer])
        #expect(same.trimmingCharacters(in: .whitespacesAndNewlines) == "True")

        let stats = try String(contentsOfFile: dir + "/out/tokenizer/stats.json", encoding: .utf8)
        #expect(stats.contains("\"train_tokenizer\"") && stats.contains("\"merges\""))
        // The read row counts what the earlier step kept (Python counted the same documents above).
        let documents = try JSONSerialization.jsonObject(with: Data(try documentsWithPython(dir + "/out/clean/documents").utf8)) as! [[String]]
        let stages = (try JSONSerialization.jsonObject(with: Data(stats.utf8)) as! [String: Any])["stages"] as! [[String: Any]]
        #expect(stages.map { $0["name"] as? String } == ["read", "count", "train"])
        #expect(stages.prefix(2).map { $0["documents_out"] as? Int } == [documents.count, documents.count])
        let before = try Data(contentsOf: URL(fileURLWithPath: tokenizer))
        let again = try run(try winnowExecutable(), ["run", dir + "/p.yaml"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("already complete"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: tokenizer)) == before)
    }

    /// `winnow tokenizer train -` runs the phased step on standard input (compressed, detected by content) and
    /// trains the tokenizer it trains on the same file.
    @Test func trainsFromStandardInputLikeFromTheFile() throws {
        let dir = try temporaryDirectory()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let fromFile = try run(try winnowExecutable(), ["tokenizer", "train", sample, "--vocab-size", "400", "-o", dir + "/file"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let fromStdin = try run(try winnowExecutable(), ["tokenizer", "train", "-", "--vocab-size", "400", "-o", dir + "/stdin"],
                                stdin: try Data(contentsOf: URL(fileURLWithPath: sample)))
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(fromStdin.stderr.contains("449 documents"), "\(fromStdin.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/stdin/tokenizer.json")) == Data(contentsOf: URL(fileURLWithPath: dir + "/file/tokenizer.json")))
    }

    /// A file that cannot be read is a recorded problem, not a failed step; the other files still train.
    @Test func unreadableInputIsRecordedAndSkipped() throws {
        let dir = try temporaryDirectory()
        let sample = repositoryRoot + "/Samples/sample-00000.jsonl.zst"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sample))
        try bytes.prefix(4).write(to: URL(fileURLWithPath: dir + "/broken.jsonl.zst"))  // the zstd magic, nothing more
        let yaml = """
        output: \(dir)/out
        steps:
          - name: t
            input: {paths: [\(dir)/broken.jsonl.zst, \(sample)]}
            run:
              train_tokenizer: {vocab_size: 400}
        """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out/t/output/tokenizer.json"))
        let problems = try String(contentsOfFile: dir + "/out/t/count/problems/00000.jsonl", encoding: .utf8)
        #expect(problems.contains("broken.jsonl.zst"))
        let stats = try String(contentsOfFile: dir + "/out/t/stats.json", encoding: .utf8)
        #expect(stats.contains("problem:"))
    }

    @Test func configurationErrorsNameTheLine() throws {
        let dir = try temporaryDirectory()
        for (runEntry, message) in [("train_tokenizer: {pattern: gpt2}", "vocab_size"), ("train_tokenizer: {vocab_size: 500, colour: red}", "colour"),
                               ("train_tokenizer: {vocab_size: 500, special_tokens: [\"<s>\", \"\"]}", "special token 2 of 2 is empty"),
                               ("dedupe_everything", "unknown whole-dataset step")] {
            let yaml = """
            output: \(dir)/out
            steps:
              - name: t
                input: {paths: [\(repositoryRoot)/Samples/sample-00000.jsonl.zst]}
                run:
                  \(runEntry)
            """
            try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let result = try run(try winnowExecutable(), ["run", dir + "/p.yaml"])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message) && result.stderr.contains("p.yaml:"), "\(result.stderr)")
        }
    }
}
