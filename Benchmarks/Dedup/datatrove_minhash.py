#!/usr/bin/env python3
"""datatrove 0.10.1's 4-step MinHash on a folder of JSONL.zst files, one step per invocation (so each can be
timed on its own): signatures | buckets | clusters | filter. Defaults as Winnow's: word 5-grams, 14 bands x 8
rows, 64-bit xxhash, seed 1; English word tokenizer (spaCy rules).

usage: datatrove_minhash.py STEP INPUT_DIR WORK_DIR WORKERS
"""
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                              MinhashDedupFilter, MinhashDedupSignature)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.hashing import HashConfig
from datatrove.utils.typeshelper import Languages

step, inp, work, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
config = MinhashConfig(hash_config=HashConfig(precision=64, hash_fc="xxhash"))
files = len([f for f in __import__("os").listdir(inp) if f.endswith(".jsonl.zst")])
reader = lambda: JsonlReader(inp, glob_pattern="*.jsonl.zst", compression="zstd")
if step == "signatures":
    pipeline, tasks = [reader(), MinhashDedupSignature(output_folder=f"{work}/signatures", config=config,
                                                       language=Languages.english)], files
elif step == "buckets":
    pipeline, tasks = [MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets",
                                           config=config)], config.num_buckets
elif step == "clusters":
    pipeline, tasks = [MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids",
                                           config=config)], 1
else:
    pipeline, tasks = [reader(), MinhashDedupFilter(input_folder=f"{work}/remove_ids",
                                                    exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
                       JsonlWriter(f"{work}/kept", compression=None)], files
LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks), start_method="fork",
                      logging_dir=f"{work}/logs/{step}").run()
