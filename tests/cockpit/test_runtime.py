"""The demo on the embedded default: its own database (seeded once), its own broker, the simulator."""

from __future__ import annotations

import logging
import sys

import pytest
from sqlalchemy import func, select

from cockpit.config import Config, load_config
from cockpit.runtime import Runtime
from models.schema import Permit, Site
from tests.support.broker import wait_until as _wait_until


def wait_until(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` while the GUI thread (this one) takes in the field process's updates."""
    from PySide6.QtCore import QCoreApplication

    def pumped() -> bool:
        QCoreApplication.processEvents()
        return bool(predicate())

    return _wait_until(pumped, timeout)


def test_the_demo_runs_a_live_plant_with_nothing_installed(qapp) -> None:  # type: ignore[no-untyped-def]
    config = load_config()
    assert config.is_demo
    runtime = Runtime(config)
    try:
        core = runtime.start()
        assert runtime.broker is not None and runtime.simulation is not None
        assert runtime.broker_url.startswith("mqtt://127.0.0.1:")
        assert wait_until(lambda: core.stats.messages_in > 50, 20), "the simulator's readings arrive"
        assert wait_until(lambda: len(core.store.channels()) > 20, 10)
        with runtime.db.session() as s:  # type: ignore[union-attr]
            assert s.scalar(select(func.count()).select_from(Site)) == 3
            permits = s.scalar(select(func.count()).select_from(Permit))
    finally:
        runtime.stop()
    # a second start finds the demo database and does not seed it again
    again = Runtime(config)
    try:
        again.start()
        with again.db.session() as s:  # type: ignore[union-attr]
            assert s.scalar(select(func.count()).select_from(Permit)) == permits
    finally:
        again.stop()


def test_a_given_database_is_never_seeded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = Config()
    config.database.url = f"sqlite:///{tmp_path / 'real.db'}"
    assert not config.is_demo
    runtime = Runtime(config, simulate=False)
    try:
        runtime.start()
        with runtime.db.session() as s:  # type: ignore[union-attr]
            assert s.scalar(select(func.count()).select_from(Site)) == 0
    finally:
        runtime.stop()


def test_the_runtime_runs_the_field_process_as_the_configuration_does_by_default() -> None:
    """`Runtime(config)` and `[general] field_process` agree when neither is given."""
    config = Config()
    assert Runtime(config).field_process is config.general.field_process is True


def test_on_windows_the_window_runs_the_core_in_process_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The field process needs its pipe to be a socket; on Windows a multiprocessing pipe is not one."""
    monkeypatch.setattr(sys, "platform", "win32")  # no Windows here: its name is what Runtime reads
    with caplog.at_level(logging.WARNING, logger="cockpit.runtime"):
        runtime = Runtime(Config(), listener=lambda delta: None, field_process=True)
    assert runtime.field_process is False
    assert len([r for r in caplog.records if "Windows" in r.getMessage()]) == 1


def test_a_process_running_the_core_hands_the_interpreter_over_within_a_millisecond(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`serve` (and the window's field process) run paho's thread, the core thread and the stop's
    claim in one interpreter: at the default 5 ms switch interval a HIHI waited out several hand-overs
    under load (cockpit/gil.py)."""
    config = Config()
    config.database.url = f"sqlite:///{tmp_path / 'plant.db'}"
    sys.setswitchinterval(0.005)  # the default; tests/conftest.py restores the suite's after the test
    runtime = Runtime(config, simulate=False)
    try:
        runtime.start()
        assert sys.getswitchinterval() == pytest.approx(0.001)
    finally:
        runtime.stop()
