"""Builds every view from the running core: the one place where services meet screens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
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
    """What the overview and the alarm popups need, at once; the other screens' services are built by
    ``ctx.complete()``, which the windows call right after the overview's first paint, or before any
    other view is built, whichever comes first (views/main_window.py). Built here they were 0.3 s of
    imports and a keyring look-up before the first paint (issue 20)."""
    from cockpit.plant_reads import PlantReads
    from cockpit.register_live import follow_local_changes
    from views.popup_controller import PopupController

    core, db = runtime.core, runtime.db
    assert core is not None and db is not None
    follow_local_changes(db, core)  # this console's register changes reach its core (and screens) at once
    plant = PlantReads(db)
    sites = plant.sites()
    # Parented to the bridge (a GUI-thread object) so they die on the GUI thread, with their timers.
    state = LiveState(core, bridge, parent=bridge)
    horn = Horn(bridge)
    popups = PopupController(core, bridge, actor, sites, state=state, horn=horn, plant=plant, parent=bridge)
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
        plant=plant,
        later=lambda ctx: _services(ctx, runtime, config),
    )


def _services(ctx: ViewContext, runtime: Runtime, config: Config) -> None:
    """The services of every screen but the overview (``ViewContext.complete`` runs this once)."""
    from cockpit.alarm_kpi import AlarmFigures
    from cockpit.contractor_search import ContractorDirectory
    from cockpit.handover_reports import HandoverReports
    from cockpit.headcount import HeadcountReads
    from cockpit.inspection.rounds import RoundsReads
    from cockpit.inspection.work_orders import WorkOrderService
    from cockpit.journal_search import JournalSearch
    from cockpit.near_misses import NearMissService
    from cockpit.people_reads import PeopleReads
    from cockpit.permit_service import PermitConfig, PermitService
    from cockpit.permits.evidence import PermitEvidence
    from cockpit.permits.wind import live_wind
    from cockpit.report.monthly_service import MonthlyReports
    from cockpit.safety_code_service import SafetyCodes
    from cockpit.safety_codes import keys_from_keyring
    from models.plant_clock import PlantClock

    core, db, keys = runtime.core, runtime.db, runtime.sessions  # keys: what the login was signed with
    assert core is not None and db is not None
    evidence = PermitEvidence.for_config(db, config)  # its fetcher serves the defects' photos too
    permits = PermitService(
        db,
        clock=core.clock,
        keys=keys,
        config=PermitConfig.from_config(config),
        on_permit_changed=core.publish_permit_state,
        last_checkin=lambda pid: getattr(core.permits.get(pid), "last_checkin", None),
        wind=live_wind(lambda: core.store),  # the live wind masts: hot work graded up at approval
        evidence=evidence,  # key-step photos in the permit detail
    )
    zone = PlantClock.from_sites(ctx.sites).zone()
    people = PeopleReads(db, clock=core.clock, zone=zone)
    codes = SafetyCodes(  # the badge key is read from the keyring at the first scan or print, off the GUI
        db, keys, None, people, clock=core.clock, plant=config.plant_title, codes_from=keys_from_keyring
    )
    ctx.permits = permits
    ctx.directory = ContractorDirectory(db.session, names=people.worker_search)
    ctx.journal = JournalSearch(db)
    ctx.handover = HandoverReports.for_config(db, config, keys)
    ctx.alarm_figures = AlarmFigures(db)
    ctx.people = people
    ctx.codes = codes
    ctx.monthly_reports = MonthlyReports(db, plant=config.plant_title)
    ctx.headcount = HeadcountReads(db)
    ctx.rounds = RoundsReads(db, clock=core.clock)
    ctx.work_orders = WorkOrderService(db, keys, clock=core.clock, photos=evidence.fetcher)
    ctx.near_misses = NearMissService(db, keys, clock=core.clock, zone=zone)
    _registers(ctx, runtime, config, zone)
    _figures(ctx, runtime, config, zone)


def _registers(ctx: ViewContext, runtime: Runtime, config: Config, zone: str) -> None:
    """The registers' services: the editing ones only for the roles that edit (the others read)."""
    from cockpit.detector_register import DetectorRegister
    from cockpit.inspection.register import InspectionRegister
    from cockpit.inspection.register_reads import InspectionReads
    from cockpit.people_register import PeopleRegister
    from cockpit.plant_register import EDITORS, PlantRegister
    from cockpit.register_io.service import RegisterIO
    from cockpit.site_plans import SitePlans
    from cockpit.sparkplug_register import SparkplugRegister
    from cockpit.users import UserAdmin

    core, db, keys = runtime.core, runtime.db, runtime.sessions
    assert core is not None and db is not None
    role = ctx.actor.role
    edits = role in EDITORS
    ctx.users = UserAdmin(db, keys) if role == Role.ADMIN else None
    ctx.register = PlantRegister(db, keys) if edits else None
    ctx.people_edits = PeopleRegister(db, keys, clock=core.clock, zone=zone) if edits else None
    ctx.register_files = RegisterIO(db, keys)
    ctx.site_plans = SitePlans(db, keys) if edits else None
    ctx.detector_edits = DetectorRegister(db, keys) if edits else None
    ctx.inspection_reads = InspectionReads(db)
    ctx.inspection_edits = InspectionRegister(db, keys, clock=core.clock) if edits else None
    ctx.sparkplug_map = SparkplugRegister(
        db, keys, profile=config.alarms.profile, config_limits=config.alarms.limits
    )


def _figures(ctx: ViewContext, runtime: Runtime, config: Config, zone: str) -> None:
    """The safety-performance reads (issue 21): the contractor card's figures, the map's heat layer."""
    from cockpit.contractor_performance import ContractorPerformance
    from cockpit.heat_map import HeatMapReads

    core, db = runtime.core, runtime.db
    assert core is not None and db is not None
    ctx.performance = ContractorPerformance(db, zone=zone, plant=config.plant_title, clock=core.clock)
    ctx.heat = HeatMapReads(db, clock=core.clock)


def _need(service: T | None, name: str) -> T:
    """A service the view cannot do without; ``build_context`` and ``ctx.complete()`` give them all."""
    if service is None:
        raise RuntimeError(f"this view needs the {name}, which the view context lacks")
    return service


def _permit_printer(ctx: ViewContext) -> Callable[[str, Path, str], object] | None:
    """What prints a permit in its form for the acting user; without a badge key on this console it
    says so when pressed (the QR needs the key)."""
    codes, actor = ctx.codes, ctx.actor
    if codes is None:
        return None
    return lambda pid, path, lang: codes.print_permit(actor, pid, path, lang=lang)


def view_factories(actor: Actor | None = None) -> dict[str, ViewFactory]:
    """The views ``actor`` may open: users (administrators), reviews (and safety managers); every role
    reads the registers (sites and areas, site plans, detectors, people), their editors edit them.

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
        if ctx.heat is not None:  # the map with its heat layer (issue 21)
            from views.heat_map_view import HeatMapView

            return HeatMapView(
                ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state, plant=plant,
                headcount=ctx.headcount, inspection=points, heat=ctx.heat,
            )  # fmt: skip
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
        view = AlarmView(
            ctx.core, ctx.bridge, ctx.actor, ctx.sites, state=ctx.state, journal=journal, plant=ctx.plant
        )
        if ctx.near_misses is not None:  # "Record near miss…" from an alarm (issue 21)
            from views.near_miss_view import NearMissDialog

            service = ctx.near_misses

            def record(prefill: Any) -> None:
                dialog = NearMissDialog(
                    service, ctx.actor, ctx.sites, prefill, clock=ctx.core.clock, parent=view
                )
                dialog.show()

            view.set_near_miss_recorder(record)
        return view

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

        view = ApprovalView(_need(ctx.permits, "permit service"), session=ctx.actor)
        view.detail_view.set_printer(_permit_printer(ctx))
        return view

    def tasks(ctx: ViewContext) -> Any:
        from views.tasks_view import TasksView

        return TasksView(_need(ctx.permits, "permit service"))

    def active_permits(ctx: ViewContext) -> Any:
        from views.active_permits_view import ActivePermitsView

        return ActivePermitsView(
            _need(ctx.permits, "permit service"), session=ctx.actor, printer=_permit_printer(ctx)
        )

    def contractors(ctx: ViewContext) -> Any:
        from cockpit.plant_register import EDITORS
        from models.plant_clock import PlantClock
        from views.contractor_view import ContractorView

        return ContractorView(
            _need(ctx.directory, "contractor directory"),
            files=ctx.register_files,
            acting=ctx.actor,
            can_import=ctx.actor.role in EDITORS,
            performance=ctx.performance,
            plant=PlantClock.from_sites(ctx.sites),
        )

    def handover(ctx: ViewContext) -> Any:
        from views.handover_view import HandoverView

        return HandoverView(_need(ctx.handover, "handover reports"), ctx.config, ctx.sites, session=ctx.actor)

    def alarm_kpi(ctx: ViewContext) -> Any:
        from views.alarm_kpi_view import AlarmKpiView

        return AlarmKpiView(_need(ctx.alarm_figures, "alarm figures"), ctx.sites)

    def near_misses(ctx: ViewContext) -> Any:
        from views.near_miss_view import NearMissesView

        service = _need(ctx.near_misses, "near misses")
        return NearMissesView(service, ctx.actor, ctx.sites, clock=ctx.core.clock)

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
        "near_misses": near_misses,
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
        return WorkerRegisterView(reads, edits, acting=ctx.actor, editable=edits is not None, codes=ctx.codes)

    def rounds(ctx: ViewContext) -> Any:
        from views.rounds_view import RoundsView

        return RoundsView(_need(ctx.rounds, "rounds reads"), ctx.sites, clock=ctx.core.clock)

    def work_orders(ctx: ViewContext) -> Any:
        from views.work_orders_view import WorkOrdersView

        service = _need(ctx.work_orders, "work orders")
        return WorkOrdersView(service, ctx.actor, ctx.sites, clock=ctx.core.clock)

    def register(ctx: ViewContext) -> Any:  # sites and areas: editors edit (ctx.register), others read
        from views.plant_register_view import PlantRegisterView

        reads = _need(ctx.plant, "plant reads")
        return PlantRegisterView(ctx.register, reads, acting=ctx.actor, files=ctx.register_files)

    def inspection_register(ctx: ViewContext) -> Any:  # the same: ctx.inspection_edits for the editors
        from views.inspection_register_view import InspectionRegisterView

        reads = _need(ctx.inspection_reads, "inspection register reads")
        return InspectionRegisterView(
            ctx.inspection_edits,
            reads,
            acting=ctx.actor,
            sites=ctx.sites,
            files=ctx.register_files,
            clock=ctx.core.clock,
        )

    def site_plan(ctx: ViewContext) -> Any:  # the same: ctx.site_plans only for the editors
        from views.site_plan_view import SitePlanView

        return SitePlanView(ctx.site_plans, _need(ctx.plant, "plant reads"), acting=ctx.actor)

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
        "register": register,
        "site_plan": site_plan,
        "detectors": detectors,
        "rounds": rounds,
        "work_orders": work_orders,
        "inspection_register": inspection_register,
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
    """The screens only some roles get: the plant's accounts and the green channel's reviews."""

    def users(ctx: ViewContext) -> Any:
        from views.users_view import UsersView

        return UsersView(_need(ctx.users, "user administration"), acting=ctx.actor)

    def reviews(ctx: ViewContext) -> Any:
        from views.review_view import ReviewView

        return ReviewView(_need(ctx.permits, "permit service"), session=ctx.actor)

    factories: dict[str, ViewFactory] = {}
    if actor.role in (Role.ADMIN, Role.SAFETY_MANAGER):  # the green channel's reviewers (admins read)
        factories["reviews"] = reviews
    if actor.role == Role.ADMIN:
        factories["users"] = users
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
