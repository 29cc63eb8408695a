#!/usr/bin/env bash
# Draft saves measured by wrk (a separate, light C client) instead of the in-process Swift client:
# 64 connections, each saving its own unit's 公共2表 with the version the server returned.
#   swift build -c release && apt-get install -y wrk && tools/bench/http-wrk.sh [seconds] [rate]
# Without a rate: closed loop, the most saves per second. With a rate (e.g. 2000): that many saves
# per second on a fixed schedule, latency counted from when each save was due (see save.lua).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-10}
RATE=${2:-}
PORT=${DRS_BENCH_PORT:-18091}
SESSIONS=$(mktemp)
rm -f "$SESSIONS"
.build/release/drs bench http --connections 64 --seconds $((SECONDS_RUN + 60)) --port "$PORT" --hold "$SESSIONS" &
SERVER=$!
for _ in $(seq 1 120); do [ -s "$SESSIONS" ] && break; sleep 0.5; done
DRS_SESSIONS="$SESSIONS" DRS_RATE="$RATE" wrk -t64 -c64 -d"${SECONDS_RUN}s" --latency -s tools/bench/save.lua "http://127.0.0.1:$PORT"
rm -f "$SESSIONS"          # the server stops when its session file goes, and deletes its database
wait "$SERVER" 2>/dev/null || true
