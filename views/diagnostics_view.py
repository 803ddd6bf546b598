"""Diagnostics for the engineer on call: is the link up, is data arriving, what was turned away.

Everything here is read from lock-protected counters (the connector's, the rejection log's,
the store's), so a 1 Hz timer reads it straight from the GUI thread without asking the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.plant_clock import PlantClock
from views.i18n import link_reason_text, link_status_word
from views.view_model import LiveState, PausedWhileHidden, ViewBase
from widgets import theme

if TYPE_CHECKING:
    from cockpit.bridge import CoreBridge
    from cockpit.port import CorePort
    from cockpit.roles import Actor


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.setItem(i, j, QTableWidgetItem(text))


class DiagnosticsView(ViewBase):
    """Link, counters, rejections by reason, the last rejected payloads, unregistered devices."""

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: Actor,
        sites: object = None,
        *,
        state: LiveState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._clock = PlantClock.from_sites(sites if isinstance(sites, list) else [])
        self.values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        self.link_box = QGroupBox()
        form = QFormLayout(self.link_box)
        for key in ("link", "reason", "broker", "messages_in", "rejected", "queue_lag", "lost", "deliveries"):
            name = QLabel()
            value = QLabel()
            value.setWordWrap(True)
            if key == "link":
                value.setProperty("role", "heading")
            form.addRow(name, value)
            self._names[key] = name
            self.values[key] = value
        self.by_reason_box = QGroupBox()
        self.by_reason = _table(2)
        QVBoxLayout(self.by_reason_box).addWidget(self.by_reason)
        self.unregistered_box = QGroupBox()
        self.unregistered = _table(3)
        QVBoxLayout(self.unregistered_box).addWidget(self.unregistered)
        self.recent_box = QGroupBox()
        self.recent = _table(5)
        self.recent.setWordWrap(False)
        QVBoxLayout(self.recent_box).addWidget(self.recent)

        top = QHBoxLayout()
        top.addWidget(self.link_box, 2)
        top.addWidget(self.by_reason_box, 1)
        top.addWidget(self.unregistered_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.recent_box, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        PausedWhileHidden(self, [self._timer], self.refresh)  # a background tab does nothing
        self.state.delta.connect(lambda d: self.refresh() if d.link is not None else None)
        self.retranslate()

    def refresh(self) -> None:
        core = self.core
        link = core.connector.link_state
        counters = core.connector.counters()
        rejections = core.rejections.snapshot()
        self.values["link"].setText(
            link_status_word(link.status.value)
            + "  "
            + self.tr("since %1").replace(
                "%1", f"{self._clock.format(link.since)} ({self._clock.zone_mark(at=link.since)})"
            )
        )
        theme.set_state_property(self.values["link"], "alarmPriority", None if link.connected else 2)
        self.values["reason"].setText(link_reason_text(link))
        self.values["broker"].setText(str(core.connector.url))
        self.values["messages_in"].setText(f"{core.stats.messages_in:,}  ({counters.messages_in:,})")
        self.values["rejected"].setText(f"{rejections['total']:,}")
        self.values["queue_lag"].setText(f"{core.stats.queue_lag_ms:.0f} ms")
        self.values["lost"].setText(f"{core.store.lost_total:,}")
        self.values["deliveries"].setText(
            self.tr("%1 published, %2 delivered, %3 waiting, %4 dropped while offline")
            .replace("%1", f"{counters.published:,}")
            .replace("%2", f"{counters.delivered:,}")
            .replace("%3", f"{counters.pending_deliveries:,}")
            .replace("%4", f"{counters.dropped_offline:,}")
        )
        by_reason = sorted(rejections["by_reason"].items(), key=lambda kv: (-kv[1], kv[0]))
        _fill(self.by_reason, [(reason, f"{n:,}") for reason, n in by_reason])
        _fill(
            self.recent,
            [
                (
                    self._clock.format(r["received_at"], style="time"),
                    r["topic"],
                    r["reason"],
                    r["detail"],
                    r["excerpt"],
                )
                for r in rejections["recent"][:50]
            ],
        )
        rows = []
        for key in sorted(core.store.unregistered()):
            dev = core.store.device(key)
            rows.append(
                ("/".join(key), str(len(dev.channels)) if dev else "0", str(dev.lost) if dev else "0")
            )
        _fill(self.unregistered, rows)

    def texts(self) -> dict[str, str]:
        return {k: v.text() for k, v in self.values.items()}

    def retranslate(self) -> None:
        names = {
            "link": self.tr("Link"),
            "reason": self.tr("Why"),
            "broker": self.tr("Broker"),
            "messages_in": self.tr("Messages in"),
            "rejected": self.tr("Rejected"),
            "queue_lag": self.tr("Queue lag"),
            "lost": self.tr("Lost by sequence gaps"),
            "deliveries": self.tr("Outgoing"),
        }
        for key, label in self._names.items():
            label.setText(names[key])
        self.link_box.setTitle(self.tr("Field link"))
        self.by_reason_box.setTitle(self.tr("Rejected by reason"))
        self.by_reason.setHorizontalHeaderLabels([self.tr("Reason"), self.tr("Count")])
        self.unregistered_box.setTitle(self.tr("Unregistered devices"))
        self.unregistered.setHorizontalHeaderLabels([self.tr("Device"), self.tr("Channels"), self.tr("Lost")])
        self.recent_box.setTitle(self.tr("Last rejected messages"))
        self.recent.setHorizontalHeaderLabels(
            [
                self.tr("Time") + f" ({self._clock.zone_mark()})",
                self.tr("Topic"),
                self.tr("Reason"),
                self.tr("Detail"),
                self.tr("Excerpt"),
            ]
        )
        self.refresh()
