"""The site plan editor: the administrator loads a site's plan image, sets its scale, draws the areas.

Click points on the plan to draw the selected area's polygon, then close it (saved at once, at least
three points); edit by drawing it again, or delete it. The scale is metres per pixel, given as a
number or measured: two points clicked on the plan and the distance between them on the ground.
The roles that may not edit it (no ``SitePlans``) see the plan, its scale and the areas drawn on it,
with a line that says who changes it, and no button that changes anything.
Reads go through ``PlantReads``, changes through ``SitePlans``, which checks the acting user's stored
role and writes the audit log; all of it off the GUI thread. Refusals come back as codes and are said
here in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.plant_reads import PlantReads
from cockpit.sessions import LoginSession
from cockpit.site_plans import PlanError, PlanProblem, SitePlanRecord, SitePlans
from models.plan_geometry import Point, m_to_px, scale_from_points
from models.queries import SiteInfo
from views.offgui import OffGui
from views.plant_register_view import problem_text
from views.read_only import ReadOnlyNotice
from views.view_model import Retranslated
from widgets.plan_canvas import PlanCanvas
from widgets.plan_image import decode_plan
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "SitePlanView"
PLAN_TEXTS: dict[str, str] = {
    PlanProblem.NOT_AN_IMAGE: QT_TRANSLATE_NOOP("SitePlanView", "Not a PNG or SVG plan: {reason}"),
    PlanProblem.TOO_LARGE: QT_TRANSLATE_NOOP(
        "SitePlanView", "The plan is too large: {size_mb} MB, at most {max_mb} MB"
    ),
    PlanProblem.NO_PLAN: QT_TRANSLATE_NOOP(
        "SitePlanView", "Site {site} has no plan yet: load the plan image first"
    ),
    PlanProblem.BAD_SCALE: QT_TRANSLATE_NOOP(
        "SitePlanView", "The scale must be a positive number of metres per pixel"
    ),
    PlanProblem.FEW_POINTS: QT_TRANSLATE_NOOP(
        "SitePlanView", "An area's polygon needs at least 3 points ({count} clicked)"
    ),
    PlanProblem.TOO_MANY_POINTS: QT_TRANSLATE_NOOP("SitePlanView", "At most {max} points per polygon"),
    PlanProblem.OUTSIDE: QT_TRANSLATE_NOOP("SitePlanView", "The point ({x}, {y}) lies outside the plan"),
}


def plan_problem_text(exc: Exception) -> str:
    if isinstance(exc, PlanError):
        text = PLAN_TEXTS.get(exc.code)
        if text is not None:
            return QCoreApplication.translate(_CTX, text).format(**exc.params)
    return problem_text(exc)


class SitePlanView(Retranslated):
    """Signals: ``plan_loaded(site)``, ``action_done(action)``, ``action_failed(text)``."""

    plan_loaded = Signal(str)
    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(
        self,
        plans: SitePlans | None,  # None: the acting user's role reads only
        reads: PlantReads,
        *,
        acting: LoginSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._plans, self._reads, self._acting = plans, reads, acting
        self.editable = plans is not None
        self._offgui = OffGui(self, name="site-plan")
        self._sites: list[SiteInfo] = []
        self._plan: SitePlanRecord | None = None
        self._mode = ""  # "", "draw" or "measure"
        self._points: list[Point] = []

        self.site_box = QComboBox()
        self.site_box.currentIndexChanged.connect(self._site_changed)
        self.canvas = PlanCanvas()
        self.canvas.clicked.connect(self._clicked)
        self.areas = QListWidget()
        self.areas.currentItemChanged.connect(lambda *_: self._redraw())
        self.scale = QDoubleSpinBox()
        self.scale.setDecimals(4)
        self.scale.setRange(0.0001, 1000.0)
        self.scale.setValue(0.5)
        self.distance = QDoubleSpinBox()
        self.distance.setDecimals(1)
        self.distance.setRange(0.1, 100000.0)
        self.distance.setValue(30.0)
        self.size_label, self.message, self.hint = QLabel(), QLabel(), QLabel()
        self.message.setWordWrap(True)
        self.hint.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, slot in (
            ("load", self.choose_file),
            ("scale", self.save_scale),
            ("measure", self.start_measure),
            ("draw", self.start_drawing),
            ("undo", self.undo_point),
            ("close", self.close_polygon),
            ("cancel", self.cancel),
            ("delete", self.delete_polygon),
        ):
            self.buttons[key] = QPushButton()
            self.buttons[key].clicked.connect(slot)
        self.notice = ReadOnlyNotice(editable=self.editable)
        self._build()
        if not self.editable:
            self._read_only()
        self._set_texts()
        self._enable()
        self.refresh()

    def _read_only(self) -> None:
        """The plan, its scale and the areas drawn on it; no button that changes them."""
        self.scale.setReadOnly(True)
        self.scale.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        for widget in (self.distance_label, self.distance, *self.buttons.values()):
            widget.setVisible(False)

    def _build(self) -> None:
        top = QHBoxLayout()
        self.site_label = QLabel()
        top.addWidget(self.site_label)
        top.addWidget(self.site_box, 1)
        top.addWidget(self.buttons["load"])
        top.addWidget(self.size_label, 2)
        self.scale_box = QGroupBox()
        scale = QVBoxLayout(self.scale_box)
        self.scale_label, self.distance_label = QLabel(), QLabel()
        for label, field, button in (
            (self.scale_label, self.scale, "scale"),
            (self.distance_label, self.distance, "measure"),
        ):
            row = QHBoxLayout()
            row.addWidget(label)
            row.addWidget(field, 1)
            row.addWidget(self.buttons[button])
            scale.addLayout(row)
        self.area_box = QGroupBox()
        area = QVBoxLayout(self.area_box)
        area.addWidget(self.areas, 1)
        for pair in (("draw", "undo"), ("close", "cancel"), ("delete",)):
            row = QHBoxLayout()
            for key in pair:
                row.addWidget(self.buttons[key])
            area.addLayout(row)
        side = QVBoxLayout()
        side.addWidget(self.scale_box)
        side.addWidget(self.area_box, 1)
        side.addWidget(self.hint)
        side.addWidget(self.message)
        body = QHBoxLayout()
        body.addWidget(self.canvas, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def _set_texts(self) -> None:
        self.site_label.setText(self.tr("Site"))
        self.scale_box.setTitle(self.tr("Scale"))
        self.scale_label.setText(self.tr("Metres per pixel"))
        self.distance_label.setText(self.tr("Distance between two points (m)"))
        self.area_box.setTitle(self.tr("Areas on the plan"))
        texts = {
            "load": self.tr("Load plan (PNG or SVG)…"),
            "scale": self.tr("Set scale"),
            "measure": self.tr("Measure two points"),
            "draw": self.tr("Draw polygon"),
            "undo": self.tr("Undo point"),
            "close": self.tr("Close and save"),
            "cancel": self.tr("Cancel"),
            "delete": self.tr("Delete polygon"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self._show_hint()
        self._show_size()
        self._fill_areas()

    def retranslate(self) -> None:
        self._set_texts()

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        self._run(self._reads.sites, self._took_sites)

    def _took_sites(self, sites: list[SiteInfo]) -> None:
        current = self.site_box.currentData()
        self._sites = sites
        self.site_box.blockSignals(True)
        self.site_box.clear()
        for s in sites:
            self.site_box.addItem(f"{s.name} ({s.site_id})", s.site_id)
        self.site_box.setCurrentIndex(max(self.site_box.findData(current), 0))
        self.site_box.blockSignals(False)
        self._site_changed()

    def current_site(self) -> SiteInfo | None:
        site_id = self.site_box.currentData()
        return next((s for s in self._sites if s.site_id == site_id), None)

    def _site_changed(self, *_: object) -> None:
        site = self.current_site()
        self._fill_areas()
        if site is None:
            return
        reads, site_id = self._reads, site.site_id

        def fetch() -> tuple[SitePlanRecord | None, QImage | None]:
            plan = reads.site_plan(site_id)
            return plan, decode_plan(plan.data, plan.media_type) if plan is not None else None

        self._run(fetch, lambda got: self._took_plan(site_id, *got))

    def _took_plan(self, site_id: str, plan: SitePlanRecord | None, image: QImage | None) -> None:
        if self.site_box.currentData() != site_id:
            return
        self._plan = plan
        if plan is not None:
            self.canvas.set_image(image, plan.width_px, plan.height_px)
            self.scale.setValue(plan.m_per_px)
        else:
            self.canvas.set_image(None, 0.0, 0.0)
        self.cancel()
        self._show_size()
        self._enable()
        self._redraw()
        self.plan_loaded.emit(site_id)

    def _fill_areas(self) -> None:
        site = self.current_site()
        current = self.selected_area()
        self.areas.blockSignals(True)
        self.areas.clear()
        for area in site.areas if site is not None else ():
            drawn = self.tr("drawn") if len(area.polygon) >= 3 else self.tr("not drawn")
            item = QListWidgetItem(f"{area.area_id}  {area.name}  ({drawn})")
            item.setData(256, area.area_id)
            self.areas.addItem(item)
            if area.area_id == current:
                self.areas.setCurrentItem(item)
        self.areas.blockSignals(False)

    def selected_area(self) -> str | None:
        item = self.areas.currentItem()
        return str(item.data(256)) if item is not None else None

    def select_area(self, area_id: str) -> None:
        for i in range(self.areas.count()):
            if self.areas.item(i).data(256) == area_id:
                self.areas.setCurrentRow(i)

    def polygons_px(self) -> dict[str, tuple[str, list[Point]]]:
        """The current site's areas as drawn on the plan, in the plan's pixels."""
        site, plan = self.current_site(), self._plan
        if site is None or plan is None:
            return {}
        return {
            a.area_id: (a.name, m_to_px(a.polygon, plan.height_px, plan.m_per_px))
            for a in site.areas
            if len(a.polygon) >= 3
        }

    def _redraw(self) -> None:
        self.canvas.set_polygons(self.polygons_px(), self.selected_area())
        self._enable()

    def _show_size(self) -> None:
        plan = self._plan
        if plan is None:
            self.size_label.setText(self.tr("No plan loaded: the map shows a plain plan"))
            return
        self.size_label.setText(
            self.tr("%1 × %2 px, %3 × %4 m")
            .replace("%1", f"{plan.width_px:g}")
            .replace("%2", f"{plan.height_px:g}")
            .replace("%3", f"{plan.width_m:.0f}")
            .replace("%4", f"{plan.height_m:.0f}")
        )

    def _show_hint(self) -> None:
        if self._mode == "draw":
            text = self.tr("Click the corners of the area on the plan, then Close and save. Points: %1")
            self.hint.setText(text.replace("%1", str(len(self._points))))
        elif self._mode == "measure":
            self.hint.setText(self.tr("Click two points on the plan whose distance you know"))
        else:
            self.hint.setText("")

    def _enable(self) -> None:
        if not self.editable:  # the buttons are hidden; the canvas takes no click (no mode is set)
            return
        has_plan, area, drawing = self._plan is not None, self.selected_area(), self._mode == "draw"
        self.buttons["scale"].setEnabled(has_plan and not self._mode)
        self.buttons["measure"].setEnabled(has_plan and not self._mode)
        self.buttons["draw"].setEnabled(has_plan and area is not None and not self._mode)
        self.buttons["undo"].setEnabled(drawing and bool(self._points))
        self.buttons["close"].setEnabled(drawing)
        self.buttons["cancel"].setEnabled(bool(self._mode))
        self.buttons["delete"].setEnabled(area is not None and area in self.polygons_px() and not self._mode)

    # ------------------------------------------------------------ clicks

    def start_drawing(self) -> None:
        """Draw the selected area; one already drawn starts from its points (undo some, click new ones)."""
        drawn = self.polygons_px().get(self.selected_area() or "")
        self._mode, self._points = "draw", [(round(x, 1), round(y, 1)) for x, y in drawn[1]] if drawn else []
        self._draft()

    def start_measure(self) -> None:
        self._mode, self._points = "measure", []
        self._draft()

    def cancel(self) -> None:
        self._mode, self._points = "", []
        self._draft()

    def undo_point(self) -> None:
        if self._points:
            self._points.pop()
        self._draft()

    def _clicked(self, x: float, y: float) -> None:
        if not self._mode:
            return
        self._points.append((x, y))
        if self._mode == "measure" and len(self._points) == 2:
            a, b = self._points
            self.cancel()
            try:
                scale = scale_from_points(a, b, self.distance.value())
            except ValueError:
                self._fail(QCoreApplication.translate(_CTX, PLAN_TEXTS[PlanProblem.BAD_SCALE]))
                return
            self.scale.setValue(scale)
            self.save_scale()
            return
        self._draft()

    def _draft(self) -> None:
        self.canvas.set_draft(self._points)
        self._show_hint()
        self._enable()

    # ------------------------------------------------------------ changes

    def _edits(self) -> SitePlans:
        if self._plans is None:  # the buttons are hidden: only a caller that bypasses them gets here
            raise RuntimeError("this site plan is read-only")
        return self._plans

    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Load the site plan"))
        dialog.setNameFilter(self.tr("Site plans (*.png *.svg)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        dialog.open()  # non-modal: a nested exec() breaks the event loop

    def load_file(self, path: Path) -> None:
        site = self.site_box.currentData()
        if site is None:
            return
        self._act("load", lambda: self._edits().load_file(self._acting, site, path))

    def save_scale(self) -> None:
        site, value = self.site_box.currentData(), self.scale.value()
        self._act("scale", lambda: self._edits().set_scale(self._acting, site, value))

    def close_polygon(self) -> None:
        site, area, points = self.site_box.currentData(), self.selected_area(), list(self._points)
        if area is None:
            return
        self._act(
            "polygon", lambda: self._edits().save_polygon(self._acting, site, area, points), done=self.cancel
        )

    def delete_polygon(self) -> None:
        site, area = self.site_box.currentData(), self.selected_area()
        if area is None:
            return
        self._act("delete", lambda: self._edits().delete_polygon(self._acting, site, area))

    def _act(self, action: str, fn: Callable[[], Any], *, done: Callable[[], None] | None = None) -> None:
        def ok(_: object) -> None:
            if done is not None:
                done()
            self.message.setText(self.tr("Saved"))
            self.action_done.emit(action)
            self.refresh()

        self._run(fn, ok)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(plan_problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)
