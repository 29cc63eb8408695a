#!/usr/bin/env python3
"""Server time of every page at the demo's size (docs/benchmarks.md (m)).

Starts `drs serve --demo` on a fresh SQLite file (or uses --base), logs in as each kind of user, asks
for every page they use WARMUP + RUNS times, and reports the `Server-Timing: app;dur=…` the server
puts on each response (its own time, without the network or the browser's rendering): median, p95,
max and the page's size. Exits 1 when any page's max exceeds --limit (default 200 ms).

    swift build -c release --product drs          # or use the debug build; say which in the table
    python3 tools/bench/page-times.py --drs .build/release/drs

A benchmark, not a test: CI never runs it.
"""
import argparse
import http.cookiejar
import json
import os
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
PASSWORD = "demo2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    def __init__(self, base, username):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        request = urllib.request.Request(base + "/api/v1/session", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        with self.opener.open(request, timeout=30) as response:
            self.me = json.loads(response.read())

    def get(self, path, accept="text/html"):
        request = urllib.request.Request(self.base + path, headers={"Accept": accept})
        with self.opener.open(request, timeout=60) as response:
            data = response.read()
            timing = response.headers.get("Server-Timing", "")
            match = re.search(r"dur=([0-9.]+)", timing)
            return data, float(match.group(1)) if match else None

    def json(self, path):
        data, _ = self.get(path, accept="application/json")
        return json.loads(data)


def pages(base):
    """(user, label, path) for every page, resolved against the demo's units."""
    found = []
    filer = Session(base, "beijing-data")
    unit = filer.me["unit"]["id"]
    found += [(filer, "我的报表 (home)", "/"), (filer, "公共2表 form", f"/units/{unit}/2026/P2"),
              (filer, "公共1表 form (basic information)", f"/units/{unit}/2026/P1"),
              (filer, "公共2表 print", f"/units/{unit}/2026/P2/print"),
              (filer, "公共2表 history (2025: carry-over, verification)", f"/units/{unit}/2025/P2/history")]
    tech = Session(base, "tech")
    found += [(tech, "企业5表 form (skip logic)", f"/units/{tech.me['unit']['id']}/2026/E5")]
    subsidiary = Session(base, "cmcc-gd")
    found += [(subsidiary, "企业2表 form (longest)", f"/units/{subsidiary.me['unit']['id']}/2026/E2")]
    hq = Session(base, "cmcc-hq")
    found += [(hq, "企业2表 consolidation", f"/units/{hq.me['unit']['id']}/2026/E2/consolidation")]
    reviewer = Session(base, "review-beijing")
    found += [(reviewer, "审核 queue (province)", "/review"), (reviewer, "报送进度 (province)", "/progress"),
              (reviewer, "审核 desk, 公共2表 (2025, verified)", f"/review/units/{unit}/2025/P2")]
    admin = Session(base, "admin")
    for label, path in [("审核 queue (national)", "/review"), ("报送进度 (national)", "/progress"), ("汇总", "/aggregate"),
                        ("核查清单", "/follow-up"), ("名录库", "/admin/units"), ("批量导入", "/admin/import"),
                        ("调查报告", "/admin/report"), ("账户管理", "/admin/users"), ("审计日志", "/admin/audit")]:
        found.append((admin, label, path))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drs", default=os.environ.get("DRS_BIN", ".build/debug/drs"))
    parser.add_argument("--base", help="an already running server (demo data) instead of starting one")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--limit", type=float, default=200.0, help="milliseconds")
    args = parser.parse_args()

    process = None
    base = args.base
    tmp = tempfile.mkdtemp(prefix="drs-page-times-")
    if not base:
        port = free_port()
        binary = pathlib.Path(args.drs)
        binary = binary if binary.is_absolute() else ROOT / binary
        log = open(pathlib.Path(tmp) / "server.log", "wb")
        process = subprocess.Popen([str(binary), "serve", "--demo", "--port", str(port), "--database", f"{tmp}/drs.sqlite"],
                                   cwd=str(ROOT), stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit("drs serve did not start; see " + tmp + "/server.log")
                time.sleep(0.2)
    worst = 0.0
    try:
        print(f"| page | user | median ms | p95 ms | max ms | size |")
        print(f"| --- | --- | ---: | ---: | ---: | ---: |")
        for session, label, path in pages(base):
            try:
                for _ in range(args.warmup):
                    session.get(path)
                times, size = [], 0
                for _ in range(args.runs):
                    data, duration = session.get(path)
                    size = len(data)
                    if duration is not None:
                        times.append(duration)
            except urllib.error.HTTPError as error:
                print(f"| {label} | {session.me['username']} | HTTP {error.code} | | | |")
                continue
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            worst = max(worst, times[-1])
            print(f"| {label} | {session.me['username']} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} | {size / 1024:.0f} KB |")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    print(f"\nslowest response: {worst:.1f} ms (limit {args.limit:.0f} ms)")
    sys.exit(1 if worst > args.limit else 0)


if __name__ == "__main__":
    main()
