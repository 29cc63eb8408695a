#!/usr/bin/env python3
"""Extract the appendix lists (五、附录 （一）–（六）) of the 2026 seed into catalog/2026/registry/*.json.

Usage: python3 tools/catalog-bootstrap/registry_extract.py <seed.txt> [<catalog/2026 dir>]

The seed prints each appendix as tab-separated rows holding two entries each
(序号 机构名称 所在区域 序号 机构名称 所在区域), with the header line repeated after page breaks.
regionCode is looked up in codelists/provinces.json by the printed region name.
"""
import json
import os
import re
import sys

APPENDICES = {
    # numeral: (file id, respondentType, expected count)
    "一": ("nationalLabs", "researchInstitute", 10),
    "二": ("genaiResearchInstitutes", "researchInstitute", 15),
    "三": ("scienceDataCenters", "scienceDataCenter", 20),
    "四": ("centralEnterprises", "centralEnterprise", 134),
    "五": ("genaiEnterprises", "dataTechEnterprise", 452),
    "六": ("industryAssociations", "industryAssociation", 39),
}

# 企业2表 填报说明 3: the operators that fill the 运营商企业 rows, as named in the note
TELECOM_NOTE_NAMES = [
    "中国移动通信集团有限公司",
    "中国电信集团有限公司",
    "中国联合网络通信集团有限公司",
    "中国卫星网络集团有限公司",
    "中国广播电视网络有限公司",
]
# names of the note that are not in 附录（四） verbatim -> the entry they are matched to
TELECOM_NOTE_MATCH = {"中国广播电视网络有限公司": "中国广播电视网络集团有限公司"}

HEADING = re.compile(r"^[(（]\s*([一二三四五六七八九十]+)\s*[)）]\s*(\S.*?)\s*$")
HEADER_ROW = ["序号", "机构名称", "所在区域"]


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def parse(seed_text):
    lines = seed_text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "五、附录")
    lists, current = {}, None
    for lineno, raw in enumerate(lines[start + 1:], start + 2):
        line = raw.strip()
        if not line:
            continue
        m = HEADING.match(line)
        if m and "\t" not in line:
            numeral, title = m.group(1), m.group(2)
            if numeral not in APPENDICES:   # （七） and later: not name lists
                break
            current = numeral
            lists[current] = {"title": title, "heading": line, "entries": []}
            continue
        if current is None:
            raise ValueError(f"line {lineno}: text before the first appendix heading: {line!r}")
        cells = [norm(c) for c in raw.split("\t")]
        while cells and cells[-1] == "":
            cells.pop()
        if cells == HEADER_ROW * 2:
            continue
        if len(cells) not in (3, 6):
            raise ValueError(f"line {lineno}: expected 3 or 6 cells, got {cells!r}")
        for k in range(0, len(cells), 3):
            seq, name, region = cells[k:k + 3]
            if not seq.isdigit() or not name or not region:
                raise ValueError(f"line {lineno}: bad entry {cells[k:k + 3]!r}")
            lists[current]["entries"].append(
                {"seq": int(seq), "name": name, "region": region, "line": lineno})
    return lists


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    seed = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    catalog = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "..", "catalog", "2026")
    with open(os.path.join(catalog, "codelists", "provinces.json"), encoding="utf-8") as f:
        province_code = {m["name"]: m["code"] for m in json.load(f)["members"]}
    with open(seed, encoding="utf-8") as f:
        lists = parse(f.read())

    assert sorted(lists) == sorted(APPENDICES), f"appendices found: {sorted(lists)}"
    out = {}
    for numeral, (fid, rtype, expected) in APPENDICES.items():
        entries = sorted(lists[numeral]["entries"], key=lambda e: e["seq"])
        seqs = [e["seq"] for e in entries]
        assert len(entries) == expected, f"{fid}: {len(entries)} entries, expected {expected}"
        assert seqs == list(range(1, expected + 1)), f"{fid}: seq numbers are not 1..{expected}"
        members = []
        for e in entries:
            assert e["region"] in province_code, f"{fid} {e['seq']}: unknown region {e['region']!r}"
            members.append({"seq": e["seq"], "name": e["name"], "region": e["region"],
                            "regionCode": province_code[e["region"]]})
        out[fid] = {"id": fid, "name": lists[numeral]["title"], "appendix": f"附录（{numeral}）",
                    "respondentType": rtype, "members": members, "seedIssues": []}

    # --- central enterprises: stateOwned for all; telecom operators per 企业2表 填报说明 3
    ce = out["centralEnterprises"]
    by_name = {m["name"]: m for m in ce["members"]}
    for m in ce["members"]:
        m["flags"] = ["stateOwned"]
    for note_name in TELECOM_NOTE_NAMES:
        target = TELECOM_NOTE_MATCH.get(note_name, note_name)
        assert target in by_name, f"telecom operator {note_name!r} not found in 附录（四）"
        assert (note_name in by_name) == (note_name == target)
        m = by_name[target]
        m["flags"].insert(0, "telecomOperator")
        if note_name != target:
            m["note"] = (f"企业2表填报说明3所列“{note_name}”未见于本名单，按其现名对应本条（{target}）；"
                         f"名单另有101 中国广电网络股份有限公司（同一集团的运营主体），未作运营商标记。")
    assert sum("telecomOperator" in m["flags"] for m in ce["members"]) == 5

    add_seed_issues(out, province_code)

    os.makedirs(os.path.join(catalog, "registry"), exist_ok=True)
    for fid, obj in out.items():
        if not obj["seedIssues"]:
            del obj["seedIssues"]
        else:   # keep seedIssues after members, for readability
            obj["seedIssues"] = obj.pop("seedIssues")
        path = os.path.join(catalog, "registry", fid + ".json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
        print(f"{fid:26s} {obj['appendix']} {len(obj['members']):4d}  {path}")


def member(out, fid, seq):
    m = out[fid]["members"][seq - 1]
    assert m["seq"] == seq
    return m


def add_seed_issues(out, province_code):
    """Oddities of the printed lists. Each check asserts the text it talks about, so a corrected
    seed makes the script fail here rather than keep a stale remark."""
    def expect(fid, seq, name, region=None):
        m = member(out, fid, seq)
        assert m["name"] == name, (fid, seq, m["name"], name)
        assert region is None or m["region"] == region, (fid, seq, m["region"], region)

    # -- the same organisation in two lists (exact names), found mechanically
    seen = {}
    for fid, obj in out.items():
        for m in obj["members"]:
            seen.setdefault(m["name"], []).append((fid, obj["appendix"], m["seq"]))
    for name, where in seen.items():
        if len(where) > 1:
            txt = "、".join(f"{a}第{s}号" for _, a, s in where)
            for fid in {w[0] for w in where}:
                out[fid]["seedIssues"].append(
                    f"“{name}”同时列于{txt}：同一单位出现在两份名单中，登记时应只建一个单位，"
                    f"并分别记其两种调查对象身份（{'、'.join(out[w[0]]['respondentType'] for w in where)}），避免重复统计。")

    # -- 昆仑万维: listed twice in 附录（五） under two names
    expect("genaiEnterprises", 7, "昆仑万维科技股份有限公司", "北京市")
    expect("genaiEnterprises", 84, "北京昆仑万维科技股份有限公司", "北京市")
    out["genaiEnterprises"]["seedIssues"].append(
        "第7号“昆仑万维科技股份有限公司”与第84号“北京昆仑万维科技股份有限公司”疑为同一企业（名称仅差“北京”前缀，可能是同一公司更名前后的名称），"
        "应以统一社会信用代码核实后只登记一次。")

    # -- 中国广电: two entries of one group in 附录（四）, and the 企业2表 note uses a third name
    expect("centralEnterprises", 101, "中国广电网络股份有限公司")
    expect("centralEnterprises", 108, "中国广播电视网络集团有限公司")
    out["centralEnterprises"]["seedIssues"].append(
        "企业2表填报说明3的运营商“中国广播电视网络有限公司”不在本名单中；本名单有第108号“中国广播电视网络集团有限公司”"
        "（疑为说明所用名称的现名）和第101号“中国广电网络股份有限公司”（该集团控股的运营主体）。按说明将第108号标为运营商；"
        "第101号与第108号属同一集团，集团汇总时应避免重复。")

    # -- entries that are not a single company name
    expect("centralEnterprises", 109, "国家烟草专卖局/中国烟草总公司")
    out["centralEnterprises"]["seedIssues"].append(
        "第109号“国家烟草专卖局/中国烟草总公司”是政企合一的两个名称，以“/”连写，不是单一单位名称。")
    expect("centralEnterprises", 53, "中国旅游集团有限公司[香港中旅（集团）有限公司]", "海南省")
    out["centralEnterprises"]["seedIssues"].append(
        "第53号“中国旅游集团有限公司[香港中旅（集团）有限公司]”在方括号内附带别名；所在区域印为海南省，而名称中的别名指向香港。")

    # -- names that look outdated or misprinted
    expect("centralEnterprises", 124, "中国华融资产管理股份有限公司")
    out["centralEnterprises"]["seedIssues"].append(
        "第124号“中国华融资产管理股份有限公司”已于2024年更名为“中国中信金融资产管理股份有限公司”，并由第103号中国中信集团有限公司控股；"
        "名单沿用旧名，需核实是否单独报送。")
    expect("centralEnterprises", 133, "中国建投投资有限责任公司")
    out["centralEnterprises"]["seedIssues"].append(
        "第133号“中国建投投资有限责任公司”疑为“中国建银投资有限责任公司”（简称“中国建投”）之误，需核实。")

    # -- regions that differ from where the usual head office is (雄安新区 relocations are in 河北省)
    hebei = [(17, "中国华能集团有限公司"), (27, "中国卫星网络集团有限公司"),
             (28, "中国电子信息产业集团有限公司"), (37, "中国矿产资源集团有限公司"),
             (43, "中国中化控股有限责任公司")]
    for s, n in hebei:
        expect("centralEnterprises", s, n, "河北省")
    out["centralEnterprises"]["seedIssues"].append(
        "第17、27、28、37、43号（中国华能、中国星网、中国电子、中国矿产资源、中国中化）所在区域印为河北省，"
        "可能因总部迁驻或注册于雄安新区；并非错误，regionCode按印刷取130000。")
    expect("centralEnterprises", 51, "招商局集团有限公司", "北京市")
    expect("centralEnterprises", 52, "华润（集团）有限公司", "广东省")
    out["centralEnterprises"]["seedIssues"].append(
        "第51号招商局集团有限公司、第52号华润（集团）有限公司总部在香港，所在区域分别印为北京市、广东省（境内所在地），按印刷保留。")
    expect("centralEnterprises", 84, "中国冶金地质总局")
    expect("centralEnterprises", 85, "中国煤炭地质总局")
    out["centralEnterprises"]["seedIssues"].append(
        "第84号中国冶金地质总局、第85号中国煤炭地质总局名称为“总局”，不是公司名称，登记时机构类型需另行核实。")

    # -- units of 附录（二）/（五） that belong to central-enterprise groups of 附录（四）
    overlaps = [
        ("genaiResearchInstitutes", 2, "中国电力科学研究院", "国家电网有限公司"),
        ("genaiResearchInstitutes", 4, "煤炭科学研究总院有限公司", "中国煤炭科工集团有限公司"),
        ("genaiResearchInstitutes", 6, "中国电信股份有限公司人工智能研究院（上海）", "中国电信集团有限公司"),
        ("genaiEnterprises", 247, "天翼安全科技有限公司", "中国电信集团有限公司"),
        ("genaiEnterprises", 311, "国投智能（厦门）信息股份有限公司", "国家开发投资集团有限公司"),
    ]
    ce_names = {m["name"] for m in out["centralEnterprises"]["members"]}
    for fid, s, n, parent in overlaps:
        expect(fid, s, n)
        assert parent in ce_names
        out[fid]["seedIssues"].append(
            f"第{s}号“{n}”属于附录（四）中央企业“{parent}”集团；中央企业总部汇总各子公司数据报送企业2表，"
            f"本单位若再单独报送，汇总时需防止重复计算。")
    expect("genaiResearchInstitutes", 15, "沪渝人工智能研究院", "重庆市")
    out["genaiResearchInstitutes"]["seedIssues"].append(
        "第15号“沪渝人工智能研究院”名称含“沪”，所在区域为重庆市（该院位于重庆两江新区），按印刷保留。")

    # -- printed spacing / bracket styles worth knowing
    spaced = [(fid, m["seq"], m["name"]) for fid, obj in out.items() for m in obj["members"] if " " in m["name"]]
    if spaced:
        for fid in {s[0] for s in spaced}:
            out[fid]["seedIssues"].append(
                "名称中含空格，按印刷保留（连续空白已合并为一个空格）：" +
                "；".join(f"第{s}号“{n}”" for f, s, n in spaced if f == fid) + "。")
    for fid, obj in out.items():
        for m in obj["members"]:
            if re.search(r"[()]", m["name"]):
                obj["seedIssues"].append(f"第{m['seq']}号“{m['name']}”使用半角括号，与其他名称的全角括号不一致。")

    # -- a name containing a province/city that is not the printed region
    city_province = {
        "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "河北": "河北省", "唐山": "河北省",
        "山西": "山西省", "辽宁": "辽宁省", "大连": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省", "哈尔滨": "黑龙江省",
        "江苏": "江苏省", "南京": "江苏省", "苏州": "江苏省", "无锡": "江苏省", "宿迁": "江苏省", "太仓": "江苏省",
        "浙江": "浙江省", "杭州": "浙江省", "宁波": "浙江省", "德清": "浙江省", "安徽": "安徽省", "合肥": "安徽省",
        "芜湖": "安徽省", "福建": "福建省", "厦门": "福建省", "江西": "江西省", "山东": "山东省", "青岛": "山东省",
        "河南": "河南省", "郑州": "河南省", "湖北": "湖北省", "武汉": "湖北省", "湖南": "湖南省", "广东": "广东省",
        "广州": "广东省", "深圳": "广东省", "珠海": "广东省", "横琴": "广东省", "广西": "广西壮族自治区",
        "海南": "海南省", "四川": "四川省", "成都": "四川省", "贵州": "贵州省", "贵阳": "贵州省", "云南": "云南省",
        "昆明": "云南省", "玉溪": "云南省", "陕西": "陕西省", "西安": "陕西省", "甘肃": "甘肃省", "宁夏": "宁夏回族自治区",
    }
    for fid, obj in out.items():
        for m in obj["members"]:
            hits = {p for c, p in city_province.items() if c in m["name"]}
            if hits and m["region"] not in hits:
                obj["seedIssues"].append(
                    f"第{m['seq']}号“{m['name']}”名称所含地名指向{'、'.join(sorted(hits))}，所在区域印为{m['region']}。")


if __name__ == "__main__":
    main()
