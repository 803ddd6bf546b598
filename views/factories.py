"""Builds every view from the running core: the one place where services meet screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from cockpit.config import Config
from cockpit.live import CoreBridge
from cockpit.roles import Actor
from cockpit.runtime import Runtime
from cockpit.sessions import LoginSession
from models.records import Role
from views.main_window import VIEW_COUNTS, CockpitWindows, ViewContext, ViewFactory
from views.view_model import LiveState
from widgets.horn import Horn

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from cockpit.plant_reads import PlantReads

T = TypeVar("T")


def build_context(runtime: Runtime, bridge: CoreBridge, actor: LoginSession, config: Config) -> ViewContext:
    from cockpit.alarm_kpi import AlarmFigures
    from cockpit.contractor_search import ContractorDirectory
    from cockpit.detector_register import DetectorRegister
    from cockpit.handover_reports import HandoverReports
    from cockpit.headcount import HeadcountReads
    from cockpit.inspection.rounds import RoundsReads
    from cockpit.inspection.work_orders import WorkOrderService
    from cockpit.journal_search import JournalSearch
    from cockpit.people_reads import PeopleReads
    from cockpit.people_register import PeopleRegister
    from cockpit.permit_service import PermitConfig, PermitService
    from cockpit.permits.wind import live_wind
    from cockpit.plant_reads import PlantReads
    from cockpit.plant_register import EDITORS, PlantRegister
    from cockpit.register_io.service import RegisterIO
    from cockpit.report.monthly_service import MonthlyReports
    from cockpit.site_plans import SitePlans
    from cockpit.sparkplug_register import SparkplugRegister
    from cockpit.users import UserAdmin
    from models.plant_clock import PlantClock
    from views.popup_controller import PopupController

    core, db, keys = runtime.core, runtime.db, runtime.sessions  # keys: what the login was signed with
    assert core is not None and db is not None
    plant = PlantReads(db)
    sites = plant.sites()
    # Parented to the bridge (a GUI-thread object) so they die on the GUI thread, with their timers.
    state = LiveState(core, bridge, parent=bridge)
    horn = Horn(bridge)
    popups = PopupController(core, bridge, actor, sites, state=state, horn=horn, plant=plant, parent=bridge)

    permits = PermitService(
        db,
        clock=core.clock,
        keys=keys,
        config=PermitConfig.from_config(config),
        on_permit_changed=core.publish_permit_state,
        last_checkin=lambda pid: getattr(core.permits.get(pid), "last_checkin", None),
        wind=live_wind(lambda: core.store),  # the live wind masts: hot work graded up at approval
    )
    return ViewContext(
        core=core,
        bridge=bridge,
        actor=actor,
        config=config,
        demo=runtime.is_demo,
        sites=sites,
        state=state,
        popups=popups,
        horn=horn,
        permits=permits,
        directory=ContractorDirectory(db.session),
        plant=plant,
        journal=JournalSearch(db),
        handover=HandoverReports.for_config(db, config, keys),
        users=UserAdmin(db, keys) if actor.role == Role.ADMIN else None,
        register=PlantRegister(db, keys) if actor.role in EDITORS else None,
        alarm_figures=AlarmFigures(db),
        monthly_reports=MonthlyReports(db, plant=config.plant_title),
        people=PeopleReads(db, clock=core.clock, zone=PlantClock.from_sites(sites).zone()),
        people_edits=PeopleRegister(db, keys, clock=core.clock, zone=PlantClock.from_sites(sites).zone())
        if actor.role in EDITORS
        else None,
        register_files=RegisterIO(db, keys),
        headcount=HeadcountReads(db),
        rounds=RoundsReads(db, clock=core.clock),
        work_orders=WorkOrderService(db, keys, clock=core.clock),
        site_plans=SitePlans(db, keys) if actor.role in EDITORS else None,
        detector_edits=DetectorRegister(db, keys) if actor.role in EDITORS else None,
        sparkplug_map=SparkplugRegister(
            db, keys, profile=config.alarms.profile, config_limits=config.alarms.limits
        ),
    )


def _need(service: T | None, name: str) -> T:
    """A service the view cannot do without; ``build_context`` gives them all."""
    if service is None:
        raise RuntimeError(f"this view needs the {name}, which the view context lacks")
    return service


def view_factories(actor: Actor | None = None) -> dict[str, ViewFactory]:
    """The views ``actor`` may open: users (administrators), sites and areas (and safety managers).

    The services check the role again on every change; the screens only mirror it.
    """
    factories = _live_factories()
    factories.update(_record_factories())
    factories.update(_register_factories())
    if actor is not None:
        factories.update(_editing_factories(actor))
    return factories


def _live_factories() -> dict[str, ViewFactory]:
    """The screens that follow the field: the overview, map, trends, alarms, commands, diagnostics."""

    def overview(ctx: ViewContext) -> Any:
        from views.overview_view import OverviewView

        return OverviewView(ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state)

    def site_map(ctx: ViewContext) -> Any:
        from cockpit.inspection.map_marks import InspectionMap
        from views.map_view import MapView

        plant = _need(ctx.plant, "plant reads")
        points = InspectionMap(ctx.rounds, ctx.work_orders) if ctx.rounds and ctx.work_orders else None
        return MapView(
            ctx.core,
            ctx.bridge,
            ctx.actor,
            ctx.sites,
            state=ctx.state,
            plant=plant,
            headcount=ctx.headcount,
            inspection=points,
        )

    def trends(ctx: ViewContext) -> Any:
        from views.trends_view import TrendsView

        return TrendsView(ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state, panes=4)

    def alarms(ctx: ViewContext) -> Any:
        from views.alarm_view import AlarmView

        journal = _need(ctx.journal, "alarm journal")
        return AlarmView(ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state, journal=journal)

    def commands(ctx: ViewContext) -> Any:
        from views.commands_view import CommandsView

        return CommandsView(ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state)

    def diagnostics(ctx: ViewContext) -> Any:
        from cockpit.plant_register import EDITORS
        from views.diagnostics_view import DiagnosticsView

        can_add = ctx.actor.role in EDITORS  # "Add to the register…" opens an editing screen
        return DiagnosticsView(
            ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state, plant=ctx.plant, can_add=can_add
        )

    return {
        "overview": overview,
        "map": site_map,
        "trends": trends,
        "alarms": alarms,
        "commands": commands,
        "diagnostics": diagnostics,
    }


def _record_factories() -> dict[str, ViewFactory]:
    """The screens over the records: permits, tasks, contractors, the hand-over, alarm performance."""

    def approval(ctx: ViewContext) -> Any:
        from views.approval_view import ApprovalView

        return ApprovalView(_need(ctx.permits, "permit service"), session=ctx.actor)

    def tasks(ctx: ViewContext) -> Any:
        from views.tasks_view import TasksView

        return TasksView(_need(ctx.permits, "permit service"))

    def active_permits(ctx: ViewContext) -> Any:
        from views.active_permits_view import ActivePermitsView

        return ActivePermitsView(_need(ctx.permits, "permit service"), session=ctx.actor)

    def contractors(ctx: ViewContext) -> Any:
        from cockpit.plant_register import EDITORS
        from views.contractor_view import ContractorView

        return ContractorView(
            _need(ctx.directory, "contractor directory"),
            files=ctx.register_files,
            acting=ctx.actor,
            can_import=ctx.actor.role in EDITORS,
        )

    def handover(ctx: ViewContext) -> Any:
        from views.handover_view import HandoverView

        return HandoverView(_need(ctx.handover, "handover reports"), ctx.config, ctx.sites, session=ctx.actor)

    def alarm_kpi(ctx: ViewContext) -> Any:
        from views.alarm_kpi_view import AlarmKpiView

        return AlarmKpiView(_need(ctx.alarm_figures, "alarm figures"), ctx.sites)

    def monthly_report(ctx: ViewContext) -> Any:
        from views.monthly_report_view import MonthlyReportView

        return MonthlyReportView(_need(ctx.monthly_reports, "monthly reports"), ctx.sites)

    return {
        "permits": approval,
        "tasks": tasks,
        "active_permits": active_permits,
        "contractors": contractors,
        "handover": handover,
        "alarm_kpi": alarm_kpi,
        "monthly_report": monthly_report,
    }


def _register_factories() -> dict[str, ViewFactory]:
    """The plant's registers (people, detectors) and the inspection rounds with their work orders."""

    def contractor_register(ctx: ViewContext) -> Any:
        from views.contractor_register_view import ContractorRegisterView

        reads, edits = _need(ctx.people, "people registers"), ctx.people_edits
        return ContractorRegisterView(reads, edits, acting=ctx.actor, editable=edits is not None)

    def worker_register(ctx: ViewContext) -> Any:
        from views.worker_register_view import WorkerRegisterView

        reads, edits = _need(ctx.people, "people registers"), ctx.people_edits
        return WorkerRegisterView(reads, edits, acting=ctx.actor, editable=edits is not None)

    def rounds(ctx: ViewContext) -> Any:
        from views.rounds_view import RoundsView

        return RoundsView(_need(ctx.rounds, "rounds reads"), ctx.sites, clock=ctx.core.clock)

    def work_orders(ctx: ViewContext) -> Any:
        from views.work_orders_view import WorkOrdersView

        service = _need(ctx.work_orders, "work orders")
        return WorkOrdersView(service, ctx.actor, ctx.sites, clock=ctx.core.clock)

    def detectors(ctx: ViewContext) -> Any:
        from views.detectors_view import DetectorsView

        reads = _need(ctx.plant, "plant reads")
        sparkplug, stops = _sparkplug_tabs(ctx, reads)
        return DetectorsView(
            reads,
            ctx.detector_edits,
            acting=ctx.actor,
            files=ctx.register_files,
            sparkplug=sparkplug,
            sparkplug_stops=stops,
        )

    return {
        "contractor_register": contractor_register,
        "worker_register": worker_register,
        "detectors": detectors,
        "rounds": rounds,
        "work_orders": work_orders,
    }


def _sparkplug_tabs(ctx: ViewContext, reads: PlantReads) -> tuple[QWidget | None, QWidget | None]:
    """The Sparkplug mapping's and stop-work targets' tabs of the detectors screen (everyone reads)."""
    if ctx.sparkplug_map is None:
        return None, None
    from cockpit.plant_register import EDITORS
    from views.sparkplug_map_view import SparkplugMapView
    from views.sparkplug_stops_view import SparkplugStopsView

    def unmapped() -> list[list[str]]:
        return list((ctx.core.health_payload().get("sparkplug") or {}).get("unmapped_metrics") or [])

    editable, acting = ctx.actor.role in EDITORS, ctx.actor
    return (
        SparkplugMapView(ctx.sparkplug_map, reads, acting=acting, editable=editable, unmapped=unmapped),
        SparkplugStopsView(ctx.sparkplug_map, reads, acting=acting, editable=editable),
    )


def _editing_factories(actor: Actor) -> dict[str, ViewFactory]:
    """The screens that change the plant's accounts, registers and reviews, for the roles that may."""

    def users(ctx: ViewContext) -> Any:
        from views.users_view import UsersView

        return UsersView(_need(ctx.users, "user administration"), acting=ctx.actor)

    def register(ctx: ViewContext) -> Any:
        from views.plant_register_view import PlantRegisterView

        edits, reads = _need(ctx.register, "plant register"), _need(ctx.plant, "plant reads")
        return PlantRegisterView(edits, reads, acting=ctx.actor, files=ctx.register_files)

    def site_plan(ctx: ViewContext) -> Any:
        from views.site_plan_view import SitePlanView

        plans, reads = _need(ctx.site_plans, "site plans"), _need(ctx.plant, "plant reads")
        return SitePlanView(plans, reads, acting=ctx.actor)

    def reviews(ctx: ViewContext) -> Any:
        from views.review_view import ReviewView

        return ReviewView(_need(ctx.permits, "permit service"), session=ctx.actor)

    factories: dict[str, ViewFactory] = {}
    if actor.role in (Role.ADMIN, Role.SAFETY_MANAGER):  # the green channel's reviewers (admins read)
        factories["reviews"] = reviews
    if actor.role == Role.ADMIN:
        factories["users"] = users
    if actor.role in (Role.ADMIN, Role.SAFETY_MANAGER):  # the register's editors
        factories["register"] = register
        factories["site_plan"] = site_plan
    return factories


def wire(windows: CockpitWindows) -> None:
    """Cross-view links: locate → incident layout; an overview tile → the map on that area.

    Views other than the overview are built after the first paint, so each link is made when
    its view exists.
    """
    from views.register_follow import follow_register

    follow_register(windows)  # register changes reach the built views (issue 16 part 4)
    popups = windows.ctx.popups
    if popups is not None:
        popups.locate_requested.connect(windows.incident)
        popups.headcount_requested.connect(windows.headcount)

    def alarms_built(alarms: Any) -> None:
        if hasattr(alarms, "locate_requested"):
            alarms.locate_requested.connect(windows.incident)
            if popups is not None:  # the incident layout raises windows: the alarm popup stays in front
                alarms.locate_requested.connect(lambda _site, _area: popups.keep_in_front(beside=True))

    if "alarms" in windows.factories:
        windows.when_built("alarms", alarms_built)

    def tasks_built(tasks: Any) -> None:
        def counted(n: int) -> None:
            VIEW_COUNTS["tasks"] = n
            for window in windows.windows:
                window.retranslate()

        tasks.tasks_loaded.connect(counted)

    if "tasks" in windows.factories:
        windows.when_built("tasks", tasks_built)

    def reviews_built(reviews: Any) -> None:
        def counted(n: int) -> None:
            VIEW_COUNTS["reviews"] = n
            for window in windows.windows:
                window.retranslate()

        reviews.reviews_loaded.connect(counted)

    if "reviews" in windows.factories:
        windows.when_built("reviews", reviews_built)

    def overview_built(overview: Any) -> None:
        def to_map(site: str, area: str) -> None:
            windows.view("map").focus_area(site, area)  # type: ignore[attr-defined]
            windows.show_view("map")

        overview.area_selected.connect(to_map)

    if "overview" in windows.factories and "map" in windows.factories:
        windows.when_built("overview", overview_built)
    if "diagnostics" in windows.factories:
        windows.when_built(
            "diagnostics",
            lambda view: view.add_requested.connect(  # type: ignore[attr-defined]
                lambda row: add_to_register(windows, row)
            ),
        )


def add_to_register(windows: CockpitWindows, row: Any) -> None:
    """Diagnostics' "Add to the register…": the areas register (an area) or the detectors register (a
    detector or a channel), prefilled with what the wire said (cockpit/wire_register.WireOnly)."""
    from cockpit.wire_register import Unknown

    key = "register" if row.kind is Unknown.AREA else "detectors"
    if key not in windows.factories:
        return
    view: Any = windows.view(key)
    if row.kind is Unknown.AREA:
        view.prefill_area(row.site, row.area)
    else:
        first = row.seen[0] if row.kind is Unknown.DEVICE and row.seen else ""  # its channels come next
        view.prefill(row.site, row.area, row.device, row.ch or first)
    windows.show_view(key)
