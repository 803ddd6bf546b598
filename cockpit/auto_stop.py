"""The auto-stop policy (brief, stop-work step 2): when a new priority-1 gas alarm stops work by itself.

A HIHI or LOLO alarm that turns UNACK stops its area when the site's policy is "auto" (the default),
the area has an active hot-work or confined-space permit, and the area is not stopped already. A
supervisor absent past the check-in grace (``CHECKIN_STOP_PROPOSED``) only proposes a stop, unless the
site's ``checkin_stop_policy`` is "auto". The policy only decides; the stop loop carries the stop out
(``cockpit.stop_loop.StopLoop.on_transition``). Only where the plant's duties are held
(``cockpit/duty_lease.py``): one ``serve`` among several stops, never each console.
"""

from __future__ import annotations

from cockpit.duty_lease import DutyKeeper
from cockpit.permit_monitor import PermitMonitor
from cockpit.permits.live_checks import CHECKIN_STOP_PROPOSED
from cockpit.stopwork import StopWorkService
from models.alarms import AlarmState, AlarmTransition
from models.records import Priority

STOPPING_CONDITIONS = frozenset({"HIHI", "LOLO"})
# Proposals to stop (cockpit.permits.live_checks) that a site may let stop by themselves.
PROPOSED_STOPS = frozenset({CHECKIN_STOP_PROPOSED})


class AutoStopPolicy:
    """Reads the permit cache and stop-work's work states: on the core thread only."""

    def __init__(
        self, permits: PermitMonitor, stopwork: StopWorkService, duties: DutyKeeper | None = None
    ) -> None:
        self.permits = permits
        self.stopwork = stopwork
        self.duties = duties  # only the duty holder stops by itself (cockpit/duty_lease.py); None: always

    def wants_stop(self, tr: AlarmTransition) -> bool:
        if tr.to_state is not AlarmState.UNACK or tr.from_state is AlarmState.UNACK:
            return False  # only a new activation, not a re-annunciation
        return self.would_stop(tr.site, tr.area, tr.condition, tr.priority)

    def would_stop(self, site: str, area: str, condition: str, priority: Priority) -> bool:
        """An alarm of this condition and priority stops the area by itself, here and now."""
        if condition in PROPOSED_STOPS:
            if self.permits.checkin_stop_policy(site) != "auto":
                return False  # the default: the alarm proposes, the operator stops
        elif (
            priority != Priority.CRITICAL
            or condition not in STOPPING_CONDITIONS
            or self.permits.stop_policy(site) != "auto"
        ):
            return False
        if not self.permits.stoppable(site, area):
            return False
        if self.duties is not None and not self.duties.acting():
            return False  # another instance holds the duties: it stops, with the same command id
        return self.stopwork.work_state(site, area) != "stopped"
