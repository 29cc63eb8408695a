#!/usr/bin/env bash
# Draft saves at a fixed rate, from one client thread (tools/bench/saveload.c): 64 connections, each
# saving its own unit's 公共2表 on a fixed schedule with the version the server returned; latency is
# counted from when each save was due. Rate 0: closed loop (each connection saves again as soon as it
# is answered), which measures the most saves per second.
#   swift build -c release && tools/bench/http-rate.sh [rate=2000] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-2000}
SECONDS_RUN=${2:-10}
PORT=${DRS_BENCH_PORT:-18092}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/saveload" tools/bench/saveload.c -lm
.build/release/drs bench http --connections 64 --seconds $((SECONDS_RUN + 60)) --port "$PORT" --hold "$WORK/sessions" &
SERVER=$!
for _ in $(seq 1 120); do [ -s "$WORK/sessions" ] && break; sleep 0.5; done
"$WORK/saveload" "$WORK/sessions" "$PORT" "$RATE" "$SECONDS_RUN" || true
rm -f "$WORK/sessions"     # the server stops when its session file goes, and deletes its database
wait "$SERVER" 2>/dev/null || true
