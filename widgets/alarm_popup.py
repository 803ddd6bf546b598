"""The alarm popup: a non-modal window that cannot be missed and stops work with one click.

It is a top-level tool window that stays on top, shown with ``show()`` (never
``exec()``: a nested event loop inside a qasync coroutine breaks the loop). It
says what happened, where, the recent trend, the permits active in the area and
whom to call, and offers the actions:

=====  =====================  ==============================================
key    button                 signal
=====  =====================  ==============================================
F9     Stop work in area      ``stop_work_requested(alarm_id)`` (no confirmation:
                              stopping is the safe direction)
F5     Acknowledge            ``acknowledged(alarm_id)``
F6     Silence                ``silenced(alarm_id)`` (the popup stays: silencing is
                              not acknowledging)
F7     Locate                 ``located(alarm_id)``
F8     Next alarm             ``next_requested(alarm_id)`` (the stack's next one in front)
       Who is inside          ``headcount_requested(alarm_id)`` (the area's headcount, issue 17)
=====  =====================  ==============================================

A priority-1 popup cannot be closed while its alarm waits for acknowledgement
(:meth:`AlarmPopup.release` closes it for the owner). Every popup says its place in
the stack ("alarm 1 of 3") and shows a value, or says that the alarm is an event.

The keys work while the popup has keyboard focus. After the stop click the
button is replaced by a delivery strip that follows the command:
sent → received → executed, or "not executed in time" / "rejected"
(:meth:`AlarmPopup.set_delivery`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from models.plant_clock import DEFAULT_ZONE, format_time, zone_mark
from widgets import theme
from widgets.alarm_words import condition_text
from widgets.badges import PriorityBadge, StateBadge, priority_label
from widgets.mini_trend import MiniTrend
from widgets.theme import QT_TRANSLATE_NOOP


@dataclass(frozen=True, slots=True)
class PopupAlarm:
    """What the popup shows about one alarm (times are UTC-aware; shown in the plant's time zone
    ``zone``, the site's, never the console's)."""

    alarm_id: str
    priority: int
    message: str  # e.g. "H2S high-high" / "硫化氢高高报"
    condition: str = ""  # e.g. "HIHI", "MAN_DOWN"
    value: float | None = None
    unit: str = ""
    limit: float | None = None
    site_name: str = ""
    area_name: str = ""
    source: str = ""  # device or worker
    raised_at: datetime | None = None
    state: str = "unack"  # unack / acked / rtn / shelved …
    stale: bool = False
    zone: str = DEFAULT_ZONE


@dataclass(frozen=True, slots=True)
class PermitLine:
    """An active permit in the alarm's area."""

    permit: str
    kind: str  # readable type, e.g. "Hot work 动火 (grade 1)"
    holder: str = ""  # the supervisor or applicant


@dataclass(frozen=True, slots=True)
class Contact:
    """Whom to call, written large enough to read while dialling."""

    name: str
    role: str
    phone: str


DELIVERY_STATES = ("pending", "sent", "received", "executed", "timeout", "rejected")
_DELIVERY_TEXT = {
    "pending": QT_TRANSLATE_NOOP("AlarmPopup", "Stop-work command: sending…"),
    "sent": QT_TRANSLATE_NOOP("AlarmPopup", "Sent ✓  →  received …  →  executed …"),
    "received": QT_TRANSLATE_NOOP("AlarmPopup", "Sent ✓  →  received ✓  →  executed …"),
    "executed": QT_TRANSLATE_NOOP("AlarmPopup", "Sent ✓  →  received ✓  →  executed ✓  WORK STOPPED"),
    "timeout": QT_TRANSLATE_NOOP("AlarmPopup", "✗ NOT EXECUTED IN TIME: call the area now"),
    "rejected": QT_TRANSLATE_NOOP("AlarmPopup", "✗ REJECTED by the field"),
}


# ISA codes kept beside the translated condition: the words operators are trained on.
_ISA_CODES = frozenset({"HIHI", "HI", "LO", "LOLO"})


def _section() -> tuple[QFrame, QVBoxLayout, QLabel]:
    frame = QFrame()
    frame.setObjectName("section")
    layout = QVBoxLayout(frame)
    heading = QLabel()
    heading.setProperty("role", "heading")
    layout.addWidget(heading)
    return frame, layout, heading


# States that still wait for an acknowledgement (ISA-18.2: a returned-to-normal alarm does too).
_NEEDS_ACK = frozenset({"unack", "rtn", "rtn_unack"})


class AlarmPopup(QWidget):
    """One alarm, everything needed to act on it, and the actions (see module doc for keys)."""

    stop_work_requested = Signal(str)
    acknowledged = Signal(str)
    silenced = Signal(str)
    located = Signal(str)
    next_requested = Signal(str)  # show the next alarm of the stack in front of this one
    headcount_requested = Signal(str)  # the incident commander's headcount of the alarm's area
    dismissed = Signal(str)
    retranslated = Signal(str)  # the language changed: the owner re-sets the texts it made (message, permits)

    def __init__(self, alarm: PopupAlarm, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._alarm = alarm
        self._stop_requested = False
        self._stop_allowed = True
        self._stop_reason = ""
        self._delivery: str | None = None
        self._delivery_detail = ""
        self._silenced = False
        self._permit_lines: list[PermitLine] = []
        self._contact_list: list[Contact] | None = None  # None: not loaded yet
        self._stack = (1, 1)  # this popup's place in the stack, and how many alarms it holds
        self._released = False  # the owner may close it (acknowledged, or signing out)
        self._build_header(alarm)
        grid = self._build_sections()
        buttons = self._build_actions()
        layout = QVBoxLayout(self)
        layout.addWidget(self._stack_bar)
        layout.addWidget(self._header)
        layout.addLayout(grid, 1)
        layout.addWidget(self._stop)
        layout.addWidget(self._strip)
        layout.addLayout(buttons)

        self.retranslate()

    def _build_header(self, alarm: PopupAlarm) -> None:
        """The priority as shape + number + word, on the priority colour, with state and message."""
        self._header = QFrame(self)
        self._header.setObjectName("popupHeader")
        self._badge = PriorityBadge(alarm.priority, size_pt=24.0)
        self._priority_text = QLabel()
        self._priority_text.setProperty("role", "heading")
        self._message = QLabel()
        self._message.setProperty("role", "big")
        self._message.setWordWrap(True)
        self._state = StateBadge()
        head = QGridLayout(self._header)
        head.addWidget(self._badge, 0, 0, 2, 1)
        head.addWidget(self._priority_text, 0, 1)
        head.addWidget(self._state, 0, 2, Qt.AlignmentFlag.AlignRight)
        head.addWidget(self._message, 1, 1, 1, 2)
        head.setColumnStretch(1, 1)
        # The stack: how many alarms wait behind this one, and the way to them (F8).
        self._stack_bar = QFrame(self)
        self._stack_bar.setObjectName("popupStack")
        self._stack_text = QLabel()
        self._stack_text.setProperty("role", "heading")
        self._next = QPushButton()
        self._next.clicked.connect(self.show_next)
        bar = QHBoxLayout(self._stack_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._stack_text, 1)
        bar.addWidget(self._next)

    def _build_sections(self) -> QGridLayout:
        """What and where, the permits in the area and the contacts, in a grid."""
        what, what_l, self._what_heading = _section()
        self._value = QLabel()
        self._value.setProperty("role", "value")
        self._condition = QLabel()
        self._condition.setWordWrap(True)
        self._trend = MiniTrend()
        what_l.addWidget(self._value)
        what_l.addWidget(self._condition)
        what_l.addWidget(self._trend)
        where, where_l, self._where_heading = _section()
        self._where = QLabel()
        self._where.setProperty("role", "heading")
        self._where.setWordWrap(True)
        self._when = QLabel()
        self._when.setProperty("role", "muted")
        where_l.addWidget(self._where)
        where_l.addWidget(self._when)
        where_l.addStretch(1)

        # Permits and contacts.
        permits, permits_l, self._permits_heading = _section()
        self._permits = QLabel()
        self._permits.setWordWrap(True)
        self._permits.setTextFormat(Qt.TextFormat.PlainText)
        permits_l.addWidget(self._permits)
        permits_l.addStretch(1)
        contacts, contacts_l, self._contacts_heading = _section()
        self._contacts_box = QVBoxLayout()
        contacts_l.addLayout(self._contacts_box)
        contacts_l.addStretch(1)
        self._contact_labels: list[QLabel] = []
        grid = QGridLayout()
        grid.addWidget(what, 0, 0)
        grid.addWidget(where, 0, 1)
        grid.addWidget(permits, 1, 0)
        grid.addWidget(contacts, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return grid

    def _build_actions(self) -> QHBoxLayout:
        """Stop work with its delivery strip, and the row of the other actions (returned)."""
        self._stop = QPushButton()
        self._stop.setObjectName("stopWorkButton")
        self._stop.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._stop.clicked.connect(self.request_stop)
        self._strip = QLabel()
        self._strip.setObjectName("deliveryStrip")
        self._strip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._strip.setWordWrap(True)
        self._strip.setVisible(False)

        self._ack = QPushButton()
        self._silence = QPushButton()
        self._locate = QPushButton()
        self._headcount = QPushButton()
        self._ack.clicked.connect(self.acknowledge)
        self._silence.clicked.connect(self.silence)
        self._locate.clicked.connect(self.locate)
        self._headcount.clicked.connect(self.ask_headcount)
        buttons = QHBoxLayout()
        for b in (self._ack, self._silence, self._locate, self._headcount):
            buttons.addWidget(b)
        return buttons

    def retranslate(self) -> None:
        """Every text in the current language (also when the language changes while it is open)."""
        self._what_heading.setText(self.tr("What"))
        self._where_heading.setText(self.tr("Where"))
        self._permits_heading.setText(self.tr("Active permits in the area"))
        self._contacts_heading.setText(self.tr("Emergency contacts"))
        self._stop.setText(self.tr("STOP WORK IN AREA  (F9)"))
        self._ack.setText(self.tr("Acknowledge  (F5)"))
        self._silence.setText(self.tr("Silenced  (F6)") if self._silenced else self.tr("Silence  (F6)"))
        self._locate.setText(self.tr("Locate  (F7)"))
        self._headcount.setText(self.tr("Who is inside"))
        self._next.setText(self.tr("Next alarm  (F8)"))
        self.set_stack(*self._stack)
        self.update_alarm(self._alarm)
        self.set_permits(self._permit_lines)
        if self._contact_list is not None:
            self.set_contacts(self._contact_list)
        if self._delivery is not None:
            self.set_delivery(self._delivery, self._delivery_detail)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.retranslated.emit(self.alarm_id)
        super().changeEvent(event)

    # ---- content -------------------------------------------------------------------------
    @property
    def alarm_id(self) -> str:
        return self._alarm.alarm_id

    def alarm(self) -> PopupAlarm:
        return self._alarm

    def update_alarm(self, alarm: PopupAlarm) -> None:
        """Refresh value, state and texts while the popup is open (same alarm id)."""
        if alarm.alarm_id != self._alarm.alarm_id:
            raise ValueError("update_alarm must keep the same alarm id; open a new popup for another alarm")
        self._alarm = alarm
        self._badge.set_priority(alarm.priority)
        theme.set_state_property(self._header, "alarmPriority", alarm.priority)
        self._priority_text.setText(priority_label(alarm.priority))
        self._message.setText(alarm.message)
        self._state.set_state("stale" if alarm.stale else alarm.state)
        self.setWindowTitle(
            self.tr("ALARM P%1: %2").replace("%1", str(alarm.priority)).replace("%2", alarm.message)
        )
        self._show_value(alarm)
        parts = []
        if alarm.condition:
            code = alarm.condition.upper()
            words = condition_text(code)
            parts.append(f"{words} ({code})" if code in _ISA_CODES and words != code else words)
        if alarm.limit is not None:
            parts.append(self.tr("limit %1").replace("%1", f"{alarm.limit:g} {alarm.unit}".strip()))
        if alarm.source:
            parts.append(self.tr("source %1").replace("%1", alarm.source))
        self._condition.setText(" · ".join(parts))
        self._where.setText(" / ".join(p for p in (alarm.site_name, alarm.area_name) if p))
        when = ""
        if alarm.raised_at is not None:
            stamp = format_time(alarm.raised_at, alarm.zone, "datetime")
            when = self.tr("Raised %1").replace("%1", f"{stamp} ({zone_mark(alarm.zone, alarm.raised_at)})")
        self._when.setText(when)
        self._ack.setEnabled(alarm.state.lower() in _NEEDS_ACK)

    def _show_value(self, alarm: PopupAlarm) -> None:
        """The measured value, or what stands in its place: never a bare dash."""
        if alarm.stale:
            value = self.tr("STALE – no valid reading")
        elif alarm.value is not None:
            value = f"{alarm.value:g} {alarm.unit}".strip()
        else:  # man-down, a failed gas test, a stop not executed: something happened, nothing is measured
            value = self.tr("Event: no measured value")
        # an event has no trend: no empty "No data" box under the words that say it is an event
        self._trend.setVisible(alarm.stale or alarm.value is not None)
        self._value.setText(value)
        theme.set_state_property(self._value, "stale", alarm.stale)
        theme.set_state_property(self._value, "alarmPriority", None if alarm.stale else alarm.priority)

    def set_trend(
        self,
        t: np.ndarray,
        v: np.ndarray,
        limits: dict[str, float | None] | None = None,
        *,
        bad: np.ndarray | None = None,
    ) -> None:
        """The recent readings of the alarm's channel for the mini trend."""
        self._trend.set_series(t, v, bad=bad)
        if limits is not None:
            self._trend.set_limits(limits)

    def set_permits(self, permits: Sequence[PermitLine]) -> None:
        self._permit_lines = list(permits)
        if not permits:
            self._permits.setText(self.tr("None"))
            return
        lines = [f"{p.permit}  {p.kind}" + (f"  – {p.holder}" if p.holder else "") for p in permits]
        self._permits.setText("\n".join(lines))

    def set_contacts(self, contacts: Sequence[Contact]) -> None:
        self._contact_list = list(contacts)
        for label in self._contact_labels:
            self._contacts_box.removeWidget(label)
            label.deleteLater()
        self._contact_labels = []
        if not contacts:
            contacts_missing = QLabel(self.tr("No contacts configured for this area"))
            theme.set_state_property(contacts_missing, "alarmPriority", 3)
            self._contact_labels.append(contacts_missing)
        for c in contacts:
            who = QLabel(f"{c.name} · {c.role}")
            phone = QLabel(c.phone)
            phone.setProperty("role", "phone")
            phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._contact_labels.extend([who, phone])
        for label in self._contact_labels:
            self._contacts_box.addWidget(label)

    # ---- actions ----------------------------------------------------------------------------
    def request_stop(self) -> None:
        """One click, no confirmation: emit the request and show the delivery strip."""
        if self._stop_requested or not self._stop_allowed:
            return
        self._stop_requested = True
        self.stop_work_requested.emit(self.alarm_id)
        if self._delivery is None:
            self.set_delivery("pending")

    def acknowledge(self) -> None:
        if self._ack.isEnabled():
            self.acknowledged.emit(self.alarm_id)

    def silence(self) -> None:
        self.silenced.emit(self.alarm_id)
        self._silenced = True
        self._silence.setText(self.tr("Silenced  (F6)"))

    def locate(self) -> None:
        self.located.emit(self.alarm_id)

    def ask_headcount(self) -> None:
        self.headcount_requested.emit(self.alarm_id)

    def set_headcount_allowed(self, allowed: bool, reason: str = "") -> None:
        """Offer the headcount to the roles that may see it; the tooltip says why not."""
        self._headcount.setEnabled(allowed)
        self._headcount.setToolTip("" if allowed else reason)

    def set_stop_allowed(self, allowed: bool, reason: str = "") -> None:
        """Enable the stop button for roles that may stop work; the tooltip says why not."""
        self._stop_allowed = allowed
        self._stop_reason = reason
        self._refresh_stop()

    def set_delivery(self, state: str, detail: str = "") -> None:
        """Show the stop-work command's fate; also used when work was stopped automatically."""
        if state not in DELIVERY_STATES:
            raise ValueError(f"delivery state must be one of {', '.join(DELIVERY_STATES)}")
        self._delivery, self._delivery_detail = state, detail
        text = theme.translated("AlarmPopup", _DELIVERY_TEXT[state])
        self._strip.setText(f"{text}\n{detail}" if detail else text)
        theme.set_state_property(self._strip, "delivery", state)
        self._strip.setVisible(True)
        self._refresh_stop()

    def delivery_state(self) -> str | None:
        return self._delivery

    def delivery_text(self) -> str:
        return self._strip.text() if self._strip.isVisible() or self._delivery else ""

    def _refresh_stop(self) -> None:
        if self._delivery is not None or self._stop_requested:
            self._stop.setEnabled(False)
            self._stop.setVisible(False)
            return
        self._stop.setVisible(True)
        self._stop.setEnabled(self._stop_allowed)
        self._stop.setToolTip("" if self._stop_allowed else self._stop_reason)

    # ---- window ------------------------------------------------------------------------------
    def set_stack(self, position: int, total: int) -> None:
        """This popup is ``position`` (1 = in front) of ``total`` alarms waiting in the stack."""
        self._stack = (position, total)
        self._stack_text.setText(
            self.tr("Alarm %1 of %2 waiting for acknowledgement")
            .replace("%1", str(position))
            .replace("%2", str(total))
        )
        self._next.setEnabled(total > 1)

    def stack_text(self) -> str:
        return self._stack_text.text()

    def show_next(self) -> None:
        self.next_requested.emit(self.alarm_id)

    def show_on_screen(self, screen: QScreen | None = None, *, beside: bool = False) -> None:
        """Show (non-modal) and raise it: centred on ``screen`` (the primary screen by default), or,
        ``beside``, along its right edge so that the map of the alarm's area shows next to it."""
        screen = screen or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setScreen(screen)
            area = screen.availableGeometry()
            hint = self.sizeHint()
            share = 3 if beside else 2
            width = min(max(hint.width(), area.width() // share), area.width())
            height = min(max(hint.height(), area.height() * 2 // 3), area.height())
            self.resize(width, height)
            geom = self.frameGeometry()
            geom.moveCenter(area.center())
            if beside:
                geom.moveRight(area.right())
            self.move(geom.topLeft())
        self.show()
        self.raise_()
        self.activateWindow()

    def needs_acknowledgement(self) -> bool:
        return self._alarm.state.lower() in _NEEDS_ACK

    def release(self) -> None:
        """Close it, whatever its state: the alarm was acknowledged, or the operator signs out."""
        self._released = True
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        actions = {
            Qt.Key.Key_F9: self.request_stop,
            Qt.Key.Key_F5: self.acknowledge,
            Qt.Key.Key_F6: self.silence,
            Qt.Key.Key_F7: self.locate,
            Qt.Key.Key_F8: self.show_next,
        }
        action = actions.get(Qt.Key(event.key()))
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A priority-1 alarm stays in front until it is acknowledged: the window's close button
        # (or Alt+F4) does not take it away; acknowledging, or the owner's release(), does.
        if not self._released and self._alarm.priority == 1 and self.needs_acknowledgement():
            event.ignore()
            return
        self.dismissed.emit(self.alarm_id)
        super().closeEvent(event)

    # ---- what a user sees (for views and tests) -------------------------------------------------
    def stop_button(self) -> QPushButton:
        return self._stop

    def buttons(self) -> dict[str, QPushButton]:
        return {
            "acknowledge": self._ack,
            "silence": self._silence,
            "locate": self._locate,
            "headcount": self._headcount,
            "stop": self._stop,
        }

    def trend_shown(self) -> bool:
        """Whether the mini trend is part of the popup (not for an event, which measures nothing)."""
        return not self._trend.isHidden()

    def texts(self) -> dict[str, str]:
        return {
            "priority": self._priority_text.text(),
            "message": self._message.text(),
            "value": self._value.text(),
            "condition": self._condition.text(),
            "where": self._where.text(),
            "when": self._when.text(),
            "state": self._state.text(),
            "stack": self._stack_text.text(),
            "permits": self._permits.text(),
            "contacts": "\n".join(label.text() for label in self._contact_labels),
        }
