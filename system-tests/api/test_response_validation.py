"""The response validator itself (system-tests/openapi_responses.py): it must refuse what the document does
not describe, or the suites' "every response validated" means nothing. No server needed."""
import json

import requests
from requests.structures import CaseInsensitiveDict

from openapi_responses import ResponseValidator, load_document

BASE = "http://127.0.0.1:9"
ME = {"username": "beijing-data", "displayName": "北京市数据局填报人", "role": "respondent", "roleName": "填报人",
      "mustChangePassword": False, "regionCode": None, "csrfToken": "t",
      "unit": {"id": "3f2b8a9e-1c1d-4a52-9f0e-5b8d7c6a1e20", "name": "北京市政务服务和数据管理局",
               "creditCode": "11110000000000000X", "regionCode": "110000"}}


def fake(method, path, status, body, content_type="application/json"):
    r = requests.Response()
    r.status_code = status
    r._content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    r.headers = CaseInsensitiveDict({"Content-Type": content_type})
    r.request = requests.Request(method, BASE + path).prepare()
    r.url = r.request.url
    return r


def mismatches(*responses):
    validator = ResponseValidator(load_document())
    for r in responses:
        validator.check(r)
    return validator, validator.take_mismatches()


def test_a_response_matching_its_schema_passes():
    validator, found = mismatches(fake("GET", "/api/v1/me", 200, ME))
    assert found == [] and validator.validated == 1
    assert validator.by_operation == {"GET /api/v1/me": {200}}


def test_a_missing_required_field_is_a_mismatch():
    body = {k: v for k, v in ME.items() if k != "csrfToken"}
    _, found = mismatches(fake("GET", "/api/v1/me", 200, body))
    assert len(found) == 1 and "csrfToken" in found[0] and "GET http://127.0.0.1:9/api/v1/me → 200" in found[0]


def test_a_wrong_type_is_a_mismatch():
    _, found = mismatches(fake("GET", "/api/v1/me", 200, {**ME, "mustChangePassword": "no"}))
    assert len(found) == 1 and "mustChangePassword" in found[0]


def test_an_undocumented_status_is_a_mismatch():
    _, found = mismatches(fake("GET", "/api/v1/me", 418, {"error": {"code": "teapot", "message": "", "details": {}}}))
    assert len(found) == 1 and "418" in found[0]


def test_an_error_code_the_document_does_not_list_is_a_mismatch():
    _, found = mismatches(fake("GET", "/api/v1/me", 401, {"error": {"code": "something_else", "message": "请先登录", "details": {}}}))
    assert len(found) == 1 and "something_else" in found[0]


def test_an_undocumented_content_type_is_a_mismatch():
    _, found = mismatches(fake("GET", "/api/v1/me", 200, b"<html></html>", "text/html"))
    assert len(found) == 1


def test_an_undocumented_api_route_that_answers_is_a_mismatch():
    _, found = mismatches(fake("GET", "/api/v1/secret-admin-thing", 200, {}))
    assert len(found) == 1 and "secret-admin-thing" in found[0]


def test_pages_and_router_404s_are_not_api_responses():
    validator, found = mismatches(fake("GET", "/login", 200, b"<html></html>", "text/html"),
                                  fake("GET", "/api/v1/no-such-route", 404, {"error": {"code": "not_found", "message": "", "details": {}}}))
    assert found == [] and validator.validated == 0 and validator.skipped == 2


def test_a_body_that_is_not_its_media_type_is_a_mismatch():
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    path = "/api/v1/units/3f2b8a9e-1c1d-4a52-9f0e-5b8d7c6a1e20/submissions/2026/P2/template"
    _, found = mismatches(fake("GET", path, 200, b"PK\x03\x04rest of a workbook", xlsx))
    assert found == []
    _, found = mismatches(fake("GET", path, 200, b"<html>not a workbook</html>", xlsx))
    assert len(found) == 1
    _, found = mismatches(fake("GET", "/api/v1/sdmx/structure", 200, b"<Structure><unclosed></Structure>", "application/xml"))
    assert len(found) == 1
    _, found = mismatches(fake("GET", "/api/v1/sdmx/data", 200, b'{"header": ', "application/vnd.sdmx.data+json"))
    assert len(found) == 1


def test_a_property_the_document_does_not_name_is_a_mismatch():
    _, found = mismatches(fake("GET", "/api/v1/me", 200, {**ME, "passwordHash": "$2b$…"}))
    assert len(found) == 1 and "undocumented property `passwordHash`" in found[0]
    nested = {**ME, "unit": {**ME["unit"], "secret": 1}}
    _, found = mismatches(fake("GET", "/api/v1/me", 200, nested))
    assert len(found) == 1 and "at /unit: undocumented property `secret`" in found[0]
    error = {"error": {"code": "unauthenticated", "message": "请先登录", "details": {}, "trace": "…"}}
    _, found = mismatches(fake("GET", "/api/v1/me", 401, error))
    assert len(found) == 1 and "at /error: undocumented property `trace`" in found[0]
