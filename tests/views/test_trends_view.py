"""Gas trends: the store's readings in the pane, the engine's limits as lines, STALE as gaps,
and a repaint only for panes whose channel changed."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cockpit.telemetry_buffers import BUCKET_S
from models.records import ChannelKey
from tests.views.live_plant import OPERATOR, Live
from views.trends_view import TrendsView

pytestmark = pytest.mark.broker
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


def make(qtbot: QtBot, live: Live, panes: int = 1) -> TrendsView:
    view = TrendsView(live.core, live.bridge, OPERATOR, live.sites, panes=panes)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    return view


def curve_values(view: TrendsView, index: int = 0) -> np.ndarray:
    curve = view.panes()[index].plot.curve()
    if curve is None:
        return np.empty(0)
    view.panes()[index].plot.flush()
    _x, y = curve.getOriginalDataset()  # what was handed to the plot (the drawn set is downsampled)
    return np.asarray(y if y is not None else [], dtype=float)


def limit_lines(view: TrendsView, index: int = 0) -> list[float]:
    items = view.panes()[index].plot.plot_item().items
    return sorted(float(i.value()) for i in items if isinstance(i, pg.InfiniteLine) and i.angle == 0)


def test_focus_area_shows_its_channels_with_the_engines_limits(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    for v in (3.0, 4.0, 5.0):
        live.publish({"LEL": v, "O2": 20.9, "H2S": 0.5})
        time.sleep(0.05)
    qtbot.waitUntil(lambda: len(live.core.store.recent(LEL, 60)[0]) == 3, timeout=5000)
    view.focus_area("S1", "A1")
    keys = [p.key for p in view.panes()]
    assert len(keys) == 3 and LEL in keys
    assert view.status.text() == "Trends of 一号厂区 / 加氢装置"  # the place by name, as F7 leaves it
    lel = keys.index(LEL)
    qtbot.waitUntil(lambda: list(curve_values(view, lel)[-3:]) == [3.0, 4.0, 5.0], timeout=5000)
    qtbot.waitUntil(
        lambda: limit_lines(view, lel) == [10.0, 25.0], timeout=5000
    )  # HI, HIHI of the cn profile
    o2 = keys.index(ChannelKey("S1", "A1", "GD-1", "O2"))
    qtbot.waitUntil(lambda: limit_lines(view, o2) == [18.0, 19.5, 23.5], timeout=5000)
    # Live: a new reading scrolls in.
    live.publish({"LEL": 6.5, "O2": 20.9, "H2S": 0.5})
    qtbot.waitUntil(lambda: curve_values(view, lel)[-1] == 6.5, timeout=5000)
    assert view.panes()[lel].plot.current_text() == "6.5 %LEL"


def test_a_stale_period_is_a_gap_not_a_line(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    live.publish({"LEL": 3.0}, max_age_s=0.3)
    qtbot.waitUntil(lambda: live.core.store.channel(LEL) is not None, timeout=5000)
    view.panes()[0].show_channel(LEL)
    qtbot.waitUntil(lambda: live.core.store.channel(LEL).stale, timeout=5000)
    qtbot.waitUntil(lambda: view.panes()[0].plot.state_text() == "STALE", timeout=5000)
    assert view.panes()[0].plot.current_text() == "—"
    live.publish({"LEL": 4.0}, max_age_s=5)
    qtbot.waitUntil(lambda: curve_values(view)[-1:].tolist() == [4.0], timeout=5000)
    values = curve_values(view)
    assert any(math.isnan(v) for v in values)  # the silence is drawn as a break
    assert view.panes()[0].plot.state_text() == ""


def test_only_panes_whose_channel_changed_are_fed(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live, panes=2)
    live.publish({"LEL": 3.0, "O2": 20.9})
    live.publish({"CO": 1.0}, area="A2", device="GD-9")
    co = ChannelKey("S1", "A2", "GD-9", "CO")
    qtbot.waitUntil(lambda: live.core.store.channel(co) is not None, timeout=5000)
    view.panes()[0].show_channel(LEL)
    assert view.panes()[1].show_channel(co)
    quiet_pane = view.panes()[1]
    qtbot.waitUntil(lambda: not quiet_pane.pending and not quiet_pane.plot.is_dirty(), timeout=5000)
    quiet = view.panes()[1].plot.repaint_count
    for v in (4.0, 5.0, 6.0):
        live.publish({"LEL": v, "O2": 20.9})
        qtbot.wait(250)
    qtbot.waitUntil(lambda: curve_values(view, 0)[-1] == 6.0, timeout=5000)
    assert view.panes()[1].plot.repaint_count == quiet  # its channel was never dirty


def test_the_opening_panes_follow_the_riskiest_channel_of_each_area(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live, panes=2)
    live.publish({"O2": 20.9, "LEL": 3.0})
    live.publish({"CO": 1.0}, area="A2", device="GD-9")
    co = ChannelKey("S1", "A2", "GD-9", "CO")
    qtbot.waitUntil(lambda: live.core.store.channel(co) is not None, timeout=5000)
    # the suggestion runs on a delta, at most once a second: keep the field talking until it has
    deadline = time.monotonic() + 5
    while [p.key for p in view.panes()] != [LEL, co] and time.monotonic() < deadline:
        live.publish({"O2": 20.9, "LEL": 3.0})
        qtbot.wait(200)
    assert [p.key for p in view.panes()] == [LEL, co]  # LEL before O2; one per area


def test_a_channel_someone_picked_is_never_moved_by_the_suggestions(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live, panes=2)
    live.publish({"O2": 20.9, "LEL": 3.0})  # one area only: too few to suggest for two panes
    o2 = ChannelKey("S1", "A1", "GD-1", "O2")
    qtbot.waitUntil(lambda: live.core.store.channel(o2) is not None, timeout=5000)
    first = view.panes()[1]
    first.fill_areas()
    combo = first.channel
    target = combo.findData(str(o2))
    assert target >= 0
    combo.setFocus()
    while combo.currentIndex() != target:  # the operator's own keys on the channel picker
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    assert first.key == o2
    # Now a second area reports: enough channels to suggest, for longer than the suggestion's pause.
    for _ in range(8):
        live.publish({"CO": 1.0}, area="A2", device="GD-9")
        live.publish({"O2": 20.9, "LEL": 3.0})
        qtbot.wait(200)
    qtbot.waitUntil(lambda: live.core.store.channel(ChannelKey("S1", "A2", "GD-9", "CO")) is not None)
    assert first.key == o2


def test_panes_can_be_added_and_removed(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live, panes=1)
    view.add_button.click()
    assert len(view.panes()) == 2
    view.panes()[0].remove.click()
    qtbot.waitUntil(lambda: len(view.panes()) == 1, timeout=2000)


def test_renders_with_an_empty_database(qtbot: QtBot, live_empty: Live) -> None:
    view = make(qtbot, live_empty)
    assert view.empty.isVisibleTo(view)
    assert view.panes()[0].key is None
    view.focus_area("S1", "A1")
    assert "No readings" in view.status.text()
    assert not view.grab().toImage().isNull()


def drawn_values(view: TrendsView, index: int) -> list[float]:
    """What the pane's curve holds now, without asking it to draw."""
    curve = view.panes()[index].plot.curve()
    if curve is None:
        return []
    _x, y = curve.getOriginalDataset()
    return [] if y is None else [float(v) for v in y]


def test_a_wall_draws_one_pane_per_tick_and_nothing_out_of_sight(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live, panes=2)
    o2 = ChannelKey("S1", "A1", "GD-1", "O2")
    live.publish({"LEL": 3.0, "O2": 20.9})
    qtbot.waitUntil(lambda: live.core.store.channel(o2) is not None, timeout=5000)
    view.panes()[0].show_channel(LEL)
    view.panes()[1].show_channel(o2)
    qtbot.waitUntil(lambda: drawn_values(view, 0)[-1:] == [3.0] and drawn_values(view, 1)[-1:] == [20.9])
    view._timer.stop()  # the ticks by hand from here
    before = [p.plot.repaint_count for p in view.panes()]
    live.publish({"LEL": 4.0, "O2": 20.8})
    qtbot.waitUntil(lambda: all(p.pending for p in view.panes()), timeout=5000)
    view._step()
    assert sorted(p.plot.repaint_count - b for p, b in zip(view.panes(), before, strict=True)) == [0, 1]
    view._step()
    assert [p.plot.repaint_count - b for p, b in zip(view.panes(), before, strict=True)] == [1, 1]
    assert drawn_values(view, 0)[-1] == 4.0 and drawn_values(view, 1)[-1] == 20.8
    # Out of sight (a background tab, another window on top): not fed, not drawn …
    view.hide()
    live.publish({"LEL": 5.0, "O2": 20.7})
    qtbot.waitUntil(lambda: all(p.pending for p in view.panes()), timeout=5000)
    for _ in range(4):
        view._step()
    assert drawn_values(view, 0)[-1] == 4.0
    # … and brought up to date once seen again.
    view.show()
    view._timer.start()
    qtbot.waitUntil(lambda: drawn_values(view, 0)[-1:] == [5.0], timeout=5000)
    qtbot.waitUntil(lambda: drawn_values(view, 1)[-1:] == [20.7], timeout=5000)


def test_a_channel_silent_since_a_restart_shows_its_kept_history_as_stale(qtbot: QtBot, live: Live) -> None:
    """Issue 19, part 7: history the field core kept from before the window's start reaches the mirror
    (``StoreExport.seeds``); a detector that has not reported since can still be picked, and its last
    kept value is never shown as a current one."""
    from cockpit.telemetry_kept import KeptChannel

    silent = ChannelKey("S1", "A1", "GD-9", "LEL")
    now = time.time()
    t = now - 60 + np.arange(30, dtype=np.float64)
    values = np.linspace(2.0, 9.0, 30).astype(np.float32)
    first = int(t[0] // BUCKET_S)
    buckets = np.full(4, 5.0, dtype=np.float32)
    kept = KeptChannel(silent, "%LEL", first, buckets, buckets, buckets, t, values, np.zeros(30, np.int8))
    assert live.core.store.restore([kept]) == 1  # what the mirror's absorb does with the first update's seeds
    view = make(qtbot, live)
    pane = view.panes()[0]
    assert pane.show_channel(silent)
    qtbot.waitUntil(lambda: len(curve_values(view)) == 30, timeout=5000)
    np.testing.assert_allclose(curve_values(view), values, rtol=1e-6)
    assert pane.plot.current_text() == "—"  # not "9 %LEL": there is no value since the restart
    assert pane.plot.state_text() == "STALE"


def test_a_fast_channel_shows_the_60_s_band_where_its_ring_no_longer_reaches(
    qtbot: QtBot, live: Live
) -> None:
    """Issue 20: a 10 Hz channel keeps its newest 8,192 samples (13.6 min); in the 1 h window the 60 s
    tier's min/max band fills the 46 min before them, in the 10 min window the ring alone does."""
    from cockpit.telemetry_kept import KeptChannel

    fast = ChannelKey("S1", "A1", "GD-8", "LEL")
    now = time.time()
    t = now - 8192 / 10 + np.arange(8192, dtype=np.float64) / 10
    values = (2.0 + np.sin(np.arange(8192) / 50)).astype(np.float32)
    first = int((now - 3600) // BUCKET_S)
    buckets = np.full(61, 4.0, dtype=np.float32)
    kept = KeptChannel(
        fast, "%LEL", first, buckets - 1, buckets + 1, buckets, t, values, np.zeros(8192, np.int8)
    )
    assert live.core.store.restore([kept]) == 1
    view = make(qtbot, live)
    pane = view.panes()[0]
    assert pane.show_channel(fast)
    pane.span.setCurrentIndex(pane.span.findData(3600))
    qtbot.waitUntil(lambda: len(pane.plot.history_times()) > 0, timeout=5000)
    band = pane.plot.history_times()
    assert band[0] <= now - 3600 + BUCKET_S and band[-1] < t[0]  # the hour before the ring, not over it
    assert len(curve_values(view)) == 8192
    pane.span.setCurrentIndex(pane.span.findData(600))
    qtbot.waitUntil(lambda: len(pane.plot.history_times()) == 0, timeout=5000)
