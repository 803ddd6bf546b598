"""Inspection rounds today (issue 23): per area the points scanned, late and missed; each round with
its progress; the selected round's points; the suspicious scans and the tags nobody registered.

Read off the GUI thread (``RoundsReads`` through ``OffGui``) every 30 s and on Refresh. Times are
the plant's. Suspicions are shown for a person to judge, never acted on here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTableWidget, QVBoxLayout, QWidget

from cockpit.inspection.rounds import RoundsBoard, RoundsReads
from models.plant_clock import PlantClock
from models.queries import SiteInfo
from models.rules import rounds as rule
from views import inspection_words as words
from views.error_words import error_text
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, fmt_local, key_of, make_table, mark
from views.view_model import Retranslated
from widgets import theme

__all__ = ["RoundsView"]

_STATE_PRIORITY = {rule.MISSED: 2, rule.LATE: 3}


def _stage(r: rule.Round) -> int:
    """0 incomplete (a point missed), 1 under way, 2 complete, 3 not started."""
    if r.count(rule.MISSED):
        return 0
    if r.count(rule.PENDING) == len(r.points):
        return 3
    return 1 if r.count(rule.PENDING) else 2


class RoundsView(Retranslated):
    def __init__(
        self,
        reads: RoundsReads,
        sites: list[SiteInfo],
        *,
        clock: Callable[[], datetime] | None = None,
        refresh_ms: int = 30_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reads = reads
        self._plant = PlantClock.from_sites(sites)
        self._areas = {(a.site_id, a.area_id): a.name for s in sites for a in s.areas}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="rounds")
        self.board: RoundsBoard | None = None
        self._order: list[int] = []  # the board's rounds in the table's order
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.reload = QPushButton()
        self.reload.clicked.connect(self.refresh)
        self.status = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.status)
        bar.addWidget(self.reload)
        self.areas = make_table([""] * 5)
        self.rounds = make_table([""] * 8)
        self.points = make_table([""] * 5)
        self.suspicious = make_table([""] * 4)
        self.area_title, self.rounds_title = QLabel(), QLabel()
        self.points_title, self.suspicious_title = QLabel(), QLabel()
        self.rounds.itemSelectionChanged.connect(self._show_points)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self._titled(self.area_title, self.areas))
        top.addWidget(self._titled(self.rounds_title, self.rounds))
        top.setSizes([600, 1300])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self._titled(self.points_title, self.points))
        bottom.addWidget(self._titled(self.suspicious_title, self.suspicious))
        bottom.setSizes([900, 1000])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(top, 1)
        layout.addWidget(bottom, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate()
        self.refresh()

    @staticmethod
    def _titled(title: QLabel, table: QTableWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addWidget(table, 1)
        return box

    # ---- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        now = self._clock()
        self._offgui.run(lambda: self._reads.board(now), self._on_board, self._on_error)

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the loads asked for so far have been shown."""
        return self._offgui.wait(ms)

    def _on_board(self, board: RoundsBoard) -> None:
        self.board = board
        self.status.setText(
            self.tr("As of %1 (%2)")
            .replace("%1", fmt_local(board.at, self._plant.zone(), "time"))
            .replace("%2", self._plant.zone_mark())
        )
        self._title()
        self._show()

    def _title(self) -> None:
        """Today's date in the title, the plant's (the board's time once read, else the clock's)."""
        at = self.board.at if self.board is not None else self._clock()
        day = fmt_local(at, self._plant.zone(), "date")
        self.title.setText(self.tr("Inspection rounds today, %1").replace("%1", day))

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The rounds could not be read: %1").replace("%1", error_text(exc)))

    # ---- showing -------------------------------------------------------------------------------
    def _area(self, site: str, area: str) -> str:
        return self._areas.get((site, area), area)

    def _show(self) -> None:
        board = self.board
        if board is None:
            return
        suspicious_by_area: dict[tuple[str, str], int] = {}
        where = {code: (r.site, r.area) for r in board.rounds for code in (p.equipment for p in r.points)}
        for s in board.suspicions:
            key = where.get(s.equipment)
            if key is not None:
                suspicious_by_area[key] = suspicious_by_area.get(key, 0) + 1
        progress = board.area_progress()
        self.areas.setRowCount(len(progress))

        def attention(item: tuple[tuple[str, str], tuple[int, int, int, int]]) -> tuple[int, int, str]:
            key, (_scanned, _total, late, missed) = item
            return (-(missed + suspicious_by_area.get(key, 0)), -late, self._area(*key))

        for row, ((site, area), (scanned, total, late, missed)) in enumerate(
            sorted(progress.items(), key=attention)
        ):
            self.areas.setItem(row, 0, cell(self._area(site, area)))
            self.areas.setItem(row, 1, cell(f"{scanned}/{total}"))
            late_cell, missed_cell = cell(str(late)), cell(str(missed))
            mark(late_cell, 3 if late else None)
            mark(missed_cell, 2 if missed else None)
            self.areas.setItem(row, 2, late_cell)
            self.areas.setItem(row, 3, missed_cell)
            odd = suspicious_by_area.get((site, area), 0)
            odd_cell = cell(str(odd))
            mark(odd_cell, 2 if odd else None)
            self.areas.setItem(row, 4, odd_cell)
        fill_done(self.areas)
        self._show_rounds(board)
        self._show_suspicious(board)

    def _show_rounds(self, board: RoundsBoard) -> None:
        """What needs a look first: incomplete rounds, then those under way, complete, not started."""
        selected = self._selected_round()
        self._order = sorted(range(len(board.rounds)), key=lambda i: (_stage(board.rounds[i]), i))
        self.rounds.setRowCount(len(board.rounds))
        states = {
            0: self.tr("incomplete"),
            1: self.tr("under way"),
            2: self.tr("complete"),
            3: self.tr("not started"),
        }
        for row, index in enumerate(self._order):
            r = board.rounds[index]
            zone = self._plant.zone(r.site)
            span = f"{fmt_local(r.starts, zone, 'minute')}–{fmt_local(r.ends, zone, 'minute')}"
            late, missed = r.count(rule.LATE), r.count(rule.MISSED)
            state = states[_stage(r)]
            values = [
                self._area(r.site, r.area),
                r.name,
                span,
                f"{r.scanned}/{len(r.points)}",
                str(late),
                str(missed),
                self.tr("yes") if r.in_order else self.tr("no"),
                state,
            ]
            for col, text in enumerate(values):
                item = cell(text, str(index) if col == 0 else None)
                if col == 4 and late:
                    mark(item, 3)
                if col == 5 and missed:
                    mark(item, 2)
                if col == 6 and not r.in_order:
                    mark(item, 3)
                self.rounds.setItem(row, col, item)
        fill_done(self.rounds)
        if board.rounds:
            self.rounds.selectRow(self._order.index(selected) if selected in self._order else 0)
        self._show_points()

    def _selected_round(self) -> int:
        """The board's index of the round selected in the table, or -1."""
        row = self.rounds.currentRow()
        key = key_of(self.rounds, row, 0) if row >= 0 else None
        return int(key) if key is not None else -1

    def _show_points(self) -> None:
        board, index = self.board, self._selected_round()
        if board is None or not 0 <= index < len(board.rounds):
            self.points.setRowCount(0)
            return
        r = board.rounds[index]
        zone = self._plant.zone(r.site)
        self.points.setRowCount(len(r.points))
        for i, p in enumerate(r.points):
            state = cell(words.word(words.POINT_STATES, p.status))
            mark(state, _STATE_PRIORITY.get(p.status))
            self.points.setItem(i, 0, cell(str(i + 1)))
            self.points.setItem(i, 1, cell(f"{board.names.get(p.equipment, p.equipment)} ({p.equipment})"))
            self.points.setItem(i, 2, state)
            self.points.setItem(i, 3, cell(fmt_local(p.scanned_at, zone, "time")))
            self.points.setItem(i, 4, cell(p.worker))
        fill_done(self.points)

    def _show_suspicious(self, board: RoundsBoard) -> None:
        rows = [(s.at, s.worker, *words.suspicion_text(s, board.names)) for s in board.suspicions]
        unknown = self.tr("Tag not in the register")
        rows += [(u.ts, u.worker, unknown, u.tag) for u in board.unknown_tags]
        self.suspicious.setRowCount(len(rows))
        zone = self._plant.zone()
        for i, (at, worker, what, detail) in enumerate(rows):
            kind = cell(what)
            mark(kind, 2)
            self.suspicious.setItem(i, 0, cell(fmt_local(at, zone, "time")))
            self.suspicious.setItem(i, 1, cell(worker))
            self.suspicious.setItem(i, 2, kind)
            self.suspicious.setItem(i, 3, cell(detail))
        fill_done(self.suspicious)

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self._title()
        self.reload.setText(self.tr("Refresh"))
        self.area_title.setText(self.tr("Areas"))
        self.rounds_title.setText(self.tr("Rounds"))
        self.points_title.setText(self.tr("Points of the selected round"))
        self.suspicious_title.setText(self.tr("Suspicious scans"))
        self.areas.setHorizontalHeaderLabels(
            [self.tr("Area"), self.tr("Scanned"), self.tr("Late"), self.tr("Missed"), self.tr("Suspicious")]
        )
        self.rounds.setHorizontalHeaderLabels(
            [
                self.tr("Area"),
                self.tr("Route"),
                self.tr("Round"),
                self.tr("Progress"),
                self.tr("Late"),
                self.tr("Missed"),
                self.tr("In order"),
                self.tr("State"),
            ]
        )
        self.points.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("Equipment"), self.tr("State"), self.tr("Scanned at"), self.tr("Worker")]
        )
        self.suspicious.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Worker"), self.tr("What"), self.tr("Detail")]
        )
        self._show()
