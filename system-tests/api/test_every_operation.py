"""Every operation of openapi.json called against `drs serve --demo`, with its main success and error
answers, as the demo accounts would call them. Each response is validated against the document by
openapi-core (system-tests/openapi_responses.py, installed by system-tests/conftest.py): a body, status or header
the document does not describe fails the test that received it. The tests here also assert the
statuses themselves, and the last one checks that every documented operation was exercised.

The tests share one server and run in file order (filing before review before consolidation).
"""
import csv
import io
import json
import time

import pytest
import requests
from demo_server import PASSWORD, session
from openapi_responses import load_document

YEAR = 2026
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METHODS = ("get", "put", "post", "delete", "patch")
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(region, n):
    """A valid 统一社会信用代码 (GB 32100, with its GB 11714 organisation check), as in system-tests/exchange."""
    chars = list("91" + region + f"{n:08d}" + "0")
    org = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(chars[8:16], [3, 7, 9, 10, 5, 8, 4, 2]))
    check = 11 - org % 11
    chars[16] = "X" if check == 10 else ("0" if check == 11 else str(check))
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(ALPHABET.index(c) * w for c, w in zip(chars, weights))
    return "".join(chars) + ALPHABET[(31 - total % 31) % 31]


@pytest.fixture(scope="module")
def api(server):
    """Logged-in sessions of the demo accounts the walk needs, and their units' ids."""
    base = server["base"]
    accounts = {}
    for name in ("admin", "beijing-data", "guangdong-data", "review-beijing", "review-guangdong", "cmcc-hq", "cmcc-gd",
                 "cmcc-sh", "tech"):
        accounts[name] = session(base, name)
    return {"base": base, "s": {k: v[0] for k, v in accounts.items()}, "unit": {k: v[1] for k, v in accounts.items()}}


def submission_path(api, account, form):
    return f"{api['base']}/api/v1/units/{api['unit'][account]}/submissions/{YEAR}/{form}"


def credit_code_of(api, account):
    return api["s"][account].get(f"{api['base']}/api/v1/me").json()["unit"]["creditCode"]


def error_code(r):
    return r.json()["error"]["code"]


def fill_cleanly(s, path):
    """Last year's verified figures (上年同期 = last year's 本年实际) pass every rule; saved as a draft."""
    detail = s.get(path).json()
    values = detail["lastYear"]
    for row in values.values():
        if "cur" in row:
            row["prev"] = row["cur"]
        else:
            row.pop("prev", None)
    r = s.put(path, json={"version": detail["submission"]["version"], "values": values})
    assert r.status_code == 200, r.text
    assert r.json()["report"]["errors"] == [], r.text
    return r.json()


def explain_warnings(s, path):
    """An explanation for every warning that needs one."""
    detail = s.get(path).json()
    explanations = {}
    for w in detail["report"]["warnings"]:
        if w.get("needsExplanation") and w.get("cells"):
            explanations[w["cells"][0]["code"]] = "口径调整，已核实"
    if explanations:
        r = s.put(path, json={"version": detail["submission"]["version"], "values": detail["submission"]["values"],
                              "explanations": explanations})
        assert r.status_code == 200, r.text


def current_version(s, path):
    return s.get(path).json()["submission"]["version"]


def submit_cleanly(s, path):
    fill_cleanly(s, path)
    explain_warnings(s, path)
    r = s.post(path + "/submit", json={"version": current_version(s, path)})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted"
    return r


def documented_operations():
    document = load_document()
    return sorted((m.upper(), p) for p, item in document["paths"].items() for m in item if m in METHODS)


def concrete(api, path):
    """A documented path template with ids the demo has (Beijing's unit, P2, this year)."""
    return (api["base"] + path.replace("{unitID}", api["unit"]["beijing-data"]).replace("{year}", str(YEAR))
            .replace("{formID}", "P2").replace("{jobID}", ZERO_UUID))


# ——— Without a session, every operation but the open ones answers 401 ———

OPEN = {("POST", "/api/v1/session"), ("GET", "/api/v1/openapi.json"), ("GET", "/healthz")}


@pytest.mark.parametrize("method,path", documented_operations())
def test_without_a_session_every_protected_operation_answers_401(api, method, path):
    r = requests.request(method, concrete(api, path), json={} if method != "GET" else None)
    if (method, path) in OPEN:
        assert r.status_code != 401
    else:
        assert r.status_code == 401, r.text
        assert error_code(r) == "unauthenticated"


@pytest.mark.parametrize("method,path", [(m, p) for m, p in documented_operations() if m != "GET"])
def test_with_a_session_cookie_but_no_csrf_token_every_state_change_answers_403(api, method, path):
    r = requests.request(method, concrete(api, path), cookies=api["s"]["admin"].cookies, json={})
    assert r.status_code == 403, r.text
    assert error_code(r) == "csrf"


# ——— Session, account, password ———

def test_login_answers_the_account_and_refuses_bad_input(api):
    base = api["base"]
    r = requests.post(f"{base}/api/v1/session", json={"username": "beijing-data", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["unit"]["id"] == api["unit"]["beijing-data"]
    r = requests.post(f"{base}/api/v1/session", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["unit"] is None and r.json()["regionCode"] is None
    r = requests.post(f"{base}/api/v1/session", json={"username": "beijing-data", "password": "wrong-password"})
    assert r.status_code == 401 and error_code(r) == "bad_credentials"
    r = requests.post(f"{base}/api/v1/session", json={"username": "nobody-here", "password": "x"})
    assert r.status_code == 401 and error_code(r) == "bad_credentials"
    r = requests.post(f"{base}/api/v1/session", json={"username": "beijing-data"})
    assert r.status_code == 400 and error_code(r) == "malformed_body"
    r = requests.post(f"{base}/api/v1/session", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "malformed_json", r.text
    r = requests.post(f"{base}/api/v1/session", data="username=admin", headers={"Content-Type": "application/xml"})
    assert r.status_code == 415, r.text


def test_login_with_a_session_cookie_needs_the_csrf_token(api):
    s = requests.Session()
    s.cookies.update(api["s"]["tech"].cookies)
    r = s.post(f"{api['base']}/api/v1/session", json={"username": "tech", "password": PASSWORD})
    assert r.status_code == 403 and error_code(r) == "csrf"


def test_too_many_failed_logins_are_throttled(api):
    base = api["base"]
    for _ in range(5):
        r = requests.post(f"{base}/api/v1/session", json={"username": "space", "password": "wrong-password"})
        assert r.status_code == 401
    r = requests.post(f"{base}/api/v1/session", json={"username": "space", "password": PASSWORD})
    assert r.status_code == 429 and error_code(r) == "throttled", r.text
    assert int(r.headers["Retry-After"]) > 0


def test_me_and_logout(api):
    s, _ = session(api["base"], "shanghai-data")
    r = s.get(f"{api['base']}/api/v1/me")
    assert r.status_code == 200 and r.json()["username"] == "shanghai-data"
    r = requests.delete(f"{api['base']}/api/v1/session", cookies=s.cookies)
    assert r.status_code == 403 and error_code(r) == "csrf"
    r = s.delete(f"{api['base']}/api/v1/session")
    assert r.status_code == 204
    assert s.get(f"{api['base']}/api/v1/me").status_code == 401


def test_changing_the_password(api):
    base = api["base"]
    s, _ = session(base, "lab")
    url = f"{base}/api/v1/password"
    r = s.post(url, json={"currentPassword": "wrong-one", "newPassword": "Better2026x"})
    assert r.status_code == 422 and error_code(r) == "bad_password"
    r = s.post(url, json={"currentPassword": PASSWORD, "newPassword": "short1"})
    assert r.status_code == 422 and error_code(r) == "weak_password"
    r = s.post(url, json={"currentPassword": PASSWORD})
    assert r.status_code == 400 and error_code(r) == "malformed_body"
    r = s.post(url, data="x", headers={"Content-Type": "application/xml"})
    assert r.status_code == 415, r.text
    r = requests.post(url, cookies=s.cookies, json={"currentPassword": PASSWORD, "newPassword": "Better2026x"})
    assert r.status_code == 403 and error_code(r) == "csrf"
    r = s.post(url, json={"currentPassword": PASSWORD, "newPassword": "Better2026x"})
    assert r.status_code == 204, r.text
    r = s.post(url, json={"currentPassword": "Better2026x", "newPassword": "Another2026zz"})
    assert r.status_code == 204, r.text


# ——— Filing ———

def test_forms_of_my_unit_and_of_a_unit(api):
    base, s = api["base"], api["s"]["beijing-data"]
    r = s.get(f"{base}/api/v1/my/forms")
    assert r.status_code == 200 and [f["form"] for f in r.json()["forms"]] == ["P1", "P2"]
    assert s.get(f"{base}/api/v1/my/forms", params={"year": YEAR - 1}).status_code == 200
    unit = api["unit"]["beijing-data"]
    assert s.get(f"{base}/api/v1/units/{unit}/forms/{YEAR}").status_code == 200
    r = s.get(f"{base}/api/v1/units/{unit}/forms/abc")
    assert r.status_code == 400 and error_code(r) == "bad_year"
    r = s.get(f"{base}/api/v1/units/{api['unit']['guangdong-data']}/forms/{YEAR}")
    assert r.status_code == 404 and error_code(r) == "not_found"
    r = s.get(f"{base}/api/v1/units/not-a-uuid/forms/{YEAR}")
    assert r.status_code == 404
    r = api["s"]["admin"].get(f"{base}/api/v1/my/forms")
    assert r.status_code == 200


def test_reading_a_submission(api):
    s = api["s"]["beijing-data"]
    for form in ("P1", "P2"):
        r = s.get(submission_path(api, "beijing-data", form))
        assert r.status_code == 200, r.text
    assert s.get(submission_path(api, "beijing-data", "E5")).status_code == 404
    assert s.get(submission_path(api, "beijing-data", "P2").replace(f"/{YEAR}/", "/abc/")).status_code == 400
    assert s.get(submission_path(api, "beijing-data", "P2").replace(f"/{YEAR}/", "/1990/")).status_code == 404
    assert s.get(submission_path(api, "guangdong-data", "P2")).status_code == 404


def test_saving_checking_and_submitting(api):
    s = api["s"]["beijing-data"]
    path = submission_path(api, "beijing-data", "P2")
    r = s.post(path + "/check", json={"values": {"01": {"cum": "100"}, "02": {"cum": "80"}, "03": {"cum": "50"}}})
    assert r.status_code == 200 and r.json()["report"]["errors"], r.text
    r = s.post(path + "/check", json={})
    assert r.status_code == 200, r.text
    r = s.post(path + "/check", json={"values": {"01": {"cum": "abc"}}})
    assert r.status_code == 422 and error_code(r) == "invalid_input"
    r = s.post(path + "/check", data="{oops", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "malformed_json"

    version = current_version(s, path)
    r = s.put(path, json={"version": version, "values": {"01": {"cum": "100"}, "02": {"cum": "80"}, "03": {"cum": "50"}}})
    assert r.status_code == 200 and r.json()["report"]["errors"], r.text
    r = s.put(path, json={"version": version, "values": {"01": {"cum": "7"}}})
    assert r.status_code == 409 and error_code(r) == "version_conflict", r.text
    r = s.put(path, json={"values": {"01": {"cum": "7"}}})
    assert r.status_code == 422 and error_code(r) == "missing_version"
    r = s.put(path, json={"version": version + 1, "values": {"01": {"cum": "1 2 3"}}})
    assert r.status_code == 422 and error_code(r) == "invalid_input"
    r = s.put(path, data="", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "empty_body"
    r = s.put(path, data="[1]", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_code(r) == "malformed_body"
    r = s.put(path, data="{" + "\"x\":1," * 400_000 + "\"y\":1}", headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    r = requests.put(path, cookies=s.cookies, json={"version": version + 1})
    assert r.status_code == 403 and error_code(r) == "csrf"

    r = s.post(path + "/submit", json={"version": version + 1})
    assert r.status_code == 422 and error_code(r) == "has_errors"
    r = s.post(path + "/submit", json={})
    assert r.status_code in (400, 422), r.text
    r = s.post(path + "/submit", data="v", headers={"Content-Type": "application/xml"})
    assert r.status_code == 415, r.text
    r = s.post(submission_path(api, "tech", "E5") + "/submit", json={"version": 0})
    assert r.status_code == 404
    r = api["s"]["tech"].post(submission_path(api, "tech", "E5") + "/submit", json={"version": 0})
    assert r.status_code == 422 and error_code(r) == "not_started"

    submit_cleanly(s, path)
    r = s.put(path, json={"version": current_version(s, path), "values": {"01": {"cum": "1"}}})
    assert r.status_code == 409 and error_code(r) == "not_editable"
    r = s.post(path + "/submit", json={"version": current_version(s, path)})
    assert r.status_code == 409, r.text

    r = s.get(path + "/history")
    assert r.status_code == 200 and r.json()["events"]
    assert s.get(submission_path(api, "guangdong-data", "P2") + "/history").status_code == 404


def test_basic_information_answers(api):
    s = api["s"]["beijing-data"]
    path = submission_path(api, "beijing-data", "P1")
    detail = s.get(path).json()
    r = s.put(path, json={"version": detail["submission"]["version"], "answers": detail["submission"].get("answers") or {}})
    assert r.status_code == 200, r.text


def test_excel_template_and_upload(api):
    s = api["s"]["guangdong-data"]
    path = submission_path(api, "guangdong-data", "P2")
    r = s.get(path + "/template")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(XLSX)
    assert s.get(submission_path(api, "beijing-data", "P2") + "/template").status_code == 404
    r = s.post(path + "/upload", data=r.content, headers={"Content-Type": XLSX})
    assert r.status_code == 200, r.text
    r = s.post(path + "/upload", data=b"PK\x03\x04 not really a workbook", headers={"Content-Type": XLSX})
    assert r.status_code == 422 and error_code(r) == "unusable_file", r.text
    rows = [["表号", "指标代码", "栏目", "数值", "年份", "统一社会信用代码"],
            ["公共2表", "01", "截至本年", "1000", str(YEAR), credit_code_of(api, "guangdong-data")]]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    r = s.post(path + "/upload", data=text.getvalue().encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 422), r.text


# ——— Review ———

def test_review_queue_detail_and_actions(api):
    base = api["base"]
    reviewer, admin, filer = api["s"]["review-beijing"], api["s"]["admin"], api["s"]["beijing-data"]
    path = submission_path(api, "beijing-data", "P2")

    r = reviewer.get(f"{base}/api/v1/review/queue", params={"year": YEAR, "status": "submitted"})
    assert r.status_code == 200 and r.json()["items"], r.text
    for params in ({"status": "nonsense"}, {"form": "X9"}, {"type": "nonsense"}, {"flag": "nonsense"}):
        r = reviewer.get(f"{base}/api/v1/review/queue", params=params)
        assert r.status_code == 400, (params, r.text)
    assert reviewer.get(f"{base}/api/v1/review/queue", params={"year": 1990}).status_code == 404
    assert filer.get(f"{base}/api/v1/review/queue").status_code == 403
    assert admin.get(f"{base}/api/v1/review/queue", params={"flag": "errors"}).status_code == 200

    r = reviewer.get(path + "/review")
    assert r.status_code == 200 and "approve" in r.json()["actions"], r.text
    assert api["s"]["review-guangdong"].get(path + "/review").status_code == 404

    v = current_version(reviewer, path)
    r = reviewer.post(path + "/return", json={"version": v, "reason": "  "})
    assert r.status_code == 422 and error_code(r) == "reason_required"
    r = reviewer.post(path + "/return", json={"version": v, "reason": "长" * 1001})
    assert r.status_code == 422 and error_code(r) == "reason_too_long"
    r = reviewer.post(path + "/approve", json={})
    assert r.status_code in (400, 422), r.text
    r = reviewer.post(path + "/approve", json={"version": v - 1})
    assert r.status_code == 409, r.text
    r = reviewer.post(path + "/return", json={"version": v - 1, "reason": "请核实数据生产总量"})
    assert r.status_code == 409 and error_code(r) == "version_conflict", r.text
    r = reviewer.post(path + "/return", json={"version": v, "reason": "请核实数据生产总量"})
    assert r.status_code == 200 and r.json()["status"] == "returned", r.text

    # Fixed and resubmitted: approved by the province, verified and reopened by the national office.
    r = filer.post(path + "/submit", json={"version": current_version(filer, path)})
    assert r.status_code == 200, r.text
    r = reviewer.get(path + "/review")
    assert r.status_code == 200, r.text
    r = reviewer.post(path + "/verify", json={"version": current_version(reviewer, path)})
    assert r.status_code in (403, 409), r.text
    r = reviewer.post(path + "/approve", json={"version": current_version(reviewer, path)})
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    r = reviewer.post(path + "/approve", json={"version": current_version(reviewer, path)})
    assert r.status_code == 409 and error_code(r) == "invalid_transition", r.text
    r = reviewer.post(path + "/verify", json={"version": current_version(reviewer, path)})
    assert r.status_code == 403, r.text
    r = admin.post(path + "/verify", json={"version": current_version(admin, path) - 1})
    assert r.status_code == 409 and error_code(r) == "version_conflict", r.text
    r = admin.post(path + "/verify", json={"version": current_version(admin, path)})
    assert r.status_code == 200 and r.json()["status"] == "verified", r.text
    r = admin.get(path + "/review")
    assert r.status_code == 200, r.text
    r = admin.post(path + "/reopen", json={"version": current_version(admin, path)})
    assert r.status_code == 422 and error_code(r) == "reason_required", r.text
    r = admin.post(path + "/reopen", json={"version": current_version(admin, path), "reason": "更正"})
    assert r.status_code == 200 and r.json()["status"] == "returned", r.text
    r = admin.post(path + "/reopen", json={"version": current_version(admin, path), "reason": "再次"})
    assert r.status_code == 409, r.text
    for action in ("approve", "verify"):
        r = admin.post(submission_path(api, "tech", "E5") + "/" + action, json={"version": 0})
        assert r.status_code == 422 and error_code(r) == "not_started", r.text


# ——— Consolidation (中国移动: two subsidiaries, the headquarters consolidates E2) ———

def test_consolidation(api):
    hq = api["s"]["cmcc-hq"]
    for sub in ("cmcc-gd", "cmcc-sh"):
        path = submission_path(api, sub, "E2")
        submit_cleanly(api["s"][sub], path)
        r = hq.post(path + "/approve", json={"version": current_version(hq, path)})
        assert r.status_code == 200, r.text
        template = api["s"][sub].get(path + "/template").content
        r = api["s"][sub].post(path + "/upload", data=template, headers={"Content-Type": XLSX})
        assert r.status_code == 409 and error_code(r) == "not_editable", r.text
    consolidation = f"{api['base']}/api/v1/units/{api['unit']['cmcc-hq']}/consolidation/{YEAR}/E2"
    r = hq.get(consolidation)
    assert r.status_code == 200, r.text
    r = hq.put(consolidation + "/own", json={"version": 0, "values": {"16": {"cur": "100"}}})
    assert r.status_code == 200, r.text
    r = hq.put(consolidation + "/own", json={"version": 0, "values": {"16": {"cur": "1"}}})
    assert r.status_code == 409, r.text
    r = hq.put(consolidation + "/own", json={"values": {}})
    assert r.status_code == 422, r.text
    r = hq.put(consolidation + "/own", data="", headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    r = api["s"]["cmcc-gd"].put(consolidation + "/own", json={"version": 1, "values": {}})
    assert r.status_code == 404
    r = hq.post(consolidation)
    assert r.status_code == 200 and len(r.json()["lineage"]) == 2, r.text
    assert hq.get(consolidation.replace(f"/{YEAR}/", "/abc/")).status_code == 400

    group = submission_path(api, "cmcc-hq", "E2")
    explain_warnings(hq, group)
    r = hq.post(group + "/submit", json={"version": current_version(hq, group)})
    assert r.status_code == 200, r.text
    r = hq.post(consolidation)
    assert r.status_code == 409, r.text


# ——— The national office: progress, aggregates, follow-up, registry, audit, exports, SDMX, import ———

def test_progress(api):
    base, admin = api["base"], api["s"]["admin"]
    r = admin.get(f"{base}/api/v1/progress")
    assert r.status_code == 200, r.text
    assert api["s"]["review-beijing"].get(f"{base}/api/v1/progress", params={"year": YEAR}).status_code == 200
    assert admin.get(f"{base}/api/v1/progress", params={"year": 1990}).status_code == 404
    assert api["s"]["beijing-data"].get(f"{base}/api/v1/progress").status_code == 403
    r = admin.get(f"{base}/api/v1/progress/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.headers
    r = admin.get(f"{base}/api/v1/progress/export", params={"format": "xlsx"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(XLSX), r.headers
    assert admin.get(f"{base}/api/v1/progress/export", params={"format": "csv", "year": 1990}).status_code == 404
    r = admin.get(f"{base}/api/v1/progress/export", params={"format": "pdf"})
    assert r.status_code == 400 and error_code(r) == "bad_format"


def test_aggregate_and_follow_up(api):
    base, admin = api["base"], api["s"]["admin"]
    url = f"{base}/api/v1/aggregate"
    r = admin.get(url, params={"form": "P2", "status": "verified,approved,submitted", "by": "province,type"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"), r.text
    r = admin.get(url, params={"form": "P2", "format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    r = admin.get(url, params={"form": "P2", "format": "xlsx"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(XLSX)
    for params, code in (({}, "bad_form"), ({"form": "P1"}, "bad_form"), ({"form": "P2", "by": "planet"}, "bad_dimension"),
                         ({"form": "P2", "status": "notStarted"}, "bad_status"), ({"form": "P2", "format": "pdf"}, "bad_format")):
        r = admin.get(url, params=params)
        assert r.status_code == 400 and error_code(r) == code, (params, r.text)
    assert admin.get(url, params={"form": "P2", "year": 1990}).status_code == 404
    assert api["s"]["review-beijing"].get(url, params={"form": "P2"}).status_code == 403

    url = f"{base}/api/v1/follow-up"
    r = admin.get(url, params={"form": "P2"})
    assert r.status_code == 200, r.text
    r = admin.get(url, params={"form": "P1"})
    assert r.status_code == 400 and error_code(r) == "bad_form"
    assert admin.get(url, params={"form": "P2", "year": 1990}).status_code == 404
    assert api["s"]["beijing-data"].get(url, params={"form": "P2"}).status_code == 403


def test_registry_of_units_and_audit(api):
    base, admin = api["base"], api["s"]["admin"]
    r = admin.get(f"{base}/api/v1/units")
    assert r.status_code == 200 and r.json()["units"], r.text
    assert admin.get(f"{base}/api/v1/units", params={"region": "110000"}).status_code == 200
    # A page at a time: following nextAfter reads the same registry, in the same order.
    whole, paged, after = [u["id"] for u in r.json()["units"]], [], None
    while len(paged) <= len(whole):
        page = admin.get(f"{base}/api/v1/units", params={"pageSize": 4, **({"after": after} if after else {})})
        assert page.status_code == 200, page.text
        paged += [u["id"] for u in page.json()["units"]]
        after = page.json().get("nextAfter")
        if not after:
            break
    assert paged == whole and "nextAfter" not in r.json()
    for bad in ({"pageSize": 0}, {"after": "x"}):
        refused = admin.get(f"{base}/api/v1/units", params=bad)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_page", refused.text
    assert api["s"]["beijing-data"].get(f"{base}/api/v1/units").status_code == 403
    new = {"creditCode": credit_code("110108", 4242), "name": "接口测试单位", "regionCode": "110000", "types": ["dataTechEnterprise"]}
    r = admin.post(f"{base}/api/v1/units", json=new)
    assert r.status_code == 201, r.text
    unit = r.json()
    r = admin.post(f"{base}/api/v1/units", json={**new, "creditCode": "123"})
    assert r.status_code == 422 and error_code(r) == "invalid_unit", r.text
    r = admin.post(f"{base}/api/v1/units", json={"name": "缺字段"})
    assert r.status_code == 400, r.text
    r = admin.post(f"{base}/api/v1/units", data="x", headers={"Content-Type": "application/xml"})
    assert r.status_code == 415, r.text
    r = api["s"]["beijing-data"].post(f"{base}/api/v1/units", json=new)
    assert r.status_code == 403
    r = admin.put(f"{base}/api/v1/units/{unit['id']}", json={**new, "name": "接口测试单位（更名）"})
    assert r.status_code == 200 and r.json()["name"] == "接口测试单位（更名）", r.text
    r = admin.put(f"{base}/api/v1/units/{ZERO_UUID}", json=new)
    assert r.status_code == 404, r.text
    r = admin.put(f"{base}/api/v1/units/{unit['id']}", json={**new, "types": []})
    assert r.status_code == 422, r.text
    r = admin.put(f"{base}/api/v1/units/{unit['id']}", data="x", headers={"Content-Type": "application/xml"})
    assert r.status_code == 415, r.text

    r = admin.get(f"{base}/api/v1/audit")
    assert r.status_code == 200 and r.json()["events"], r.text
    r = admin.get(f"{base}/api/v1/audit", params={"username": "beijing-data", "kind": "login", "limit": 5})
    assert r.status_code == 200 and len(r.json()["events"]) <= 5, r.text
    assert api["s"]["review-beijing"].get(f"{base}/api/v1/audit").status_code == 403


def test_exports_and_sdmx(api):
    base, admin = api["base"], api["s"]["admin"]
    url = f"{base}/api/v1/export/submissions"
    r = admin.get(url, params={"form": "P2", "format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.text
    r = admin.get(url, params={"form": "P2", "format": "xlsx", "status": "verified,submitted"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(XLSX), r.text
    r = admin.get(url, params={"form": "P2", "format": "pdf"})
    assert r.status_code == 400 and error_code(r) == "bad_format", r.text
    r = admin.get(url, params={"form": "X9"})
    assert r.status_code == 400, r.text
    assert admin.get(url, params={"form": "P2", "year": 1990}).status_code == 404
    assert api["s"]["review-beijing"].get(url, params={"form": "P2"}).status_code == 403

    r = api["s"]["review-beijing"].get(f"{base}/api/v1/sdmx/structure")
    assert r.status_code == 200 and "xml" in r.headers["Content-Type"], r.headers
    assert api["s"]["beijing-data"].get(f"{base}/api/v1/sdmx/structure").status_code == 403
    url = f"{base}/api/v1/sdmx/data"
    r = admin.get(url, params={"form": "P2"})
    assert r.status_code == 200 and "xml" in r.headers["Content-Type"], r.headers
    r = admin.get(url, params={"form": "P2", "format": "json", "by": "province"})
    assert r.status_code == 200 and "json" in r.headers["Content-Type"], r.headers
    r = admin.get(url, params={"form": "P2", "format": "pdf"})
    assert r.status_code == 400, r.text
    r = admin.get(url, params={})
    assert r.status_code == 400, r.text
    assert admin.get(url, params={"form": "P2", "year": 1990}).status_code == 404
    assert api["s"]["review-beijing"].get(url, params={"form": "P2"}).status_code == 403


def test_bulk_import_job(api):
    base, admin = api["base"], api["s"]["admin"]
    url = f"{base}/api/v1/import/jobs"
    code = credit_code_of(api, "tech")
    body = ("表号,指标代码,栏目,数值,年份,统一社会信用代码\n"
            f"企业5表,01,本年实际,1000.5,{YEAR},{code}\n企业5表,02,本年实际,600,{YEAR},{code}\n").encode()
    r = admin.post(url, files=[("files[]", ("e5.csv", body, "text/csv")), ("files[]", ("junk.csv", b"a,b\n", "text/csv"))])
    assert r.status_code == 202 and r.json()["total"] == 2, r.text
    job = r.json()["job"]
    deadline = time.time() + 30
    while True:
        r = admin.get(f"{url}/{job}")
        assert r.status_code == 200, r.text
        if r.json()["finished"] or time.time() > deadline:
            break
        time.sleep(0.2)  # polling a background job
    assert r.json()["finished"] and r.json()["rejected"] >= 1, r.text
    assert admin.get(f"{url}/{ZERO_UUID}").status_code == 404
    assert api["s"]["cmcc-hq"].get(f"{url}/{job}").status_code == 404, "another importer's job"
    r = admin.post(url, data=b"", headers={"Content-Type": "text/plain"})
    assert r.status_code == 400 and error_code(r) == "malformed_body", r.text
    r = admin.post(url, files=[("status", (None, "draft"))])
    assert r.status_code == 400 and error_code(r) in ("malformed_body", "no_files"), r.text
    r = requests.post(url, cookies=admin.cookies, files=[("files[]", ("e5.csv", body, "text/csv"))])
    assert r.status_code == 403 and error_code(r) == "csrf", r.text
    r = admin.post(url, files=[("files[]", ("e5.csv", body, "text/csv"))], data={"status": "approved"})
    assert r.status_code == 400 and error_code(r) == "bad_status", r.text
    r = api["s"]["cmcc-hq"].post(url, files=[("files[]", ("e5.csv", body, "text/csv"))], data={"status": "verified"})
    assert r.status_code == 403, r.text
    assert api["s"]["beijing-data"].post(url, files=[("files[]", ("e5.csv", body, "text/csv"))]).status_code == 403


def test_document_and_health(api):
    r = requests.get(f"{api['base']}/api/v1/openapi.json")
    assert r.status_code == 200 and r.json()["openapi"].startswith("3.")
    r = requests.get(f"{api['base']}/healthz")
    assert r.status_code == 200 and r.text == "ok"


# ——— Last: the walk covered the document ———

def test_every_documented_operation_was_validated_with_a_success(openapi_validator, request):
    selected = {item.originalname for item in request.session.items if item.module is request.module}
    if selected != {name for name in dir(request.module) if name.startswith("test_")}:
        pytest.skip("only part of the walk was selected")
    seen = openapi_validator.by_operation
    missing = [f"{m} {p}" for m, p in documented_operations() if not any(200 <= s < 300 for s in seen.get(f"{m} {p}", ()))]
    assert not missing, "operations never answered with success in the walk: " + ", ".join(missing)
    statuses = set().union(*seen.values())
    assert {200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429} <= statuses, sorted(statuses)
