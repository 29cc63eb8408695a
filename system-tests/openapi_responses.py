"""Every response the Python suites receive from the drs server, validated against
Sources/DRSServer/Resources/openapi.json by a real OpenAPI validator (openapi-core), not by patterns.

system-tests/conftest.py wraps `requests.Session.send` for the whole run (module-level `requests.get` goes
through it too), hands each response to `ResponseValidator.check`, and fails the test whose phase
(setup, call, teardown) received a response the document does not describe: an undocumented path or
method, an undocumented status or content type, a header or body that does not match its schema, a
body that is not what its media type says, or a JSON property the schema never names
(system-tests/openapi_strict.py).

Checked: responses to the paths the document has (/api/v1/…, /healthz). Pages and static files are not
part of the API and are skipped. A 404 or 405 to a path the document does not have is the router
saying "no such route"; tests probe that on purpose, so it is not a mismatch.
"""
import functools
import json
import threading
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_spec_validator import validate as validate_document

from openapi_strict import StrictWalk

DOCUMENT = Path(__file__).resolve().parents[1] / "Sources" / "DRSServer" / "Resources" / "openapi.json"
API_PREFIXES = ("/api/v1/", "/healthz")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value, **parameters):
    """Text bodies must be valid in their charset (UTF-8 unless said); the schema then sees a string."""
    return value.decode(parameters.get("charset", "utf-8"))


def _xml_text(value, **parameters):
    """An XML body must be well-formed; the document describes it as a string, so it stays one."""
    ElementTree.fromstring(value)
    return _text(value, **parameters)


def _zip_archive(value, **parameters):
    """An XLSX workbook is a ZIP archive (OAS 3.1 describes binary bodies without a schema)."""
    if not value.startswith(b"PK\x03\x04"):
        raise ValueError("not a ZIP archive")
    return value


# openapi-core knows JSON, XML and plain text; these are the other media types the server sends.
MEDIA_TYPES = {
    "text/csv": _text,
    "application/xml": _xml_text,
    "application/vnd.sdmx.structurespecificdata+xml": _xml_text,
    "application/vnd.sdmx.data+json": lambda value, **_: json.loads(value),
    XLSX: _zip_archive,
}


@functools.cache
def load_document():
    """The document, checked against the OpenAPI 3.1 meta-schema first (once; do not modify it)."""
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    validate_document(document)
    return document


def _short(text, limit=400):
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def describe(error):
    """The validator's reasons, down to each JSON-schema error with its place in the body."""
    lines = [_short(str(error))]
    cause = error.__cause__
    while cause is not None:
        for schema_error in getattr(cause, "schema_errors", []) or []:
            where = "/".join(str(p) for p in schema_error.absolute_path) or "(body)"
            lines.append(f"  at {where}: {_short(schema_error.message)}")
            for sub in (schema_error.context or [])[:6]:
                sub_where = "/".join(str(p) for p in sub.absolute_path) or "(body)"
                lines.append(f"    - at {sub_where}: {_short(sub.message)}")
        cause = cause.__cause__
    return "\n".join(lines)


class UndocumentedProperties(Exception):
    """The body has properties its schema does not name."""


class ResponseValidator:
    """Validates responses; keeps the mismatches until the running test phase collects them."""

    def __init__(self, document):
        # load_document() has checked the document against the meta-schema already.
        self.openapi = OpenAPI.from_dict(document, config=Config(spec_validator_cls=None,
                                                                 extra_media_type_deserializers=MEDIA_TYPES))
        self._finder = APICallPathFinder(self.openapi.spec)
        self._strict = StrictWalk(document)
        self.validated = 0
        self.skipped = 0
        self.by_operation = {}         # "GET /api/v1/me" → {statuses seen}
        self._mismatches = []
        self._lock = threading.Lock()

    def check(self, response):
        """Validates one `requests` response; records a mismatch instead of raising."""
        request = response.request
        path = urlparse(request.url).path
        if not path.startswith(API_PREFIXES):
            with self._lock:
                self.skipped += 1
            return
        try:
            result = self.openapi.unmarshal_response(RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response))
            errors = list(result.errors)
            template = self._template(request)
            operation = f"{request.method} {template}"
            if not errors:
                errors = self._undocumented_properties(template, request.method, response)
        except (PathNotFound, OperationNotFound) as error:
            if response.status_code in (404, 405):
                with self._lock:
                    self.skipped += 1
                return
            errors, operation = [error], f"{request.method} {path}"
        with self._lock:
            self.validated += 1
            self.by_operation.setdefault(operation, set()).add(response.status_code)
            for error in errors:
                body = response.text[:600] if "json" in response.headers.get("Content-Type", "") else \
                    f"<{response.headers.get('Content-Type')}, {len(response.content)} bytes>"
                self._mismatches.append(f"{request.method} {request.url} → {response.status_code}\n"
                                        f"{describe(error)}\n  body: {body}")

    def _undocumented_properties(self, template, method, response):
        """Fields of a JSON body its schema never names (see system-tests/openapi_strict.py)."""
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type:
            return []
        schema = self._strict.response_schema(template, method, response.status_code, content_type)
        if schema is None:
            return []
        extras = self._strict.extras(schema, response.json())
        return [UndocumentedProperties("\n  ".join(extras[:20]))] if extras else []

    def _template(self, request):
        """The document's path template that matched, for the coverage table."""
        openapi_request = RequestsOpenAPIRequest(request)
        found = self._finder.find(openapi_request.method, openapi_request.host_url + openapi_request.path)
        return found.path_result.pattern

    def take_mismatches(self):
        with self._lock:
            taken, self._mismatches = self._mismatches, []
        return taken
