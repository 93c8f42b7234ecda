"""Encoding throughput of tiktoken and HF `tokenizers` on one core, with the tokenizer Winnow exported.

usage: tokenizer_bench.py TOOL TOKENIZER_DIR TEXTS.jsonl [--reps N]
TOOL: tiktoken   tiktoken.Encoding from TOKENIZER_DIR/tiktoken.json + tokenizer.tiktoken, encode_ordinary_batch(num_threads=1)
      hf         tokenizers.Tokenizer.from_file(TOKENIZER_DIR/tokenizer.json).encode_batch(add_special_tokens=False)
      hf-fast    the same with encode_batch_fast (no offsets), when this tokenizers version has it
Prints one JSON line: tool, documents, bytes, tokens, checksum (over all ids, as `winnow-bench tokenizer`),
cpu_seconds (median of the reps: process CPU time, all threads), mb_per_s.
Set RAYON_NUM_THREADS=1 and TOKENIZERS_PARALLELISM=false before starting (tokenizer_benchmark.sh does).
"""
import base64
import json
import os
import statistics
import sys
import time


def load_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def make_encoder(tool, directory):
    if tool == "tiktoken":
        import tiktoken
        with open(os.path.join(directory, "tiktoken.json"), encoding="utf-8") as f:
            config = json.load(f)
        ranks = {}
        with open(os.path.join(directory, config["ranks_file"]), "rb") as f:
            for line in f:
                if line.strip():
                    token, rank = line.split()
                    ranks[base64.b64decode(token)] = int(rank)
        enc = tiktoken.Encoding(name="winnow", pat_str=config["pat_str"], mergeable_ranks=ranks,
                                special_tokens=config["special_tokens"])
        return lambda texts: enc.encode_ordinary_batch(texts, num_threads=1)
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    tok.encode_special_tokens = True
    if tool == "hf-fast":
        return lambda texts: [e.ids for e in tok.encode_batch_fast(texts, add_special_tokens=False)]
    return lambda texts: [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]


def main():
    tool, directory, path = sys.argv[1], sys.argv[2], sys.argv[3]
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
    texts = load_texts(path)
    size = sum(len(t.encode("utf-8")) for t in texts)
    encode = make_encoder(tool, directory)
    encode(["warm up"])
    times = []
    for _ in range(reps):
        start = time.process_time()
        ids = encode(texts)
        times.append(time.process_time() - start)
    checksum, tokens = 0, 0
    for sequence in ids:
        tokens += len(sequence)
        for i in sequence:
            checksum = (checksum * 1000003 + i) & 0xFFFFFFFFFFFFFFFF
    median = statistics.median(times)
    print(json.dumps({"tool": tool, "documents": len(texts), "bytes": size, "tokens": tokens, "checksum": checksum,
                      "cpu_seconds": median, "mb_per_s": size / 1e6 / median}))


if __name__ == "__main__":
    main()
