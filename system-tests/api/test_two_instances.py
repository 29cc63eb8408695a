"""Two server instances on one PostgreSQL database: sessions work across both, and two users saving
the same submission from stale copies get one success and one 409 — nothing lost.

Run: DRS_MULTI_DATABASE=postgres://… pytest system-tests/api/test_two_instances.py
"""
import os
import random
import socket
import subprocess
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DRS = os.environ.get("DRS_BIN", os.path.join(ROOT, ".build", "debug", "drs"))
DATABASE = os.environ.get("DRS_MULTI_DATABASE")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port, demo, extra=()):
    args = [DRS, "serve", "--port", str(port), "--database", DATABASE, *extra]
    if demo:
        args.append("--demo")
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_healthy(f"http://127.0.0.1:{port}", proc, lambda: proc.stdout.read())
    return proc


def wait_healthy(base, proc, why, seconds=60):
    """Waits until `base`/healthz answers 200; fails with `why()` if `proc` exits or time runs out."""
    deadline = time.time() + seconds
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            if proc.poll() is None:
                proc.kill()
            raise RuntimeError(f"{base} did not start: {why()}")
        time.sleep(0.2)  # polling a starting process's health check


@pytest.fixture(scope="module")
def instances():
    if not DATABASE:
        pytest.skip("DRS_MULTI_DATABASE not set")
    a_port, b_port = free_port(), free_port()
    a = start(a_port, demo=True)          # migrates and seeds
    b = start(b_port, demo=False)         # same database, no seeding
    yield f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
    for p in (a, b):
        p.terminate()
        p.wait(timeout=20)


def login(base, username="beijing-data"):
    s = requests.Session()
    r = s.post(f"{base}/api/v1/session", json={"username": username, "password": "demo2026"})
    assert r.status_code == 200, r.text
    s.headers["X-CSRF-Token"] = r.json()["csrfToken"]
    return s, (r.json().get("unit") or {}).get("id")


def test_a_session_made_on_one_instance_works_on_the_other(instances):
    a, b = instances
    s, _ = login(a)
    cookie = s.cookies.get("drs-session")
    other = requests.Session()
    other.cookies.set("drs-session", cookie)
    r = other.get(f"{b}/api/v1/me")
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "beijing-data"


def test_stale_saves_on_two_instances_give_one_success_and_one_conflict(instances):
    a, b = instances
    first, unit = login(a)
    second, _ = login(b)
    path = f"/api/v1/units/{unit}/submissions/{{year}}/P2"
    year = first.get(f"{a}/api/v1/my/forms").json()["year"]
    path = path.format(year=year)
    version = first.get(a + path).json()["submission"]["version"]
    assert second.get(b + path).json()["submission"]["version"] == version
    mine, theirs = str(random.randint(10_000, 99_999)), str(random.randint(100_000, 999_999))   # fresh figures every run
    r1 = first.put(a + path, json={"version": version, "values": {"01": {"cum": mine}}})
    r2 = second.put(b + path, json={"version": version, "values": {"01": {"cum": theirs}}})
    assert sorted([r1.status_code, r2.status_code]) == [200, 409], (r1.text, r2.text)
    conflict = r2.json()["error"]
    assert conflict["code"] == "version_conflict"
    assert any(c["cell"] == "01:cum" and c["yours"] == theirs and c["current"] == mine for c in conflict["details"]["cells"])
    stored = second.get(b + path).json()["submission"]["values"]["01"]["cum"]
    assert stored == mine


def test_an_import_job_outlives_the_instance_that_took_it(instances):
    """A job posted to an instance killed (SIGKILL) while importing is finished by the others, every
    file accounted for once: the files done before the kill are kept, the rest imported after it."""
    a, b = instances
    port = free_port()
    victim = subprocess.Popen([DRS, "serve", "--port", str(port), "--database", DATABASE, "--import-lease-seconds", "2"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        c = f"http://127.0.0.1:{port}"
        wait_healthy(c, victim, lambda: "the third instance")
        admin, _ = login(c, "admin")
        units = admin.get(f"{c}/api/v1/units").json()["units"]
        code = next(u["creditCode"] for u in units if u["name"] == "北京市政务服务和数据管理局")
        files = []
        for i in range(150):
            body = f"表号,指标代码,栏目,数值,年份,统一社会信用代码\n公共2表,01,截至本年,{5000 + i},2026,{code}\n".encode()
            files.append(("files[]", (f"p2-{i:03}.csv", body)))
        posted = admin.post(f"{c}/api/v1/import/jobs", files=files, data={"status": "draft"})
        assert posted.status_code == 202, posted.text
        job = posted.json()["job"]
        victim.kill()
        victim.wait(timeout=20)

    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait(timeout=20)

    survivor, _ = login(b, "admin")
    first = survivor.get(f"{b}/api/v1/import/jobs/{job}").json()
    assert not first["finished"], "the killed instance had not finished the job"
    deadline = time.time() + 90
    while not (state := survivor.get(f"{b}/api/v1/import/jobs/{job}").json())["finished"]:
        assert time.time() < deadline, state
        time.sleep(0.5)  # polling the job, as the import page does
    assert state["done"] == state["total"] == 150, state
    assert [r["file"] for r in state["results"]] == [f"p2-{i:03}.csv" for i in range(150)]
    assert state["rejected"] == 0 and state["imported"] + state["unchanged"] == 150, state
