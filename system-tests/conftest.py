import json
import os
import sys
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_server  # noqa: E402
from openapi_responses import ResponseValidator, load_document  # noqa: E402

# Every response the suites receive goes through the OpenAPI validator (system-tests/openapi_responses.py).
VALIDATOR = ResponseValidator(load_document())
_send = requests.Session.send


def _validating_send(self, request, **kwargs):
    response = _send(self, request, **kwargs)
    VALIDATOR.check(response)
    return response


requests.Session.send = _validating_send


def _fail_on_mismatches(phase):
    mismatches = VALIDATOR.take_mismatches()
    if mismatches:
        pytest.fail(f"{len(mismatches)} response(s) in {phase} differ from openapi.json:\n\n" + "\n\n".join(mismatches),
                    pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    result = yield
    _fail_on_mismatches("setup")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    _fail_on_mismatches("the test")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    _fail_on_mismatches("teardown")
    return result


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"openapi.json: {VALIDATOR.validated} API responses validated by openapi-core "
        f"({len(VALIDATOR.by_operation)} operations), {VALIDATOR.skipped} non-API responses skipped")
    if os.environ.get("DRS_OPENAPI_COVERAGE"):   # a file: which statuses each operation answered
        Path(os.environ["DRS_OPENAPI_COVERAGE"]).write_text(
            json.dumps({k: sorted(v) for k, v in sorted(VALIDATOR.by_operation.items())}, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`drs serve --demo` for one test module: {"base", "database", "tmp"}."""
    proc, log, info = demo_server.start(tmp_path_factory.mktemp("drs"))
    yield info
    demo_server.stop(proc, log)


@pytest.fixture
def openapi_validator():
    """The validator that sees every response (for tests that check what was covered)."""
    return VALIDATOR
