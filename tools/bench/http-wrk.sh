#!/usr/bin/env bash
# Draft saves measured by wrk (a separate, light C client) instead of the in-process Swift client:
# 64 connections, each saving its own unit's form with the version the server returned.
#   swift build -c release && apt-get install -y wrk && tools/bench/http-wrk.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-10}
SESSIONS=$(mktemp)
rm -f "$SESSIONS"
.build/release/drs bench http --connections 64 --seconds $((SECONDS_RUN + 20)) --port 18091 --hold "$SESSIONS" &
SERVER=$!
for _ in $(seq 1 120); do [ -s "$SESSIONS" ] && break; sleep 0.5; done
DRS_SESSIONS="$SESSIONS" wrk -t64 -c64 -d"${SECONDS_RUN}s" --latency -s tools/bench/save.lua http://127.0.0.1:18091
kill "$SERVER" 2>/dev/null || true
wait "$SERVER" 2>/dev/null || true
rm -f "$SESSIONS"
