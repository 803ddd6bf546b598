"""Refusals of the inspection services: a code with parameters; ``str()`` is the English sentence
(the command line), the screens word the code in their language (``views/inspection_words.py``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from models.errors import UserError


class InspectionProblem(StrEnum):
    NOT_EDITOR = "not_editor"
    NOT_ALLOWED = "not_allowed"
    BAD_CODE = "bad_code"
    BAD_NAME = "bad_name"
    BAD_CHECKLIST = "bad_checklist"
    BAD_ROUTE = "bad_route"
    BAD_MONTH = "bad_month"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_EQUIPMENT = "unknown_equipment"
    UNKNOWN_USER = "unknown_user"
    TAG_TAKEN = "tag_taken"
    UNKNOWN_ORDER = "unknown_order"
    ORDER_CLOSED = "order_closed"
    NOT_FIXED = "not_fixed"
    SAME_PERSON = "same_person"
    NOTE_NEEDED = "note_needed"


MESSAGES: dict[InspectionProblem, str] = {
    InspectionProblem.NOT_EDITOR: "{actor} may not edit the inspection register: administrators and "
    "safety managers do",
    InspectionProblem.NOT_ALLOWED: "{actor} may not {act}",
    InspectionProblem.BAD_CODE: "the code {value!r} is not allowed: letters, digits, '.', '_', '-', "
    "at most 64",
    InspectionProblem.BAD_NAME: "the name must not be empty and at most {max} characters",
    InspectionProblem.BAD_CHECKLIST: "a checklist has 1 to {max} questions, each at most 200 characters",
    InspectionProblem.BAD_ROUTE: "a route needs 1 to {max} points, 1 to 24 rounds a day and 5 to 720 "
    "minutes a round",
    InspectionProblem.BAD_MONTH: "the month {value!r} is not YYYY-MM, or the count is not 1 to 200",
    InspectionProblem.UNKNOWN_AREA: "there is no area {area} in site {site}",
    InspectionProblem.UNKNOWN_EQUIPMENT: "there is no equipment {code}",
    InspectionProblem.UNKNOWN_USER: "there is no active user {user} to own the defects",
    InspectionProblem.TAG_TAKEN: "the tag {tag} is already on {code}",
    InspectionProblem.UNKNOWN_ORDER: "there is no work order {order}",
    InspectionProblem.ORDER_CLOSED: "the work order {order} is closed already",
    InspectionProblem.NOT_FIXED: "the work order {order} is not reported fixed yet: it is verified after "
    "the repair",
    InspectionProblem.SAME_PERSON: "{actor} reported the repair of {order}: someone else verifies it",
    InspectionProblem.NOTE_NEEDED: "say what was {act}: the note must not be empty",
}


class InspectionError(UserError):
    def __init__(self, code: InspectionProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))
