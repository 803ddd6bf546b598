"""Why the core refused an act for who asked (``cockpit.sessions.SessionRefused``), in the screen's language.

The core says it as a code with parameters; the sentence it carries (``str(exc)``) is English, for logs.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from cockpit.sessions import SessionRefused
from models.errors import UserError
from widgets.theme import QT_TRANSLATE_NOOP

REFUSAL_TEXTS: dict[str, str] = {
    "session_missing": QT_TRANSLATE_NOOP(
        "SessionRefused", "Not carried out: no login session. Log in again."
    ),
    "session_forged": QT_TRANSLATE_NOOP(
        "SessionRefused", "Not carried out: the login of %1 is not valid here. Log in again."
    ),
    "user_unknown": QT_TRANSLATE_NOOP("SessionRefused", "Not carried out: the user %1 no longer exists."),
    "user_inactive": QT_TRANSLATE_NOOP("SessionRefused", "Not carried out: the user %1 has been disabled."),
    "role_changed": QT_TRANSLATE_NOOP(
        "SessionRefused", "Not carried out: the role of %1 changed since the login. Log in again."
    ),
    "database_unavailable": QT_TRANSLATE_NOOP(
        "SessionRefused", "Not carried out: %1 cannot be checked while the database is unreachable."
    ),
    "actor_unverified": QT_TRANSLATE_NOOP(
        "SessionRefused", "Not carried out: %1 is not a verified user of this cockpit."
    ),
}


def refusal_text(exc: BaseException) -> str | None:
    """The refusal in the current language, or None when ``exc`` is not a session refusal."""
    if not isinstance(exc, SessionRefused):
        return None
    text = REFUSAL_TEXTS.get(exc.code)
    if text is None:
        return str(exc)
    return QCoreApplication.translate("SessionRefused", text).replace("%1", exc.params.get("user", ""))


def coded_refusal(exc: BaseException, kind: type[Exception], texts: Mapping[str, str], context: str) -> str:
    """A register service's failure in the current language, for the register screens alike: the login's
    session refused; a ``kind`` error's code worded from ``texts`` (marked ``QT_TRANSLATE_NOOP(context,
    …)`` where the table is) with its ``params``; a ``UserError``'s own line; else the error's type and
    message."""
    refused = refusal_text(exc)
    if refused is not None:
        return refused
    code = getattr(exc, "code", None)
    if isinstance(exc, kind) and isinstance(code, str) and code in texts:
        return QCoreApplication.translate(context, texts[code]).format(**getattr(exc, "params", {}))
    return str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
