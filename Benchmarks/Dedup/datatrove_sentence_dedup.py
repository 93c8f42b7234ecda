#!/usr/bin/env python3
"""datatrove 0.10.1's 3-step SentenceDedup on a folder of JSONL.zst files, one step per invocation (so each can
be timed on its own): signatures | find | filter. Defaults (3-sentence spans, English spaCy rules, 50 words,
3 sentences), one finder task, kept and dropped documents written as JSONL.

usage: datatrove_sentence_dedup.py STEP INPUT_DIR WORK_DIR WORKERS
"""
import os
import sys

import xxhash
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.sentence_dedup import (SentDedupConfig, SentenceDedupFilter, SentenceDedupSignature,
                                                     SentenceFindDedups)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

step, inp, work, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
config = SentDedupConfig()
files = len([f for f in os.listdir(inp) if f.endswith(".jsonl.zst")])
reader = lambda: JsonlReader(inp, glob_pattern="*.jsonl.zst", compression="zstd")
if step == "signatures":
    signature = SentenceDedupSignature(output_folder=f"{work}/sigs", config=config)
    # datatrove hashes the str; xxhash >= 3.5 takes bytes only (older versions hashed the UTF-8 encoding).
    signature.hash_fc = lambda text: xxhash.xxh64_intdigest(text.encode("utf-8"))
    pipeline, tasks = [reader(), signature], files
elif step == "find":
    pipeline, tasks = [SentenceFindDedups(data_folder=f"{work}/sigs", output_folder=f"{work}/dups", config=config)], 1
else:
    pipeline, tasks = [reader(), SentenceDedupFilter(data_folder=f"{work}/dups", config=config),
                       JsonlWriter(f"{work}/kept", compression=None)], files
LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks), start_method="fork",
                      logging_dir=f"{work}/logs/{step}").run()
