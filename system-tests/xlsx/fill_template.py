#!/usr/bin/env python3
"""Fills a downloaded Excel template (drs template / 下载模板) the way a filer would, for integration tests.

    python3 system-tests/xlsx/fill_template.py TEMPLATE.xlsx FIGURES.json [-o OUT.xlsx] [--as-text]

FIGURES is a JSON file (or, when it starts with "{", the JSON itself) mapping marker keys to values:

    {"01:cur": "123.4", "02:cur@110000": 15, "105.regionCode": "350102001001",
     "explain:01": "新建数据中心投产", "closed:26:next": "9",
     "11:prev": {"formula": "=SUM(D12:D13)"}, "12:prev": {"date": "2025-01-01"}, "13:prev": {"text": "1,234.5"}}

Keys are looked up in the template's hidden `_drs` sheet (docs/xlsx-templates.md):
  - `01:cur`, `02:cur@110000`, `109`, `105.regionCode` … : an input cell (marker kind `cell`);
  - `explain:01`: the 情况说明 cell of row 01 (kind `explain`);
  - `closed:26:next`, `row:05`, `head:cur`: a grey cell, a 代码 cell, a column head (to make bad files).

Values:
  - a string that is a plain decimal (`123.4`, `-5`) or a JSON number: a number cell, written from its decimal
    text (JSON numbers are read as Decimal, never float), unless --as-text;
  - any other string: a text cell (`"1,234.5"`, `"12,3a"`, `"１２３"`); a string starting with "=" is a formula;
  - null: the cell is cleared;
  - {"text": "…"}, {"number": "…"}, {"formula": "=…"}, {"date": "YYYY-MM-DD"}, {"boolean": true}: that kind of cell.

The workbook is saved to OUT (default: TEMPLATE itself). Exit status: 0 done; 2 usage error, no `_drs` sheet,
or a key the template does not have.
"""
import argparse
import datetime
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

PLAIN_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
PREFIXED_KINDS = {"explain": "explain", "closed": "closed", "row": "row", "head": "head", "cell": "cell"}


def read_markers(workbook):
    """{(kind, key): (sheet, address)} from the `_drs` sheet."""
    if "_drs" not in workbook.sheetnames:
        raise SystemExit("fill_template: the workbook has no _drs sheet (not a template of the platform)")
    sheet = workbook["_drs"]
    markers = {}
    in_entries = False
    for row in sheet.iter_rows(values_only=True):
        first = row[0] if row else None
        if not in_entries:
            in_entries = first == "kind"
            continue
        if first is None or len(row) < 4:
            continue
        kind, key, target, address = (str(v) if v is not None else "" for v in row[:4])
        markers[(kind, key)] = (target, address)
    if not in_entries:
        raise SystemExit("fill_template: the _drs sheet has no marker lines")
    return markers


def locate(markers, name):
    """The marker of a FIGURES key: `01:cur`, `explain:01`, `closed:26:next`, `row:05`, `head:cur`."""
    if (("cell", name)) in markers:
        return markers[("cell", name)]
    prefix, _, rest = name.partition(":")
    kind = PREFIXED_KINDS.get(prefix)
    if kind and (kind, rest) in markers:
        return markers[(kind, rest)]
    raise SystemExit(f"fill_template: the template has no cell for key {name!r}")


def cell_value(value, as_text):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value) if as_text else Decimal(value)
    if isinstance(value, dict):
        if "text" in value:
            return str(value["text"])
        if "number" in value:
            return Decimal(str(value["number"]))
        if "formula" in value:
            formula = str(value["formula"])
            return formula if formula.startswith("=") else "=" + formula
        if "date" in value:
            return datetime.datetime.strptime(str(value["date"]), "%Y-%m-%d")
        if "boolean" in value:
            return bool(value["boolean"])
        raise SystemExit(f"fill_template: unknown value {value!r}")
    text = str(value)
    if not as_text and PLAIN_DECIMAL.match(text):
        return Decimal(text)
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("template")
    parser.add_argument("figures", help="JSON file, or the JSON itself")
    parser.add_argument("-o", "--output", help="where to save (default: the template itself)")
    parser.add_argument("--as-text", action="store_true", help="write every figure as a text cell")
    args = parser.parse_args(argv)

    source = args.figures
    text = source if source.lstrip().startswith("{") else Path(source).read_text(encoding="utf-8")
    figures = json.loads(text, parse_float=Decimal)
    if not isinstance(figures, dict):
        raise SystemExit("fill_template: FIGURES must be a JSON object")

    workbook = openpyxl.load_workbook(args.template)
    markers = read_markers(workbook)
    for name, value in figures.items():
        sheet_name, address = locate(markers, name)
        cell = workbook[sheet_name][address]
        cell.value = cell_value(value, args.as_text)
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd"
    workbook.save(args.output or args.template)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit as exit:
        if isinstance(exit.code, str):
            print(exit.code, file=sys.stderr)
            sys.exit(2)
        raise
