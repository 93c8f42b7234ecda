#!/usr/bin/env bash
# Rebuilds Sources/WinnowLM/Resources/en.wlm, the perplexity stage's built-in English model:
# an order-3 modified Kneser-Ney model (winnow lm train --normalize) of every 10th prose paragraph of
# the Python 3.11 documentation sources (Debian 12 package python3.11-doc, .rst.txt files; PSF License
# 2.0), written in Winnow's binary form (winnow lm build). Deterministic for a given package version
# (built from 3.11.2-6+deb12u9). Needs: apt lists (apt-get update), dpkg-deb, python3, swift.
#
# usage: Scripts/build-default-lm.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

chmod 777 "$WORK"   # apt's sandbox user writes the download
(cd "$WORK" && apt-get download -q python3.11-doc >/dev/null)
rm -rf "$WORK/root" && dpkg-deb -x "$WORK"/python3.11-doc_*.deb "$WORK/root"
ls "$WORK"/python3.11-doc_*.deb

find "$WORK/root/usr/share/doc/python3.11/html/_sources" -name '*.rst.txt' | LC_ALL=C sort > "$WORK/files.txt"
xargs python3 Scripts/rst_to_paragraphs.py < "$WORK/files.txt" > "$WORK/paragraphs.txt"
awk 'NR % 10 == 0' "$WORK/paragraphs.txt" > "$WORK/training.txt"
wc "$WORK/paragraphs.txt" "$WORK/training.txt"

swift build -c release --product winnow
.build/release/winnow lm train "$WORK/training.txt" --order 3 --normalize --output "$WORK/en.arpa"
.build/release/winnow lm build "$WORK/en.arpa" --output Sources/WinnowLM/Resources/en.wlm
ls -l Sources/WinnowLM/Resources/en.wlm
