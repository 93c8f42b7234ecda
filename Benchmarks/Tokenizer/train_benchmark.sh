#!/usr/bin/env bash
# Tokenizer training, Winnow against HF `tokenizers`, on the same documents (see docs/benchmarks.md):
#   bash Benchmarks/Tokenizer/train_benchmark.sh BENCH.jsonl.zst WORKDIR [MEGABYTES] [VOCAB]
# BENCH is the benchmark corpus of ../shared/corpora/build/build_bench.py. The first MEGABYTES (default 100) of
# document text become WORKDIR/train.jsonl; both tools train a byte-level BPE with the GPT-2 pattern, VOCAB
# (default 32000) tokens and min frequency 2. Winnow runs with 1 and 2 threads. /usr/bin/time reports CPU
# seconds, wall seconds and peak RSS; the script checks the two vocabularies and merge lists are identical.
set -euo pipefail
bench=$1; work=$2; megabytes=${3:-100}; vocab=${4:-32000}
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${WINNOW_PYTHON:-python3}
mkdir -p "$work"
if [ ! -s "$work/train.jsonl" ]; then
  # The reader stops early; zstdcat's broken pipe is expected.
  { zstdcat "$bench" || true; } | "$python" -c '
import json, sys
limit = int(sys.argv[1]) * 1000 * 1000
total = 0
for line in sys.stdin:
    text = json.loads(line)["text"]
    total += len(text.encode())
    sys.stdout.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    if total >= limit: break
' "$megabytes" > "$work/train.jsonl"
fi
(cd "$root" && swift build -c release --product winnow >/dev/null)
winnow="$root/.build/release/winnow"
measure() { /usr/bin/time -f "%U %S %e %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
            read -r user sys wall rss < "$work/time.txt"
            echo "$(echo "$user + $sys" | bc) $wall $((rss / 1024))"; }
echo "tool threads cpu_s wall_s peak_rss_mb"
for threads in 1 2; do
  echo "winnow $threads $(measure "$winnow" tokenizer train "$work/train.jsonl" --vocab-size "$vocab" --min-frequency 2 --threads "$threads" --output "$work/winnow-$threads")"
done
for threads in 1 2; do
  echo "hf $threads $(RAYON_NUM_THREADS=$threads measure "$python" - "$work/train.jsonl" "$vocab" "$work/hf-$threads" <<'PY'
import json, os, sys
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
path, vocab, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
trainer = trainers.BpeTrainer(vocab_size=vocab, min_frequency=2, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
def texts():
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]
tok.train_from_iterator(texts(), trainer)
os.makedirs(out, exist_ok=True)
tok.save(out + "/tokenizer.json")
PY
)"
done
"$python" - "$work/winnow-1/tokenizer.json" "$work/winnow-2/tokenizer.json" "$work/hf-1/tokenizer.json" <<'PY'
import json, sys
models = [json.load(open(p))["model"] for p in sys.argv[1:]]
norm = lambda m: [x if isinstance(x, str) else " ".join(x) for x in m["merges"]]
same = all(m["vocab"] == models[0]["vocab"] and norm(m) == norm(models[0]) for m in models)
print("identical vocab and merges (winnow 1 thread, winnow 2 threads, hf):", same)
PY
