"""The XLSX exports a statistician opens: the progress table (报送进度) and the 汇总表.

Starts `drs serve --demo` on a fresh SQLite file, submits and verifies two 公共2表 through the API,
then downloads the workbooks and checks that
  - openpyxl reads them, and the figures equal the JSON the pages are built from;
  - LibreOffice (headless) converts them to PDF;
  - `drs aggregate --format xlsx` writes the same totals from the command line.

Environment: DRS_BIN (default .build/debug/drs). Needs openpyxl (PyPI) and soffice (Debian
libreoffice-calc-nogui).
"""
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
from demo_server import DRS, ROOT, session  # system-tests/demo_server.py; the `server` fixture is in system-tests/conftest.py


def submit_last_years_figures(base, username):
    """Files 公共2表 with last year's verified figures (which pass every rule) and submits it."""
    s, unit = session(base, username)
    path = f"{base}/api/v1/units/{unit}/submissions/2026/P2"
    detail = s.get(path).json()
    values = detail["lastYear"]
    for row in values.values():
        row.pop("prev", None)
        if "cur" in row:
            row["prev"] = row["cur"]
    r = s.put(path, json={"version": detail["submission"]["version"], "values": values})
    assert r.status_code == 200, r.text
    r = s.post(path + "/submit", json={"version": r.json()["version"]})
    assert r.status_code == 200, r.text
    return path, values


def body_rows(sheet, first_head):
    """The rows below the header row whose first cell is `first_head`."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_head)
    return rows[start], [row for row in rows[start + 1:] if row and any(v is not None for v in row)]


def libreoffice_converts(path, outdir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{outdir}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(path)], check=True, timeout=180,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pdf = outdir / (path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000, f"no PDF from {path}"


def test_progress_workbook_agrees_with_the_database(server):
    base, tmp = server["base"], server["tmp"]
    submit_last_years_figures(base, "beijing-data")
    admin, _ = session(base, "admin")
    progress = admin.get(f"{base}/api/v1/progress?year=2026").json()
    r = admin.get(f"{base}/api/v1/progress/export?format=xlsx&year=2026")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    path = tmp / "progress.xlsx"
    path.write_bytes(r.content)
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book["报送进度"]
    assert "报送进度" in str(sheet["A1"].value)
    head, rows = body_rows(sheet, "省份")
    assert list(head[:4]) == ["省份", "调查对象类型", "表号", "应报"]
    data, total = rows[:-1], rows[-1]
    assert len(data) == len(progress["rows"])
    for row, expected in zip(data, progress["rows"]):
        assert row[0] == expected["provinceName"] and row[2] == expected["tableNumber"]
        assert [int(v) for v in row[3:10]] == [expected[k] for k in
                                               ("assigned", "notStarted", "draft", "submitted", "returned", "approved", "verified")]
    assert total[0] == "合计" and int(total[3]) == progress["total"]["assigned"]
    assert int(total[6]) == progress["total"]["submitted"] >= 1
    libreoffice_converts(path, tmp)


def test_summary_workbook_equals_the_aggregate(server):
    base, tmp = server["base"], server["tmp"]
    submit_last_years_figures(base, "guangdong-data")
    admin, _ = session(base, "admin")
    for item in admin.get(f"{base}/api/v1/review/queue?year=2026&form=P2&status=submitted").json()["items"]:
        url = f"{base}/api/v1/units/{item['unit']['id']}/submissions/2026/P2/verify"
        assert admin.post(url, json={"version": item["version"]}).status_code == 200
    aggregate = admin.get(f"{base}/api/v1/aggregate?year=2026&form=P2").json()
    cells = {c["cell"]: c for c in aggregate["groups"][0]["cells"]}
    assert cells["01:cur"]["units"] == 2
    r = admin.get(f"{base}/api/v1/aggregate?year=2026&form=P2&format=xlsx")
    assert r.status_code == 200
    path = tmp / "summary.xlsx"
    path.write_bytes(r.content)
    sheet = openpyxl.load_workbook(io.BytesIO(r.content))["汇总表"]
    head, rows = body_rows(sheet, "指标代码")
    column = {name: i for i, name in enumerate(head)}
    found = {(row[column["指标代码"]], row[column["栏目"]]): row for row in rows if row[0] is not None}
    row = found[("01", "本年实际")]
    assert Decimal(str(row[column["合计"]])) == Decimal(cells["01:cur"]["total"])
    assert int(row[column["单位数"]]) == 2
    share = found[("15", "本年实际")]
    assert Decimal(str(share[column["合计"]])) == Decimal(cells["15:cur"]["total"])
    assert "加权平均" in share[column["汇总方法"]]
    libreoffice_converts(path, tmp)

    # The command line gives the same totals.
    out = tmp / "cli.xlsx"
    subprocess.run([DRS, "aggregate", "--year", "2026", "--form", "P2", "--database", str(server["database"]), "--format", "xlsx",
                    "--output", str(out)], cwd=ROOT, check=True, timeout=120)
    cli = openpyxl.load_workbook(out)
    head, rows = body_rows(cli[cli.sheetnames[0]], "指标代码")
    column = {name: i for i, name in enumerate(head)}
    cli_row = next(r for r in rows if r[column["指标代码"]] == "01" and r[column["栏目"]] == "本年实际")
    assert Decimal(str(cli_row[column["合计"]])) == Decimal(cells["01:cur"]["total"])


def test_unit_level_export_opens_everywhere(server):
    base, tmp = server["base"], server["tmp"]
    admin, _ = session(base, "admin")
    r = admin.get(f"{base}/api/v1/export/submissions?year=2025&form=E2&status=verified&format=xlsx")
    assert r.status_code == 200
    path = tmp / "units-e2.xlsx"
    path.write_bytes(r.content)
    sheet = openpyxl.load_workbook(io.BytesIO(r.content))["数据"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == ("creditCode", "name", "region", "type", "status", "version")
    assert len(rows) == 2 + 3, "headquarters and two subsidiaries of the demo group"
    libreoffice_converts(path, tmp)

    # A whole year, one workbook per form, from the command line.
    out = tmp / "year"
    subprocess.run([DRS, "export", "--year", "2025", "--status", "verified", "--format", "xlsx", "--output", str(out),
                    "--database", str(server["database"])], cwd=ROOT, check=True, timeout=300, capture_output=True)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 11 and "企业2表-2025.xlsx" in names, names
    for p in out.iterdir():
        openpyxl.load_workbook(p, read_only=True).close()
