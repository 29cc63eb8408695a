#!/usr/bin/env bash
# drs's disclosure control side by side with tau-Argus on the same microdata, in one run
# (docs/benchmarks.md, section j). Needs a release build of drs and the peer script:
#   swift build -c release --product drs
#   pip install numpy pandas pytauargus highspy
#   tools/bench/sdc-side-by-side.sh [PEER=../shared/bench/sdc_peer.py] [DRS=.build/release/drs]
# Prints the JSON lines of every tool and audit, then one summary line per shape.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEER=${PEER:-$ROOT/../shared/bench/sdc_peer.py}
DRS=${DRS:-$ROOT/.build/release/drs}
WORK=${WORK:-$(mktemp -d)}
N2=${N2:-20000}
N3=${N3:-5000}
cd "$WORK"

run() { echo "\$ $*" >&2; "$@" 2>>"$WORK/stderr.log"; }

echo "== 2d: province × type, $N2 enterprises" >&2
run python3 "$PEER" 2d --n "$N2" --methods MOD --csv micro2d.csv --out mod2d.csv --audit | tee peer2d.jsonl
run "$DRS" sdc protect --input micro2d.csv --dimensions province,resp_type --value storage_tb --output drs2d.csv | tee drs2d.jsonl
run "$DRS" sdc protect --input micro2d.csv --dimensions province,resp_type --value storage_tb --cost count --output drs2d-count.csv | tee drs2d-count.jsonl
run python3 "$PEER" 2d --n "$N2" --audit-pattern drs2d.csv | tee audit2d.jsonl
run python3 "$PEER" 2d --n "$N2" --audit-pattern drs2d-count.csv | tee audit2d-count.jsonl
run "$DRS" sdc audit --input micro2d.csv --dimensions province,resp_type --value storage_tb --pattern mod2d.csv | tee drs-audits-mod2d.jsonl || true

echo "== 3d: province × type × industry, $N3 enterprises" >&2
run python3 "$PEER" 3d --n "$N3" --methods MOD --time-limit 90 --csv micro3d.csv | tee peer3d.jsonl
run "$DRS" sdc protect --input micro3d.csv --dimensions province,resp_type,industry --value storage_tb --output drs3d.csv | tee drs3d.jsonl
run python3 "$PEER" 3d --n "$N3" --audit-pattern drs3d.csv | tee audit3d.jsonl
run "$DRS" sdc audit --input micro3d.csv --dimensions province,resp_type,industry --value storage_tb --pattern drs3d.csv | tee drs-audit3d.jsonl || true

python3 - "$WORK" <<'PY'
import json, sys, pathlib, csv
w = pathlib.Path(sys.argv[1])
def first(name, key=None):
    for line in (w / name).read_text().splitlines():
        if line.startswith("{"):
            obj = json.loads(line)
            if key is None or key in obj:
                return obj
    return {}
def suppressed_value(path, dims):
    rows = list(csv.DictReader(open(w / path)))
    inner = [r for r in rows if all(r[d] != "Total" for d in dims)]
    grand = sum(float(r["value"]) for r in rows if all(r[d] == "Total" for d in dims))
    sec = sum(float(r["value"]) for r in inner if r["status"] in ("secondary",))
    return round(sec, 2), round(sec / grand, 4) if grand else 0
mod, drs, cnt = first("peer2d.jsonl", "method"), first("drs2d.jsonl"), first("drs2d-count.jsonl")
a, ac = first("audit2d.jsonl"), first("audit2d-count.jsonl")
print(json.dumps({"shape": "2d", "mod_seconds": mod.get("seconds"), "drs_seconds": drs.get("seconds"),
    "speedup": round(mod["seconds"] / drs["seconds"], 1) if mod.get("seconds") and drs.get("seconds") else None,
    "primary": drs.get("primary"), "mod_secondary": mod.get("secondary"), "drs_secondary": drs.get("secondary"),
    "drs_count_secondary": cnt.get("secondary"), "drs_count_seconds": cnt.get("seconds"),
    "mod_secondary_value": suppressed_value("mod2d.csv", ["province", "resp_type"]),
    "drs_secondary_value": suppressed_value("drs2d.csv", ["province", "resp_type"]),
    "peer_audit_failing_drs": a.get("cells_failing"), "peer_audit_failing_drs_count": ac.get("cells_failing")}, ensure_ascii=False))
m3, d3, a3 = first("peer3d.jsonl"), first("drs3d.jsonl"), first("audit3d.jsonl")
print(json.dumps({"shape": "3d", "mod": m3.get("error") or m3.get("seconds"), "drs_seconds": d3.get("seconds"),
    "cells": d3.get("cells"), "primary": d3.get("primary"), "drs_secondary": d3.get("secondary"),
    "peer_audit_failing_drs": a3.get("cells_failing"), "peer_audit_seconds": a3.get("seconds")}, ensure_ascii=False))
PY
echo "(files in $WORK)" >&2
