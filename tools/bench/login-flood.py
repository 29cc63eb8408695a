#!/usr/bin/env python3
"""Login flood: a filer's draft saves while 200 clients send wrong passwords (issue #11, finding 5).

Starts `drs serve --demo` on a fresh SQLite file behind a pretend proxy (`--trusted-proxy 127.0.0.1`,
so each flooding client's X-Forwarded-For stands for one of 20 addresses), logs the filer
`beijing-data` in, then for SECONDS runs 200 threads that post wrong passwords as fast as they are
answered (demo and unknown user names) while the filer saves the 公共2表 draft every 100 ms with the
version the server returned. Prints the saves' p50/p99/max latency and every status count.

    swift build --product drs && tools/bench/login-flood.py [--seconds 20] [--binary .build/debug/drs]

Standard library only.
"""
import argparse, http.client, json, multiprocessing, os, random, shutil, socket, statistics, subprocess, sys, tempfile, threading, time
from collections import Counter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    return r.status, r.getheaders(), data


def flood_process(port, flooders, addresses, names, stop, results):
    """`flooders` threads posting wrong passwords as fast as they are answered, each from one of `addresses`."""
    counts = Counter()
    lock = threading.Lock()

    def flood(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        address = f"10.0.{i % addresses}.1"
        local = Counter()
        while not stop.is_set():
            body = json.dumps({"username": random.choice(names), "password": f"wrong-{random.randrange(10**6)}"})
            try:
                s, _, _ = request(conn, "POST", "/api/v1/session", body, {"Content-Type": "application/json", "X-Forwarded-For": address})
                local[s] += 1
            except (OSError, http.client.HTTPException):
                local["error"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            counts.update(local)

    threads = [threading.Thread(target=flood, args=(i,), daemon=True) for i in range(flooders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(dict(counts))


def cpu_seconds(pid):
    """The process's user + system CPU time (Linux), or None."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def cookie_of(headers, name):
    for k, v in headers:
        if k.lower() == "set-cookie" and v.startswith(name + "="):
            return v.split(";", 1)[0]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--flooders", type=int, default=200)
    ap.add_argument("--addresses", type=int, default=20)
    ap.add_argument("--names", default="beijing-data,shanghai-data,review-beijing,admin,cmcc-hq,nobody,beijing-dat,root",
                    help="user names the flood tries (demo accounts and unknown names)")
    ap.add_argument("--port", type=int, default=18311)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "drs"))
    args = ap.parse_args()
    binary = args.binary if os.path.exists(args.binary) else os.path.join(ROOT, ".build", "debug", "drs")
    work = tempfile.mkdtemp(prefix="drs-flood-")
    db = os.path.join(work, "flood.sqlite")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "serve", "--demo", "--database", db, "--port", str(args.port),
                               "--trusted-proxy", "127.0.0.1"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                if request(c, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("server did not start")

        # The filer, logged in before the flood (from an address of its own).
        filer = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        mine = {"X-Forwarded-For": "192.0.2.10"}
        status, headers, body = request(filer, "POST", "/api/v1/session",
                                        json.dumps({"username": "beijing-data", "password": "demo2026"}),
                                        {"Content-Type": "application/json", **mine})
        assert status == 200, (status, body)
        me = json.loads(body)
        cookie, csrf, unit = cookie_of(headers, "drs-session"), me["csrfToken"], me["unit"]["id"]
        path = f"/api/v1/units/{unit}/submissions/2026/P2"
        auth = {"Cookie": cookie, "X-CSRF-Token": csrf, **mine}
        status, _, body = request(filer, "GET", path, headers=auth)
        version = (json.loads(body).get("submission") or {}).get("version", 0)

        # The flood runs in a process of its own: its 200 threads' contention for Python's GIL must not
        # delay the filer's measurements.
        stop = multiprocessing.Event()
        results = multiprocessing.Queue()
        flooder = multiprocessing.Process(target=flood_process, args=(args.port, args.flooders, args.addresses, args.names.split(","), stop, results))
        flooder.start()
        time.sleep(1)   # the flood is on

        latencies, save_status, timeline = [], Counter(), []
        begin = time.monotonic()
        cpu_before = cpu_seconds(server.pid)
        end = begin + args.seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            v = 1000 + n
            payload = json.dumps({"version": version, "values": {"01": {"cum": str(v + 300), "cur": str(v)}, "02": {"cum": str(v)},
                                                                "03": {"cum": "300"}, "05": {"cum": str(v)}}})
            started = time.monotonic()
            try:
                s, _, body = request(filer, "PUT", path, payload, {"Content-Type": "application/json", **auth})
            except (OSError, http.client.HTTPException):
                s = "error"
                filer.close()
                filer = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            latencies.append((time.monotonic() - started) * 1000)
            timeline.append((started - begin, latencies[-1]))
            save_status[s] += 1
            if s == 200:
                version = json.loads(body).get("version", version)
            time.sleep(max(0, 0.1 - (time.monotonic() - started)))
        cpu_used = (cpu_seconds(server.pid) or 0) - (cpu_before or 0)
        stop.set()
        flood_status = Counter(results.get(timeout=60))
        flooder.join(timeout=60)

        latencies.sort()
        def pct(p):
            return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]
        total_flood = sum(flood_status.values())
        slowest = sorted(timeline, key=lambda x: -x[1])[:5]
        print(f"binary: {os.path.relpath(binary, ROOT)}; {args.flooders} flooding clients from {args.addresses} addresses, {args.seconds:.0f} s")
        print(f"filer saves: {len(latencies)}  p50 {pct(50):.1f} ms  p99 {pct(99):.1f} ms  max {latencies[-1]:.1f} ms  statuses {dict(save_status)}")
        print("slowest saves (s into the run, ms): " + ", ".join(f"{t:.1f}s {l:.0f}" for t, l in slowest))
        print(f"flood logins: {total_flood} ({total_flood / (args.seconds + 1):.0f}/s)  statuses {dict(flood_status)}")
        print(f"server CPU during the saves: {cpu_used:.1f} s in {args.seconds:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        bad = sum(c for s, c in save_status.items() if s != 200)
        return 0 if bad == 0 and pct(99) < 100 else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
