"""A composed demo of the cockpit widgets with sample data, grabbed to a PNG.

Not a test: run ``.venv/bin/python -m tests.widgets.gallery out.png`` (it uses the
offscreen platform unless QT_QPA_PLATFORM says otherwise) and look at the picture
to judge overlaps, contrast and colours. ``--scale 1.5`` tries another font scale.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from widgets.alarm_popup import AlarmPopup, Contact, PermitLine, PopupAlarm
from widgets.alarm_table import AlarmRow, AlarmTable
from widgets.badges import DemoMark, PriorityBadge, StateBadge
from widgets.site_map import AreaShape, DetectorPin, SiteMap, WorkerMark
from widgets.theme import apply_theme
from widgets.trend_plot import TrendPlot
from widgets.value_tile import AreaTile, AreaTileData

SITE = "demo-plant"


def sample_areas() -> list[AreaShape]:
    return [
        AreaShape(SITE, "tank-farm", "罐区 A Tank farm", [(5, 5), (45, 5), (45, 35), (5, 35)], "major",
                  live_risk="major", alarm_priority=1, work_stopped=True, label="动火 1 · 受限空间 1"),
        AreaShape(SITE, "reactor", "反应区 Reactor", [(50, 5), (95, 5), (95, 35), (50, 35)], "high",
                  label="高处 2"),
        AreaShape(SITE, "pump", "泵房 Pump house", [(5, 40), (40, 40), (40, 65), (5, 65)], "general",
                  alarm_priority=3),
        AreaShape(SITE, "warehouse", "仓库 Store", [(45, 40), (95, 40), (95, 65), (45, 65)], "low"),
    ]  # fmt: skip


def sample_map() -> SiteMap:
    site_map = SiteMap()
    site_map.set_plan(100, 70)
    site_map.set_areas(sample_areas())
    site_map.set_detectors(
        [
            DetectorPin("GD-101", 20, 20, "alarm", 1),
            DetectorPin("GD-102", 70, 20, "ok"),
            DetectorPin("GD-103", 20, 52, "stale"),
            DetectorPin("GD-104", 70, 52, "offline"),
            DetectorPin("GD-105", 85, 28, "fault"),
        ]
    )
    site_map.set_workers([WorkerMark("W-7 张伟", 30, 15, alarm=True), WorkerMark("W-8", 60, 12)])
    return site_map


def sample_tiles() -> QWidget:
    tiles = QWidget()
    tiles_l = QGridLayout(tiles)
    tile_data = [
        AreaTileData(SITE, "tank-farm", "罐区 A Tank farm", "major", live_risk="major",
                     permits={"hot_work": 1, "confined_space": 1}, gas_channel="H2S", gas_value=15.2,
                     gas_unit="ppm", gas_limit=14, gas_limit_name="HIHI", gas_priority=1, work_stopped=True,
                     alarm_counts={1: 1, 2: 2}),
        AreaTileData(SITE, "reactor", "反应区 Reactor", "high", permits={"work_at_height": 2},
                     gas_channel="LEL", gas_value=3, gas_unit="%LEL", gas_limit=10),
        AreaTileData(SITE, "pump", "泵房 Pump house", "general", permits={"temporary_power": 1},
                     gas_channel="O2", gas_value=20.9, gas_unit="%VOL", stale=True, alarm_counts={3: 1}),
        AreaTileData(SITE, "warehouse", "仓库 Store", "low", gas_channel="CO", offline=True),
    ]  # fmt: skip
    for i, d in enumerate(tile_data):
        tiles_l.addWidget(AreaTile(d), i // 2, i % 2)
    return tiles


def sample_trend(now: float) -> TrendPlot:
    trend = TrendPlot(clock=lambda: now)
    trend.set_channel("H2S 硫化氢 · GD-101", "ppm")
    trend.set_limits({"HI": 7, "HIHI": 14})
    trend.set_window(1800)
    t = now - np.arange(1800)[::-1].astype(float)
    v = 3 + 2 * np.sin(t / 120) + np.clip((t - (now - 300)) / 25, 0, 12)
    bad = np.zeros(t.size, bool)
    bad[700:820] = True
    trend.set_series(t, v, bad=bad)
    th = now - np.arange(0, 1800, 60)[::-1].astype(float)
    base = 3 + 2 * np.sin(th / 120)
    trend.set_history(th, base - 1, base + 1.5, base)
    trend.flush()
    return trend


def sample_table(now: float) -> AlarmTable:
    table = AlarmTable()
    utc = datetime.fromtimestamp(now, UTC)
    table.set_rows(
        [
            AlarmRow("a1", 1, utc - timedelta(seconds=40), SITE, "罐区 A", "GD-101", "H2S HIHI 高高报",
                     15.2, "ppm", "unack", 1),
            AlarmRow("a2", 2, utc - timedelta(minutes=3), SITE, "罐区 A", "GD-101", "H2S HI", 8.1, "ppm",
                     "acked", 3, "李娜"),
            AlarmRow("a3", 3, utc - timedelta(minutes=9), SITE, "泵房", "GD-103", "STALE 数据过期",
                     None, "", "unack"),
            AlarmRow("a4", 4, utc - timedelta(hours=2), SITE, "仓库", "cert", "证书 30 天后到期",
                     None, "", "shelved"),
        ]
    )  # fmt: skip
    table.selectRow(1)
    return table


def legend_row() -> QWidget:
    legend = QWidget()
    legend_l = QHBoxLayout(legend)
    for p in (1, 2, 3, 4):
        legend_l.addWidget(PriorityBadge(p))
    for s in ("stale", "offline", "stopped", "demo", "hihi", "hi", "shelved"):
        legend_l.addWidget(StateBadge(s))
    legend_l.addWidget(QLabel("中文显示测试 Chinese text renders"))
    legend_l.addStretch(1)
    return legend


def build_main(now: float) -> tuple[QWidget, TrendPlot]:
    window = QWidget()
    window.setWindowTitle("Cockpit widget gallery")
    grid = QGridLayout(window)
    site_map = sample_map()
    grid.addWidget(site_map, 0, 0)
    grid.addWidget(sample_tiles(), 0, 1)
    trend = sample_trend(now)
    grid.addWidget(trend, 1, 0)
    grid.addWidget(sample_table(now), 1, 1)
    grid.addWidget(legend_row(), 2, 0, 1, 2)
    grid.setColumnStretch(0, 3)
    grid.setColumnStretch(1, 2)
    grid.setRowStretch(0, 3)
    grid.setRowStretch(1, 2)
    mark = DemoMark(window)
    margins = grid.contentsMargins()
    grid.setContentsMargins(margins.left(), mark.height() + margins.top(), margins.right(), margins.bottom())
    window._keep = [site_map]  # type: ignore[attr-defined]
    return window, trend


def build_fresh_popup(now: float) -> AlarmPopup:
    """A priority-2 popup as it first appears: the stop button not yet pressed."""
    utc = datetime.fromtimestamp(now, UTC)
    popup = AlarmPopup(
        PopupAlarm("a7", 2, "LEL 可燃气 high", "HI", 12.0, "%LEL", 10, "演示化工厂 Demo plant",
                   "反应区 Reactor", "GD-102", utc - timedelta(seconds=8))
    )  # fmt: skip
    t = now - np.arange(600)[::-1].astype(float)
    bad = np.zeros(t.size, bool)
    bad[200:260] = True
    popup.set_trend(t, 4 + np.clip((t - (now - 200)) / 25, 0, 8), {"HI": 10, "HIHI": 25}, bad=bad)
    popup.set_permits([PermitLine("WH-2024-112", "高处 Work at height", "赵敏")])
    popup.set_contacts([])
    return popup


def build_popup(now: float) -> AlarmPopup:
    utc = datetime.fromtimestamp(now, UTC)
    popup = AlarmPopup(
        PopupAlarm("a1", 1, "H2S 硫化氢 high-high", "HIHI", 15.2, "ppm", 14, "演示化工厂 Demo plant",
                   "罐区 A Tank farm", "GD-101", utc - timedelta(seconds=40))
    )  # fmt: skip
    t = now - np.arange(600)[::-1].astype(float)
    popup.set_trend(t, 3 + np.clip((t - (now - 300)) / 25, 0, 12), {"HI": 7, "HIHI": 14})
    popup.set_permits(
        [
            PermitLine("HW-2024-031", "动火 Hot work (grade 1)", "王强"),
            PermitLine("CS-2024-007", "受限空间 Confined space"),
        ]
    )
    popup.set_contacts(
        [Contact("王强", "监护人 Supervisor", "138 0013 8000"), Contact("刘洋", "值班长 Shift lead", "8123")]
    )
    popup.request_stop()
    popup.set_delivery("received", "by gateway GW-A 12:03:05")
    return popup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--scale", type=float, default=1.0, help="font scale factor")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, args.scale)  # type: ignore[arg-type]
    now = time.time()
    window, trend = build_main(now)
    window.resize(1920, 1080)
    window.show()
    popup = build_popup(now)
    popup.resize(950, 820)
    popup.show()
    fresh = build_fresh_popup(now)
    fresh.resize(950, 820)
    fresh.show()
    for _ in range(5):
        app.processEvents()
    trend.flush()
    app.processEvents()
    main_img = window.grab().toImage()
    popup_img = popup.grab().toImage()
    fresh_img = fresh.grab().toImage()
    below = max(popup_img.height(), fresh_img.height())
    out = QImage(main_img.width(), main_img.height() + below + 20, QImage.Format.Format_RGB32)
    out.fill(QColor("#808080"))
    painter = QPainter(out)
    painter.drawImage(0, 0, main_img)
    painter.drawImage(0, main_img.height() + 20, popup_img)
    painter.drawImage(popup_img.width() + 20, main_img.height() + 20, fresh_img)
    painter.end()
    if not out.save(args.out):
        print(f"could not write {args.out}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
