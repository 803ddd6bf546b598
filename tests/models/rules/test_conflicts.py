from dataclasses import replace
from datetime import timedelta

import pytest

from models.records import PermitStatus as S
from models.records import PermitType as T
from models.rules.conflicts import PermitFootprint, conflicting_types, find_conflicts
from tests.models.rules.helpers import MONDAY_9

H = timedelta(hours=1)

HOT = PermitFootprint(
    "HW-1",
    T.HOT_WORK,
    "A1",
    "S1",
    S.SUBMITTED,
    MONDAY_9,
    MONDAY_9 + 4 * H,
    x=0.0,
    y=0.0,
    coordinator="C. Zhao",
)
BLIND = PermitFootprint(
    "BL-1", T.BLINDING, "A2", "S1", S.ACTIVE, MONDAY_9, MONDAY_9 + 4 * H, x=30.0, y=0.0, pipeline="P-301"
)


def codes(findings: list) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings]


@pytest.mark.parametrize(
    ("x", "y", "conflict"), [(30.0, 0.0, True), (31.0, 0.0, False), (18.0, 24.0, True), (18.0, 24.1, False)]
)
def test_no_hot_work_within_30_m_of_blinding(x: float, y: float, conflict: bool) -> None:
    other = replace(BLIND, x=x, y=y)
    found = codes(find_conflicts(HOT, [other]))
    assert (("conflict.hot_work_near_blinding", "block") in found) is conflict
    # The rule holds both ways round.
    back = codes(find_conflicts(replace(other, coordinator="x"), [HOT]))
    assert (("conflict.hot_work_near_blinding", "block") in back) is conflict


def test_distance_is_in_the_message() -> None:
    (finding,) = find_conflicts(HOT, [BLIND])
    assert "30.0 m" in finding.message and "BL-1" in finding.message


@pytest.mark.parametrize(
    ("start", "end", "overlap"),
    [
        (4 * H, 6 * H, False),
        (-2 * H, 0 * H, False),
        (4 * H - timedelta(seconds=1), 6 * H, True),
        (H, 2 * H, True),
    ],
)
def test_only_overlapping_times_conflict(start: timedelta, end: timedelta, overlap: bool) -> None:
    other = replace(BLIND, valid_from=MONDAY_9 + start, valid_to=MONDAY_9 + end)
    assert bool(find_conflicts(HOT, [other])) is overlap


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (S.SUBMITTED, True),
        (S.APPROVED, True),
        (S.ACTIVE, True),
        (S.SUSPENDED, True),
        (S.CLOSED, False),
        (S.CANCELLED, False),
        (S.REJECTED, False),
        (S.EXPIRED, False),
    ],
)
def test_only_live_permits_count(status: S, counts: bool) -> None:
    assert bool(find_conflicts(HOT, [replace(BLIND, status=status)])) is counts


def test_other_sites_and_the_permit_itself_do_not_count() -> None:
    assert find_conflicts(HOT, [replace(BLIND, site="S2")]) == []
    assert find_conflicts(HOT, [HOT]) == []


def test_unknown_distance_in_one_area_warns() -> None:
    other = replace(BLIND, area="A1", x=None, y=None, coordinator="C. Zhao")
    assert codes(find_conflicts(HOT, [other])) == [("conflict.hot_work_blinding_distance_unknown", "warn")]
    assert find_conflicts(HOT, [replace(other, area="A9")]) == []


@pytest.mark.parametrize(
    ("pipeline", "conflict"), [("P-301", True), ("p-301 ", True), ("P-302", False), (None, False)]
)
def test_one_blinding_job_at_a_time_per_pipeline(pipeline: str | None, conflict: bool) -> None:
    candidate = replace(BLIND, permit_id="BL-2", pipeline=pipeline, area="A7")
    found = codes(find_conflicts(candidate, [BLIND]))
    assert (("conflict.pipeline_blinding", "block") in found) is conflict


def test_simultaneous_jobs_in_one_area_need_a_coordinator() -> None:
    neighbour = PermitFootprint("CS-1", T.CONFINED_SPACE, "A1", "S1", S.ACTIVE, MONDAY_9, MONDAY_9 + H)
    lone = replace(HOT, coordinator=None)
    findings = find_conflicts(lone, [neighbour, replace(neighbour, permit_id="CS-2")])
    assert codes(findings) == [("conflict.no_coordinator", "block")]
    assert "CS-1, CS-2" in findings[0].message and findings[0].field == "coordinator"
    # Named on the candidate, absent on the neighbour: a warning only.
    assert codes(find_conflicts(HOT, [neighbour])) == [("conflict.coordinator_differs", "warn")]
    assert find_conflicts(HOT, [replace(neighbour, coordinator="C. Zhao")]) == []


# Areas drawn on the site plan (plan metres, the plan's scale applied): A2 is a 20 m square whose
# nearest edge lies 25 m east of the hot work at (0, 0); A3 lies 100 m away.
A2_NEAR = ((25.0, -10.0), (45.0, -10.0), (45.0, 10.0), (25.0, 10.0))
A3_FAR = ((100.0, 0.0), (120.0, 0.0), (120.0, 20.0), (100.0, 20.0))


def test_a_job_without_a_position_stands_for_its_area_on_the_plan() -> None:
    near = replace(BLIND, x=None, y=None, area_polygon=A2_NEAR)
    # another area, no position: before the plan's polygons it passed unnoticed; within 30 m it warns
    assert codes(find_conflicts(HOT, [near])) == [("conflict.hot_work_blinding_distance_unknown", "warn")]
    assert codes(find_conflicts(HOT, [replace(near, area_polygon=())])) == []
    # an area whose nearest point lies more than 30 m away proves the distance: nothing to say
    assert find_conflicts(HOT, [replace(near, area_polygon=A3_FAR)]) == []
    # both without a position, their areas' polygons 55 m apart: proven far enough
    hot = replace(HOT, x=None, y=None, area_polygon=((-40.0, 0.0), (-30.0, 0.0), (-30.0, 5.0)))
    assert find_conflicts(hot, [near]) == []
    # a position always wins over the area: 31 m apart is fine even inside a near area
    assert find_conflicts(HOT, [replace(BLIND, x=31.0, y=0.0, area_polygon=A2_NEAR)]) == []


def test_one_area_drawn_on_the_plan_still_warns_for_two_jobs_without_positions() -> None:
    hot = replace(HOT, x=None, y=None, area_polygon=A2_NEAR, area="A2")
    other = replace(BLIND, x=None, y=None, area_polygon=A2_NEAR, coordinator="C. Zhao")
    assert codes(find_conflicts(hot, [other])) == [("conflict.hot_work_blinding_distance_unknown", "warn")]


@pytest.mark.parametrize("candidate_type", list(T))
@pytest.mark.parametrize("other_type", list(T))
def test_only_the_conflicting_types_in_another_area_give_a_finding(candidate_type: T, other_type: T) -> None:
    """What ``conflicting_types`` leaves out of a read never gives a finding: every pair of types, in
    another area and in the same one, at the same point and with the same pipeline, coordinated or not."""
    candidate = replace(HOT, type=candidate_type, pipeline="P-301")
    for coordinator in (None, "C. Zhao", "Q. Sun"):
        for area in ("A1", "A2"):
            other = replace(BLIND, type=other_type, area=area, x=0.0, coordinator=coordinator)
            found = find_conflicts(replace(candidate, coordinator=coordinator), [other])
            if area != candidate.area and other_type not in conflicting_types(candidate_type):
                assert found == []
    assert conflicting_types(T.HOT_WORK) == {T.BLINDING}
    assert find_conflicts(replace(HOT, x=None, y=None), [replace(BLIND, x=None, y=None, area="A1")])
