"""Who runs the plant's duties, in the screen's language (cockpit/duty_lease.py, health ``duty``).

The core publishes ``duty`` in its health: this console's role, whether it holds the duties, and what
the lease row says (holder, host, pid, fencing token, alive, held for, last renewed). The diagnostics
screen shows it; the status bar warns when no holder is alive.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from widgets.theme import QT_TRANSLATE_NOOP

CONTEXT = "Duties"
NO_HOLDER = QT_TRANSLATE_NOOP(
    "Duties", "No one runs the plant's duties: automatic stop-work, escalations and replies are not running"
)
DB_SILENT = QT_TRANSLATE_NOOP(
    "Duties", "The duty holder is unknown (the database is silent): this console stops work by itself"
)
HELD_HERE = QT_TRANSLATE_NOOP("Duties", "this console (lease %1, held for %2 s)")
HELD_BY = QT_TRANSLATE_NOOP("Duties", "%1 on %2 (pid %3, lease %4, held for %5 s, renewed %6 s ago)")
NOBODY = QT_TRANSLATE_NOOP("Duties", "nobody (lease %1 expired)")
ROLES = {
    "hold": QT_TRANSLATE_NOOP("Duties", "takes part (as a serve)"),
    "auto": QT_TRANSLATE_NOOP("Duties", "stands in while no serve holds them"),
    "serve": QT_TRANSLATE_NOOP("Duties", "never: serve instances run them"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def duty_warning(duty: dict[str, Any] | None) -> str:
    """The status bar's warning, or "" while a holder is alive (or nothing is known yet)."""
    if not duty:
        return ""
    if duty.get("db_silent_s") is not None:
        return _tr(DB_SILENT)
    if "alive" in duty and not duty["alive"] and not duty.get("me"):
        return _tr(NO_HOLDER)
    return ""


def duty_holder_text(duty: dict[str, Any] | None) -> str:
    """Who holds the duties and for how long, for the diagnostics screen."""
    if not duty or "alive" not in duty:
        return "—"
    token = str(duty.get("token", 0))
    if duty.get("me"):
        return _tr(HELD_HERE).replace("%1", token).replace("%2", f"{duty.get('held_s') or 0:.0f}")
    if not duty["alive"]:
        return _tr(NOBODY).replace("%1", token)
    return (
        _tr(HELD_BY)
        .replace("%1", str(duty.get("holder", "")))
        .replace("%2", str(duty.get("host", "")))
        .replace("%3", str(duty.get("pid", "")))
        .replace("%4", token)
        .replace("%5", f"{duty.get('held_s') or 0:.0f}")
        .replace("%6", f"{duty.get('renewed_s') or 0:.1f}")
    )


def duty_role_text(duty: dict[str, Any] | None) -> str:
    role = str((duty or {}).get("role", ""))
    return _tr(ROLES[role]) if role in ROLES else role
