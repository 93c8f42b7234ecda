"""datatrove 0.10.1's four heuristic filters in one chain (GopherQuality -> GopherRepetition -> C4Quality ->
FineWebQuality, FineWeb's settings for C4), one core, on the first N documents of a JSONL(.zst) file.
Prints JSON: documents, text MB (UTF-8), filter CPU seconds (process time around the filter calls only),
kept count and exclusions per filter and reason. Needs datatrove 0.10.1 with spacy and regex installed.

    python Benchmarks/Filters/datatrove_filters.py bench-00000.jsonl.zst 20000
"""
import collections, io, json, sys, time
import zstandard
from datatrove.data import Document
from datatrove.pipeline.filters import C4QualityFilter, FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter

path, limit = sys.argv[1], int(sys.argv[2])
filters = [("gopher_quality", GopherQualityFilter()), ("gopher_repetition", GopherRepetitionFilter()),
           ("c4_quality", C4QualityFilter(filter_no_terminal_punct=False)), ("fineweb_quality", FineWebQualityFilter())]
docs = []
with open(path, "rb") as f:
    stream = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8") if path.endswith(".zst") else io.TextIOWrapper(f, encoding="utf-8")
    for line in stream:
        d = json.loads(line)
        docs.append(Document(text=d["text"], id=str(d["id"])))
        if len(docs) >= limit: break
text_bytes = sum(len(d.text.encode()) for d in docs)
# warm up spaCy (model construction is not per-document work)
GopherQualityFilter().filter(Document(text="warm up the tokenizer.", id="w"))
excluded = collections.Counter()
kept = 0
start = time.process_time()
for d in docs:
    for name, f in filters:
        r = f.filter(d)
        if r is not True and not (isinstance(r, tuple) and r[0]):
            excluded[f"{name}:{r[1] if isinstance(r, tuple) else 'false'}"] += 1
            break
    else:
        kept += 1
cpu = time.process_time() - start
print(json.dumps({"documents": len(docs), "text_mb": text_bytes / 1e6, "cpu_seconds": cpu, "kept": kept,
                  "docs_per_s": len(docs) / cpu, "mb_per_s": text_bytes / 1e6 / cpu, "excluded": dict(sorted(excluded.items()))}))
