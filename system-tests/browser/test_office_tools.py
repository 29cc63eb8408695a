"""The national office's tools in a real browser (issue 15, item 6): reminders (催报) from the
progress page, the audit log filtered to them and exported, the notice a reminded unit's filer sees,
and an account disabled in 账户管理 that can no longer log in. Screenshots: docs/ux/office-*.png.

The demo's survey year is still open (its deadline is next March), so nothing is overdue yet: the
progress page offers 未报催报 to units that have not submitted, and says so.
"""

import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from ux_support import browser_problems, login, logout, screenshot, waiting

REMINDED = ["北京中关村实验室", "中国汽车工业协会"]
LAB_EMAIL = "filer@lab.example"


def owing_row(driver, name):
    for row in driver.find_elements(By.CSS_SELECTOR, "table.owing-table tbody.form-rows tr"):
        if row.find_elements(By.XPATH, f"./td[normalize-space()='{name}']"):
            return row
    raise AssertionError(f"{name} 不在未报单位列表中")


def give_lab_an_email(driver, base):
    """As the lab's filer, answer 公共1表 203 联系方式 · 电子邮箱 through the form's own API."""
    login(driver, base, "lab")
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const email = arguments[0];
        (async () => {
          const token = document.querySelector('meta[name="csrf-token"]').content;
          const me = await (await fetch('/api/v1/me')).json();
          const url = `/api/v1/units/${me.unit.id}/submissions/2026/P1`;
          const detail = await (await fetch(url)).json();
          const reply = await fetch(url, {method: 'PUT', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
            body: JSON.stringify({version: detail.submission.version, answers: {'203': {email}}})});
          return reply.status;
        })().then(done, (e) => done(String(e)));
        """,
        LAB_EMAIL,
    )
    assert result == 200, f"保存联系邮箱失败：{result}"
    logout(driver)


def test_reminders_reach_the_units_and_the_audit_log(demo_server, browser):
    base = demo_server["base"]
    driver = browser
    give_lab_an_email(driver, base)

    login(driver, base, "admin")
    driver.find_element(By.ID, "nav-progress").click()
    waiting(driver).until(EC.presence_of_element_located((By.ID, "reminder-form")))
    scope = driver.find_element(By.CSS_SELECTOR, ".reminder-scope").text
    assert "未报催报" in scope or "逾期催报" in scope
    for name in REMINDED:
        owing_row(driver, name).find_element(By.CSS_SELECTOR, "input.owing-select").click()
    driver.execute_script("document.getElementById('owing-title').scrollIntoView()")
    screenshot(driver, "office-progress-select")
    driver.find_element(By.ID, "send-reminders").click()

    confirm = waiting(driver).until(EC.element_to_be_clickable((By.ID, "confirm-reminders")))
    assert "2个单位" in confirm.text
    page = driver.find_element(By.TAG_NAME, "main").text
    for name in REMINDED:
        assert name in page
    assert LAB_EMAIL in page
    assert "发件箱" in page  # no SMTP in the test: the outbox
    screenshot(driver, "office-reminders-confirm")
    confirm.click()

    sent = waiting(driver).until(EC.presence_of_element_located((By.ID, "reminders-sent")))
    assert "2 个单位" in sent.text
    screenshot(driver, "office-reminders-sent")
    outbox = pathlib.Path(demo_server["tmp"]) / "outbox"
    mails = list(outbox.glob("*.eml"))
    assert len(mails) == 1, mails
    assert f"To: <{LAB_EMAIL}>" in mails[0].read_text()

    # The audit log, filtered to 催报.
    driver.find_element(By.ID, "reminders-audit").click()
    waiting(driver).until(EC.presence_of_element_located((By.ID, "audit-kind")))
    driver.find_element(By.NAME, "unit").clear()
    Select(driver.find_element(By.ID, "audit-kind")).select_by_visible_text("催报")
    before = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "audit-search").click()
    # The new page, not the rows of the page it replaces (the URL changes before the old DOM goes).
    waiting(driver).until(EC.staleness_of(before))
    waiting(driver).until(EC.url_contains("kind=reminderSent"))
    waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "tbody.audit-rows")))
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody.audit-rows tr")
    assert len(rows) == 2 and all(r.get_attribute("data-kind") == "reminderSent" for r in rows)
    table = driver.find_element(By.CSS_SELECTOR, "table.audit-table").text
    for name in REMINDED:
        assert name in table
    assert "送达方式 outbox" in table and "送达方式 notice" in table
    screenshot(driver, "office-audit-reminders")

    # Its CSV: UTF-8 with a BOM, the same two lines.
    href = driver.find_element(By.ID, "audit-csv").get_attribute("href")
    csv = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))), e => done(String(e)));",
        href,
    )
    data = bytes(csv)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == 3 and "催报" in text and REMINDED[0] in text
    assert browser_problems(driver) == []
    logout(driver)

    # The lab's filer sees the notice on the home page until acknowledging it.
    login(driver, base, "lab")
    notice = waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".reminder-notice")))
    assert "催报通知" in notice.text and "2027年3月10日" in notice.text
    screenshot(driver, "office-filer-notice")
    notice.find_element(By.CSS_SELECTOR, "button.acknowledge-reminder").click()
    # The form posts and the home page is loaded again: wait for the old page to go.
    waiting(driver).until(EC.staleness_of(notice))
    waiting(driver).until(EC.presence_of_element_located((By.ID, "forms-title")))
    assert not driver.find_elements(By.CSS_SELECTOR, ".reminder-notice")
    assert browser_problems(driver) == []
    logout(driver)


def test_a_disabled_account_cannot_log_in(demo_server, browser):
    base = demo_server["base"]
    driver = browser
    login(driver, base, "admin")
    driver.find_element(By.ID, "nav-users").click()
    row = waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "tr[data-username='sdc']")))
    row.find_element(By.CSS_SELECTOR, "button.disable-account").click()
    confirm = waiting(driver).until(EC.alert_is_present())
    assert "停用账户 sdc" in confirm.text
    confirm.accept()
    message = waiting(driver).until(EC.presence_of_element_located((By.ID, "users-message")))
    assert "已停用账户 sdc" in message.text
    row = driver.find_element(By.CSS_SELECTOR, "tr[data-username='sdc']")
    assert "已停用" in row.text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    screenshot(driver, "office-users-disabled")
    assert browser_problems(driver) == []
    logout(driver)

    driver.get(base + "/login")
    driver.find_element(By.NAME, "username").send_keys("sdc")
    driver.find_element(By.NAME, "password").send_keys("demo2026")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    alert = waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".alert.error")))
    assert "该账户已停用" in alert.text
    assert not driver.find_elements(By.ID, "logout-button")
    screenshot(driver, "office-disabled-login")
