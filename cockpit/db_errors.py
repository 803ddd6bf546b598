"""What a database failure means to the person who acted: the database could not be reached (nothing
was changed; try again once it is back), or it refused the change (nothing was changed; the log has
the driver's words). Screens say the code in their language (``views/error_words.py``); a driver's
message, host or port is never shown."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError

log = logging.getLogger(__name__)

UNREACHABLE = "db.unreachable"
REFUSED = "db.refused"


def db_unreachable(exc: BaseException) -> bool:
    """A failure that says the database cannot be reached now (worth trying again), not that it refused."""
    if isinstance(exc, OperationalError | InterfaceError | DisconnectionError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def database_failure(exc: BaseException) -> str | None:
    """``UNREACHABLE`` or ``REFUSED`` for a database failure (its details go to the log), else None."""
    if not isinstance(exc, SQLAlchemyError):
        return None
    code = UNREACHABLE if db_unreachable(exc) else REFUSED
    log.warning("an act failed in the database (%s): %s", code, str(exc).splitlines()[0] if str(exc) else exc)
    return code
