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


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands what its validator saw to the controller, which prints the summary."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["openapi"] = {
            "validated": VALIDATOR.validated, "skipped": VALIDATOR.skipped,
            "by_operation": {operation: sorted(statuses) for operation, statuses in VALIDATOR.by_operation.items()}}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller adds up its workers' validators (pytest-xdist's hook; absent without it)."""
    seen = getattr(node, "workeroutput", {}).get("openapi")
    if seen:
        VALIDATOR.validated += seen["validated"]
        VALIDATOR.skipped += seen["skipped"]
        for operation, statuses in seen["by_operation"].items():
            VALIDATOR.by_operation.setdefault(operation, set()).update(statuses)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"openapi.json: {VALIDATOR.validated} API responses validated by openapi-core "
        f"({len(VALIDATOR.by_operation)} operations), {VALIDATOR.skipped} non-API responses skipped")
    if os.environ.get("DRS_OPENAPI_COVERAGE"):   # a file: which statuses each operation answered
        Path(os.environ["DRS_OPENAPI_COVERAGE"]).write_text(
            json.dumps({k: sorted(v) for k, v in sorted(VALIDATOR.by_operation.items())}, indent=1), encoding="utf-8")


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): modules that share something run on one pytest-xdist worker")


@pytest.hookimpl(tryfirst=True)   # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (`-n 2 --dist loadgroup`, as CI runs them): a module's tests stay together on one
    worker, in order, with their module's server; modules marked with one `xdist_group` share a worker."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


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
