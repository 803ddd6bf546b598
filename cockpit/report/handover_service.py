"""Signing the handover: both shift leads re-enter their passwords, the signed PDF is stored with its hash.

Why it works this way:
- The signatures are bound to the *content* (``content_hash`` of the gathered data and the notes), not
  to the PDF bytes, which hold the signatures themselves; the stored PDF has its own sha256 as well.
- A second signed report for the same shift window and site does not replace the first (rows are never
  edited): it records ``supersedes`` and says so on the page, with the earlier report's id and hash.
- Password checks, the PDF, the stored row and the audit entry happen in one transaction: either the
  handover is stored and audited, or nothing is.
- The signing is an act of the console's login (issue 19): its session is checked in that transaction
  too (``cockpit.sessions.session_user``) and the audit entry names it beside the two leads, whose
  passwords sign.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.report.data import HandoverData, collect_handover, content_hash
from cockpit.report.layout import Lang, Paper, Progress, SignatureBlock
from cockpit.roles import ACTIONS
from cockpit.sessions import SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.limits import LimitResolver
from models.passwords import verify_password
from models.rules.refusal_texts import coded
from models.schema import ShiftHandover, User


class SignatureRefused(UserError):
    """A lead's password or role did not allow the signature; ``str(exc)`` says which and why (in
    English; its ``code`` and ``params`` for the screen's language)."""


@dataclass(frozen=True, slots=True)
class StoredHandover:
    id: int
    pdf_sha256: str
    content_sha256: str
    outgoing: str
    incoming: str
    signed_at: datetime
    supersedes: int | None
    pdf: bytes


def _check_signer(session: Session, username: str, password: str, which: str) -> User:
    user = session.get(User, username)
    outgoing = which == "outgoing"
    if user is None or not user.active or not verify_password(password, user.password_hash):
        # One message for an unknown user and a wrong password: the form does not reveal which exists.
        if outgoing:
            raise coded(SignatureRefused, "handover.outgoing_login", user=username)
        raise coded(SignatureRefused, "handover.incoming_login", user=username)
    if user.role not in ACTIONS["sign_handover"]:
        if outgoing:
            raise coded(SignatureRefused, "handover.outgoing_role", user=username, role=user.role.value)
        raise coded(SignatureRefused, "handover.incoming_role", user=username, role=user.role.value)
    return user


def previous_handover(
    session: Session, start: datetime, end: datetime, site: str | None
) -> ShiftHandover | None:
    """The newest stored report for exactly this shift window and site, if any."""
    site_cond = ShiftHandover.site_id == site if site else ShiftHandover.site_id.is_(None)
    return session.scalars(
        select(ShiftHandover)
        .where(ShiftHandover.shift_from == start, ShiftHandover.shift_to == end, site_cond)
        .order_by(ShiftHandover.id.desc())
        .limit(1)
    ).first()


def supersedes_text(row: ShiftHandover) -> str:
    """How the page names an earlier report: its id and its PDF hash."""
    return f"#{row.id} (sha256 {row.pdf_sha256})"


def sign_and_store(
    db: Database,
    *,
    keys: SessionKeys,
    login: object,  # the console's LoginSession: who carries the act out (the leads sign it)
    start: datetime,
    end: datetime,
    site: str | None,
    outgoing: tuple[str, str],
    incoming: tuple[str, str],
    notes: str = "",
    lang: Lang = "zh_CN",
    paper: Paper = "A4",
    plant: str = "",
    limits: LimitResolver | None = None,
    out: Path | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> StoredHandover:
    """Verify both leads, render the signed report, store it (and write ``out`` too when given)."""
    (out_user, out_pw), (in_user, in_pw) = outgoing, incoming
    if out_user.strip() == in_user.strip():
        raise coded(SignatureRefused, "handover.same_people")
    signed_at = (now or datetime.now(UTC)).astimezone(UTC)
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    with db.session() as session:
        console = session_user(session, keys, login)
        lead_out = _check_signer(session, out_user, out_pw, "outgoing")
        lead_in = _check_signer(session, in_user, in_pw, "incoming")
        data: HandoverData = collect_handover(
            session, start=start, end=end, site=site, plant=plant, now=signed_at, limits=limits
        )
        data = replace(data, outgoing_lead=lead_out.display_name, incoming_lead=lead_in.display_name)
        signed_hash = content_hash(data, notes)
        signatures = (
            SignatureBlock("outgoing", lead_out.display_name, lead_out.username, signed_at, signed_hash),
            SignatureBlock("incoming", lead_in.display_name, lead_in.username, signed_at, signed_hash),
        )
        earlier = previous_handover(session, start, end, site)
        pdf = _render_signed(data, notes, signatures, earlier, lang, paper, progress)
        stored = _store(
            session,
            data,
            window=(start, end, site),
            leads=(lead_out, lead_in),
            console=console.username,
            notes=notes,
            pdf=pdf,
            signed=(signed_at, signed_hash),
            earlier=earlier,
            layout=(lang, paper),
        )
    if out is not None:
        _write_copy(Path(out), pdf)
    return stored


def _render_signed(
    data: HandoverData,
    notes: str,
    signatures: tuple[SignatureBlock, ...],
    earlier: ShiftHandover | None,
    lang: Lang,
    paper: Paper,
    progress: Progress | None,
) -> bytes:
    """The signed report's PDF bytes, rendered in a temporary folder."""
    from cockpit.report.handover_pdf import render_handover_pdf  # reportlab: only when rendering

    with tempfile.TemporaryDirectory(prefix="handover-") as tmp:
        path = render_handover_pdf(
            data,
            Path(tmp) / "handover.pdf",
            lang=lang,
            paper=paper,
            notes=notes,
            signatures=signatures,
            supersedes=supersedes_text(earlier) if earlier else None,
            progress=progress,
        )
        return path.read_bytes()


def _store(
    session: Session,
    data: HandoverData,
    *,
    window: tuple[datetime, datetime, str | None],
    leads: tuple[User, User],
    console: str,
    notes: str,
    pdf: bytes,
    signed: tuple[datetime, str],
    earlier: ShiftHandover | None,
    layout: tuple[Lang, Paper],
) -> StoredHandover:
    """Add the signed report's row and its audit entry (in the caller's transaction)."""
    start, end, site = window
    lead_out, lead_in = leads
    signed_at, signed_hash = signed
    lang, paper = layout
    pdf_hash = hashlib.sha256(pdf).hexdigest()
    row = ShiftHandover(
        site_id=site,
        shift_from=start,
        shift_to=end,
        outgoing_lead=lead_out.username,
        incoming_lead=lead_in.username,
        notes=notes,
        pdf_sha256=pdf_hash,
        pdf=pdf,
        signed_out_at=signed_at,
        signed_out_by=lead_out.username,
        signed_in_at=signed_at,
        signed_in_by=lead_in.username,
        supersedes=earlier.id if earlier else None,
        created_at=signed_at,
    )
    session.add(row)
    session.flush()
    append_audit(
        session,
        actor=lead_out.username,
        action="handover.signed",
        subject=f"shift_handover/{row.id}",
        details={
            "site": site,
            "from": start,
            "to": end,
            "outgoing": lead_out.username,
            "incoming": lead_in.username,
            "console": console,
            "content_sha256": signed_hash,
            "pdf_sha256": pdf_hash,
            "audit_head_printed": data.audit_head,
            "supersedes": earlier.id if earlier else None,
            "lang": lang,
            "paper": paper,
        },
        ts=signed_at,
    )
    return StoredHandover(
        id=row.id,
        pdf_sha256=pdf_hash,
        content_sha256=signed_hash,
        outgoing=lead_out.username,
        incoming=lead_in.username,
        signed_at=signed_at,
        supersedes=row.supersedes,
        pdf=pdf,
    )


def _write_copy(out: Path, pdf: bytes) -> None:
    """The stored bytes, also as a file (atomic, like the renderer)."""
    import os

    try:
        with tempfile.NamedTemporaryFile(
            dir=out.parent, prefix=f".{out.name}.", suffix=".part", delete=False
        ) as fh:
            fh.write(pdf)
            tmp = Path(fh.name)
        os.replace(tmp, out)
    except OSError as exc:
        raise UserError(
            f"the handover is signed and stored, but {out} cannot be written ({exc.strerror or exc}); "
            "export it again to a folder you can write to"
        ) from None
