"""The error answers every operation shares, walked over openapi.json: a path year that is not a number
(400 `bad_year`), a unit outside the account's scope (404), a body over the size limit (413), and an
account that must still change its initial password (403 `password_change_required`). Each response
is validated against the document by system-tests/conftest.py, so the walk also proves every operation
documents these answers with the right error codes.
"""
import subprocess

import pytest
import requests
import demo_server
from demo_server import DRS, ROOT, session
from openapi_responses import load_document

YEAR = 2026
NEWCOMER, NEWCOMER_PASSWORD = "newcomer", "Initial2026x"
BODY_LIMIT_MB = {"/api/v1/units/{unitID}/submissions/{year}/{formID}/upload": 64, "/api/v1/import/jobs": 200}
# Routes any logged-in account may call, even before changing its initial password.
SESSION_ONLY = {("DELETE", "/api/v1/session"), ("GET", "/api/v1/me"), ("POST", "/api/v1/password")}
OPEN = {("POST", "/api/v1/session"), ("GET", "/api/v1/openapi.json"), ("GET", "/healthz")}


def operations(predicate=lambda method, path, operation: True):
    document = load_document()
    return sorted((m.upper(), p) for p, item in document["paths"].items() for m, op in item.items()
                  if m in ("get", "put", "post", "delete") and predicate(m.upper(), p, op))


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    """The demo, plus an account `newcomer` made with `drs users add` (must change its password)."""
    tmp = tmp_path_factory.mktemp("drs")
    proc, log, info = demo_server.start(tmp)
    admin, _ = session(info["base"], "admin")
    demo_server.stop(proc, log)          # SQLite has one server; `drs users` needs the file to itself
    subprocess.run([DRS, "users", "add", NEWCOMER, "--role", "provincialReviewer", "--region", "110000",
                    "--password", NEWCOMER_PASSWORD, "--database", str(info["database"])], cwd=ROOT, check=True,
                   capture_output=True)
    proc, log, info = demo_server.start(tmp)
    accounts = {name: session(info["base"], name) for name in ("beijing-data", "guangdong-data", "admin", "cmcc-hq")}
    newcomer = requests.Session()
    r = newcomer.post(f"{info['base']}/api/v1/session", json={"username": NEWCOMER, "password": NEWCOMER_PASSWORD})
    assert r.status_code == 200 and r.json()["mustChangePassword"] is True, r.text
    newcomer.headers["X-CSRF-Token"] = r.json()["csrfToken"]
    yield {"base": info["base"], "accounts": accounts, "newcomer": newcomer}
    demo_server.stop(proc, log)


def concrete(walk, path, unit_of="beijing-data", year=YEAR):
    unit = walk["accounts"][unit_of][1]
    form = "E2" if unit_of == "cmcc-hq" else "P2"   # 中国移动's consolidated form; Beijing's 公共2表
    return (walk["base"] + path.replace("{unitID}", unit).replace("{year}", str(year)).replace("{formID}", form)
            .replace("{jobID}", "00000000-0000-0000-0000-000000000000"))


def error_code(r):
    return r.json()["error"]["code"]


@pytest.mark.parametrize("method,path", operations(lambda m, p, op: (m, p) not in OPEN | SESSION_ONLY))
def test_an_account_that_must_change_its_password_gets_403_everywhere_else(walk, method, path):
    r = walk["newcomer"].request(method, concrete(walk, path), json={} if method in ("PUT", "POST") else None)
    assert r.status_code == 403, r.text
    assert error_code(r) == "password_change_required"


def test_an_account_that_must_change_its_password_may_read_itself(walk):
    r = walk["newcomer"].get(f"{walk['base']}/api/v1/me")
    assert r.status_code == 200 and r.json()["mustChangePassword"] is True


@pytest.mark.parametrize("method,path", operations(lambda m, p, op: "{year}" in p))
def test_a_year_that_is_not_a_number_answers_400(walk, method, path):
    # A group's consolidation belongs to its headquarters; the national office reads and reviews every unit.
    account = "cmcc-hq" if "/consolidation/" in path else "admin"
    s, _ = walk["accounts"][account]
    url = concrete(walk, path, unit_of="cmcc-hq" if account == "cmcc-hq" else "beijing-data", year="abc")
    r = s.request(method, url, json={"version": 0} if method in ("PUT", "POST") else None)
    assert r.status_code == 400, r.text
    assert error_code(r) == "bad_year"


@pytest.mark.parametrize("method,path", operations(lambda m, p, op: p.startswith("/api/v1/units/{unitID}/")))
def test_a_unit_outside_the_accounts_scope_answers_404(walk, method, path):
    s, _ = walk["accounts"]["beijing-data"]
    r = s.request(method, concrete(walk, path, unit_of="guangdong-data"), json={"version": 0} if method in ("PUT", "POST") else None)
    assert r.status_code == 404, r.text
    assert error_code(r) == "not_found"


@pytest.mark.parametrize("method,path", operations(lambda m, p, op: "requestBody" in op and p not in BODY_LIMIT_MB))
def test_a_body_over_the_limit_answers_413(walk, method, path):
    s, _ = walk["accounts"]["admin"] if "/units/{unitID}/" not in path else walk["accounts"]["beijing-data"]
    body = '{"padding":"' + "x" * (1_100_000) + '"}'
    r = s.request(method, concrete(walk, path), data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    assert error_code(r) == "body_too_large"


JSON_BODIES = operations(lambda m, p, op: "application/json" in op.get("requestBody", {}).get("content", {}))


@pytest.mark.parametrize("body,code", [('{"version":1,"version":2}', "duplicate_key"), ('{"version":01}', "invalid_number"),
                                       ("[" * 100 + "]" * 100, "too_deep"), ('{"version":', "malformed_json")])
@pytest.mark.parametrize("method,path", JSON_BODIES)
def test_a_json_body_that_is_not_strict_json_answers_400(walk, method, path, body, code):
    account = "cmcc-hq" if "/consolidation/" in path else "admin"
    s, _ = walk["accounts"][account]
    url = concrete(walk, path, unit_of="cmcc-hq" if account == "cmcc-hq" else "beijing-data")
    r = s.request(method, url, data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert error_code(r) == code


def test_an_upload_over_its_limit_answers_413(walk):
    s, _ = walk["accounts"]["beijing-data"]
    url = concrete(walk, "/api/v1/units/{unitID}/submissions/{year}/{formID}/upload")
    r = s.post(url, data=b"PK\x03\x04" + b"\0" * (65 * 1024 * 1024),
               headers={"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    assert r.status_code == 413, r.text
    assert error_code(r) in ("body_too_large", "file_too_large")
