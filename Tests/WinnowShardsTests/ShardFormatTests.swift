import Foundation
import Testing
import WinnowCore
import WinnowShards
import WinnowTestSupport

/// Each format read back by numpy readers that mirror its trainer (Fixtures/read_shards.py): every document is
/// HF `tokenizers`' encoding of an input text plus the EOS (or llm.c's EOT before it), each exactly once.
@Suite(.serialized) struct ShardFormatTests {
    /// A corpus, and a tokenizer Winnow trained on it with `<|endoftext|>` (id 0).
    static func fixture(_ name: String = #function) throws -> (dir: String, inputs: [String], tokenizer: String) {
        let dir = try temporaryDirectory(name)
        try makeCorpus(in: dir + "/in", files: 3, documentsPerFile: 120, seed: 7)
        let inputs = (0..<3).map { String(format: "%@/in/part-%03d.jsonl.zst", dir, $0) }
        let trained = try winnow(["tokenizer", "train"] + inputs + ["--vocab-size", "600", "--special-token", "<|endoftext|>", "--output", dir + "/tok"])
        #expect(trained.status == 0, "\(trained.stderr)")
        return (dir, inputs, dir + "/tok/tokenizer.json")
    }

    /// HF tokenizers' ids of every input text (no special tokens), in input order.
    static func referenceEncoding(tokenizer: String, inputs: [String]) throws -> [[UInt32]] {
        let out = try ProcessRunner.python("""
        import json, sys, zstandard
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(sys.argv[1])
        out = []
        for p in sys.argv[2:]:
            raw = zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read())
            for line in raw.decode().splitlines():
                out.append(tok.encode(json.loads(line)['text'], add_special_tokens=False).ids)
        print(json.dumps(out))
        """, [tokenizer] + inputs)
        return try JSONDecoder().decode([[UInt32]].self, from: Data(out.utf8))
    }

    static func sorted(_ docs: [[UInt32]]) -> [[UInt32]] {
        docs.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test(.enabled(if: referencesAvailable, "needs numpy, tokenizers and zstandard (pip install numpy tokenizers zstandard)"),
          arguments: ["megatron", "llmc", "datatrove", "memmap"])
    func formatReadsBackAsReferenceEncoding(format: String) throws {
        let (dir, inputs, tokenizer) = try Self.fixture("format" + format)
        let boundary = format == "llmc" ? ["--bos", "<|endoftext|>"] : ["--eos", "<|endoftext|>"]
        let built = try winnow(["shards", "build"] + inputs + ["--tokenizer", tokenizer, "--shard-format", format, "--shard-tokens", "4000",
                                                               "--seed", "3", "--output", dir + "/out"] + boundary)
        #expect(built.status == 0, "\(built.stderr)")
        let set = try readBack(dir + "/out/manifest.json")
        #expect(set.dtype == "uint16")
        #expect(set.shards.count > 3, "several shards of about 4000 tokens")
        let expected = try Self.referenceEncoding(tokenizer: tokenizer, inputs: inputs)
            .map { format == "llmc" ? [0] + $0 : $0 + [0] }
        #expect(expected.count == 360)
        #expect(Self.sorted(set.documents) == Self.sorted(expected))
        #expect(set.documents != expected, "the documents are shuffled")
        // Shards close at the first document that reaches 4000 tokens.
        for shard in set.shards.dropLast() {
            let tokens = shard.map(\.count).reduce(0, +)
            #expect(tokens >= 4000 && tokens - shard.last!.count < 4000)
        }
        if format == "llmc" {
            #expect(set.files.first == "tokens_val_000000.bin" && set.files.dropFirst().allSatisfy { $0.contains("_train_") })
        }
        let verified = try winnow(["shards", "verify", dir + "/out/manifest.json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        // inspect decodes a document back to an input text.
        let first = try winnow(["shards", "inspect", dir + "/out/" + set.files[0], "--doc", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        let ids = try winnow(["shards", "inspect", dir + "/out/" + set.files[0], "--doc", "1", "--ids"])
        #expect(ids.stdout.split(separator: " ").compactMap { UInt32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } == set.shards[0][1])
    }

    /// A vocabulary over 65,536 ids (a .tiktoken file: 256 bytes, then every byte pair, then `<|endoftext|>` at
    /// 65,792) gives int32 Megatron and uint32 llm.c/datatrove/memmap shards that decode back to the input.
    @Test(.enabled(if: referencesAvailable, "needs numpy and zstandard"), arguments: ["megatron", "llmc", "datatrove", "memmap"])
    func largeVocabularyReadsBackExactly(format: String) throws {
        let dir = try temporaryDirectory("large" + format)
        try makeCorpus(in: dir + "/in", files: 2, documentsPerFile: 60, seed: 11)
        let inputs = (0..<2).map { String(format: "%@/in/part-%03d.jsonl.zst", dir, $0) }
        // Ranks: single bytes first, then pairs in a seeded order (so which pair merges first is not trivial).
        _ = try ProcessRunner.python("""
        import base64, json, random, sys
        d = sys.argv[1]
        letters = set(b'abcdefghijklmnopqrstuvwxyz')
        pairs = [bytes([a, b]) for a in range(256) for b in range(256)]
        random.Random(5).shuffle(pairs)
        # Lowercase pairs last: ids above 65,535 are common in the text.
        pairs = [p for p in pairs if not set(p) <= letters] + [p for p in pairs if set(p) <= letters]
        tokens = [bytes([b]) for b in range(256)] + pairs
        open(d + '/big.tiktoken', 'w').write(''.join(f'{base64.b64encode(t).decode()} {r}\\n' for r, t in enumerate(tokens)))
        json.dump({'ranks_file': 'big.tiktoken', 'pattern': 'gpt2', 'special_tokens': {'<|endoftext|>': len(tokens)}}, open(d + '/tiktoken.json', 'w'))
        """, [dir])
        let boundary = format == "llmc" ? ["--bos", "<|endoftext|>"] : ["--eos", "65792"]
        let built = try winnow(["shards", "build"] + inputs + ["--tokenizer", dir + "/big.tiktoken", "--shard-format", format,
                                                               "--shard-tokens", "3000", "--output", dir + "/out"] + boundary)
        #expect(built.status == 0, "\(built.stderr)")
        let set = try readBack(dir + "/out/manifest.json")
        #expect(set.dtype == (format == "megatron" ? "int32" : "uint32"))
        #expect(set.documents.joined().contains { $0 > 65_535 && $0 != 65_792 }, "ids above uint16 occur")
        // Decode with the ranks file itself (id -> bytes), independently of Winnow.
        let decoded = try ProcessRunner.python("""
        import base64, json, sys, zstandard
        ranks = [base64.b64decode(l.split()[0]) for l in open(sys.argv[1]).read().splitlines()]
        docs, fmt = json.loads(sys.stdin.read()), sys.argv[2]
        texts = []
        for doc in docs:
            assert (doc[0] if fmt == 'llmc' else doc[-1]) == 65792, 'boundary token missing'
            body = doc[1:] if fmt == 'llmc' else doc[:-1]
            texts.append(b''.join(ranks[t] for t in body).decode())
        inputs = []
        for p in sys.argv[3:]:
            raw = zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read())
            inputs += [json.loads(l)['text'] for l in raw.decode().splitlines()]
        print(sorted(texts) == sorted(inputs), len(texts))
        """, [dir + "/big.tiktoken", format] + inputs, stdin: try JSONEncoder().encode(set.documents))
        #expect(decoded == "True 120\n", "\(decoded)")
        #expect(try winnow(["shards", "verify", dir + "/out/manifest.json"]).status == 0)
    }

    /// `verify` exits non-zero and names the problem for a flipped byte, a truncated `.bin` and a wrong count.
    @Test(.enabled(if: referencesAvailable, "needs tokenizers and zstandard"))
    func verifyCatchesDamage() throws {
        let (dir, inputs, tokenizer) = try Self.fixture()
        let built = try winnow(["shards", "build"] + inputs + ["--tokenizer", tokenizer, "--eos", "<|endoftext|>", "--shard-tokens", "5000",
                                                               "--output", dir + "/good"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(try winnow(["shards", "verify", dir + "/good/manifest.json"]).status == 0)
        func damaged(_ name: String, _ damage: (String) throws -> Void) throws -> ProcessOutput {
            let copy = dir + "/" + name
            try FileManager.default.copyItem(atPath: dir + "/good", toPath: copy)
            try damage(copy)
            return try winnow(["shards", "verify", copy + "/manifest.json"])
        }
        let flipped = try damaged("flipped") { d in
            let h = FileHandle(forUpdatingAtPath: d + "/tokens_00001.bin")!
            try h.seek(toOffset: 101)
            let b = try h.read(upToCount: 1)!
            try h.seek(toOffset: 101)
            h.write(Data([b[0] ^ 0x10]))
            try h.close()
        }
        #expect(flipped.status == 1)
        #expect(flipped.stderr.contains("tokens_00001.bin: SHA-256"), "\(flipped.stderr)")
        let truncated = try damaged("truncated") { d in
            let h = FileHandle(forUpdatingAtPath: d + "/tokens_00002.bin")!
            try h.truncate(atOffset: 1000)
            try h.close()
        }
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("tokens_00002.bin: 1000 bytes, the manifest says"), "\(truncated.stderr)")
        #expect(truncated.stderr.contains("truncated or extended"), "\(truncated.stderr)")
        // A shard's document count changed in the manifest (totals kept consistent, so only the shard disagrees).
        let miscounted = try damaged("miscounted") { d in
            _ = try ProcessRunner.python("""
            import json, sys
            p = sys.argv[1]; m = json.load(open(p))
            m['shards'][0]['documents'] += 1; m['documents'] += 1
            json.dump(m, open(p, 'w'), indent=2)
            """, [d + "/manifest.json"])
        }
        #expect(miscounted.status == 1)
        #expect(miscounted.stderr.contains("tokens_00000.bin:") && miscounted.stderr.contains("documents, the manifest says"), "\(miscounted.stderr)")
        let missing = try damaged("missing") { d in try FileManager.default.removeItem(atPath: d + "/tokens_00000.idx") }
        #expect(missing.status == 1 && missing.stderr.contains("tokens_00000.idx: missing"), "\(missing.stderr)")
    }

    @Test func streamingSHA256MatchesHashlib() throws {
        var random = SplitMix64(seed: 99)
        let bytes = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let expected = try ProcessRunner.python("import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin: Data(bytes))
        // Uneven chunks cross block boundaries in every way.
        var digest = SHA256Digest()
        var at = 0
        while at < bytes.count {
            let n = min(Int(random.next() % 200), bytes.count - at)
            digest.update(Array(bytes[at..<(at + n)]))
            at += n
        }
        #expect(digest.finalize() + "\n" == expected)
        var empty = SHA256Digest()
        #expect(empty.finalize() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
