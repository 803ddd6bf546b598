"""The approval screen: the queue ranked by urgency, the permit's detail beside it, and the decision panel.

Why it is built this way:
- Database work and the password check (scrypt, deliberately slow) run on one worker thread per
  screen (``views.offgui.OffGui``); results come back through a queued signal, so the GUI thread never
  waits on the database. The countdowns tick every second from the deadlines already loaded.
- The buttons mirror the service's own rules (``PermitService.approve_refusal``) and say why in their
  tooltip when they are disabled; the service still refuses on its own, whatever the screen shows.
- The password is typed into the panel (no modal dialog, no nested ``exec()``) and cleared at once.
- ISA-101: grey; colour only for what is abnormal, always with a word (URGENT, ESCALATED, BLOCKED).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.permit_service import PermitDetail, PermitService, QueueItem, UserInfo
from cockpit.permits.blockers import Blocker, Mark
from cockpit.permits.evidence import PhotoMark
from cockpit.sessions import LoginSession
from models.rules.approval import SIGNING_ROLES
from views.approval_words import blocker_text, clears_text, mark_text
from views.decision_reason import DecisionReasonPicker, decision_reason_text
from views.error_words import error_text
from views.finding_words import refusal_text
from views.i18n import escalation_target_text, level_text, role_text
from views.offgui import OffGui
from views.permit_detail_view import PermitDetailView
from views.permit_tables import (  # shared with the other permit screens; re-exported for old imports
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
from views.queue_photos import QueuePhotoCheck
from views.view_model import PausedWhileHidden, Retranslated
from widgets import theme

# ---------------------------------------------------------------- the approval screen


class ApprovalView(Retranslated):
    """Queue on the left, detail and decision on the right."""

    permit_decided = Signal(str, str)  # permit id, decision (approve, reject, send_back)
    queue_loaded = Signal(int)  # rows
    detail_loaded = Signal(str)  # permit id
    action_failed = Signal(str)  # the readable reason

    COLUMNS = 8
    MARK_COLUMN = 7  # shown first: what the signed-in user can do with each permit
    # The order a shift lead reads a row in: for you, deadline in, priority, escalation, permit, then
    # the rest. Logical columns stay as they are (the tests and row_texts read them); the header moves.
    SHOWN_ORDER = (7, 0, 5, 6, 1, 2, 3, 4)
    _marks_key: tuple[tuple[str, ...], datetime] | None = None  # the queue and time the marks are of
    _marks: dict[str, Mark]
    _photo_marks: dict[str, PhotoMark]  # what the required key-step photos lack
    _detail: PermitDetail | None
    _selected: str | None

    def __init__(
        self,
        service: PermitService,
        *,
        session: LoginSession,
        clock: Callable[[], datetime] | None = None,
        refresh_ms: int = 15_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock or (lambda: datetime.now(UTC))
        self._session, self._username = session, session.username  # the service judges the session
        self._user: UserInfo | None = None
        self._items: list[QueueItem] = []
        self._marks, self._photo_marks = {}, {}
        self._detail, self._selected = None, None
        self._offgui = OffGui(self, name="approval")
        self._photos = QueuePhotoCheck(service, self, on_known=self._reload_marks)

        self._loaded = False
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.table = make_table([""] * self.COLUMNS, shown_order=self.SHOWN_ORDER)
        self.table.itemSelectionChanged.connect(self._on_selection)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.title)
        left_layout.addWidget(self.table)

        self.detail_view = PermitDetailView(evidence=service.evidence)
        self.panel = self._build_panel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail_view, 1)
        right_layout.addWidget(self.panel)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 6)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([1420, 580])  # proportions: the queue needs all its columns in view at 1920 px
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_countdowns)
        self._tick.start()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(refresh_ms)
        self._refresh_timer.timeout.connect(self.refresh)
        if refresh_ms > 0:
            self._refresh_timer.start()
        # Countdowns and reloads only while someone can see them (a background tab does nothing).
        PausedWhileHidden(self, [self._tick, self._refresh_timer], self.refresh)
        self.retranslate()
        self._update_buttons()
        self.set_user(session)
        self.refresh()

    # ------------------------------------------------------------ panel

    def _build_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("decisionPanel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(panel)
        self.user_label = QLabel()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.textChanged.connect(self._update_buttons)
        self.green = QCheckBox()
        self.green.toggled.connect(self._update_buttons)
        self.green_reason = QLineEdit()
        self.green_reason.textChanged.connect(self._update_buttons)
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(self._approve)
        self.reason = DecisionReasonPicker()  # a code the monthly report counts, and optional text
        self.reason.changed.connect(self._update_buttons)
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(lambda: self._decide("reject"))
        self.send_back_button = QPushButton()
        self.send_back_button.clicked.connect(lambda: self._decide("send_back"))
        self.approve_hint = QLabel()  # why Approve is disabled, visible (not only as a tooltip)
        self.approve_hint.setWordWrap(True)
        self.approve_hint.setObjectName("mutedText")
        # Every blocker at once, each with what clears it, in a box of fixed height: choosing another
        # permit never moves the form under the approver's hand.
        self.blockers = QLabel()
        self.blockers.setWordWrap(True)
        self.blockers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.blockers.setTextFormat(Qt.TextFormat.PlainText)
        self.blockers_box = QScrollArea()
        self.blockers_box.setWidgetResizable(True)
        self.blockers_box.setFrameShape(QFrame.Shape.NoFrame)
        self.blockers_box.setWidget(self.blockers)
        self.blockers_box.setFixedHeight(self.fontMetrics().height() * 7)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setFixedHeight(self.fontMetrics().height() * 2 + 4)
        grid.addWidget(self.user_label, 0, 0, 1, 3)
        grid.addWidget(self.green, 1, 0, 1, 3)
        grid.addWidget(self.green_reason, 2, 0, 1, 3)
        grid.addWidget(self.password, 3, 0, 1, 2)
        grid.addWidget(self.approve_button, 3, 2)
        grid.addWidget(self.reason, 4, 0, 1, 3)  # the whole width: its details field was cut to "Det…"
        grid.addWidget(self.send_back_button, 5, 1)
        grid.addWidget(self.reject_button, 5, 2)
        grid.addWidget(self.approve_hint, 6, 0, 1, 3)
        grid.addWidget(self.blockers_box, 7, 0, 1, 3)
        grid.addWidget(self.message, 8, 0, 1, 3)
        return panel

    def retranslate(self) -> None:
        """Every text in the current language; what was loaded is shown again in it."""
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Deadline in"),
                self.tr("Permit"),
                self.tr("Type"),
                self.tr("Area"),
                self.tr("Starts"),
                self.tr("Priority"),
                self.tr("Escalation"),
                self.tr("For you"),
            ]
        )
        self.password.setPlaceholderText(self.tr("Re-enter your password to sign"))
        self.green.setText(self.tr("Green channel (urgent: shift lead alone, reviewed next day)"))
        self.green_reason.setPlaceholderText(self.tr("Why the work cannot wait"))
        self.approve_button.setText(self.tr("Approve and sign"))
        self.reason.retranslate()
        self.reject_button.setText(self.tr("Reject"))
        self.send_back_button.setText(self.tr("Send back"))
        if self._loaded:
            self._on_queue(self._items)
        else:
            self.title.setText(self.tr("Approval queue"))
        if self._user is not None:
            self._on_user(self._user)
        # the permit's detail shows itself again: PermitDetailView has its own retranslate()
        self._update_buttons()

    # ------------------------------------------------------------ loading

    def set_user(self, session: LoginSession) -> None:
        """The login at this console (the service checks its session, role and level again)."""
        self._session, self._username = session, session.username
        self._offgui.run(lambda: self._service.user_info(session), self._on_user, self._on_error)

    def _on_user(self, user: UserInfo | None) -> None:
        self._user = user
        if user is None:
            self.user_label.setText(self.tr("Signing as: nobody logged in"))
        else:
            level = level_text(user.approval_level.value) if user.approval_level else self.tr("none")
            self.user_label.setText(
                self.tr("Signing as: {name} ({user}), role {role}, approval level {level}").format(
                    name=user.display_name,
                    user=user.username,
                    role=role_text(user.role.value),
                    level=level,
                )
            )
        self._update_buttons()

    def refresh(self) -> None:
        """Reload the queue (and the selected permit) in the background."""
        now = self._clock()
        self._offgui.run(lambda: self._service.approval_queue(now), self._on_queue, self._on_error)
        if self._selected:
            self._load_detail(self._selected)

    def _on_queue(self, items: list[QueueItem]) -> None:
        self._items, self._loaded = items, True
        selected = self._selected
        self.table.blockSignals(True)
        self.table.clearSelection()  # a decided permit leaves: its row must not stay chosen for another
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            self.table.setItem(row, 0, cell("", item.permit_id))
            self.table.setItem(row, 1, cell(item.permit_id, item.permit_id))
            self.table.setItem(
                row, 2, cell(f"{type_text(item.type)} {grade_text(item.effective_grade)}".strip())
            )
            area = cell(item.area_name)
            area.setToolTip(f"{item.site}/{item.area}")
            self.table.setItem(row, 3, area)
            self.table.setItem(row, 4, cell(fmt_local(item.valid_from, item.timezone)))
            priority = cell(self.tr("URGENT") if item.urgent else "")
            if item.urgent:  # a word in bold, not a colour: urgency is not an alarm (ISA-101)
                font = priority.font()
                font.setBold(True)
                priority.setFont(font)
            self.table.setItem(row, 5, priority)
            self.table.setItem(row, 6, self._escalation_cell(item))
            self.table.setItem(row, self.MARK_COLUMN, self._mark_cell(item.permit_id))
            if item.permit_id == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self.title.setText(self.tr("Approval queue ({n} waiting)").format(n=len(items)))
        self._update_countdowns()
        fill_done(self.table)
        self.queue_loaded.emit(len(items))
        self._load_marks()

    # ------------------------------------------------------------ what the signed-in user may approve

    MARKS_MAX_AGE_S = 60.0

    def _load_marks(self) -> None:
        """Marks for the queue: when its permits changed, else at most once a minute (each mark runs
        the permit's checks, ~20 ms: a queue of 50 is a second of work off the screen thread)."""
        ids = tuple(item.permit_id for item in self._items)
        now = self._clock()
        if self._marks_key is not None:
            before, at = self._marks_key
            if ids == before and (now - at).total_seconds() < self.MARKS_MAX_AGE_S:
                return
        self._marks_key = (ids, now)
        session, service = self._session, self._service
        self._offgui.run(
            lambda: (service.queue_marks(session, list(ids), now), service.queue_photo_marks(list(ids))),
            self._on_marks,
            self._on_error,
        )

    def _reload_marks(self) -> None:
        self._marks_key = None
        self._load_marks()

    def _on_marks(self, marks: tuple[dict[str, Mark], dict[str, PhotoMark]]) -> None:
        self._marks, self._photo_marks = marks
        for row, item in enumerate(self._items):
            self.table.setItem(row, self.MARK_COLUMN, self._mark_cell(item.permit_id))
        self.table.resizeColumnToContents(self.MARK_COLUMN)  # the marks come after the load sized it
        self._photos.check([item.permit_id for item in self._items])  # photos never fetched

    def _mark_cell(self, permit_id: str) -> QTableWidgetItem:
        found, photo = self._marks.get(permit_id), self._photo_marks.get(permit_id)
        c = cell(mark_text(found, photo) if found is not None else "…")
        if found in (Mark.MAY, Mark.MAY_GREEN):  # what this user can act on, in bold
            font = c.font()
            font.setBold(True)
            c.setFont(font)
        return c

    def marks(self) -> dict[str, Mark]:
        """The queue's marks as shown (permit id → mark)."""
        return dict(self._marks)

    def _escalation_cell(self, item: QueueItem) -> QTableWidgetItem:
        if item.sent_back:
            why = decision_reason_text(item.sent_back_reason)
            c = cell(self.tr("sent back: {reason}").format(reason=why))
            mark(c, None)
        elif item.escalation is not None:
            who = escalation_target_text(item.escalation.escalated_to)
            c = cell(self.tr("→ {who}").format(who=who))  # the column says "Escalation": the cell fits
            c.setToolTip(
                self.tr("permit {p} waits {m} min past its approval deadline: escalated to {who}").format(
                    p=item.permit_id, m=int(item.escalation.overdue.total_seconds() // 60), who=who
                )
            )
            mark(c, item.escalation.priority)
        else:
            c = cell("")
        return c

    def _update_countdowns(self) -> None:
        now = self._clock()
        for row, item in enumerate(self._items):
            c = self.table.item(row, 0)
            if c is None:
                continue
            left = item.remaining(now)
            if item.sent_back:
                c.setText(self.tr("with applicant"))
                mark(c, None)
            elif left.total_seconds() < 0:
                c.setText(self.tr("OVERDUE {t}").format(t=fmt_countdown(-left)))
                mark(c, 3)
            else:
                c.setText(fmt_countdown(left))
                mark(c, None)

    def _on_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        key = key_of(self.table, rows[0].row(), 1)
        if key and key != self._selected:
            self._selected = str(key)
            self._detail = None
            self.message.clear()
            self._update_buttons()
            self._load_detail(self._selected)

    def select_permit(self, permit_id: str) -> None:
        """Show ``permit_id`` (from an alarm or a search), whether or not the queue shows it yet."""
        self._selected = permit_id
        self._detail = None
        self._load_detail(permit_id)

    def _load_detail(self, permit_id: str) -> None:
        now = self._clock()
        self._offgui.run(lambda: self._service.permit_detail(permit_id, now), self._on_detail, self._on_error)

    def _on_detail(self, detail: PermitDetail) -> None:
        if detail.permit_id != self._selected:
            return  # the user moved on
        self._detail = detail
        self.detail_view.show_detail(detail, self._clock())
        self.green.setEnabled(detail.urgent)
        if not detail.urgent:
            self.green.setChecked(False)
        self._update_buttons()
        self.detail_loaded.emit(detail.permit_id)

    def _on_error(self, exc: Exception) -> None:
        text = error_text(exc)
        self.message.setText(text)
        theme.set_state_property(self.message, "alarmPriority", 2)
        self.action_failed.emit(text)
        self._update_buttons()

    # ------------------------------------------------------------ decisions

    def approve_refusal(self) -> str | None:
        """Why Approve is disabled now (shown as its tooltip), or None when it is enabled."""
        if self._detail is None:
            return self.tr("select a permit in the queue")
        refusal = self._service.approve_refusal(
            self._detail, self._user, green_channel=self.green.isChecked()
        )
        if refusal is not None:
            return refusal_text(refusal) or str(refusal)
        if self.green.isChecked() and not self.green_reason.text().strip():
            return self.tr("give the green-channel reason")
        if not self.password.text():
            return self.tr("re-enter your password to sign")
        return None

    def decide_refusal(self) -> str | None:
        if self._detail is None:
            return self.tr("select a permit in the queue")
        user = self._user
        if user is None or user.role not in SIGNING_ROLES or user.approval_level is None:
            return self.tr("your role does not decide on permits")
        if self._detail.status.value != "submitted":
            return self.tr("only a submitted permit can be rejected or sent back")
        if not self.reason.reason():
            return self.tr("choose the reason first")
        return None

    def _update_buttons(self) -> None:
        busy_text = self.tr("working…")
        for button, refusal in (
            (self.approve_button, self.approve_refusal()),
            (self.reject_button, self.decide_refusal()),
            (self.send_back_button, self.decide_refusal()),
        ):
            button.setEnabled(refusal is None)
            button.setToolTip(refusal or "")
            if refusal is None and self._offgui.busy and button is self.approve_button:
                button.setToolTip(busy_text)
        self.green_reason.setEnabled(self.green.isChecked())
        refusal = self.approve_refusal()
        blocked = bool(self.current_blockers())  # then the list below says it all, in the screen's words
        self.approve_hint.setText(
            self.tr("Approve not possible: {why}").format(why=refusal) if refusal and not blocked else ""
        )
        self._show_blockers()

    def current_blockers(self) -> list[Blocker]:
        """Everything that stops the signed-in user approving the chosen permit now, all at once."""
        if self._detail is None:
            return []
        return self._service.approval_blockers(self._detail, self._user, green_channel=self.green.isChecked())

    def _show_blockers(self) -> None:
        if self._detail is None:
            self.blockers.setText("")
            return
        found = self.current_blockers()
        if not found:
            self.blockers.setText(self.tr("Nothing blocks the approval."))
            theme.set_state_property(self.blockers_box, "alarmPriority", None)
            return
        lines = [self.tr("%1 blocker(s), all of them:").replace("%1", str(len(found)))]
        zone = self._detail.timezone
        lines += [
            "• "
            + self.tr("%1 — clears when: %2")
            .replace("%1", blocker_text(b, zone))
            .replace("%2", clears_text(b))
            for b in found
        ]
        self.blockers.setText("\n".join(lines))
        theme.set_state_property(self.blockers_box, "alarmPriority", 3)

    def _approve(self) -> None:
        detail, password = self._detail, self.password.text()
        self.password.clear()  # never kept longer than the click
        if detail is None:
            return
        reason = self.green_reason.text().strip() if self.green.isChecked() else None
        session, now = self._session, self._clock()
        permit_id = detail.permit_id
        self.message.setText(self.tr("Signing {p}…").format(p=permit_id))
        theme.set_state_property(self.message, "alarmPriority", None)
        self._offgui.run(
            lambda: self._service.approve(permit_id, session, password, green_channel_reason=reason, now=now),
            lambda result: self._after("approve", permit_id, result),
            self._on_error,
        )

    def _decide(self, decision: str) -> None:
        detail = self._detail
        if detail is None:
            return
        reason, session, now = self.reason.reason(), self._session, self._clock()
        permit_id = detail.permit_id
        call = self._service.reject if decision == "reject" else self._service.send_back
        self._offgui.run(
            lambda: call(permit_id, session, reason, now=now),
            lambda result: self._after(decision, permit_id, result),
            self._on_error,
        )

    def _after(self, decision: str, permit_id: str, result: Any) -> None:
        words = {
            "approve": self.tr("{p}: signed").format(p=permit_id),
            "reject": self.tr("{p}: rejected").format(p=permit_id),
            "send_back": self.tr("{p}: sent back to the applicant").format(p=permit_id),
        }
        text = words[decision]
        if isinstance(result, PermitDetail):
            if result.status.value == "approved":
                text = self.tr("{p}: approved").format(p=permit_id)
            elif result.missing_levels:
                levels = ", ".join(level_text(lvl.value) for lvl in result.missing_levels)
                text = self.tr("{p}: signed; still needs {levels}").format(p=permit_id, levels=levels)
        self.message.setText(text)
        theme.set_state_property(self.message, "alarmPriority", None)
        self.reason.clear()
        self.green.setChecked(False)
        self.green_reason.clear()
        self.permit_decided.emit(permit_id, decision)
        self.refresh()

    # ------------------------------------------------------------ for tests and shutdown

    def wait_idle(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms) and self._photos.wait(ms)

    def row_texts(self) -> list[list[str]]:
        return [
            [text_of(self.table, r, c) for c in range(self.COLUMNS)] for r in range(self.table.rowCount())
        ]
