"""Why an act or a read failed, in the screen's language, for every screen alike.

A service's refusal (a rule's finding, a refusal code, a session refused) is said as the service coded
it (``views/finding_words.refusal_text``); a database failure as what it means to the person who acted,
never in the driver's words, host or port (``cockpit/db_errors.py``: they go to the log). During an
outage the permit screens change nothing: every permit move needs the database (the registers' checks,
the signatures, the audit chain), and a stop-work, which does not, is the way to stop work then.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.db_errors import REFUSED, UNREACHABLE, database_failure
from models.errors import UserError
from views.finding_words import refusal_text
from widgets.theme import QT_TRANSLATE_NOOP

DATABASE_TEXTS: dict[str, str] = {
    UNREACHABLE: QT_TRANSLATE_NOOP(
        "ErrorWords",
        "Not carried out: the database cannot be reached, nothing was changed. Try again once it is "
        "back. To stop work now, use Stop work on the area: it works without the database and is "
        "recorded when the database returns.",
    ),
    REFUSED: QT_TRANSLATE_NOOP(
        "ErrorWords",
        "Not carried out: the database refused the change, nothing was changed (the log says why).",
    ),
}
_OTHER = QT_TRANSLATE_NOOP("ErrorWords", "Not carried out: %1")


def error_text(exc: BaseException, zone: str = "") -> str:
    """The failure in the current language: the service's refusal, a database failure's meaning, a
    user's mistake in its own words, or the kind of error."""
    refused = refusal_text(exc, zone)
    if refused is not None:
        return refused
    code = database_failure(exc)
    if code is not None:
        return QCoreApplication.translate("ErrorWords", DATABASE_TEXTS[code])
    if isinstance(exc, UserError):
        return str(exc)
    return QCoreApplication.translate("ErrorWords", _OTHER).replace("%1", str(exc) or type(exc).__name__)
