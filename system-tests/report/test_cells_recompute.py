"""Every row of the report's cells.csv, recomputed from the unit-level exports and the registry.

The report (`drs report build`) and this test read the same verified submissions by two different
roads: the report through its own loader and exact 128-bit decimals, this test through
`drs export --status verified` (one CSV per form and year), `drs units export` (the registry) and
Python's `decimal`. Each cells.csv row says what it was made from — `form` and `indicator` are
aligned `|`-joined lists; an entry `01` is a sum, `16[06]` a mean of 16 weighted by 06, `06/04` the
ratio Σ06 / Σ04 × 100 — and the test rebuilds it from that description alone:

- a unit's row: province = first two digits of 区划代码 + "0000"; respondent type = the unit's first
  type that files the form (survey.json); industry = the section (`parent`) of the division given by
  the first two digits of 行业代码, "-" when there is none;
- a unit whose parent (上级单位信用代码) has a type that `consolidates` the form is left out of that
  form: its headquarters' submission already contains it;
- a cell of a row broken down by a code list (企业4表 by industry) is its total member when the code
  list has one, else the sum of the members filled;
- `cur` the figure of 2026, `prev` the national figure of 2025, `cur/share` the row over the nation
  × 100, `cur/growth` (national − prev) / |prev| × 100, `cur/growthMatched` the same over the units
  with the figure verified in both years, `cur/rank` the place among the table's published rows
  (largest first, ties by code); percentages to two decimals, rounded half up (away from zero);
- `registry`/`units`: `assigned` the units whose types file a numeric form, `verified` those with a
  verified submission of the year in a form the template reads; contributors = assigned.

A sum nobody reported is a published 0 with 0 contributors; an undefined ratio, share or growth has
no row. Published rows must match exactly (value and contributors); suppressed rows have no value.
Also checked: every cell the template (catalog/2026/report.json) asks for is present, derived cells
are withheld exactly when a figure they come from is, and no published cell of a province, type or
industry row rests on fewer than 3 holdings (a central enterprise and its subsidiaries are one).
"""

import csv
import io
import json
import pathlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

# With pytest-xdist, on the same worker as the other report module: one nation and one report built for both.
pytestmark = pytest.mark.xdist_group("report")

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog" / "2026"
HEADER = "table,form,indicator,column,province,resp_type,industry,value,status,contributors"
YEAR = 2026
TOTAL = "Total"
UNCLASSIFIED = "-"
MIN_HOLDINGS = 3
CENT = Decimal("0.01")


def load_json(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator × 100 to two decimals, half away from zero, exactly.

    The precision (120 digits) is far beyond any quotient of two figures of at most ~40 digits, so
    the rounding decision is the exact one."""
    with localcontext() as ctx:
        ctx.prec = 120
        return (numerator * 100 / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


def mean(numerator: Decimal, denominator: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 120
        return (numerator / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------ the catalog


class Catalog:
    """What the rules need from catalog/2026: types and their forms, consolidation, industries."""

    def __init__(self):
        survey = load_json(CATALOG / "survey.json")
        self.types = [t["id"] for t in survey["respondentTypes"]]
        self.type_forms = {t["id"]: t["forms"] for t in survey["respondentTypes"]}
        self.consolidates = {t["id"]: set(t.get("consolidates", [])) for t in survey["respondentTypes"]}
        self.sections = {m["code"]: m["parent"] for m in load_json(CATALOG / "codelists" / "industryDivisions.json")["members"]
                         if m.get("parent")}
        self.section_codes = [m["code"] for m in load_json(CATALOG / "codelists" / "industrySections.json")["members"]]
        self.provinces = [m["code"] for m in load_json(CATALOG / "codelists" / "provinces.json")["members"]]
        self.forms = {f["id"]: f for f in (load_json(p) for p in sorted((CATALOG / "forms").glob("*.json")))}
        self.numeric = {i for i, f in self.forms.items() if f["kind"] != "basicInfo"}
        self.template = load_json(CATALOG / "report.json")
        self.measures = {m["id"]: m for m in self.template["measures"]}

    def type_filing(self, types, form):
        """The unit's type that files the form (its first type when none does)."""
        return next((t for t in types if form in self.type_forms.get(t, [])), types[0] if types else "")

    def total_member(self, form, code):
        """The total member of a row broken down by a code list, when its breakdown names one."""
        spec = self.forms[form]

        def find(node):
            if isinstance(node, dict):
                if node.get("code") == code and "columns" in node:
                    return node
                return next((r for r in map(find, node.values()) if r is not None), None)
            if isinstance(node, list):
                return next((r for r in map(find, node) if r is not None), None)
            return None

        indicator = find(spec.get("indicators", [])) or {}
        breakdown = indicator.get("breakdown") or (spec.get("breakdown") if spec["kind"] == "grid" else None) or {}
        return breakdown.get("total")

    def provenance(self, measure_id):
        """The `form` and `indicator` strings cells.csv gives a measure (docs/report.md)."""
        m = self.measures[measure_id]
        kind = m.get("kind", "sum")
        if kind == "ratio":
            n, d = self.measures[m["numerator"]], self.measures[m["denominator"]]
            d_forms = {s["form"]: s["indicator"] for s in d["sources"]}
            pairs = [(s["form"], f"{s['indicator']}/{d_forms[s['form']]}") for s in n["sources"] if s["form"] in d_forms]
        elif kind == "weightedMean":
            pairs = [(s["form"], f"{s['indicator']}[{s['weight']}]") for s in m["sources"]]
        else:
            pairs = [(s["form"], s["indicator"]) for s in m["sources"]]
        return "|".join(p[0] for p in pairs), "|".join(p[1] for p in pairs)

    def template_forms(self):
        forms = {s["form"] for m in self.template["measures"] for s in m.get("sources", [])}
        return forms & self.numeric


# ------------------------------------------------------------------------------ the unit-level data


@dataclass
class Unit:
    code: str
    name: str
    province: str
    types: list
    parent: str
    industry: str


@dataclass
class Record:
    """One unit's verified submission of one form, placed in the report's breakdowns."""
    unit: str
    province: str
    type: str
    industry: str
    holding: str
    values: dict = field(default_factory=dict)

    def matches(self, breakdown, code):
        return breakdown == "national" or getattr(self, breakdown) == code


def read_csv(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


class Nation:
    """The registry and the verified exports of both years, read the way the rules above say."""

    def __init__(self, catalog: Catalog, registry_csv: str, exports: dict):
        self.catalog = catalog
        rows = read_csv(registry_csv)
        head = rows[0]
        col = {name: head.index(name) for name in ("统一社会信用代码", "单位详细名称", "区划代码", "调查对象类型", "上级单位信用代码", "行业代码")}
        self.units = {}
        for r in rows[1:]:
            if not r:
                continue
            industry_code = r[col["行业代码"]].strip()
            self.units[r[col["统一社会信用代码"]]] = Unit(
                code=r[col["统一社会信用代码"]], name=r[col["单位详细名称"]], province=r[col["区划代码"]][:2] + "0000",
                types=[t for t in r[col["调查对象类型"]].split("、") if t], parent=r[col["上级单位信用代码"]].strip(),
                industry=catalog.sections.get(industry_code[:2], UNCLASSIFIED) if industry_code else UNCLASSIFIED)
        self.exported = {}          # (year, form) -> {credit code: {cell key: Decimal}}
        self.header = {}            # form -> cell keys of its export
        self.records = {}           # (year, form) -> [Record]
        self.left_out = defaultdict(int)
        for (year, form), text in exports.items():
            self._read_export(year, form, text)

    def holding(self, unit: Unit):
        """A subsidiary belongs to its headquarters' holding; any other unit is its own."""
        return unit.parent or unit.code

    def _read_export(self, year, form, text):
        rows = read_csv(text)
        codes = rows[1]         # creditCode,name,region,type,status,version, then one column per cell key
        assert codes[:6] == ["creditCode", "name", "region", "type", "status", "version"], codes[:6]
        keys = codes[6:]
        self.header[form] = keys
        by_unit, records = {}, []
        for r in rows[2:]:
            if not r:
                continue
            values = {k: Decimal(v) for k, v in zip(keys, r[6:]) if v.strip() != ""}
            by_unit[r[0]] = values
            unit = self.units[r[0]]
            parent = self.units.get(unit.parent)
            if parent and any(form in self.catalog.consolidates.get(t, ()) for t in parent.types):
                self.left_out[(year, form)] += 1
                continue
            records.append(Record(unit=unit.code, province=unit.province, type=self.catalog.type_filing(unit.types, form),
                                  industry=unit.industry, holding=self.holding(unit), values=values))
        self.exported[(year, form)] = by_unit
        self.records[(year, form)] = records

    def cell(self, form, code, values, column="cur"):
        """The figure of row `code`: its cell, or its total member, or the sum of its members filled."""
        keys = self.header.get(form, [])
        if f"{code}:{column}" in keys:
            return values.get(f"{code}:{column}")
        total = self.catalog.total_member(form, code)
        if total is not None:
            return values.get(f"{code}:{column}@{total}")
        members = [values[k] for k in keys if k.startswith(f"{code}:{column}@") and k in values]
        return sum(members, Decimal(0)) if members else None


# ---------------------------------------------------------------------------------- the figures


@dataclass
class Figure:
    value: Decimal = None       # None: nobody reported it, or it cannot be divided
    contributors: int = 0
    holdings: set = field(default_factory=set)
    units: set = field(default_factory=set)     # a unit filing two forms of one measure counts once


def parse_sources(form, indicator):
    """`P2|E2`, `05/04|16/14` → ("ratio", [("P2", "05", "04"), ("E2", "16", "14")])."""
    forms, indicators = form.split("|"), indicator.split("|")
    assert len(forms) == len(indicators), f"form 与 indicator 未对齐：{form} / {indicator}"
    if all("[" in i for i in indicators):
        return "weightedMean", [(f, i.split("[")[0], i.split("[")[1].rstrip("]")) for f, i in zip(forms, indicators)]
    if all("/" in i for i in indicators):
        return "ratio", [(f, *i.split("/")) for f, i in zip(forms, indicators)]
    assert not any("[" in i or "/" in i for i in indicators), f"混合的指标：{indicator}"
    return "sum", [(f, i) for f, i in zip(forms, indicators)]


def row_filter(province, resp_type, industry):
    if province != TOTAL:
        return "province", province
    if resp_type != TOTAL:
        return "type", resp_type
    if industry != TOTAL:
        return "industry", industry
    return "national", TOTAL


class Recomputer:
    def __init__(self, nation: Nation):
        self.nation = nation
        self._cache = {}

    def sum(self, year, entries, breakdown, code, column, requires=None):
        """Σ over the units with the cell (and, for a ratio, with the other side's cell too)."""
        total, fig = Decimal(0), Figure()
        for i, (form, indicator) in enumerate(entries):
            for rec in self.nation.records.get((year, form), []):
                if not rec.matches(breakdown, code):
                    continue
                v = self.nation.cell(form, indicator, rec.values, column)
                if v is None or (requires and self.nation.cell(form, requires[i], rec.values, column) is None):
                    continue
                total += v
                fig.units.add(rec.unit)
                fig.contributors = len(fig.units)
                fig.holdings.add(rec.holding)
        fig.value = total if fig.contributors else None
        return fig

    def figure(self, year, form, indicator, breakdown, code, column="cur"):
        key = (year, form, indicator, breakdown, code, column)
        if key in self._cache:
            return self._cache[key]
        kind, entries = parse_sources(form, indicator)
        if kind == "sum":
            fig = self.sum(year, entries, breakdown, code, column)
        elif kind == "weightedMean":
            fig, products, weights = Figure(), Decimal(0), Decimal(0)
            for f, x_code, w_code in entries:
                for rec in self.nation.records.get((year, f), []):
                    if not rec.matches(breakdown, code):
                        continue
                    x, w = self.nation.cell(f, x_code, rec.values, column), self.nation.cell(f, w_code, rec.values, column)
                    if x is None or w is None:
                        continue
                    products += w * x
                    weights += w
                    fig.units.add(rec.unit)
                    fig.contributors = len(fig.units)
                    fig.holdings.add(rec.holding)
            fig.value = mean(products, weights) if fig.contributors and weights != 0 else None
        else:
            # Numerator and denominator over the same units: those with both cells.
            top = self.sum(year, [(f, n) for f, n, _ in entries], breakdown, code, column, [d for _, _, d in entries])
            bottom = self.sum(year, [(f, d) for f, _, d in entries], breakdown, code, column, [n for _, n, _ in entries])
            defined = top.value is not None and bottom.value is not None and bottom.value != 0
            fig = Figure(percent(top.value, bottom.value) if defined else None, max(top.contributors, bottom.contributors),
                         top.holdings | bottom.holdings)
        self._cache[key] = fig
        return fig

    def matched_growth(self, form, indicator, column):
        """Growth over the units with the figure verified in both years (sum measures)."""
        kind, entries = parse_sources(form, indicator)
        assert kind == "sum", f"同口径增长只用于合计指标：{indicator}"
        now, then = Decimal(0), Decimal(0)
        for f, code in entries:
            last_year = self.nation.exported.get((YEAR - 1, f), {})
            for rec in self.nation.records.get((YEAR, f), []):
                x = self.nation.cell(f, code, rec.values, column)
                y = self.nation.cell(f, code, last_year[rec.unit], column) if rec.unit in last_year else None
                if x is not None and y is not None:
                    now += x
                    then += y
        return (now - then) * 100 / abs(then) if then else None

    def coverage(self):
        """Per unit asked for a numeric form: (province, type, verified this year)."""
        nation, catalog = self.nation, self.nation.catalog
        verified = set()
        for form in catalog.template_forms():
            verified |= set(nation.exported.get((YEAR, form), {}))
        out = []
        for unit in nation.units.values():
            t = next((t for t in unit.types if any(f in catalog.numeric for f in catalog.type_forms.get(t, []))), None)
            if t is not None:
                out.append((unit.province, t, unit.code in verified))
        return out

    def expected(self, row, cells):
        """(value or None when the row should not exist, contributors) of a cells.csv row."""
        column, form, indicator = row["column"], row["form"], row["indicator"]
        breakdown, code = row_filter(row["province"], row["resp_type"], row["industry"])
        if form == "registry":
            entries = [c for c in self.coverage() if breakdown == "national"
                       or (c[0] if breakdown == "province" else c[1]) == code]
            assigned = len(entries)
            value = assigned if column == "assigned" else sum(1 for c in entries if c[2])
            return Decimal(value), assigned
        kind = parse_sources(form, indicator)[0]
        base, _, derived = column.partition("/")     # cur (本年实际) or cum (截至本年), then what is derived
        assert base in ("cur", "cum"), f"未知的列：{column}"
        if derived in ("", "lastYear"):
            fig = self.figure(YEAR if derived == "" else YEAR - 1, form, indicator, breakdown, code, base)
            if fig.value is None and kind == "sum":
                return Decimal(0), 0            # a sum nobody reported: a published 0
            return fig.value, fig.contributors
        now = self.figure(YEAR, form, indicator, breakdown, code, base)
        if column.endswith("/share"):
            whole = self.figure(YEAR, form, indicator, "national", TOTAL, base)
            ok = now.value is not None and whole.value
            return (percent(now.value, whole.value) if ok else None), now.contributors
        if column.endswith("/growth"):
            then = self.figure(YEAR - 1, form, indicator, "national", TOTAL, base)
            ok = now.value is not None and then.value
            return (percent(now.value - then.value, abs(then.value)) if ok else None), now.contributors
        if column.endswith("/growthMatched"):
            g = self.matched_growth(form, indicator, base)
            return (None if g is None else g.quantize(CENT, rounding=ROUND_HALF_UP)), now.contributors
        if column.endswith("/rank"):
            return self.rank(row, cells), now.contributors
        raise AssertionError(f"未知的列：{column}")

    def rank(self, row, cells):
        """Place among the published, non-empty rows of the same table and measure (largest first, ties by code)."""
        mine = row_filter(row["province"], row["resp_type"], row["industry"])
        peers = []
        for c in cells:
            base = row["column"].partition("/")[0]
            if (c["table"], c["form"], c["indicator"], c["column"]) != (row["table"], row["form"], row["indicator"], base):
                continue
            b, code = row_filter(c["province"], c["resp_type"], c["industry"])
            if b != mine[0] or c["status"] != "published":
                continue
            fig = self.figure(YEAR, c["form"], c["indicator"], b, code, base)
            if fig.value is not None:
                peers.append((-fig.value, code))
        ordered = [code for _, code in sorted(peers)]
        return Decimal(ordered.index(mine[1]) + 1) if mine[1] in ordered else None


# ---------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cells(report):
    text = (report["dir"] / "cells.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    rows = list(csv.DictReader(io.StringIO(text)))
    return {"header": lines[0], "rows": rows}


@pytest.fixture(scope="module")
def recompute(nation, drs):
    catalog = Catalog()
    registry = drs("units", "export", "--database", str(nation["database"])).stdout.decode("utf-8")
    exports = {}
    names = {f["tableNumber"]: i for i, f in catalog.forms.items()}
    for year in (YEAR - 1, YEAR):
        folder = nation["tmp"] / f"export-{year}"
        drs("export", "--database", str(nation["database"]), "--year", str(year), "--status", "verified",
            "--format", "csv", "--output", str(folder))
        for path in folder.glob(f"*-{year}.csv"):
            table_number = path.name[: -len(f"-{year}.csv")]
            assert table_number in names, f"导出文件名不是表号：{path.name}"
            exports[(year, names[table_number])] = path.read_text(encoding="utf-8")
    assert all((YEAR, f) in exports for f in catalog.template_forms()), "导出缺少报告读取的报表"
    return Recomputer(Nation(catalog, registry, exports))


def describe(row):
    return (f"表{row['table']} {row['column']} [{row['form']} / {row['indicator']}] "
            f"省份={row['province']} 类型={row['resp_type']} 行业={row['industry']}")


def key(row):
    return tuple(row[k] for k in ("table", "form", "indicator", "column", "province", "resp_type", "industry"))


# ------------------------------------------------------------------------------------------- tests


def test_header_status_and_values_are_well_formed(cells):
    assert cells["header"] == HEADER
    rows = cells["rows"]
    assert len(rows) > 500, f"cells.csv 只有 {len(rows)} 行"
    problems = []
    for row in rows:
        if row["status"] not in ("published", "suppressed"):
            problems.append(f"{describe(row)}：status={row['status']!r}")
        if (row["value"] == "") != (row["status"] == "suppressed"):
            problems.append(f"{describe(row)}：value={row['value']!r} 与 status={row['status']} 不一致")
        if not row["contributors"].isdigit():
            problems.append(f"{describe(row)}：contributors={row['contributors']!r}")
    keys = [key(r) for r in rows]
    assert len(set(keys)) == len(keys), "cells.csv 有重复的单元格"
    assert not problems, "\n".join(problems[:30])


def test_the_nation_exercises_every_rule(cells, recompute):
    """The fixture is rich enough for the recomputation to mean something."""
    rows = cells["rows"]
    kinds = {parse_sources(r["form"], r["indicator"])[0] for r in rows if r["form"] != "registry" and r["status"] == "published"}
    assert kinds == {"sum", "weightedMean", "ratio"}
    assert any(r["status"] == "suppressed" for r in rows), "没有保密单元格"
    assert sum(recompute.nation.left_out.values()) > 0, "没有被总部合并的子公司（合并规则未被检验）"
    assert any("@" in k for k in recompute.nation.header.get("E4", [])), "企业4表没有分行业的单元格"
    assert any(r["table"] == "6-2" and r["status"] == "published" and r["column"] == "cur" and int(r["contributors"]) > 0
               for r in rows), "没有公布的企业4表单元格"
    columns = {r["column"] for r in rows if r["status"] == "published"}
    assert {"cur", "cum", "cur/lastYear", "cum/lastYear", "cur/share", "cur/rank", "cur/growth", "cur/growthMatched", "assigned", "verified"} <= columns


def test_every_cell_is_recomputed_exactly(cells, recompute):
    rows = cells["rows"]
    mismatches, checked = [], 0
    for row in rows:
        value, contributors = recompute.expected(row, rows)
        if value is None:
            if row["status"] == "published":
                mismatches.append(f"{describe(row)}：公布了 {row['value']}，但按单位数据无从计算（不应有此行）")
            continue        # a withheld derived cell of an undefined figure: nothing to compare
        if row["status"] == "published":
            checked += 1
            if Decimal(row["value"]) != value:
                mismatches.append(f"{describe(row)}：cells.csv {row['value']}，重算 {value}")
        if int(row["contributors"]) != contributors:
            mismatches.append(f"{describe(row)}：contributors {row['contributors']}，重算 {contributors}")
    assert not mismatches, f"{len(mismatches)} 个单元格与重算不符（共核对 {checked} 个公布值）：\n" + "\n".join(mismatches[:40])
    assert checked > 500


def template_rows(recompute, cells):
    """Every row the template asks for: (key, column kind) for each table of each chapter."""
    catalog = recompute.nation.catalog
    coverage = recompute.coverage()
    rows_by_key = {key(r): r for r in cells}
    wanted = []
    for chapter in catalog.template["chapters"]:
        for table in chapter["tables"]:
            tid, breakdown = table["id"], table["breakdown"]
            if breakdown == "national":
                for mid in table["measures"]:
                    form, indicator = catalog.provenance(mid)
                    col = catalog.measures[mid].get("column", "cur")
                    cols = [col + "/lastYear", col] + ([col + "/growth", col + "/growthMatched"] if catalog.measures[mid].get("kind", "sum") == "sum" else [])
                    wanted += [(tid, form, indicator, c, TOTAL, TOTAL, TOTAL) for c in cols]
                continue
            codes = {"province": catalog.provinces, "type": catalog.types, "industry": catalog.section_codes + [UNCLASSIFIED]}[breakdown]
            if breakdown == "type":     # a type row only when one of the table's measures has a figure for it
                codes = [c for c in codes if any(
                    recompute.figure(YEAR, *catalog.provenance(m), "type", c, catalog.measures[m].get("column", "cur")).contributors > 0
                    for m in table["measures"])]
            for code in codes + [TOTAL]:
                place = {"province": TOTAL, "type": TOTAL, "industry": TOTAL}
                if code != TOTAL:
                    place[breakdown] = code
                where = (place["province"], place["type"], place["industry"])
                for i, mid in enumerate(table["measures"]):
                    form, indicator = catalog.provenance(mid)
                    col = catalog.measures[mid].get("column", "cur")
                    cols = [col]
                    if table.get("share") and catalog.measures[mid].get("kind", "sum") == "sum":
                        cols.append(col + "/share")
                    if table.get("rank") and i == 0 and code != TOTAL:
                        cur = rows_by_key.get((tid, form, indicator, col, *where))
                        if cur and cur["status"] == "published" and int(cur["contributors"]) > 0:
                            cols.append(col + "/rank")
                    wanted += [(tid, form, indicator, c, *where) for c in cols]
    for tid, breakdown, position in (("M-1", "province", 0), ("M-2", "type", 1)):
        present = sorted({c[position] for c in coverage})
        for code in present + [TOTAL]:
            where = (code, TOTAL, TOTAL) if breakdown == "province" else (TOTAL, code, TOTAL)
            if code == TOTAL:
                where = (TOTAL, TOTAL, TOTAL)
            wanted += [(tid, "registry", "units", c, *where) for c in ("assigned", "verified")]
    return wanted


def test_every_cell_of_the_template_is_present(cells, recompute):
    """Each defined figure of each table is a row of cells.csv (published or suppressed), and
    every other row is a withheld derived figure."""
    rows = cells["rows"]
    present = {key(r): r for r in rows}
    missing = []
    for k in template_rows(recompute, rows):
        row = dict(zip(("table", "form", "indicator", "column", "province", "resp_type", "industry"), k))
        value, _ = recompute.expected(row, rows)
        if value is not None and k not in present:
            missing.append(describe(row))
    wanted = set(template_rows(recompute, rows))
    extra = [describe(r) for r in rows if key(r) not in wanted]
    assert not missing, f"{len(missing)} 个应有的单元格不在 cells.csv：\n" + "\n".join(missing[:30])
    assert not extra, f"{len(extra)} 个单元格不属于模板的任何表：\n" + "\n".join(extra[:30])


def test_derived_cells_are_withheld_with_their_bases(cells):
    """A share, growth or rank is published only when the figures it is computed from are."""
    rows = cells["rows"]
    by_key = {key(r): r for r in rows}
    problems = []
    for row in rows:
        column = row["column"]
        if "/" not in column or column.endswith("/lastYear"):
            continue
        base = column.split("/")[0]
        cur = by_key.get((row["table"], row["form"], row["indicator"], base, row["province"], row["resp_type"], row["industry"]))
        national = by_key.get((row["table"], row["form"], row["indicator"], base, TOTAL, TOTAL, TOTAL))
        prev = by_key.get((row["table"], row["form"], row["indicator"], base + "/lastYear", TOTAL, TOTAL, TOTAL))
        if cur is None:
            problems.append(f"{describe(row)}：没有它所依据的 {base} 单元格")
            continue
        bases = {"share": [cur, national], "growth": [cur, prev], "growthMatched": [cur], "rank": [cur]}[column.split("/")[1]]
        withheld = any(b is None or b["status"] == "suppressed" for b in bases)
        if withheld != (row["status"] == "suppressed") and not (column.endswith("/rank") and withheld):
            problems.append(f"{describe(row)}：status={row['status']}，但所依据的单元格{'有' if withheld else '没有'}保密")
        if column.endswith("/rank") and (row["status"] != "published" or withheld):
            problems.append(f"{describe(row)}：位次只给公布的单元格")
    assert not problems, "\n".join(problems[:30])


def test_no_published_cell_rests_on_fewer_than_three_holdings(cells, recompute):
    """Counted from the registry: a headquarters and its subsidiaries are one holding."""
    problems, checked = [], 0
    for row in cells["rows"]:
        if row["form"] == "registry" or row["column"] not in ("cur", "cum") or row["status"] != "published":
            continue
        breakdown, code = row_filter(row["province"], row["resp_type"], row["industry"])
        if breakdown == "national":
            continue
        kind = parse_sources(row["form"], row["indicator"])[0]
        if kind == "ratio":
            continue        # a ratio of two sums: each is a protected figure of its own (checked where published)
        fig = recompute.figure(YEAR, row["form"], row["indicator"], breakdown, code, row["column"])
        if fig.contributors == 0:
            continue        # nobody reported it: a published 0 discloses no one
        checked += 1
        if len(fig.holdings) < MIN_HOLDINGS:
            problems.append(f"{describe(row)}：公布值 {row['value']} 只来自 {len(fig.holdings)} 个集团/单位"
                            f"（{fig.contributors} 个单位）")
    assert not problems, "\n".join(problems[:30])
    assert checked > 100
