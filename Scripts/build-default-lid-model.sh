#!/usr/bin/env bash
# Rebuilds Winnow's default language-ID model, Sources/WinnowLangID/Resources/winnow-lid.ftz, with Winnow's
# own trainer from ../shared/lid/train.ft.zst (115 languages; see docs/langid.md, "Default model").
# One thread throughout, so the result is the same file on every run (its SHA-256 is in docs/langid.md).
#
# Usage (from the repository root): bash Scripts/build-default-lid-model.sh [TRAIN_FT_ZST] [WORKDIR]
# (WINNOW=path/to/winnow uses that binary instead of building one.)
set -euo pipefail
TRAIN=${1:-../shared/lid/train.ft.zst}
WORK=${2:-/tmp/winnow-lid-build}
OUT=Sources/WinnowLangID/Resources/winnow-lid.ftz
mkdir -p "$WORK"
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi

# The hyperparameters of the default model (docs/langid.md explains the choice).
/usr/bin/time -f "train: %e s wall, %U s user" \
  "$WINNOW" langid train --input "$TRAIN" --output "$WORK/winnow-lid.bin" \
  --dim 16 --minn 2 --maxn 4 --epoch 5 --lr 0.5 --bucket 2000000 --loss softmax --threads 1 --seed 0
/usr/bin/time -f "quantize: %e s wall, %U s user" \
  "$WINNOW" langid quantize "$WORK/winnow-lid.bin" --output "$OUT" \
  --cutoff 100000 --dsub 2 --qnorm --retrain --input "$TRAIN" --epoch 5 --lr 0.5 --threads 1
ls -l "$OUT"
sha256sum "$OUT"
