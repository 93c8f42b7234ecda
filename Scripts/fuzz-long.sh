#!/usr/bin/env bash
# The long fuzz run (docs/fuzzing.md, "Long run"): fuzzes every target in CPU-time slices, least-fuzzed target
# first, and appends a row per run to a ledger, so runs accumulate across invocations and sessions on one corpus.
#
#   Scripts/fuzz-long.sh [--until HH:MM] [--slice CPU_SECONDS] [--goal CPU_SECONDS] [--install BINARY]
#   Scripts/fuzz-long.sh --table        # cumulative CPU-minutes, executions, cov/ft, findings per target
#   Scripts/fuzz-long.sh --markdown     # the same as a table for docs/fuzzing.md
#   Scripts/fuzz-long.sh --install Fuzz/.build/release/winnow-fuzz --table   # install a new build without running
#
# Each run is `nice -n 19`; the script samples the fuzzer's CPU time (utime + stime in /proc/PID/stat) and stops it
# with SIGINT once it has used its slice (default 300 CPU-s) or at --until (UTC), so libFuzzer prints its final
# stats. Targets at or above --goal (default 1200 CPU-s, the issue's 20 CPU-minutes) are skipped until every target
# has reached it; then the least-fuzzed goes on. Without --until it runs until stopped: SIGTERM or SIGINT to the
# script stops the current run cleanly and records it.
#
# State lives in $WINNOW_FUZZ_LONG_DIR (default /work/fuzz-long, outside the repository):
#   bin/current   symlink to the fuzzer binary used (--install copies a build there, so rebuilding Fuzz/ never
#                 overwrites a binary under a running fuzzer); each run uses the binary current when it starts
#   corpus/<t>    the growing corpus (the committed seeds Fuzz/Corpus/<t> are read too, never written)
#   findings/     saved crashing/hanging inputs; a target with a finding is skipped until a new binary is installed
#   ledger.tsv    one row per run: end time, target, CPU-s, executions, cov, ft, new units, finding, binary
#   logs/         libFuzzer's log of each target's last run
#   running/<t>   claimed by the runner fuzzing <t> now: two runners (one per core) never pick the same target
#
# Never suspend a fuzzer (SIGSTOP, a laptop's sleep): libFuzzer times each input by the wall clock, so the input
# running when it resumes is saved as a timeout. Such a row, once checked (the input runs in milliseconds), is
# marked by starting its finding column with `not-a-finding:`; the table does not count it (and the target's
# findings/<t>.blocked is removed so it is fuzzed again).
set -uo pipefail
cd "$(dirname "$0")/.."
source Scripts/fuzz-targets.sh

dir=${WINNOW_FUZZ_LONG_DIR:-/work/fuzz-long}
slice=300
goal=1200
until_epoch=
install=
table_only=0
markdown=
while [ $# -gt 0 ]; do
    case $1 in
        --until) until_epoch=$(date -u -d "$2" +%s) || exit 2; shift 2 ;;
        --slice) slice=$2; shift 2 ;;
        --goal) goal=$2; shift 2 ;;
        --install) install=$2; shift 2 ;;
        --table) table_only=1; shift ;;
        --markdown) table_only=1; markdown=1; shift ;;
        *) echo "usage: Scripts/fuzz-long.sh [--until HH:MM] [--slice CPU_SECONDS] [--goal CPU_SECONDS] [--install BINARY] | --table | --markdown" >&2; exit 2 ;;
    esac
done

mkdir -p "$dir/bin" "$dir/corpus" "$dir/findings" "$dir/logs" "$dir/running"
ledger=$dir/ledger.tsv
[ -f "$ledger" ] || printf 'end_utc\ttarget\tcpu_s\texecutions\tcov\tft\tnew_units\tfinding\tbinary\n' > "$ledger"

# Cumulative figures per target from the ledger: CPU-s, executions, last cov/ft, findings.
table() {
    awk -F'\t' -v goal="$goal" -v targets="${all_targets[*]}" -v markdown="$markdown" '
        NR > 1 { cpu[$2] += $3; execs[$2] += $4; runs[$2]++; if ($5 != "") cov[$2] = $5; if ($6 != "") ft[$2] = $6
                 if ($8 != "-" && $8 !~ /^not-a-finding/) found[$2]++ }
        END {
            if (markdown) {
                print "| target | CPU-minutes | runs | executions | cov | ft | findings |"
                print "|---|---:|---:|---:|---:|---:|---|"
            } else {
                printf "%-15s %9s %5s %14s %7s %7s %8s\n", "target", "CPU-min", "runs", "executions", "cov", "ft", "findings"
            }
            n = split(targets, t, " ")
            for (i = 1; i <= n; i++) {
                k = t[i]
                below = cpu[k] < goal ? "  (below goal)" : ""
                if (markdown) printf "| %s | %.1f%s | %d | %d | %s | %s | %d |\n", k, cpu[k] / 60, (below ? sprintf(" (below %d)", goal / 60) : ""), runs[k], execs[k], cov[k], ft[k], found[k]
                else printf "%-15s %9.1f %5d %14d %7s %7s %8d%s\n", k, cpu[k] / 60, runs[k], execs[k], cov[k], ft[k], found[k], below
            }
        }' "$ledger"
}

if [ -n "$install" ]; then
    [ -x "$install" ] || { echo "fuzz-long: $install is not an executable fuzzer binary" >&2; exit 2; }
    name=winnow-fuzz-$(date -u +%Y%m%dT%H%M%S)-$(sha1sum "$install" | cut -c1-8)
    cp "$install" "$dir/bin/$name.tmp" && mv "$dir/bin/$name.tmp" "$dir/bin/$name"
    ln -sfn "$name" "$dir/bin/current.tmp" && mv -T "$dir/bin/current.tmp" "$dir/bin/current"
    echo "fuzz-long: installed $dir/bin/$name as current"
fi
if [ "$table_only" = 1 ]; then table; exit 0; fi
if [ ! -x "$dir/bin/current" ]; then
    echo "fuzz-long: no fuzzer binary in $dir/bin: build Fuzz/ (Scripts/fuzz.sh builds it) and pass --install Fuzz/.build/release/winnow-fuzz" >&2
    exit 2
fi


# CPU seconds (utime + stime) a running process has used, or empty once it is gone.
cpu_seconds() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    # Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    echo "${stat##*) }" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($12 + $13) / hz }'
}

# The target to run next: below the goal and least fuzzed; once all reach the goal, least fuzzed. Targets with a
# finding are skipped while the binary that found it is still current.
current_binary=
next_target() {
    local best= best_cpu= t c blocked
    for t in "${all_targets[@]}"; do
        blocked=$dir/findings/$t.blocked
        if [ -f "$blocked" ] && [ "$(cat "$blocked")" = "$current_binary" ]; then continue; fi
        if [ -d "$dir/running/$t" ] && kill -0 "$(cat "$dir/running/$t/pid" 2>/dev/null)" 2>/dev/null; then continue; fi
        c=$(awk -F'\t' -v t="$t" 'NR > 1 && $2 == t { s += $3 } END { printf "%d", s }' "$ledger")
        if [ -z "$best" ] || [ "$c" -lt "$best_cpu" ]; then best=$t; best_cpu=$c; fi
    done
    echo "$best"
}

stopping=0
fuzzer_pid=
trap 'stopping=1; [ -n "$fuzzer_pid" ] && kill -INT "$fuzzer_pid" 2>/dev/null' TERM INT

while [ "$stopping" = 0 ]; do
    if [ -n "$until_epoch" ] && [ "$(date -u +%s)" -ge "$until_epoch" ]; then break; fi
    current_binary=$(readlink "$dir/bin/current")
    target=$(next_target)
    if [ -z "$target" ]; then echo "fuzz-long: every target has an unfixed finding or is being fuzzed; install a fixed binary" >&2; break; fi
    # Claim the target: a directory holding this runner's pid, renamed into place (fails if another runner has it).
    claim=$dir/running/$target
    if [ -d "$claim" ] && ! kill -0 "$(cat "$claim/pid" 2>/dev/null)" 2>/dev/null; then rm -rf "$claim"; fi
    rm -rf "$dir/running/.$$"; mkdir "$dir/running/.$$" && echo $$ > "$dir/running/.$$/pid"
    if ! mv -T "$dir/running/.$$" "$claim" 2>/dev/null; then rm -rf "$dir/running/.$$"; sleep 1; continue; fi
    mkdir -p "$dir/corpus/$target"
    flags=(-timeout=120 -rss_limit_mb=4096 -malloc_limit_mb=2048 -max_len=65536 -print_final_stats=1
           -artifact_prefix="$dir/findings/$target-")
    dict=$(dictionary "$target")
    [ -n "$dict" ] && flags+=(-dict="$dict")
    log=$dir/logs/$target.log
    before=$(ls "$dir/findings" | grep -c "^$target-" || true)
    echo "$(date -u +%H:%M:%S) $target: up to $slice CPU-s with $current_binary"
    WINNOW_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1 \
        nice -n 19 "$dir/bin/$current_binary" "${flags[@]}" "$dir/corpus/$target" "Fuzz/Corpus/$target" > "$log" 2>&1 &
    fuzzer_pid=$!
    used=0
    while kill -0 "$fuzzer_pid" 2>/dev/null; do
        sleep 2
        sample=$(cpu_seconds "$fuzzer_pid")
        [ -n "$sample" ] && used=$sample
        over=$(awk -v u="$used" -v s="$slice" 'BEGIN { print (u >= s) ? 1 : 0 }')
        late=0
        if [ -n "$until_epoch" ] && [ "$(date -u +%s)" -ge "$until_epoch" ]; then late=1; fi
        if [ "$over" = 1 ] || [ "$late" = 1 ]; then kill -INT "$fuzzer_pid" 2>/dev/null; break; fi
    done
    wait "$fuzzer_pid" 2>/dev/null
    status=$?
    # A stop signal interrupts `wait`; wait again for the fuzzer itself to print its stats and exit.
    while kill -0 "$fuzzer_pid" 2>/dev/null; do wait "$fuzzer_pid" 2>/dev/null; status=$?; done
    fuzzer_pid=
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    new_units=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    after=$(ls "$dir/findings" | grep -c "^$target-" || true)
    finding=-
    # libFuzzer exits 72 when interrupted (SIGINT); anything else but 0, or a saved input, is a finding.
    if [ "$after" -gt "$before" ] || { [ "$status" -ne 0 ] && [ "$status" -ne 72 ]; }; then
        finding=$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
        finding=${finding:-"exit $status, see $log"}
        cp "$log" "$dir/findings/$target-$(date -u +%Y%m%dT%H%M%S).log"
        echo "$current_binary" > "$dir/findings/$target.blocked"
        echo "  FINDING: $finding"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$target" "$used" "${runs:-0}" \
        "${cov:-}" "${ft:-}" "${new_units:-0}" "$finding" "$current_binary" >> "$ledger"
    rm -rf "$dir/running/$target"
    echo "  $used CPU-s, ${runs:-?} executions, cov ${cov:-?}, ft ${ft:-?}"
done
table
