"""《全国数据资源调查报告》 in a real browser (headless Chromium through Selenium 4).

The report of a 600-unit synthetic nation (system-tests/report/conftest.py) is built with its PDF; then:

- report.pdf, printed by `drs report build` through headless Chromium, is a PDF of many pages;
- report.html opened in Chromium: every chart (`figure.chart`) draws an SVG with a non-empty box
  and is followed by its table (`data-table="1-2"` → `table.report-table#t1-2`); every table with a
  withheld cell (`x`) has the footnote 「x：依《统计法》第二十八条不予公布（保密）」 after it; no
  sentence pattern placeholder (`{…}`) is left in a paragraph;
- the page prints to PDF through the WebDriver print command.

When DRS_REPORT_SCREENSHOTS names a folder, three PNGs are written there for the docs: the cover
(report-cover.png), the first national chart with its table (report-chart.png) and the province
tile map (report-map.png).

Environment:
    DRS_BIN                  the drs executable (default .build/debug/drs)
    CHROMEDRIVER             chromedriver path (default: found on PATH, else /usr/bin/chromedriver)
    CHROME_BIN               browser binary (default: chromium on PATH)
    DRS_REPORT_SCREENSHOTS   a folder for the three screenshots (optional)

Debian packages: chromium chromium-driver, and a CJK font (fonts-wqy-microhei or fonts-noto-cjk)
so that the Chinese text renders in the PDF and the screenshots.
"""

import base64
import json
import os
import pathlib
import re
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

# With pytest-xdist, on the same worker as the other report module: one nation and one report built for both.
pytestmark = pytest.mark.xdist_group("report")

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "catalog" / "2026" / "report.json"
FOOTNOTE = "x：依《统计法》第二十八条不予公布（保密）"
MIN_PAGES = 10      # cover, contents and nine chapters, each starting a page


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def template_tables():
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return [t for chapter in template["chapters"] for t in chapter["tables"]]


@pytest.fixture(scope="module")
def built(report, chromium):
    if chromium is None:
        pytest.skip("未安装 Chromium（Debian：apt-get install chromium chromium-driver fonts-wqy-microhei）：跳过报告的浏览器测试")
    assert report["pdf"], "Chromium 已安装，但报告是用 --no-pdf 生成的"
    return report


@pytest.fixture(scope="module")
def driver(built, chromium):
    options = Options()
    # Device scale 2: the screenshots for the docs stay sharp; CSS pixels (and every check) are unchanged.
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", "--window-size=1400,1000",
                "--hide-scrollbars", "--force-device-scale-factor=2"):
        options.add_argument(arg)
    options.binary_location = chromium
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(chromedriver):
        pytest.fail("找不到 chromedriver（Debian：apt-get install chromium chromium-driver）")
    browser = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    browser.set_window_size(1400, 1000)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def page(driver, built):
    """report.html open in the browser (a file: no server, no script, no remote resource)."""
    driver.get((built["dir"] / "report.html").resolve().as_uri())
    assert driver.find_element(By.CSS_SELECTOR, "section.cover h1").text.startswith("全国数据资源调查报告")
    return driver


def test_report_pdf_is_printed(built):
    data = (built["dir"] / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF"), "report.pdf 不是 PDF"
    assert pdf_pages(data) >= MIN_PAGES, f"report.pdf 只有 {pdf_pages(data)} 页"


def test_every_chart_renders_and_is_followed_by_its_table(page):
    charts = page.execute_script("""
        return Array.from(document.querySelectorAll('figure.chart')).map(f => {
            const svg = f.querySelector('svg');
            const box = svg ? svg.getBoundingClientRect() : null;
            const next = f.nextElementSibling;
            return {table: f.dataset.table, svg: !!svg, width: box ? box.width : 0, height: box ? box.height : 0,
                    shapes: svg ? svg.querySelectorAll('rect, path, line, polyline, circle').length : 0,
                    labels: svg ? Array.from(svg.querySelectorAll('text')).map(t => t.textContent).join('').length : 0,
                    nextTag: next ? next.tagName : null, nextClass: next ? next.className : null, nextId: next ? next.id : null};
        });""")
    expected = [t["id"] for t in template_tables() if t.get("chart")]
    assert [c["table"] for c in charts] == expected, "图与模板中有图的表不一一对应"
    problems = []
    for c in charts:
        name = f"图 {c['table']}"
        if not c["svg"]:
            problems.append(f"{name}：没有 svg")
        elif c["width"] <= 0 or c["height"] <= 0:
            problems.append(f"{name}：svg 的大小为 {c['width']}×{c['height']}")
        elif c["shapes"] == 0 or c["labels"] == 0:
            problems.append(f"{name}：svg 中没有图形（{c['shapes']}）或文字（{c['labels']}）")
        if (c["nextTag"], c["nextClass"], c["nextId"]) != ("TABLE", "report-table", "t" + c["table"]):
            problems.append(f"{name}：其后是 {c['nextTag']}.{c['nextClass']}#{c['nextId']}，不是 table.report-table#t{c['table']}")
    assert not problems, "\n".join(problems)


def test_every_table_with_a_withheld_cell_has_the_footnote(page):
    tables = page.execute_script("""
        return Array.from(document.querySelectorAll('table.report-table')).map(t => {
            const notes = t.nextElementSibling && t.nextElementSibling.matches('div.notes') ? t.nextElementSibling.textContent : '';
            return {id: t.id, withheld: Array.from(t.querySelectorAll('td')).some(td => td.textContent.trim() === 'x'), notes: notes};
        });""")
    assert len(tables) == len(template_tables()) + 2, "表的数目与模板（加方法说明的两张覆盖表）不符"
    assert any(t["withheld"] for t in tables), "这个合成全国没有任何保密单元格：测试没有检验到脚注"
    missing = [t["id"] for t in tables if t["withheld"] and FOOTNOTE not in t["notes"]]
    assert not missing, f"有 x 的表后没有脚注「{FOOTNOTE}」：{missing}"
    stray = [t["id"] for t in tables if not t["withheld"] and FOOTNOTE in t["notes"]]
    assert not stray, f"没有 x 的表也有保密脚注：{stray}"


def test_no_placeholder_is_left_in_the_text(page):
    paragraphs = page.execute_script("return Array.from(document.querySelectorAll('p')).map(p => p.textContent);")
    assert len(paragraphs) > 10
    left = [p for p in paragraphs if "{" in p or "}" in p]
    assert not left, "段落中仍有占位符：\n" + "\n".join(left)


def test_the_page_prints_to_pdf(page):
    options = PrintOptions()
    options.background = True
    data = base64.b64decode(page.print_page(options))
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) >= MIN_PAGES, f"打印出的 PDF 只有 {pdf_pages(data)} 页"


def clip_of(driver, *selectors):
    """The page region (document coordinates) covering every element named, for one screenshot."""
    return driver.execute_script("""
        const boxes = arguments[0].map(s => document.querySelector(s).getBoundingClientRect());
        const left = Math.min(...boxes.map(b => b.left)), top = Math.min(...boxes.map(b => b.top));
        const right = Math.max(...boxes.map(b => b.right)), bottom = Math.max(...boxes.map(b => b.bottom));
        return {x: left + window.scrollX - 8, y: top + window.scrollY - 8, width: right - left + 16, height: bottom - top + 16, scale: 1};
    """, list(selectors))


def test_screenshots_for_the_docs(page):
    folder = os.environ.get("DRS_REPORT_SCREENSHOTS")
    if not folder:
        pytest.skip("DRS_REPORT_SCREENSHOTS 未设置：不保存截图")
    out = pathlib.Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    tables = template_tables()
    first_national = next(t["id"] for t in tables if t["breakdown"] == "national" and t.get("chart"))
    first_map = next(t["id"] for t in tables if (t.get("chart") or {}).get("kind") == "tileMap")

    page.find_element(By.CSS_SELECTOR, "section.cover").screenshot(str(out / "report-cover.png"))
    # The chart, its table and the table's notes together: one region of the page, captured beyond the window.
    shot = page.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": clip_of(page, f'figure.chart[data-table="{first_national}"]', f"table#t{first_national} + div.notes")})
    (out / "report-chart.png").write_bytes(base64.b64decode(shot["data"]))
    page.find_element(By.CSS_SELECTOR, f'figure.chart[data-table="{first_map}"]').screenshot(str(out / "report-map.png"))
    for name in ("report-cover.png", "report-chart.png", "report-map.png"):
        data = (out / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000, f"{name} 不像是一张截图"
