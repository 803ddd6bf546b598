"""The sites-and-areas register: sites, areas (risk level, guidance) and each area's emergency contacts.

Administrators and safety managers edit it; who acts is the login's session (``LoginSession``), its user
read from the database in the action's own transaction (``cockpit.sessions.session_user``), never a name
or role taken from the caller. Every change writes its audit entry in the same
transaction. Refusals are ``RegisterError``: one English line for the command line, a code and its
parameters for the screens. The site plan and the areas' polygons: ``cockpit/site_plans.py``; detectors,
channels and wind masts: ``cockpit/detector_register.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete
from sqlalchemy.orm import Session

from cockpit.sessions import SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.records import RiskLevel, Role
from models.schema import Area, EmergencyContact, Site, User

EDITORS = frozenset({Role.ADMIN, Role.SAFETY_MANAGER})
NAME_MAX = 200
GUIDANCE_MAX = 4000
CONTACTS_MAX = 20
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{2,31}")


class RegisterProblem(StrEnum):
    NOT_EDITOR = "not_editor"
    BAD_CODE = "bad_code"
    BAD_NAME = "bad_name"
    BAD_TIMEZONE = "bad_timezone"
    GUIDANCE_LONG = "guidance_long"
    UNKNOWN_SITE = "unknown_site"
    UNKNOWN_AREA = "unknown_area"
    BAD_PHONE = "bad_phone"
    TOO_MANY_CONTACTS = "too_many_contacts"


_MESSAGES: dict[RegisterProblem, str] = {
    RegisterProblem.NOT_EDITOR: "{actor} may not edit the plant's registers: administrators and safety "
    "managers do",
    RegisterProblem.BAD_CODE: "the code {value!r} is not allowed: letters, digits, '.', '_', '-', at most 64",
    RegisterProblem.BAD_NAME: "the name must not be empty and at most {max} characters",
    RegisterProblem.BAD_TIMEZONE: "the time zone {zone!r} is unknown: give an IANA name (Asia/Shanghai)",
    RegisterProblem.GUIDANCE_LONG: "the guidance text is too long: at most {max} characters",
    RegisterProblem.UNKNOWN_SITE: "there is no site {site}",
    RegisterProblem.UNKNOWN_AREA: "there is no area {area} in site {site}",
    RegisterProblem.BAD_PHONE: "the phone number {phone!r} of {name} is not a phone number",
    RegisterProblem.TOO_MANY_CONTACTS: "at most {max} emergency contacts per area",
}


class RegisterError(UserError):
    def __init__(self, code: RegisterProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES[code].format(**params))


@dataclass(frozen=True)
class ContactInput:
    name: str
    phone: str
    role: str = ""


def _code(value: str) -> str:
    code = value.strip()
    if not _CODE.fullmatch(code):
        raise RegisterError(RegisterProblem.BAD_CODE, value=code[:80])
    return code


def _name(value: str, limit: int = NAME_MAX) -> str:
    name = " ".join(value.split())
    if not name or len(name) > limit:
        raise RegisterError(RegisterProblem.BAD_NAME, max=limit)
    return name


def _contacts(contacts: Sequence[ContactInput]) -> list[ContactInput]:
    if len(contacts) > CONTACTS_MAX:
        raise RegisterError(RegisterProblem.TOO_MANY_CONTACTS, max=CONTACTS_MAX)
    clean = []
    for c in contacts:
        name = _name(c.name, 100)
        phone = c.phone.strip()
        if not _PHONE.fullmatch(phone):
            raise RegisterError(RegisterProblem.BAD_PHONE, phone=phone[:40], name=name)
        clean.append(ContactInput(name, phone, " ".join(c.role.split())[:100]))
    return clean


def require_editor(s: Session, keys: SessionKeys, acting: object) -> User:
    """The session's user as stored (``SessionRefused`` when the session is not one), an editor of the
    registers; else ``NOT_EDITOR``."""
    user = session_user(s, keys, acting)
    if user.role not in EDITORS:
        raise RegisterError(RegisterProblem.NOT_EDITOR, actor=user.username)
    return user


class PlantRegister:
    """Edits of sites, areas and contacts; ``acting`` is the login's session, judged with ``keys``."""

    def __init__(
        self, db: Database, keys: SessionKeys, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))

    def save_site(self, acting: object, site_id: str, name: str, *, timezone: str = "Asia/Shanghai") -> None:
        code, clean = _code(site_id), _name(name)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise RegisterError(RegisterProblem.BAD_TIMEZONE, zone=timezone[:80]) from None
        with self._db.session() as s:
            editor = self._editor(s, acting)
            site = s.get(Site, code)
            action = "register.site_update" if site is not None else "register.site_create"
            if site is None:
                site = Site(id=code, name=clean, timezone=timezone)
                s.add(site)
            site.name, site.timezone = clean, timezone
            s.flush()
            self._audit(s, editor, action, code, {"name": clean, "timezone": timezone})

    def save_area(
        self,
        acting: object,
        site_id: str,
        area_id: str,
        name: str,
        *,
        risk_level: RiskLevel,
        guidance: str = "",
        is_hazard_area: bool = False,
    ) -> None:
        code, clean = _code(area_id), _name(name)
        if len(guidance) > GUIDANCE_MAX:
            raise RegisterError(RegisterProblem.GUIDANCE_LONG, max=GUIDANCE_MAX)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            if s.get(Site, site_id) is None:
                raise RegisterError(RegisterProblem.UNKNOWN_SITE, site=site_id[:80])
            area = s.get(Area, (site_id, code))
            action = "register.area_update" if area is not None else "register.area_create"
            if area is None:
                area = Area(site_id=site_id, id=code, name=clean, polygon=[])
                s.add(area)
            area.name, area.risk_level = clean, risk_level
            area.guidance, area.is_hazard_area = guidance.strip(), is_hazard_area
            s.flush()
            details = {"name": clean, "risk_level": risk_level, "hazard_area": is_hazard_area}
            self._audit(s, editor, action, f"{site_id}/{code}", details)

    def set_contacts(
        self, acting: object, site_id: str, area_id: str, contacts: Sequence[ContactInput]
    ) -> None:
        """Replace the area's emergency contacts, in the order given (the first is called first)."""
        clean = _contacts(contacts)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            if s.get(Area, (site_id, area_id)) is None:
                raise RegisterError(RegisterProblem.UNKNOWN_AREA, area=area_id[:80], site=site_id[:80])
            s.execute(
                delete(EmergencyContact).where(
                    EmergencyContact.site_id == site_id, EmergencyContact.area_id == area_id
                )
            )
            for order, c in enumerate(clean):
                s.add(
                    EmergencyContact(
                        site_id=site_id,
                        area_id=area_id,
                        name=c.name,
                        role=c.role,
                        phone=c.phone,
                        sort_order=order,
                    )
                )
            s.flush()
            listed = [{"name": c.name, "role": c.role, "phone": c.phone} for c in clean]
            self._audit(s, editor, "register.contacts", f"{site_id}/{area_id}", {"contacts": listed})

    def _editor(self, s: Session, acting: object) -> User:
        return require_editor(s, self._keys, acting)

    def _audit(self, s: Session, editor: User, action: str, subject: str, details: dict[str, Any]) -> None:
        append_audit(
            s, actor=editor.username, action=action, subject=subject, details=details, ts=self._clock()
        )
