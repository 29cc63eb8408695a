"""`drs bench deadline` at a small size: the tool a national deployment is measured with must itself
be right. Filers of a synthetic nation save, submit and are returned; afterwards every filer's form
must hold the last acknowledged values, with no 5xx. On PostgreSQL two instances serve and one is
killed with SIGKILL part-way. (The measured runs at 100,000 units are in docs/benchmarks.md (o).)

Run: DRS_BIN=… [DRS_MULTI_DATABASE=postgres://…] pytest system-tests/api/test_deadline_bench.py
"""
import json
import os
import subprocess
import tempfile

import pytest

# On the one PostgreSQL database CI gives (DRS_MULTI_DATABASE): with pytest-xdist, on the same worker
# as the other modules that use it.
pytestmark = pytest.mark.xdist_group("postgres")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DRS = os.environ.get("DRS_BIN", os.path.join(ROOT, ".build", "debug", "drs"))
MULTI = os.environ.get("DRS_MULTI_DATABASE")
PASSWORD = "demo2026-nation"


def nation(database):
    subprocess.run([DRS, "demo", "nation", "--units", "1500", "--database", database, "--accounts", "--password", PASSWORD],
                   cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)


def bench(database, *extra):
    # 12 filers share about 300 filer requests: each saves some 25 times, so most reach their 10–40
    # saves and submit (with 40 filers a run could end before anyone submitted).
    # Windows of 2 s: the 8 s run is reported in four.
    run = subprocess.run([DRS, "bench", "deadline", "--database", database, "--seconds", "8", "--rate", "40", "--connections", "8",
                          "--filers", "12", "--window", "2", "--password", PASSWORD, *extra],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    report = {(l["bench"], l.get("kind")): l for l in lines}
    report["windows"] = [l for l in lines if l["bench"] == "deadline-window"]
    return run, report, [l for l in lines if l["bench"] == "deadline-instance"]


def expect_windows(report, killed_in=None):
    """The windows cut the run in four and together hold every paced request, save and aggregate once."""
    windows = report["windows"]
    assert [(w["window"], w["from_s"], w["to_s"]) for w in windows] == [(0, 0, 2), (1, 2, 4), (2, 4, 6), (3, 6, 8)], windows
    assert sum(w["requests"] for w in windows) == report[("deadline", "all")]["requests"]
    assert sum(w["saves"] for w in windows) == report[("deadline", "save")]["requests"]
    assert sum(w["aggregates"] for w in windows) == report[("deadline", "aggregate")]["requests"]
    assert sum(w["status_5xx"] for w in windows) == 0
    assert max(w["save_p99_ms"] for w in windows) >= report[("deadline", "save")]["p99_ms"]
    assert [w["window"] for w in windows if w["killed"]] == ([] if killed_in is None else [killed_in])


def expect_nothing_lost(run, report, warmed=False):
    assert run.returncode == 0, run.stderr[-3000:]
    verdict = report[("deadline-verify", None)]
    assert verdict["filers"] > 0 and verdict["lost"] == 0 and verdict["unreadable"] == 0, verdict
    saves = report[("deadline", "save")]
    assert saves["ok"] > 50
    if warmed:
        # The warm-up's saves are read back too, but counted in no line of the report.
        assert verdict["acknowledged_saves"] > saves["ok"], (verdict, saves)
    else:
        assert verdict["acknowledged_saves"] == saves["ok"]
    everything = report[("deadline", "all")]
    assert everything["status_5xx"] == 0, everything
    for kind in ("page", "queue", "aggregate"):
        assert report[("deadline", kind)]["ok"] > 0, kind


def test_one_instance_on_sqlite_loses_nothing():
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "nation.sqlite")
        nation(database)
        # The national office aggregates what has arrived, not only what is verified: never kept, so
        # every aggregate of the run is computed afresh beside the saves.
        run, report, instances = bench(database, "--port", "18420", "--aggregate-status", "submitted,approved,verified", "--warm-up", "2")
        expect_nothing_lost(run, report, warmed=True)
        expect_windows(report)
        # Submissions and returns beside the single writer's saves: none failed (they once did, SQLITE_BUSY_SNAPSHOT).
        # Returns are 2 in 100 draws and need a queue that showed something: a short run has a few, and
        # may have none (then "all" above still holds every request's status).
        steps = {kind: report.get(("deadline", kind)) for kind in ("submit", "return")}
        assert steps["submit"] or steps["return"], "neither a submission nor a return in the run"
        assert all(step["status_5xx"] == 0 for step in steps.values() if step), steps
        assert len(instances) == 1 and instances[0]["peak_rss_mb"] > 0


def test_an_unknown_aggregate_status_is_refused_before_anything_starts():
    run = subprocess.run([DRS, "bench", "deadline", "--database", "nowhere.sqlite", "--password", PASSWORD, "--aggregate-status", "verified,done"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "未知的汇总状态「done」" in run.stderr, run.stderr[-2000:]
    assert not os.path.exists(os.path.join(ROOT, "nowhere.sqlite"))


def test_an_endless_or_absurd_time_is_refused_before_anything_starts():
    for option, value in (("--seconds", "inf"), ("--warm-up", "1e300"), ("--window", "nan"), ("--kill-after", "-inf"), ("--connections", "9223372036854775807")):
        run = subprocess.run([DRS, "bench", "deadline", "--database", "nowhere.sqlite", "--password", PASSWORD, f"{option}={value}"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert run.returncode != 0 and "Fatal error" not in run.stderr, (option, run.stderr[-2000:])
        assert ("不超过" in run.stderr or "须为正数" in run.stderr), (option, run.stderr[-2000:])
    assert not os.path.exists(os.path.join(ROOT, "nowhere.sqlite"))


def test_two_instances_on_postgresql_one_killed_lose_nothing():
    if not MULTI:
        pytest.skip("DRS_MULTI_DATABASE not set")
    server = MULTI.rsplit("/", 1)[0]
    subprocess.run(["psql", server + "/postgres", "-qc", "drop database if exists drs_deadline", "-c", "create database drs_deadline"],
                   check=True, capture_output=True)
    database = server + "/drs_deadline"
    nation(database)
    run, report, instances = bench(database, "--instances", "2", "--kill-after", "4", "--port", "18430")
    expect_nothing_lost(run, report)
    # Killed 4 s in: the window from 4 to 6 s.
    expect_windows(report, killed_in=2)
    assert [i["killed"] for i in instances] == [False, True]
    assert "SIGKILL" in run.stderr
