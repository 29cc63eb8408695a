"""`drs serve` scraped as Prometheus would: /metrics in the text exposition format with the series the
operator's guide lists (request latency, saves, workflow steps, submissions by status, import
progress, the database pool, memory), /readyz, and /metrics refused to anything arriving via a proxy."""
import re

import requests

import demo_server

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$')


def scrape(base, **headers):
    return requests.get(f"{base}/metrics", headers=headers, timeout=10)


def samples(text):
    """{(name, labels): value} of every sample line; every line is a comment or a well-formed sample."""
    found = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        found[(match.group(1), match.group(2) or "")] = float(match.group(3))
    return found


def test_metrics_are_scraped_with_the_listed_series(server):
    base = server["base"]
    assert requests.get(f"{base}/readyz", timeout=10).text.startswith("ready")
    filer, unit = demo_server.session(base, "beijing-data")
    reply = filer.put(f"{base}/api/v1/units/{unit}/submissions/2026/P2", json={"version": 0, "values": {"01": {"cum": "5"}}})
    assert reply.status_code == 200, reply.text
    reply = filer.post(f"{base}/api/v1/units/{unit}/submissions/2026/P2/submit", json={"version": 1})
    assert reply.status_code in (200, 422), reply.text

    response = scrape(base)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    found = samples(response.text)
    names = {name for name, _ in found}
    for series in ["http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_count",
                   "drs_saves_total", "drs_workflow_steps_total", "drs_submissions", "drs_import_jobs_running", "drs_import_files",
                   "drs_reminder_runs_running", "drs_reminder_run_units", "drs_database_pool_connections_max", "drs_database_query_seconds", "process_resident_memory_bytes"]:
        assert series in names, f"{series} missing from /metrics"
    helped = {line.split(" ", 3)[2] for line in response.text.splitlines() if line.startswith("# HELP ")}
    for series in ["drs_saves_total", "drs_workflow_steps_total", "drs_submissions", "drs_import_jobs_running", "drs_import_files",
                   "drs_reminder_runs_running", "drs_reminder_run_units", "drs_database_pool_connections_max", "drs_database_query_seconds", "process_resident_memory_bytes"]:
        assert series in helped, f"{series} has no # HELP line"
    assert found[("drs_saves_total", '{form="P2",outcome="saved"}')] >= 1
    assert found[("drs_submissions", '{year="2026",status="verified"}')] == 0  # this year: nothing verified yet
    assert found[("drs_submissions", '{year="2026",status="draft"}')] + found[("drs_submissions", '{year="2026",status="submitted"}')] >= 1
    assert 0 < found[("process_resident_memory_bytes", "")] < 4e9


def test_metrics_are_not_served_through_a_proxy_without_the_token(server):
    assert scrape(server["base"], **{"X-Forwarded-For": "203.0.113.7"}).status_code == 403
