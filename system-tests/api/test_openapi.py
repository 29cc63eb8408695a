#!/usr/bin/env python3
"""Checks Sources/DRSServer/Resources/openapi.json: a valid OpenAPI document that documents every
/api/v1 route registered in Sources/DRSServer/*.swift (and nothing that is not registered).

    pip install "openapi-core==0.23.1" "openapi-spec-validator==0.8.5"
    python3 system-tests/api/test_openapi.py

Routes are read from the Swift sources: `let x = y.grouped("a", ":b")` prefixes and
`x.secure(.METHOD, "c", ":d", access: …)` registrations; `:name` becomes `{name}`.

That the document describes what the routes answer is checked at run time, not here: every response
the Python suites receive is validated against it by openapi-core (system-tests/openapi_responses.py), and
system-tests/api/test_every_operation.py and test_every_error.py call every documented operation.
"""
import json
import re
import sys
from pathlib import Path

from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "Sources" / "DRSServer"
DOCUMENT = SERVER / "Resources" / "openapi.json"

LET = re.compile(r"\blet\s+(\w+)\s*=\s*([\w.]+?)(?:\.grouped\(([^)]*)\))?\s*$", re.M)
SECURE = re.compile(r"\b([\w.]+)\.secure\(\s*\.(\w+)\s*((?:,\s*\"[^\"]*\"\s*)*),\s*access:")
WORDS = re.compile(r"\"([^\"]*)\"")


def registered_routes():
    """{("GET", "/api/v1/…"), …} from the `secure(…)` registrations."""
    routes = set()
    for file in sorted(SERVER.glob("*.swift")):
        text = file.read_text(encoding="utf-8")
        events = [(m.start(), "let", m) for m in LET.finditer(text)] + [(m.start(), "secure", m) for m in SECURE.finditer(text)]
        prefixes = {"app.routes": []}
        for _, kind, m in sorted(events, key=lambda e: e[0]):
            if kind == "let":
                name, base, args = m.group(1), m.group(2), m.group(3)
                if base in prefixes:
                    prefixes[name] = prefixes[base] + (WORDS.findall(args) if args else [])
                continue
            base, method, args = m.group(1), m.group(2), m.group(3)
            if base not in prefixes:
                sys.exit(f"{file.name}: cannot resolve the route prefix `{base}` in `{m.group(0)}`")
            parts = prefixes[base] + WORDS.findall(args)
            if parts[:2] == ["api", "v1"]:
                path = "/" + "/".join("{" + p[1:] + "}" if p.startswith(":") else p for p in parts)
                routes.add((method.upper(), path))
    return routes


def main():
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    validate(document)

    documented = set()
    operation_ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                operation_ids.append(operation.get("operationId"))
                if path.startswith("/api/v1/"):
                    documented.add((method.upper(), path))
                if method != "get":
                    names = [p.get("name") or p.get("$ref", "").rsplit("/", 1)[-1]
                             for p in operation.get("parameters", [])]
                    assert any(n in ("X-CSRF-Token", "CsrfToken", "CsrfTokenIfCookie") for n in names), \
                        f"{method.upper()} {path}: no X-CSRF-Token parameter"

    assert None not in operation_ids, "every operation needs an operationId"
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"

    routes = registered_routes()
    assert len(routes) >= 10, f"found only {len(routes)} /api/v1 routes in the Swift sources; is the parser broken?"
    undocumented = sorted(routes - documented)
    stale = sorted(documented - routes)
    assert not undocumented, "routes missing from openapi.json: " + ", ".join(f"{m} {p}" for m, p in undocumented)
    assert not stale, "openapi.json documents routes the server does not register: " + ", ".join(f"{m} {p}" for m, p in stale)
    print(f"openapi.json is valid and documents all {len(routes)} /api/v1 routes")


if __name__ == "__main__":
    main()


def test_openapi_documents_every_route():
    main()
