#!/usr/bin/env python3
"""datatrove 0.10.1's SentenceDedup (signature, find-dedups, filter; default SentDedupConfig, English) on a JSONL
file of {"id", "text"} documents, as one task. Prints one JSON line per kept document: {"id", "text"}.

    python3 sentence_dedup_reference.py INPUT.jsonl

Needs: pip install --no-deps datatrove==0.10.1; pip install spacy==3.8.18 xxhash numpy loguru fsspec tqdm humanize
dill multiprocess.
"""
import json
import sys
import tempfile

import xxhash

from datatrove.data import Document
from datatrove.pipeline.dedup.sentence_dedup import (
    SentDedupConfig,
    SentenceDedupFilter,
    SentenceDedupSignature,
    SentenceFindDedups,
)


def documents(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield Document(text=d["text"], id=d["id"])


def main():
    path = sys.argv[1]
    config = SentDedupConfig()
    with tempfile.TemporaryDirectory() as scratch:
        signature = SentenceDedupSignature(output_folder=f"{scratch}/sigs", config=config)
        # datatrove hashes the str; xxhash >= 3 takes bytes only (older versions hashed the UTF-8 encoding).
        signature.hash_fc = lambda text: xxhash.xxh64_intdigest(text.encode("utf-8"))
        signature.run(documents(path), rank=0, world_size=1)
        SentenceFindDedups(data_folder=f"{scratch}/sigs", output_folder=f"{scratch}/dups", config=config).run(rank=0, world_size=1)
        for doc in SentenceDedupFilter(data_folder=f"{scratch}/dups", config=config).run(documents(path), rank=0, world_size=1):
            print(json.dumps({"id": doc.id, "text": doc.text}, ensure_ascii=False))


if __name__ == "__main__":
    main()
