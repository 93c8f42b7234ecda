import WinnowIO

/// How `tokenizer.json` spells merges.
public enum MergesFormat: String, Sendable, CaseIterable {
    /// `[["Ġ", "t"], ...]`: what `tokenizers` ≥ 0.20 writes.
    case pairs
    /// `["Ġ t", ...]`: the legacy form older `tokenizers` and many published files use.
    case legacy
}

extension BPEModel {
    /// A `tokenizer.json` that HF `tokenizers.Tokenizer.from_file` loads: version "1.0", a BPE model with the
    /// vocab and merges, the pre-tokenizer (for `gpt2`, ByteLevel with its own GPT-2 regex; for the other presets,
    /// as Llama 3's file has it, a Sequence of Split(the preset's `hfRegex`, Isolated) and ByteLevel without regex;
    /// never a prefix space), a ByteLevel decoder, no post-processor, and the special tokens in `added_tokens`
    /// (and in the vocab).
    public func tokenizerJSON(merges format: MergesFormat = .pairs) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(vocab.count * 40)
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func str(_ s: String) { JSONWriter.appendString(s, to: &out) }

        raw("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [")
        for (k, token) in specialTokens.enumerated() {
            raw(k == 0 ? "\n" : ",\n")
            raw("    {\"id\": \(specialIDs[k]), \"content\": ")
            str(token)
            raw(", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}")
        }
        raw(specialTokens.isEmpty ? "],\n" : "\n  ],\n")
        // HF's normalizers NFC and NFKC; training applied the same form before splitting.
        raw("  \"normalizer\": " + (normalization.map { "{\"type\": \"\($0.rawValue.uppercased())\"}" } ?? "null") + ",\n")
        raw("  \"pre_tokenizer\": ")
        if pattern == .gpt2 {
            raw(#"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}"#)
        } else {
            raw(#"{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "#)
            str(pattern.hfRegex)
            raw(#"}, "behavior": "Isolated", "invert": false}, "#)
            raw(#"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}"#)
        }
        raw(",\n")
        raw("""
              "post_processor": null,
              "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
              "model": {
                "type": "BPE",
                "dropout": null,
                "unk_token": null,
                "continuing_subword_prefix": null,
                "end_of_word_suffix": null,
                "fuse_unk": false,
                "byte_fallback": false,
                "ignore_merges": false,
                "vocab": {
            """)
        appendVocabEntries(to: &out, indent: "      ")
        raw("\n    },\n    \"merges\": [")
        for (i, merge) in merges.enumerated() {
            raw(i == 0 ? "\n      " : ",\n      ")
            switch format {
            case .pairs:
                raw("[")
                str(vocab[merge.left])
                raw(", ")
                str(vocab[merge.right])
                raw("]")
            case .legacy:
                str(vocab[merge.left] + " " + vocab[merge.right])
            }
        }
        raw(merges.isEmpty ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n")
        return out
    }

    private func appendVocabEntries(to out: inout [UInt8], indent: String) {
        for (id, token) in vocab.enumerated() {
            out.append(contentsOf: (id == 0 ? "\n" : ",\n").utf8)
            out.append(contentsOf: indent.utf8)
            JSONWriter.appendString(token, to: &out)
            out.append(contentsOf: ": \(id)".utf8)
        }
    }

    /// `vocab.json` as HF's `BPE.save` writes it: token to id, in id order.
    public func vocabJSON() -> [UInt8] {
        var out: [UInt8] = Array("{".utf8)
        appendVocabEntries(to: &out, indent: "  ")
        out.append(contentsOf: "\n}\n".utf8)
        return out
    }

    /// `merges.txt` as HF's `BPE.save` writes it: a `#version: 0.2` line, then `left right` per merge.
    public func mergesText() -> [UInt8] {
        var out: [UInt8] = Array("#version: 0.2\n".utf8)
        for merge in merges {
            out.append(contentsOf: vocab[merge.left].utf8)
            out.append(0x20)
            out.append(contentsOf: vocab[merge.right].utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Writes `tokenizer.json`, `vocab.json` and `merges.txt` into `directory` (created if missing), and
    /// `tokenizer.tiktoken` with `tiktoken.json` unless `tiktokenMismatch` says why tiktoken cannot encode alike.
    public func write(to directory: String, merges format: MergesFormat = .pairs) throws {
        try makeDirectory(directory)
        try writeFile(directory + "/tokenizer.json", tokenizerJSON(merges: format))
        try writeFile(directory + "/vocab.json", vocabJSON())
        try writeFile(directory + "/merges.txt", mergesText())
        if tiktokenMismatch == nil {
            try writeFile(directory + "/tokenizer.tiktoken", tiktokenRanks())
            try writeFile(directory + "/tiktoken.json", tiktokenConfig())
        }
    }
}
