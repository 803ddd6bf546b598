"""Legible at a distance: a scale per console (100-200 %), saved with its layout; 18 px text at 100 %."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from cockpit.config import Config
from cockpit.live import CoreBridge
from cockpit.roles import Actor
from models.records import Role
from views.i18n import Language
from views.layout import Layout, WindowLayout, clamp_scale, load_layout, save_layout
from views.main_window import CockpitWindows, ViewContext
from widgets import theme

KEYS = ["overview", "map", "alarms"]


class Console:
    console = "scale-test"

    def health_payload(self) -> dict[str, object]:
        return {}


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    theme.apply_theme(qapp, 1.0)
    yield qapp
    theme.apply_theme(qapp, 1.0)  # the next test starts at 100 % whatever this one did


@pytest.fixture
def made() -> Iterator[list[CockpitWindows]]:
    windows: list[CockpitWindows] = []
    yield windows
    for cockpit in windows:
        cockpit.closing = True
        for window in list(cockpit.windows):
            window.close()


def make(made: list[CockpitWindows], layout_file: Path) -> CockpitWindows:
    config = Config()
    config.ui.layout_file = str(layout_file)
    ctx = ViewContext(
        core=Console(),  # type: ignore[arg-type]
        bridge=CoreBridge(),
        actor=Actor("op.li", Role.OPERATOR),
        config=config,
        demo=False,
    )

    def table(_ctx: ViewContext) -> QWidget:
        t = QTableWidget(3, 2)
        t.setHorizontalHeaderLabels(["Permit", "Area"])
        return t

    windows = CockpitWindows(ctx, {k: table for k in KEYS}, Language(QApplication.instance()))
    made.append(windows)
    windows.restore()
    return windows


def pixels(widget: QWidget) -> int:
    widget.ensurePolished()
    return QFontInfo(widget.font()).pixelSize()


def test_tab_and_table_text_is_at_least_18_px_at_the_default_scale(
    qtbot: QtBot, themed: QApplication, made: list[CockpitWindows], tmp_path: Path
) -> None:
    windows = make(made, tmp_path / "layout.json")
    window = windows.windows[0]
    table = windows.view("overview")
    assert windows.scale() == 1.0
    assert pixels(window.tabs.tabBar()) >= 18
    assert pixels(table) >= 18
    assert isinstance(table, QTableWidget)
    assert pixels(table.horizontalHeader()) >= 18


def test_the_scale_is_saved_with_the_layout_and_restored(
    qtbot: QtBot, themed: QApplication, made: list[CockpitWindows], tmp_path: Path
) -> None:
    path = tmp_path / "layout.json"
    first = make(made, path)
    before = pixels(first.windows[0].tabs.tabBar())
    first.set_scale(1.5)
    assert first.scale() == 1.5
    assert pixels(first.windows[0].tabs.tabBar()) >= round(before * 1.5) - 1  # the text grew with it
    assert "150 %" in first.status.text()
    first.save()
    saved = load_layout(path, set(KEYS))
    assert saved is not None and saved.scale == 1.5
    theme.apply_theme(themed, 1.0)  # a new start of the program: the configured default
    second = make(made, tmp_path / "layout.json")
    assert second.scale() == 1.5
    assert pixels(second.windows[0].tabs.tabBar()) >= round(before * 1.5) - 1


def test_the_scale_keys_stay_within_100_and_200_percent(
    qtbot: QtBot, themed: QApplication, made: list[CockpitWindows], tmp_path: Path
) -> None:
    windows = make(made, tmp_path / "layout.json")
    for _ in range(15):
        windows._step_scale(1)
    assert windows.scale() == 2.0
    for _ in range(15):
        windows._step_scale(-1)
    assert windows.scale() == 1.0


def test_a_saved_scale_out_of_range_or_not_a_number_is_clamped_or_ignored(tmp_path: Path) -> None:
    assert clamp_scale(3) == 2.0 and clamp_scale(0.5) == 1.0 and clamp_scale(1.25) == 1.25
    assert clamp_scale("big") is None and clamp_scale(None) is None and clamp_scale(float("nan")) is None
    path = tmp_path / "layout.json"
    save_layout(Layout([WindowLayout(["overview"])], scale=1.3), path)
    restored = load_layout(path, {"overview"})
    assert restored is not None and restored.scale == 1.3
    save_layout(Layout([WindowLayout(["overview"])]), path)  # an older layout: no scale, no error
    restored = load_layout(path, {"overview"})
    assert restored is not None and restored.scale is None
