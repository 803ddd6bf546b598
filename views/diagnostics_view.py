"""Diagnostics for the engineer on call: is the link up, is data arriving, what was turned away.

Everything here is read from lock-protected counters (the connector's, the rejection log's,
the store's), so a 1 Hz timer reads it straight from the GUI thread without asking the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.wire_register import Unknown, WireOnly, wire_against_register
from models.plant_clock import PlantClock
from views.duty_words import duty_holder_text, duty_role_text, duty_warning
from views.i18n import link_reason_text, link_status_word
from views.offgui import OffGui
from views.view_model import LiveState, PausedWhileHidden, ViewBase
from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from cockpit.live import CoreBridge
    from cockpit.plant_reads import PlantReads
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from models.queries import DetectorInfo, SiteInfo


# The notifier's failure codes (cockpit/notify/channels.py) in words; http_NNN, smtp_NNN and robot_N
# carry the server's own number.
NOTIFY_ERRORS: dict[str, str] = {
    "network": QT_TRANSLATE_NOOP("DiagnosticsView", "server not reachable"),
    "timeout": QT_TRANSLATE_NOOP("DiagnosticsView", "server did not answer in time"),
    "tls": QT_TRANSLATE_NOOP("DiagnosticsView", "encryption failed (certificate?)"),
    "smtp_auth": QT_TRANSLATE_NOOP("DiagnosticsView", "mail login refused"),
    "smtp_no_starttls": QT_TRANSLATE_NOOP("DiagnosticsView", "mail server offers no STARTTLS"),
    "smtp_no_auth": QT_TRANSLATE_NOOP("DiagnosticsView", "mail server offers no login"),
    "smtp_recipients_refused": QT_TRANSLATE_NOOP("DiagnosticsView", "mail addresses refused"),
    "smtp_error": QT_TRANSLATE_NOOP("DiagnosticsView", "mail server error"),
    "secret_missing": QT_TRANSLATE_NOOP("DiagnosticsView", "no key or password in the keyring"),
    "keyring_unavailable": QT_TRANSLATE_NOOP("DiagnosticsView", "keyring not usable"),
    "keyring_locked": QT_TRANSLATE_NOOP("DiagnosticsView", "keyring locked (log in to unlock it)"),
    "robot_bad_answer": QT_TRANSLATE_NOOP("DiagnosticsView", "robot answered something unreadable"),
    "internal": QT_TRANSLATE_NOOP("DiagnosticsView", "internal error (see the log)"),
}
NOTIFY_REFUSED = QT_TRANSLATE_NOOP("DiagnosticsView", "refused by the server (%1)")
# What the wire knows and the register doesn't (cockpit/wire_register.py), by kind.
UNKNOWN_KINDS: dict[Unknown, str] = {
    Unknown.AREA: QT_TRANSLATE_NOOP("DiagnosticsView", "Area"),
    Unknown.DEVICE: QT_TRANSLATE_NOOP("DiagnosticsView", "Detector"),
    Unknown.CHANNEL: QT_TRANSLATE_NOOP("DiagnosticsView", "Channel"),
}


def notify_error_text(code: str) -> str:
    """A notifier failure code in the current language (the code itself stays beside it)."""
    if not code:
        return ""
    if code in NOTIFY_ERRORS:
        return f"{theme.translated('DiagnosticsView', NOTIFY_ERRORS[code])} ({code})"
    return theme.translated("DiagnosticsView", NOTIFY_REFUSED).replace("%1", code)


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _row(*widgets: tuple[QWidget, int]) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget, stretch in widgets:
        row.addWidget(widget, stretch)
    return row


def _fill(table: QTableWidget, rows: Sequence[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.setItem(i, j, QTableWidgetItem(text))


class DiagnosticsView(ViewBase):
    """Link, counters, rejections by reason, the last rejected payloads, and what the wire knows and
    the register doesn't, with "Add to the register…" (``add_requested(WireOnly)``: the windows open
    the areas or detectors register prefilled). Without ``plant`` only the unregistered detectors are
    listed (the store knows them without the register)."""

    add_requested = Signal(object)  # WireOnly

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: object = None,
        *,
        state: LiveState | None = None,
        plant: PlantReads | None = None,
        can_add: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._clock = PlantClock.from_sites(sites if isinstance(sites, list) else [])
        self._plant, self._can_add = plant, can_add
        self._register: tuple[list[SiteInfo], list[DetectorInfo]] | None = None
        self.wire_rows: list[WireOnly] = []
        self._offgui = OffGui(self, name="diagnostics")
        self.values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        self.link_box = QGroupBox()
        form = QFormLayout(self.link_box)
        keys = (
            "link",
            "reason",
            "broker",
            "messages_in",
            "rejected",
            "queue_lag",
            "lost",
            "no_trends",
            "deliveries",
        )
        for key in (*keys, "duty_holder", "duty_role"):
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
        self.unregistered_box, self.unregistered, self.add_button = self._wire_box(
            can_add and plant is not None
        )
        self.recent_box = QGroupBox()
        self.recent = _table(5)
        self.recent.setWordWrap(False)
        QVBoxLayout(self.recent_box).addWidget(self.recent)
        self.notify_box, self.notify_channels = self._form_box(
            ("notify", "notify_sent", "notify_failed", "notify_error"), 4
        )
        self.sparkplug_box, self.sparkplug_unmapped = self._form_box(
            ("sp_host", "sp_nodes", "sp_rebirths"), 1
        )
        self.sparkplug_box.hide()  # shown while [sparkplug] is on (issue 22)

        top = QHBoxLayout()
        top.addWidget(self.link_box, 2)
        top.addWidget(self.by_reason_box, 1)
        top.addWidget(self.unregistered_box, 2)  # where, what, what came with it
        top.addWidget(self.notify_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(_row((self.recent_box, 3), (self.sparkplug_box, 1)), 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        PausedWhileHidden(self, [self._timer], self.refresh)  # a background tab does nothing
        self.state.delta.connect(lambda d: self.refresh() if d.link is not None else None)
        self.retranslate()
        self.read_register()

    # ---- the wire against the register (issue 16 part 5) --------------------------------------
    def _wire_box(self, can_add: bool) -> tuple[QGroupBox, QTableWidget, QPushButton]:
        box, table, button = QGroupBox(), _table(3), QPushButton()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.itemSelectionChanged.connect(self._wire_selected)
        button.setEnabled(False)
        button.setVisible(can_add)  # the register's editors only
        button.clicked.connect(self.add_to_register)
        column = QVBoxLayout(box)
        column.addWidget(table)
        column.addWidget(button)
        return box, table, button

    def read_register(self) -> None:
        """The register's sites and detectors, read off the GUI thread (at start and on a change)."""
        plant = self._plant
        if plant is not None:
            self._offgui.run(lambda: (plant.sites(), plant.detectors()), self._took_register, self.show_error)

    def take_register(self, _sites: list[SiteInfo]) -> None:
        """A register change went live (views/register_follow.py): compare with the new register."""
        self.read_register()

    def wait(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)

    def _took_register(self, register: tuple[list[SiteInfo], list[DetectorInfo]]) -> None:
        self._register = register
        self.refresh()

    def _wire_only(self) -> list[WireOnly]:
        store = self.core.store
        if self._register is None:  # no register (yet): the detectors the store knows are unregistered
            return [WireOnly(Unknown.DEVICE, *key) for key in sorted(store.unregistered())]
        seen: dict[tuple[str, str, str], tuple[str, ...]] = {}
        for key in store.devices():
            device = store.device(key)
            seen[key] = tuple(k.ch for k in device.channels) if device is not None else ()
        return wire_against_register(seen, *self._register)

    def _show_wire_only(self) -> None:
        rows = self._wire_only()
        if rows == self.wire_rows and self.unregistered.rowCount() == len(rows):
            return  # unchanged: the selection stays
        self.wire_rows = rows
        self.unregistered.blockSignals(True)
        _fill(
            self.unregistered,
            [(r.where, self.tr(UNKNOWN_KINDS[r.kind]), " ".join(r.seen)) for r in rows],
        )
        self.unregistered.clearSelection()
        self.unregistered.blockSignals(False)
        self._wire_selected()

    def _wire_selected(self) -> None:
        self.add_button.setEnabled(self.selected_wire_only() is not None)

    def selected_wire_only(self) -> WireOnly | None:
        rows = self.unregistered.selectionModel().selectedRows()
        return self.wire_rows[rows[0].row()] if rows and rows[0].row() < len(self.wire_rows) else None

    def add_to_register(self) -> None:
        """Open the areas or detectors register prefilled with the selected row (the windows do)."""
        row = self.selected_wire_only()
        if row is not None and self._can_add:
            self.add_requested.emit(row)

    def _form_box(self, keys: tuple[str, ...], columns: int) -> tuple[QGroupBox, QTableWidget]:
        """A box of named values with a table under them (the notifier's, the Sparkplug host's)."""
        box = QGroupBox()
        form = QFormLayout(box)
        for key in keys:
            name, value = QLabel(), QLabel()
            value.setWordWrap(True)
            form.addRow(name, value)
            self._names[key] = name
            self.values[key] = value
        table = _table(columns)
        form.addRow(table)
        return box, table

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
        self._show_trend_bound(core.store.without_history, core.store.max_channels)
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
        self._show_wire_only()
        health = core.health_payload()
        self._show_notify(health.get("notify"))
        self._show_duty(health.get("duty"))
        self._show_sparkplug(health.get("sparkplug"))

    def _show_sparkplug(self, sp: dict[str, Any] | None) -> None:
        """The Sparkplug host: its STATE, the edge nodes alive, rebirths, the metrics mapped nowhere."""
        self.sparkplug_box.setVisible(bool(sp))
        if not sp:
            return
        v = self.values
        state = self.tr("online") if sp.get("online") else self.tr("offline")
        v["sp_host"].setText(f"{sp.get('host_id', '')}  {state}")
        theme.set_state_property(v["sp_host"], "alarmPriority", None if sp.get("online") else 3)
        nodes: dict[str, bool] = sp.get("nodes") or {}
        dead = sorted(name for name, born in nodes.items() if not born)
        text = (
            self.tr("%1 of %2 alive")
            .replace("%1", str(len(nodes) - len(dead)))
            .replace("%2", str(len(nodes)))
        )
        if dead:
            text += self.tr("; not alive: %1").replace("%1", ", ".join(dead))
        v["sp_nodes"].setText(text)
        theme.set_state_property(v["sp_nodes"], "alarmPriority", 3 if dead else None)
        v["sp_rebirths"].setText(
            self.tr("%1 asked (%2 sequence gaps, %3 unknown aliases, %4 before a birth)")
            .replace("%1", f"{sp.get('rebirths_asked', 0):,}")
            .replace("%2", f"{sp.get('seq_gaps', 0):,}")
            .replace("%3", f"{sp.get('unknown_alias', 0):,}")
            .replace("%4", f"{sp.get('before_birth', 0):,}")
        )
        _fill(self.sparkplug_unmapped, [(name,) for name in sp.get("unmapped") or []])

    def _show_duty(self, duty: dict[str, Any] | None) -> None:
        """Who runs the plant's duties (cockpit/duty_lease.py), marked when nobody does."""
        warning = duty_warning(duty)
        self.values["duty_holder"].setText(f"{duty_holder_text(duty)}  {warning}".strip())
        self.values["duty_role"].setText(duty_role_text(duty))
        theme.set_state_property(self.values["duty_holder"], "alarmPriority", 1 if warning else None)

    def _show_notify(self, notify: dict[str, Any] | None) -> None:
        """The notifier's counts and last failure, from the console's health (both core shapes)."""
        v = self.values
        if not notify or not notify.get("enabled"):
            v["notify"].setText(self.tr("off (no route in [notify])"))
            for key in ("notify_sent", "notify_failed", "notify_error"):
                v[key].setText("")
            _fill(self.notify_channels, [])
            theme.set_state_property(v["notify_error"], "alarmPriority", None)
            return
        v["notify"].setText(self.tr("on, %1 waiting").replace("%1", f"{notify.get('pending', 0):,}"))
        v["notify_sent"].setText(f"{notify.get('sent', 0):,}")
        v["notify_failed"].setText(
            self.tr("%1 given up, %2 retries, %3 dropped (queue full)")
            .replace("%1", f"{notify.get('failed', 0):,}")
            .replace("%2", f"{notify.get('retries', 0):,}")
            .replace("%3", f"{notify.get('dropped', 0) + notify.get('overflow', 0):,}")
        )
        code, at = str(notify.get("last_error") or ""), notify.get("last_error_at")
        stamp = datetime.fromtimestamp(at / 1000, UTC) if at else None
        when = f"{self._clock.format(stamp)} ({self._clock.zone_mark(at=stamp)})" if stamp else ""
        v["notify_error"].setText(f"{notify_error_text(code)}  {when}".strip())
        theme.set_state_property(v["notify_error"], "alarmPriority", 3 if notify.get("failed") else None)
        channels = notify.get("channels") or {}
        _fill(
            self.notify_channels,
            [
                (
                    name,
                    f"{c.get('sent', 0):,}",
                    f"{c.get('failed', 0):,}",
                    notify_error_text(c.get("last_error", "")),
                )
                for name, c in sorted(channels.items())
            ],
        )

    def _show_trend_bound(self, over: int, bound: int) -> None:
        """Channels beyond the store's memory bound (issue 20): their values and alarms as ever, no trend."""
        label = self.values["no_trends"]
        if over:
            text = self.tr("%1 (trends are kept for the first %2 channels only)")
        else:
            text = self.tr("none (trends are kept for up to %2 channels)")
        label.setText(text.replace("%1", f"{over:,}").replace("%2", f"{bound:,}"))
        theme.set_state_property(label, "alarmPriority", 3 if over else None)

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
            "no_trends": self.tr("Channels without trends"),
            "deliveries": self.tr("Outgoing"),
            "duty_holder": self.tr("Duty holder"),
            "duty_role": self.tr("This console's part"),
            "notify": self.tr("Notifier"),
            "notify_sent": self.tr("Sent"),
            "notify_failed": self.tr("Failed"),
            "notify_error": self.tr("Last error"),
            "sp_host": self.tr("Host application"),
            "sp_nodes": self.tr("Edge nodes"),
            "sp_rebirths": self.tr("Rebirths"),
        }
        for key, label in self._names.items():
            label.setText(names[key])
        self.link_box.setTitle(self.tr("Field link"))
        self.by_reason_box.setTitle(self.tr("Rejected by reason"))
        self.by_reason.setHorizontalHeaderLabels([self.tr("Reason"), self.tr("Count")])
        self.unregistered_box.setTitle(self.tr("Heard on the wire, not in the register"))
        self.unregistered.setHorizontalHeaderLabels(
            [self.tr("Where"), self.tr("Missing"), self.tr("Heard with it")]
        )
        self.add_button.setText(self.tr("Add to the register…"))
        self.wire_rows = []  # shown again in the new language
        self.notify_box.setTitle(self.tr("Notifications (mail, chat robots)"))
        self.sparkplug_box.setTitle(self.tr("Sparkplug B"))
        self.sparkplug_unmapped.setHorizontalHeaderLabels([self.tr("Metrics mapped to no channel")])
        self.notify_channels.setHorizontalHeaderLabels(
            [self.tr("Channel"), self.tr("Sent"), self.tr("Failed"), self.tr("Last error")]
        )
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
