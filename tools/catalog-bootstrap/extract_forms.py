#!/usr/bin/env python3
"""Build the 11 numeric forms of the 2026 catalog from the seed text.

    python3 tools/catalog-bootstrap/extract_forms.py SEED.txt [--out DIR] [--issues-md FILE]

SEED.txt is the text of 全国数据资源统计调查制度 (国统制〔2026〕37号) converted from PDF
(Tests/DRSCatalogTests/Fixtures/seed-2026.txt).  The script writes
DIR/{P2,P3,P4,P5,E2,E3,E4,E5,E6,E7,I1}.json (default DIR: catalog/2026/forms next to this
repository's survey.json) and, when --issues-md is given, a readable list of the seed's
defects (docs/seed-issues.md).

How it works
------------
Several form pages were lost in the PDF conversion, so the indicator list of every form is
built FROM THE DEFINITIONS (四、主要指标解释): indicator codes are consecutive two-digit
numbers in the order of the definitions, each numbered item and each '——' sub-item taking
the next code; a '——' item's parent is the preceding numbered item; section headings
(一、数据生产 …) and part headings (产品数据情况, 企业数据情况, 运营商企业, 国有企业,
互联网平台企业) give `section`.  Every surviving table row (调查表式) is then cross-checked
against the rebuilt list (code, name modulo whitespace, unit, section), and the printed
审核关系 of every 填报说明 are parsed into rules.  The script fails loudly (AssertionError)
when the seed does not give what is expected.
"""
import argparse
import json
import re
import sys
from pathlib import Path

# --------------------------------------------------------------------------- constants

FORM_IDS = ["P2", "P3", "P4", "P5", "E2", "E3", "E4", "E5", "E6", "E7", "I1"]
NUMERIC = set(FORM_IDS)
PREFIX = {"公共": "P", "企业": "E", "行业": "I"}

COLUMN_NAMES = {"截至本年": "cum", "本年实际": "cur", "上年同期": "prev", "下年预估": "next"}
COLUMN_ORDER = ["cum", "cur", "prev", "next"]

DEFAULT_ISSUED_BY = "国家数据局"
DEFAULT_APPROVED_BY = "国家统计局"
APPROVAL_NUMBER = "国统制〔2026〕37号"
VALID_UNTIL = "2029-02"

RESPONDENT_TYPES = {
    "P2": ["provincialDataDept"], "P3": ["researchInstitute"], "P4": ["scienceDataCenter"],
    "P5": ["publicSecurity"], "E2": ["centralEnterprise"], "E3": ["dataGroup"],
    "E4": ["dataExchange"], "E5": ["dataTechEnterprise"], "E6": ["dataAppEnterprise"],
    "E7": ["trustedSpaceOperator"], "I1": ["industryAssociation"],
}
KIND = {f: "indicators" for f in FORM_IDS}
KIND.update({"P5": "grid", "E4": "grid"})
FORM_BREAKDOWN = {
    "P5": {"codelist": "securityRegions", "total": "000000"},
    "E4": {"codelist": "industrySections"},
}

# How a 填报说明 is recognised (its first item names the respondent).
NOTE_KEYS = [
    ("各级党政机关、企事业单位依法履职", "P2"),
    ("科研机构的统一社会信用代码", "P3"),
    ("国家科学数据中心依托单位", "P4"),
    ("数据安全整体情况", "P5"),
    ("中央企业的统一社会信用代码", "E2"),
    ("数据集团的统一社会信用代码", "E3"),
    ("数据交易机构的统一社会信用代码", "E4"),
    ("数据技术企业的统一社会信用代码", "E5"),
    ("数据应用企业的统一社会信用代码", "E6"),
    ("可信数据空间运营机构的统一社会信用代码", "E7"),
]

# Expected sizes and anchors (checked by hand against the seed).
EXPECTED_ROWS = {"P2": 50, "P3": 43, "P4": 31, "P5": 4, "E2": 91, "E3": 74, "E4": 20,
                 "E5": 77, "E6": 69, "E7": 43, "I1": 10}
EXPECTED_RULES = {"P2": 16, "P3": 18, "P4": 14, "E2": 32, "E3": 33, "E4": 4,
                  "E5": 32, "E6": 29, "E7": 13}
PRODUCT_ANCHORS = {
    "01": ("产品全国销售量", "台"), "02": ("31省销售量", "台"), "03": ("产品全国保有量", "台"),
    "04": ("产品满负荷运行日均产生数据总量", "TB"), "05": ("产品出厂后年均运行时长", "天"),
    "06": ("产品平均存储空间", "TB"), "07": ("产品平均存储空间利用率", "%"),
    "08": ("主要产品平均使用年限", "年"), "09": ("具备联网功能的产品比例", "%"),
    "10": ("能够提供远程运维服务的产品比例", "%"),
}
ANCHORS = {
    "P2": {"01": "数据生产总量", "05": "数据存储总量", "15": "冷数据占比", "18": "数据集平均下载次数",
           "50": "已投用的智能算力规模"},
    "P3": {"01": "数据生产总量", "02": "设备设施采集数据总量", "03": "系统/软件生成数据总量",
           "04": "大科学装置数据生产总量", "05": "数据存储总空间", "06": "数据存储总量",
           "18": "冷数据占比", "24": "用于AI的数据总量", "28": "用于AI的外部数据总量",
           "31": "开放数据总量", "43": "大模型Token消耗数量"},
    "P4": {"13": "项目汇交数据存储总量", "14": "云存储总量", "15": "公有云存储总量", "16": "冷数据占比",
           "17": "开放数据总量", "18": "跨境开放数据总量", "19": "开放数据集总数",
           "20": "平均每日接收数据总量", "21": "平均每日分发数据总量", "22": "高质量数据集数量",
           "23": "接入国外高质量数据集数量", "24": "高质量数据集数据体量", "25": "高质量数据集调用次数",
           "26": "数据产品/服务数量", "31": "为大模型提供的数据总量"},
    "P5": {"01": "已备案网络系统总数", "02": "处理重要数据的网络系统数量",
           "03": "处理核心数据的网络系统数量", "04": "数据安全相关案件数量"},
    "E2": {"11": "数据生产总量", "14": "数据存储总空间", "15": "服务器数量", "16": "数据存储总量",
           "20": "原始数据存储总量", "26": "物联感知数据存储总量", "27": "云存储总量",
           "28": "公有云存储总量", "29": "冷数据占比", "30": "高质量数据集数量", "55": "数据资源互换总量",
           "61": "数据跨境流量", "62": "接入外部数据总量", "69": "数据增值服务收入",
           "76": "其他数据资产入表金额", "77": "省际数据流入量", "91": "数据跨境流入总量"},
    "E3": {"01": "数据生产总量", "04": "数据存储总空间", "05": "服务器数量", "06": "数据存储总量",
           "07": "公共数据存储总量", "08": "行业数据存储总量", "16": "云存储总量", "18": "冷数据占比",
           "19": "高质量数据集数量", "22": "高质量数据集数据体量", "25": "高质量数据集调用次数",
           "26": "高质量数据集交易金额", "27": "高质量数据集交易体量", "28": "用于AI的数据总量",
           "47": "开发者数量", "48": "AI技术研发者数量", "49": "数据资源互换总量",
           "71": "数据资产入表金额", "74": "其他数据资产入表金额"},
    "E4": {"01": "交易总额", "05": "高质量数据集交易体量", "07": "高质量数据集交易金额",
           "20": "省外供给方数量"},
    "E5": {"18": "接入国外高质量数据集数量", "62": "AI产品/服务数量", "63": "AI产品/服务平均用户数",
           "64": "AI产品/服务平均使用次数", "70": "公共数据授权运营数据总量",
           "73": "国家已登记公共数据资源覆盖存储量", "74": "用户数量", "77": "产品/服务覆盖行业数量"},
    "E6": {"11": "数据生产总量", "16": "数据存储总量", "29": "冷数据占比", "66": "公共数据授权运营数据总量",
           "69": "国家已登记公共数据资源覆盖存储量"},
    "E7": {"25": "数据流入总量", "26": "数据流出总量", "32": "注册用户数量", "43": "数据产品/服务收入"},
    "I1": {},
}
for _f in ("E2", "E6", "I1"):
    ANCHORS[_f].update({c: n for c, (n, _u) in PRODUCT_ANCHORS.items()})

# Table names that differ from the definitions by more than whitespace (form, code) -> printed.
EXPECTED_PRINTED_NAMES = {
    ("E2", "61"): "数据跨境流通量",
    ("E3", "34"): "通用大模型Token消耗量",
    ("E5", "77"): "服务/产品覆盖行业数量",
}

# Units that are not additive across units of observation.
COVERAGE_NAMES = {"服务行业数量", "数据产品/服务覆盖行业数量", "产品/服务覆盖行业数量",
                  "服务区域数量", "服务国家和地区数量"}
COVERAGE_NOTE = "各单位覆盖范围可能重叠，不可相加"
PRODUCT_WEIGHTED_BY_STOCK = {"产品出厂后年均运行时长", "主要产品平均使用年限", "具备联网功能的产品比例",
                             "能够提供远程运维服务的产品比例", "产品平均存储空间"}

PART_HEADINGS = {"产品数据情况", "企业数据情况"}
GROUP_HEADINGS = {"运营商企业": "telecomOperator", "国有企业": "stateOwned",
                  "互联网平台企业": "internetPlatform"}

# --------------------------------------------------------------------------- text helpers

CJK = r"[\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"


def delatex(s):
    """`$01 \\geq 02+03$` -> `01≥02+03`."""
    def repl(m):
        body = m.group(1)
        body = (body.replace("\\geq", "≥").replace("\\leq", "≤").replace("\\neq", "≠")
                .replace("\\%", "%"))
        return re.sub(r"\s+", "", body)
    return re.sub(r"\$([^$]*)\$", repl, s)


def norm(s):
    """Remove PDF artefacts: bold markers, `_{…}` subscripts, LaTeX, and whitespace next to
    CJK characters or punctuation ("AI 技术投入" -> "AI技术投入", "数 据" -> "数据")."""
    s = s.replace("**", "")
    s = re.sub(r"_\{([^}]*)\}", r"\1", s)
    s = delatex(s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(rf"(?<={CJK}) +| +(?={CJK})", "", s)
    return s


def nows(s):
    return re.sub(r"\s+", "", s)


def code2(n):
    return "%02d" % n


def form_id(table_number):
    m = re.fullmatch(r"(公共|企业|行业)(\d)表", nows(table_number))
    assert m, table_number
    return PREFIX[m.group(1)] + m.group(2)


def region(lines, start_pred, end_pred, what):
    s = next((i for i, l in enumerate(lines) if start_pred(l.strip())), None)
    assert s is not None, "start of %s not found" % what
    e = next((i for i in range(s + 1, len(lines)) if end_pred(lines[i].strip())), None)
    assert e is not None, "end of %s not found" % what
    return s, e


# --------------------------------------------------------------------------- 报表目录

def parse_directory(lines):
    s, e = region(lines, lambda l: nows(l) == "二、报表目录", lambda l: nows(l) == "三、调查表式",
                  "报表目录")
    group = None
    rows = {}
    prev = None
    for raw in lines[s + 1:e]:
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^[一二三]、(.*数据调查)", line)
        if m:
            group = m.group(1)
            continue
        f = raw.split("\t")
        if not re.fullmatch(r"(公共|企业|行业)\s*\d\s*表", f[0].strip()):
            continue
        f = [norm(x) for x in f]
        assert len(f) == 7, f
        vals = {"tableNumber": nows(f[0]), "title": f[1], "period": f[2], "scope": f[3],
                "reporters": f[4], "submissionMethod": f[5], "page": int(f[6]), "group": group}
        for k in ("scope", "reporters", "submissionMethod"):
            if vals[k] == "同上":
                assert prev is not None
                vals[k] = prev[k]
        rows[form_id(f[0])] = vals
        prev = vals
    assert len(rows) == 13, sorted(rows)
    order = sorted(rows.values(), key=lambda v: v["page"])
    for a, b in zip(order, order[1:]):
        a["lastPage"] = b["page"] - 1
    order[-1]["lastPage"] = order[-1]["page"]   # 行业1表 (32); 主要指标解释 start on p. 33
    return rows


# --------------------------------------------------------------------------- 主要指标解释

def parse_definitions(lines):
    s, e = region(lines, lambda l: nows(l) == "四、主要指标解释", lambda l: nows(l) == "五、附录",
                  "主要指标解释")
    forms = {}
    cur = None          # form id
    items = None        # list of dicts
    part = None
    section = None
    expected = 1
    last_main = None
    item = None

    for raw in lines[s + 1:e]:
        line = norm(raw)
        if not line:
            continue
        m = re.fullmatch(r"[（(]([一二三四五六七八九十]+)[)）](.+?)（((?:公共|企业|行业)\d表)）", line)
        if m:
            cur = form_id(m.group(3))
            items = forms.setdefault(cur, {"heading": line, "title": m.group(2), "items": []})["items"]
            part, section, expected, last_main, item = None, None, 1, None, None
            continue
        assert cur is not None, line
        if cur not in NUMERIC:          # 公共1表, 企业1表: basic information, not built here
            continue
        if line in PART_HEADINGS:
            part, section, item = line, None, None
            continue
        if line in GROUP_HEADINGS:
            part, section, expected, item = None, line, 1, None
            last_main = None
            continue
        if re.fullmatch(r"[一二三四五六七八九十]+、[^：:]{1,20}", line):
            section, item = line, None
            continue
        m = re.match(r"^(\d+)\.\s*(.+?)[：:](.*)$", line)
        if m:
            n = int(m.group(1))
            assert n == expected, "%s: definition %d found where %d expected: %s" % (
                    cur, n, expected, line)
            expected = n + 1
            item = {"num": n, "name": m.group(2), "text": m.group(3), "sub": False,
                    "section": "%s/%s" % (part, section) if part and section else section,
                    "group": section if section in GROUP_HEADINGS else None,
                    "part": part}
            items.append(item)
            last_main = item
            continue
        m = re.match(r"^——(.+?)[：:](.*)$", line)
        if m:
            item = {"num": None, "name": m.group(1), "text": m.group(2), "sub": True,
                    "section": "%s/%s" % (part, section) if part and section else section,
                    "group": section if section in GROUP_HEADINGS else None,
                    "part": part, "mainRef": last_main}
            items.append(item)
            continue
        # a continuation (line or page break inside a definition)
        assert item is not None, "%s: text outside any definition: %s" % (cur, line)
        item["text"] += line

    out = {}
    for fid, d in forms.items():
        if fid not in NUMERIC:
            continue
        rows = []
        for i, it in enumerate(d["items"], start=1):
            it["code"] = code2(i)
        for it in d["items"]:
            text = norm(it["text"])
            mu = re.search(r"计量单位：(.+?)。$", text)
            assert mu, "%s: no 计量单位 in definition of %s: %s" % (fid, it["name"], text)
            row = {"code": it["code"], "name": norm(it["name"]), "unit": mu.group(1).strip(),
                   "section": it["section"], "definition": text, "part": it["part"],
                   "group": it["group"], "num": it["num"]}
            if it["sub"]:
                assert it["mainRef"] is not None, "%s: sub-item without a numbered item: %s" % (
                    fid, it["name"])
                row["parent"] = it["mainRef"]["code"]
            rows.append(row)
        out[fid] = {"title": d["title"], "heading": d["heading"], "rows": rows}
    return out


# --------------------------------------------------------------------------- 调查表式

def parse_tables(lines):
    s, e = region(lines, lambda l: nows(l) == "三、调查表式", lambda l: nows(l) == "四、主要指标解释",
                  "调查表式")
    heads = {}          # form -> head metadata
    blocks = []         # all indicator-table blocks, in order
    notes = {}          # form -> raw note text
    note_order = []
    pending = []
    head_form = None
    block = None
    last_label = None
    i = s + 1
    while i < e:
        raw = lines[i]
        line = raw.strip()
        i += 1
        if not line:
            continue
        m = re.search(r"表\s*号：\s*((?:公共|企业|行业)\s*\d\s*表)", line)
        if m:
            head_form = form_id(m.group(1))
            # title: the nearest previous non-empty line
            j = i - 2
            while j > s and not lines[j].strip():
                j -= 1
            title = norm(lines[j])
            meta = {}
            for hl in lines[i - 1:i + 9]:
                hl = norm(hl)
                for key in ("制定机关", "批准机关", "批准文号", "有效期至"):
                    mm = re.search(key + r"：(.+?)(?=制定机关|批准机关|批准文号|有效期至|统一社会|单位详细|_|$)", hl)
                    if mm and key not in meta:
                        meta[key] = nows(mm.group(1))
            heads[head_form] = {"title": title, "issuedBy": meta.get("制定机关"),
                                "approvedBy": meta.get("批准机关"),
                                "approvalNumber": meta.get("批准文号"),
                                "validUntil": meta.get("有效期至"), "line": i}
            continue
        if re.fullmatch(r"续表[一二三]?", line):
            last_label = line
            continue
        if line.startswith("填报说明："):
            text = line
            # a note may continue on the next paragraphs ("3. 上年同期：…")
            nxt = len(re.findall(r"(?:^|[\s。：])(\d+)\.", text)) + 1
            while i < e:
                k = i
                while k < e and not lines[k].strip():
                    k += 1
                if k < e and re.match(r"^\s*%d\.\s" % nxt, lines[k]):
                    text += " " + lines[k].strip()
                    nxt = len(re.findall(r"(?:^|[\s。：])(\d+)\.", text)) + 1
                    i = k + 1
                else:
                    break
            nf = [f for key, f in NOTE_KEYS if key in text]
            assert len(nf) == 1, "unidentified note: " + text[:60]
            nf = nf[0]
            assert nf not in notes, "second note for " + nf
            notes[nf] = text
            note_order.append(nf)
            for b in pending:
                if b["headForm"] in NUMERIC:
                    assert b["headForm"] == nf, "table under head %s followed by note of %s" % (
                        b["headForm"], nf)
                b["form"] = nf
            pending = []
            head_form = None
            block = None
            continue
        f = raw.split("\t")
        if f[0].strip() == "指标名称":
            heads_ = [x.strip() for x in f[3:]]
            grid = not all(h in COLUMN_NAMES for h in heads_)
            block = {"headForm": head_form, "label": last_label, "columnsHead": heads_,
                     "columns": None if grid else [COLUMN_NAMES[h] for h in heads_],
                     "grid": grid, "rows": [], "form": None, "line": i}
            last_label = None
            blocks.append(block)
            pending.append(block)
            continue
        if f[0].strip() == "地区":                       # 公共5表: regions x indicators
            names = [norm(x) for x in f[1:]]
            nums = lines[i].strip().split("\t") if i < e else []
            block = {"headForm": head_form, "label": last_label, "p5": True,
                     "indicatorNames": names, "indicatorNumbers": nums[1:], "regions": [],
                     "rows": [], "form": None, "line": i}
            blocks.append(block)
            pending.append(block)
            i += 1
            while i < e and not lines[i].strip().startswith("单位负责人"):
                if lines[i].strip():
                    block["regions"].append(norm(lines[i].split("\t")[0]))
                i += 1
            continue
        if block is not None and block.get("grid") and len(f) >= 10 and i < e and \
                lines[i].strip().split("\t")[0] == "9":   # 企业4表 续表: industries 9–20
            block["industriesCont"] = [norm(x) for x in f]
            block["industriesContNumbers"] = lines[i].strip().split("\t")
            i += 1
            continue
        if line.startswith("单位负责人"):
            continue
        if block is None or line.startswith("甲") or f[0].strip() in ("---", "——"):
            continue
        if len(f) >= 3 and re.fullmatch(r"\d{2}", f[2].strip()):
            block["rows"].append({"name": norm(f[0]), "unit": f[1].strip(), "code": f[2].strip(),
                                  "cells": [x.strip() for x in f[3:]], "section": block.get("_sec")})
            continue
        if len(f) >= 2 and f[1].strip() in ("---", "——"):
            block["_sec"] = norm(f[0])
            block.setdefault("sections", []).append((norm(f[0]), len(block["rows"])))
            continue
    return heads, blocks, notes, note_order


def split_numbered(text):
    """'1. aaa 2. bbb' -> ['aaa', 'bbb'] (numbers must run 1, 2, 3, …)."""
    parts = []
    pos = 0
    n = 1
    starts = []
    while True:
        m = re.compile(r"(?:^|(?<=[\s。：]))%d\.\s*" % n).search(text, pos)
        if not m:
            break
        starts.append((m.start(), m.end()))
        pos = m.end()
        n += 1
    assert starts, text[:50]
    for k, (a, b) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        parts.append(text[b:end].strip())
    return parts


def clean_note(s):
    s = norm(s)
    s = re.sub(r"\s*([≥≤≠<>=+])\s*", r"\1", s)
    return s


# --------------------------------------------------------------------------- rules

OPS = {"≥": ">=", "≤": "<=", "≠": "!=", "=": "=", "<": "<", ">": ">"}


def parse_rules(fid, note_items, rows_by_code, form_cols):
    txt = [t for t in note_items if t.startswith("审核关系")]
    if not txt:
        return []
    assert len(txt) == 1
    body = re.sub(r"^审核关系[：:]", "", txt[0]).strip().rstrip("。")
    pieces = [p for p in re.split(r"\s*[，,]\s*", body) if p.strip()]
    rules = []
    for k, p in enumerate(pieces, start=1):
        seed = nows(delatex(p))
        scope = None
        m = re.fullmatch(r"(.+?)（(.+)）", seed)
        core = seed
        if m:
            core, scope = m.group(1), m.group(2)
            assert scope == "仅指截至本年", "%s: unknown scope remark %s" % (fid, scope)
        m = re.fullmatch(r"(\d{2})(≥|≤|≠|=|<|>)(.+)", core)
        assert m, "%s: cannot parse rule %s" % (fid, seed)
        lhs, op, rhs = m.groups()
        codes = [lhs]
        if rhs == "100%":
            rhs_expr = "100"
            assert rows_by_code[lhs]["unit"] == "%", "%s: %s<100%% on a non-%% row" % (fid, lhs)
        else:
            terms = rhs.split("+")
            assert all(re.fullmatch(r"\d{2}", t) for t in terms), "%s: bad rule %s" % (fid, seed)
            codes += terms
            rhs_expr = " + ".join("[%s]" % t for t in terms)
        for c in codes:
            assert c in rows_by_code, "%s: rule %s names unknown code %s" % (fid, seed, c)
        if scope:
            cols = ["cum"]
            for c in codes:
                assert "cum" in rows_by_code[c]["columns"], (fid, seed, c)
        else:
            cols = [c for c in form_cols if all(c in rows_by_code[x]["columns"] for x in codes)]
        assert cols, "%s: rule %s has no common column" % (fid, seed)
        rules.append({"id": "%s-%02d" % (fid, k), "expr": "[%s] %s %s" % (lhs, OPS[op], rhs_expr),
                      "seed": seed, "columns": cols, "severity": "error", "origin": "printed"})
    return rules


# --------------------------------------------------------------------------- seed issues kept as printed

MANUAL_ISSUES = {
    "P2": [],
    "P3": [
        {"ref": "01", "issue": "审核关系01≥02+03只含两项，未含同为01“——”子项的04大科学装置数据生产总量（04仅由01≥04单独约束）。按原文保留，未增补规则。"},
        {"ref": "填报说明", "issue": "本表首页（代码01–30及表头）在文本中缺失；其续表（代码31–43）和填报说明紧接在公共2表填报说明之后，前面没有表名与表号，只能凭填报说明第1项（科研机构）和代码连续性认定。"},
    ],
    "P4": [
        {"ref": "23", "issue": "接入国外高质量数据集数量是个数，但主要指标解释给出的计量单位是TB（且定义只说“来自国外的数据集的数量”）。按原文保留unit=TB，待国家数据局确认是否应为“个”。"},
        {"ref": "填报说明", "issue": "本表两页（表头、全部31行）在文本中整体缺失，只剩填报说明，且紧接在公共3表填报说明之后。表头列（截至本年、本年实际、上年同期）系比照公共2表、公共3表推定。"},
    ],
    "P5": [
        {"ref": "表式", "issue": "本表的印制方向与其他表相反：四个指标印为列1–4，地区（全国及31个省（自治区、直辖市）和新疆生产建设兵团）印为行。目录中改为4个指标×securityRegions分组存储。"},
        {"ref": "表式", "issue": "统计范围与报送单位包括计划单列市公安厅（局），但表中地区行不含计划单列市（大连、青岛、宁波、厦门、深圳），推定其数据并入所在省份，待确认。"},
        {"ref": "02", "issue": "定义中有重复的“的的”（“公共健康和安全的的数据”；03“重点领域的的数据”），按原文保留。"},
    ],
    "E2": [
        {"ref": "填报说明2", "issue": "填报说明2（所填数据包含厂商出货量，以及厂商作为经销商在境内销售的所有品牌产品总量）未指明适用范围，从内容看只涉及“产品数据情况”部分（01–10）。"},
        {"ref": "20", "issue": "原始/衍生/标注/结构化/图片类/视频类/物联感知数据存储总量（20–26）在主要指标解释中是编号指标15–21，而不是16数据存储总量的“——”子项（公共2–4表、企业3/5/7表中均为子项），故无parent；但审核关系16≥20…16≥26仍把它们当作16的组成部分。"},
        {"ref": "77", "issue": "省际数据流入量“统计方法为出省链路日均值年度总和”、78省际数据流出量“统计方法为入省链路日均值年度总和”，流入对应出省链路、流出对应入省链路，疑似互换（或链路按对端命名），待确认；两项定义为“各省级行政区”的流量，表中却只有一行，未按省细分。"},
        {"ref": "73", "issue": "定义中“具有使用价值的数数据”多一“数”字，按原文保留。"},
        {"ref": "填报说明", "issue": "本表首页（表头及代码01–25）在文本中缺失；续表一、续表二紧接在企业1表续表之后。"},
    ],
    "E3": [
        {"ref": "64", "issue": "数据资源目录数（64）与数据资产入表金额（71）的定义写作“具有使用价值的数，是可供人类利用的新型资源”，漏“据”字，按原文保留。"},
        {"ref": "填报说明", "issue": "本表首页（表头及代码01–32）在文本中缺失。"},
    ],
    "E4": [
        {"ref": "05", "issue": "高质量数据集交易体量（05，TB）是04实现交易的数据集数量（个）的“——”子项，子项与母项计量单位不同，不是母项的组成部分；按原文保留层级。07高质量数据集交易金额（万元）是06交易总额（万元）的子项，单位一致。"},
        {"ref": "表式", "issue": "表的续表（行业列9–20）只印出两行“---”（两个分节行），20个指标行的空白单元格在转换中丢失；推定列9–20与列1–8一样全部开放。"},
    ],
    "E5": [
        {"ref": "18", "issue": "接入国外高质量数据集数量是个数，但计量单位写作TB；审核关系17≥18因此把“个”（17高质量数据集数量）与“TB”比较。按原文保留unit=TB和规则，待确认。"},
        {"ref": "74", "issue": "“用户数量”在本表出现两次：60（实现交易的数据产品/服务的用户数量，59的子项）和74（互联网平台企业：平台数据产品或服务的用户数量），定义不同。"},
        {"ref": "76", "issue": "产品/服务交易次数（76）与产品/服务覆盖行业数量（77）的定义限于“应用于中小企业的产品或服务”，名称中没有体现。"},
        {"ref": "填报说明", "issue": "本表首页（表头及代码01–32）在文本中缺失；填报说明跨段落（第3项另起一段）。"},
    ],
    "E6": [
        {"ref": "20", "issue": "与企业2表相同：原始…物联感知数据存储总量（20–26）在定义中是编号指标15–21而不是16数据存储总量的子项，无parent；审核关系16≥20…16≥26仍把它们当作16的组成部分。"},
        {"ref": "01", "issue": "本表也有“产品数据情况”部分（01–10），但填报说明未说明哪些企业填写、是否包含厂商出货量（企业2表有此说明）。"},
        {"ref": "填报说明", "issue": "本表首页（表头及代码01–25）在文本中缺失。"},
    ],
    "E7": [
        {"ref": "25", "issue": "数据流入总量（25）定义为“上述数据开放总量中对外流出的数据总量”，数据流出总量（26）定义为“上述数据开放总量中从外部流入的数据总量”：两者内容互换，且母项是22数据流通总量，而非“数据开放总量”。按原文保留，待确认。"},
        {"ref": "填报说明", "issue": "本表首页（表头及代码01–31）在文本中缺失；续表只有截至本年、本年实际、上年同期三列，没有下年预估。"},
    ],
    "I1": [
        {"ref": "表式", "issue": "本表整页（表头、全部10行）及其填报说明在文本中缺失，只剩报表目录一行和主要指标解释（十三）。表头列与批准信息系推定。"},
    ],
}


# --------------------------------------------------------------------------- build

def aggregation(fid, row, by_name, rows):
    name, unit = row["name"], row["unit"]
    if name in COVERAGE_NAMES:
        return {"method": "none", "note": COVERAGE_NOTE}
    if name == "冷数据占比":
        return {"method": "weightedMean", "weight": "[%s]" % by_name["数据存储总量"]}
    if name == "数据集平均下载次数":
        return {"method": "weightedMean", "weight": "[%s]" % by_name["公共数据开放数据集总数"]}
    if name in PRODUCT_WEIGHTED_BY_STOCK:
        return {"method": "weightedMean", "weight": "[%s]" % by_name["产品全国保有量"]}
    if name == "产品平均存储空间利用率":
        return {"method": "weightedMean",
                "weight": "[%s] * [%s]" % (by_name["产品平均存储空间"], by_name["产品全国保有量"])}
    if name in ("AI产品/服务平均用户数", "AI产品/服务平均使用次数"):
        return {"method": "weightedMean", "weight": "[%s]" % by_name["AI产品/服务数量"]}
    assert unit != "%", "%s %s: a share needs a weighted mean" % (fid, row["code"])
    return {"method": "sum"}


def code_ranges(codes):
    codes = sorted(int(c) for c in codes)
    out = []
    for c in codes:
        if out and c == out[-1][1] + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return "、".join(code2(a) if a == b else "%s–%s" % (code2(a), code2(b)) for a, b in out)


def build(seed_path, survey_units):
    text = Path(seed_path).read_text(encoding="utf-8")
    lines = text.split("\n")
    directory = parse_directory(lines)
    defs = parse_definitions(lines)
    heads, blocks, notes_raw, note_order = parse_tables(lines)
    mismatches = []      # (form, code, what, table, definition)
    forms = {}

    for fid in FORM_IDS:
        d = directory[fid]
        df = defs[fid]
        assert df["title"] == d["title"], (fid, df["title"], d["title"])
        rows = df["rows"]
        assert len(rows) == EXPECTED_ROWS[fid], "%s: %d rows, expected %d" % (
            fid, len(rows), EXPECTED_ROWS[fid])
        by_code = {r["code"]: r for r in rows}
        by_name = {}
        for r in rows:
            by_name.setdefault(r["name"], r["code"])
        # codes consecutive, parents exist and precede
        assert [r["code"] for r in rows] == [code2(i) for i in range(1, len(rows) + 1)], fid
        for r in rows:
            assert r["unit"] in survey_units, "%s %s: unknown unit %s" % (fid, r["code"], r["unit"])
            if "parent" in r:
                assert r["parent"] in by_code and r["parent"] < r["code"], (fid, r["code"])
        for c, n in ANCHORS[fid].items():
            assert by_code[c]["name"] == n, "%s %s: %s != anchor %s" % (fid, c, by_code[c]["name"], n)
        if fid in ("E2", "E6", "I1"):
            for c, (n, u) in PRODUCT_ANCHORS.items():
                assert by_code[c]["unit"] == u, (fid, c)

        # ---- visible tables
        fblocks = [b for b in blocks if b["form"] == fid]
        visible = {}
        head = heads.get(fid)
        printed_head_cols = None
        if fid == "P5":
            assert len(fblocks) == 1 and fblocks[0].get("p5")
            b = fblocks[0]
            assert b["indicatorNumbers"] == ["1", "2", "3", "4"], b["indicatorNumbers"]
            for k, nm in enumerate(b["indicatorNames"], start=1):
                r = by_code[code2(k)]
                visible[r["code"]] = {"name": nm, "unit": None, "code": r["code"], "cells": [],
                                      "section": None}
            assert len(b["regions"]) == 33 and b["regions"][0] == "全国", b["regions"]
            assert b["regions"][-1] == "新疆生产建设兵团"
            printed_head_cols = ["cur", "prev"]       # 按照上年、本年分别填写
        elif fid == "E4":
            assert len(fblocks) == 1 and fblocks[0]["grid"]
            b = fblocks[0]
            inds = [norm(x) for x in b["columnsHead"]] + b.get("industriesCont", [])
            assert len(inds) == 20, inds
            assert b["industriesContNumbers"] == [str(k) for k in range(9, 21)]
            for tr in b["rows"]:
                assert all(c == "" for c in tr["cells"]), ("E4", tr)
                visible[tr["code"]] = tr
            printed_head_cols = ["cur", "prev"]       # 请分年份填写两份
        else:
            for b in fblocks:
                assert not b["grid"]
                if printed_head_cols is None:
                    printed_head_cols = b["columns"]
                assert b["columns"] == printed_head_cols, (fid, b["columns"])
                for tr in b["rows"]:
                    assert tr["code"] not in visible, (fid, tr["code"])
                    cells = tr["cells"] + [""] * (len(b["columns"]) - len(tr["cells"]))
                    tr["columns"] = [c for c, v in zip(b["columns"], cells)
                                     if v not in ("---", "——", "—", "--")]
                    visible[tr["code"]] = tr
        first_page_lost = head is None
        if fid in ("P4", "I1"):
            assert not fblocks
        # visible codes must be one contiguous tail (or everything) of the form
        vcodes = sorted(visible)
        if vcodes:
            assert vcodes == [code2(k) for k in range(int(vcodes[0]), int(vcodes[-1]) + 1)], fid
            assert vcodes[-1] == rows[-1]["code"], (fid, vcodes[-1])
            if not first_page_lost:
                assert vcodes[0] == "01", fid
        if printed_head_cols is None:       # no table at all (P4, I1)
            printed_head_cols = {"P4": ["cum", "cur", "prev"], "I1": ["cum", "cur", "prev", "next"]}[fid]

        # ---- cross-check visible rows
        issues = []
        for c, tr in sorted(visible.items()):
            r = by_code[c]
            if nows(tr["name"]) != nows(r["name"]):
                mismatches.append((fid, c, "name", tr["name"], r["name"]))
                r["printedName"] = nows(tr["name"])
                issues.append({"ref": c, "issue": "表中指标名称印作“%s”，主要指标解释作“%s”；name取解释中的名称，printedName记表中名称。" % (
                    nows(tr["name"]), r["name"])})
            if tr["unit"] is not None and tr["unit"] != r["unit"]:
                mismatches.append((fid, c, "unit", tr["unit"], r["unit"]))
                issues.append({"ref": c, "issue": "表中计量单位印作“%s”，主要指标解释作“%s”。" % (
                    tr["unit"], r["unit"])})
            if tr.get("section"):
                assert r["section"] in (tr["section"], "%s/%s" % (r["part"], tr["section"])), (
                    fid, c, tr["section"], r["section"])
        found_pn = {(f, c): t for f, c, what, t, _ in mismatches if what == "name" and f == fid}
        exp_pn = {k: v for k, v in EXPECTED_PRINTED_NAMES.items() if k[0] == fid}
        assert {k: nows(v) for k, v in found_pn.items()} == exp_pn, (fid, found_pn, exp_pn)
        assert not [m for m in mismatches if m[0] == fid and m[2] == "unit"], mismatches

        # ---- columns, appliesTo, breakdown, aggregation
        rebuilt_codes = []
        out_rows = []
        for r in rows:
            c = r["code"]
            o = {"code": c, "name": r["name"]}
            if "printedName" in r:
                o["printedName"] = r["printedName"]
            o["unit"] = r["unit"]
            if r["section"]:
                o["section"] = r["section"]
            if "parent" in r:
                o["parent"] = r["parent"]
            if fid in ("P5", "E4"):
                cols = ["cur", "prev"]
            elif c in visible:
                cols = visible[c]["columns"]
            else:
                cols = list(printed_head_cols)
            if fid in ("E2", "E6", "I1") and c == "02":
                cols = ["cur", "prev"]
            o["columns"] = cols
            applies = None
            if r["group"]:
                applies = GROUP_HEADINGS[r["group"]]
            elif fid == "E2" and r["part"] == "产品数据情况":
                applies = "notTelecomOperator"
            if applies:
                o["appliesTo"] = applies
            if fid in ("E2", "E6", "I1") and c == "02":
                o["breakdown"] = {"codelist": "provinces"}
            o["aggregation"] = aggregation(fid, r, by_name, rows)
            o["definition"] = r["definition"]
            if c not in visible:
                o["rebuilt"] = True
                rebuilt_codes.append(c)
            out_rows.append(o)
            r["columns"] = cols
        if fid in ("E2", "E3", "E5", "E6"):
            for c in visible:
                assert visible[c]["columns"] == ["cum", "cur", "prev"], (fid, c, visible[c]["columns"])

        # ---- notes and rules
        if fid in notes_raw:
            note_text = re.sub(r"^填报说明：", "", notes_raw[fid])
            note_items = [clean_note(t) for t in split_numbered(delatex(note_text))]
        else:
            assert fid == "I1", fid
            note_items = []
        rules = parse_rules(fid, note_items, by_code, printed_head_cols)
        if fid in EXPECTED_RULES:
            assert len(rules) == EXPECTED_RULES[fid], "%s: %d rules, expected %d" % (
                fid, len(rules), EXPECTED_RULES[fid])
        else:
            assert not rules, fid
        if fid == "P5":
            for k in range(1, 5):
                c = code2(k)
                rules.append({"id": "P5-X%02d" % k, "expr": "[%s@000000] = sum([%s@*])" % (c, c),
                              "columns": ["cur", "prev"], "severity": "error", "origin": "implied",
                              "message": "全国合计应等于各地区之和（%s）" % by_code[c]["name"]})
        if fid in ("E2", "E6", "I1"):
            rules.append({"id": "%s-X01" % fid, "expr": "[01] = sum([02@*])", "columns": ["cur", "prev"],
                          "severity": "warning", "origin": "implied",
                          "message": "产品全国销售量应等于31省销售量之和"})

        # ---- metadata
        meta = {"issuedBy": DEFAULT_ISSUED_BY, "approvedBy": DEFAULT_APPROVED_BY}
        if head:
            assert head["title"] == d["title"], (fid, head["title"], d["title"])
            assert head["issuedBy"] == DEFAULT_ISSUED_BY, (fid, head)
            assert head["approvedBy"] == DEFAULT_APPROVED_BY, (fid, head)
            assert head["approvalNumber"].replace("（", "〔").replace("）", "〕") == APPROVAL_NUMBER, head
            assert head["validUntil"] == "2029年2月", head

        pages = "%d–%d" % (d["page"], d["lastPage"]) if d["lastPage"] > d["page"] else "%d" % d["page"]
        vis_range = code_ranges(visible) if visible else ""
        how = source_how(fid, d, df, head, fblocks, visible, rebuilt_codes, printed_head_cols, pages,
                         vis_range, note_items)
        source = {"pages": source_pages(fid, d, df, pages, head, visible, vis_range),
                  "rebuilt": bool(rebuilt_codes), "how": how}

        form = {
            "id": fid,
            "tableNumber": d["tableNumber"],
            "title": d["title"],
            "group": d["group"],
            "kind": KIND[fid],
            "period": d["period"],
            "scope": d["scope"],
            "reporters": d["reporters"],
            "issuedBy": meta["issuedBy"],
            "approvedBy": meta["approvedBy"],
            "approvalNumber": APPROVAL_NUMBER,
            "validUntil": VALID_UNTIL,
            "submissionMethod": d["submissionMethod"],
            "respondentTypes": RESPONDENT_TYPES[fid],
            "columns": printed_head_cols,
        }
        if fid in FORM_BREAKDOWN:
            form["breakdown"] = FORM_BREAKDOWN[fid]
        form["notes"] = note_items
        form["source"] = source
        form["indicators"] = out_rows
        form["rules"] = rules
        form["seedIssues"] = issues + MANUAL_ISSUES[fid]
        forms[fid] = form

    check_all(forms)
    return forms, mismatches, note_order


def source_pages(fid, d, df, pages, head, visible, vis_range):
    parts = ["调查表式第%s页" % pages]
    if fid == "P4":
        parts.append("整表缺失，仅存填报说明")
    elif fid == "I1":
        parts.append("整表及填报说明缺失")
    elif head is None:
        parts.append("首页缺失，存续表（代码%s）及填报说明" % vis_range)
    else:
        parts.append("表完整（代码%s）及填报说明" % vis_range)
    parts.append("报表目录")
    parts.append("主要指标解释%s" % re.match(r"[（(][一二三四五六七八九十]+[)）]", df["heading"]).group(0)
                 .replace("(", "（").replace(")", "）"))
    return "；".join(parts)


def source_how(fid, d, df, head, fblocks, visible, rebuilt, cols, pages, vis_range, note_items):
    colnames = {"cum": "截至本年", "cur": "本年实际", "prev": "上年同期", "next": "下年预估"}
    cn = "、".join(colnames[c] for c in cols)
    s = []
    if fid == "P2":
        s.append("表（代码01–29）与续表（代码30–50）完整可见；指标按主要指标解释（二）的顺序编码，与表逐行核对（代码、名称、计量单位、分节）一致。")
    elif fid == "P5":
        s.append("表完整可见：四个指标印为列1–4，地区印为行（全国及31个省（自治区、直辖市）、新疆生产建设兵团）。指标取自主要指标解释（五），分组见breakdown（securityRegions，全国=000000）。列为本年实际、上年同期（填报说明1：按照上年、本年分别填写）。")
    elif fid == "E4":
        s.append("表完整可见：20个指标为行，国民经济行业20个门类为列1–20（续表列9–20只印出分节行，指标行的空白单元格在转换中丢失，推定开放）。指标取自主要指标解释（九），按行业门类分组（industrySections）。列为本年实际、上年同期（填报说明2：请分年份填写两份）。")
    elif fid == "P4":
        s.append("本表（第%s页）在文本中整体缺失，仅存填报说明。全部%d行按主要指标解释（四）的顺序重建：每个编号指标和每个“——”子项依次取下一个两位代码，“——”子项的parent为其前面的编号指标；填报说明中的全部审核关系所引代码均与重建结果相符。表头列（%s）比照同组的公共2表、公共3表推定，为待国家数据局确认的假设；表头的制定机关、批准机关等亦按其他表推定。" % (pages, len(rebuilt), cn))
    elif fid == "I1":
        s.append("本表（第%s页）及其填报说明在文本中整体缺失，只有报表目录一行和主要指标解释（十三）。全部10行按主要指标解释的顺序重建，与企业2表产品数据情况01–10相同。表头列（%s）比照企业2表产品数据情况各行推定，为待国家数据局确认的假设；无填报说明，notes为空，表头（制定机关、批准机关、批准文号、有效期至）按其他表推定。" % (pages, cn))
    else:
        first_visible = min(visible)
        s.append("本表首页（表头及代码%s）在文本中缺失；续表（代码%s）可见，与按主要指标解释的顺序重建的编码逐行核对（代码、名称、计量单位、分节）一致，审核关系所引代码亦相符。缺失的代码%s按主要指标解释重建（rebuilt=true）：每个编号指标和每个“——”子项依次取下一个两位代码，“——”子项的parent为其前面的编号指标。" % (
            code_ranges(rebuilt), vis_range, code_ranges(rebuilt)))
        if fid in ("E2", "E3", "E5", "E6"):
            s.append("续表表头印有截至本年、本年实际、上年同期、下年预估四列，但续表每一行都以“---”关闭下年预估；这只有在缺失的首页开放下年预估时才说得通，因此重建行开放全部四列（%s），可见行按原表只开放前三列。这是待国家数据局确认的假设。" % cn)
        else:
            s.append("续表表头只有截至本年、本年实际、上年同期三列，重建行同样开放这三列（待确认）。")
        if head is None:
            s.append("表头（制定机关、批准机关、批准文号、有效期至）随首页缺失，按其他表推定。")
    if fid in ("E2", "E6", "I1"):
        s.append("02 31省销售量按省细分（provinces），只开放本年实际、上年同期；隐含规则%s-X01：01产品全国销售量应等于各省销售量之和（warning）。" % fid)
    return "".join(s)


def check_all(forms):
    total = 0
    for fid, f in forms.items():
        codes = [r["code"] for r in f["indicators"]]
        for rule in f["rules"]:
            for c in re.findall(r"\[(\d{2})(?:[@:][^\]]*)?\]", rule["expr"]):
                assert c in codes, (fid, rule)
            if rule["origin"] == "printed":
                total += 1
        ids = [r["id"] for r in f["rules"]]
        assert len(ids) == len(set(ids)), fid
        for r in f["indicators"]:
            assert r["columns"], (fid, r["code"])
            assert set(r["columns"]) <= set(f["columns"]) or f["kind"] == "grid", (fid, r["code"])
            w = r["aggregation"].get("weight")
            if w:
                for c in re.findall(r"\[(\d{2})\]", w):
                    assert c in codes, (fid, r["code"], w)
    assert total == 191, total
    # appliesTo as briefed
    def applies(fid, code):
        return next(r for r in forms[fid]["indicators"] if r["code"] == code).get("appliesTo")
    for k in range(1, 11):
        assert applies("E2", code2(k)) == "notTelecomOperator"
    for k in range(77, 92):
        assert applies("E2", code2(k)) == "telecomOperator"
    for k in range(70, 74):
        assert applies("E5", code2(k)) == "stateOwned"
    for k in range(74, 78):
        assert applies("E5", code2(k)) == "internetPlatform"
    for k in range(66, 70):
        assert applies("E6", code2(k)) == "stateOwned"
    n_applies = sum(1 for f in forms.values() for r in f["indicators"] if r.get("appliesTo"))
    assert n_applies == 10 + 15 + 4 + 4 + 4, n_applies


# --------------------------------------------------------------------------- seed-issues.md

def issues_md(forms, note_order):
    colnames = {"cum": "截至本年", "cur": "本年实际", "prev": "上年同期", "next": "下年预估"}
    out = []
    out.append("# 种子文本问题清单（seed issues）\n\n")
    out.append("本页由 `tools/catalog-bootstrap/extract_forms.py --issues-md docs/seed-issues.md` 生成，"
               "记录《全国数据资源统计调查制度》（国统制〔2026〕37号）PDF 转文本（"
               "`Tests/DRSCatalogTests/Fixtures/seed-2026.txt`）中 11 张数值表（公共2–5表、企业2–7表、行业1表）"
               "的缺页、重建方法、列的假设和原文不一致之处。原文的不一致一律**按原样保留**，"
               "写入各表 JSON 的 `seedIssues`，不作静默修正；标为“假设”的内容需向国家数据局确认。\n\n")
    out.append("## 总体情况\n\n")
    out.append("- **缺页**：公共3表首页、公共4表全部、企业2/3/5/6/7表首页、行业1表全部在转换中丢失。"
               "表头（制定机关、批准机关、批准文号、有效期至）随首页丢失的表，按可见表头（公共2、5表，企业4表）推定为"
               "国家数据局 / 国家统计局 / 国统制〔2026〕37号 / 2029年2月。\n"
               "- **重建规则**：指标代码是按主要指标解释（四）顺序连续编号的两位数，每个编号指标和每个“——”子项依次取下一个代码；"
               "“——”子项的 `parent` 是其前面的编号指标；分节标题（一、数据生产 …）给出 `section`，企业2表、企业6表的"
               "“产品数据情况”“企业数据情况”两部分写作 `产品数据情况/一、…`，“运营商企业”“国有企业”“互联网平台企业”"
               "重新从1编号但代码接续。注意：主要指标解释中的序号不等于代码（例如企业2表“12.数据存储总空间”是代码14）。\n"
               "- **核对**：所有可见表行（续表）与重建结果逐行核对代码、名称（忽略空白）、计量单位和分节，全部一致，"
               "仅 3 处名称不同（见下，记入 `printedName`）；191 条审核关系所引代码全部存在，按名称核对含义相符（企业5表17≥18比较“个”与“TB”，见下）。\n"
               "- **填报说明的位置**：公共3表的续表和填报说明紧接在公共2表填报说明之后，前面没有表名表号；"
               "公共4表的填报说明单独出现、前面没有表；行业1表没有填报说明。文本中的填报说明顺序为："
               + "、".join(note_order) + "。脚本凭填报说明第1项的内容识别其所属表。\n"
               "- **文本伪迹**（已清除，不算原文问题）：`**…**` 粗体标记、`_{…}` 下标、LaTeX（`$01 \\geq 02+03$`）、"
               "定义内的换行和分页（如“计量单\\n位：TB。”）、中文与英文/数字之间及中文之间的多余空格"
               "（名称统一取无空格形式，如“AI技术投入”“大模型Token消耗数量”“31省销售量”）。\n"
               "- **批准文号**：可见表头印作“国统制（2026）37号”（圆括号），目录统一写作“国统制〔2026〕37号”。\n\n")
    out.append("## 列的假设\n\n")
    out.append("| 表 | 表头列 | 说明 |\n| --- | --- | --- |\n")
    col_notes = {
        "P2": "表头可见。",
        "P3": "取自续表表头；重建行（01–30）同样开放三列（假设）。",
        "P4": "整表缺失，比照公共2表、公共3表推定（假设）。",
        "P5": "地区×指标表；按上年、本年分别填写（填报说明1）。",
        "E2": "续表表头印有下年预估，但续表每行都关闭它；重建行（01–25）开放四列（假设），可见行开放前三列。02 31省销售量只开放本年实际、上年同期。",
        "E3": "同企业2表：重建行（01–32）开放四列（假设），可见行开放前三列。",
        "E4": "行业门类×指标表；请分年份填写两份（填报说明2）。",
        "E5": "同企业2表：重建行（01–32）开放四列（假设），可见行开放前三列。",
        "E6": "同企业2表：重建行（01–25）开放四列（假设），可见行开放前三列；02只开放本年实际、上年同期。",
        "E7": "续表没有下年预估；重建行（01–31）开放三列（假设）。",
        "I1": "整表缺失，比照企业2表产品数据情况推定（假设）；02只开放本年实际、上年同期。",
    }
    for fid, f in forms.items():
        out.append("| %s %s | %s | %s |\n" % (f["tableNumber"], f["id"], "、".join(colnames[c] for c in f["columns"]),
                                             col_notes[fid]))
    out.append("\n")
    for fid, f in forms.items():
        out.append("## %s %s（%s）\n\n" % (f["tableNumber"], f["title"], fid))
        nrb = sum(1 for r in f["indicators"] if r.get("rebuilt"))
        out.append("- 来源：%s\n" % f["source"]["pages"])
        out.append("- 指标 %d 行（重建 %d 行），审核关系 %d 条（另有隐含规则 %d 条）\n" % (
            len(f["indicators"]), nrb, sum(1 for r in f["rules"] if r["origin"] == "printed"),
            sum(1 for r in f["rules"] if r["origin"] == "implied")))
        out.append("- 缺失与重建：%s\n" % f["source"]["how"])
        if f["seedIssues"]:
            out.append("- 原文问题：\n")
            for it in f["seedIssues"]:
                out.append("  - `%s` %s\n" % (it["ref"], it["issue"]))
        else:
            out.append("- 原文问题：无。\n")
        out.append("\n")
    return "".join(out)


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed")
    here = Path(__file__).resolve().parents[2]
    ap.add_argument("--out", default=str(here / "catalog/2026/forms"))
    ap.add_argument("--survey", default=None, help="survey.json (units); default: ../survey.json of --out")
    ap.add_argument("--issues-md", default=None, help="also write the seed-issues page here")
    a = ap.parse_args()
    out = Path(a.out)
    survey = Path(a.survey) if a.survey else out.parent / "survey.json"
    units = {u["id"] for u in json.loads(survey.read_text(encoding="utf-8"))["units"]}

    forms, mismatches, note_order = build(a.seed, units)
    out.mkdir(parents=True, exist_ok=True)
    for fid, f in forms.items():
        (out / ("%s.json" % fid)).write_text(json.dumps(f, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    if a.issues_md:
        Path(a.issues_md).write_text(issues_md(forms, note_order), encoding="utf-8")

    for fid, f in forms.items():
        n = len(f["indicators"])
        rb = sum(1 for r in f["indicators"] if r.get("rebuilt"))
        pr = sum(1 for r in f["rules"] if r["origin"] == "printed")
        im = len(f["rules"]) - pr
        print("%s %-8s rows %3d (rebuilt %3d)  rules %2d printed + %d implied  issues %d" % (
            fid, f["tableNumber"], n, rb, pr, im, len(f["seedIssues"])))
    print("printed rules total: %d" % sum(1 for f in forms.values() for r in f["rules"] if r["origin"] == "printed"))
    print("table/definition mismatches:")
    for m in mismatches:
        print("  %s %s %s: table %r, definition %r" % m)


if __name__ == "__main__":
    main()
