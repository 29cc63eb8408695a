"""Blank is not zero: an empty form cannot be submitted (issue 15's acceptance journey).

As the demo research institute (`lab`, files 公共1表 and 公共3表), open 公共3表 untouched: 提交 does not
go through. Type one figure: the draft is saved, the checks find no error, and the 审核结果 panel lists
the required cells still blank; 提交 is still refused, by the page and by the API alike (422
has_errors with the blank cells). Screenshots: docs/ux/filer-empty-form-*.png.
"""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from ux_support import browser_problems, login, screenshot, waiting


def submit_via_api(driver):
    """POST …/submit with the page's own API address, version and CSRF token; the JSON reply and status."""
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const page = document.getElementById('form-page');
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const headers = {'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': token};
        fetch(page.dataset.api, {credentials: 'same-origin', headers}).then(r => r.json()).then(detail =>
            fetch(page.dataset.api + '/submit', {method: 'POST', credentials: 'same-origin', headers,
                  body: JSON.stringify({version: detail.submission.version})}))
          .then(r => r.json().then(body => done({status: r.status, body})), e => done({status: 0, body: String(e)}));
        """
    )


def refuses_to_submit(driver):
    """The page does not let 提交 through: the button is disabled; or its dialog lists the blank cells,
    and 确认提交 (when offered at all) ends in a refusal with the form still not submitted."""
    button = driver.find_element(By.ID, "submit-button")
    if button.get_attribute("disabled") is not None:
        return True
    button.click()
    dialog = waiting(driver).until(EC.visibility_of_element_located((By.ID, "submit-dialog")))
    missing = driver.find_element(By.ID, "dialog-missing")
    if not (missing.is_displayed() and "尚未填写" in missing.text):
        return False
    screenshot(driver, "filer-empty-form-dialog")
    confirm = driver.find_element(By.ID, "confirm-submit")
    if confirm.is_displayed() and confirm.get_attribute("disabled") is None:
        confirm.click()
        waiting(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#messages .alert.error")))
    else:
        driver.find_element(By.ID, "cancel-submit").click()
    waiting(driver).until(lambda d: not dialog.is_displayed())
    return driver.find_element(By.ID, "status-name").text != "已提交"


def test_an_empty_form_cannot_be_submitted(demo_server, browser):
    base = demo_server["base"]
    driver = browser
    login(driver, base, "lab")
    driver.find_element(By.CSS_SELECTOR, 'a.fill-link[data-form="P3"]').click()
    waiting(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input[data-cell]")))
    assert driver.find_element(By.ID, "status-name").text == "未填报"

    # Untouched: nothing to submit (the API refuses an untouched form as 尚未填写).
    reply = submit_via_api(driver)
    assert reply["status"] == 422, reply
    screenshot(driver, "filer-empty-form-untouched")
    assert refuses_to_submit(driver), "空表不应能提交"

    # One figure typed: saved as a draft, no rule error, every other required cell listed as blank.
    first = driver.find_element(By.CSS_SELECTOR, "input[data-cell]")
    first.click()
    first.send_keys("0")  # a typed 0 is an answer: this cell leaves the list
    waiting(driver).until(lambda d: "已自动保存" in d.find_element(By.ID, "save-status").text)
    waiting(driver).until(EC.visibility_of_element_located((By.ID, "missing-block")))
    listed = driver.find_elements(By.CSS_SELECTOR, "#missing li")
    assert listed and all("尚未填写" in li.text for li in listed[:5]), [li.text for li in listed[:5]]
    key = first.get_attribute("data-cell")
    assert "必填" in driver.find_element(By.ID, "report-summary").text
    assert refuses_to_submit(driver), "有必填单元格未填写时不应能提交"

    reply = submit_via_api(driver)
    assert reply["status"] == 422 and reply["body"]["error"]["code"] == "has_errors", reply
    blank = reply["body"]["error"]["details"]["report"]["missing"]
    assert len(blank) == len(listed), (len(blank), len(listed))
    assert key not in {cell["key"] for cell in blank}
    driver.execute_script("document.getElementById('report').scrollIntoView()")
    screenshot(driver, "filer-empty-form-refused")
    assert driver.find_element(By.ID, "status-name").text == "草稿"
    assert browser_problems(driver) == []
