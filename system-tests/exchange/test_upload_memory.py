"""Issue #11, finding 7: unbounded work on an upload.

A 1,000,000-line CSV upload once returned a 213 MB error response and the process kept ~1 GB
afterwards. Now an upload is read a record at a time within `UploadLimits` (DRSExchange): the answer
lists the first 100 problems and counts them all, and the server's resident memory (VmRSS of the
`drs serve` process, from /proc) returns to within 20% of what it was before the upload.

Environment: DRS_BIN (default .build/debug/drs).
"""
import pathlib
import time

import pytest
import demo_server
from demo_server import session

HEADER = "表号,指标代码,栏目,分组,数值\n"


def rss_kb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def settled_rss_kb(pid):
    """RSS once the server has finished with the last request (it drops the body after answering)."""
    time.sleep(1.0)  # waiting for the server to release the request, not for a result
    return rss_kb(pid)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not pathlib.Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the server's memory")
    proc, log, info = demo_server.start(tmp_path_factory.mktemp("drs-memory"))
    yield proc, info
    demo_server.stop(proc, log)


def test_a_million_line_csv_gets_a_small_answer_and_memory_returns_to_baseline(served):
    proc, info = served
    s, unit = session(info["base"], "beijing-data")
    url = f"{info['base']}/api/v1/units/{unit}/submissions/2026/P2/upload?format=csv"
    headers = {"Content-Type": "text/csv"}
    # Warm-up: a small upload, so the baseline includes what any first upload sets up.
    small = s.post(url, data=(HEADER + "P2,01,cum,,1\n").encode(), headers=headers)
    assert small.status_code in (200, 422), small.text
    baseline = settled_rss_kb(proc.pid)

    # 1,000,000 lines (13 MB, under the 20 MB file limit): reading stops at the row limit. Twice:
    # glibc keeps the second large buffer in an arena unless told otherwise (MemoryRelease.swift).
    body = (HEADER + "P2,01,cur,,1\n" * 1_000_000).encode()
    for _ in range(2):
        r = s.post(url, data=body, headers=headers)
        assert r.status_code == 422, r.text[:500]
        assert len(r.content) <= 1 << 20, f"answer of {len(r.content)} bytes"
        error = r.json()["error"]
        assert error["details"]["problems"][0]["code"] == "too_many_rows"
        assert len(error["details"]["problems"]) == 100
        assert error["details"]["problemCount"] > 100
        assert "仅列出前 100 处" in error["message"]

    # 1,000,000 longer lines (~30 MB, over the file limit): refused as it arrives.
    big = (HEADER + "企业2表,01,本年实际,,1234.5\n" * 1_000_000).encode()
    assert len(big) > 20 << 20
    r = s.post(url, data=big, headers=headers)
    assert r.status_code == 413, r.text[:500]
    assert len(r.content) <= 1 << 20

    after = settled_rss_kb(proc.pid)
    assert after <= baseline * 1.2, f"RSS {after} kB after the uploads, baseline {baseline} kB"
    # The server still answers.
    assert s.get(f"{info['base']}/api/v1/units/{unit}/submissions/2026/P2").status_code == 200
