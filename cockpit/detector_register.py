"""The detectors register: gas detectors, their channels (gas, unit, limit profile, overrides, maximum
age) and the wind masts, edited by administrators and safety managers.

A channel's limits are its profile's (``models/limits.py``, ``cn`` or ``us``) unless the channel
overrides LOLO, LO, HI or HIHI; an override is checked by the same resolver the alarm engine uses, so
a looser limit than the profile's (GB 30871: stricter, never looser) or limits out of order are
refused with the resolver's one line. A wind mast is a device with one ``WIND`` channel in m/s (the
permits' wind rule reads those channels). The role is read from the database in each action's
transaction; every change writes its audit entry there.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from cockpit.permits.wind import WIND_CHANNEL
from cockpit.plant_register import RegisterError, RegisterProblem, require_editor
from cockpit.sessions import SessionKeys
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.limits import PROFILES, LimitResolver
from models.records import CANONICAL_UNITS
from models.schema import Area, Detector, DetectorChannel, User

LIMIT_FIELDS = ("lolo", "lo", "hi", "hihi")
MAX_AGE_S = 3600.0
_CODE_MAX = 64


class DetectorProblem(StrEnum):
    BAD_ID = "bad_id"
    UNKNOWN_DETECTOR = "unknown_detector"
    BAD_CHANNEL = "bad_channel"
    BAD_UNIT = "bad_unit"
    BAD_PROFILE = "bad_profile"
    BAD_MAX_AGE = "bad_max_age"
    BAD_POSITION = "bad_position"
    LIMIT_LOOSER = "limit_looser"
    LIMIT_ORDER = "limit_order"
    LIMIT_NARROW = "limit_narrow"
    LIMIT_NUMBER = "limit_number"
    WIND_CHANNEL = "wind_channel"


_MESSAGES: dict[DetectorProblem, str] = {
    DetectorProblem.BAD_ID: "the ID {value!r} is not allowed: letters, digits, '.', '_', '-', at most 64",
    DetectorProblem.UNKNOWN_DETECTOR: "there is no detector {device}",
    DetectorProblem.BAD_CHANNEL: "the channel {ch!r} is not allowed: letters and digits, at most 32",
    DetectorProblem.BAD_UNIT: "{ch} is measured in {unit} on the wire, not {given!r}",
    DetectorProblem.BAD_PROFILE: "unknown limit profile {profile!r}: choose one of {choices}",
    DetectorProblem.BAD_MAX_AGE: "the maximum age must be a number of seconds above 0 and at most {max:g}",
    DetectorProblem.BAD_POSITION: "the position on the plan must be two numbers (metres), or none",
    DetectorProblem.LIMIT_LOOSER: "{ch} {field} {value} is looser than the {profile} profile's {floor}: "
    "stricter limits only (GB 30871)",
    DetectorProblem.LIMIT_ORDER: "{ch}: {low} {low_value} must lie below {high} {high_value} "
    "(LOLO ≤ LO < HI ≤ HIHI)",
    DetectorProblem.LIMIT_NARROW: "{ch}: the limits are too close for an alarm to return to normal",
    DetectorProblem.LIMIT_NUMBER: "{ch} {field}: a limit must be a number",
    DetectorProblem.WIND_CHANNEL: "WIND belongs to a wind mast: add it under wind masts",
}


class DetectorError(UserError):
    def __init__(self, code: DetectorProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES[code].format(**params))


def _id(value: str) -> str:
    code = value.strip()
    ok = 0 < len(code) <= _CODE_MAX and code[0].isalnum() and all(c.isalnum() or c in "._-" for c in code)
    if not ok or not code.isascii():
        raise DetectorError(DetectorProblem.BAD_ID, value=code[:80])
    return code


def _position(x: float | None, y: float | None) -> tuple[float | None, float | None]:
    if x is None and y is None:
        return None, None
    if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
        raise DetectorError(DetectorProblem.BAD_POSITION)
    return float(x), float(y)


def _max_age(value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value) or not 0 < value <= MAX_AGE_S:
        raise DetectorError(DetectorProblem.BAD_MAX_AGE, max=MAX_AGE_S)
    return float(value)


def check_channel_limits(
    profile: str, ch: str, limits: Mapping[str, float | None] | None
) -> dict[str, float]:
    """The overrides that are set, checked against ``profile`` as the alarm engine would check them."""
    if profile not in PROFILES:
        raise DetectorError(DetectorProblem.BAD_PROFILE, profile=profile[:40], choices=", ".join(PROFILES))
    clean: dict[str, float] = {}
    for name, raw in (limits or {}).items():
        if raw is None:
            continue
        if name not in LIMIT_FIELDS or isinstance(raw, bool) or not math.isfinite(float(raw)):
            raise DetectorError(DetectorProblem.LIMIT_NUMBER, ch=ch, field=str(name)[:20].upper())
        clean[name] = float(raw)
    floor = PROFILES[profile].get(ch)
    merged: dict[str, float] = {}
    for name in LIMIT_FIELDS:
        base = getattr(floor, name) if floor is not None else None
        value = clean.get(name, base)
        if name in clean and base is not None and (value > base if name in ("hi", "hihi") else value < base):
            raise DetectorError(
                DetectorProblem.LIMIT_LOOSER,
                ch=ch,
                field=name.upper(),
                value=f"{value:g}",
                profile=profile,
                floor=f"{base:g}",
            )
        if value is not None:
            merged[name] = value
    order = list(merged.items())
    for (n1, v1), (n2, v2) in itertools.pairwise(order):
        if v1 > v2 or (n1 in ("lolo", "lo") and n2 in ("hi", "hihi") and v1 == v2):
            raise DetectorError(
                DetectorProblem.LIMIT_ORDER,
                ch=ch,
                low=n1.upper(),
                low_value=f"{v1:g}",
                high=n2.upper(),
                high_value=f"{v2:g}",
            )
    try:
        LimitResolver(profile, {ch: clean} if clean else None)
    except UserError:
        raise DetectorError(DetectorProblem.LIMIT_NARROW, ch=ch) from None
    return clean


class DetectorRegister:
    """Edits of detectors, channels and wind masts; ``acting`` is the login's session."""

    def __init__(
        self, db: Database, keys: SessionKeys, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))

    def save_detector(
        self,
        acting: object,
        site_id: str,
        area_id: str,
        device_id: str,
        *,
        model: str = "",
        x: float | None = None,
        y: float | None = None,
    ) -> None:
        code, (px, py) = _id(device_id), _position(x, y)
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            self._save_device(s, site_id, area_id, code, model, px, py)
            details = {"site": site_id, "area": area_id, "model": model.strip()[:100], "x": px, "y": py}
            self._audit(s, editor, "register.detector", code, details)

    def save_channel(
        self,
        acting: object,
        device_id: str,
        ch: str,
        *,
        unit: str = "",
        profile: str = "cn",
        max_age_s: float | None = None,
        limits: Mapping[str, float | None] | None = None,
    ) -> None:
        name = ch.strip().upper()
        if not (0 < len(name) <= 32 and name.isascii() and name.isalnum()):
            raise DetectorError(DetectorProblem.BAD_CHANNEL, ch=ch[:40])
        if name == WIND_CHANNEL:
            raise DetectorError(DetectorProblem.WIND_CHANNEL)
        wire_unit = CANONICAL_UNITS.get(name)
        given = unit.strip() or (wire_unit or "")
        if (wire_unit is not None and given != wire_unit) or not given or len(given) > 16:
            raise DetectorError(DetectorProblem.BAD_UNIT, ch=name, unit=wire_unit or "?", given=given[:20])
        overrides, age = check_channel_limits(profile, name, limits), _max_age(max_age_s)
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            if s.get(Detector, device_id) is None:
                raise DetectorError(DetectorProblem.UNKNOWN_DETECTOR, device=device_id[:80])
            row = s.get(DetectorChannel, (device_id, name))
            if row is None:
                row = DetectorChannel(detector_id=device_id, ch=name)
                s.add(row)
            row.unit, row.limit_profile, row.max_age_s = given, profile, age
            row.limits = overrides or None
            s.flush()
            details = {"unit": given, "profile": profile, "max_age_s": age, "limits": overrides}
            self._audit(s, editor, "register.channel", f"{device_id}/{name}", details)

    def delete_channel(self, acting: object, device_id: str, ch: str) -> None:
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            gone = s.execute(
                delete(DetectorChannel).where(
                    DetectorChannel.detector_id == device_id, DetectorChannel.ch == ch
                )
            )
            if not getattr(gone, "rowcount", 0):
                raise DetectorError(DetectorProblem.UNKNOWN_DETECTOR, device=f"{device_id}/{ch}"[:80])
            self._audit(s, editor, "register.channel_delete", f"{device_id}/{ch}", {})

    def save_wind_mast(
        self,
        acting: object,
        site_id: str,
        area_id: str,
        mast_id: str,
        *,
        model: str = "",
        x: float | None = None,
        y: float | None = None,
        max_age_s: float | None = None,
    ) -> None:
        """A wind mast: a device with one WIND channel in m/s (the hot-work wind rule reads it)."""
        code, (px, py), age = _id(mast_id), _position(x, y), _max_age(max_age_s)
        with self._db.session() as s:
            editor = require_editor(s, self._keys, acting)
            self._save_device(s, site_id, area_id, code, model, px, py)
            row = s.get(DetectorChannel, (code, WIND_CHANNEL))
            if row is None:
                row = DetectorChannel(detector_id=code, ch=WIND_CHANNEL, limit_profile="cn")
                s.add(row)
            row.unit, row.max_age_s = CANONICAL_UNITS[WIND_CHANNEL], age
            s.flush()
            details = {"site": site_id, "area": area_id, "x": px, "y": py, "max_age_s": age}
            self._audit(s, editor, "register.wind_mast", code, details)

    @staticmethod
    def _save_device(
        s: Session, site_id: str, area_id: str, code: str, model: str, x: float | None, y: float | None
    ) -> Detector:
        if s.get(Area, (site_id, area_id)) is None:
            raise RegisterError(RegisterProblem.UNKNOWN_AREA, area=area_id[:80], site=site_id[:80])
        device = s.get(Detector, code)
        if device is None:
            device = Detector(id=code, site_id=site_id, area_id=area_id)
            s.add(device)
        device.site_id, device.area_id = site_id, area_id
        device.model, device.x, device.y, device.registered = model.strip()[:100], x, y, True
        s.flush()
        return device

    def _audit(self, s: Session, editor: User, action: str, subject: str, details: dict[str, Any]) -> None:
        append_audit(
            s, actor=editor.username, action=action, subject=subject, details=details, ts=self._clock()
        )
