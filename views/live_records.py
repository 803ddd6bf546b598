"""The screen rules on the core's live state, as pure functions: they take the board (``CoreState``)
and what the registers say, and return what the widgets draw (tiles, area shapes, pins, alarm rows).

* worst gas: the fresh channel nearest to (or beyond) its high limit; a STALE or offline
  safety channel wins over any number, because an unknown value is never shown as normal;
  an oxygen-type channel (with low limits) counts only when it is outside its normal band;
* live risk: the static level raised to MAJOR by a live priority-1 alarm, to at least HIGH by
  a priority-2 alarm, and by one level by active hot work or confined-space permits.

No Qt object lives here; the Qt plumbing the screens share (``LiveState``, ``ViewBase`` …) is
``views/view_model.py``, which re-exports these.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from models.alarms import PERSON_CLEARED, Alarm, AlarmState
from models.limits import ChannelLimits
from models.records import SAFETY_CHANNELS, ChannelKey, DeviceState, PermitStatus, PermitType, WorkerEvent
from models.records import WorkerEventType as WorkerType
from views.finding_words import action_text
from widgets.alarm_words import condition_text
from widgets.value_tile import AreaTileData

# The alarm list's and the map's records (widgets.alarm_table, widgets.site_map) are imported where
# they are built, so that the overview, which needs neither, paints before those modules load (0.1 s).
if TYPE_CHECKING:
    from cockpit.core_state import CoreState, PermitInfo
    from cockpit.telemetry import ChannelSnapshot, DeviceSnapshot
    from models.queries import AreaInfo, SiteInfo
    from widgets.alarm_table import AlarmRow
    from widgets.site_map import AreaShape, DetectorPin, WorkerMark


RISK_ORDER = ("low", "general", "high", "major")
HIGH_RISK_PERMITS = frozenset({PermitType.HOT_WORK, PermitType.CONFINED_SPACE})
ANNUNCIATED = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK})
ALARM_WORKER_EVENTS = frozenset({WorkerType.MAN_DOWN, WorkerType.FALL, WorkerType.SOS, WorkerType.NO_MOTION})
_STATE_ROW = {
    AlarmState.UNACK: "unack",
    AlarmState.ACKED: "acked",
    AlarmState.RTN_UNACK: "rtn_unack",
    AlarmState.SHELVED: "shelved",
    AlarmState.OUT_OF_SERVICE: "oos",
    AlarmState.NORMAL: "rtn",
}


def work_state(board: CoreState, site: str, area: str) -> str:
    """``stopped`` or ``normal``: the area's work state as the core's board has it."""
    state = board.work_states.get((site, area))
    return "normal" if state is None else state.state


def channel_key_of(alarm_source: str) -> ChannelKey | None:
    """The channel an alarm's source names (``site/area/device/ch``), else None."""
    parts = alarm_source.split("/")
    if len(parts) != 4 or not all(parts):
        return None
    return ChannelKey(*parts)


def limit_dict(lim: ChannelLimits | None) -> dict[str, float | None]:
    """Limits as TrendPlot/MiniTrend take them."""
    if lim is None:
        return {}
    return {"LOLO": lim.lolo, "LO": lim.lo, "HI": lim.hi, "HIHI": lim.hihi}


def permit_counts(permits: Iterable[PermitInfo], site: str, area: str) -> dict[str, int]:
    """Active permits of the area by type value."""
    counts: Counter[str] = Counter(
        p.type.value for p in permits if p.site == site and p.area == area and p.status is PermitStatus.ACTIVE
    )
    return dict(counts)


def alarm_counts(alarms: Iterable[Alarm], site: str | None = None, area: str | None = None) -> dict[int, int]:
    """Annunciated alarms per priority (shelved and out of service do not count)."""
    counts = dict.fromkeys((1, 2, 3, 4), 0)
    for a in alarms:
        if (site is None or a.site == site) and (area is None or a.area == area) and a.state in ANNUNCIATED:
            counts[int(a.priority)] += 1
    return counts


def live_risk(static: str, alarms: Iterable[Alarm], permits: Iterable[PermitInfo]) -> str | None:
    """The area's risk raised by live alarms and active high-risk permits; None when not raised."""
    base = static.lower() if static.lower() in RISK_ORDER else "low"
    rank = RISK_ORDER.index(base)
    if any(p.status is PermitStatus.ACTIVE and p.type in HIGH_RISK_PERMITS for p in permits):
        rank = min(rank + 1, 3)
    active = [a for a in alarms if a.active and a.state in ANNUNCIATED]
    if any(a.priority == 1 for a in active):
        rank = 3
    elif any(a.priority == 2 for a in active):
        rank = max(rank, 2)
    level = RISK_ORDER[rank]
    return None if level == base else level


@dataclass(frozen=True, slots=True)
class GasSummary:
    """The area's worst gas reading against its limit, as the tile shows it."""

    channel: str | None = None
    value: float | None = None
    unit: str = ""
    limit: float | None = None
    limit_name: str = "HI"
    priority: int | None = None
    stale: bool = False
    offline: bool = False


def _score(value: float, lim: ChannelLimits) -> tuple[float, float | None, str]:
    """How near ``value`` is to alarm (1.0 = at the limit), with the limit it is measured against."""
    if lim.lo is not None or lim.lolo is not None:
        low = lim.lo if lim.lo is not None else lim.lolo
        assert low is not None
        if value <= low:
            name = "LOLO" if lim.lolo is not None and value <= lim.lolo else "LO"
            limit = lim.lolo if name == "LOLO" else low
            return 1.0 + (low - value) / max(abs(low), 1e-9), limit, name
        if lim.hi is not None and value >= lim.hi:
            return value / lim.hi if lim.hi else math.inf, lim.hi, "HI"
        return 0.0, None, "LO"  # an oxygen-type channel inside its band is nothing to report
    high = lim.hi if lim.hi is not None else lim.hihi
    if high is None or high <= 0:
        return -1.0, None, "HI"
    name = "HIHI" if lim.hihi is not None and value >= lim.hihi else "HI"
    return value / high, lim.hihi if name == "HIHI" else high, name


def worst_gas(
    channels: Sequence[ChannelSnapshot],
    limits: Callable[[ChannelKey], ChannelLimits | None],
    alarms: Iterable[Alarm] = (),
) -> GasSummary:
    """See the module docstring. ``channels`` are one area's channels."""
    gas = [c for c in channels if c.key.ch in SAFETY_CHANNELS]
    if not gas:
        return GasSummary()
    level_prio = {
        a.source: int(a.priority)
        for a in alarms
        if a.kind == "level" and a.active and a.state in (AlarmState.UNACK, AlarmState.ACKED)
    }
    bad = [c for c in gas if c.stale]
    if bad:
        first = bad[0]
        offline = first.device_state in (DeviceState.OFFLINE, DeviceState.FAULT)
        return GasSummary(first.key.ch, None, first.unit, None, "HI", None, stale=True, offline=offline)
    best: tuple[float, ChannelSnapshot, float | None, str] | None = None
    for c in gas:
        lim = limits(c.key)
        if c.value is None or lim is None or not lim.has_limits():
            continue
        score, limit, name = _score(c.value, lim)
        if best is None or score > best[0]:
            best = (score, c, limit, name)
    if best is None:
        c = gas[0]
        return GasSummary(c.key.ch, c.value, c.unit)
    score, c, limit, name = best
    if limit is None:  # every channel quiet and oxygen-like: show it with its high limit if any
        lim = limits(c.key)
        limit = lim.hi if lim is not None else None
        name = "HI"  # the tile read "89 % of LO 23.5" for oxygen at 20.9 against its HI
    prio = level_prio.get(str(c.key))
    if prio is None and score >= 1.0:
        prio = 1 if name in ("HIHI", "LOLO") else 2
    return GasSummary(c.key.ch, c.value, c.unit, limit, name, prio)


def area_tile_data(
    area: AreaInfo,
    channels: Sequence[ChannelSnapshot],
    board: CoreState,
    limits: Callable[[ChannelKey], ChannelLimits | None],
    *,
    alarms: Sequence[Alarm] | None = None,
    permits: Sequence[PermitInfo] | None = None,
) -> AreaTileData:
    """One overview tile from the area, its channels (store) and the core's board.

    ``alarms`` and ``permits``: the area's, when the caller has sorted them by area already.
    """
    site, name = area.site_id, area.area_id
    if alarms is None:
        alarms = [a for a in board.alarms if a.site == site and a.area == name]
    if permits is None:
        permits = [p for p in board.permits.values() if p.site == site and p.area == name]
    gas = worst_gas(channels, limits, alarms)
    return AreaTileData(
        site=site,
        area=name,
        name=area.name,
        risk_level=area.risk_level.value,
        live_risk=live_risk(area.risk_level.value, alarms, permits),
        permits=permit_counts(permits, site, name),
        gas_channel=gas.channel,
        gas_value=gas.value,
        gas_unit=gas.unit,
        gas_limit=gas.limit,
        gas_limit_name=gas.limit_name,
        gas_priority=gas.priority,
        stale=gas.stale,
        offline=gas.offline,
        work_stopped=work_state(board, site, name) == "stopped",
        alarm_counts=alarm_counts(alarms),
    )


def area_shape(area: AreaInfo, board: CoreState, inside_text: str = "%1 inside") -> AreaShape:
    """One area of the site map, coloured by its live risk and its worst annunciated alarm; its label
    counts the permits by type and who is inside by the field gate (``inside_text``, translated)."""
    alarms = [a for a in board.alarms if a.site == area.site_id and a.area == area.area_id]
    permits = [p for p in board.permits.values() if p.site == area.site_id and p.area == area.area_id]
    counts = alarm_counts(alarms)
    worst = min((p for p, n in counts.items() if n > 0 and p <= 2), default=None)
    from widgets.value_tile import permit_label

    label = " · ".join(f"{permit_label(k)} {n}" for k, n in permit_counts(permits, *_key(area)).items())
    inside = len(board.inside.get(_key(area), ()))
    if inside:
        label = " · ".join(filter(None, (label, inside_text.replace("%1", str(inside)))))
    from widgets.site_map import AreaShape

    return AreaShape(
        site=area.site_id,
        area=area.area_id,
        name=area.name,
        polygon=area.polygon,
        risk_level=area.risk_level.value,
        live_risk=live_risk(area.risk_level.value, alarms, permits),
        work_stopped=work_state(board, *_key(area)) == "stopped",
        alarm_priority=worst,
        label=label,
    )


def _key(area: AreaInfo) -> tuple[str, str]:
    return (area.site_id, area.area_id)


def detector_pin(
    device: str,
    *,
    x: float,
    y: float,
    snap: DeviceSnapshot | None,
    channels: Sequence[ChannelSnapshot],
    alarms: Iterable[Alarm],
) -> DetectorPin:
    """A detector's pin: alarm (with priority) > offline/fault > stale > ok; never seen = stale."""
    from widgets.site_map import DetectorPin

    keys = {str(c.key) for c in channels}
    prefix = None if snap is None else "/".join(snap.key)
    prios = [
        int(a.priority)
        for a in alarms
        if a.state in ANNUNCIATED
        and a.active
        and a.priority <= 2
        and (a.source in keys or a.source == prefix)
    ]
    if prios:
        return DetectorPin(device, x, y, "alarm", min(prios))
    state = snap.state if snap is not None else None
    if state is DeviceState.OFFLINE:
        return DetectorPin(device, x, y, "offline")
    if state is DeviceState.FAULT:
        return DetectorPin(device, x, y, "fault")
    if not channels or any(c.stale for c in channels):
        return DetectorPin(device, x, y, "stale")
    return DetectorPin(device, x, y, "ok")


def worker_marks(workers: Iterable[WorkerEvent], site: str, alarms: Iterable[Alarm]) -> list[WorkerMark]:
    """Last known worker positions on ``site``; in alarm while a man-down/fall/SOS of theirs is live."""
    alarmed = {
        a.source.removeprefix("worker:")
        for a in alarms
        if a.source.startswith("worker:") and a.active and a.state in ANNUNCIATED
    }
    from widgets.site_map import WorkerMark

    return [
        WorkerMark(
            ev.worker, float(ev.x), float(ev.y), ev.worker in alarmed or ev.type in ALARM_WORKER_EVENTS
        )
        for ev in workers
        if ev.site == site and ev.x is not None and ev.y is not None
    ]


def alarm_row(alarm: Alarm) -> AlarmRow:
    """One line of the alarm list."""
    raised = alarm.last_ts or alarm.first_ts or datetime.now(UTC)
    from widgets.alarm_table import AlarmRow

    return AlarmRow(
        alarm_id=alarm.alarm_id,
        priority=int(alarm.priority),
        raised_at=raised,
        site=alarm.site,
        area=alarm.area,
        source=alarm.source,
        condition=alarm.condition,
        value=alarm.value,
        unit=alarm.unit,
        state=_STATE_ROW.get(alarm.state, str(alarm.state)),
        count=alarm.activations,
        acked_by=alarm.acked_by or "",
        message=alarm.message,
    )


def is_person_cleared(alarm: Alarm) -> bool:
    """Man-down, fall, SOS, no motion: only a person who checked may clear them."""
    return alarm.condition in PERSON_CLEARED


def area_names(sites: Iterable[SiteInfo]) -> dict[tuple[str, str], tuple[str, str]]:
    """(site, area) → (site name, area name), for texts that name a place."""
    return {(a.site_id, a.area_id): (s.name, a.name) for s in sites for a in s.areas}


def refused_text(action: str) -> str:
    """Tooltip of a control the logged-in role may not use."""
    return QCoreApplication.translate("Views", "Your role may not %1.").replace("%1", action_text(action))


def status_word(status: str) -> str:
    """A permit status as a short word on screen (active permits need none)."""
    words = {
        "suspended": QCoreApplication.translate("Views", "SUSPENDED"),
        "approved": QCoreApplication.translate("Views", "approved, not started"),
    }
    return words.get(status, "")


def alarm_title(condition: str, source: str, who: str | None = None) -> str:
    """What the alarm is, in the screen's language: "LEL high-high · GD-101", "man down · W-10023"
    (``who`` instead of the id when the worker's name is known: "man down · 张伟 (W-10023)")."""
    what = condition_text(condition)
    parts = source.split("/")
    if len(parts) == 4:  # site/area/device/ch: a gas channel
        return f"{parts[3]} {what} · {parts[2]}"
    if len(parts) == 3:  # site/area/device: a detector
        return f"{what} · {parts[2]}"
    return f"{what} · {who or source.split(':', 1)[-1]}"
