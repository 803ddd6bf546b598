"""View tests: the live-cockpit fixtures of ``tests.views.live_plant``.

A broker per module, a core, a database and a topic root per test. The tests of the screens an
operator acts from run through both shapes of the core's port: in-process and, as the window runs
it, with the field link in a process of its own.
"""

from __future__ import annotations

import pytest

from tests.views.live_plant import SHAPES, broker, core_shape, live, live_empty, live_propose, themed_app

__all__ = ["broker", "core_shape", "live", "live_empty", "live_propose", "themed_app"]

BOTH_SHAPES = frozenset(
    {
        "test_overview_view",
        "test_alarm_view",
        "test_popup",
        "test_commands_view",
        "test_headcount_view",
        "test_register_follow",
    }
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in BOTH_SHAPES and "core_shape" in metafunc.fixturenames:
        metafunc.parametrize("core_shape", SHAPES)
