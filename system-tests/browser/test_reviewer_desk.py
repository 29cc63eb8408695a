"""A provincial reviewer's desk in a real browser (headless Chromium through Selenium 4).

The demo starts with nothing submitted for the survey year, so the journey first has four Beijing
units file and submit a form through the API, as their filers would (`POST /api/v1/session`, `PUT`
the draft, `POST …/submit`): each takes last year's verified figures, so it is clean; 北京市数据局
triples 数据生产总量 and explains it, so its 公共2表 has one explained warning. Then the Beijing
provincial reviewer (`review-beijing`) opens that form from the queue, filters the desk to the rows
with errors or warnings and sees only those, moves through the queue with j / k, and on the queue
selects three clean forms, confirms, and sees them approved. The history page of a form shows
Chinese names, not cell keys, and the carried-over 上年同期 as the system's.

Run: DRS_BIN=/work/main/.build/debug/drs python3 -m pytest -q system-tests/browser/test_reviewer_desk.py
"""

import http.cookiejar
import json
import re
import urllib.request
from decimal import Decimal

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from ux_support import DEMO_PASSWORD, browser, browser_problems, demo_server, login, screenshot, waiting  # noqa: F401

YEAR = 2026
REVIEWER = "review-beijing"
# (filer, form): Beijing units whose form the Beijing reviewer reviews.
CLEAN = [("lab", "P3"), ("sdc", "P4"), ("exchange", "E4")]
EXPLAINED = ("beijing-data", "P2")


class Api:
    """A filer's API session: cookie and CSRF token, JSON in and out."""

    def __init__(self, base, username):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        me = self.call("POST", "/api/v1/session", {"username": username, "password": DEMO_PASSWORD})
        self.csrf = me["csrfToken"]
        self.unit = me["unit"]["id"]

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if getattr(self, "csrf", None):
            headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        with self.opener.open(request, timeout=30) as response:
            return json.loads(response.read() or b"null")


def file_and_submit(base, username, form, triple_first_row=False):
    """Files `form` with last year's verified figures (上年同期 = last year's 本年实际) and submits it."""
    api = Api(base, username)
    path = f"/api/v1/units/{api.unit}/submissions/{YEAR}/{form}"
    detail = api.call("GET", path)
    values = {}
    for code, columns in (detail.get("lastYear") or {}).items():
        values[code] = {column: value for column, value in columns.items() if column != "prev"}
        if isinstance(columns.get("cur"), (str, dict)):
            values[code]["prev"] = columns["cur"]  # a figure, or a breakdown's figures by member
    explanations = {}
    if triple_first_row:
        code = sorted(values)[0]
        cur = Decimal(values[code]["cur"])
        values[code]["cur"] = str(cur * 3)
        values[code]["cum"] = str(Decimal(values[code]["cum"]) + cur * 2)
        explanations[code] = "新建政务云平台投产，数据生产量大幅增加"
    saved = api.call("PUT", path, {"version": detail["submission"]["version"], "values": values, "explanations": explanations})
    report = saved["report"]
    problems = [v["message"] for v in report["errors"] + report.get("missing", [])]
    assert not problems, f"{username} {form}: {len(problems)} problems, first {problems[:3]}"
    assert all(w.get("explanation") for w in report["warnings"] if w.get("needsExplanation")), report["warnings"]
    submitted = api.call("POST", path + "/submit", {"version": saved["version"]})
    assert submitted["status"] == "submitted", submitted
    return api.unit


def visible_rows(driver):
    return [row for row in driver.find_elements(By.CSS_SELECTOR, "tr.desk-row") if row.is_displayed()]


def test_reviewer_filters_moves_and_bulk_approves(demo_server, browser):  # noqa: F811
    base = demo_server["base"]
    units = {form: file_and_submit(base, username, form) for username, form in CLEAN}
    bj_unit = file_and_submit(base, EXPLAINED[0], EXPLAINED[1], triple_first_row=True)

    driver = browser
    login(driver, base, REVIEWER)
    driver.get(base + "/review")
    waiting(driver).until(EC.presence_of_element_located((By.ID, "bulk-form")))
    queue_rows = driver.find_elements(By.CSS_SELECTOR, "tr.queue-row")
    assert len(queue_rows) >= 4, "four submitted forms await the Beijing reviewer"
    screenshot(driver, "reviewer-queue")

    # The desk of 公共2表: one row per indicator; the filter leaves only the rows with a check.
    driver.find_element(By.CSS_SELECTOR, f"a.review-link[href^='/review/units/{bj_unit}/{YEAR}/P2']").click()
    waiting(driver).until(EC.presence_of_element_located((By.ID, "filter-failing")))
    all_rows = visible_rows(driver)
    assert len(all_rows) > 5
    header = driver.find_element(By.CSS_SELECTOR, "table.desk-table thead").text
    for words in ("本年·本年实际", "上年核定", "变化", "审核", "填报说明"):
        assert words in header
    driver.find_element(By.ID, "filter-failing").click()
    failing = visible_rows(driver)
    assert 0 < len(failing) < len(all_rows)
    for row in failing:
        assert row.get_attribute("data-failing") == "true"
        assert row.find_element(By.CSS_SELECTOR, ".rule-status").text in ("错误", "提示")
    assert "新建政务云平台投产" in failing[0].text, "the filer's explanation sits on its row"
    assert "200.0%" in failing[0].text or "+200.0%" in failing[0].text
    screenshot(driver, "reviewer-desk-failing")
    driver.find_element(By.ID, "filter-failing").click()
    assert len(visible_rows(driver)) == len(all_rows)
    driver.find_element(By.ID, "filter-explained").click()
    assert 0 < len(visible_rows(driver)) < len(all_rows)
    driver.find_element(By.ID, "filter-explained").click()
    assert "j" in driver.find_element(By.ID, "shortcut-hint").text

    # j / k: the next and previous submission of the queue; not while typing a reason.
    here = driver.current_url
    reason = driver.find_element(By.ID, "review-reason")
    reason.send_keys("jk")
    assert driver.current_url == here
    reason.clear()
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    waiting(driver).until(lambda d: d.current_url != here)
    moved = driver.current_url
    assert "/review/units/" in moved
    waiting(driver).until(EC.presence_of_element_located((By.ID, "review")))
    driver.find_element(By.TAG_NAME, "body").send_keys("k")
    waiting(driver).until(lambda d: d.current_url == here)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ALT, Keys.ARROW_RIGHT)
    waiting(driver).until(lambda d: d.current_url == moved)

    # Bulk approval of three clean forms, with the confirmation listing them.
    driver.get(base + "/review")
    waiting(driver).until(EC.presence_of_element_located((By.ID, "bulk-form")))
    driver.find_element(By.ID, "filter-clean").click()
    for form, unit in units.items():
        box = driver.find_element(By.CSS_SELECTOR, f"input.bulk-select[value='{unit}/{YEAR}/{form}']")
        assert box.get_attribute("data-clean") == "true"
        box.click()
    assert "3" in driver.find_element(By.ID, "bulk-selected").text
    driver.find_element(By.ID, "bulk-approve-button").click()
    dialog = waiting(driver).until(EC.visibility_of_element_located((By.ID, "bulk-confirm")))
    listed = dialog.find_elements(By.CSS_SELECTOR, "#bulk-confirm-list li")
    assert len(listed) == 3
    screenshot(driver, "reviewer-bulk-confirm")
    driver.find_element(By.ID, "bulk-confirm-button").click()
    results = waiting(driver).until(EC.presence_of_element_located((By.ID, "bulk-results")))
    assert "完成 3 份，未完成 0 份" in results.text
    assert results.text.count("已审核通过") == 3
    screenshot(driver, "reviewer-bulk-result")
    # They left the queue of forms awaiting review, and show as 已通过 under that status.
    driver.get(base + "/review?status=approved")
    approved = driver.find_element(By.CSS_SELECTOR, "tbody.form-rows").text
    assert approved.count("已通过") >= 3

    # The history page: names and people, no cell keys; 摘抄 labelled as the system's.
    driver.get(f"{base}/units/{units['P3']}/{YEAR}/P3/history")
    table = waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.history-table")))
    text = table.text
    assert "数据生产总量[01]" in text
    assert "摘抄上年数据" in text and "系统" in text
    assert "审核通过" in text and "北京市审核员" in text
    assert not re.search(r"\b\d\d:(cum|cur|prev|next)\b", text), "no cell keys such as 01:cum"
    assert "valueChanged" not in text and "statusChanged" not in text
    screenshot(driver, "history-readable")

    assert browser_problems(driver) == []


def test_basic_information_answers_and_consolidation_feedback(demo_server, browser):  # noqa: F811
    base = demo_server["base"]
    # 公共1表: the reviewer reads the answers (labels, group fields, 其他 text), not an empty grid.
    filer = Api(base, "beijing-data")
    path = f"/api/v1/units/{filer.unit}/submissions/{YEAR}/P1"
    version = filer.call("GET", path)["submission"]["version"]
    answers = {"102": "北京市政务服务和数据管理局", "105": {"province": "北京市", "county": "东城区"}, "S01": "1",
               "S02": "北京金控数据运营有限公司", "S03": ["1", "2"], "S05": {"answer": "1", "description": "已于2025年开展"}}
    filer.call("PUT", path, {"version": version, "answers": answers})

    driver = browser
    login(driver, base, REVIEWER)
    driver.get(f"{base}/review/units/{filer.unit}/{YEAR}/P1")
    table = waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.answers-table")))
    text = table.text
    assert "公共数据授权运营机构性质 事业单位、央企" in text
    assert "是否开展公共数据授权运营 是" in text
    assert "县(市、区、旗) 东城区" in text
    assert not driver.find_elements(By.CSS_SELECTOR, "table.desk-table")
    screenshot(driver, "reviewer-basic-answers")

    # Consolidation: one subsidiary approved (included), one only submitted (not included, warned);
    # the form's checks run on the consolidated figures.
    subsidiaries = {name: file_and_submit(base, name, "E2") for name in ("cmcc-gd", "cmcc-sh")}
    hq = Api(base, "cmcc-hq")
    gd = f"/api/v1/units/{subsidiaries['cmcc-gd']}/submissions/{YEAR}/E2"
    hq.call("POST", gd + "/approve", {"version": hq.call("GET", gd)["submission"]["version"]})
    driver.find_element(By.ID, "logout-button").click()
    waiting(driver).until(EC.presence_of_element_located((By.NAME, "username")))
    login(driver, base, "cmcc-hq")
    driver.get(f"{base}/units/{hq.unit}/{YEAR}/E2/consolidation")
    pending = waiting(driver).until(EC.presence_of_element_located((By.ID, "pending-note")))
    assert "中国移动通信集团上海有限公司（已提交）" in pending.text
    rows = driver.find_element(By.CSS_SELECTOR, "table.subsidiaries-table tbody").text
    assert "计入" in rows and "不计入（已提交，待审核通过）" in rows
    checks = driver.find_element(By.ID, "consolidation-checks-panel").text
    assert "汇总数据审核：计入 1 家子公司" in checks
    screenshot(driver, "reviewer-consolidation")
    assert browser_problems(driver) == []
