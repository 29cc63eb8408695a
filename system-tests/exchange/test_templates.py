"""Excel templates, end to end, as filers use them.

For every form: the template downloaded by the unit that files it, filled by openpyxl
(system-tests/xlsx/fill_template.py), uploaded; the stored figures equal the script's, and rule errors come
back with the sheet and cell of the workbook. Then a suite of bad files — each refused with a specific
message, nothing stored.

Environment: DRS_BIN (default .build/debug/drs).
"""
import io
import json
import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest
from demo_server import ROOT, session  # system-tests/demo_server.py; the `server` fixture is in system-tests/conftest.py

FILL = ROOT / "system-tests" / "xlsx" / "fill_template.py"
# Who files each form in the demo.
FILERS = {"P1": "beijing-data", "P2": "beijing-data", "P3": "lab", "P4": "sdc", "P5": "police", "E1": "tech", "E2": "cmcc-gd",
          "E3": "data-group", "E4": "exchange", "E5": "tech", "E6": "app", "E7": "space", "I1": "association"}


def markers(xlsx_bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes))["_drs"]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "kind")
    return [dict(zip(rows[start], r)) for r in rows[start + 1:] if r[0]]


def fill(tmp, name, template, figures):
    src = tmp / f"{name}.xlsx"
    src.write_bytes(template)
    out = tmp / f"{name}-filled.xlsx"
    subprocess.run([sys.executable, str(FILL), str(src), json.dumps(figures, ensure_ascii=False), "-o", str(out)], check=True)
    return out.read_bytes()


def flatten(values):
    """{"01": {"cum": "1", "cur": {"110000": "2"}}} → {"01:cum": "1", "01:cur@110000": "2"}"""
    out = {}
    for code, columns in values.items():
        for column, v in columns.items():
            if isinstance(v, dict):
                for member, x in v.items():
                    out[f"{code}:{column}@{member}"] = x
            else:
                out[f"{code}:{column}"] = v
    return out


@pytest.mark.parametrize("form", sorted(FILERS))
def test_every_form_round_trips(server, form):
    base, tmp = server["base"], server["tmp"]
    s, unit = session(base, FILERS[form])
    path = f"{base}/api/v1/units/{unit}/submissions/2026/{form}"
    r = s.get(path + "/template")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    cells = [m for m in markers(r.content) if m["kind"] == "cell"]
    numeric = [m for m in cells if ":" in m["key"]]
    if numeric:
        # Every figure of the form: distinct, exact (some with decimals; % rows stay ≤ 100).
        figures = {m["key"]: str(1 + i % 97) + (".5" if i % 3 == 0 else "") for i, m in enumerate(numeric)}
    else:
        figures = {}  # basic-information forms: the answers prefilled from the registry go back as they are
    upload = fill(tmp, form, r.content, figures)
    r = s.post(path + "/upload", data=upload,
               headers={"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    assert r.status_code == 200, r.text
    stored = s.get(path).json()["submission"]
    assert stored["status"] == "draft"
    if numeric:
        got = flatten(stored["values"])
        assert {k: v for k, v in got.items() if k in figures} == figures
        assert set(got) == set(figures), "nothing but the figures typed was stored"
        # Rule errors point at the workbook's cells.
        errors = r.json()["report"]["errors"]
        address = {m["key"]: (m["sheet"], m["address"]) for m in cells}
        for e in errors[:20]:
            first = next(c for c in e["cells"] if not c.get("lastYear"))
            key = f"{first['code']}:{first['column']}" + (f"@{first['member']}" if first.get("member") else "")
            if key in address:
                assert (e["sheet"], e["cell"]) == address[key], e
    else:
        assert stored["answers"], "answers stored"


def test_a_rule_error_is_reported_at_its_cell(server):
    base, tmp = server["base"], server["tmp"]
    s, unit = session(base, "guangdong-data")
    path = f"{base}/api/v1/units/{unit}/submissions/2026/P2"
    template = s.get(path + "/template").content
    cell = {m["key"]: m for m in markers(template) if m["kind"] == "cell"}["01:cum"]
    upload = fill(tmp, "p2-error", template, {"01:cum": "100", "02:cum": "80", "03:cum": {"text": "50"}})
    r = s.post(path + "/upload", data=upload)
    assert r.status_code == 200, r.text
    error = next(e for e in r.json()["report"]["errors"] if e["ruleId"] == "P2-01" and e["column"] == "cum")
    assert error["message"] == "数据生产总量[01]=100 应 ≥ 设备设施采集数据总量[02]+系统/软件生成数据总量[03]=130（截至本年）"
    assert error["location"] == f"Sheet {cell['sheet']} 单元格 {cell['address']}"


def refused(s, path, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
    before = s.get(path).json()["submission"]
    r = s.post(path + "/upload", data=data, headers={"Content-Type": content_type})
    after = s.get(path).json()["submission"]
    assert (after["version"], after["values"]) == (before["version"], before["values"]), "nothing stored"
    return r


def test_bad_workbooks_are_refused_with_a_specific_message(server):
    base, tmp = server["base"], server["tmp"]
    s, unit = session(base, "shanghai-data")
    path = f"{base}/api/v1/units/{unit}/submissions/2026/P2"
    template = s.get(path + "/template").content
    mk = markers(template)
    cell = {m["key"]: m for m in mk if m["kind"] == "cell"}

    def check(name, data, status, *fragments, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
        r = refused(s, path, data, content_type)
        assert r.status_code == status, (name, r.status_code, r.text)
        text = json.dumps(r.json(), ensure_ascii=False)
        for fragment in fragments:
            assert fragment in text, (name, fragment, text[:600])

    a = cell["01:cum"]
    check("not a number", fill(tmp, "nan", template, {"01:cum": {"text": "12,3a"}}), 422, f"Sheet {a['sheet']} 单元格 {a['address']}", "12,3a")
    check("formula", fill(tmp, "formula", template, {"01:cum": {"formula": "=1+2"}}), 422, "公式")
    check("date", fill(tmp, "date", template, {"01:cum": {"date": "2025-01-01"}}), 422, "日期")
    closed = [m for m in mk if m["kind"] == "closed"]
    if closed:  # 公共2表 has none when every row has every column
        check("grey cell", fill(tmp, "grey", template, {"closed:" + closed[0]["key"]: "9"}), 422, "不")
    check("shuffled rows", fill(tmp, "rows", template, {"row:01": "02", "row:02": "01"}), 422, "01")
    # Another unit's template, another year's, another form's.
    other, other_unit = session(base, "beijing-data")
    check("wrong unit", other.get(f"{base}/api/v1/units/{other_unit}/submissions/2026/P2/template").content, 422, "单位")
    check("wrong year", s.get(f"{base}/api/v1/units/{unit}/submissions/2025/P2/template").content, 422, "年")
    check("wrong form", s.get(f"{base}/api/v1/units/{unit}/submissions/2026/P1/template").content, 422, "表")
    # Deleted column: remove the 本年实际 column from the sheet.
    wb = openpyxl.load_workbook(io.BytesIO(template))
    sheet = wb[a["sheet"]]
    sheet.delete_cols(openpyxl.utils.column_index_from_string("".join(c for c in cell["01:cur"]["address"] if c.isalpha())))
    buf = io.BytesIO()
    wb.save(buf)
    check("deleted column", buf.getvalue(), 422, "列")
    # Merged cells over inputs.
    wb = openpyxl.load_workbook(io.BytesIO(template))
    wb[a["sheet"]].merge_cells(f"{a['address']}:{cell['01:cur']['address']}")
    buf = io.BytesIO()
    wb.save(buf)
    check("merged cells", buf.getvalue(), 422, "合并")
    # A macro workbook: the template with a VBA project added.
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\x00" * 512)
    check("macro", buf.getvalue(), 422, "宏")
    check("encrypted / old Excel", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 4096, 422, "加密")
    # A zip bomb: the template with its sheet replaced by 200 MB of zeros (a few hundred KB compressed).
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as zin, zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with z.open(item.filename, "w") as f:
                    block = b"\x00" * (1 << 20)
                    for _ in range(200):
                        f.write(block)
            else:
                z.writestr(item.filename, zin.read(item.filename))
    check("zip bomb", buf.getvalue(), 422, "压缩炸弹")
    check("50 MB", b"PK\x03\x04" + b"\x00" * (50 << 20), 413, "过大")
    check("not a workbook", b"hello, this is not excel", 422, "unusable_file")
    check("csv with a bad value", "表号,指标代码,栏目,数值\n公共2表,01,截至本年,abc\n".encode(), 422, "第2行", content_type="text/csv")


def test_the_import_page_runs_a_background_job(server):
    base = server["base"]
    admin, _ = session(base, "admin")
    assert admin.get(base + "/admin/import").status_code == 200
    filer, unit = session(base, "guangdong-data")
    template = filer.get(f"{base}/api/v1/units/{unit}/submissions/2026/P2/template").content
    good = fill(server["tmp"], "job-good", template, {"01:cum": "777", "02:cum": "700", "03:cum": "70"})
    bad_csv = "表号,指标代码,栏目,数值,年份,统一社会信用代码\n公共2表,01,截至本年,1x,2026,91440000MA0000000X\n".encode()
    r = admin.post(base + "/api/v1/import/jobs", files=[("files[]", ("p2-gd.xlsx", good)), ("files[]", ("bad.csv", bad_csv))],
                   data={"status": "draft"})
    assert r.status_code == 202, r.text
    job = r.json()["job"]
    deadline = time.time() + 60
    while True:
        state = admin.get(f"{base}/api/v1/import/jobs/{job}").json()
        if state["finished"]:
            break
        assert time.time() < deadline
        time.sleep(0.2)  # polling the job, as the page does
    assert (state["imported"], state["rejected"], state["done"], state["total"]) == (1, 1, 2, 2), state
    stored = filer.get(f"{base}/api/v1/units/{unit}/submissions/2026/P2").json()["submission"]["values"]
    assert stored["01"]["cum"] == "777"
    # The filer cannot start or see jobs.
    assert filer.post(base + "/api/v1/import/jobs", files=[("files[]", ("a.csv", b"x"))]).status_code == 403
    assert filer.get(f"{base}/api/v1/import/jobs/{job}").status_code == 403


def test_headquarters_import_their_subsidiaries_only(server):
    base = server["base"]
    hq, _ = session(base, "cmcc-hq")
    sub, sub_unit = session(base, "cmcc-sh")
    other, other_unit = session(base, "data-group")
    mine = fill(server["tmp"], "hq-sub", sub.get(f"{base}/api/v1/units/{sub_unit}/submissions/2026/E2/template").content, {"16:cur": "321"})
    before = other.get(f"{base}/api/v1/units/{other_unit}/submissions/2026/E3").json()["submission"]
    foreign = fill(server["tmp"], "hq-other", other.get(f"{base}/api/v1/units/{other_unit}/submissions/2026/E3/template").content, {"06:cur": "5"})
    assert hq.post(base + "/api/v1/import/jobs", files=[("files[]", ("x.xlsx", mine))], data={"status": "verified"}).status_code == 403
    job = hq.post(base + "/api/v1/import/jobs", files=[("files[]", ("sub.xlsx", mine)), ("files[]", ("other.xlsx", foreign))]).json()["job"]
    deadline = time.time() + 60
    while not (state := hq.get(f"{base}/api/v1/import/jobs/{job}").json())["finished"]:
        assert time.time() < deadline
        time.sleep(0.2)  # polling the job
    outcome = {r["file"]: r for r in state["results"]}
    assert outcome["sub.xlsx"]["outcome"] == "imported", outcome
    assert outcome["other.xlsx"]["outcome"] == "rejected" and "范围" in outcome["other.xlsx"]["reasons"][0], outcome
    assert sub.get(f"{base}/api/v1/units/{sub_unit}/submissions/2026/E2").json()["submission"]["values"]["16"]["cur"] == "321"
    after = other.get(f"{base}/api/v1/units/{other_unit}/submissions/2026/E3").json()["submission"]
    assert (after["version"], after["values"]) == (before["version"], before["values"]), "nothing stored outside the group"
