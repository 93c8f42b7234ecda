"""Cuts the benchmark corpus into two plain JSONL files of whole documents ({"text": ...} per line): the first
TRAIN_MB of text for training, the next ENCODE_MB for encoding.

usage: make_texts.py CORPUS.jsonl.zst OUT_DIR TRAIN_MB ENCODE_MB     (needs `zstandard`)
"""
import io
import json
import sys

import zstandard


def main():
    corpus, out, train_mb, encode_mb = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    limits = [("train.jsonl", train_mb * 1e6), ("encode.jsonl", encode_mb * 1e6)]
    with open(corpus, "rb") as raw:
        lines = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
        for name, limit in limits:
            size = 0
            with open(f"{out}/{name}", "w", encoding="utf-8") as f:
                for line in lines:
                    text = json.loads(line)["text"]
                    # Documents whose text is not valid Unicode (lone surrogates) are left out: Winnow's reader
                    # would repair them and the tools would see different texts.
                    try:
                        data = text.encode("utf-8")
                    except UnicodeEncodeError:
                        continue
                    f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                    size += len(data)
                    if size >= limit:
                        break


if __name__ == "__main__":
    main()
