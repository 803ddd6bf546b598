"""Import, export and templates of the registers; the acting user's role read from the database.

An import checks every row before it writes one. Then, in one transaction: the acting user's role is
read again, the natural keys already stored are read once, new rows go in and known ones are updated
in chunks (Core executemany, not an ORM object per row), and one audit entry records the file's sha256
and the counts. A file with rejected rows writes nothing, unless the valid rows only were asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from cockpit.people_register import PeopleRegister
from cockpit.register_io import inspection_io
from cockpit.register_io.checks import RowChecker, map_header
from cockpit.register_io.problems import FileProblem, Finding, RegisterIoError, RowProblem
from cockpit.register_io.reading import open_table
from cockpit.register_io.specs import REGISTERS, Parent, Register
from cockpit.sessions import SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.plant_clock import DEFAULT_ZONE
from models.records import Role
from models.schema import User

# The registers whose rows change a contractor's grade by the rule (cockpit/people_register.py), and the
# column naming the contractor: after their import the grade in force is the rule's (or an override's,
# which needs a reason and is never set by a file), whatever a file's Grade column said.
GRADED = {"contractors": "code", "qualifications": "contractor_code"}

EDITORS = frozenset({Role.ADMIN, Role.SAFETY_MANAGER})
CHUNK = 2000
PROGRESS_EVERY = 1000

# progress(phase, done, total): phase is "read", "write"; total 0 when not known yet
Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    register: str
    file: str
    sha256: str
    rows: int = 0  # data rows in the file (empty rows not counted)
    inserted: int = 0
    updated: int = 0
    rejected: list[Finding] = field(default_factory=list)
    flagged: list[Finding] = field(default_factory=list)
    written: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # column -> its header as the file has it

    @property
    def rejected_rows(self) -> int:
        return len({f.row for f in self.rejected})


def register_of(name: str) -> Register:
    reg = REGISTERS.get(name)
    if reg is None:
        raise RegisterIoError(FileProblem.UNKNOWN_REGISTER, register=name[:80], known=", ".join(REGISTERS))
    return reg


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


class RegisterIO:
    """The registers' files. ``acting`` is the login's session; its user's stored role is what counts."""

    def __init__(
        self,
        db: Database,
        keys: SessionKeys,
        *,
        clock: Callable[[], datetime] | None = None,
        zone: str = DEFAULT_ZONE,
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))
        self._zone = ZoneInfo(zone)

    # ------------------------------------------------------------ import

    def import_file(
        self,
        acting: object,
        register: str,
        path: Path,
        *,
        valid_only: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        reg = register_of(register)
        tell = progress or _no_progress
        with self._db.session() as s:
            self._user(s, acting, EDITORS)  # refused before a large file is read
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name) from exc
        report = ImportReport(reg.name, path.name, hashlib.sha256(data).hexdigest())
        rows = self._checked_rows(reg, path, data, report, tell)
        with self._db.session() as s:
            editor = self._user(s, acting, EDITORS)
            rows = self._known_parents(s, reg, rows, report)  # even in a refused file: one full report
            if reg.name in inspection_io.NAMES:  # through the inspection register's checks and audit
                items, refused = inspection_io.check_rows(s, reg, rows, report.headers)
                report.rejected.extend(refused)
                _refuse_invalid(report, valid_only)
                inserted, updated = inspection_io.write_items(s, editor.username, items, self._clock(), tell)
                report.inserted, report.updated = inserted, updated
            else:
                _refuse_invalid(report, valid_only)  # raised inside the transaction: nothing was written
                self._upsert(s, reg, rows, report, tell)
            details = {
                "file": path.name[:200],
                "sha256": report.sha256,
                "rows": report.rows,
                "inserted": report.inserted,
                "updated": report.updated,
                "rejected": report.rejected_rows,
                "flagged": len(report.flagged),
                "valid_only": valid_only,
            }
            append_audit(
                s,
                actor=editor.username,
                action="register.import",
                subject=reg.name,
                details=details,
                ts=self._clock(),
            )
            if reg.name in GRADED:
                codes = [values[GRADED[reg.name]] for _, values in rows]
                people = PeopleRegister(self._db, self._keys, clock=self._clock, zone=str(self._zone))
                people.regrade(s, editor, codes, "import")
        report.written = True
        return report

    def _checked_rows(
        self, reg: Register, path: Path, data: bytes, report: ImportReport, tell: Progress
    ) -> list[tuple[int, dict[str, Any]]]:
        table = open_table(path, data)
        try:
            mapping = map_header(reg, table.header, path.name)
            report.headers = {c.name: h for c, h in zip(mapping, table.header, strict=True) if c is not None}
            today = self._clock().astimezone(self._zone).date()
            checker = RowChecker(reg, mapping, table.header, today)
            good: list[tuple[int, dict[str, Any]]] = []
            total = table.total or 0
            tell("read", 0, total)
            for n, (number, cells) in enumerate(table.rows, start=1):
                values, findings = checker.check(number, cells)
                if values is not None or findings:
                    report.rows += 1
                if values is not None:
                    good.append((number, values))
                    report.flagged.extend(findings)
                else:
                    report.rejected.extend(findings)
                if n % PROGRESS_EVERY == 0:
                    tell("read", n, max(total, n))
            tell("read", report.rows, report.rows)
            return good
        finally:
            if table.close is not None:
                table.close()

    def _known_parents(
        self, s: Session, reg: Register, rows: list[tuple[int, dict[str, Any]]], report: ImportReport
    ) -> list[tuple[int, dict[str, Any]]]:
        """Drop (and report) rows that name a contractor, worker, site … the database does not hold."""
        for parent in reg.parents:
            known = self._parent_keys(s, parent)
            kept = []
            for number, values in rows:
                key = tuple(values.get(c) for c in parent.columns)  # absent: not named, nothing to check
                if any(k is None for k in key) or key in known:
                    kept.append((number, values))
                    continue
                column = parent.columns[-1]
                params = {
                    "value": "/".join(str(k) for k in key)[:80],
                    "register": REGISTERS[parent.register].en,
                    "register_zh": REGISTERS[parent.register].zh,
                }
                header = report.headers.get(column, reg.column(column).en)
                report.rejected.append(Finding(number, header, RowProblem.UNKNOWN_PARENT, params))
            rows = kept
        rejected = {f.row for f in report.rejected}
        report.flagged = [f for f in report.flagged if f.row not in rejected]
        return rows

    @staticmethod
    def _parent_keys(s: Session, parent: Parent) -> set[tuple[Any, ...]]:
        table = REGISTERS[parent.register].table
        cols = [table.c[k] for k in REGISTERS[parent.register].keys]
        return {tuple(r) for r in s.execute(select(*cols))}

    def _upsert(
        self,
        s: Session,
        reg: Register,
        rows: list[tuple[int, dict[str, Any]]],
        report: ImportReport,
        tell: Progress,
    ) -> None:
        table = reg.table
        keys = reg.keys
        ident = reg.surrogate
        key_cols = [table.c[k] for k in keys]
        stored: dict[tuple[Any, ...], Any] = {}
        for r in s.execute(select(*key_cols, table.c[ident] if ident else key_cols[0])):
            stored.setdefault(tuple(r[: len(keys)]), r[-1])
        new: list[dict[str, Any]] = []
        known: list[dict[str, Any]] = []
        for _, values in rows:
            key = tuple(values[k] for k in keys)
            if key in stored:
                known.append(values | ({"_id": stored[key]} if ident else {}))
            else:
                new.append({c.name: c.default for c in reg.columns} | values)
        total = len(new) + len(known)
        done = 0
        tell("write", 0, total)
        for chunk in _chunks(new):
            s.execute(insert(table), chunk)
            done += len(chunk)
            tell("write", done, total)
        for group in _by_columns(known):
            names = [c for c in group[0] if c != "_id" and c not in keys]
            where = (
                table.c[ident] == bindparam("b__id")
                if ident
                else and_(*[table.c[k] == bindparam(f"b_{k}") for k in keys])
            )
            stmt = update(table).where(where).values({c: bindparam(f"b_{c}") for c in names})
            for chunk in _chunks(group):
                if names:
                    s.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in chunk])
                done += len(chunk)
                tell("write", done, total)
        report.inserted, report.updated = len(new), len(known)

    # ------------------------------------------------------------ export and templates

    def export(self, acting: object, register: str, path: Path, *, lang: str = "zh_CN") -> int:
        """Write the register to an xlsx file in the template's form; returns the number of rows."""
        reg = register_of(register)
        with self._db.session() as s:
            self._user(s, acting, frozenset(Role))
            if reg.name in inspection_io.NAMES:
                return write_xlsx(reg, path, inspection_io.export_rows(s, reg), lang=lang)
            cols = [reg.table.c[c.name] for c in reg.columns]
            result = s.execute(select(*cols).order_by(*[reg.table.c[k] for k in reg.keys]))
            return write_xlsx(reg, path, (tuple(_cell(v) for v in row) for row in result), lang=lang)

    def _user(self, s: Session, acting: object, roles: frozenset[Role]) -> User:
        user = session_user(s, self._keys, acting)
        if user.role not in roles:
            problem = FileProblem.NOT_EDITOR if roles == EDITORS else FileProblem.NOT_READER
            raise RegisterIoError(problem, actor=user.username)
        return user


def _refuse_invalid(report: ImportReport, valid_only: bool) -> None:
    if report.rejected and not valid_only:
        error = RegisterIoError(
            FileProblem.INVALID_ROWS, file=report.file, rejected=report.rejected_rows, rows=report.rows
        )
        error.report = report
        raise error


def _cell(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def _by_columns(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows of one executemany must have the same columns (a file without an optional column)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())


def write_xlsx(reg: Register, path: Path, rows: Iterable[tuple[Any, ...]], *, lang: str = "zh_CN") -> int:
    from openpyxl import Workbook  # only an export pays for openpyxl

    book = Workbook(write_only=True)
    sheet = book.create_sheet(reg.name)
    sheet.append([c.zh if lang == "zh_CN" else c.en for c in reg.columns])
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    book.save(path)
    return count


NOTES_HEADER = {
    "zh_CN": ("列", "Column", "必填", "键", "类型", "最长", "可选值"),
    "en": ("Column (zh)", "Column", "Required", "Key", "Kind", "Max length", "Choices"),
}
KIND_WORDS = {
    "text": ("文本", "text"),
    "code": ("编码（字母、数字、. _ -）", "code (letters, digits, . _ -)"),
    "date": ("日期 2026-01-31", "date 2026-01-31"),
    "bool": ("是/否", "yes/no"),
    "number": ("数字", "number"),
    "integer": ("整数", "whole number"),
    "choice": ("可选值之一", "one of the choices"),
    "time": ("时刻 08:00", "time of day 08:00"),
}


def write_template(register: str, path: Path, *, lang: str = "zh_CN") -> None:
    """The register's headers, one example row, and a notes sheet that says what each column takes."""
    from openpyxl import Workbook

    reg = register_of(register)
    zh = lang == "zh_CN"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = reg.name
    sheet.append([c.zh if zh else c.en for c in reg.columns])
    sheet.append([c.example if c.example != "" else None for c in reg.columns])
    for i, col in enumerate(reg.columns, start=1):
        sheet.cell(row=2, column=i).number_format = (
            "yyyy-mm-dd"
            if isinstance(col.example, date)
            else "hh:mm"
            if isinstance(col.example, time)
            else "General"
        )
    notes = book.create_sheet("说明" if zh else "Notes")
    notes.append(list(NOTES_HEADER["zh_CN" if zh else "en"]))
    yes, no = ("是", "否") if zh else ("yes", "no")
    for col in reg.columns:
        kind = KIND_WORDS[col.kind.value][0 if zh else 1]
        notes.append(
            [
                col.zh,
                col.en,
                yes if col.required else no,
                yes if col.key else no,
                kind,
                col.max_len if col.kind.value in ("text", "code", "choice") else None,
                ", ".join(col.choices),
            ]
        )
    book.save(path)
