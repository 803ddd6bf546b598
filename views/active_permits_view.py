"""Active permits: validity countdown, gas-test and supervisor check-in timers, suspend and close.

The list is loaded off the GUI thread (``OffGui``); the timers tick every second from the loaded
deadlines. Abnormal cells (expired, overdue gas test or check-in, invalid signature) carry a word and a
priority colour; normal ones stay grey. Suspend needs a reason; both buttons mirror the team's role
table and the service refuses on its own anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.permit_service import ActivePermit, PermitService, UserInfo
from cockpit.roles import ACTIONS
from cockpit.sessions import LoginSession
from models.records import PermitStatus
from views.error_words import error_text
from views.finding_words import finding_text
from views.i18n import permit_status_text
from views.offgui import OffGui
from views.pdf_button import PdfButton
from views.permit_tables import (
    cell,
    fill_done,
    fmt_countdown,
    fmt_local,
    key_of,
    make_table,
    mark,
    text_of,
)
from views.permit_words import grade_text, type_text
from views.view_model import PausedWhileHidden, Retranslated
from widgets import theme

SOON = timedelta(minutes=30)  # a timer this close to its end is shown as due soon (priority 4)


class ActivePermitsView(Retranslated):
    permit_changed = Signal(str, str)  # permit id, new status
    loaded = Signal(int)
    action_failed = Signal(str)

    COLUMNS = 8

    def __init__(
        self,
        service: PermitService,
        *,
        session: LoginSession,
        clock: Callable[[], datetime] | None = None,
        refresh_ms: int = 15_000,
        printer: Callable[[str, Path, str], object] | None = None,  # SafetyCodes.print_permit
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock or (lambda: datetime.now(UTC))
        self._session = session  # what every act carries: the service judges it
        self._user: UserInfo | None = None
        self._items: list[ActivePermit] = []
        self._offgui = OffGui(self, name="active-permits")
        self._loaded = False
        self.title = QLabel()
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.table = make_table([""] * 8)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reason = QLineEdit()
        self.reason.textChanged.connect(self._update_buttons)
        self.suspend_button = QPushButton()
        self.suspend_button.clicked.connect(self._suspend)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self._close)
        self._printer = printer
        self.print_button = PdfButton("active-permit-print")
        self.print_button.setVisible(printer is not None)
        self.print_button.saved.connect(self._printed)
        self.print_button.failed.connect(self.message_failed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.suspend_button)
        actions.addWidget(self.close_button)
        actions.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timers)
        self._tick.start()
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_ms)
        self._refresh.timeout.connect(self.refresh)
        if refresh_ms > 0:
            self._refresh.start()
        # Countdowns and reloads only while someone can see them (a background tab does nothing).
        PausedWhileHidden(self, [self._tick, self._refresh], self.refresh)
        self.retranslate()
        self._offgui.run(lambda: service.user_info(session), self._on_user, self._on_error)
        self.refresh()

    def retranslate(self) -> None:
        """Every text in the current language; what was loaded is shown again in it."""
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Permit"),
                self.tr("Type"),
                self.tr("Area"),
                self.tr("Status"),
                self.tr("Valid for"),
                self.tr("Gas test due"),
                self.tr("Check-in due"),
                self.tr("Flags"),
            ]
        )
        self.reason.setPlaceholderText(self.tr("Reason (required to suspend)"))
        self.suspend_button.setText(self.tr("Suspend work"))
        self.close_button.setText(self.tr("Close permit"))
        self.print_button.setText(self.tr("Print permit (PDF)…"))
        if self._loaded:
            self._on_loaded(self._items)
        else:
            self.title.setText(self.tr("Active permits"))
        self._update_buttons()

    def _on_user(self, user: UserInfo | None) -> None:
        self._user = user
        self._update_buttons()

    def refresh(self) -> None:
        now = self._clock()
        self._offgui.run(lambda: self._service.active_permits(now), self._on_loaded, self._on_error)

    def _on_loaded(self, items: list[ActivePermit]) -> None:
        self._loaded = True
        selected = self.selected_permit()
        self._items = items
        self.table.blockSignals(True)
        self.table.setRowCount(len(items))
        for row, a in enumerate(items):
            self.table.setItem(row, 0, cell(a.permit_id, a.permit_id))
            self.table.setItem(row, 1, cell(f"{type_text(a.type)} {grade_text(a.effective_grade)}".strip()))
            area = cell(a.area_name)
            area.setToolTip(f"{a.site}/{a.area}")
            self.table.setItem(row, 2, area)
            status = cell(permit_status_text(a.status.value))
            mark(status, 2 if a.status is PermitStatus.SUSPENDED else None)
            self.table.setItem(row, 3, status)
            for col in (4, 5, 6):
                self.table.setItem(row, col, cell(""))
            self.table.setItem(row, 7, cell(""))
            if a.permit_id == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        # Work under way (active, suspended) counted apart from approvals not started yet.
        started = sum(1 for a in items if a.status.value in ("active", "suspended"))
        self.title.setText(
            self.tr("Active permits ({n}), approved and not yet started ({m})").format(
                n=started, m=len(items) - started
            )
        )
        self._update_timers()
        fill_done(self.table)
        self._update_buttons()
        self.loaded.emit(len(items))

    def _timer_cell(
        self, item: QTableWidgetItem, due: datetime | None, now: datetime, zone: str, late: str
    ) -> None:
        if due is None:
            item.setText("—")
            mark(item, None)
            return
        left = due - now
        if left < timedelta(0):
            item.setText(f"{late} {fmt_countdown(-left)}")
            mark(item, 3)
        else:
            item.setText(f"{fmt_countdown(left)}  ({fmt_local(due, zone, 'minute')})")
            mark(item, 4 if left <= SOON else None)

    def _update_timers(self) -> None:
        now = self._clock()
        for row, a in enumerate(self._items):
            valid, gas, checkin, flags = (self.table.item(row, c) for c in (4, 5, 6, 7))
            if valid is None or gas is None or checkin is None or flags is None:
                continue
            if a.expired(now):
                valid.setText(self.tr("EXPIRED {t} ago").format(t=fmt_countdown(now - a.valid_to)))
                mark(valid, 2)
            else:
                self._timer_cell(valid, a.valid_to, now, a.timezone, "")
            gas_late = self.tr("OVERDUE")
            self._timer_cell(gas, a.gas_test_due, now, a.timezone, gas_late)
            if a.gas_test_finding is not None:
                gas.setToolTip(finding_text(a.gas_test_finding, a.timezone))
            self._timer_cell(checkin, a.checkin_due, now, a.timezone, self.tr("OVERDUE"))
            words = []
            if a.expired(now):
                words.append(self.tr("EXPIRED"))
            if not a.signature_valid:
                words.append(self.tr("SIGNATURE INVALID"))
            if a.green_channel_review:
                words.append(self.tr("green channel: review"))
            flags.setText(" · ".join(words))
            mark(flags, 3 if (a.expired(now) or not a.signature_valid) else None)

    # ------------------------------------------------------------ actions

    def selected_permit(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return key_of(self.table, rows[0].row(), 0)

    def _selected_item(self) -> ActivePermit | None:
        pid = self.selected_permit()
        return next((a for a in self._items if a.permit_id == pid), None)

    def suspend_refusal(self) -> str | None:
        item = self._selected_item()
        if item is None:
            return self.tr("select a permit")
        if self._user is None or self._user.role not in ACTIONS["suspend_permit"]:
            return self.tr("your role may not suspend permits")
        if item.status is not PermitStatus.ACTIVE:
            return self.tr("only active work can be suspended")
        if not self.reason.text().strip():
            return self.tr("type the reason first")
        return None

    def close_refusal(self) -> str | None:
        item = self._selected_item()
        if item is None:
            return self.tr("select a permit")
        if self._user is None or self._user.role not in ACTIONS["close_permit"]:
            return self.tr("your role may not close permits")
        if item.status not in (PermitStatus.ACTIVE, PermitStatus.SUSPENDED):
            return self.tr("only active or suspended work can be closed")
        return None

    def _update_buttons(self) -> None:
        for button, refusal in (
            (self.suspend_button, self.suspend_refusal()),
            (self.close_button, self.close_refusal()),
        ):
            button.setEnabled(refusal is None)
            button.setToolTip(refusal or "")
        pid, printer = self.selected_permit(), self._printer
        if printer is None or pid is None:
            self.print_button.prepare(None, "permit.pdf")
        else:
            self.print_button.prepare(lambda path, lang: printer(pid, path, lang), f"{pid}.pdf")

    def _printed(self, path: str) -> None:
        self.message.setText(self.tr("Saved: %1").replace("%1", path))
        theme.set_state_property(self.message, "alarmPriority", None)

    def message_failed(self, text: str) -> None:
        self.message.setText(text)
        theme.set_state_property(self.message, "alarmPriority", 2)

    def _suspend(self) -> None:
        pid, reason, user, now = (
            self.selected_permit(),
            self.reason.text().strip(),
            self._session,
            self._clock(),
        )
        if pid is None:
            return
        self._offgui.run(
            lambda: self._service.suspend(pid, user, reason, now=now),
            lambda _r: self._done(pid, "suspended"),
            self._on_error,
        )

    def _close(self) -> None:
        pid, user, now = self.selected_permit(), self._session, self._clock()
        if pid is None:
            return
        self._offgui.run(
            lambda: self._service.close(pid, user, now=now),
            lambda _r: self._done(pid, "closed"),
            self._on_error,
        )

    def _done(self, permit_id: str, status: str) -> None:
        self.message.setText(self.tr("{p}: {s}").format(p=permit_id, s=status))
        theme.set_state_property(self.message, "alarmPriority", None)
        self.reason.clear()
        self.permit_changed.emit(permit_id, status)
        self.refresh()

    def _on_error(self, exc: Exception) -> None:
        text = error_text(exc)
        self.message.setText(text)
        theme.set_state_property(self.message, "alarmPriority", 2)
        self.action_failed.emit(text)

    # ------------------------------------------------------------ tests and shutdown

    def wait_idle(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)

    def row_texts(self) -> list[list[str]]:
        return [
            [text_of(self.table, r, c) for c in range(self.COLUMNS)] for r in range(self.table.rowCount())
        ]
