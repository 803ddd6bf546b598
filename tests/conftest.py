"""Test setup shared by the whole suite.

Qt runs on the offscreen platform, keyring on an in-memory backend, and nothing
touches the real user's folders: HOME-like paths point into a temporary folder.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from tests.support.keyring_memory import MemoryKeyring  # noqa: E402

PG_URL = os.environ.get("COCKPIT_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    for var in ("COCKPIT_DB_URL", "COCKPIT_BROKER_URL", "COCKPIT_CONFIG"):
        monkeypatch.delenv(var, raising=False)


def _our_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith(("cockpit-", "paho-mqtt-client-"))}


@pytest.fixture(autouse=True, scope="module")
def _no_thread_outlives_its_module() -> Iterator[None]:
    """A core, worker or MQTT client a module started must be gone when its fixtures are: one left running
    for the rest of the run (a core on a deleted database, reconnecting to a stopped broker) ended a CI
    run with a segmentation fault two modules later (DEVELOPERS.md)."""
    before = _our_threads()
    yield
    deadline = time.monotonic() + 5
    left = _our_threads() - before
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = {t for t in left if t.is_alive()}
    if left:
        pytest.fail(f"threads still running after the module: {sorted(t.name for t in left)}", pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def _garbage_collected_on_the_main_thread_only() -> Iterator[None]:
    """No automatic garbage collection in the test process: what a test dropped is collected between
    tests, on the main (GUI) thread, as the window does (cockpit/gui_thread.GuiThreadCollector).
    Left to the automatic collector, a test's Qt objects held in reference cycles (a timer's owner, a
    field link's notifier) were freed by whichever thread next allocated enough, a later test's paho
    or core thread: Qt then delivered a timer event to the deleted object on the main thread, a
    segmentation fault in pytest-qt's event processing (tests/cockpit test_runtime, test_field_link,
    test_cli in that order: every run; DEVELOPERS.md)."""
    thresholds = gc.get_threshold()
    was = gc.isenabled()
    gc.disable()
    yield
    # The run is over and all of it goes with the process: frozen, nothing left is collected on any
    # thread, and the interpreter's collections at exit skip it. A full collection here took 5.8 s at
    # the end of a full run (1.37 million objects), and the exit's three collections 4-5 s each, as each
    # walked every object still alive.
    gc.freeze()
    if was:
        gc.enable()
    gc.set_threshold(*thresholds)


@pytest.fixture(autouse=True)
def _between_tests() -> Iterator[None]:
    """After each test: the suite's switch interval back (a core started in this process sets its own,
    cockpit/gil.py), and the collection due, on the main thread. A core's start freezes what lives
    then (CockpitCore.start, for the program's pauses): unfrozen here, or every object alive at a
    core's start would stay for the rest of the run, timers and sockets with it."""
    interval = sys.getswitchinterval()
    yield
    sys.setswitchinterval(interval)
    gc.disable()  # a test of the collector itself turns it back on when it ends
    gc.unfreeze()
    from cockpit.gui_thread import collect_when_due

    collect_when_due(gc.get_threshold())


@pytest.fixture(autouse=True, scope="session")
def _memory_keyring() -> None:
    import keyring

    keyring.set_keyring(MemoryKeyring())


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of a reachable PostgreSQL, or a visible skip outside CI (a failure in CI)."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}); set COCKPIT_TEST_PG_URL")
    return PG_URL


@pytest.fixture
def pg_schema_url(pg_url: str):  # type: ignore[no-untyped-def]
    """A fresh PostgreSQL schema per test; the URL's search path points at it."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
