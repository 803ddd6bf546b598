"""A file into a header and rows: xlsx (openpyxl, read-only, values only) or CSV (UTF-8 with or
without BOM, else GBK, which Excel on a Chinese Windows writes).

The kind is told by the content, not trusted from the name: an xlsx is a zip archive; a CSV is text
that decodes. Anything else (a .xls, a PDF, an image) is refused before a row is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cockpit.register_io.problems import FileProblem, RegisterIoError

CELL_MAX = 2_000_000  # csv's own limit (131,072) would end the whole read on one long cell
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Table:
    """The header row and an iterator of the data rows (each with its row number in the file)."""

    header: list[str]
    rows: Iterator[tuple[int, tuple[Any, ...]]]
    total: int | None  # rows expected, when the file says (an xlsx's dimension)
    close: Any = None


def _is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def open_table(path: Path, data: bytes) -> Table:
    if _is_xlsx(data):
        return _xlsx(path, data)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name)
    return _csv(path, data)


def _xlsx(path: Path, data: bytes) -> Table:
    from openpyxl import load_workbook  # only an import pays for openpyxl (tests/views/test_startup_imports)

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # whatever openpyxl cannot open (a zip that is no workbook) is not an xlsx
        raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        book.close()
        raise RegisterIoError(FileProblem.EMPTY, file=path.name)
    total = (sheet.max_row - 1) if sheet.max_row else None

    return Table([_header(h) for h in header], enumerate(rows, start=2), total, book.close)


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:  # UTF-16, a binary file: not what a template asks for
        raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name)
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name)


def _csv(path: Path, data: bytes) -> Table:
    text = _decode(path, data)
    csv.field_size_limit(max(csv.field_size_limit(), CELL_MAX))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # Excel writes ';' where ',' is the decimal comma
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name) from exc
    if not header:
        raise RegisterIoError(FileProblem.EMPTY, file=path.name)

    def numbered() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            for row in reader:
                yield reader.line_num, tuple(row)
        except csv.Error as exc:
            raise RegisterIoError(FileProblem.NOT_TABULAR, file=path.name) from exc

    return Table([_header(h) for h in header], numbered(), None)


def _header(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""
