"""What can be wrong with a file or a row: codes with parameters (the screens say them in the user's
language, ``views/register_io_words.py``), and the English line the command line prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from models.errors import UserError


class FileProblem(StrEnum):
    """The whole file is refused: nothing is written."""

    NOT_TABULAR = "not_tabular"
    EMPTY = "empty"
    MISSING_COLUMNS = "missing_columns"
    UNKNOWN_COLUMN = "unknown_column"
    DOUBLE_COLUMN = "double_column"
    UNKNOWN_REGISTER = "unknown_register"
    NOT_EDITOR = "not_editor"
    NOT_READER = "not_reader"
    INVALID_ROWS = "invalid_rows"


class RowProblem(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    BAD_CODE = "bad_code"
    BAD_DATE = "bad_date"
    BAD_NUMBER = "bad_number"
    BAD_BOOL = "bad_bool"
    BAD_CHOICE = "bad_choice"
    DUPLICATE = "duplicate"
    UNKNOWN_PARENT = "unknown_parent"
    DATE_ORDER = "date_order"
    EXPIRED = "expired"  # a flag, not a rejection: the row is imported


FILE_MESSAGES: dict[FileProblem, str] = {
    FileProblem.NOT_TABULAR: "{file} is not an xlsx or CSV file (save it from Excel as .xlsx or CSV UTF-8)",
    FileProblem.EMPTY: "{file} has no header row",
    FileProblem.MISSING_COLUMNS: "{file} lacks the required column(s) {columns}",
    FileProblem.UNKNOWN_COLUMN: "{file}: the column {column!r} is not one of the {register} register's",
    FileProblem.DOUBLE_COLUMN: "{file}: the column {column!r} appears twice",
    FileProblem.UNKNOWN_REGISTER: "there is no register {register!r}; there are {known}",
    FileProblem.NOT_EDITOR: "{actor} may not import into the registers: administrators and safety "
    "managers do",
    FileProblem.NOT_READER: "{actor} is not an active user",
    FileProblem.INVALID_ROWS: "{file}: {rejected} of {rows} rows are invalid; nothing was written "
    "(fix them, or import the valid rows only)",
}

ROW_MESSAGES: dict[RowProblem, str] = {
    RowProblem.REQUIRED: "required, but empty",
    RowProblem.TOO_LONG: "too long: {length} characters, at most {max}",
    RowProblem.BAD_CODE: "{value!r} is not a code: letters, digits, '.', '_', '-', at most 64",
    RowProblem.BAD_DATE: "{value!r} is not a date (2026-01-31)",
    RowProblem.BAD_NUMBER: "{value!r} is not a number",
    RowProblem.BAD_BOOL: "{value!r} is not yes or no",
    RowProblem.BAD_CHOICE: "{value!r} is not one of {choices}",
    RowProblem.DUPLICATE: "{value!r} is already in row {first}",
    RowProblem.UNKNOWN_PARENT: "{value!r} is not in the {register} register",
    RowProblem.DATE_ORDER: "{value} is before {other}",
    RowProblem.EXPIRED: "expired on {value}: imported, and flagged",
}


class RegisterIoError(UserError):
    def __init__(self, code: FileProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        self.report: Any = None  # the ImportReport, when rows were checked
        super().__init__(FILE_MESSAGES[code].format(**params))


@dataclass(frozen=True)
class Finding:
    """A row's problem: the row number in the file, the column's header as the file has it, the code."""

    row: int
    column: str
    code: RowProblem
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return f"row {self.row}, {self.column}: {ROW_MESSAGES[self.code].format(**self.params)}"
