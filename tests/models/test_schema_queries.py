"""Read helpers: plain records out of the mapping, usable after their session has closed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.database import Database, open_database
from models.queries import (
    area_detail,
    areas_with_detectors,
    list_sites_and_areas,
    permits_in_area,
    plant_detectors,
    registered_channel_keys,
)
from models.records import ChannelKey, PermitStatus, PermitType, RiskLevel
from models.schema import (
    Area,
    Detector,
    DetectorChannel,
    EmergencyContact,
    Permit,
    PermitWorker,
    Site,
    Worker,
)

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'q.db'}")
    with database.session() as s:
        s.add_all([Site(id="S2", name="罐区"), Site(id="S1", name="一号化工厂区")])
        s.flush()
        s.add_all(
            [
                Area(site_id="S1", id="U102", name="催化裂化", polygon=[[60, 0], [90, 0], [90, 30]]),
                Area(
                    site_id="S1",
                    id="U101",
                    name="常减压",
                    polygon=[[0, 0], [50, 0], [50, 40], [0, 40]],
                    risk_level=RiskLevel.MAJOR,
                    is_hazard_area=True,
                    guidance="可燃气体报警：立即停止动火",
                ),
                Area(site_id="S2", id="TK01", name="原油罐组"),
            ]
        )
        s.flush()
        s.add_all(
            [
                EmergencyContact(site_id="S1", area_id="U101", name="消防站", phone="6119", sort_order=2),
                EmergencyContact(
                    site_id="S1", area_id="U101", name="张主任", phone="13800000001", sort_order=0
                ),
                Detector(id="GD-U101-1", site_id="S1", area_id="U101", x=10, y=12),
                Detector(id="GD-TK01-1", site_id="S2", area_id="TK01", registered=False),
                Worker(id="W-2", name="王焊工", trade="焊工"),
                Worker(id="W-1", name="李管工", trade="管工", contractor_code=None),
            ]
        )
        s.flush()
        s.add_all(
            [
                DetectorChannel(detector_id="GD-U101-1", ch="O2", unit="%VOL"),
                DetectorChannel(detector_id="GD-U101-1", ch="LEL", unit="%LEL", max_age_s=10),
                DetectorChannel(detector_id="GD-TK01-1", ch="LEL", unit="%LEL"),
            ]
        )
        for pid, status in (("HW-1", PermitStatus.ACTIVE), ("HW-2", PermitStatus.CLOSED)):
            s.add(
                Permit(
                    id=pid,
                    type=PermitType.HOT_WORK,
                    status=status,
                    site_id="S1",
                    area_id="U101",
                    valid_from=NOW - timedelta(hours=1),
                    valid_to=NOW + timedelta(hours=4),
                    applicant="W-2",
                    supervisor="W-9",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        s.flush()
        s.add_all(
            [PermitWorker(permit_id="HW-1", worker_id="W-2"), PermitWorker(permit_id="HW-1", worker_id="W-1")]
        )
    try:
        yield database
    finally:
        database.dispose()


def test_sites_and_areas_sorted_with_their_plans(db: Database) -> None:
    with db.session() as s:
        sites = list_sites_and_areas(s)
    assert [site.site_id for site in sites] == ["S1", "S2"]
    s1 = sites[0]
    assert [a.area_id for a in s1.areas] == ["U101", "U102"]
    assert s1.timezone == "Asia/Shanghai" and s1.night_start.hour == 22
    assert s1.areas[0].polygon == ((0.0, 0.0), (50.0, 0.0), (50.0, 40.0), (0.0, 40.0))
    assert s1.areas[0].risk_level is RiskLevel.MAJOR and s1.areas[0].is_hazard_area


def test_area_detail_lists_contacts_in_order_and_the_people_inside(db: Database) -> None:
    with db.session() as s:
        detail = area_detail(s, "S1", "U101")
    assert detail is not None  # used after the session closed: plain records
    assert [c.name for c in detail.contacts] == ["张主任", "消防站"]
    assert detail.site_name == "一号化工厂区" and detail.guidance.startswith("可燃气体")
    assert [p.permit_id for p in detail.permits] == ["HW-1"]  # the closed permit is not "inside"
    assert [(w.worker_id, w.name) for w in detail.permits[0].workers] == [
        ("W-1", "李管工"),
        ("W-2", "王焊工"),
    ]
    assert detail.detectors == ("GD-U101-1",)
    assert detail.permits[0].valid_from == NOW - timedelta(hours=1)


def test_permits_in_area_by_status(db: Database) -> None:
    with db.session() as s:
        closed = permits_in_area(s, "S1", "U101", [PermitStatus.CLOSED])
        none = permits_in_area(s, "S1", "U102")
    assert [p.permit_id for p in closed] == ["HW-2"] and none == []


def test_unknown_area_has_no_detail(db: Database) -> None:
    with db.session() as s:
        assert area_detail(s, "S1", "NOPE") is None


def test_detectors_and_the_registered_channel_set(db: Database) -> None:
    with db.session() as s:
        detectors = plant_detectors(s)
        keys = registered_channel_keys(s)
        by_area = areas_with_detectors(s)
    assert [d.device_id for d in detectors] == ["GD-U101-1", "GD-TK01-1"]
    first = detectors[0]
    assert [c.ch for c in first.channels] == ["LEL", "O2"]
    assert first.channels[0].max_age_s == 10 and first.channels[0].limit_profile == "cn"
    assert (first.x, first.y) == (10, 12)
    # an unregistered detector is known but its channels do not count as registered
    assert keys == {ChannelKey("S1", "U101", "GD-U101-1", "LEL"), ChannelKey("S1", "U101", "GD-U101-1", "O2")}
    assert by_area == {("S1", "U101"): ["GD-U101-1"], ("S2", "TK01"): ["GD-TK01-1"]}
