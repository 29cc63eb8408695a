"""Shared by the pytest suites: `drs serve --demo` on a free port and a fresh SQLite file, and a
logged-in API session. Imported by system-tests/conftest.py (the `demo_server` fixture)."""
import os
import pathlib
import socket
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
DRS = os.environ.get("DRS_BIN", str(ROOT / ".build" / "debug" / "drs"))
PASSWORD = "demo2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp):
    """Starts the demo server in `tmp`; returns (process, log file, info)."""
    port = free_port()
    database = tmp / "drs.sqlite"
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen([DRS, "serve", "--demo", "--port", str(port), "--database", str(database)], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("drs serve did not start:\n" + (tmp / "server.log").read_text(errors="replace")[-3000:])
        time.sleep(0.2)  # polling a starting process's health check
    return proc, log, {"base": base, "database": database, "tmp": tmp}


def stop(proc, log):
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def session(base, username):
    """A logged-in requests session with the CSRF header, and the account's unit id (or None)."""
    s = requests.Session()
    r = s.post(f"{base}/api/v1/session", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    s.headers["X-CSRF-Token"] = r.json()["csrfToken"]
    return s, (r.json().get("unit") or {}).get("id")
