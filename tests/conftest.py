import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_server  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`drs serve --demo` for one test module: {"base", "database", "tmp"}."""
    proc, log, info = demo_server.start(tmp_path_factory.mktemp("drs"))
    yield info
    demo_server.stop(proc, log)
