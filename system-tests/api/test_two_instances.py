"""Two server instances on one PostgreSQL database: sessions work across both, and two users saving
the same submission from stale copies get one success and one 409 — nothing lost.

Run: DRS_MULTI_DATABASE=postgres://… pytest system-tests/api/test_two_instances.py
"""
import os
import random
import re
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager

import pytest
import requests

# On the one PostgreSQL database CI gives (DRS_MULTI_DATABASE): with pytest-xdist, on the same worker
# as the other modules that use it.
pytestmark = pytest.mark.xdist_group("postgres")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DRS = os.environ.get("DRS_BIN", os.path.join(ROOT, ".build", "debug", "drs"))
DATABASE = os.environ.get("DRS_MULTI_DATABASE")
# Reminder e-mails of every instance go to a folder of the test's, not the repository's `outbox/`.
OUTBOX = tempfile.mkdtemp(prefix="drs-outbox-")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port, demo, extra=()):
    args = [DRS, "serve", "--port", str(port), "--database", DATABASE, *extra]
    if demo:
        args.append("--demo")
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "DRS_OUTBOX": OUTBOX})
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


@contextmanager
def instance_to_kill(why, env=None):
    """A third instance on the database, holding its jobs for only 2 s: yields its address and its
    process (the test kills it with SIGKILL); never outlives the test."""
    port = free_port()
    victim = subprocess.Popen([DRS, "serve", "--port", str(port), "--database", DATABASE, "--import-lease-seconds", "2"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "DRS_OUTBOX": OUTBOX, **(env or {})})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, victim, lambda: why)
        yield base, victim
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait(timeout=20)


def kill(victim):
    victim.kill()
    victim.wait(timeout=20)


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
    """A job posted to an instance killed (SIGKILL) half-way through importing is finished by the
    others, every file accounted for once: the files done before the kill are kept, the rest imported
    after it."""
    a, b = instances
    files_in_job = 600
    with instance_to_kill("the third instance") as (c, victim):
        admin, _ = login(c, "admin")
        units = admin.get(f"{c}/api/v1/units").json()["units"]
        code = next(u["creditCode"] for u in units if u["name"] == "北京市政务服务和数据管理局")
        files = []
        for i in range(files_in_job):
            body = f"表号,指标代码,栏目,数值,年份,统一社会信用代码\n公共2表,01,截至本年,{5000 + i},2026,{code}\n".encode()
            files.append(("files[]", (f"p2-{i:03}.csv", body)))
        posted = admin.post(f"{c}/api/v1/import/jobs", files=files, data={"status": "draft"})
        assert posted.status_code == 202, posted.text
        job = posted.json()["job"]
        # Killed only once it has imported a file: killed straight after the 202, a quick instance
        # had sometimes finished the whole job already (CI, once), and the test proved nothing.
        deadline = time.time() + 60
        while (before_kill := admin.get(f"{c}/api/v1/import/jobs/{job}").json())["done"] == 0:
            assert time.time() < deadline, before_kill
            time.sleep(0.01)
        kill(victim)

    survivor, _ = login(b, "admin")
    first = survivor.get(f"{b}/api/v1/import/jobs/{job}").json()
    assert not first["finished"], f"the killed instance finished the job before it was killed: {before_kill}"
    assert first["done"] >= before_kill["done"], (before_kill, first)  # the files done before the kill are kept
    deadline = time.time() + 90
    while not (state := survivor.get(f"{b}/api/v1/import/jobs/{job}").json())["finished"]:
        assert time.time() < deadline, state
        time.sleep(0.5)  # polling the job, as the import page does
    assert state["done"] == state["total"] == files_in_job, state
    assert [r["file"] for r in state["results"]] == [f"p2-{i:03}.csv" for i in range(files_in_job)]
    assert state["rejected"] == 0 and state["imported"] + state["unchanged"] == files_in_job, state


class SilentMailServer:
    """Accepts SMTP connections and never answers: each e-mail waits out curl's time limit (30 s)."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.held = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)


def reminder_lines(base, admin):
    """The audit's 催报 lines (audit.csv's rows after its header)."""
    return admin.get(f"{base}/admin/audit.csv?kind=reminderSent").text.strip().splitlines()[1:]


def test_a_reminder_run_outlives_the_instance_that_took_it(instances):
    """全部催报 confirmed on an instance that is killed (SIGKILL) while it sends is finished by the
    others: every owing unit reminded exactly once (one audit line each), none left out."""
    a, b = instances
    # The lab gets an address, so the run's batch waits on its e-mail at the killed instance.
    lab, lab_unit = login(a, "lab")
    year = lab.get(f"{a}/api/v1/my/forms").json()["year"]
    p1 = f"{a}/api/v1/units/{lab_unit}/submissions/{year}/P1"
    version = lab.get(p1).json()["submission"]["version"]
    assert lab.put(p1, json={"version": version, "answers": {"203": {"email": "filer@lab.example"}}}).status_code == 200
    before = len(reminder_lines(a, login(a, "admin")[0]))   # earlier runs on this database (a test run again)
    silent = SilentMailServer()
    with instance_to_kill("the instance to kill", env={"DRS_SMTP_URL": f"smtp://127.0.0.1:{silent.port}"}) as (c, victim):
        admin, _ = login(c, "admin")
        token = admin.headers["X-CSRF-Token"]
        confirm = admin.post(f"{c}/progress/reminders?year={year}", data={"all": "1", "_csrf": token})
        assert confirm.status_code == 200, confirm.text
        run = re.search(r'name="run" value="([0-9A-Fa-f-]{36})"', confirm.text).group(1)
        owing = int(re.search(r"确认发送催报（(\d+)个单位）", confirm.text).group(1))
        sent = admin.post(f"{c}/progress/reminders/send?year={year}", data={"all": "1", "run": run, "_csrf": token}, allow_redirects=False)
        assert sent.status_code == 303, sent.text
        location = sent.headers["Location"]
        deadline = time.time() + 20
        while not silent.held:   # the killed instance holds the run: its e-mail is on its way
            assert time.time() < deadline, "the instance never began to send"
            time.sleep(0.1)  # waiting for the instance's SMTP connection
        kill(victim)

    survivor, _ = login(b, "admin")
    assert survivor.get(b + location).headers.get("Refresh") == "2", "the killed instance had not finished the run"
    deadline = time.time() + 90
    while (page := survivor.get(b + location)).headers.get("Refresh"):
        assert time.time() < deadline, page.text
        time.sleep(0.5)  # following the run, as its page does
    assert f"已向 {owing} 个单位发出催报" in page.text, page.text
    lines = reminder_lines(b, survivor)
    assert len(lines) - before == owing, lines
