"""Splits the first MB megabytes of text of a JSONL(.zst) corpus into FILES JSONL.zst files (documents dealt
round-robin), so that both tools get several input files to spread over their workers.

usage: make_slice.py CORPUS.jsonl.zst OUTDIR MB FILES
"""
import io, json, os, sys
import zstandard

corpus, out, mb, files = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
writers = [zstandard.ZstdCompressor(level=3).stream_writer(open(f"{out}/part-{i:03d}.jsonl.zst", "wb")) for i in range(files)]
budget, n = mb * 1e6, 0
with open(corpus, "rb") as f:
    for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8"):
        doc = json.loads(line)
        writers[n % files].write((json.dumps({"id": doc.get("id", str(n)), "text": doc["text"]}) + "\n").encode())
        n += 1
        budget -= len(doc["text"].encode())
        if budget <= 0:
            break
for w in writers:
    w.close()
print(f"{n} documents in {files} files")
