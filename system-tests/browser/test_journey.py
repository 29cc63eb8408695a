"""A filer's journey in a real browser (headless Chromium through Selenium 4).

The test starts `drs serve --demo` itself on a free port with a fresh SQLite database, then, as the
demo respondent `beijing-data` (北京市数据局填报人), fills 公共2表 the way a person would: a rule error
appears next to the cell and disappears when corrected, a non-number is refused next to its cell
without being saved, a large year-over-year change asks for an explanation, the form is submitted
and the home page shows 已提交. Then the Beijing reviewer returns it from the review queue with a
reason, and the filer sees the reason on the home page.

Environment:
    DRS_BIN      the drs executable (default .build/debug/drs, relative to the repository root)
    CHROMEDRIVER chromedriver path (default: found on PATH, else /usr/bin/chromedriver)
    CHROME_BIN   browser binary (default: chromedriver's choice; Debian: /usr/bin/chromium)

Only explicit waits (WebDriverWait) are used; nothing depends on sleeping for a fixed time.
A screenshot is saved to /tmp/drs-journey.png at the end, and also when a step fails.
"""

import re
from decimal import Decimal, InvalidOperation

import pytest
from ux_support import new_browser, start_demo_server, stop_demo_server
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOT = "/tmp/drs-journey.png"
USERNAME = "beijing-data"
PASSWORD = "demo2026"
WAIT = 20  # seconds, for each explicit wait


# ---------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`drs serve --demo` on a free port and a fresh database (ux_support.start_demo_server); stopped at the end."""
    process, base, log_path, log = start_demo_server(tmp_path_factory.mktemp("drs-browser"))
    try:
        yield {"base": base, "log": log_path}
    finally:
        stop_demo_server(process, log)


@pytest.fixture(scope="module")
def driver():
    browser = new_browser(1400, 1000)
    yield browser
    browser.quit()


# ---------------------------------------------------------------------------------------- helpers


def wait(driver, timeout=WAIT):
    # While a form post reloads the page, Chromium may answer a lookup with a stale node or
    # with "Node with given id does not belong to the document" (a plain WebDriverException):
    # both mean "not yet", so the wait polls again; a real failure still ends in a timeout.
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException, WebDriverException))


def cell(driver, key):
    return driver.find_element(By.CSS_SELECTOR, f'input[data-cell="{key}"]')


def type_into(element, text):
    """Replaces a field's content by typing, as a person would (every key fires an input event)."""
    element.click()
    element.send_keys(Keys.CONTROL, "a")
    if text:
        element.send_keys(text)
    else:
        element.send_keys(Keys.BACKSPACE)


def classes(element):
    return (element.get_attribute("class") or "").split()


def cell_message(driver, key):
    """The text in the .cell-msg slot that belongs to a cell."""
    return driver.execute_script(
        "const i = document.querySelector('input[data-cell=\"' + arguments[0] + '\"]');"
        "const m = i && i.parentElement.querySelector('.cell-msg');"
        "return m ? m.textContent : '';",
        key,
    )


def violation(driver, list_id, text):
    """The first li.violation in #errors or #warnings whose text contains `text`, else False."""
    for li in driver.find_elements(By.CSS_SELECTOR, f"#{list_id} li.violation"):
        if text in li.text:
            return li
    return False


def save_status(driver):
    return driver.find_element(By.ID, "save-status").text


def fetch_json(driver, url):
    """GET a same-origin JSON document with the browser's session."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin', headers: {Accept: 'application/json'}})"
        ".then(r => r.json()).then(done, () => done(null));",
        url,
    )


def browser_problems(driver):
    """Console entries that mean the page broke: script errors and Content-Security-Policy refusals."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - logging is a diagnostic, not part of the journey
        return []
    bad = []
    for entry in entries:
        message = entry.get("message", "")
        if "Content Security Policy" in message or (entry.get("level") == "SEVERE" and "Uncaught" in message):
            bad.append(message)
    return bad


def fill_the_rest(driver, current):
    """PUTs a complete draft with the browser's session: every row's figures continued from last year's
    verified ones (本年实际 and 截至本年 as last year's, 上年同期 = last year's 本年实际), 01's 本年实际
    kept as typed, the explanation kept."""
    result = driver.execute_async_script(
        """
        const [current, done] = [arguments[0], arguments[arguments.length - 1]];
        const api = document.getElementById('form-page').dataset.api;
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const headers = {'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': token};
        fetch(api, {credentials: 'same-origin', headers}).then(r => r.json()).then(detail => {
            const values = {};
            for (const [code, columns] of Object.entries(detail.lastYear || {})) {
                values[code] = {};
                for (const [column, value] of Object.entries(columns)) {
                    if (typeof value === 'string') values[code][column] = value;
                }
                if (typeof columns.cur === 'string') values[code].prev = columns.cur;
            }
            values['01'].cur = current;
            const body = {version: detail.submission.version, values, explanations: detail.submission.explanations};
            return fetch(api, {method: 'PUT', credentials: 'same-origin', headers, body: JSON.stringify(body)});
        }).then(r => r.json()).then(done, e => done({error: String(e)}));
        """,
        str(current.quantize(Decimal(1))),
    )
    report = (result or {}).get("report") or {}
    assert report.get("missing") == [], f"补全后仍有空白单元格：{str(result)[:1500]}"
    assert report.get("blocksSubmission") is False, f"补全后仍不能提交：{str(result)[:1500]}"


# ---------------------------------------------------------------------------------------- the journey


def test_filer_journey(server, driver):
    base = server["base"]
    try:
        _journey(driver, base)
    except BaseException:
        try:
            driver.save_screenshot(SCREENSHOT)
        finally:
            print("---- browser console ----")
            try:
                for entry in driver.get_log("browser"):
                    print(entry)
            except Exception:  # noqa: BLE001
                pass
            print("---- server log (tail) ----")
            print(server["log"].read_text(errors="replace")[-4000:])
        raise
    driver.save_screenshot(SCREENSHOT)


def _journey(driver, base):
    # 1. Log in as the demo respondent.
    driver.get(base + "/login")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username"))).send_keys(USERNAME)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-button").click()

    # 2. The home page lists 公共2表; open it with its 填报 link.
    fill = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'a.fill-link[data-form="P2"]')))
    header = driver.find_element(By.CSS_SELECTOR, ".site-header").text
    assert "数据资源调查平台" in header and "北京市数据局填报人" in header, header
    fill.click()

    # 3. The form page, laid out like the official table.
    page = wait(driver).until(EC.presence_of_element_located((By.ID, "form-page")))
    assert page.get_attribute("data-kind") == "indicators"
    assert page.get_attribute("data-editable") == "true"
    api = page.get_attribute("data-api")
    assert api.startswith("/api/v1/units/") and api.endswith("/P2"), api
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'input[data-cell="01:cum"]')))
    assert "省级政府公共数据资源调查表" in driver.find_element(By.CSS_SELECTOR, ".form-title").text
    assert driver.find_element(By.ID, "status-name").text == "未填报"

    # 4. A non-number is refused next to its cell and nothing is saved.
    c04 = cell(driver, "04:cum")
    type_into(c04, "abc")
    wait(driver).until(lambda d: "不是数字" in cell_message(d, "04:cum"))
    assert "has-error" in classes(c04)
    wait(driver).until(lambda d: "未保存" in save_status(d))
    stored = fetch_json(driver, base + api)
    assert stored is not None, "GET 接口无响应"
    assert "cum" not in (stored["submission"]["values"].get("04") or {}), stored["submission"]["values"].get("04")
    type_into(c04, "")
    wait(driver).until(lambda d: "已自动保存" in save_status(d))
    wait(driver).until(lambda d: "has-error" not in classes(cell(d, "04:cum")) and "不是数字" not in cell_message(d, "04:cum"))

    # 5. 01 ≥ 02 + 03 (截至本年): 100 < 80 + 50 is an error, shown in the list and at the cell.
    type_into(cell(driver, "01:cum"), "100")
    type_into(cell(driver, "02:cum"), "80")
    type_into(cell(driver, "03:cum"), "50")
    error = wait(driver).until(lambda d: violation(d, "errors", "数据生产总量[01]"))
    assert "error" in classes(error)
    assert error.find_elements(By.CSS_SELECTOR, 'a[href="#cell-01-cum"]'), "审核结果中应有定位到 01:cum 的链接"
    wait(driver).until(lambda d: "has-error" in classes(cell(d, "01:cum")))
    assert "数据生产总量[01]" in cell_message(driver, "01:cum")
    assert driver.find_element(By.ID, "submit-button").get_attribute("disabled") is not None, "有错误时提交按钮应不可用"

    # 6. Corrected, the error disappears.
    type_into(cell(driver, "01:cum"), "200")
    wait(driver).until(lambda d: not violation(d, "errors", "数据生产总量[01]"))
    wait(driver).until(lambda d: "has-error" not in classes(cell(d, "01:cum")))

    # 7. 本年实际 far from last year's verified figure asks for an explanation.
    hint = driver.find_element(By.CSS_SELECTOR, 'tr[data-row="01"] .last-year').text  # 上年核定：1234.56
    match = re.search(r"[-\d,.]+$", hint)
    assert match, f"上年同期应提示上年核定数：{hint!r}"
    try:
        last = Decimal(match.group(0).replace(",", ""))
    except InvalidOperation:
        pytest.fail(f"上年核定数不是数字：{hint!r}")
    assert last >= 10, f"演示数据的上年核定数 {last} 小于同比审核的最小基数 10"
    far = max(Decimal(999999), last * 10)
    type_into(cell(driver, "01:cur"), str(far.quantize(Decimal(1))))
    warning = wait(driver).until(lambda d: violation(d, "warnings", "数据生产总量[01]"))
    assert "needs-explanation" in classes(warning), warning.get_attribute("outerHTML")
    area = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#explanations textarea[data-explain="01"]')))
    area.click()
    area.send_keys("本年新建省级政务云平台并完成历史数据归集，数据生产总量大幅增长。")
    wait(driver).until(lambda d: "explained" in classes(violation(d, "warnings", "数据生产总量[01]") or area))
    wait(driver).until(lambda d: "已自动保存" in save_status(d))
    assert driver.find_element(By.ID, "status-name").text == "草稿"

    # 8. Blank is not zero: 提交 waits until every cell of 公共2表 holds a figure. The filer fills the
    #    rest (here through the same API the page saves with: last year's figures continued, 上年同期 as
    #    carried over) and the page, reloaded, lists no blank cell any more.
    fill_the_rest(driver, far)
    driver.refresh()
    wait(driver).until(lambda d: "has-error" not in classes(cell(d, "01:cum")))
    wait(driver).until(lambda d: violation(d, "warnings", "数据生产总量[01]") and "explained" in classes(violation(d, "warnings", "数据生产总量[01]")))

    # 9. Submit: the form becomes read-only and says so.
    wait(driver).until(EC.element_to_be_clickable((By.ID, "submit-button"))).click()
    # 提交 asks first: the dialog lists the remaining warnings with their explanations.
    confirm = wait(driver).until(EC.element_to_be_clickable((By.ID, "confirm-submit")))
    assert "本年新建省级政务云平台" in driver.find_element(By.ID, "submit-dialog").text
    confirm.click()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "status-name"), "已提交"))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#messages .alert.success")))
    assert cell(driver, "01:cum").get_attribute("readonly") is not None
    assert not driver.find_element(By.ID, "submit-button").is_displayed()

    # 10. Home shows 公共2表 as 已提交.
    driver.get(base + "/")
    status = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, 'tr[data-form="P2"] .status')))
    assert status.text == "已提交", status.text

    problems = browser_problems(driver)
    assert not problems, "浏览器控制台报告脚本错误或内容安全策略拦截：\n" + "\n".join(problems)

    # 11. The Beijing reviewer finds it in the queue and returns it with a reason.
    driver.find_element(By.ID, "logout-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username"))).send_keys("review-beijing")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-button").click()
    wait(driver).until(EC.element_to_be_clickable((By.ID, "nav-review"))).click()
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'tr[data-form="P2"] a.review-link'))).click()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "review-status"), "已提交"))
    driver.find_element(By.ID, "return-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "review-error")))  # a reason is required
    assert "须填写原因" in driver.find_element(By.ID, "review-error").text
    driver.find_element(By.ID, "review-reason").send_keys("数据生产总量增幅过大，请补充说明依据。")
    driver.find_element(By.ID, "return-button").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "review-status"), "已退回"))
    assert "数据生产总量增幅过大" in driver.find_element(By.CSS_SELECTOR, ".alert.returned").text

    # 12. The filer sees the reason on the home page.
    driver.find_element(By.ID, "logout-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username"))).send_keys(USERNAME)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-button").click()
    reason = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, 'tr[data-form="P2"] .return-reason')))
    assert "数据生产总量增幅过大" in reason.text, reason.text
    problems = browser_problems(driver)
    assert not problems, "浏览器控制台报告脚本错误或内容安全策略拦截：\n" + "\n".join(problems)
