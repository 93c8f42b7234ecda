#!/usr/bin/env bash
# CI's fuzz smoke pass: every libFuzzer target for about 20 seconds from the committed corpus (docs/fuzzing.md).
# Fails only on a finding (crash, sanitizer report, hang, memory blow-up), printing the saved input's path.
set -uo pipefail
cd "$(dirname "$0")/.."
WINNOW_FUZZ_WORK=${WINNOW_FUZZ_WORK:-/tmp/winnow-fuzz-smoke} exec Scripts/fuzz.sh all "${WINNOW_FUZZ_SECONDS:-20}" -- -seed=1 -timeout=120
