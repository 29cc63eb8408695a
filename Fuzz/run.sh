#!/usr/bin/env bash
# Fuzzing drs's untrusted-input parsers (libFuzzer, Linux), and replaying every committed fuzz input
# under AddressSanitizer. Called by CI (.ci/run); see docs/security.md.
#
#   Fuzz/run.sh [fuzz] [SECONDS]   build every target, run each for SECONDS (default 60), two at a time
#   Fuzz/run.sh asan               replay the corpora, regressions and hostile XLSX fixtures (swift test, ASan)
#   Fuzz/run.sh build              only build the fuzz targets
#   Fuzz/run.sh one TARGET [SECONDS] [-- libFuzzer flags…]   one target, e.g. for a long run
#
# Environment: FUZZ_JOBS (targets at a time, default 2), FUZZ_TARGETS (names, default all),
# FUZZ_NICE (nice level, default 0), FUZZ_WORK (work directory, default a new temporary one),
# FUZZ_BIN (where the built targets are, default Fuzz/.build-fuzz/release).
# The committed corpus (Fuzz/Corpus/<target>) is copied before fuzzing and never grown by CI. A crash
# fails the run (exit 1) and prints the crashing input's path and base64: save it under
# Fuzz/Regressions/<target>/ so the ASan replay test keeps it fixed.
set -euo pipefail
FUZZ=$(cd "$(dirname "$0")" && pwd)
cd "$FUZZ"
MODE=${1:-fuzz}
ALL="rule-parser number-input submission-json xlsx-upload csv-upload login-body catalog-loader sdc-microdata"
TARGETS=${FUZZ_TARGETS:-$ALL}
JOBS=${FUZZ_JOBS:-2}
NICE=${FUZZ_NICE:-0}
BIN=${FUZZ_BIN:-$FUZZ/.build-fuzz/release}
# Swift's enums keep pointers in spare bits, which LeakSanitizer cannot follow: its reports on Swift
# code are false (seen on the catalog compiled once per process), so leak checking is off.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

build() {
    echo "== building fuzz targets (release, -sanitize=fuzzer,address)"
    local start=$SECONDS
    # lld: gold fails ("internal error in format_file_lineno") linking the fuzzer runtime with Swift.
    local status=0
    mkdir -p "$FUZZ/.build-fuzz"
    nice -n "$NICE" swift build -c release --scratch-path "$FUZZ/.build-fuzz" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld > "$FUZZ/.build-fuzz/build.log" 2>&1 || status=$?
    grep -v "Cannot export local symbol" "$FUZZ/.build-fuzz/build.log" | tail -40
    [ "$status" -eq 0 ] || { echo "fuzz build failed"; exit 1; }
    echo "built in $((SECONDS - start)) s"
}

# Runs one target for $2 seconds in $WORK/<target>; prints libFuzzer's final line; returns 1 on a crash.
fuzz_one() {
    local target=$1 seconds=$2
    shift 2
    local dir=$WORK/$target
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp "$FUZZ/Corpus/$target/"* "$dir/corpus/"
    local dict=()
    [ -f "$FUZZ/Dictionaries/$target.dict" ] && dict=("-dict=$FUZZ/Dictionaries/$target.dict")
    local status=0
    nice -n "$NICE" "$BIN/fuzz-$target" "$dir/corpus" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$@" > "$dir/log" 2>&1 || status=$?
    local summary
    summary=$(grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)" "$dir/log" | tail -1 || true)
    local execs
    execs=$(grep -E "^stat::number_of_executed_units" "$dir/log" | awk '{print $2}' || true)
    local crashes
    crashes=$(ls "$dir/artifacts" 2>/dev/null || true)
    if [ "$status" -ne 0 ] || [ -n "$crashes" ]; then
        echo "!! $target: CRASH (exit $status) — log $dir/log"
        grep -E "ERROR|invariant|Fatal error|SUMMARY|deadly signal" "$dir/log" | head -5
        for file in "$dir/artifacts"/*; do
            [ -f "$file" ] || continue
            echo "   input: $file"
            echo "   base64: $(base64 -w0 < "$file" | head -c 4000)"
        done
        return 1
    fi
    echo "ok $target: ${seconds}s, ${execs:-?} executions — $summary"
}

case "$MODE" in
build)
    build
    ;;
fuzz)
    SECONDS_EACH=${2:-60}
    build
    WORK=${FUZZ_WORK:-$(mktemp -d -t drs-fuzz.XXXXXX)}
    echo "== fuzzing each target for ${SECONDS_EACH}s, $JOBS at a time (work: $WORK)"
    failed=0
    pids=()
    names=()
    for target in $TARGETS; do
        fuzz_one "$target" "$SECONDS_EACH" & pids+=($!); names+=("$target")
        if [ "${#pids[@]}" -ge "$JOBS" ]; then
            wait "${pids[0]}" || failed=1
            pids=("${pids[@]:1}"); names=("${names[@]:1}")
        fi
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    if [ "$failed" -ne 0 ]; then echo "fuzzing found crashes"; exit 1; fi
    echo "fuzzing: no crashes"
    ;;
one)
    target=$2
    seconds=${3:-60}
    shift 3 || shift $#
    [ "${1:-}" = "--" ] && shift
    [ -x "$BIN/fuzz-$target" ] || build
    WORK=${FUZZ_WORK:-$(mktemp -d -t drs-fuzz.XXXXXX)}
    fuzz_one "$target" "$seconds" "$@"
    ;;
asan)
    echo "== replaying corpora, regressions and hostile fixtures under AddressSanitizer"
    nice -n "$NICE" swift test --scratch-path "$FUZZ/.build-asan" --sanitize=address 2>&1 | tee "${TMPDIR:-/tmp}/drs-fuzz-asan.log"
    grep -q "Test run with .* passed" "${TMPDIR:-/tmp}/drs-fuzz-asan.log"
    ;;
*)
    echo "usage: $0 [fuzz [SECONDS] | asan | build | one TARGET [SECONDS] [-- flags]]"; exit 2
    ;;
esac
