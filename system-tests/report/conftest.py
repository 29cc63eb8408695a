"""Shared by the report suites: one synthetic nation and its 《全国数据资源调查报告》, built once.

`drs demo nation --units 600` makes a registry and two years (2025, 2026) of figures in a fresh
SQLite file; `drs report build --year 2026` makes report.html, report.xlsx, cells.csv,
provenance.csv, and report.pdf when Chromium is installed (else it is built with --no-pdf and the
browser suite skips). Both are session-scoped: every module of system-tests/report reads the same files.

Environment:
    DRS_BIN   the drs executable (default .build/debug/drs, relative to the repository root)
"""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNITS = 600
YEAR = 2026


def drs_binary() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("DRS_BIN", ".build/debug/drs"))
    if not path.is_absolute():
        path = ROOT / path
    if not path.exists():
        pytest.fail(f"找不到 drs 可执行文件：{path}（先运行 swift build，或用 DRS_BIN 指定）")
    return path


def run_drs(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Runs `drs args…` from the repository root; fails the test with its output when it fails."""
    result = subprocess.run([str(drs_binary()), *args], cwd=str(ROOT), capture_output=True, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(f"drs {' '.join(args)} 失败（退出码 {result.returncode}）：\n"
                    + result.stdout.decode(errors="replace")[-2000:] + result.stderr.decode(errors="replace")[-3000:],
                    pytrace=False)
    return result


def chromium_path():
    """The browser `drs report build` and Selenium use, or None: CHROME_BIN, else chromium on PATH."""
    explicit = os.environ.get("CHROME_BIN")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def nation(tmp_path_factory):
    """A synthetic nation of UNITS units: {"database", "tmp"}."""
    tmp = tmp_path_factory.mktemp("drs-report")
    database = tmp / "nation.sqlite"
    run_drs("demo", "nation", "--units", str(UNITS), "--year", str(YEAR), "--database", str(database))
    return {"database": database, "tmp": tmp}


@pytest.fixture(scope="session")
def report(nation):
    """The report of YEAR built from the nation: {"dir", "pdf" (whether report.pdf was asked for)}."""
    out = nation["tmp"] / "report"
    with_pdf = chromium_path() is not None
    run_drs("report", "build", "--database", str(nation["database"]), "--year", str(YEAR), "--out", str(out),
            *([] if with_pdf else ["--no-pdf"]))
    return {"dir": out, "pdf": with_pdf}


@pytest.fixture(scope="session")
def drs():
    """`drs(*args)` runs the binary from the repository root and fails the test when it fails."""
    return run_drs


@pytest.fixture(scope="session")
def chromium():
    """The Chromium binary, or None when it is not installed."""
    return chromium_path()
