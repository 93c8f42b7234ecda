#!/usr/bin/env bash
# Runs Winnow's libFuzzer targets (docs/fuzzing.md): Scripts/fuzz.sh TARGET|all [SECONDS] [-- LIBFUZZER_FLAGS...]
#
# Builds Fuzz/ (release, -sanitize=fuzzer,address), then fuzzes each target for SECONDS (default 60) from its
# committed seeds (Fuzz/Corpus/<target>, read only) and a working corpus that grows across runs
# ($WINNOW_FUZZ_WORK/corpus/<target>, default /tmp/winnow-fuzz). A crash, sanitizer report, hang (-timeout) or
# memory blow-up (-rss_limit_mb) is saved as $WINNOW_FUZZ_WORK/findings/<target>-crash-... and reported;
# the script exits 1 when any target had a finding. Per target it prints executions, coverage (cov, ft) and time.
# WINNOW_FUZZ_NO_BUILD=1 skips the build.
set -uo pipefail
cd "$(dirname "$0")/.."
source Scripts/fuzz-targets.sh

if [ $# -lt 1 ]; then
    echo "usage: Scripts/fuzz.sh TARGET|all [SECONDS] [-- LIBFUZZER_FLAGS...]" >&2
    exit 2
fi
which_targets=$1; shift
seconds=60
if [ $# -gt 0 ] && [ "$1" != "--" ]; then seconds=$1; shift; fi
[ "${1:-}" = "--" ] && shift
extra_flags=("$@")

work=${WINNOW_FUZZ_WORK:-/tmp/winnow-fuzz}
mkdir -p "$work/findings" "$work/logs"

if [ "${WINNOW_FUZZ_NO_BUILD:-0}" != 1 ]; then
    echo "building Fuzz/ (release, -sanitize=fuzzer,address)..."
    if ! swift build -c release -Xswiftc -sanitize=fuzzer,address --package-path Fuzz > "$work/logs/build.log" 2>&1; then
        tail -40 "$work/logs/build.log" >&2
        echo "fuzz: the build of Fuzz/ failed (log: $work/logs/build.log)" >&2
        exit 2
    fi
fi
binary=$(swift build -c release --package-path Fuzz --show-bin-path)/winnow-fuzz
if [ ! -x "$binary" ]; then echo "fuzz: $binary is missing: build Fuzz/ first" >&2; exit 2; fi

if [ "$which_targets" = all ]; then targets=("${all_targets[@]}"); else targets=("$which_targets"); fi


failed=0
printf '%-15s %12s %8s %8s %8s  %s\n' target executions cov ft seconds result
for target in "${targets[@]}"; do
    if [ ! -d "Fuzz/Corpus/$target" ]; then echo "fuzz: no target $target (targets: ${all_targets[*]})" >&2; exit 2; fi
    mkdir -p "$work/corpus/$target"
    flags=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -malloc_limit_mb=2048 -max_len=65536
           -print_final_stats=1 -artifact_prefix="$work/findings/$target-")
    dict=$(dictionary "$target")
    [ -n "$dict" ] && flags+=(-dict="$dict")
    log="$work/logs/$target.log"
    before=$(ls "$work/findings" | grep -c "^$target-" || true)
    WINNOW_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1 \
        "$binary" "${flags[@]}" "${extra_flags[@]}" "$work/corpus/$target" "Fuzz/Corpus/$target" > "$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    after=$(ls "$work/findings" | grep -c "^$target-" || true)
    if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
        failed=1
        artifact=$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
        printf '%-15s %12s %8s %8s %8s  %s\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${took:-?}" "FINDING"
        grep -E "ERROR: (AddressSanitizer|libFuzzer)|Fatal error|fuzz property failed|SUMMARY" "$log" | head -5 | sed 's/^/    /'
        echo "    input: ${artifact:-see $log}"
        echo "    reproduce: WINNOW_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no $binary ${artifact:-INPUT}"
        echo "    log: $log"
    else
        printf '%-15s %12s %8s %8s %8s  %s\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${took:-?}" ok
    fi
done
exit $failed
