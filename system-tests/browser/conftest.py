"""The browser journeys' fixtures (`demo_server`, `browser`); they and the helpers live in ux_support.py."""

from ux_support import browser, demo_server  # noqa: F401 - pytest finds fixtures by name in conftest
