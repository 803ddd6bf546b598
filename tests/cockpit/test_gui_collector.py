"""Garbage is collected on the GUI thread only: a worker thread's allocations never run a collection
(one that freed a Qt object there deadlocked the GUI), and the collector still frees every cycle."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from cockpit.gui_thread import GuiThreadCollector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def collector(qapp) -> Iterator[GuiThreadCollector]:  # type: ignore[no-untyped-def]
    was_enabled = gc.isenabled()
    gc.enable()  # as in a new process (the suite itself collects between tests only: tests/conftest.py)
    found = GuiThreadCollector(interval_ms=60_000)  # the test calls collect() itself
    yield found
    found.deleteLater()
    if not was_enabled:
        gc.disable()


def test_cycles_made_on_a_worker_wait_for_the_gui_thread(collector: GuiThreadCollector) -> None:
    refs: list[weakref.ref[Node]] = []

    def worker() -> None:
        for _ in range(2_000):  # far past the gen-0 threshold, which would collect on this thread
            a, b = Node(), Node()
            a.other, b.other = b, a
            refs.append(weakref.ref(a))
            _ = [object() for _ in range(10)]

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert not gc.isenabled()
    assert all(r() is not None for r in refs), "a collection ran on the worker thread"
    collector.collect()  # on the GUI thread: no collection ran since, so every cycle is still young
    assert all(r() is None for r in refs)


def test_the_collector_collects_when_generation_0_is_due(collector: GuiThreadCollector) -> None:
    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    del a, b
    _ = [Node() for _ in range(gc.get_threshold()[0] + 10)]  # past the threshold: a pass is due
    collector.collect()
    assert ref() is None


def test_a_held_collector_collects_nothing_until_released_or_its_time_is_up(
    collector: GuiThreadCollector, qtbot: QtBot
) -> None:
    """The windows hold it until their first paint (views/main_window.py): what is due waits for that."""

    def due_garbage() -> tuple[weakref.ref[Node], list[Node]]:
        a, b = Node(), Node()
        a.other, b.other = b, a
        return weakref.ref(a), [Node() for _ in range(2 * gc.get_threshold()[0])]  # kept: a pass is due

    garbage, _young = due_garbage()
    collector.hold()
    collector.collect()
    assert garbage() is not None and collector.held
    collector.release()
    collector.collect()
    assert garbage() is None and not collector.held
    garbage, _younger = due_garbage()  # (the first young ones kept too: freed, they would undo the count)
    collector.hold(at_most_ms=50)  # a paint that never comes (a minimised window) holds it no longer
    qtbot.waitUntil(lambda: not collector.held, timeout=2000)
    collector.collect()
    assert garbage() is None


def test_settling_keeps_what_the_windows_hold_out_of_later_collections(collector: GuiThreadCollector) -> None:
    from cockpit.gui_thread import settle_gui_heap

    kept = [Node() for _ in range(1000)]
    a, b = Node(), Node()
    a.other, b.other = b, a
    garbage = weakref.ref(a)
    del a, b
    try:
        settle_gui_heap()
        assert garbage() is None  # what was already garbage is collected first
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
