#!/usr/bin/env bash
# Makes the Python venv the read benchmark compares against: datatrove and the optional dependencies of
# its JsonlReader (orjson; zstandard for .zst) and WarcReader (warcio, faust-cchardet, python-magic), at
# the versions docs/benchmarks.md was measured with. warcio and zstandard also serve make_bench_warc.py.
#
#   bash Benchmarks/make_datatrove_venv.sh [DIR]      (default DIR: /work/benchwork/venv-datatrove)
#
# Only these extras, not `datatrove[io]`, which also pulls pyarrow and datasets that the two readers do not
# use. python-magic needs libmagic1 (Debian: apt-get install libmagic1).
set -euo pipefail
dir=${1:-/work/benchwork/venv-datatrove}
python3 -m venv "$dir"
"$dir/bin/pip" install --quiet \
    datatrove==0.10.1 orjson==3.13.0 zstandard==0.25.0 warcio==1.8.1 faust-cchardet==3.2.0 python-magic==0.4.27
"$dir/bin/python" -c 'import datatrove, orjson, zstandard, warcio, cchardet, magic; print("ok:", __import__("sys").prefix)'
