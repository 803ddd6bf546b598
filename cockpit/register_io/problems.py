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
    BAD_TIME = "bad_time"
    # the inspection register's own checks (cockpit/inspection/register.py), row by row
    TAG_TAKEN = "tag_taken"
    UNKNOWN_EQUIPMENT = "unknown_equipment"
    UNKNOWN_USER = "unknown_user"
    BAD_CHECKLIST = "bad_checklist"
    BAD_ROUTE = "bad_route"


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
    RowProblem.BAD_TIME: "{value!r} is not a time of day (08:00)",
    RowProblem.TAG_TAKEN: "the tag {tag} is already on {code}",
    RowProblem.UNKNOWN_EQUIPMENT: "{code!r} is not in the equipment register",
    RowProblem.UNKNOWN_USER: "{user!r} is not an active user",
    RowProblem.BAD_CHECKLIST: "a checklist has 1 to {max} questions, each at most 200 characters",
    RowProblem.BAD_ROUTE: "a route needs 1 to {max} points, 1 to 24 rounds a day and 5 to 720 minutes a "
    "round",
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


# The command line's words in Chinese (`--lang zh_CN`, or the configuration's language): a plant's
# administrator reads the rejected rows in the language of the file's headers. The screens say the same
# through Qt's translation (views/register_files.py and the glossary).
FILE_MESSAGES_ZH: dict[FileProblem, str] = {
    FileProblem.NOT_TABULAR: "{file} 不是 xlsx 或 CSV 文件（请在 Excel 中另存为 .xlsx 或 CSV UTF-8）",
    FileProblem.EMPTY: "{file} 没有表头行",
    FileProblem.MISSING_COLUMNS: "{file} 缺少必填列：{columns}",
    FileProblem.UNKNOWN_COLUMN: "{file}：列 {column!r} 不属于{register_zh}登记表",
    FileProblem.DOUBLE_COLUMN: "{file}：列 {column!r} 重复出现",
    FileProblem.UNKNOWN_REGISTER: "没有登记表 {register!r}；可用的有 {known}",
    FileProblem.NOT_EDITOR: "{actor} 无权导入登记表：仅管理员和安全经理可以",
    FileProblem.NOT_READER: "{actor} 不是有效用户",
    FileProblem.INVALID_ROWS: "{file}：{rows} 行中有 {rejected} 行无效，未写入任何数据"
    "（请修正，或仅导入有效行）",
}

ROW_MESSAGES_ZH: dict[RowProblem, str] = {
    RowProblem.REQUIRED: "必填，但为空",
    RowProblem.TOO_LONG: "过长：{length} 个字符，最多 {max} 个",
    RowProblem.BAD_CODE: "{value!r} 不是有效编码：只能用字母、数字、'.'、'_'、'-'，最多 64 个",
    RowProblem.BAD_DATE: "{value!r} 不是日期（如 2026-01-31）",
    RowProblem.BAD_NUMBER: "{value!r} 不是数字",
    RowProblem.BAD_BOOL: "{value!r} 不是“是”或“否”",
    RowProblem.BAD_CHOICE: "{value!r} 不在可选值 {choices} 中",
    RowProblem.DUPLICATE: "{value!r} 已在第 {first} 行出现",
    RowProblem.UNKNOWN_PARENT: "{value!r} 不在{register_zh}登记表中",
    RowProblem.DATE_ORDER: "{value} 早于 {other}",
    RowProblem.EXPIRED: "已于 {value} 过期：已导入并标记",
    RowProblem.BAD_TIME: "{value!r} 不是时刻（如 08:00）",
    RowProblem.TAG_TAKEN: "标签 {tag} 已用于 {code}",
    RowProblem.UNKNOWN_EQUIPMENT: "{code!r} 不在巡检设备登记表中",
    RowProblem.UNKNOWN_USER: "{user!r} 不是有效用户",
    RowProblem.BAD_CHECKLIST: "检查项须为 1 至 {max} 条，每条最多 200 个字符",
    RowProblem.BAD_ROUTE: "路线须有 1 至 {max} 个巡检点，每日 1 至 24 轮，每轮 5 至 720 分钟",
}


def finding_line(finding: Finding, lang: str) -> str:
    """Row, column and reason in ``lang`` (zh_CN or en), for the command line."""
    if lang != "zh_CN":
        return finding.english()
    reason = ROW_MESSAGES_ZH[finding.code].format(**finding.params)
    return f"第 {finding.row} 行，{finding.column}：{reason}"


def error_line(error: RegisterIoError, lang: str) -> str:
    return FILE_MESSAGES_ZH[error.code].format(**error.params) if lang == "zh_CN" else str(error)
