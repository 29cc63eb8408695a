"""Shared fixtures and helpers for the browser journeys (headless Chromium through Selenium 4).

A module of its own name (not `conftest`): every folder of system-tests has a conftest.py, and
`from conftest import …` would find whichever was imported first. conftest.py here only re-exports the
fixtures.

`demo_server` starts `drs serve --demo` on a free port with a fresh SQLite database (one per test
module); `browser` is a Chromium session (1400×1000, zh-CN). Journeys save their screenshots with
`screenshot(driver, name)` into docs/ux/ (the issue's record of what a user sees) and use only
explicit waits. test_journey.py builds its own module-scoped fixtures from the same helpers.
"""

import os
import pathlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
UX_DIR = ROOT / "docs" / "ux"
DEMO_PASSWORD = "demo2026"
WAIT_SECONDS = 20


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def start_demo_server(tmp: pathlib.Path, extra_env=None):
    """Starts `drs serve --demo`; returns (process, base URL, log path, log file)."""
    binary = os.environ.get("DRS_BIN", ".build/debug/drs")
    path = pathlib.Path(binary)
    if not path.is_absolute():
        path = ROOT / path
    if not path.exists():
        pytest.fail(f"找不到 drs 可执行文件：{path}（先运行 swift build，或用 DRS_BIN 指定）")
    port = _free_port()
    log_path = tmp / "server.log"
    log = open(log_path, "wb")
    env = dict(os.environ)
    env.update(extra_env or {})
    process = subprocess.Popen(
        [str(path), "serve", "--demo", "--port", str(port), "--database", str(tmp / "drs.sqlite")],
        cwd=str(ROOT), stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not _healthy(base + "/healthz"):
        if process.poll() is not None:
            raise RuntimeError(f"drs serve 已退出（退出码 {process.returncode}）：\n{log_path.read_text(errors='replace')[-4000:]}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"drs serve 在 120 秒内没有就绪：\n{log_path.read_text(errors='replace')[-4000:]}")
        time.sleep(0.2)  # polling a starting process's health check, not timing the browser
    return process, base, log_path, log


def stop_demo_server(process, log):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`drs serve --demo` on a free port and a fresh database; {"base", "log", "tmp"}."""
    tmp = tmp_path_factory.mktemp("drs-ux")
    process, base, log_path, log = start_demo_server(tmp, {"DRS_OUTBOX": str(tmp / "outbox")})
    try:
        yield {"base": base, "log": log_path, "tmp": tmp}
    finally:
        stop_demo_server(process, log)


def new_browser(width=1400, height=1000):
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                f"--window-size={width},{height}", "--force-renderer-accessibility"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if os.environ.get("CHROME_BIN"):
        options.binary_location = os.environ["CHROME_BIN"]
    elif shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(chromedriver):
        pytest.fail("找不到 chromedriver（Debian：apt-get install chromium chromium-driver）")
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_window_size(width, height)
    return driver


@pytest.fixture()
def browser():
    """A fresh Chromium session per test (so logins do not leak between journeys)."""
    driver = new_browser()
    yield driver
    driver.quit()


def waiting(driver, timeout=WAIT_SECONDS):
    """An explicit wait that treats stale nodes during a page load as "not yet"."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException, WebDriverException))


def login(driver, base, username, password=DEMO_PASSWORD):
    """Logs in through the login page and waits for the home page."""
    driver.get(base + "/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    waiting(driver).until(EC.presence_of_element_located((By.ID, "logout-button")))


def logout(driver):
    driver.find_element(By.ID, "logout-button").click()
    waiting(driver).until(EC.presence_of_element_located((By.NAME, "username")))


def screenshot(driver, name):
    """Saves docs/ux/<name>.png (full page height when possible) and returns its path."""
    UX_DIR.mkdir(parents=True, exist_ok=True)
    path = UX_DIR / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def browser_problems(driver):
    """Console entries that mean the page broke: script errors and Content-Security-Policy refusals."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - a diagnostic, not part of the journey
        return []
    return [e.get("message", "") for e in entries
            if "Content Security Policy" in e.get("message", "")
            or (e.get("level") == "SEVERE" and "Uncaught" in e.get("message", ""))]


def accessibility_tree(driver):
    """Chromium's full accessibility tree of the current page (CDP Accessibility.getFullAXTree)."""
    driver.execute_cdp_cmd("Accessibility.enable", {})
    return driver.execute_cdp_cmd("Accessibility.getFullAXTree", {}).get("nodes", [])
