#!/usr/bin/env python3
"""datatrove 0.10.1's n-gram decontamination (NGramsDecontIndexer's hashes, NGramsDecontFilter) on a folder of
JSONL.zst files, with the evaluation items of a JSONL file instead of lighteval tasks: each string field of an item
(question, answer) is indexed on its own, as `compute_hashes(text)` with no query does (so n-grams do not run from
a question into its answer, as in Winnow's decontaminate). 12-grams, datatrove's default normalization, English
word tokenizer, 64-bit xxhash. Two steps, each timed on its own: index | filter.

usage: datatrove_decont.py STEP EVAL.jsonl INPUT_DIR WORK_DIR WORKERS
"""
import json
import os
import sys

import numpy as np
import xxhash
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.decont.n_grams import NGramsDecontConfig, NGramsDecontFilter, NGramsDecontIndexer
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

step, evalset, inp, work, workers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
config = NGramsDecontConfig(n_grams=12, find_query_ngrams=True, find_overlap_ngrams=False)
# datatrove hashes the str; xxhash >= 3.5 takes bytes only (older versions hashed the UTF-8 encoding).
hash64 = lambda text: xxhash.xxh64_intdigest(text.encode("utf-8"))


# The indexer declares lighteval as a dependency (of its run, which this script replaces).
NGramsDecontIndexer._requires_dependencies = []


class ItemsIndexer(NGramsDecontIndexer):
    """The indexer's hashing, fed from a JSONL file instead of lighteval (which is not installed)."""

    def run(self, data=None, rank=0, world_size=1):
        hashes = set()
        for line in open(evalset, encoding="utf-8"):
            item = json.loads(line)
            for key, value in item.items():
                if key != "id" and isinstance(value, str):
                    hashes.update(self.compute_hashes(value))
        with self.output_folder.open("evalset.index.hashes", mode="wb") as f:
            np.array(sorted(hashes), dtype=self.config.hash_config.np_descr).tofile(f)


files = len([f for f in os.listdir(inp) if f.endswith(".jsonl.zst")])
if step == "index":
    indexer = ItemsIndexer(output_folder=f"{work}/index", config=config)
    indexer.hash_func = hash64
    indexer.run()
else:
    decont = NGramsDecontFilter(index_folder=f"{work}/index", config=config,
                                exclusion_writer=JsonlWriter(f"{work}/excluded", compression=None))
    decont.hash_func = hash64
    pipeline = [JsonlReader(inp, glob_pattern="*.jsonl.zst", compression="zstd"), decont,
                JsonlWriter(f"{work}/kept", compression=None)]
    LocalPipelineExecutor(pipeline=pipeline, tasks=files, workers=min(workers, files), start_method="fork",
                          logging_dir=f"{work}/logs/filter").run()
