"""A file's header to the register's columns, and a row's cells to values or findings.

Cells come as xlsx gives them (str, int, float, bool, datetime) or as CSV text. Values over 80
characters are cut in findings: a 1 MB cell must not become a 1 MB message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from cockpit.register_io.problems import FileProblem, Finding, RegisterIoError, RowProblem
from cockpit.register_io.specs import DATE_ORDER, EXPIRY_COLUMNS, Column, Kind, Register

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")
_YES = frozenset({"yes", "y", "true", "1", "是", "√", "x"})
_NO = frozenset({"no", "n", "false", "0", "否"})
SHOWN = 80


class _Bad(Exception):
    def __init__(self, code: RowProblem, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def map_header(reg: Register, header: Sequence[str], file: str) -> list[Column | None]:
    """Each file column's register column (None: a column with no header, ignored)."""
    lookup = {h.casefold(): col for col in reg.columns for h in col.headers()}
    mapped: list[Column | None] = []
    seen: set[str] = set()
    for text in header:
        if not text:
            mapped.append(None)
            continue
        col = lookup.get(text.casefold())
        if col is None:
            raise RegisterIoError(
                FileProblem.UNKNOWN_COLUMN,
                file=file,
                column=text[:SHOWN],
                register=reg.en,
                register_zh=reg.zh,
            )
        if col.name in seen:
            raise RegisterIoError(FileProblem.DOUBLE_COLUMN, file=file, column=text[:SHOWN])
        seen.add(col.name)
        mapped.append(col)
    missing = [f"{c.en} ({c.zh})" for c in reg.columns if c.required and c.name not in seen]
    if missing:
        raise RegisterIoError(FileProblem.MISSING_COLUMNS, file=file, columns=", ".join(missing))
    return mapped


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _Bad(RowProblem.BAD_DATE, value=text[:SHOWN])


def _time(value: Any) -> time:
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    text = _text(value)
    for fmt in ("%H:%M", "%H:%M:%S", "%H%M"):
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise _Bad(RowProblem.BAD_TIME, value=text[:SHOWN])


def _number(value: Any, integer: bool) -> float | int:
    if isinstance(value, bool):
        raise _Bad(RowProblem.BAD_NUMBER, value=str(value))
    try:
        number = float(value) if not isinstance(value, int | float) else value
    except ValueError:
        raise _Bad(RowProblem.BAD_NUMBER, value=_text(value)[:SHOWN]) from None
    if not math.isfinite(number):
        raise _Bad(RowProblem.BAD_NUMBER, value=_text(value)[:SHOWN])
    if integer:
        if not float(number).is_integer():
            raise _Bad(RowProblem.BAD_NUMBER, value=_text(value)[:SHOWN])
        return int(number)
    return float(number)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _Bad(RowProblem.BAD_BOOL, value=text[:SHOWN])


def convert(col: Column, value: Any) -> Any:
    """One cell to its stored value; raises ``_Bad``. Empty cells are the caller's."""
    if col.kind is Kind.DATE:
        return _date(value)
    if col.kind is Kind.BOOL:
        return _bool(value)
    if col.kind is Kind.TIME:
        return _time(value)
    if col.kind in (Kind.NUMBER, Kind.INTEGER):
        return _number(value, col.kind is Kind.INTEGER)
    text = _text(value)
    if len(text) > col.max_len:
        raise _Bad(RowProblem.TOO_LONG, length=len(text), max=col.max_len)
    if col.kind is Kind.CODE and not _CODE.fullmatch(text):
        raise _Bad(RowProblem.BAD_CODE, value=text[:SHOWN])
    if col.kind is Kind.CHOICE:
        folded = {c.casefold(): c for c in col.choices}
        if text.casefold() not in folded:
            raise _Bad(RowProblem.BAD_CHOICE, value=text[:SHOWN], choices=", ".join(col.choices))
        return folded[text.casefold()]
    return text


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RowChecker:
    """Checks rows one by one; remembers keys seen, to find duplicates inside the file."""

    def __init__(
        self, reg: Register, mapping: list[Column | None], header: Sequence[str], today: date
    ) -> None:
        self.reg, self.mapping, self.header, self.today = reg, mapping, header, today
        self._seen: dict[tuple[Any, ...], int] = {}
        self._key_header = next(
            (header[i] for i, c in enumerate(mapping) if c is not None and c.key), reg.keys[0]
        )

    def check(self, number: int, cells: Sequence[Any]) -> tuple[dict[str, Any] | None, list[Finding]]:
        """The row's values (None when rejected or empty) and its findings (rejections and flags)."""
        if all(_empty(v) for v in cells):
            return None, []
        values: dict[str, Any] = {}
        findings: list[Finding] = []
        for i, col in enumerate(self.mapping):
            if col is None:
                continue
            value = cells[i] if i < len(cells) else None
            if _empty(value):
                if col.required:
                    findings.append(Finding(number, self.header[i], RowProblem.REQUIRED))
                values[col.name] = col.default
                continue
            try:
                values[col.name] = convert(col, value)
            except _Bad as bad:
                findings.append(Finding(number, self.header[i], bad.code, bad.params))
        if findings:
            return None, findings
        key = tuple(values[k] for k in self.reg.keys)
        first = self._seen.setdefault(key, number)
        if first != number:
            shown = "/".join(str(k) for k in key)[:SHOWN]
            return None, [
                Finding(number, self._key_header, RowProblem.DUPLICATE, {"value": shown, "first": first})
            ]
        order = self._order(number, values)
        if order is not None:
            del self._seen[key]
            return None, [order]
        return values, self._expired(number, values)

    def _order(self, number: int, values: dict[str, Any]) -> Finding | None:
        order = DATE_ORDER.get(self.reg.name)
        if not order or values.get(order[0]) is None or values.get(order[1]) is None:
            return None
        later, earlier = order
        if values[later] >= values[earlier]:
            return None
        params = {"value": values[later].isoformat(), "other": values[earlier].isoformat()}
        return Finding(number, self._header_of(later), RowProblem.DATE_ORDER, params)

    def _expired(self, number: int, values: dict[str, Any]) -> list[Finding]:
        expiry = EXPIRY_COLUMNS.get(self.reg.name)
        if expiry is None or values.get(expiry) is None or values[expiry] >= self.today:
            return []
        params = {"value": values[expiry].isoformat()}
        return [Finding(number, self._header_of(expiry), RowProblem.EXPIRED, params)]

    def _header_of(self, name: str) -> str:
        for i, col in enumerate(self.mapping):
            if col is not None and col.name == name:
                return self.header[i]
        return self.reg.column(name).en
