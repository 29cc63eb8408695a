#!/usr/bin/env python3
"""Regenerates the seed corpora in Fuzz/Corpus/<target>/ from the repository's own inputs: catalog rules
and files, examples/, test fixtures, and workbooks written by the `drs` command (`drs template FORM
--format xlsx`). Run from the repository root with DRS=path/to/drs (default .build/debug/drs).
Seeds are small real inputs; the fuzzer mutates them, so variety matters more than size."""
import glob, hashlib, json, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")
DRS = os.environ.get("DRS", os.path.join(ROOT, ".build", "debug", "drs"))

def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()

# rule-parser: distinct rule expressions of the shipped catalog, plus the language's corners.
rules = []
for path in sorted(glob.glob(os.path.join(ROOT, "catalog/2026/forms/*.json"))):
    for rule in json.load(open(path)).get("rules", []):
        if rule.get("expr") and rule["expr"] not in rules:
            rules.append(rule["expr"])
chosen = rules[:: max(1, len(rules) // 16)][:16]
chosen += ["[01:cum] >= [01:cur]", "[01@000000] = sum([01@*])", "[Q05.day] + [Q05.month] = 100",
           "abs([*:cur] - last([*:cur])) * 100 <= $threshold * abs(last([*:cur])) when abs(last([*:cur])) >= $minimumBase",
           "([01] = 0 or [02] > 0) and not integer([03])", "([01] + [02]) * 2 >= [03]", "[01] ≥ [02]",
           "min([01], [02]) <= max([03], -1.5)", "[06] * [03]", "[01] >= "]
for i, expr in enumerate(chosen):
    put("rule-parser", f"rule-{i:02}.txt", expr)

# number-input: how people type figures (from NumberInputTests), accepted and rejected.
numbers = ["  42 ", "", "+7", "-3", ".5", "0.000001", "0.1234567", "1,234,567", "1,234.5", "1..2", "1.5e3",
           "1000000000000000", "10000000000000001", "12,3a", "12元", "45%", "5.", "NaN", "inf", "　 ", "０",
           "１，２３４", "１２３４．５", "1.5万", "-0.0", "1e999", "0x10"]
for i, text in enumerate(numbers):
    put("number-input", f"number-{i:02}.txt", text)

# submission-json: the examples, and blank submissions of several forms written by `drs template`.
for path in sorted(glob.glob(os.path.join(ROOT, "examples/*.json"))):
    put("submission-json", os.path.basename(path), read(path))
have_drs = os.path.exists(DRS)
forms = ["P1", "P2", "E1", "E2", "E4", "I1"]
if have_drs:
    for form in forms:
        out = subprocess.run([DRS, "template", form, "--year", "2025"], capture_output=True, check=True).stdout
        put("submission-json", f"template-{form}.json", out)
put("submission-json", "edge-numbers.json",
    '{"form":"P2","year":2025,"values":{"01":{"cur":1e3,"cum":-0.5},"02":{"cur":"1,000"}},"answers":{},"explanations":{"01":"\\u4e2d\\ud83d\\ude00"}}')

# xlsx-upload: templates written by `drs template --format xlsx`, and the reader's small fixtures.
if have_drs:
    with tempfile.TemporaryDirectory() as tmp:
        for form in ["P2", "E1", "E4", "I1", "P5"]:
            out = os.path.join(tmp, form + ".xlsx")
            subprocess.run([DRS, "template", form, "--format", "xlsx", "--year", "2025", "--output", out],
                           capture_output=True, check=True)
            put("xlsx-upload", f"template-{form}.xlsx", open(out, "rb").read())
# Filled templates (system-tests/xlsx/fill_template.py, as LibreOffice/openpyxl users save them): the upload
# reads figures, not only an empty layout. Needs openpyxl.
def filled(form, every):
    import openpyxl
    template = os.path.join(CORPUS, "xlsx-upload", f"template-{form}.xlsx")
    sheet = openpyxl.load_workbook(template)["_drs"]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "kind")
    cells = [dict(zip(rows[start], r)) for r in rows[start + 1:] if r[0]]
    keys = [c["key"] for c in cells if c["kind"] == "cell" and ":" in c["key"]][::every]
    figures = {k: ["12", "1,234.5", "-3", "１２", "1e3", "abc", "0.1234567"][i % 7] for i, k in enumerate(keys)}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "filled.xlsx")
        subprocess.run([sys.executable, os.path.join(ROOT, "system-tests/xlsx/fill_template.py"), template,
                        json.dumps(figures, ensure_ascii=False), "-o", out], check=True, capture_output=True)
        put("xlsx-upload", f"filled-{form}.xlsx", open(out, "rb").read())
if have_drs:
    try:
        filled("P2", 3)
        filled("P5", 1)
    except Exception as error:   # openpyxl missing: the blank templates still seed the target
        print("filled templates skipped:", error)
for name in ["openpyxl-1904.xlsx", "openpyxl-features.xlsx", "openpyxl-shared.xlsx", "macro.xlsm"]:
    put("xlsx-upload", name, read("Tests/XLSXReaderTests/Fixtures/" + name))

# xlsx-upload, hostile: the P5 template with one part replaced or the archive damaged, the kinds of
# file HostileFileTests builds in code (truncation, wrong CRC, lying sizes, entity tricks, huge refs).
import io, struct, zipfile, zlib
def rezip(base, replace=None, drop=(), stored=False):
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = (replace or {}).get(info.filename, src.read(info.filename))
            z.writestr(info.filename, data)
    return out.getvalue()
base_path = os.path.join(CORPUS, "xlsx-upload", "template-P5.xlsx")
if os.path.exists(base_path):
    base = open(base_path, "rb").read()
    sheet = lambda rows: ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                          'spreadsheetml/2006/main"><sheetData>' + rows + '</sheetData></worksheet>')
    hostile = {
        "truncated": base[: len(base) // 2],
        "wrong-crc": base[:60] + bytes([base[60] ^ 0xFF]) + base[61:],
        "no-central-directory": base[: base.rfind(b"PK\x01\x02")],
        "missing-workbook": rezip(base, drop=("xl/workbook.xml",)),
        "stored-entries": rezip(read("Tests/XLSXReaderTests/Fixtures/openpyxl-1904.xlsx"), stored=True),
        "entity-expansion": rezip(base, {"xl/worksheets/sheet1.xml":
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>' + sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>')}),
        "huge-cell-refs": rezip(base, {"xl/worksheets/sheet1.xml": sheet(
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c><c r="A99999999999999999999"><v>2</v></c><c r="ZZZZ1"><v>3</v></c></row>')}),
        "shared-string-out-of-range": rezip(base, {"xl/worksheets/sheet1.xml": sheet(
            '<row r="1"><c r="A1" t="s"><v>99999</v></c><c r="B1" t="s"><v>-1</v></c><c r="C1" t="s"><v>1e400</v></c></row>')}),
        "deep-nesting": rezip(base, {"xl/worksheets/sheet1.xml": sheet('<row r="1">' + "<x>" * 5000 + "</x>" * 5000 + "</row>")}),
        "numbers-edge": rezip(base, {"xl/worksheets/sheet1.xml": sheet(
            '<row r="1"><c r="A1"><v>1e308</v></c><c r="B1"><v>-0</v></c><c r="C1"><v>NaN</v></c><c r="D1"><v>123456789012345678901234567890</v></c>'
            '<c r="E1" t="b"><v>2</v></c><c r="F1" t="d"><v>2025-13-45</v></c><c r="G1"><f t="shared" si="0" ref="G1:G9">A1+1</f><v>2</v></c></row>')}),
    }
    # A local header claiming 4 GiB uncompressed (a bomb that lies about its size).
    lying = bytearray(rezip(base))
    at = lying.find(b"PK\x03\x04")
    struct.pack_into("<I", lying, at + 22, 0xFFFFFFFF)
    hostile["lying-size"] = bytes(lying)
    for name, data in hostile.items():
        put("xlsx-upload", f"hostile-{name}.xlsx", data)

# csv-upload: the CSV tests' uploads, and one CSV per example submission.
tests = read("Tests/DRSExchangeTests/CSVUploadTests.swift").decode("utf-8")
for i, block in enumerate(re.findall(r'"""\n(.*?)\n\s*"""', tests, re.S)):
    lines = [l.strip() for l in block.splitlines()]
    if lines and lines[0].startswith("表号"):
        put("csv-upload", f"test-{i:02}.csv", "\n".join(lines) + "\n")
for path in sorted(glob.glob(os.path.join(ROOT, "examples/*.json"))):
    doc = json.load(open(path))
    rows = ["表号,指标代码,栏目,分组,数值"]
    for code, cells in doc.get("values", {}).items():
        for column, value in cells.items():
            rows.append(f'{doc["form"]},{code},{column},,"{value}"')
    put("csv-upload", os.path.basename(path).replace(".json", ".csv"), "\ufeff" + "\r\n".join(rows) + "\r\n")

# login-body: log-in and password-change bodies, well-formed and not.
bodies = ['{"username":"admin","password":"correct horse 1"}', '{"username":" 张三 ","password":"密码abc123"}',
          '{"currentPassword":"old-pass1","newPassword":"new-pass2"}', '{"username":"a","password":"b","extra":[1,2,{"x":null}]}',
          '{"username":"\\u0000\\ud800","password":""}', '{"username":1,"password":true}', '{"username":"a"',
          '[{"username":"a","password":"b"}]', '{"username":"a","username":"b","password":"c"}']
for i, body in enumerate(bodies):
    put("login-body", f"body-{i:02}.json", body)

# catalog-loader: the shipped catalog's own files (small ones), each a kind the loader decodes.
for path in ["catalog/2026/survey.json", "catalog/2026/forms/P5.json", "catalog/2026/forms/I1.json",
             "catalog/2026/forms/E4.json", "catalog/2026/codelists/enterpriseSizes.json",
             "catalog/2026/codelists/provinces.json", "catalog/2026/registry/nationalLabs.json"]:
    put("catalog-loader", path.split("/")[-2] + "-" + os.path.basename(path), read(path))

for target in sorted(os.listdir(CORPUS)):
    print(target, len(os.listdir(os.path.join(CORPUS, target))))
