"""What the screens show of badges and printed permits (issue 23 parts 5 and 7): a scanned permit's
live state with its banner, and the permits on a worker's card. A refused code in words and the "save a
PDF" button the screens share are in ``views/pdf_button.py``.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from cockpit.safety_code_service import PermitLive, WorkerPermit
from models.plant_clock import format_time
from views.i18n import permit_status_text
from views.permit_words import type_text
from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "SafetyCodes"
# What a scanned permit's state means at the site; None: nothing to stop.
BANNERS: dict[str, str] = {
    "suspended": QT_TRANSLATE_NOOP("SafetyCodes", "SUSPENDED: the work must stop"),
    "closed": QT_TRANSLATE_NOOP("SafetyCodes", "CLOSED: this paper permit is no longer valid"),
    "cancelled": QT_TRANSLATE_NOOP("SafetyCodes", "CANCELLED: this paper permit is no longer valid"),
    "expired": QT_TRANSLATE_NOOP("SafetyCodes", "EXPIRED: this paper permit is no longer valid"),
    "rejected": QT_TRANSLATE_NOOP("SafetyCodes", "REJECTED: no work under this permit"),
    "submitted": QT_TRANSLATE_NOOP("SafetyCodes", "NOT APPROVED YET: no work under this permit"),
    "approved": QT_TRANSLATE_NOOP("SafetyCodes", "Approved, work not started"),
    "active": QT_TRANSLATE_NOOP("SafetyCodes", "Active: work allowed"),
}
STOPPING = frozenset({"suspended", "closed", "cancelled", "expired", "rejected", "submitted"})
ROLE_WORDS = {
    "worker": QT_TRANSLATE_NOOP("SafetyCodes", "performs the work"),
    "supervisor": QT_TRANSLATE_NOOP("SafetyCodes", "supervises"),
}

EVENT_WORDS = {
    "approved": QT_TRANSLATE_NOOP("SafetyCodes", "approved"),
    "started": QT_TRANSLATE_NOOP("SafetyCodes", "work started"),
    "paused": QT_TRANSLATE_NOOP("SafetyCodes", "paused"),
    "resumed": QT_TRANSLATE_NOOP("SafetyCodes", "resumed"),
    "suspended": QT_TRANSLATE_NOOP("SafetyCodes", "suspended"),
    "closed": QT_TRANSLATE_NOOP("SafetyCodes", "closed"),
    "cancelled": QT_TRANSLATE_NOOP("SafetyCodes", "cancelled"),
}

_HEADERS = (
    QT_TRANSLATE_NOOP("SafetyCodes", "Permit"),
    QT_TRANSLATE_NOOP("SafetyCodes", "Type"),
    QT_TRANSLATE_NOOP("SafetyCodes", "Area"),
    QT_TRANSLATE_NOOP("SafetyCodes", "Role on the permit"),
    QT_TRANSLATE_NOOP("SafetyCodes", "Valid"),
    QT_TRANSLATE_NOOP("SafetyCodes", "Status"),
)


def tr(text: str) -> str:
    """A text marked with ``QT_TRANSLATE_NOOP("SafetyCodes", …)`` above, translated."""
    return QCoreApplication.translate(_CTX, text)


def banner_html(text: str, *, alarming: bool) -> str:
    """One line across the pane: red (priority 1) when the site must act, plain bold otherwise."""
    if not alarming:
        return f"<p style='font-size:16pt'><b>{escape(text)}</b></p>"
    bg, fg = theme.priority_color(1).name(), theme.priority_text_color(1).name()
    return (
        f"<table width='100%' cellpadding='8'><tr><td style='background-color:{bg}; color:{fg};"
        f" font-size:20pt'><b>{escape(text)}</b></td></tr></table>"
    )


def permit_live_html(live: PermitLive, zone: str) -> str:
    """A scanned permit's state now: the banner first, then what and where, and the last change."""
    status = live.status
    banner = tr(BANNERS.get(status, "")) or permit_status_text(status)
    rows = [
        (QCoreApplication.translate("SafetyCodes", "Permit"), f"{live.permit_id} · {type_text(live.type)}"),
        (QCoreApplication.translate("SafetyCodes", "Status now"), permit_status_text(status)),
        (QCoreApplication.translate("SafetyCodes", "Area"), live.area),
        (
            QCoreApplication.translate("SafetyCodes", "Valid"),
            f"{_t(live.valid_from, zone)} – {_t(live.valid_to, zone)}",
        ),
        (QCoreApplication.translate("SafetyCodes", "Supervisor"), live.supervisor),
        (QCoreApplication.translate("SafetyCodes", "Workers"), ", ".join(live.workers) or "—"),
    ]
    if live.last_event:
        what = tr(EVENT_WORDS[live.last_event]) if live.last_event in EVENT_WORDS else live.last_event
        change = f"{what} · {_t(live.last_at, zone)} · {live.last_by}"
        rows.append(
            (
                QCoreApplication.translate("SafetyCodes", "Last change"),
                change + (f" · {live.reason}" if live.reason else ""),
            )
        )
    rows.append((QCoreApplication.translate("SafetyCodes", "Checked"), _t(live.checked_at, zone)))
    body = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
    return banner_html(banner, alarming=status in STOPPING) + f"<table cellpadding='3'>{body}</table>"


def worker_permits_html(permits: list[WorkerPermit], zone: str) -> str:
    """The permits a worker may work under now, each with its state (a suspension shown in red)."""
    title = (
        "<h3>"
        + escape(QCoreApplication.translate("SafetyCodes", "Permits authorised to work under"))
        + "</h3>"
    )
    if not permits:
        return (
            title
            + "<p>"
            + escape(
                QCoreApplication.translate(
                    "SafetyCodes", "none now: no approved or active permit names this worker"
                )
            )
            + "</p>"
        )
    head = "".join(f"<th align='left'>{escape(tr(h))}</th>" for h in _HEADERS)
    rows = []
    for p in permits:
        status = escape(permit_status_text(p.status))
        if p.status in STOPPING:
            bg, fg = theme.priority_color(1).name(), theme.priority_text_color(1).name()
            status = f"<td style='background-color:{bg}; color:{fg}'><b>{status}</b></td>"
        else:
            status = f"<td>{status}</td>"
        cells = (p.permit_id, type_text(p.type), p.area, tr(ROLE_WORDS[p.role]),
                 f"{_t(p.valid_from, zone)} – {_t(p.valid_to, zone)}")  # fmt: skip
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + status + "</tr>")
    border = theme.PALETTE.border
    table = f"<table width='100%' cellspacing='0' cellpadding='3' border='1' style='border-color:{border}'>"
    return f"{title}{table}<tr>{head}</tr>{''.join(rows)}</table>"


def _t(moment: object, zone: str) -> str:
    return format_time(moment, zone, "stamp", empty="—")  # type: ignore[arg-type]
