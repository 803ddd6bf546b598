"""TrendPlot and MiniTrend: values, limits, STALE gaps, live follow and the repaint timer."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.widgets.helpers import has_color, rendered
from widgets import theme
from widgets.trend_plot import MiniTrend, TrendPlot, bad_periods, limit_state

NOW = 1_700_000_000.0


def make_plot(qtbot, **kwargs) -> TrendPlot:
    plot = TrendPlot(clock=lambda: NOW, **kwargs)
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def series(n: int = 600, value: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    t = NOW - np.arange(n)[::-1].astype(float)
    return t, np.full(n, value)


def test_limit_state_names_the_worst_limit_crossed() -> None:
    limits = {"HI": 7.0, "HIHI": 14.0}
    assert limit_state(3.0, limits) is None
    assert limit_state(7.0, limits) == "HI"
    assert limit_state(20.0, limits) == "HIHI"
    o2 = {"LOLO": 18.0, "LO": 19.5, "HI": 23.5}
    assert limit_state(19.0, o2) == "LO"
    assert limit_state(17.0, o2) == "LOLO"
    assert limit_state(float("nan"), o2) is None


def test_bad_periods_are_contiguous_runs() -> None:
    t = np.arange(10.0)
    bad = np.array([0, 1, 1, 0, 0, 0, 1, 1, 1, 1], bool)
    assert bad_periods(t, bad) == [(1.0, 3.0), (6.0, 9.0)]
    assert bad_periods(t, np.zeros(10, bool)) == []


def test_title_value_and_state_text(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_channel("H2S", "ppm")
    plot.set_limits({"HI": 7, "HIHI": 14})
    t, v = series(value=3.2)
    plot.set_series(t, v)
    plot.flush()
    assert plot.title_text() == "H2S (ppm)"
    assert plot.current_text() == "3.2 ppm"
    assert plot.state_text() == ""
    v[-1] = 15.0
    plot.set_series(t, v)
    plot.flush()
    assert plot.current_text() == "15 ppm"
    assert plot.state_text() == "HIHI"
    labels = sorted(line.label.format for line in plot._limit_lines)
    assert labels == ["HI 7", "HIHI 14"]
    assert all(line.pen.style() == Qt.PenStyle.DashLine for line in plot._limit_lines)


def test_bad_samples_are_gaps_and_shaded(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_channel("LEL", "%LEL")
    t, v = series(value=4.0)
    bad = np.zeros(t.size, bool)
    bad[100:150] = True
    plot.set_series(t, v, bad=bad)
    plot.flush()
    _x, y = plot.curve().getOriginalDataset()
    assert np.isnan(y[100:150]).all()
    assert np.isfinite(y[:100]).all() and np.isfinite(y[150:]).all()
    assert plot.curve().opts["connect"] == "finite"
    assert plot.stale_bands() == [(t[100], t[150])]
    # Good data again: the band goes away, the item is reused rather than rebuilt.
    plot.set_series(t, v)
    plot.flush()
    assert plot.stale_bands() == []
    assert has_color(rendered(plot), theme.PALETTE.process, tolerance=30)


def test_last_sample_bad_means_stale_never_a_number(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_channel("O2", "%VOL")
    t, v = series(value=20.9)
    bad = np.zeros(t.size, bool)
    bad[-5:] = True
    plot.set_series(t, v, bad=bad)
    plot.flush()
    assert plot.current_text() == "—"
    assert plot.state_text() == "STALE"


def test_forced_stale_hides_the_value(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_channel("CO", "ppm")
    plot.set_series(*series(value=5.0))
    plot.flush()
    plot.set_stale(True)
    assert plot.current_text() == "—"
    assert plot.state_text() == "STALE"
    assert plot.property("stale") == "true"
    plot.set_stale(False)
    assert plot.current_text() == "5 ppm"


def test_repaints_only_when_dirty(qtbot) -> None:
    plot = make_plot(qtbot, refresh_hz=50)
    plot.set_series(*series())
    assert plot.is_dirty()
    qtbot.waitUntil(lambda: plot.repaint_count == 1)
    assert not plot.is_dirty()
    qtbot.wait(120)  # several timer ticks without new data
    assert plot.repaint_count == 1
    for value in (1.0, 2.0, 3.0):  # a burst costs one repaint
        plot.set_series(*series(value=value))
    qtbot.waitUntil(lambda: plot.repaint_count == 2)
    assert plot.current_text() == "3"


def test_live_window_follows_the_clock(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_window(300)
    plot.set_series(*series())
    plot.flush()
    x0, x1 = plot.x_range()
    assert x1 == pytest.approx(NOW, abs=1)
    assert x1 - x0 == pytest.approx(300, rel=0.02)


def test_user_zoom_pauses_follow_and_live_button_resumes(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_series(*series())
    plot.flush()
    assert plot.is_following()
    assert not plot._live.isVisible()
    view = plot._plot
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    with qtbot.waitSignal(plot.follow_changed) as paused:
        QApplication.sendEvent(view.viewport(), wheel)
    assert paused.args == [False]
    assert not plot.is_following()
    assert plot._live.isVisible()
    zoomed = plot.x_range()
    plot.flush()
    assert plot.x_range() == pytest.approx(zoomed)  # a paused view does not jump
    with qtbot.waitSignal(plot.follow_changed) as resumed:
        qtbot.mouseClick(plot._live, Qt.MouseButton.LeftButton)
    assert resumed.args == [True]
    assert plot.is_following()
    assert not plot._live.isVisible()
    assert plot.x_range()[1] == pytest.approx(NOW, abs=1)


def test_history_band_is_shown_for_long_windows(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_window(6 * 3600)
    th = NOW - np.arange(0, 6 * 3600, 60)[::-1].astype(float)
    plot.set_history(th, np.full(th.size, 1.0), np.full(th.size, 5.0), np.full(th.size, 3.0))
    plot.flush()
    assert plot._hist_fill.isVisible()
    _, ymean = plot._hist_mean.getOriginalDataset()
    assert np.allclose(ymean, 3.0)
    assert plot._vb.viewRange()[1][1] >= 5.0  # the band's maximum is in view
    plot.set_history(np.empty(0), np.empty(0), np.empty(0), np.empty(0))
    plot.flush()
    assert not plot._hist_fill.isVisible()


def test_limits_are_kept_in_view(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_limits({"HI": 7, "HIHI": 14})
    plot.set_series(*series(value=1.0))
    plot.flush()
    y0, y1 = plot._vb.viewRange()[1]
    assert y0 <= 1.0 and y1 >= 14.0


def test_bad_input_is_refused(qtbot) -> None:
    plot = make_plot(qtbot)
    with pytest.raises(ValueError):
        plot.set_series(np.arange(3.0), np.arange(4.0))
    with pytest.raises(ValueError):
        plot.set_series(np.arange(3.0), np.arange(3.0), bad=np.zeros(2, bool))
    with pytest.raises(ValueError):
        plot.set_window(0)


def test_mini_trend_paints_curve_limits_and_stale(qtbot) -> None:
    mini = MiniTrend()
    qtbot.addWidget(mini)
    mini.resize(300, 80)
    empty = rendered(mini)
    assert not has_color(empty, theme.PALETTE.process, tolerance=20)
    t = np.arange(100.0)
    v = np.linspace(1, 15, 100)
    mini.set_limits({"HIHI": 14})
    mini.set_series(t, v)
    assert mini.point_count() == 100
    image = rendered(mini)
    assert has_color(image, theme.PALETTE.process, tolerance=40)
    assert has_color(image, theme.PALETTE.alarm_p1, tolerance=40)
    bad = np.zeros(100, bool)
    bad[-10:] = True
    mini.set_series(t, v, bad=bad)
    assert has_color(rendered(mini), theme.PALETTE.stale, tolerance=40)


def test_many_stale_periods_are_capped_and_merged(qtbot) -> None:
    from widgets.trend_plot import MAX_BANDS

    plot = make_plot(qtbot)
    t, v = series(n=1000)
    bad = np.zeros(t.size, bool)
    bad[::4] = True  # 250 separate bad samples
    plot.set_series(t, v, bad=bad)
    plot.flush()
    bands = plot.stale_bands()
    assert len(bands) == MAX_BANDS
    assert bands[0][0] == t[0]  # the oldest period is still covered (merged), not dropped
    assert bands[-1][1] == pytest.approx(t[-3])


def test_one_curve_per_series(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_channel("H2S", "ppm")
    t, v = series(value=2.0)
    plot.set_series(t, v)
    plot.set_series(t, v * 2, name="GD-102")
    plot.flush()
    main, other = plot.curve(), plot.curve("GD-102")
    assert main is not None and other is not None and main is not other
    assert np.allclose(other.getOriginalDataset()[1], 4.0)
    assert plot.current_text() == "2 ppm"  # the title follows the first series
    assert main.opts["pen"].widthF() == 1.0
    assert plot.plot_item().clipToViewMode()
    assert plot.plot_item().downsampleMode() == (1, True, "peak")


def test_hidden_plot_does_not_repaint_until_shown(qtbot) -> None:
    plot = make_plot(qtbot, refresh_hz=50)
    plot.hide()
    plot.set_series(*series(value=6.0))
    qtbot.wait(80)
    assert plot.is_dirty()
    plot.show()
    qtbot.waitUntil(lambda: not plot.is_dirty())
    assert plot.current_text() == "6"


def test_a_plot_driven_by_its_view_draws_only_on_tick(qtbot) -> None:
    plot = make_plot(qtbot, refresh_hz=50)
    plot.set_refresh_interval(None)  # the trends view draws its panes in turn
    plot.set_series(*series(value=2.0))
    qtbot.wait(100)  # several of its own ticks, had it a timer
    assert plot.is_dirty() and plot.repaint_count == 0
    assert plot.tick()
    assert plot.repaint_count == 1 and plot.current_text() == "2"
    plot.set_refresh_interval(0.02)  # back on its own timer
    plot.set_series(*series(value=3.0))
    qtbot.waitUntil(lambda: plot.repaint_count == 2)


def test_the_vertical_range_holds_still_while_the_data_fits(qtbot) -> None:
    plot = make_plot(qtbot)
    plot.set_limits({"HI": 10, "HIHI": 25})
    t, v = series(value=3.0)
    plot.set_series(t, v + np.sin(np.arange(v.size)) * 0.3)
    plot.flush()
    first = plot._vb.viewRange()[1]
    assert first[0] <= 2.7 and first[1] >= 25.0  # the data and the limits are in view
    plot.set_series(t, v + np.cos(np.arange(v.size)) * 0.4)  # noise: new extent, same picture
    plot.flush()
    assert plot._vb.viewRange()[1] == pytest.approx(first)
    plot.set_series(t, np.full(v.size, 40.0))  # beyond the range: it grows at once
    plot.flush()
    assert plot._vb.viewRange()[1][1] >= 40.0


def test_a_redraw_paints_the_plot_once(qtbot) -> None:
    class Paints(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    plot = make_plot(qtbot)
    plot.set_refresh_interval(None)
    plot.set_series(*series())
    plot.tick()
    qtbot.wait(50)
    paints = Paints()
    plot._plot.viewport().installEventFilter(paints)
    for value in (4.0, 5.0, 6.0):
        plot.set_series(*series(value=value))
        plot.tick()  # new data and a scroll: pyqtgraph used to paint each of these twice
        QApplication.processEvents()
    assert paints.count == 3


def test_cached_axes_show_what_drawn_axes_show_after_a_scroll(qtbot) -> None:
    """The axes are painted from a pixmap cache; after the window moves they must show the new times
    and values exactly as axes drawn afresh do (a stale cache would keep the old labels)."""
    from PySide6.QtWidgets import QGraphicsItem

    now = [NOW]
    plot = TrendPlot(clock=lambda: now[0])
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    qtbot.waitExposed(plot)
    axes = [plot._plot.getPlotItem().getAxis(name) for name in ("left", "bottom")]
    assert all(a.cacheMode() is QGraphicsItem.CacheMode.DeviceCoordinateCache for a in axes)

    def pixels() -> np.ndarray:  # the graph itself (the pane's margins are nobody's to paint)
        image = plot._plot.grab().toImage()
        found = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)
        return found[..., :3].copy()  # a copy: the image's memory goes with the image

    shown = []
    for shift, value in ((0.0, 3.0), (95.0, 40.0)):  # later, and values that need a new vertical range
        now[0] = NOW + shift
        plot.set_series(*series(700, value))
        plot.flush()
        qtbot.wait(20)
        cached = pixels().astype(int)
        for axis in axes:  # the same plot, same layout, its axes drawn afresh
            axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        drawn = pixels().astype(int)
        for axis in axes:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # The same labels and lines; text smoothing in a cached pixmap differs by a few levels only.
        assert np.abs(cached - drawn).max() <= 48
        shown.append(cached)
    assert np.abs(shown[0] - shown[1]).max() > 128  # the window moved and the labels changed
