"""The engines suite reuses the browser suite's tab fixture (fresh context, other hosts blocked)."""

from browser.conftest import open_tab  # noqa: F401 - a fixture
