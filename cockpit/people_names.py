"""People by name: the accounts (``lead.wang``) and worker ids (``W-10431``, ``field:W-10431``)
the records keep are keys; the printed handover (``HandoverData.person``) and the near-miss list name
the person."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema import User, Worker

FIELD_PREFIX = "field:"  # a record made in the field: the reporting worker's id follows
WORKER_SOURCE = "worker:"  # an alarm raised by a worker's event (man-down, fall, SOS): its id follows


def people_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """key -> the person's name, for every account or worker id (bare or ``field:``) among ``keys``."""
    wanted = {k for k in keys if k}
    ids = {k.removeprefix(FIELD_PREFIX) for k in wanted}
    names: dict[str, str] = {}
    for username, name in session.execute(
        select(User.username, User.display_name).where(User.username.in_(ids))
    ):
        if name:
            names[username] = name
    for worker, name in session.execute(select(Worker.id, Worker.name).where(Worker.id.in_(ids))):
        if name:
            names.setdefault(worker, name)
    return {k: names[k.removeprefix(FIELD_PREFIX)] for k in wanted if k.removeprefix(FIELD_PREFIX) in names}
