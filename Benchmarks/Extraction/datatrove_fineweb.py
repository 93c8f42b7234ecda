#!/usr/bin/env python3
"""datatrove's FineWeb recipe from WARC, for the side-by-side with `Pipelines/fineweb-warc.yaml`:

    WarcReader -> Trafilatura(favour_precision=True) -> GopherRepetitionFilter -> GopherQualityFilter
    -> C4QualityFilter(filter_no_terminal_punct=False) -> FineWebQualityFilter -> JsonlWriter

    VENV/bin/python Benchmarks/Extraction/datatrove_fineweb.py FILE.warc.gz OUT_DIR

One task, one worker, as FineWeb's processing script sets the stages up (datatrove's
`examples/fineweb.py`), with two stages left out on both sides of the comparison: URLFilter (Winnow's
recipe ships without a blocklist) and LanguageFilter (datatrove downloads its fastText model at run time,
and this machine has no network). Time it with `/usr/bin/time`: datatrove runs Trafilatura in a child
process, whose CPU time `time` includes.

Needs: the datatrove venv (Benchmarks/make_datatrove_venv.sh) plus trafilatura, spacy.
"""
import os, sys

from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.filters import C4QualityFilter, FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers.jsonl import JsonlWriter


def main():
    warc, out = sys.argv[1], sys.argv[2]
    LocalPipelineExecutor(
        pipeline=[
            WarcReader(os.path.dirname(os.path.abspath(warc)), glob_pattern=os.path.basename(warc)),
            Trafilatura(favour_precision=True),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            C4QualityFilter(filter_no_terminal_punct=False),
            FineWebQualityFilter(),
            JsonlWriter(os.path.join(out, "output")),
        ],
        tasks=1,
        workers=1,
        logging_dir=os.path.join(out, "logs"),
    ).run()


if __name__ == "__main__":
    main()
