"""The site map: the plan by live risk, detectors and workers, and the selected area's side panel.

The side panel is what an incident commander needs about one area: whom to call (large
numbers), the guidance, who is inside (the workers on its active permits) and the permits.
"Stop work in this area" is one click with no confirmation: stopping is the safe direction.
Resuming needs a shift lead and a reason; the service refuses it when the rules say no,
and the refusal is shown here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cockpit.headcount import HeadcountReads, may_see_headcount
from cockpit.plant_reads import PlantReads
from models.alarms import Alarm
from models.plant_clock import DEFAULT_ZONE
from models.queries import AreaDetail
from views.headcount_view import HeadcountView
from views.offgui import OffGui
from views.place_names import PlaceNames
from views.view_model import (
    Coalescer,
    LiveState,
    ViewBase,
    area_shape,
    detector_pin,
    live_risk,
    refused_text,
    status_word,
    worker_marks,
)
from widgets import theme
from widgets.map_legend import MapLegend
from widgets.plan_image import decode_plan
from widgets.site_map import EquipmentMark, SiteMap
from widgets.value_tile import RISK_TEXT, permit_label

if TYPE_CHECKING:
    from cockpit.inspection.map_marks import InspectionMap, PointMark
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from cockpit.stopwork import CommandView
    from cockpit.telemetry import ChannelSnapshot
    from models.queries import DetectorInfo, SiteInfo


def plan_drawing(plant: PlantReads, site_id: str) -> QImage | None:
    """The site's plan image, decoded off the GUI thread; None without a plan (the plain plan is drawn)."""
    plan = plant.site_plan(site_id)
    return decode_plan(plan.data, plan.media_type) if plan is not None else None


class MapView(ViewBase):
    """Site plan with a side panel. Signal ``area_selected(site, area)``."""

    area_selected = Signal(str, str)
    plan_shown = Signal(str, bool)  # site, whether its plan image is drawn

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: list[SiteInfo],
        *,
        state: LiveState | None = None,
        plant: PlantReads,
        headcount: HeadcountReads | None = None,
        inspection: InspectionMap | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._plant = plant
        self._headcount_reads = headcount
        self.headcount_windows: dict[tuple[str, str], HeadcountView] = {}
        self._inspection = inspection  # open defects, missed points, suspicious scans (issue 23)
        self._points: list[PointMark] = []
        self._offgui = OffGui(self, name="map")
        self._sites: list[SiteInfo] = []
        self._detectors: list[DetectorInfo] = []
        self._selected: tuple[str, str] | None = None
        self._detail: AreaDetail | None = None
        self._newest_p1: str | None = None  # the priority-1 alarm the map last selected by itself

        self.site_box = QComboBox()
        self.site_box.currentIndexChanged.connect(self._site_changed)
        self.site_map = SiteMap()
        self.site_map.area_selected.connect(self.select_area)
        self.empty = QLabel()
        self.empty.setProperty("role", "heading")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._contact_labels: list[QLabel] = []
        self._contacts_of: AreaDetail | None = None

        self.legend = MapLegend()
        splitter = QSplitter()
        splitter.addWidget(self._build_map_side())
        splitter.addWidget(self._build_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._soon = Coalescer(self.refresh, 500, self, widget=self)  # ≤ 2 a second; none while hidden
        self.state.updated.connect(self._soon.request)
        self.state.workers_moved.connect(self._workers_moved)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._soon.request)
        self._timer.start()
        self.set_sites(sites)
        self._offgui.run(self._plant.detectors, self._took_detectors, self.show_error)
        self._points_timer = QTimer(self)
        self._points_timer.setInterval(30_000)
        self._points_timer.timeout.connect(self.read_points)
        self._points_timer.start()
        self.read_points()
        self.retranslate()

    def _build_map_side(self) -> QWidget:
        """The site's choice, the plan and the legend under it."""
        left = QWidget()
        left_l = QVBoxLayout(left)
        left_l.setContentsMargins(0, 0, 0, 0)
        left_l.addWidget(self.site_box)
        left_l.addWidget(self.empty)
        left_l.addWidget(self.site_map, 1)
        left_l.addWidget(self.legend)
        return left

    def read_points(self) -> None:
        """The inspection marks, read off the GUI thread (every 30 s)."""
        if self._inspection is not None:
            self._offgui.run(self._inspection.marks, self._took_points, self.show_error)

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the reads asked for so far have been shown."""
        return self._offgui.wait(ms)

    def _took_points(self, points: list[PointMark]) -> None:
        self._points = points
        self._show_points()

    def _show_points(self) -> None:
        site = self.current_site()
        marks = []
        for p in self._points:
            if site is None or p.site != site.site_id:
                continue
            lines = [f"{p.name} ({p.equipment})"]
            if p.orders:
                lines.append(self.tr("Open defect work orders: %1").replace("%1", ", ".join(p.orders)))
            if p.missed:
                lines.append(self.tr("Missed on today's rounds: %1").replace("%1", str(p.missed)))
            if p.suspicious:
                lines.append(self.tr("Suspicious scans today: %1").replace("%1", str(p.suspicious)))
            attention = bool(p.missed or p.suspicious)
            marks.append(EquipmentMark(p.equipment, p.x, p.y, p.priority, attention, "\n".join(lines)))
        self.site_map.set_equipment(marks)

    def _build_panel(self) -> QScrollArea:
        """The side panel: the selected area, its contacts, guidance, people and permits, stop/resume."""
        self.area_title = QLabel()
        self.area_title.setProperty("role", "title")
        self.area_title.setWordWrap(True)
        self.risk = QLabel()
        self.work = QLabel()
        self.work.setProperty("role", "heading")
        self.work.setWordWrap(True)  # "Work STOPPED in this area" whole, at any scale
        self.contacts_head = QLabel()
        self.contacts_head.setProperty("role", "heading")
        self.contacts = QVBoxLayout()
        self.guidance_head = QLabel()
        self.guidance_head.setProperty("role", "heading")
        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.inside_head = QLabel()
        self.inside_head.setProperty("role", "heading")
        self.inside = QLabel()
        self.inside.setWordWrap(True)
        self.headcount = QLabel()  # the field gate's count and names (the incident commander's headcount)
        self.headcount.setWordWrap(True)
        self.headcount_button = QPushButton()  # the headcount screen: names, contractors, trades, since
        self.headcount_button.setObjectName("headcountButton")
        self.headcount_button.clicked.connect(self.open_headcount)
        self.permits_head = QLabel()
        self.permits_head.setProperty("role", "heading")
        self.permits = QLabel()
        self.permits.setWordWrap(True)
        self.stop_button = QPushButton()
        self.stop_button.setObjectName("stopWorkButton")
        self.stop_button.clicked.connect(self.stop_work)
        self.resume_reason = QLineEdit()
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self.resume_work)
        panel = QWidget()
        side = QVBoxLayout(panel)
        for w in (self.area_title, self.risk, self.work, self.stop_button, self.contacts_head):
            side.addWidget(w)
        side.addLayout(self.contacts)
        for w in (
            self.guidance_head,
            self.guidance,
            self.inside_head,
            self.headcount,
            self.headcount_button,
            self.inside,
            self.permits_head,
            self.permits,
        ):
            side.addWidget(w)
        resume_row = QHBoxLayout()
        resume_row.addWidget(self.resume_reason, 1)
        resume_row.addWidget(self.resume_button)
        side.addLayout(resume_row)
        side.addWidget(self.status)
        side.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        scroll.setMinimumWidth(self.fontMetrics().height() * 22)
        return scroll

    # ---- plant ----------------------------------------------------------------------------------
    def set_sites(self, sites: list[SiteInfo]) -> None:
        self._sites = list(sites)
        current = self.site_box.currentData()
        self.site_box.blockSignals(True)
        self.site_box.clear()
        for s in self._sites:
            self.site_box.addItem(s.name, s.site_id)
        self.site_box.setCurrentIndex(max(self.site_box.findData(current), 0))  # the same site, if kept
        self.site_box.blockSignals(False)
        self.site_box.setVisible(len(self._sites) > 1)
        self.empty.setVisible(not self._sites)
        self._site_changed()

    def take_register(self, sites: list[SiteInfo]) -> None:
        """A register change went live (views/register_follow.py): sites, areas, plan and detectors anew."""
        self.set_sites(sites)
        self._offgui.run(self._plant.detectors, self._took_detectors, self.show_error)

    def _took_detectors(self, detectors: list[DetectorInfo]) -> None:
        self._detectors = detectors
        self.refresh()

    def current_site(self) -> SiteInfo | None:
        site_id = self.site_box.currentData()
        return next((s for s in self._sites if s.site_id == site_id), None)

    def _site_changed(self, *_: object) -> None:
        site = self.current_site()
        self.site_map.set_plan_image(None)
        if site is not None:
            self.site_map.set_plan(site.plan_width_m, site.plan_height_m)
            plant, site_id = self._plant, site.site_id
            self._offgui.run(
                lambda: plan_drawing(plant, site_id),
                lambda image: self._took_plan(site_id, image),
                self.show_error,
            )
        self.site_map.set_areas([])
        self.refresh()
        self._show_detail()  # another site, or its areas anew: the panel's prompt follows

    def _took_plan(self, site_id: str, image: QImage | None) -> None:
        site = self.current_site()
        if site is not None and site.site_id == site_id:  # the operator may have moved on meanwhile
            self.site_map.set_plan_image(image)
            self.plan_shown.emit(site_id, image is not None)

    def refresh(self) -> None:
        site = self.current_site()
        if site is None:
            self._show_detail()
            return
        board = self.state.board
        inside = self.tr("%1 inside")  # the field gate's headcount on the area's label
        self.site_map.set_areas([area_shape(a, board, inside) for a in site.areas])
        store = self.core.store
        by_device: dict[str, list[ChannelSnapshot]] = {}
        for c in store.channels(site.site_id):
            by_device.setdefault(c.key.device, []).append(c)
        pins = []
        for d in self._detectors:
            if d.site_id != site.site_id or d.x is None or d.y is None:
                continue
            snap_dev = store.device((d.site_id, d.area_id, d.device_id))
            mine = by_device.get(d.device_id, [])
            pins.append(
                detector_pin(d.device_id, x=d.x, y=d.y, snap=snap_dev, channels=mine, alarms=board.alarms)
            )
        self.site_map.set_detectors(pins)
        self._show_points()
        self._workers_moved()
        self._select_newest_p1(board.alarms)
        self._show_detail()

    def _select_newest_p1(self, alarms: tuple[Alarm, ...] | list[Alarm]) -> None:
        """A new priority-1 alarm selects its area, so its contacts show without a click.

        Only a new one: an area the operator chose afterwards stays chosen until the next.
        """
        standing = [a for a in alarms if int(a.priority) == 1 and a.active and a.first_ts is not None]
        newest = max(standing, key=lambda a: (a.first_ts, a.alarm_id), default=None)
        if newest is None or newest.alarm_id == self._newest_p1:
            return
        self._newest_p1 = newest.alarm_id
        if self._selected != (newest.site, newest.area):
            self.focus_area(newest.site, newest.area)

    def _workers_moved(self) -> None:
        if not self.isVisible():
            return  # drawn from ``state.workers`` when the map is shown again
        site = self.current_site()
        if site is not None:
            marks = worker_marks(self.state.workers.values(), site.site_id, self.state.board.alarms)
            self.site_map.set_workers(marks)

    # ---- the selected area -------------------------------------------------------------------------
    def focus_area(self, site: str, area: str) -> None:
        """Show the area's site, centre the plan on it, and open its side panel."""
        index = self.site_box.findData(site)
        if index >= 0 and index != self.site_box.currentIndex():
            self.site_box.setCurrentIndex(index)
        self.site_map.focus_area(site, area)
        self.select_area(site, area)

    def select_area(self, site: str, area: str) -> None:
        self._selected = (site, area)
        self._detail = None
        self.area_selected.emit(site, area)
        self._show_detail()

        plant = self._plant
        self._offgui.run(lambda: plant.area_detail(site, area), self._took_detail, self.show_error)

    def selected_area(self) -> tuple[str, str] | None:
        return self._selected

    def _took_detail(self, detail: AreaDetail | None) -> None:
        if detail is not None and self._selected == (detail.site_id, detail.area_id):
            self._detail = detail
            self._show_detail()

    def _show_detail(self) -> None:
        selected = self._selected
        has = selected is not None
        for w in (
            self.stop_button,
            self.resume_reason,
            self.resume_button,
            self.contacts_head,
            self.guidance_head,
            self.inside_head,
            self.permits_head,
        ):
            w.setVisible(has)  # no empty headings before an area is chosen
        self.headcount_button.setVisible(has and self._headcount_reads is not None)
        if selected is None:
            self.area_title.setText(_prompt(self.current_site()))
            for label in (self.risk, self.work, self.guidance, self.headcount, self.inside, self.permits):
                label.setText("")
            self._set_contacts(None)
            return
        site, area = selected
        detail = self._detail
        stopped = self.state.work_state(site, area) == "stopped"
        self.headcount.setText(self._gate_count(site, area))
        self.headcount_button.setText(
            self.tr("Headcount (%1)…").replace("%1", str(len(self.state.inside(site, area))))
        )
        if not may_see_headcount(self.actor.role):
            self.headcount_button.setEnabled(False)
            self.headcount_button.setToolTip(refused_text("see_the_headcount"))
        name = detail.name if detail else area
        self.area_title.setText(f"{detail.site_name} / {name}" if detail else f"{site} / {area}")
        if detail is not None:
            level = detail.risk_level.value
            risk = QCoreApplication.translate("AreaTile", RISK_TEXT.get(level, level))
            raised = live_risk(
                level, self.state.alarms_in_area(site, area), self.state.present_permits(site, area)
            )
            if raised is not None:
                risk += "  →  " + self.tr("now %1 (live alarms, high-risk permits)").replace(
                    "%1", QCoreApplication.translate("AreaTile", RISK_TEXT.get(raised, raised))
                )
            self.risk.setText(risk)
            self.guidance.setText(detail.guidance or self.tr("No guidance recorded."))
            # Workers on active and suspended (stopped) permits may still be inside: list them all.
            people = [
                f"{w.name} ({w.trade or '—'}) · {p.permit_id} {status_word(p.status.value)}"
                + (f" · {w.phone}" if w.phone else "")
                for p in detail.permits
                if p.status.value in ("active", "suspended")
                for w in p.workers
            ]
            self.inside.setText("\n".join(people) if people else self.tr("Nobody on an active permit."))
        else:
            for label in (self.risk, self.guidance, self.inside):
                label.setText(self.tr("Loading…"))
        if detail is not self._contacts_of:
            self._set_contacts(detail)
        present = self.state.present_permits(site, area)
        self.permits.setText(
            "\n".join(
                f"{p.id}  {permit_label(p.type.value)}"
                + (f" ({p.grade})" if p.grade else "")
                + f"  {status_word(p.status.value)}"
                for p in present
            )
            or self.tr("No active permits.")
        )
        self.work.setText(self.tr("Work STOPPED in this area") if stopped else self.tr("Work state: normal"))
        theme.set_state_property(self.work, "workState", "stopped" if stopped else None)
        # The actions follow the state: Stop for an area at work, Resume (with its reason) for a
        # stopped one; never a big Stop button for an area already stopped.
        self.guard(self.stop_button, "stop_work")
        allowed = self.guard(self.resume_button, "resume_work")
        self.stop_button.setVisible(not stopped)
        self.resume_reason.setEnabled(allowed)
        self.resume_button.setEnabled(allowed and stopped)
        self.resume_reason.setVisible(stopped)
        self.resume_button.setVisible(stopped)

    def _gate_count(self, site: str, area: str) -> str:
        """The field gate's headcount (allows and entries less exits), with the names: the incident
        commander's count of who is in the area."""
        inside = self.state.inside(site, area)
        count = self.tr("At the gate: %1 inside").replace("%1", str(len(inside)))
        return count + ("\n" + ", ".join(p.name for p in inside) if inside else "")

    def open_headcount(self) -> HeadcountView | None:
        """The selected area's headcount in a window of its own (one per area, raised when open)."""
        if self._selected is None or self._headcount_reads is None:
            return None
        site, area = self._selected
        window = self.headcount_windows.get((site, area))
        if window is None:
            place, zone = _place_and_zone(self._sites, site, area)
            window = HeadcountView(
                self.core,
                self.bridge,
                self.actor,
                state=self.state,
                reads=self._headcount_reads,
                site=site,
                area=area,
                place=place,
                zone=zone,
                clock=self.core.clock,
                parent=self,
            )
            window.destroyed.connect(lambda *_: self.headcount_windows.pop((site, area), None))
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.resize(self.fontMetrics().height() * 60, self.fontMetrics().height() * 30)
            self.headcount_windows[(site, area)] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def contact_texts(self) -> list[str]:
        """The contact lines shown (name · role, then the number)."""
        return [label.text() for label in self._contact_labels]

    def _set_contacts(self, detail: AreaDetail | None) -> None:
        self._contacts_of = detail
        for label in self._contact_labels:
            self.contacts.removeWidget(label)
            label.deleteLater()
        self._contact_labels = []
        if detail is None:
            return
        if not detail.contacts:
            missing = QLabel(self.tr("No emergency contacts configured for this area."))
            theme.set_state_property(missing, "alarmPriority", 3)
            self._contact_labels.append(missing)
        for c in detail.contacts:
            who = QLabel(f"{c.name} · {c.role}")
            phone = QLabel(c.phone)
            phone.setProperty("role", "phone")
            phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._contact_labels.extend([who, phone])
        for label in self._contact_labels:
            self.contacts.addWidget(label)

    # ---- actions ---------------------------------------------------------------------------------
    def stop_work(self) -> None:
        """One click: stop work in the selected area (the safe direction, no confirmation)."""
        if self._selected is None:
            return
        site, area = self._selected
        reason = self.tr("stopped from the site map by %1").replace("%1", self.actor.username)
        names = PlaceNames(self._sites)
        self.say(
            self.tr("Stop-work command sent to %1 / %2 …")
            .replace("%1", names.site(site))
            .replace("%2", names.area(site, area))
        )
        self.state.when_done(
            self.core.stop_work(self.actor, site, area, reason), self._stopped, self.show_error
        )

    def _stopped(self, view: CommandView | None) -> None:
        if view is None:
            self.say(self.tr("Work in this area was already stopped for this cause."))
        else:
            words = {
                "pending": self.tr("sending"),
                "sent": self.tr("sent"),
                "received": self.tr("received"),
                "executed": self.tr("executed"),
                "rejected": self.tr("REJECTED"),
                "timeout": self.tr("NOT EXECUTED IN TIME"),
            }
            self.say(
                self.tr("Stop-work command %1: %2")
                .replace("%1", view.command_id[:8])
                .replace("%2", words.get(view.state, view.state))
            )
        self.state.refresh()

    def resume_work(self) -> None:
        if self._selected is None:
            return
        reason = self.resume_reason.text().strip()
        if not reason:
            self.say(self.tr("Give a reason to resume work."), problem=True)
            return
        site, area = self._selected
        self.state.when_done(
            self.core.resume_work(self.actor, site, area, reason), self._resumed, self.show_error
        )

    def _resumed(self, view: CommandView) -> None:
        self.resume_reason.clear()
        self.say(self.tr("Resume-work command %1 sent.").replace("%1", view.command_id[:8]))
        self.state.refresh()

    def retranslate(self) -> None:
        self.empty.setText(self.tr("No sites configured: add sites and areas to the database."))
        self.contacts_head.setText(self.tr("Emergency contacts"))
        self.guidance_head.setText(self.tr("Guidance"))
        self.inside_head.setText(self.tr("Who is inside"))
        self.permits_head.setText(self.tr("Active permits"))
        self.stop_button.setText(self.tr("Stop work in this area"))
        self.resume_button.setText(self.tr("Resume work…"))
        self.resume_reason.setPlaceholderText(self.tr("Reason for resuming (required)"))
        self._show_detail()
        self._soon.request()  # the areas' labels ("HOT 1 · 3 inside") are worded when drawn


def _place_and_zone(sites: list[SiteInfo], site: str, area: str) -> tuple[str, str]:
    """ "Site / area" by their names (codes where the register lacks one) and the site's time zone."""
    site_info = next((s for s in sites if s.site_id == site), None)
    area_info = next((a for a in site_info.areas if a.area_id == area), None) if site_info else None
    place = f"{site_info.name if site_info else site} / {area_info.name if area_info else area}"
    return place, (site_info.timezone if site_info is not None else "") or DEFAULT_ZONE


def _prompt(site: SiteInfo | None) -> str:
    """What the empty panel asks for; a site none of whose areas is drawn yet (a plant being commissioned)
    says where they are drawn, since there is nothing to click."""
    if site is not None and site.areas and not any(len(a.polygon) >= 3 for a in site.areas):
        return QCoreApplication.translate(
            "MapView",
            "No area of this site is drawn on the plan yet: administrators and safety managers draw them "
            "on the Site plan tab",
        )
    return QCoreApplication.translate("MapView", "Click an area on the plan")
