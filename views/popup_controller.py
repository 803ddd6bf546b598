"""Raises the alarm popup for every new priority-1/2 alarm and drives the horn.

One popup per alarm (a re-annunciation updates the open one). Popups never hide one another:
they form one stack of which only the front one is shown, and it says how many wait behind it
("alarm 1 of 3") with a button (F8) to the next. A new priority-1 alarm comes to the front; a
priority-2 one goes behind the priority-1 alarms. A priority-1 popup stays until its alarm is
acknowledged (closing it does nothing); locating its area (F7) opens the map and moves the popup
beside it, in front. The horn sounds the highest priority waiting for acknowledgement; silencing
stops the sound only, and a new alarm sounds again.

The stop button calls ``core.stop_work`` with the alarm's message as the reason; the
command's delivery then follows from the deltas (sent → received → executed, timeout,
rejected). An automatic stop for the same alarm shows on the popup the same way.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from cockpit.headcount import may_see_headcount
from cockpit.people_names import WORKER_SOURCE
from cockpit.plant_reads import PlantReads
from models.alarms import AlarmState, AlarmTransition
from models.plant_clock import PlantClock
from models.queries import AreaDetail
from models.records import HotWorkGrade
from views.error_words import error_text
from views.finding_words import refusal_text as coded_refusal_text
from views.offgui import OffGui
from views.permit_words import grade_text
from views.session_words import refusal_text
from views.source_words import named_worker, source_text
from views.view_model import LiveState, alarm_title, area_names, channel_key_of, limit_dict, status_word
from views.worker_names import WorkerNames
from widgets.alarm_popup import AlarmPopup, Contact, PermitLine, PopupAlarm
from widgets.horn import Horn
from widgets.value_tile import permit_label

if TYPE_CHECKING:
    from cockpit.core_state import CoreDelta
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from cockpit.stopwork import CommandView
    from models.queries import SiteInfo

log = logging.getLogger(__name__)
POPUP_PRIORITIES = (1, 2)
TREND_SECONDS = 300.0
_DELIVERY = {"sent", "received", "executed", "timeout", "rejected"}


class PopupController(QObject):
    """Signals: ``locate_requested(site, area)``, ``popup_shown(alarm_id)``."""

    locate_requested = Signal(str, str)
    headcount_requested = Signal(str, str)  # the area's headcount window (issue 17)
    popup_shown = Signal(str)

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: list[SiteInfo],
        *,
        state: LiveState | None = None,
        horn: Horn | None = None,
        host: QWidget | None = None,
        plant: PlantReads,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.core = core
        self._plant = plant
        self._offgui = OffGui(self, name="popups")
        self.actor = actor
        self.state = state if state is not None else LiveState(core, bridge, parent=self)
        self.horn = horn if horn is not None else Horn(self)
        self.host = host
        self._names = area_names(sites)
        self._clock = PlantClock.from_sites(sites)
        self._popups: dict[str, AlarmPopup] = {}  # every alarm in the stack
        self._commands: dict[str, str] = {}  # command id → alarm id
        self._follow_alarm: dict[str, str] = {}  # alarm id → command id
        self._order: list[str] = []  # the stack, the front one first
        self._front: str | None = None  # the popup shown (the others are hidden behind it)
        self._beside = False  # after locate: the front popup stands beside the map, not over it
        self._where: dict[str, tuple[str, str]] = {}  # alarm id → (site, area)
        self._sources: dict[str, str] = {}  # alarm id → its source's key (``worker:W-1``, a channel)
        self._workers = WorkerNames(plant.worker_names, self)  # a man-down names the worker
        self._workers.changed.connect(self._names_came)
        self._delivered: dict[str, CommandView] = {}  # alarm id → the command its popup shows
        self.errors: list[str] = []
        self.state.delta.connect(self.on_delta)

    def set_sites(self, sites: list[SiteInfo]) -> None:
        self._names = area_names(sites)
        self._clock = PlantClock.from_sites(sites)

    # ---- deltas ----------------------------------------------------------------------------------
    def on_delta(self, delta: CoreDelta) -> None:
        for tr in delta.transitions:
            self._on_transition(tr)
        for view in delta.commands:
            self._on_command(view)
        if delta.dirty_channels:
            for alarm_id, popup in self._popups.items():
                key = channel_key_of(popup.alarm().source)
                if key is not None and key in delta.dirty_channels:
                    self._fill_trend(popup, alarm_id)

    def _on_transition(self, tr: AlarmTransition) -> None:
        alarm_id = tr.alarm_id
        if tr.to_state is AlarmState.UNACK and tr.from_state is not AlarmState.UNACK:
            if int(tr.priority) in POPUP_PRIORITIES:
                self._raise(tr)
            return
        known = self._popups.get(alarm_id)
        if tr.to_state in (AlarmState.UNACK, AlarmState.RTN_UNACK) and known is not None:
            known.update_alarm(self._popup_alarm(tr, known.alarm()))
            return
        if tr.to_state in (
            AlarmState.ACKED,
            AlarmState.NORMAL,
            AlarmState.SHELVED,
            AlarmState.OUT_OF_SERVICE,
        ):
            if known is not None:
                following = alarm_id in self._follow_alarm
                known.update_alarm(self._popup_alarm(tr, known.alarm()))
                if not following:  # acknowledged and nothing left to follow: make room
                    known.release()
            self._update_horn(done=alarm_id)

    def _on_command(self, view: CommandView) -> None:
        alarm_id = self._commands.get(view.command_id)
        if alarm_id is None and view.alarm_id is not None and view.kind == "stop":
            alarm_id = view.alarm_id
            if alarm_id in self._popups:
                self._commands[view.command_id] = alarm_id
                self._follow_alarm[alarm_id] = view.command_id
        if alarm_id is None:
            return
        popup = self._popups.get(alarm_id)
        if popup is not None and view.state in _DELIVERY:
            self._delivered[alarm_id] = view
            detail = (
                self.tr("automatic stop") if view.auto else self.tr("by %1").replace("%1", view.issued_by)
            )
            popup.set_delivery(view.state, detail)

    # ---- popups ----------------------------------------------------------------------------------
    def _popup_alarm(self, tr: AlarmTransition, before: PopupAlarm | None = None) -> PopupAlarm:
        site_name, area_name = self._names.get((tr.site, tr.area), (tr.site, tr.area))
        key = channel_key_of(tr.source)
        stale = False
        if key is not None:
            snap = self.core.store.channel(key)
            stale = bool(snap and snap.stale)
        state = {AlarmState.RTN_UNACK: "rtn"}.get(tr.to_state, str(tr.to_state))
        return PopupAlarm(
            alarm_id=tr.alarm_id,
            priority=int(tr.priority),
            message=alarm_title(tr.condition, tr.source, self._who(tr.source)),
            condition=tr.condition,
            value=tr.value if tr.value is not None else (before.value if before else None),
            unit=tr.unit,
            limit=tr.limit if tr.limit is not None else (before.limit if before else None),
            site_name=site_name,
            area_name=area_name,
            source=source_text(tr.source, people=self._workers.name),
            raised_at=before.raised_at if before and before.raised_at else tr.ts,
            state=state,
            stale=stale,
            zone=self._clock.zone(tr.site),
        )

    def _raise(self, tr: AlarmTransition) -> None:
        self._where[tr.alarm_id] = (tr.site, tr.area)
        self._sources[tr.alarm_id] = tr.source
        self._workers.want_sources((tr.source,))
        popup = self._popups.get(tr.alarm_id)
        if popup is not None:
            popup.update_alarm(self._popup_alarm(tr, popup.alarm()))
            self._order.remove(tr.alarm_id)
        else:
            popup = self._build(self._popup_alarm(tr))
        self._order.insert(self._place_for(int(tr.priority)), tr.alarm_id)
        self._restack()
        self.horn.sound(int(tr.priority))

    def _place_for(self, priority: int) -> int:
        """Where a new activation goes: in front of every alarm of its priority or lower (so the
        newest priority 1 is in front), behind those of a higher priority."""
        for i, alarm_id in enumerate(self._order):
            if self._popups[alarm_id].alarm().priority >= priority:
                return i
        return len(self._order)

    def _build(self, alarm: PopupAlarm) -> AlarmPopup:
        popup = AlarmPopup(alarm, self.host)
        self._allow_stop(popup)
        popup.stop_work_requested.connect(self.stop_work)
        popup.acknowledged.connect(self.acknowledge)
        popup.silenced.connect(lambda _id: self.silence())
        popup.located.connect(self.locate)
        popup.headcount_requested.connect(self.headcount)
        popup.next_requested.connect(self.show_next)
        popup.dismissed.connect(self._dismissed)
        popup.retranslated.connect(self._retranslate)
        self._popups[alarm.alarm_id] = popup
        site, area = self._site_area(alarm.alarm_id)
        popup.set_permits(self._permit_lines(site, area))
        self._fill_trend(popup, alarm.alarm_id)
        self._load_contacts(alarm.alarm_id, site, area)
        return popup

    def _restack(self) -> None:
        """Every popup's place and count; only the front one shown (none hides half of another)."""
        total = len(self._order)
        for i, alarm_id in enumerate(self._order):
            self._popups[alarm_id].set_stack(i + 1, total)
        front = self._order[0] if self._order else None
        for alarm_id, popup in self._popups.items():
            if alarm_id != front and popup.isVisible():
                popup.hide()
        if front is None:
            self._front, self._beside = None, False
            return
        popup = self._popups[front]
        if front != self._front or not popup.isVisible():
            self._front = front
            popup.show_on_screen(self.host.screen() if self.host is not None else None, beside=self._beside)
            self.popup_shown.emit(front)
        else:
            popup.raise_()

    def show_next(self, _alarm_id: str = "") -> None:
        """The operator looks at the next alarm: the front one goes to the back of the stack."""
        if len(self._order) > 1:
            self._order.append(self._order.pop(0))
            self._restack()

    def _permit_lines(self, site: str, area: str) -> list[PermitLine]:
        return [
            PermitLine(
                p.id,
                permit_label(p.type.value)
                + (f" ({_grade_word(p.grade)})" if p.grade else "")
                + f" {status_word(p.status.value)}",
                p.supervisor,
            )
            for p in self.state.present_permits(site, area)
        ]

    def _allow_stop(self, popup: AlarmPopup) -> None:
        popup.set_stop_allowed(self.actor.may("stop_work"), self.tr("Your role may not stop work."))
        popup.set_headcount_allowed(
            may_see_headcount(self.actor.role), self.tr("Your role may not see the headcount.")
        )

    def _retranslate(self, alarm_id: str) -> None:
        """The language changed while the popup is open: the texts made here, in the new language."""
        popup = self._popups.get(alarm_id)
        if popup is None:
            return
        self._reword(popup)
        popup.set_permits(self._permit_lines(*self._site_area(alarm_id)))
        self._allow_stop(popup)
        view = self._delivered.get(alarm_id)
        if view is not None:
            self._on_command(view)

    def _who(self, source: str) -> str | None:
        """A worker's name with his id, once the register's name is read; else None (the id is shown)."""
        worker = source.removeprefix(WORKER_SOURCE)
        name = self._workers.name(worker) if worker != source else None
        return named_worker(worker, name) if name else None

    def _reword(self, popup: AlarmPopup) -> None:
        """The popup's title and source made again from the alarm's keys (a new language, a name read)."""
        alarm = popup.alarm()
        source = self._sources.get(alarm.alarm_id)
        if source is None:
            return
        popup.update_alarm(
            replace(
                alarm,
                message=alarm_title(alarm.condition, source, self._who(source)),
                source=source_text(source, people=self._workers.name),
            )
        )

    def _names_came(self) -> None:
        for alarm_id, popup in self._popups.items():
            if self._sources.get(alarm_id, "").startswith(WORKER_SOURCE):
                self._reword(popup)

    def _site_area(self, alarm_id: str) -> tuple[str, str]:
        where = self._where.get(alarm_id)
        if where is not None:
            return where
        alarm = self.state.alarm(alarm_id)
        return (alarm.site, alarm.area) if alarm is not None else ("", "")

    def _fill_trend(self, popup: AlarmPopup, alarm_id: str) -> None:
        key = channel_key_of(popup.alarm().source)
        if key is None:
            return
        t, v = self.core.store.recent(key, TREND_SECONDS)
        popup.set_trend(t, v, limit_dict(self.state.limits(key)), bad=np.isnan(v))

    def _load_contacts(self, alarm_id: str, site: str, area: str) -> None:
        def took(detail: AreaDetail | None) -> None:
            popup = self._popups.get(alarm_id)
            if popup is None:
                return
            popup.set_contacts([Contact(c.name, c.role, c.phone) for c in detail.contacts] if detail else [])

        plant = self._plant
        self._offgui.run(lambda: plant.area_detail(site, area), took, lambda exc: self._note(str(exc)))

    def _dismissed(self, alarm_id: str) -> None:
        popup = self._popups.pop(alarm_id, None)
        self._delivered.pop(alarm_id, None)
        if alarm_id in self._order:
            self._order.remove(alarm_id)
        if popup is not None:
            popup.deleteLater()
        self._restack()

    # ---- actions ---------------------------------------------------------------------------------
    def stop_work(self, alarm_id: str) -> None:
        """The popup's one click: stop work in the alarm's area, reason = the alarm's message."""
        popup = self._popups.get(alarm_id)
        if popup is None:
            return
        site, area = self._site_area(alarm_id)
        # The engine's coded message (each screen and the handover word it in their language), not the
        # popup's title in this console's language; the title only while the board lacks the alarm.
        live = self.state.alarm(alarm_id)
        reason = live.message if live is not None and live.message else popup.alarm().message
        future = self.core.stop_work(self.actor, site, area, reason=reason, alarm_id=alarm_id)
        self._follow_alarm[alarm_id] = ""

        def done(view: CommandView | None) -> None:
            if view is None:
                target = self._popups.get(alarm_id)
                if target is not None and target.delivery_state() == "pending":
                    target.set_delivery(
                        "sent", self.tr("work in this area was already stopped for this alarm")
                    )
                return
            self._commands[view.command_id] = alarm_id
            self._follow_alarm[alarm_id] = view.command_id
            self._on_command(view)

        def failed(exc: BaseException) -> None:
            text = refusal_text(exc) or coded_refusal_text(exc) or str(exc)
            self._note(text)
            target = self._popups.get(alarm_id)
            if target is not None:
                target.set_delivery("rejected", text)

        self.state.when_done(future, done, failed)

    def acknowledge(self, alarm_id: str) -> None:
        self.state.when_done(
            self.core.acknowledge(self.actor, [alarm_id]), lambda n: self.state.refresh(), self._failed
        )

    def silence(self) -> None:
        """Stop the horn (the alarms stay unacknowledged)."""
        self.horn.silence()

    def locate(self, alarm_id: str) -> None:
        """The map on the alarm's area (the windows come forward), and the popup beside it, in front:
        locating never hides a priority-1 alarm that waits for acknowledgement."""
        site, area = self._site_area(alarm_id)
        if site:
            self.locate_requested.emit(site, area)
        self.keep_in_front(beside=True)

    def headcount(self, alarm_id: str) -> None:
        """The alarm's area on the map and its headcount window; the popup stays in front, beside."""
        site, area = self._site_area(alarm_id)
        if site:
            self.headcount_requested.emit(site, area)
        self.keep_in_front(beside=True)

    def keep_in_front(self, *, beside: bool = False) -> None:
        """After another window came forward (locate from the alarm list, the incident layout):
        the front popup is raised again; ``beside``, it moves to the screen's right edge."""
        popup = self._popups.get(self._front or "")
        if popup is None:
            return
        if beside and not self._beside:
            self._beside = True
            popup.show_on_screen(self.host.screen() if self.host is not None else None, beside=True)
        popup.show()
        popup.raise_()

    def locate_newest(self) -> None:
        alarm_id = self.newest()
        if alarm_id is not None:
            self.locate(alarm_id)

    # Keyboard entry points for the shell (F5, F6, F7, F9, Ctrl+I).
    def newest(self) -> str | None:
        """The alarm of the popup in front."""
        return self._order[0] if self._order else None

    def acknowledge_newest(self) -> None:
        alarm_id = self.newest()
        if alarm_id is not None:
            self._popups[alarm_id].acknowledge()

    def stop_newest(self) -> None:
        alarm_id = self.newest()
        if alarm_id is not None:
            self._popups[alarm_id].request_stop()

    def newest_area(self) -> tuple[str, str] | None:
        alarm_id = self.newest()
        return self._site_area(alarm_id) if alarm_id is not None else None

    # ---- horn and errors -----------------------------------------------------------------------------
    def _update_horn(self, done: str) -> None:
        """Quiet the horn once nothing of priority 1/2 waits for acknowledgement any more."""
        waiting = {a for a, p in self._popups.items() if p.alarm().state == "unack"}
        waiting |= {
            a.alarm_id
            for a in self.state.board.alarms
            if a.state is AlarmState.UNACK and int(a.priority) in POPUP_PRIORITIES
        }
        waiting.discard(done)
        if not waiting:
            self.horn.silence()

    def _failed(self, exc: BaseException) -> None:
        self._note(refusal_text(exc) or coded_refusal_text(exc) or error_text(exc))

    def _note(self, text: str) -> None:
        log.warning("popup action failed: %s", text)
        self.errors.append(text)

    # ---- what a user sees ----------------------------------------------------------------------------
    def popups(self) -> dict[str, AlarmPopup]:
        return dict(self._popups)

    def stack(self) -> list[str]:
        """The alarms in the stack, the one in front first."""
        return list(self._order)

    def waiting(self) -> list[str]:
        """The alarms behind the front popup."""
        return self._order[1:]

    def close_all(self) -> None:
        for popup in list(self._popups.values()):
            popup.release()


def _grade_word(grade: str) -> str:
    """A hot-work grade (``special``, ``1``, ``2``) in the screen's language; an unknown one as it came."""
    try:
        return grade_text(HotWorkGrade(grade))
    except ValueError:
        return grade
