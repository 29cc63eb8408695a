"""The filer's form as a spreadsheet, in headless Chromium (issue 15, "What to build" 1 and 7).

Journeys, each with screenshots in docs/ux/ (prefixed `filer-`):

a) 企业2表 by keyboard only: 中国移动通信集团广东有限公司 (`cmcc-gd`, a 中央企业 subsidiary) files
   企业2表 — the 数据应用企业 `app` files 企业1表 and 企业6表 — so the journey is `cmcc-gd`'s. Figures are
   typed with thousands separators shown (and stored plain), Enter / Shift+Enter / arrows move between
   cells, Tab skips the 释义 buttons; then a 10 × 4 block laid out like the downloaded XLSX template
   (read with openpyxl to confirm its rows and columns) is pasted from the clipboard, each value checked
   and saved; at the bottom of the form the column heads are still in view.
b) skip logic: `tech` (数据技术企业) answers 企业1表 Q10 是否开发 AI 产品 = 否: Q11 and Q12 are disabled and
   cleared; on 企业5表 the AI-product rows 62–65 are disabled with the reason.
c) 390 × 844: the page never scrolls sideways; the cells are labelled cards that take input.
d) accessibility: every textbox of the form has a name with its row and column (Chromium's tree); an
   input error is announced through an aria-live region.
"""

import base64
import io
from collections import Counter
from decimal import Decimal

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from ux_support import accessibility_tree, browser_problems, login, screenshot, waiting

openpyxl = pytest.importorskip("openpyxl")

# Rows 14–23 of 企业2表 (二、数据存储, ten rows with four open columns and no heading between them) by
# base figure: they satisfy the form's rules (14 ≥ 16, 16 ≥ 17 + 18 + 19, 16 ≥ 20 … 23, and 11 ≥ 16 with
# the row 11 typed before); row 15 (服务器数量) counts, so every figure there stays an integer.
BASE = {"14": Decimal("20000"), "15": Decimal("50"), "16": Decimal("9000.25"), "17": Decimal("2000"),
        "18": Decimal("3000"), "19": Decimal("1000"), "20": Decimal("5000"), "21": Decimal("4000"),
        "22": Decimal("1500.5"), "23": Decimal("8000")}
ROW_11 = ("1234567.8", "600000", "500000", "700000")   # typed: 11 ≥ 12 + 13 and 11 ≥ 16 in every column
FACTORS = (4, 2, 1, 3)   # per column (截至本年, 本年实际, 上年同期, 下年预估): the rules hold in each
COLUMN_NAMES = ("截至本年", "本年实际", "上年同期", "下年预估")
COLUMN_IDS = ("cum", "cur", "prev", "next")


# ---------------------------------------------------------------------------------------- helpers


def fetch_json(driver, url):
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin', headers: {Accept: 'application/json'}})"
        ".then(r => r.json()).then(done, () => done(null));",
        url,
    )


def fetch_bytes(driver, url):
    """A same-origin download with the browser's session, as bytes."""
    encoded = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer()).then(b => {"
        "  const bytes = new Uint8Array(b); let s = '';"
        "  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));"
        "  done(btoa(s));"
        "}, () => done(null));",
        url,
    )
    assert encoded, f"下载失败：{url}"
    return base64.b64decode(encoded)


def open_form(driver, base, form_id):
    """Opens one of the signed-in filer's forms and waits until its first check has been shown."""
    mine = fetch_json(driver, base + "/api/v1/my/forms")
    assert mine and any(f["form"] == form_id for f in mine["forms"]), f"此账户不填报 {form_id}：{mine}"
    driver.get(f"{base}/units/{mine['unit']['id']}/{mine['year']}/{form_id}")
    waiting(driver).until(EC.presence_of_element_located((By.ID, "form-page")))
    waiting(driver).until(lambda d: d.find_element(By.ID, "report-summary").text not in ("", "正在审核…"))
    return driver.find_element(By.ID, "form-page").get_attribute("data-api")


def cell(driver, key):
    return driver.find_element(By.CSS_SELECTOR, f'input[data-cell="{key}"]')


def active_key(driver):
    return driver.execute_script("const a = document.activeElement; return a && a.dataset ? a.dataset.cell || null : null;")


def keys(driver, *sequence):
    """Keys typed into whatever has the focus, as a person at the keyboard does."""
    ActionChains(driver).send_keys(*sequence).perform()


def select_all(driver):
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()


def wait_saved(driver):
    waiting(driver).until(lambda d: "已自动保存" in d.find_element(By.ID, "save-status").text)


def grouped(value: Decimal) -> str:
    """1234567.8 → 1,234,567.8 (what the cell shows)."""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    out = f"{int(whole):,}"
    return out + ("." + fraction if fraction else "")


def stored_value(values, key):
    code, _, column = key.partition(":")
    return (values.get(code) or {}).get(column)


def assert_no_browser_problems(driver):
    problems = browser_problems(driver)
    assert not problems, "浏览器控制台报告脚本错误或内容安全策略拦截：\n" + "\n".join(problems)


def template_block(workbook_bytes, first_code, rows, columns):
    """The template's positions of `rows` consecutive indicator rows from `first_code` × its 4 figure
    columns: checks the rows follow each other with no heading between and the columns are adjacent."""
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).worksheets[0]
    header = code_column = None
    for row in sheet.iter_rows(min_row=1, max_row=30):
        for c in row:
            if isinstance(c.value, str) and c.value.strip() == "代码":
                header, code_column = c.row, c.column
        if header:
            break
    assert header, "模板中找不到表头“代码”"
    heads = {}
    for c in sheet[header]:
        if isinstance(c.value, str):
            for name in columns:
                if c.value.strip().startswith(name):
                    heads[name] = c.column
    assert len(heads) == len(columns), f"模板表头缺少列：{heads}"
    figure_columns = [heads[name] for name in columns]
    assert figure_columns == list(range(figure_columns[0], figure_columns[0] + len(columns))), figure_columns
    start = next(r for r in range(header + 1, sheet.max_row + 1)
                 if str(sheet.cell(r, code_column).value or "").strip() == first_code)
    codes = [str(sheet.cell(r, code_column).value or "").strip() for r in range(start, start + rows)]
    return codes, figure_columns


# ---------------------------------------------------------------------------------------- a) 企业2表


def test_keyboard_paste_and_sticky_heads(demo_server, browser):
    base, driver = demo_server["base"], browser
    login(driver, base, "cmcc-gd")
    api = open_form(driver, base, "E2")

    # Typing: thousands separators are shown as one types, the stored figure is plain.
    driver.execute_script("arguments[0].focus();", cell(driver, "11:cum"))   # where a Tab-walker would arrive
    keys(driver, ROW_11[0])
    assert cell(driver, "11:cum").get_attribute("value") == "1,234,567.8"
    caret = driver.execute_script("return arguments[0].selectionStart;", cell(driver, "11:cum"))
    assert caret == len("1,234,567.8"), f"光标应停在末尾：{caret}"

    # Tab goes through the inputs only: along row 11, then to row 12 past its 释义 button.
    assert driver.find_elements(By.CSS_SELECTOR, 'tr[data-row="12"] .def-toggle[tabindex="-1"]'), "12 行应有不在 Tab 顺序中的释义按钮"
    for column, value in zip(COLUMN_IDS[1:], ROW_11[1:]):
        keys(driver, Keys.TAB)
        assert active_key(driver) == "11:" + column
        keys(driver, value)
    keys(driver, Keys.TAB)
    assert active_key(driver) == "12:cum", f"Tab 应直接到下一行的输入框，实为 {active_key(driver)}"

    # Enter moves down the column, Shift+Enter up, arrows across and down.
    keys(driver, "3000", Keys.ENTER, "4000.5")
    assert active_key(driver) == "13:cum"
    keys(driver, Keys.ARROW_UP)
    assert active_key(driver) == "12:cum"
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    assert active_key(driver) == "11:cum"
    keys(driver, Keys.END, Keys.ARROW_RIGHT)
    assert active_key(driver) == "11:cur", "光标在末尾时右方向键应移到右边的单元格"
    keys(driver, Keys.END, Keys.ARROW_LEFT)
    assert active_key(driver) == "11:cur", "光标不在开头时左方向键只移动光标"
    keys(driver, Keys.HOME, Keys.ARROW_LEFT)
    assert active_key(driver) == "11:cum"
    keys(driver, Keys.ARROW_DOWN)
    assert active_key(driver) == "12:cum"

    wait_saved(driver)
    values = fetch_json(driver, base + api)["submission"]["values"]
    assert stored_value(values, "11:cum") == "1234567.8", values.get("11")
    screenshot(driver, "filer-keyboard")

    assert stored_value(values, "11:next") == "700000", values.get("11")

    # The template's layout: rows 14–23 follow each other, its four figure columns are adjacent.
    workbook = fetch_bytes(driver, base + api + "/template")
    codes, _ = template_block(workbook, "14", 10, COLUMN_NAMES)
    assert codes == [f"{n:02d}" for n in range(14, 24)], f"模板 14 行起的 10 行：{codes}"

    # A 10 × 4 block as Excel/WPS puts it on the clipboard: tabs, CRLF, a trailing line break, a grouped
    # figure and full-width digits.
    expected = {}
    lines = []
    for code in codes:
        line = []
        for column, factor in zip(COLUMN_IDS, FACTORS):
            value = BASE[code] * factor
            expected[f"{code}:{column}"] = value
            text = format(value.normalize(), "f")
            if code == "14":
                text = grouped(value)
            if code == "16" and column == "cum":
                text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
            line.append(text)
        lines.append("\t".join(line))
    block = "\r\n".join(lines) + "\r\n"
    pasted = driver.execute_script(
        "const input = arguments[0]; input.focus();"
        "const data = new DataTransfer(); data.setData('text/plain', arguments[1]);"
        "const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});"
        "input.dispatchEvent(event); return event.defaultPrevented;",
        cell(driver, "14:cum"), block)
    assert pasted, "粘贴应由页面处理"
    waiting(driver).until(lambda d: "已粘贴 40 个单元格" in d.find_element(By.ID, "sheet-live").get_attribute("textContent"))
    assert driver.find_element(By.ID, "sheet-live").get_attribute("aria-live") == "polite"
    for key, value in expected.items():
        assert cell(driver, key).get_attribute("value") == grouped(value), (key, cell(driver, key).get_attribute("value"))
    wait_saved(driver)
    waiting(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#errors li.violation"))
    values = fetch_json(driver, base + api)["submission"]["values"]
    for key, value in expected.items():
        assert Decimal(stored_value(values, key)) == value, (key, stored_value(values, key))
        assert "," not in stored_value(values, key)

    # The bottom of the form: the table's frame in view, scrolled to its last row; the heads stay on top.
    driver.execute_script(
        "const wrap = document.querySelector('.sheet-wrap'); wrap.scrollTop = wrap.scrollHeight;"
        "wrap.scrollIntoView({block: 'end'});")
    visible = driver.execute_script(
        "const wrap = document.querySelector('.sheet-wrap');"
        "const head = wrap.querySelector('thead').getBoundingClientRect();"
        "const rows = wrap.querySelectorAll('tbody tr'); const last = rows[rows.length - 1].getBoundingClientRect();"
        "const hit = document.elementFromPoint(head.left + 40, head.top + head.height / 2);"
        "return {headTop: head.top, headBottom: head.bottom, lastBottom: last.bottom, height: window.innerHeight,"
        "        atEnd: Math.abs(wrap.scrollTop + wrap.clientHeight - wrap.scrollHeight) < 2,"
        "        onTop: !!(hit && hit.closest('thead'))};")
    assert visible["atEnd"], visible
    assert 0 <= visible["headTop"] and visible["headBottom"] <= visible["height"], f"表头不在视口内：{visible}"
    assert visible["onTop"], f"表头被遮挡：{visible}"
    assert visible["lastBottom"] <= visible["height"] + 1, f"最后一行应在视口内：{visible}"
    screenshot(driver, "filer-sticky-header")

    # 提交 asks first: a dialog lists the warnings (with explanations or their lack) and the blank
    # required cells; 返回修改 goes back to the form without submitting.
    driver.execute_script("window.scrollTo(0, 0);")
    waiting(driver).until(EC.element_to_be_clickable((By.ID, "submit-button"))).click()
    dialog = waiting(driver).until(EC.visibility_of_element_located((By.ID, "submit-dialog")))
    assert driver.execute_script("return arguments[0].open && arguments[0].matches(':modal');", dialog)
    assert "尚未填写" in dialog.text and "确认提交" in dialog.text and "返回修改" in dialog.text
    assert driver.find_elements(By.CSS_SELECTOR, "#dialog-missing-list li"), "应列出尚未填写的必填单元格"
    warnings = len(driver.find_elements(By.CSS_SELECTOR, "#warnings li.violation"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#dialog-warning-list li")) == warnings
    screenshot(driver, "filer-submit-confirm")
    driver.find_element(By.ID, "cancel-submit").click()
    waiting(driver).until(lambda d: not d.find_element(By.ID, "submit-dialog").is_displayed())
    assert driver.find_element(By.ID, "status-name").text == "草稿"
    assert driver.execute_script("return document.activeElement.id;") == "submit-button"
    assert_no_browser_problems(driver)


# ---------------------------------------------------------------------------------------- b) skip logic


def test_skip_logic(demo_server, browser):
    base, driver = demo_server["base"], browser
    login(driver, base, "tech")
    api = open_form(driver, base, "E1")
    q10_yes = driver.find_element(By.CSS_SELECTOR, 'input[data-answer="Q10"][value="1"]')
    q10_no = driver.find_element(By.CSS_SELECTOR, 'input[data-answer="Q10"][value="2"]')
    q11 = driver.find_element(By.CSS_SELECTOR, 'input[data-answer="Q11"]')

    # 是: Q11 is asked; an answer typed there is saved.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", q10_yes)
    q10_yes.click()
    waiting(driver).until(lambda d: q11.is_enabled())
    q11.click()
    q11.send_keys("缺少高质量训练数据")
    wait_saved(driver)
    answers = fetch_json(driver, base + api)["submission"]["answers"]
    assert answers.get("Q11") == "缺少高质量训练数据", answers

    # 否: Q11 and Q12 are disabled, with the reason, and what was typed is cleared and saved.
    q10_no.click()
    waiting(driver).until(lambda d: not q11.is_enabled())
    assert q11.get_attribute("value") == ""
    for box in driver.find_elements(By.CSS_SELECTOR, 'input[data-answer="Q12"]'):
        assert not box.is_enabled(), "Q12 应不可填"
    for code in ("Q11", "Q12"):
        row = driver.find_element(By.CSS_SELECTOR, f'tr[data-item="{code}"]')
        assert "skipped" in row.get_attribute("class").split()
        note = row.find_element(By.CSS_SELECTOR, ".skip-note")
        assert note.is_displayed() and "是否开发 AI 产品" in note.text, note.text
    waiting(driver).until(lambda d: "已清空不适用的单元格" in d.find_element(By.ID, "sheet-note").text)
    wait_saved(driver)
    answers = fetch_json(driver, base + api)["submission"]["answers"]
    assert answers.get("Q10") == "2" and "Q11" not in answers, answers
    screenshot(driver, "filer-skip-logic-e1")

    # 企业5表: the rows asked only of units developing AI products are disabled, with the reason.
    open_form(driver, base, "E5")
    for code in ("62", "63", "64", "65"):
        row = driver.find_element(By.CSS_SELECTOR, f'tr[data-row="{code}"]')
        assert "not-applicable" in row.get_attribute("class").split(), code
        assert "本行免填" in row.find_element(By.CSS_SELECTOR, ".skip-note").text, code
        for box in row.find_elements(By.CSS_SELECTOR, "input[data-cell]"):
            assert not box.is_enabled(), f"{code} 行的单元格应不可填"
    # A figure carried into them from last year is cleared, and the form saved without it.
    if driver.find_elements(By.ID, "sheet-note"):
        assert "已清空不适用的单元格" in driver.find_element(By.ID, "sheet-note").text
        wait_saved(driver)
    waiting(driver).until(lambda d: not [li for li in d.find_elements(By.CSS_SELECTOR, "#errors li.violation") if "本行免填" in li.text])
    driver.execute_script("document.querySelector('tr[data-row=\"62\"]').scrollIntoView({block: 'center'});")
    screenshot(driver, "filer-skip-logic-e5")
    assert_no_browser_problems(driver)


# ---------------------------------------------------------------------------------------- c) a phone


def test_phone_width(demo_server, browser):
    base, driver = demo_server["base"], browser
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    login(driver, base, "cmcc-gd")
    api = open_form(driver, base, "E2")
    widths = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth];")
    assert widths[0] <= 390, f"页面横向滚动：scrollWidth={widths[0]}"
    target = cell(driver, "16:cur")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.width];", target)
    assert box[0] >= 0 and box[1] <= 390 and box[2] >= 100, f"输入框应完整可见且足够宽：{box}"
    label = driver.execute_script("return getComputedStyle(arguments[0].closest('td'), '::before').content;", target)
    assert "本年实际" in label, f"卡片中的输入框应带列名：{label}"
    target.click()
    select_all(driver)
    keys(driver, "20000")
    assert target.get_attribute("value") == "20,000"
    wait_saved(driver)
    values = fetch_json(driver, base + api)["submission"]["values"]
    assert stored_value(values, "16:cur") == "20000"
    assert driver.execute_script("return document.documentElement.scrollWidth;") <= 390
    screenshot(driver, "filer-mobile")
    assert_no_browser_problems(driver)


# ---------------------------------------------------------------------------------------- d) accessibility


def _column_heads(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.indicators-table thead tr:first-child th')).map(th => th.textContent.trim());")


def test_accessible_names_and_live_errors(demo_server, browser):
    base, driver = demo_server["base"], browser
    login(driver, base, "cmcc-gd")
    open_form(driver, base, "E2")

    # What each input should be called: its row's name (a member row's own name) and its column's head.
    heads = _column_heads(driver)
    expected = driver.execute_script(
        "const heads = arguments[0];"
        "return Array.from(document.querySelectorAll('input[data-cell]')).map(input => {"
        "  const td = input.closest('td'); const tr = td.parentElement;"
        "  const th = tr.querySelector('th.name'); const own = th.querySelector('.row-name');"
        "  return {key: input.dataset.cell, label: input.getAttribute('aria-label') || '', row: (own || th).textContent.trim(),"
        "          column: heads[Array.prototype.indexOf.call(tr.children, td)]};"
        "});", heads)
    assert len(expected) > 200, len(expected)
    for e in expected:
        assert e["row"] in e["label"] and e["column"] in e["label"], f"{e['key']} 的名称「{e['label']}」应含行名「{e['row']}」与列名「{e['column']}」"

    # Chromium's tree: every textbox named, and each cell's name is the one above.
    nodes = accessibility_tree(driver)
    textboxes = [n for n in nodes if not n.get("ignored") and (n.get("role") or {}).get("value") in ("textbox", "spinbutton")]
    names = Counter((n.get("name") or {}).get("value", "") for n in textboxes)
    assert not names.get(""), "有输入框没有可访问名称"
    wanted = Counter(e["label"] for e in expected)
    short = {label: count for label, count in wanted.items() if names[label] < count}
    assert not short, f"无障碍树中缺少这些单元格的名称：{list(short)[:5]}"

    # An input error is announced: the message reaches an aria-live region (and the cell says it is invalid).
    bad = cell(driver, "15:cum")
    bad.click()
    select_all(driver)
    keys(driver, "abc")
    waiting(driver).until(lambda d: "不是数字" in d.find_element(By.ID, "error-live").get_attribute("textContent"))
    assert driver.find_element(By.ID, "error-live").get_attribute("aria-live") == "assertive"
    assert bad.get_attribute("aria-invalid") == "true"
    described = bad.get_attribute("aria-describedby")
    assert described and "不是数字" in driver.find_element(By.ID, described).get_attribute("textContent")
    nodes = accessibility_tree(driver)
    by_id = {n["nodeId"]: n for n in nodes}
    announced = [n for n in nodes if "不是数字" in (n.get("name") or {}).get("value", "") and (n.get("role") or {}).get("value") == "StaticText"]

    def in_live_region(node):
        while node:
            if any(p.get("name") == "live" and p.get("value", {}).get("value") in ("assertive", "polite") for p in node.get("properties", [])):
                return True
            node = by_id.get(node.get("parentId"))
        return False

    assert any(in_live_region(n) for n in announced), "错误信息应出现在 aria-live 区域中"
    select_all(driver)
    keys(driver, "200")
    waiting(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, 'input[data-cell="15:cum"]').get_attribute("aria-invalid") is None)

    # Focus is visible: the focused cell draws an outline.
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle;")
    assert outline not in ("", "none"), outline
    screenshot(driver, "filer-accessibility")
    assert_no_browser_problems(driver)
