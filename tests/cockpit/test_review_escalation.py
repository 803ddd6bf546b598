"""An overdue green-channel review reaches the site's safety manager through the notifier (issue 17):
once per cause (remembered in the database, so a restart does not tell it again), to that role and
site only, again each further day it stays undone and then to the senior leader too, and the running
core's permit timers do it by themselves. A local HTTP server stands in for the chat robots; the
database is the seeded demo plant, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cockpit.config import Config, NotifyRouteConfig
from cockpit.core import CockpitCore
from cockpit.demo_seed import DEMO_PASSWORD, seed_demo
from cockpit.permit_service import PermitConfig, PermitService
from cockpit.permits.review import REVIEW_OVERDUE_EVENT, record_overdue_reviews
from connectors.database import Database
from models.records import HotWorkGrade
from models.schema import AuditEntry, Permit, PermitEventRow
from tests.cockpit.test_notify import Clock, robot_config, started
from tests.cockpit.test_permit_service import NOW, copy_of, file_permit, pick_crew, shared_template
from tests.support.broker import MosquittoProcess, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.notify_servers import RobotServer
from tests.support.sessions import TEST_KEYS, as_user

LATER = NOW + timedelta(days=2)  # the review was due by the end of the next plant day: overdue


@pytest.fixture(params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[Database]:
    if request.param == "sqlite":
        database = copy_of(shared_template(tmp_path_factory), tmp_path)
    else:  # a schema of its own: the tests change the demo's reviews
        database = open_fresh(request.getfixturevalue("pg_schema_url"))
        seed_demo(database, seed=1, now=NOW)
    yield database
    database.dispose()


@pytest.fixture
def robots() -> Iterator[RobotServer]:
    server = RobotServer().start()
    yield server
    server.stop()


def _green(db: Database) -> str:
    """A grade-1 hot-work permit the shift lead approved alone on the green channel at NOW; its site."""
    with db.session() as s:  # the demo's own green-channel permits reviewed: this one is the only one
        for seeded in s.scalars(select(Permit).where(Permit.green_channel_review.is_(True))):
            seeded.green_channel_review = False
    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig())
    file_permit(svc, db, pick_crew(db), "HW-G-1", grade=HotWorkGrade.GRADE_1, urgent=True)
    svc.approve("HW-G-1", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="抢修泄漏", now=NOW)
    with db.session() as s:
        permit = s.get(Permit, "HW-G-1")
        assert permit is not None and permit.green_channel_review
        return permit.site_id


def _routes(config: Config, site: str) -> None:
    """The site's safety manager on the WeCom robot; a shift lead and another site's manager elsewhere."""
    config.notify.routes = {
        "safety": NotifyRouteConfig(role="safety_manager", sites=[site], channels=["wx"], language="en"),
        "safety_zh": NotifyRouteConfig(
            role="safety_manager", sites=[site], channels=["fs"], language="zh_CN"
        ),
        "other_site": NotifyRouteConfig(role="safety_manager", sites=["ELSEWHERE"], channels=["ding"]),
        "leads": NotifyRouteConfig(role="shift_lead", channels=["ding"], kinds=["review"]),
    }


def test_an_overdue_review_is_told_once_to_the_sites_safety_manager(
    db: Database, robots: RobotServer
) -> None:
    site = _green(db)
    config = PermitConfig()
    with db.session() as s:
        assert record_overdue_reviews(s, config, NOW + timedelta(hours=1)) == []  # due tomorrow: not yet
    with db.session() as s:
        [overdue] = record_overdue_reviews(s, config, LATER)
    assert (overdue.permit_id, overdue.site, overdue.approver) == ("HW-G-1", site, "lead.wang")
    with db.session() as s:  # recorded: the next round (or a restarted console) tells it no more
        assert record_overdue_reviews(s, config, LATER + timedelta(minutes=1)) == []
        events = s.scalars(select(PermitEventRow).where(PermitEventRow.type == REVIEW_OVERDUE_EVENT)).all()
        assert [(e.permit_id, e.detail["due"]) for e in events] == [
            ("HW-G-1", overdue.review_due.isoformat())
        ]

    notify = robot_config(robots)
    _routes(notify, site)
    notifier = started(notify, Clock(LATER))
    try:
        notifier.escalated([overdue, overdue])  # a batch naming it twice tells it once
        assert wait_until(lambda: len(robots.on("/cgi-bin")) == 1 and len(robots.on("/open-apis")) == 1, 20)
        en = robots.on("/cgi-bin")[0].body["text"]["content"]
        assert en.startswith("[Green-channel review overdue]")
        assert "the next-day review of green-channel permit HW-G-1 is overdue (approved by lead.wang)" in en
        assert "Permit: HW-G-1" in en and "Alarm:" not in en
        zh = robots.on("/open-apis")[0].body["content"]["text"]
        assert zh.startswith("【绿色通道复核逾期】")
        assert "作业票 HW-G-1 的绿色通道次日复核逾期未完成（审批人 lead.wang）" in zh
        wait_until(lambda: False, 1.0)
        assert robots.on("/robot") == []  # neither another site's manager nor a shift lead
        assert notifier.snapshot()["notices"] == 1
    finally:
        notifier.stop()

    # The manager records a finding: audited with its note, and the review is told no more.
    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: LATER, config=config)
    svc.review_green_channel(
        "HW-G-1", as_user(db, "safety.chen"), "理由不足：未附泄漏照片", finding=True, now=LATER
    )
    with db.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.subject == "HW-G-1").order_by(AuditEntry.seq.desc())
        ).first()
        assert entry is not None and (entry.action, entry.actor) == (
            "permit.green_channel_reviewed",
            "safety.chen",
        )
        assert json.loads(entry.details) == {"note": "理由不足：未附泄漏照片", "outcome": "finding"}
        assert record_overdue_reviews(s, config, LATER + timedelta(days=1)) == []


def test_a_review_still_undone_is_told_again_each_day_and_up_the_line_until_it_is_done(
    db: Database, robots: RobotServer
) -> None:
    site = _green(db)
    config = PermitConfig()
    with db.session() as s:
        [day1] = record_overdue_reviews(s, config, LATER)
    with db.session() as s:  # later the same plant day: told already
        assert record_overdue_reviews(s, config, LATER + timedelta(hours=6)) == []
    with db.session() as s:  # a plant day later, still not reviewed
        [day2] = record_overdue_reviews(s, config, LATER + timedelta(days=1))
    assert (day1.days, day2.days) == (1, 2)

    notify = robot_config(robots)
    notify.notify.routes = {
        "safety": NotifyRouteConfig(role="safety_manager", sites=[site], channels=["wx"], language="en"),
        "leader": NotifyRouteConfig(role="senior_leader", sites=[site], channels=["fs"], language="zh_CN"),
    }
    notifier = started(notify, Clock(LATER + timedelta(days=1)))
    try:
        notifier.escalated([day1, day2])
        assert wait_until(lambda: len(robots.on("/cgi-bin")) == 2 and len(robots.on("/open-apis")) == 1, 20)
        manager = sorted(post.body["text"]["content"] for post in robots.on("/cgi-bin"))
        assert "green-channel permit HW-G-1 is overdue (approved by lead.wang)" in manager[0]
        assert "green-channel permit HW-G-1 is overdue by 2 days (approved by lead.wang)" in manager[1]
        leader = robots.on("/open-apis")[0].body["content"]["text"]  # the second day only
        assert "作业票 HW-G-1 的绿色通道次日复核已逾期 2 天未完成（审批人 lead.wang）" in leader
    finally:
        notifier.stop()

    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: LATER, config=config)
    svc.review_green_channel(
        "HW-G-1", as_user(db, "safety.chen"), "理由充分", now=LATER + timedelta(days=1, hours=1)
    )
    with db.session() as s:  # done: nothing more, however many days pass
        assert record_overdue_reviews(s, config, LATER + timedelta(days=3)) == []


def test_the_running_core_tells_an_overdue_review_by_itself(
    db: Database, robots: RobotServer, tmp_path: Path
) -> None:
    """Wired as approval escalations are: the duty holder's permit timers record it and the notifier
    sends it; a second core started on the same database does not send it again."""
    site = _green(db)
    broker = MosquittoProcess(tmp_path).start()
    config = robot_config(robots)
    _routes(config, site)
    config.notify.routes["safety"].kinds = ["review"]
    config.mqtt.url = broker.url
    try:
        for round_ in (1, 2):
            core = CockpitCore(
                config, db, console=f"c{round_}", clock=lambda: LATER, data_dir=tmp_path, sessions=TEST_KEYS
            )
            core.start()
            try:
                if round_ == 1:
                    assert wait_until(lambda: len(robots.on("/cgi-bin")) == 1, 30)
                    assert "HW-G-1" in robots.on("/cgi-bin")[0].body["text"]["content"]
                else:
                    wait_until(lambda: False, 3.0)  # a few rounds of the timers
                    assert len(robots.on("/cgi-bin")) == 1
            finally:
                core.stop()
    finally:
        broker.stop()
