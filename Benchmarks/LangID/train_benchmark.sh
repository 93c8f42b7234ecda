#!/usr/bin/env bash
# Training time: `winnow langid train` against Debian's `fasttext supervised`, same data (../shared/lid/
# train.ft.zst, decompressed for fastText), same hyperparameters (those of Winnow's default model), one
# thread each; prints user/system CPU seconds and peak memory, and whether the two .bin files are identical.
#
# Usage (from the repository root): bash Benchmarks/LangID/train_benchmark.sh [WORKDIR]
# (WINNOW=path/to/winnow uses that binary instead of building one.)
set -euo pipefail
WORK=${1:-/tmp/winnow-langid-train-bench}
mkdir -p "$WORK"
[ -f "$WORK/train.ft" ] || zstd -dc ../shared/lid/train.ft.zst > "$WORK/train.ft"
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi
OPTS=(-dim 16 -minn 2 -maxn 4 -epoch 5 -lr 0.5 -bucket 2000000)
/usr/bin/time -f "fasttext supervised: %e s wall, %U s user, %S s system, %M KB" \
  fasttext supervised -input "$WORK/train.ft" -output "$WORK/fasttext" "${OPTS[@]}" -thread 1 -verbose 0
/usr/bin/time -f "winnow langid train: %e s wall, %U s user, %S s system, %M KB" \
  "$WINNOW" langid train --input ../shared/lid/train.ft.zst --output "$WORK/winnow.bin" \
  --dim 16 --minn 2 --maxn 4 --epoch 5 --lr 0.5 --bucket 2000000 --threads 1
cmp "$WORK/fasttext.bin" "$WORK/winnow.bin" && echo "the two .bin files are identical"
