"""What the window hands the field process, and the function the process starts with.

Kept apart from ``cockpit/field_process.py``, which imports the whole core: the window's process
pickles both (the parameters through the pipe, the entry point as the spawned process's target), and
pickling a class or a function imports the module it lives in. With them in the field process's
module the window imported the core it never runs (63 modules, 0.12-0.13 s before its first paint);
``tests/views/test_startup_imports.py`` checks it does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cockpit.config import Config


@dataclass(frozen=True)
class FieldLinkParams:
    config: Config
    db_url: str  # with its password (the pipe is the two processes' own)
    console: str | None
    broker_url: str | None
    username: str | None
    password: str | None
    log_dir: str | None = None  # None: the user's log folder
    session_secret: bytes | None = None  # the window's logins are signed with it (cockpit/sessions.py)


def field_process_entry(conn: Any) -> None:
    """The spawned process's target: the core is imported there, in the field process only."""
    from cockpit.field_process import field_process_main

    field_process_main(conn)
