"""What a view is built with (``ViewContext``: the services, the acting user, the plant) and what its
tab is called (``view_title``, with the count a view shows beside it). ``views/factories.py`` builds
the views from it; ``views/main_window.py`` re-exports these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from cockpit.config import Config
from cockpit.live import CoreBridge
from cockpit.port import CorePort
from cockpit.sessions import LoginSession

if TYPE_CHECKING:
    from cockpit.alarm_kpi import AlarmFigures
    from cockpit.contractor_performance import ContractorPerformance
    from cockpit.contractor_search import ContractorDirectory
    from cockpit.detector_register import DetectorRegister
    from cockpit.handover_reports import HandoverReports
    from cockpit.headcount import HeadcountReads
    from cockpit.heat_map import HeatMapReads
    from cockpit.inspection.register import InspectionRegister
    from cockpit.inspection.register_reads import InspectionReads
    from cockpit.inspection.rounds import RoundsReads
    from cockpit.inspection.work_orders import WorkOrderService
    from cockpit.journal_search import JournalSearch
    from cockpit.near_misses import NearMissService
    from cockpit.people_reads import PeopleReads
    from cockpit.people_register import PeopleRegister
    from cockpit.permit_service import PermitService
    from cockpit.plant_reads import PlantReads
    from cockpit.plant_register import PlantRegister
    from cockpit.register_io.service import RegisterIO
    from cockpit.report.monthly_service import MonthlyReports
    from cockpit.safety_code_service import SafetyCodes
    from cockpit.site_plans import SitePlans
    from cockpit.sparkplug_register import SparkplugRegister
    from cockpit.users import UserAdmin
    from models.queries import SiteInfo
    from views.popup_controller import PopupController
    from views.view_model import LiveState
    from widgets.horn import Horn


@dataclass
class ViewContext:
    """What a view may be handed: the services, the acting user, and the plant's static layout."""

    core: CorePort
    bridge: CoreBridge
    actor: LoginSession
    config: Config
    demo: bool
    sites: list[SiteInfo] = field(default_factory=list)
    # The services and shared GUI objects the views are built with (views/factories.py); None where a
    # test builds windows without them, and until ``complete()`` for those only other views use.
    state: LiveState | None = None
    popups: PopupController | None = None
    horn: Horn | None = None
    permits: PermitService | None = None
    directory: ContractorDirectory | None = None
    plant: PlantReads | None = None
    journal: JournalSearch | None = None
    handover: HandoverReports | None = None
    users: UserAdmin | None = None  # administrators only
    register: PlantRegister | None = None  # administrators and safety managers
    alarm_figures: AlarmFigures | None = None
    monthly_reports: MonthlyReports | None = None  # the monthly special-work analysis: everyone reads
    people: PeopleReads | None = None  # the people registers: everyone reads
    people_edits: PeopleRegister | None = None  # administrators and safety managers
    register_files: RegisterIO | None = None  # the registers' import, export and templates
    headcount: HeadcountReads | None = None  # the incident commander's headcount (map -> area)
    rounds: RoundsReads | None = None  # inspection rounds today (issue 23): everyone reads
    work_orders: WorkOrderService | None = None  # defect work orders: acts checked by session
    inspection_reads: InspectionReads | None = None  # the inspection register: everyone reads
    inspection_edits: InspectionRegister | None = None  # administrators and safety managers
    near_misses: NearMissService | None = None  # near misses (issue 21): recorded by session
    site_plans: SitePlans | None = None  # administrators and safety managers
    detector_edits: DetectorRegister | None = None  # administrators and safety managers
    sparkplug_map: SparkplugRegister | None = None  # the Sparkplug mapping: everyone reads, editors save
    codes: SafetyCodes | None = None  # badges and printed permits, scanned codes (issue 23 parts 5, 7)
    performance: ContractorPerformance | None = None  # the contractor card's safety performance
    heat: HeatMapReads | None = None  # the site map's heat layer
    # Builds the services above that the overview does not need (views/factories.build_context): they
    # come after its first paint. ``complete()`` runs it; the windows call that before any other view.
    later: Callable[[ViewContext], None] | None = None

    def complete(self) -> None:
        """Build the services deferred past the first paint, once (again on the next call if it failed)."""
        later = self.later
        if later is not None:
            later(self)
            self.later = None


ViewFactory = Callable[[ViewContext], QWidget]
# (key, English title for tr(), factory). The order is the default tab order.
_TITLES = {
    "overview": QT_TRANSLATE_NOOP("Views", "Overview"),
    "map": QT_TRANSLATE_NOOP("Views", "Site map"),
    "trends": QT_TRANSLATE_NOOP("Views", "Gas trends"),
    "alarms": QT_TRANSLATE_NOOP("Views", "Alarms"),
    "commands": QT_TRANSLATE_NOOP("Views", "Commands"),
    "permits": QT_TRANSLATE_NOOP("Views", "Permit approval"),
    "tasks": QT_TRANSLATE_NOOP("Views", "Tasks"),
    "reviews": QT_TRANSLATE_NOOP("Views", "Green-channel reviews"),
    "active_permits": QT_TRANSLATE_NOOP("Views", "Active permits"),
    "contractors": QT_TRANSLATE_NOOP("Views", "Contractors"),
    "contractor_register": QT_TRANSLATE_NOOP("Views", "Contractor register"),
    "worker_register": QT_TRANSLATE_NOOP("Views", "Worker register"),
    "handover": QT_TRANSLATE_NOOP("Views", "Shift handover"),
    "alarm_kpi": QT_TRANSLATE_NOOP("Views", "Alarm performance"),
    "near_misses": QT_TRANSLATE_NOOP("Views", "Near misses"),
    "monthly_report": QT_TRANSLATE_NOOP("Views", "Monthly report"),
    "rounds": QT_TRANSLATE_NOOP("Views", "Inspection rounds"),
    "work_orders": QT_TRANSLATE_NOOP("Views", "Defect work orders"),
    "diagnostics": QT_TRANSLATE_NOOP("Views", "Diagnostics"),
    "users": QT_TRANSLATE_NOOP("Views", "Users"),
    "register": QT_TRANSLATE_NOOP("Views", "Sites and areas"),
    "site_plan": QT_TRANSLATE_NOOP("Views", "Site plan"),
    "detectors": QT_TRANSLATE_NOOP("Views", "Detectors"),
    "inspection_register": QT_TRANSLATE_NOOP("Views", "Inspection register"),
}
VIEW_TITLES: dict[str, str] = {key: str(title) for key, title in _TITLES.items()}  # the stubs say object


# Counts shown beside a view's title (the task lane's "Tasks (3)"), by view key.
VIEW_COUNTS: dict[str, int] = {}


def view_title(key: str) -> str:
    title = QCoreApplication.translate("Views", VIEW_TITLES.get(key, key))
    count = VIEW_COUNTS.get(key)
    return f"{title} ({count})" if count else title
