#!/usr/bin/env python3
"""Generates the XLSXReader test fixtures (committed; rerun only to change them):

    python3 Tests/XLSXReaderTests/Fixtures/make_fixtures.py

- inflate-cases.bin      raw DEFLATE streams made by zlib (many levels, strategies, window sizes,
                         flushes) with the length and CRC-32 of what they decode to
- openpyxl-features.xlsx a workbook written by openpyxl (DEFLATE; inline strings): Chinese sheet
                         names and text, hidden and very hidden sheets, formulas, dates, merges,
                         defined names, rich text
- openpyxl-shared.xlsx   the same workbook with its strings moved to xl/sharedStrings.xml the way
                         Excel writes them (rich-text runs, a phonetic run, _x000D_), re-zipped by
                         zipfile/zlib
- openpyxl-1904.xlsx     a workbook in the 1904 date system
- macro.xlsm             openpyxl-features.xlsx with xl/vbaProject.bin and the macroEnabled type
- bomb-60mb.xlsx         a valid workbook whose sheet inflates to 60 MB of white space (~60 KB)

Needs openpyxl (3.1). Output is deterministic (fixed timestamps, seeded data, sorted entries).
"""
import datetime
import io
import os
import random
import re
import struct
import zipfile
import zlib
import xml.etree.ElementTree as ET

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.workbook.defined_name import DefinedName

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = datetime.datetime(2026, 3, 31, 8, 0, 0)
ZIP_TIME = (2026, 3, 31, 8, 0, 0)


def path(name):
    return os.path.join(HERE, name)


# ---------------------------------------------------------------------------------------------
# Raw DEFLATE streams


def deflate(data, level=6, wbits=-15, mem_level=8, strategy=zlib.Z_DEFAULT_STRATEGY, flush_every=None, flush_mode=zlib.Z_SYNC_FLUSH):
    c = zlib.compressobj(level, zlib.DEFLATED, wbits, mem_level, strategy)
    out = bytearray()
    if flush_every:
        for k in range(0, len(data), flush_every):
            out += c.compress(data[k:k + flush_every])
            out += c.flush(flush_mode)
    else:
        out += c.compress(data)
    out += c.flush(zlib.Z_FINISH)
    return bytes(out)


def inflate_cases():
    rng = random.Random(20260331)
    lorem = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
             "et dolore magna aliqua. ").encode() * 900
    chinese = ("全国数据资源调查：数据资源总量、数据存储量、数据流通交易情况。单位：太字节（TB）。\n" * 2000).encode()
    random_bytes = bytes(rng.getrandbits(8) for _ in range(20_000))
    block = bytes(rng.getrandbits(8) for _ in range(2_000))
    far = block + lorem[:30_000] + block  # matches 32,000 bytes back
    sheet = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{rng.randrange(500)}</v></c><c r="B{r}" s="9"><v>{rng.randrange(10**9) / 100}</v></c>'
        f'<c r="C{r}"><f>B{r}*2</f><v>{rng.randrange(10**6)}</v></c></row>'
        for r in range(1, 1_001)).encode()
    small_alphabet = bytes(rng.choice(b"ab") for _ in range(50_000))
    cases = [
        ("empty", b"", {}),
        ("one byte", b"a", {}),
        ("hello fixed", b"hello, hello, hello world", {"strategy": zlib.Z_FIXED}),
        ("lorem level 1", lorem, {"level": 1}),
        ("lorem level 6", lorem, {}),
        ("lorem level 9", lorem, {"level": 9}),
        ("lorem fixed", lorem, {"strategy": zlib.Z_FIXED}),
        ("lorem huffman only", lorem[:30_000], {"strategy": zlib.Z_HUFFMAN_ONLY}),
        ("lorem rle", lorem[:30_000], {"strategy": zlib.Z_RLE}),
        ("lorem filtered", lorem, {"strategy": zlib.Z_FILTERED}),
        ("chinese level 9", chinese, {"level": 9}),
        ("random level 6", random_bytes, {}),
        ("random level 0 (stored)", random_bytes, {"level": 0}),
        ("lorem level 0 (stored)", lorem[:70_000], {"level": 0}),
        ("zeros 1 MB", bytes(1 << 20), {}),
        ("zeros rle", bytes(300_000), {"strategy": zlib.Z_RLE}),
        ("matches 32,000 bytes back", far, {"level": 9}),
        ("window 512 bytes", lorem + chinese, {"wbits": -9}),
        ("mem level 1", lorem + chinese, {"mem_level": 1}),
        ("sync flush every 1000", lorem, {"flush_every": 1000}),
        ("full flush every 7777", chinese, {"flush_every": 7777, "flush_mode": zlib.Z_FULL_FLUSH}),
        ("sheet xml level 6", sheet, {}),
        ("sheet xml level 1", sheet, {"level": 1}),
        ("two-letter alphabet", small_alphabet, {"level": 9}),
        ("all byte values", bytes(range(256)) * 64, {"level": 9}),
    ]
    out = bytearray(b"INFL")
    out += struct.pack("<I", len(cases))
    for name, data, options in cases:
        compressed = deflate(data, **options)
        assert zlib.decompress(compressed, -15) == data
        encoded = name.encode()
        out += struct.pack("<I", len(encoded)) + encoded
        out += struct.pack("<II", len(data), zlib.crc32(data))
        out += struct.pack("<I", len(compressed)) + compressed
    with open(path("inflate-cases.bin"), "wb") as f:
        f.write(out)


# ---------------------------------------------------------------------------------------------
# Workbooks


def features_workbook():
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "汇总表"
    ws["A1"] = "全国数据资源调查汇总表"
    ws.merge_cells("A1:D1")
    ws.append(["指标", "数值", "日期", "说明"])
    ws.append(["数据量（TB）", 1234.5, datetime.date(2025, 12, 31), "含 <特殊> & \"字符\" 'ok'"])
    ws.append(["单位数", 42, datetime.datetime(2026, 1, 2, 3, 4, 5), "  前后空格  "])
    ws.append(["比例", -0.125, datetime.time(13, 30), "第一行\n第二行"])
    ws.append(["合计", "=SUM(B3:B5)", None, True])
    ws["E3"] = False
    ws["F3"] = 1e-7
    ws["G3"] = 12345678901234
    ws["C3"].number_format = "yyyy-mm-dd"
    ws["C4"].number_format = 'yyyy"年"m"月"d"日" h:mm'
    ws["C5"].number_format = "h:mm:ss"
    ws["B3"].number_format = "#,##0.00"
    ws["B4"].number_format = "0.00%"
    ws["B5"].number_format = '[Red]0.00;[Blue]-0.00;"零"'
    ws["H2"] = CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗"), "结尾"])
    ws["AA100"] = "远处的单元格"
    ws.merge_cells("A7:B8")
    ws["A7"] = "合并区域"

    hidden = wb.create_sheet("隐藏表")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "drs"
    hidden["B1"] = "v1"

    very = wb.create_sheet("深度隐藏")
    very.sheet_state = "veryHidden"
    very["A1"] = 1

    data = wb.create_sheet("Data 2025 & more")
    data["A1"] = "=汇总表!B3*2"
    data["A2"] = "=IF(A1>0,\"正\",\"负\")"
    data["B1"] = datetime.date(1900, 3, 1)

    wb.defined_names["数据区"] = DefinedName("数据区", attr_text="'汇总表'!$A$3:$D$6")
    wb.defined_names["_drs_version"] = DefinedName("_drs_version", attr_text="'隐藏表'!$B$1")
    ws.defined_names["本表局部"] = DefinedName("本表局部", attr_text="'汇总表'!$B$3")
    return wb


def save(wb, name):
    buffer = io.BytesIO()
    wb.save(buffer)
    return rezip(buffer.getvalue(), name)


def rezip(data, name, transform=None):
    """Rewrites the ZIP deterministically (fixed times, sorted entries), optionally changing parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    if transform:
        parts = transform(parts)
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_DEFLATED) as z:
        for part_name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(part_name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[part_name])
    with open(path(name), "rb") as f:
        return f.read()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def to_shared_strings(parts):
    """Moves inline strings to a shared-string table, as Excel writes workbooks."""
    ET.register_namespace("", MAIN)
    table, index = [], {}

    def key_of(si):
        return ET.tostring(si)

    for name in sorted(n for n in parts if n.startswith("xl/worksheets/sheet")):
        root = ET.fromstring(parts[name])
        for c in root.iter(f"{{{MAIN}}}c"):
            if c.get("t") != "inlineStr":
                continue
            inline = c.find(f"{{{MAIN}}}is")
            si = ET.Element(f"{{{MAIN}}}si")
            for child in list(inline):
                si.append(child)
            k = key_of(si)
            if k not in index:
                index[k] = len(table)
                table.append(si)
            c.remove(inline)
            c.set("t", "s")
            v = ET.SubElement(c, f"{{{MAIN}}}v")
            v.text = str(index[k])
        parts[name] = ET.tostring(root, xml_declaration=True, encoding="UTF-8")

    # Excel's habits: a phonetic run after the text, _x000D_ for a carriage return, xml:space.
    extra = [
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>',
        '<si><t xml:space="preserve">回车_x000D_换行 _x005F_x0041_ 与 &#x4E2D;&#25991;</t></si>',
    ]
    sst = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="{len(table) + 2}" uniqueCount="{len(table) + 2}">'
    body = "".join(ET.tostring(si, encoding="unicode").replace(f' xmlns="{MAIN}"', "") for si in table)
    sst += body + "".join(extra) + "</sst>"
    parts["xl/sharedStrings.xml"] = sst.encode()

    # Two cells using the extra strings, on the first sheet.
    first = parts["xl/worksheets/sheet1.xml"].decode()
    n = len(table)
    first = first.replace("</sheetData>",
                          f'<row r="200"><c r="A200" t="s"><v>{n}</v></c><c r="B200" t="s"><v>{n + 1}</v></c></row></sheetData>')
    parts["xl/worksheets/sheet1.xml"] = first.encode()

    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>",
                          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    return parts


def to_macro(parts):
    parts["xl/vbaProject.bin"] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504)
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        '<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    return parts


def to_bomb(parts):
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    padding = " " * (60 << 20)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<sheetData>", "<sheetData>" + padding, 1).encode()
    return parts


def main():
    inflate_cases()
    features = save(features_workbook(), "openpyxl-features.xlsx")
    rezip(features, "openpyxl-shared.xlsx", to_shared_strings)
    rezip(features, "macro.xlsm", to_macro)

    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active.title = "1904"
    wb.active["A1"] = datetime.date(2026, 3, 31)
    wb.active["A1"].number_format = "yyyy-mm-dd"
    save(wb, "openpyxl-1904.xlsx")

    small = openpyxl.Workbook()
    small.properties.created = FIXED_TIME
    small.properties.modified = FIXED_TIME
    small.active["A1"] = "ok"
    buffer = io.BytesIO()
    small.save(buffer)
    rezip(buffer.getvalue(), "bomb-60mb.xlsx", to_bomb)

    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".py"):
            print(f"{name:28} {os.path.getsize(path(name)):>9,} bytes")


if __name__ == "__main__":
    main()
