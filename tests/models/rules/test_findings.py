from datetime import UTC, datetime, timedelta

import pytest

from models.records import HotWorkGrade, PermitType
from models.rules.findings import (
    Finding,
    blocking,
    format_duration,
    is_blocked,
    permit_label,
    reply_errors,
    require_aware,
    warnings,
)

B = Finding("a.b", "block", "blocked", "valid_to")
W = Finding("c.d", "warn", "careful")


def test_blocking_and_warnings_split_in_order() -> None:
    items = [W, B, W]
    assert blocking(items) == [B]
    assert warnings(items) == [W, W]
    assert is_blocked(items)
    assert not is_blocked([W])


def test_reply_errors_carry_field_and_message_of_blocking_findings_only() -> None:
    assert reply_errors([W, B]) == [{"field": "valid_to", "message": "blocked"}]


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(hours=8), "8 h"),
        (timedelta(hours=8, seconds=1), "8 h 0 min 1 s"),
        (timedelta(hours=72), "72 h"),
        (timedelta(days=7), "7 days"),
        (timedelta(days=15), "15 days"),
        (timedelta(minutes=30), "30 min"),
        (timedelta(minutes=90), "1 h 30 min"),
    ],
)
def test_durations_read_as_on_a_permit(span: timedelta, text: str) -> None:
    assert format_duration(span) == text


@pytest.mark.parametrize(
    ("ptype", "grade", "text"),
    [
        (PermitType.HOT_WORK, HotWorkGrade.GRADE_1, "hot work grade 1"),
        (PermitType.HOT_WORK, HotWorkGrade.SPECIAL, "hot work special grade"),
        (PermitType.CONFINED_SPACE, None, "confined space"),
    ],
)
def test_permit_labels(ptype: PermitType, grade: HotWorkGrade | None, text: str) -> None:
    assert permit_label(ptype, grade) == text


def test_naive_datetimes_are_refused() -> None:
    require_aware(datetime(2026, 1, 1, tzinfo=UTC), "t")
    with pytest.raises(ValueError, match="timezone-aware"):
        require_aware(datetime(2026, 1, 1), "t")
