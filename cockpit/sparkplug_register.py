"""The Sparkplug mapping kept with the registers (issue 22): which edge nodes' metrics are which areas'
gas channels, edited on the detectors screen by administrators and safety managers.

The entries are ordered; the host tries the configuration's ``[[sparkplug.map]]`` first, then these, and
the first entry that matches a metric wins (``cockpit/sparkplug_link.py``). Each entry is checked exactly
as the configuration's (``cockpit.sparkplug_config.check_map_entry``, ``add_map_limits``); its limits
with the alarm limits' own check (``LimitResolver``, beside ``[alarms.limits]``); its site and area must
be in the register. A save replaces the whole list in one transaction with one audit entry,
``register.sparkplug_map``, saying what was added and removed and whether the order changed; a refused
entry leaves the stored list as it was. The stop-work targets (``[[sparkplug.stop]]``) are kept the same
way (after the file's; ``register.sparkplug_stop``). The role is read from the database in the save's
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cockpit.plant_register import RegisterError, RegisterProblem, require_editor
from cockpit.sessions import LoginSession, SessionKeys
from cockpit.sparkplug_config import (
    MapProblem,
    SparkplugMap,
    SparkplugMapError,
    SparkplugStop,
    add_map_limits,
    check_map_entry,
    check_stop_entry,
)
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.limits import LimitResolver
from models.schema import Area, SparkplugMapRow, SparkplugStopRow

AUDIT_ACTION = "register.sparkplug_map"
STOP_AUDIT_ACTION = "register.sparkplug_stop"
MAX_ENTRIES = 1000
# The columns' widths (models/schema.SparkplugMapRow).
_WIDTHS = {"group": 200, "node": 200, "device": 200, "metric": 200, "detector": 64, "channel": 32, "unit": 16}


def entry_where(index: int) -> str:
    """How a refusal names the register's entry ``index`` (0-based): its place in the list, from 1."""
    return f"sparkplug register entry {index + 1}"


def map_rows(session: Session) -> list[SparkplugMap]:
    """The register's entries in their order."""
    rows = session.scalars(select(SparkplugMapRow).order_by(SparkplugMapRow.position))
    return [
        SparkplugMap(
            group=r.group_pattern,
            node=r.node_pattern,
            device=r.device_pattern,
            metric=r.metric_pattern,
            site=r.site_id,
            area=r.area_id,
            detector=r.detector,
            channel=r.channel,
            unit=r.unit,
            limits={k: float(v) for k, v in (r.limits or {}).items()},
        )
        for r in rows
    ]


def stop_rows(session: Session) -> list[SparkplugStop]:
    """The register's stop-work targets in their order."""
    rows = session.scalars(select(SparkplugStopRow).order_by(SparkplugStopRow.position))
    return [
        SparkplugStop(
            site=r.site_id,
            area=r.area_id,
            group=r.group_id,
            node=r.node,
            device=r.device,
            metric=r.metric,
            command_id_metric=r.command_id_metric,
            ack_metric=r.ack_metric,
        )
        for r in rows
    ]


def read_sparkplug_map(db: Database) -> tuple[list[SparkplugMap], list[SparkplugStop]]:
    """The register's entries and stop targets, in one session (at the link's start, or on the
    database worker)."""
    with db.session() as s:
        return map_rows(s), stop_rows(s)


def checked_entries(
    entries: Sequence[SparkplugMap], profile: str, config_limits: Mapping[str, Mapping[str, float]] | None
) -> list[SparkplugMap]:
    """Copies of ``entries`` checked as the configuration's are (canonical channel and unit); else the
    first refusal, naming the entry by its place in the list."""
    if len(entries) > MAX_ENTRIES:
        raise SparkplugMapError(
            MapProblem.TOO_LONG, where="sparkplug register", key="entries", max=MAX_ENTRIES
        )
    limits = {k: dict(v) for k, v in (config_limits or {}).items()}
    clean: list[SparkplugMap] = []
    for i, given in enumerate(entries):
        try:
            clean.append(_checked(entry_where(i), given, profile, limits))
        except SparkplugMapError as exc:
            exc.params["entry"] = i + 1  # the screens name it by its place
            raise
    return clean


def _checked(
    where: str, given: SparkplugMap, profile: str, limits: dict[str, dict[str, float]]
) -> SparkplugMap:
    entry = replace(given, limits=dict(given.limits))
    for key in ("group", "node", "device", "metric", "site", "area", "detector", "channel", "unit"):
        setattr(entry, key, str(getattr(entry, key)).strip())
    check_map_entry(where, entry)
    for key, width in _WIDTHS.items():
        if len(getattr(entry, key)) > width:
            raise SparkplugMapError(MapProblem.TOO_LONG, where=where, key=key, max=width)
    add_map_limits(where, entry, limits)
    try:
        LimitResolver(profile, limits)
    except UserError as exc:
        raise SparkplugMapError(MapProblem.LIMITS_REFUSED, where=where, reason=str(exc)) from None
    except (TypeError, ValueError):
        raise SparkplugMapError(MapProblem.LIMITS_REFUSED, where=where, reason="not a number") from None
    return entry


def _stop_checked(index: int, given: SparkplugStop) -> SparkplugStop:
    where = f"sparkplug register stop target {index + 1}"
    stop = replace(given)
    for key in ("site", "area", "group", "node", "device", "metric", "command_id_metric", "ack_metric"):
        setattr(stop, key, str(getattr(stop, key)).strip())
    try:
        check_stop_entry(where, stop)
        for key in ("site", "area"):
            if len(getattr(stop, key)) > _WIDTHS["detector"]:
                raise SparkplugMapError(MapProblem.TOO_LONG, where=where, key=key, max=_WIDTHS["detector"])
        for key in ("group", "node", "device", "metric", "command_id_metric", "ack_metric"):
            if len(getattr(stop, key)) > _WIDTHS["metric"]:
                raise SparkplugMapError(MapProblem.TOO_LONG, where=where, key=key, max=_WIDTHS["metric"])
    except SparkplugMapError as exc:
        exc.params["entry"] = index + 1
        raise
    return stop


def _described(entry: SparkplugMap) -> dict[str, Any]:
    return {k: v for k, v in asdict(entry).items() if v not in ("", {}, None)}


class SparkplugRegister:
    """Reads and saves of the mapping; ``acting`` is the login's session, judged with ``keys`` (the user
    and role as the database holds them now); ``profile`` and ``config_limits`` are the configuration's
    ``[alarms]``, which an entry's limits must stand beside."""

    def __init__(
        self,
        db: Database,
        keys: SessionKeys,
        *,
        profile: str = "cn",
        config_limits: Mapping[str, Mapping[str, float]] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._db = db
        self._keys = keys
        self._profile = profile
        self._config_limits = config_limits
        self._clock = clock or (lambda: datetime.now(UTC))

    def entries(self) -> list[SparkplugMap]:
        with self._db.session() as s:
            return map_rows(s)

    def stops(self) -> list[SparkplugStop]:
        with self._db.session() as s:
            return stop_rows(s)

    def save_stops(self, acting: LoginSession, stops: Sequence[SparkplugStop]) -> None:
        """The stop-work targets, in place of the stored ones; checked as the file's, the area known."""
        clean = [_stop_checked(i, stop) for i, stop in enumerate(stops)]
        self._replace(
            acting, clean, stop_rows, SparkplugStopRow, _stop_row, asdict, "targets", STOP_AUDIT_ACTION
        )

    def save(self, acting: LoginSession, entries: Sequence[SparkplugMap]) -> None:
        """The whole list, in this order, in place of the stored one; nothing written when refused."""
        clean = checked_entries(entries, self._profile, self._config_limits)
        self._replace(acting, clean, map_rows, SparkplugMapRow, _map_row, _described, "entries", AUDIT_ACTION)

    def _replace(
        self,
        acting: LoginSession,
        clean: Sequence[Any],
        stored: Callable[[Session], Sequence[Any]],
        table: type[Any],
        row: Callable[[int, Any], Any],
        described: Callable[[Any], dict[str, Any]],
        count: str,
        action: str,
    ) -> None:
        """One transaction: the editor checked, every area known, the stored list replaced in order, and
        one audit entry with what was added, removed and whether the order changed."""
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            for x in clean:
                if s.get(Area, (x.site, x.area)) is None:
                    raise RegisterError(RegisterProblem.UNKNOWN_AREA, area=x.area[:80], site=x.site[:80])
            old = [described(x) for x in stored(s)]
            s.execute(delete(table))
            s.add_all(row(position, x) for position, x in enumerate(clean))
            s.flush()
            new = [described(x) for x in clean]
            details: dict[str, Any] = {
                count: len(new),
                "added": [x for x in new if x not in old],
                "removed": [x for x in old if x not in new],
            }
            if action == AUDIT_ACTION:  # the mapping's order decides which entry wins
                details["reordered"] = [x for x in new if x in old] != [x for x in old if x in new]
            subject = "sparkplug.map" if action == AUDIT_ACTION else "sparkplug.stop"
            append_audit(
                s, actor=editor.username, action=action, subject=subject, details=details, ts=self._clock()
            )


def _map_row(position: int, entry: SparkplugMap) -> SparkplugMapRow:
    return SparkplugMapRow(
        position=position,
        group_pattern=entry.group,
        node_pattern=entry.node,
        device_pattern=entry.device,
        metric_pattern=entry.metric,
        site_id=entry.site,
        area_id=entry.area,
        detector=entry.detector,
        channel=entry.channel,
        unit=entry.unit,
        limits=dict(entry.limits) or None,
    )


def _stop_row(position: int, x: SparkplugStop) -> SparkplugStopRow:
    return SparkplugStopRow(
        position=position,
        site_id=x.site,
        area_id=x.area,
        group_id=x.group,
        node=x.node,
        device=x.device,
        metric=x.metric,
        command_id_metric=x.command_id_metric,
        ack_metric=x.ack_metric,
    )
