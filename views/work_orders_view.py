"""Defect work orders (issue 23): the queue, most urgent first, with owner, due time and time left,
how far each overdue order has been escalated; the repair reported by its owner and the order closed
only when someone else verified it. Acts carry the login's session; the service checks it and says
why it refuses (in the screen's language). Read and written off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cockpit.inspection.work_orders import CLOSED, FIXED, OPEN, WorkOrderService, WorkOrderView
from cockpit.photo_fetch import FetchedPhoto, PhotoFetcher
from cockpit.sessions import LoginSession
from models.plant_clock import PlantClock
from models.queries import SiteInfo
from models.records import PhotoRef
from models.rules.photo_evidence import TAMPERED, UNREACHABLE, VERIFIED
from views import inspection_words as words
from views.error_words import error_text
from views.evidence_section import state_text, step_text, thumbnail
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, fmt_countdown, fmt_local, key_of, make_table, mark
from views.view_model import Retranslated
from widgets import theme

__all__ = ["WorkOrdersView"]

_SEVERITY_PRIORITY = {"critical": 1, "major": 2, "minor": 3}


def _fetch(fetcher: PhotoFetcher, refs: tuple[PhotoRef, ...]) -> list[tuple[FetchedPhoto, QImage | None]]:
    """Worker thread: a defect's photos fetched, hash-checked and scaled."""
    return [(f, thumbnail(f)) for f in fetcher.fetch_all(refs)]


class WorkOrdersView(Retranslated):
    """The queue, the selected order's detail with the defect's photos (fetched and hash-checked on a
    worker of their own; one that fails its hash is said, never drawn), and the two acts."""

    photos_shown = Signal(str)  # the order whose defect photos were fetched and shown

    def __init__(
        self,
        service: WorkOrderService,
        session: LoginSession,
        sites: list[SiteInfo],
        *,
        clock: Callable[[], datetime] | None = None,
        refresh_ms: int = 30_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._session = session
        self._plant = PlantClock.from_sites(sites)
        self._areas = {(a.site_id, a.area_id): a.name for s in sites for a in s.areas}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="work-orders")
        self.orders: list[WorkOrderView] = []
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.show_closed = QCheckBox()
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.reload = QPushButton()
        self.reload.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.show_closed)
        bar.addWidget(self.reload)
        self.table = make_table([""] * 12)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self._build_photos()
        self.note = QLineEdit()
        self.fixed = QPushButton()
        self.verify = QPushButton()
        self.fixed.clicked.connect(lambda: self._act(self._service.report_fixed))
        self.verify.clicked.connect(lambda: self._act(self._service.verify_close))
        acts = QHBoxLayout()
        acts.addWidget(self.note, 1)
        acts.addWidget(self.fixed)
        acts.addWidget(self.verify)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.photos)
        layout.addLayout(acts)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate()
        self.refresh()

    # ---- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        closed = self.show_closed.isChecked()
        self._offgui.run(lambda: self._service.queue(closed=closed), self._on_orders, self._on_error)

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the loads and acts asked for so far have been shown."""
        return self._offgui.wait(ms)

    def _on_orders(self, orders: list[WorkOrderView]) -> None:
        self.orders = orders
        self._show()

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The work orders could not be read: %1").replace("%1", error_text(exc)))

    # ---- acting --------------------------------------------------------------------------------
    def select(self, order_id: str) -> None:
        for row in range(self.table.rowCount()):
            if key_of(self.table, row, 0) == order_id:
                self.table.selectRow(row)
                return

    def _current(self) -> WorkOrderView | None:
        row = self.table.currentRow()
        order_id = key_of(self.table, row, 0) if row >= 0 else None
        return next((o for o in self.orders if o.id == order_id), None)

    def _act(self, act: Callable[[object, str, str], None]) -> None:
        order = self._current()
        if order is None:
            self.status.setText(self.tr("Select a work order first."))
            return
        note, session = self.note.text(), self._session

        def done(_: None) -> None:
            self.note.clear()
            self.status.setText(self.tr("Work order %1 saved.").replace("%1", order.id))
            self.refresh()

        def refused(exc: BaseException) -> None:
            self.status.setText(words.refusal(exc))

        self._offgui.run(lambda: act(session, order.id, note), done, refused)

    def _selected(self) -> None:
        order = self._current()
        if order is None:
            self.detail.setText("")
            self.fixed.setEnabled(False)
            self.verify.setEnabled(False)
            self._want_photos(None)
            return
        zone = self._plant.zone(order.site)
        lines = [f"{order.id}: {order.description}"]
        if order.fixed_by:
            lines.append(
                self.tr("Repaired by %1: %2").replace("%1", order.fixed_by).replace("%2", order.fixed_note)
            )
        if order.verified_by:
            lines.append(
                self.tr("Verified by %1 at %2: %3")
                .replace("%1", order.verified_by)
                .replace("%2", fmt_local(order.closed_at, zone, "short"))
                .replace("%3", order.verification)
            )
        self.detail.setText("\n".join(lines))
        self.fixed.setEnabled(order.status == OPEN)
        self.verify.setEnabled(order.status == FIXED)
        self._want_photos(order)

    # ---- the defect's photos -------------------------------------------------------------------
    def _build_photos(self) -> None:
        self.photos = QWidget()
        self._photo_row = QHBoxLayout(self.photos)
        self._photo_row.setContentsMargins(0, 0, 0, 0)
        self._photo_worker = OffGui(self, name="defect-photos")
        self._photos_for = ""
        self.photo_lines: list[tuple[str, str]] = []  # (fetch state, caption) of each photo shown

    def _want_photos(self, order: WorkOrderView | None) -> None:
        """Fetch the photos of a newly selected order (the 30 s refresh does not fetch them again)."""
        key = order.id if order is not None else ""
        if key == self._photos_for:
            return
        self._photos_for = key
        self._show_photos([])
        fetcher = self._service.photos
        if order is None or fetcher is None or not order.photos:
            return
        refs = order.photos
        self._photo_worker.run(
            lambda: _fetch(fetcher, refs), lambda got: self._on_photos(key, got), lambda exc: None
        )

    def _on_photos(self, order_id: str, got: list[tuple[FetchedPhoto, QImage | None]]) -> None:
        if order_id != self._photos_for:
            return  # the user moved on
        self._show_photos(got)
        self.photos_shown.emit(order_id)

    def _show_photos(self, got: list[tuple[FetchedPhoto, QImage | None]]) -> None:
        while (item := self._photo_row.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.photo_lines = []
        if any(f.state == UNREACHABLE for f, _ in got):
            self._photo_row.addWidget(QLabel(self.tr("The photo file store could not be reached")))
        for fetched, image in got:
            caption = f"{step_text(fetched.ref.step)} · {state_text(fetched.state)}"
            self.photo_lines.append((fetched.state, caption))
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            if image is not None:
                picture = QLabel()
                picture.setPixmap(QPixmap.fromImage(image))
                column.addWidget(picture)
            label = QLabel(caption)
            if fetched.state != VERIFIED:  # coloured here: the caption is not a styled widget of its own
                priority = 2 if fetched.state == TAMPERED else 4
                label.setStyleSheet(
                    f"background-color: {theme.priority_color(priority).name()};"
                    f" color: {theme.priority_text_color(priority).name()}; padding: 2px"
                )
            column.addWidget(label)
            self._photo_row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        self._photo_row.addStretch(1)

    # ---- showing -------------------------------------------------------------------------------
    def _show(self) -> None:
        now = self._clock()
        current = self._current()
        self.table.setRowCount(len(self.orders))
        for row, o in enumerate(self.orders):
            zone = self._plant.zone(o.site)
            overdue = o.overdue(now)
            left = "" if o.status == CLOSED else fmt_countdown(o.due_at - now)
            escalated = "" if o.escalation_step < 0 else words.word(words.CHAIN, o.escalated_to)
            values = [
                o.id,
                self._areas.get((o.site, o.area), o.area),
                f"{o.equipment_name} ({o.equipment})" if o.equipment else "",
                words.word(words.SEVERITIES, o.severity),
                o.owner or self.tr("nobody: name an owner in the register"),
                fmt_local(o.due_at, zone, "short"),
                left,
                words.word(words.ORDER_STATES, o.status),
                escalated,
                o.found_by,
                fmt_local(o.found_at or o.created_at, zone, "short"),
                o.description,
            ]
            for col, text in enumerate(values):
                item = cell(text, o.id if col == 0 else None)
                if col == 3:
                    mark(item, _SEVERITY_PRIORITY.get(o.severity))
                if col == 4 and not o.owner:
                    mark(item, 2)
                if col in (5, 6) and overdue:
                    mark(item, 1)
                if col == 8 and escalated:
                    mark(item, 2)
                self.table.setItem(row, col, item)
        fill_done(self.table)
        if current is not None:
            self.select(current.id)
        elif self.orders:
            self.table.selectRow(0)
        self._selected()

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Defect work orders"))
        self.show_closed.setText(self.tr("Show closed orders"))
        self.reload.setText(self.tr("Refresh"))
        self.note.setPlaceholderText(self.tr("Note: what was repaired, or what was checked on site"))
        self.fixed.setText(self.tr("Report repaired"))
        self.verify.setText(self.tr("Verify and close"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Order"),
                self.tr("Area"),
                self.tr("Equipment"),
                self.tr("Severity"),
                self.tr("Owner"),
                self.tr("Due"),
                self.tr("Time left"),
                self.tr("State"),
                self.tr("Escalated to"),
                self.tr("Found by"),
                self.tr("Found at"),
                self.tr("Defect"),
            ]
        )
        self._show()
