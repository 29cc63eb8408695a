#!/usr/bin/env python3
"""Checks an .xlsx file the way a user's software would read it.

    python3 system-tests/xlsx/check_xlsx.py FILE.xlsx [--expect-sheet NAME ...] [--expect-cell SHEET!A1=VALUE ...]
                                     [--expect-hidden NAME ...] [--expect-merged SHEET!A1:F1 ...]
                                     [--expect-rows SHEET=N ...] [--libreoffice] [--lo-timeout SECONDS]

1. The ZIP is read with Python's zipfile and every entry's CRC is checked.
2. The workbook is opened with openpyxl (pip install openpyxl); every sheet is printed with its state,
   dimensions, merged ranges and frozen panes.
3. Expectations are checked:
   --expect-sheet NAME         the sheet exists
   --expect-hidden NAME        the sheet exists and is hidden or veryHidden
   --expect-cell SHEET!A1=V    the cell's value is V. Text compares exactly (OOXML `_xHHHH_` escapes decoded,
                               as Excel and LibreOffice do); for a number cell, V is compared as an exact decimal
                               with the value text stored in the file (so "1234.567890" matches `<v>1234.56789</v>`
                               and never goes through binary floating point); booleans as TRUE/FALSE
                               (case-insensitive); an empty V expects an empty cell.
   --expect-merged SHEET!A1:F1 the range is merged
   --expect-rows SHEET=N       the sheet's last row is N
4. --libreoffice converts the file to PDF with
   `soffice --headless --convert-to pdf --outdir TMP FILE` (in a private LibreOffice profile, so that runs
   in parallel do not collide) and checks that a non-empty PDF appears.

Exit status: 0 all good; 1 an expectation or a check failed; 2 usage error or the file cannot be opened.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_EXPECTATION = re.compile(r"^(?P<sheet>.+?)!(?P<cell>\$?[A-Za-z]{1,3}\$?[0-9]+)=(?P<value>.*)$", re.S)
RANGE_EXPECTATION = re.compile(r"^(?P<sheet>.+)!(?P<range>[A-Za-z]{1,3}[0-9]+:[A-Za-z]{1,3}[0-9]+)$")
OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_ooxml(text):
    """`_x0041_` → "A" (and `_x005F_` → "_"), as Excel reads cell text."""
    return OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def unquote_sheet(name):
    if len(name) >= 2 and name[0] == "'" and name[-1] == "'":
        return name[1:-1].replace("''", "'")
    return name


class Checker:
    def __init__(self, path):
        self.path = path
        self.failures = []
        self._raw_cells = {}

    def fail(self, message):
        self.failures.append(message)
        print(f"FAIL: {message}")

    def ok(self, message):
        print(f"ok:   {message}")

    # Raw `<v>` text of number cells, read from the sheet part (openpyxl turns numbers into floats).
    def sheet_part(self, sheet_name):
        with zipfile.ZipFile(self.path) as z:
            workbook = ET.fromstring(z.read("xl/workbook.xml"))
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{PKG_REL}Relationship")}
        for sheet in workbook.iter(f"{MAIN}sheet"):
            if sheet.get("name") == sheet_name:
                target = targets[sheet.get(f"{REL}id")]
                return target.lstrip("/") if target.startswith("/") else "xl/" + target
        return None

    def prefetch_raw_values(self, sheet_name, refs):
        """One pass over the sheet part for all `refs`: their (type, `<v>` text)."""
        wanted = {ref for ref in refs if (sheet_name, ref) not in self._raw_cells}
        if not wanted:
            return
        part = self.sheet_part(sheet_name)
        if part:
            with zipfile.ZipFile(self.path) as z, z.open(part) as f:
                for _, element in ET.iterparse(f):
                    if element.tag == f"{MAIN}c":
                        ref = element.get("r")
                        if ref in wanted:
                            v = element.find(f"{MAIN}v")
                            self._raw_cells[(sheet_name, ref)] = (element.get("t", "n"), v.text if v is not None else None)
                            wanted.discard(ref)
                            if not wanted:
                                break
                    elif element.tag == f"{MAIN}row":
                        element.clear()
        for ref in wanted:
            self._raw_cells[(sheet_name, ref)] = None

    def raw_value(self, sheet_name, ref):
        self.prefetch_raw_values(sheet_name, [ref])
        return self._raw_cells[(sheet_name, ref)]

    def check_zip(self):
        try:
            with zipfile.ZipFile(self.path) as z:
                bad = z.testzip()
                names = z.namelist()
        except (zipfile.BadZipFile, OSError) as error:
            print(f"cannot read {self.path} as a ZIP: {error}", file=sys.stderr)
            sys.exit(2)
        if bad is not None:
            self.fail(f"ZIP entry {bad} has a bad CRC")
        else:
            self.ok(f"ZIP: {len(names)} entries, CRCs match")
        for required in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]:
            if required not in names:
                self.fail(f"missing part {required}")

    def check_libreoffice(self, timeout):
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            self.fail("LibreOffice (soffice) is not installed")
            return
        with tempfile.TemporaryDirectory(prefix="check-xlsx-") as tmp:
            profile = Path(tmp, "profile").as_uri()
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(self.path)]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                self.fail(f"LibreOffice did not finish within {timeout} s")
                return
            pdf = Path(tmp, Path(self.path).stem + ".pdf")
            if result.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
                self.fail(f"LibreOffice made no PDF (exit {result.returncode}): {result.stdout.strip()} {result.stderr.strip()}")
                return
            with open(pdf, "rb") as f:
                head = f.read(5)
            if head != b"%PDF-":
                self.fail("LibreOffice's output is not a PDF")
                return
            self.ok(f"LibreOffice converted it to PDF ({pdf.stat().st_size} bytes)")


def parse_cell_expectation(expectation):
    match = CELL_EXPECTATION.match(expectation)
    if not match:
        print(f"bad --expect-cell {expectation!r}: use SHEET!A1=VALUE", file=sys.stderr)
        sys.exit(2)
    return unquote_sheet(match["sheet"]), match["cell"].replace("$", "").upper(), match["value"]


def compare(checker, workbook, expectation):
    sheet_name, ref, expected = parse_cell_expectation(expectation)
    if sheet_name not in workbook.sheetnames:
        checker.fail(f"{sheet_name}!{ref}: no sheet {sheet_name!r}")
        return
    cell = workbook[sheet_name][ref]
    value = cell.value
    label = f"{sheet_name}!{ref}"
    if expected == "":
        if value is None or value == "":
            checker.ok(f"{label} is empty")
        else:
            checker.fail(f"{label} = {value!r}, expected empty")
        return
    if isinstance(value, bool):
        if str(value).upper() == expected.upper():
            checker.ok(f"{label} = {expected}")
        else:
            checker.fail(f"{label} = {value}, expected {expected!r}")
        return
    if isinstance(value, (int, float)):
        raw = checker.raw_value(sheet_name, ref)
        text = raw[1] if raw and raw[1] is not None else repr(value)
        try:
            equal = Decimal(text) == Decimal(expected)
        except InvalidOperation:
            equal = False
        if equal:
            checker.ok(f"{label} = {text} (number)")
        else:
            checker.fail(f"{label} = {text} (number), expected {expected!r}")
        return
    actual = unescape_ooxml(str(value)) if isinstance(value, str) else str(value)
    if actual == expected:
        checker.ok(f"{label} = {expected!r}")
    else:
        checker.fail(f"{label} = {actual!r}, expected {expected!r}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--expect-sheet", action="append", default=[], metavar="NAME")
    parser.add_argument("--expect-hidden", action="append", default=[], metavar="NAME")
    parser.add_argument("--expect-cell", action="append", default=[], metavar="SHEET!A1=VALUE")
    parser.add_argument("--expect-merged", action="append", default=[], metavar="SHEET!A1:F1")
    parser.add_argument("--expect-rows", action="append", default=[], metavar="SHEET=N")
    parser.add_argument("--libreoffice", action="store_true", help="also convert to PDF with LibreOffice")
    parser.add_argument("--lo-timeout", type=int, default=600, metavar="SECONDS")
    args = parser.parse_args(argv)

    # Malformed expectations are usage errors, found before the (possibly slow) loading.
    cell_expectations = [parse_cell_expectation(e) for e in args.expect_cell]
    for expectation in args.expect_merged:
        if not RANGE_EXPECTATION.match(expectation):
            print(f"bad --expect-merged {expectation!r}: use SHEET!A1:F1", file=sys.stderr)
            return 2
    for expectation in args.expect_rows:
        sheet_name, _, count = expectation.rpartition("=")
        if not count.isdigit() or not sheet_name:
            print(f"bad --expect-rows {expectation!r}: use SHEET=N", file=sys.stderr)
            return 2

    if not os.path.isfile(args.file):
        print(f"no file {args.file}", file=sys.stderr)
        return 2
    try:
        import openpyxl
    except ImportError:
        print("openpyxl is not installed: python3 -m pip install openpyxl", file=sys.stderr)
        return 2

    checker = Checker(args.file)
    checker.check_zip()
    try:
        workbook = openpyxl.load_workbook(args.file)
    except Exception as error:  # openpyxl raises many kinds
        print(f"openpyxl cannot open {args.file}: {type(error).__name__}: {error}", file=sys.stderr)
        return 2

    props = workbook.properties
    print(f"file: {args.file}")
    print(f"title: {props.title!r}  creator: {props.creator!r}  created: {props.created}")
    for ws in workbook.worksheets:
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        shown = ", ".join(merged[:6]) + (f", … ({len(merged)})" if len(merged) > 6 else "")
        print(f"sheet {ws.title!r}: state={ws.sheet_state} dimensions={ws.dimensions} rows={ws.max_row} "
              f"columns={ws.max_column} frozen={ws.freeze_panes} merged=[{shown}]")
    if workbook.defined_names:
        print("defined names: " + ", ".join(f"{n}={d.attr_text}" for n, d in workbook.defined_names.items()))

    for name in args.expect_sheet:
        if name in workbook.sheetnames:
            checker.ok(f"sheet {name!r} exists")
        else:
            checker.fail(f"no sheet {name!r} (sheets: {workbook.sheetnames})")
    for name in args.expect_hidden:
        if name not in workbook.sheetnames:
            checker.fail(f"no sheet {name!r}")
        elif workbook[name].sheet_state in ("hidden", "veryHidden"):
            checker.ok(f"sheet {name!r} is {workbook[name].sheet_state}")
        else:
            checker.fail(f"sheet {name!r} is {workbook[name].sheet_state}, expected hidden")
    by_sheet = {}
    for sheet_name, ref, _ in cell_expectations:
        if sheet_name in workbook.sheetnames and isinstance(workbook[sheet_name][ref].value, (int, float)) \
                and not isinstance(workbook[sheet_name][ref].value, bool):
            by_sheet.setdefault(sheet_name, []).append(ref)
    for sheet_name, refs in by_sheet.items():
        checker.prefetch_raw_values(sheet_name, refs)
    for expectation in args.expect_cell:
        compare(checker, workbook, expectation)
    for expectation in args.expect_merged:
        match = RANGE_EXPECTATION.match(expectation)
        sheet_name, wanted = unquote_sheet(match["sheet"]), match["range"].upper()
        if sheet_name not in workbook.sheetnames:
            checker.fail(f"no sheet {sheet_name!r}")
        elif wanted in {str(r) for r in workbook[sheet_name].merged_cells.ranges}:
            checker.ok(f"{sheet_name}!{wanted} is merged")
        else:
            checker.fail(f"{sheet_name}!{wanted} is not merged")
    for expectation in args.expect_rows:
        sheet_name, _, count = expectation.rpartition("=")
        sheet_name = unquote_sheet(sheet_name)
        if sheet_name not in workbook.sheetnames:
            checker.fail(f"no sheet {sheet_name!r}")
        elif workbook[sheet_name].max_row == int(count):
            checker.ok(f"{sheet_name} has {count} rows")
        else:
            checker.fail(f"{sheet_name} has {workbook[sheet_name].max_row} rows, expected {count}")

    if args.libreoffice:
        checker.check_libreoffice(args.lo_timeout)

    if checker.failures:
        print(f"{len(checker.failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
