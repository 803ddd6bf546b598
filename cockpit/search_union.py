"""Many small searches in one statement: the contractor panel's steps as one ``UNION ALL`` (issue 20).

A keystroke in the contractor panel ran 8-11 statements (codes, IDs and certificate numbers by prefix for
each way of writing the text, then names by prefix and by substring), each a round trip and, more
costly, each a pass through SQLAlchemy's execution and result machinery: at 1M permits and 100,000
workers the statements' own work was a fraction of the keystroke's time. Here every step keeps its own
``WHERE``, ``ORDER BY`` and ``LIMIT`` inside a subquery (so each is still an index range), and the
steps are read back in one statement, each row tagged with its step and its rank inside the step, so
the caller gets each step's rows in the step's own order, whatever order the database returns the
union in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from models.schema import Certificate, Contractor, Worker

Row = tuple[str, str, str | None, str | None]  # key, title, and two more columns the step's kind reads


def no_text() -> ColumnElement[str]:
    """A text column of nulls, for a step with fewer columns than the union's four."""
    return cast(null(), String)


@dataclass(frozen=True)
class Step:
    """One step: a statement of exactly four text columns labelled ``key``, ``title``, ``a``, ``b`` (in
    that order), with its ``WHERE``, ``ORDER BY`` and ``LIMIT``; ``order`` names those of its columns
    that order it (repeated outside the subquery, where the rank is taken)."""

    stmt: Select[str, str, str, str]
    order: tuple[str, ...]


def union_of(steps: Sequence[Step]) -> Select[int, int, str, str, str, str]:
    """The steps as one statement: (step, rank, key, title, a, b), in step and rank order. Build it once
    per shape and bind the texts as parameters: building the statement (subqueries, aliases, cache key)
    costs more CPU than running it."""
    parts = []
    for number, step in enumerate(steps):
        sub = step.stmt.subquery(f"s{number}")
        rank = func.row_number().over(order_by=[sub.c[name] for name in step.order] or None)
        parts.append(
            select(
                literal_column(str(number), Integer).label("step"),
                rank.label("rank"),
                sub.c.key,
                sub.c.title,
                sub.c.a,
                sub.c.b,
            )
        )
    union = union_all(*parts).subquery("steps")
    return select(union).order_by(union.c.step, union.c.rank)


def run_union(
    session: Session,
    stmt: Select[int, int, str, str, str, str],
    steps: int,
    params: dict[str, Any],
) -> list[list[Row]]:
    """Each step's rows in its own order, read in one statement."""
    out: list[list[Row]] = [[] for _ in range(steps)]
    for number, _rank, key, title, a, b in session.execute(stmt, params):
        out[number].append((key, title, a, b))
    return out


# ---------------------------------------------------------------- the contractor panel's steps


def contractor_step(where: ColumnElement[bool], limit: BindParameter[int], *, by_name: bool = False) -> Step:
    order = (Contractor.name, Contractor.code) if by_name else (Contractor.code,)
    stmt = (
        select(
            Contractor.code.label("key"),
            Contractor.name.label("title"),
            no_text().label("a"),
            no_text().label("b"),
        )
        .where(where)
        .order_by(*order)
        .limit(limit)
    )
    return Step(stmt, ("title", "key") if by_name else ("key",))


def worker_step(where: ColumnElement[bool], order: tuple[str, ...], limit: BindParameter[int]) -> Step:
    """Workers, with their employer's name looked up for the ``limit`` kept only: joined before the
    limit, PostgreSQL joined every worker of a common surname (988 for 王) or hashed all 5,000
    contractors for 50 workers."""
    columns = {"key": Worker.id, "title": Worker.name}
    kept = (
        select(
            Worker.id.label("key"),
            Worker.name.label("title"),
            Worker.trade.label("a"),
            Worker.contractor_code.label("code"),
        )
        .where(where)
        .order_by(*(columns[name] for name in order))
        .limit(limit)
        .subquery()
    )
    employer = select(Contractor.name).where(Contractor.code == kept.c.code).scalar_subquery()
    return Step(select(kept.c.key, kept.c.title, kept.c.a, employer.label("b")), order)


def certificate_step(where: ColumnElement[bool], limit: BindParameter[int]) -> Step:
    stmt = (
        select(
            Worker.id.label("key"),
            Worker.name.label("title"),
            Certificate.number.label("a"),
            Certificate.trade.label("b"),
        )
        .join(Worker, Worker.id == Certificate.worker_id)
        .where(where)
        .order_by(Certificate.number)  # read from the number's index, stopping at the limit
        .limit(limit)
    )
    return Step(stmt, ("a",))
