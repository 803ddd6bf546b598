"""The approval, active-permit and contractor screens under pytest-qt, on the seeded demo plant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from cockpit.contractor_search import ContractorDirectory
from cockpit.demo_seed import DEMO_PASSWORD
from cockpit.permit_service import PermitService
from connectors.database import Database
from models.records import HotWorkGrade, PermitStatus
from models.schema import Permit
from tests.cockpit.test_contractor_search import add_known_people
from tests.cockpit.test_permit_service import NOW, Crew, copy_of, file_permit, pick_crew, shared_template
from tests.support.sessions import TEST_KEYS, as_user, permit_login
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.active_permits_view import ActivePermitsView
from views.approval_view import ApprovalView, fmt_countdown
from views.contractor_view import ContractorView


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Database]:
    database = copy_of(shared_template(tmp_path_factory), tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def svc(db: Database, clock: Clock) -> PermitService:
    return PermitService(db, keys=TEST_KEYS, clock=clock)


@pytest.fixture
def crew(db: Database) -> Crew:
    return pick_crew(db)


def approval_view(qtbot: QtBot, svc: PermitService, clock: Clock, user: str) -> ApprovalView:
    view = ApprovalView(svc, session=permit_login(svc, user), clock=clock, refresh_ms=0)
    qtbot.addWidget(view)
    view.resize(1500, 900)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() > 0 and view.user_label.text() != "", timeout=5000)
    return view


def choose(view: ApprovalView, qtbot: QtBot, permit_id: str) -> None:
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 1).text() == permit_id)
    with qtbot.waitSignal(view.detail_loaded, timeout=5000):
        view.table.selectRow(row)


def status_of(db: Database, permit_id: str) -> PermitStatus:
    with db.session() as s:
        return s.get(Permit, permit_id).status  # type: ignore[union-attr]


def test_queue_shows_urgent_first_escalations_and_ticking_countdowns(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock
) -> None:
    view = approval_view(qtbot, svc, clock, "lead.wang")
    with db.session() as s:
        waiting = s.scalar(
            select(func.count()).select_from(Permit).where(Permit.status == PermitStatus.SUBMITTED)
        )
    rows = view.row_texts()
    assert len(rows) == waiting
    urgent = [r[5] == "URGENT" for r in rows]
    assert urgent == sorted(urgent, reverse=True) and urgent[0]
    escalated = [r for r in rows if r[6].startswith("→ ")]
    assert escalated and all(r[0].startswith("OVERDUE") for r in escalated)
    first_normal = next(i for i, r in enumerate(rows) if not r[0].startswith("OVERDUE"))
    before = rows[first_normal][0]
    clock.now += timedelta(seconds=5)
    qtbot.waitUntil(lambda: view.row_texts()[first_normal][0] != before, timeout=3000)  # the 1 s tick
    item = view._items[first_normal]
    assert view.row_texts()[first_normal][0] == fmt_countdown(item.deadline - clock.now)
    view.wait_idle()


def test_shift_lead_approves_a_clean_permit_from_the_panel(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-V-1")
    view = approval_view(qtbot, svc, clock, "lead.wang")
    choose(view, qtbot, "HW-V-1")
    assert "HW-V-1" in view.detail_view.header.text()
    assert view.detail_view.blocking_texts() == []
    assert not view.approve_button.isEnabled() and "password" in view.approve_button.toolTip()
    view.password.setText(DEMO_PASSWORD)
    assert view.approve_button.isEnabled()
    with qtbot.waitSignal(view.permit_decided, timeout=5000) as signal:
        view.approve_button.click()
    assert signal.args == ["HW-V-1", "approve"]
    assert view.password.text() == ""  # never kept after the click
    assert status_of(db, "HW-V-1") is PermitStatus.APPROVED
    qtbot.waitUntil(lambda: "approved" in view.message.text(), timeout=5000)
    view.wait_idle()


def test_buttons_follow_role_and_blocks(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-V-2", grade=HotWorkGrade.GRADE_1)
    operator = approval_view(qtbot, svc, clock, "op.li")
    choose(operator, qtbot, "HW-V-2")
    operator.password.setText(DEMO_PASSWORD)
    operator.reason.choose("other")
    operator.reason.text.setText("不同意")
    assert not operator.approve_button.isEnabled() and "does not sign" in operator.approve_button.toolTip()
    assert not operator.reject_button.isEnabled() and not operator.send_back_button.isEnabled()
    operator.wait_idle()

    lead = approval_view(qtbot, svc, clock, "lead.wang")
    choose(lead, qtbot, "HW-V-2")
    lead.password.setText(DEMO_PASSWORD)
    assert not lead.approve_button.isEnabled() and "safety department" in lead.approve_button.toolTip()
    assert "safety department" in lead.blockers.text().lower()  # said on screen, not only in a tooltip
    assert not lead.green.isEnabled()  # not an urgent permit
    lead.wait_idle()

    chen = approval_view(qtbot, svc, clock, "safety.chen")
    choose(chen, qtbot, "HW-V-2")
    chen.password.setText(DEMO_PASSWORD)
    assert chen.approve_button.isEnabled()
    chen.wait_idle()


def test_blocked_permit_shows_why_and_cannot_be_approved(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    from tests.cockpit.test_permit_service import hot_work_request

    svc.create_from_request(hot_work_request(crew, "HW-V-3"), NOW)  # no gas test yet
    view = approval_view(qtbot, svc, clock, "lead.wang")
    choose(view, qtbot, "HW-V-3")
    view.password.setText(DEMO_PASSWORD)
    assert not view.approve_button.isEnabled()
    assert view.approve_button.toolTip().startswith("cannot approve:")  # the coded refusal, worded
    assert any("gas test" in text for text in view.detail_view.blocking_texts())
    view.wait_idle()


def test_wrong_password_is_shown_and_nothing_changes(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-V-4")
    view = approval_view(qtbot, svc, clock, "lead.wang")
    choose(view, qtbot, "HW-V-4")
    view.password.setText("guess")
    with qtbot.waitSignal(view.action_failed, timeout=5000) as signal:
        view.approve_button.click()
    assert "wrong password" in signal.args[0] and "wrong password" in view.message.text()
    assert status_of(db, "HW-V-4") is PermitStatus.SUBMITTED
    view.wait_idle()


def test_green_channel_needs_its_reason_then_approves(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-V-5", grade=HotWorkGrade.GRADE_1, urgent=True)
    view = approval_view(qtbot, svc, clock, "lead.wang")
    choose(view, qtbot, "HW-V-5")
    view.password.setText(DEMO_PASSWORD)
    assert view.green.isEnabled() and not view.approve_button.isEnabled()
    view.green.setChecked(True)
    assert not view.approve_button.isEnabled() and "reason" in view.approve_button.toolTip()
    view.green_reason.setText("泄漏抢修")
    assert view.approve_button.isEnabled()
    with qtbot.waitSignal(view.permit_decided, timeout=5000):
        view.approve_button.click()
    with db.session() as s:
        permit = s.get(Permit, "HW-V-5")
        assert permit is not None and permit.status is PermitStatus.APPROVED and permit.green_channel_review
    view.wait_idle()


def test_reject_needs_a_reason(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-V-6")
    view = approval_view(qtbot, svc, clock, "lead.wang")
    choose(view, qtbot, "HW-V-6")
    assert not view.reject_button.isEnabled() and "reason" in view.reject_button.toolTip()
    view.reason.text.setText("方案不可行")
    assert not view.reject_button.isEnabled(), "free text alone is no reason: the report counts codes"
    view.reason.choose("description")
    assert view.reject_button.isEnabled() and view.send_back_button.isEnabled()
    with qtbot.waitSignal(view.permit_decided, timeout=5000):
        view.reject_button.click()
    assert status_of(db, "HW-V-6") is PermitStatus.REJECTED
    qtbot.waitUntil(lambda: "HW-V-6" not in [r[1] for r in view.row_texts()], timeout=5000)
    view.wait_idle()


def test_a_rejection_chosen_on_the_screen_is_counted_under_its_code_in_the_month(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    from cockpit.report.monthly_data import month_figures, plant_zone

    with db.session() as s:
        zone = plant_zone(s)
    local = NOW.astimezone(ZoneInfo(zone))

    def counted() -> dict[str, tuple[int, int]]:  # the demo's months have refusals of their own
        figures = month_figures(db, local.year, local.month, zone, alarms=False)
        return {r.code: (r.rejected, r.sent_back) for r in figures.reasons}

    before = counted()
    file_permit(svc, db, crew, "HW-V-7")
    view = approval_view(qtbot, svc, clock, "lead.wang")
    choose(view, qtbot, "HW-V-7")
    view.reason.choose("isolation")
    view.reason.text.setText("盲板未加")
    with qtbot.waitSignal(view.permit_decided, timeout=5000):
        view.reject_button.click()
    view.wait_idle()
    file_permit(svc, db, crew, "HW-V-8")  # after the first is rejected: the two would overlap
    view.refresh()
    qtbot.waitUntil(lambda: "HW-V-8" in [r[1] for r in view.row_texts()], timeout=5000)
    choose(view, qtbot, "HW-V-8")
    view.reason.choose("gas_test")  # a code alone, no text
    qtbot.waitUntil(view.send_back_button.isEnabled, timeout=5000)  # HW-V-7's detail may come first
    with qtbot.waitSignal(view.permit_decided, timeout=5000):
        view.send_back_button.click()
    view.wait_idle()
    assert view.reason.reason() == "", "the picker is cleared after a decision"

    after = counted()
    grew = {c: (n[0] - before.get(c, (0, 0))[0], n[1] - before.get(c, (0, 0))[1]) for c, n in after.items()}
    assert {c: n for c, n in grew.items() if n != (0, 0)} == {"isolation": (1, 0), "gas_test": (0, 1)}
    # the queue words the send-back's code, not the code itself
    qtbot.waitUntil(lambda: any("sent back: gas test" in r[6] for r in view.row_texts()), timeout=5000)
    view.wait_idle()


@pytest.mark.usefixtures("glossary_chinese")
def test_the_reason_codes_read_as_the_monthly_report_words_them_in_chinese(qtbot: QtBot) -> None:
    from cockpit.report.monthly_texts import REASON_CODES, STRINGS
    from views.decision_reason import DecisionReasonPicker, decision_reason_text

    picker = DecisionReasonPicker()
    qtbot.addWidget(picker)
    shown = [picker.code.itemText(i) for i in range(1, picker.code.count())]
    assert shown == [STRINGS["zh_CN"][f"r_{code}"] for code in REASON_CODES]
    assert "资格证书" in shown and "能量隔离" in shown
    assert picker.code.itemText(0) == "原因……"
    assert decision_reason_text("isolation: 盲板未加") == "能量隔离: 盲板未加"
    assert decision_reason_text("jsa:") == "作业安全分析"
    assert decision_reason_text("不同意") == "不同意"  # typed before the picker: as it was


def test_the_reason_picker_offers_the_monthly_reports_words_in_english(qtbot: QtBot) -> None:
    """One table for both: the picker said "qualification certificate" where the report said "certificate"."""
    from cockpit.report.monthly_texts import REASON_CODES, reason_word
    from views.decision_reason import DecisionReasonPicker

    picker = DecisionReasonPicker()
    qtbot.addWidget(picker)
    shown = [picker.code.itemText(i) for i in range(1, picker.code.count())]
    assert shown == [reason_word(code, "en") for code in REASON_CODES]
    assert [picker.code.itemData(i) for i in range(1, picker.code.count())] == list(REASON_CODES)
    assert "qualification certificate" in shown and not any("_" in word for word in shown)


def test_active_permits_view_suspends_by_role(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock
) -> None:
    chen = ActivePermitsView(svc, session=as_user(db, "safety.chen"), clock=clock, refresh_ms=0)
    qtbot.addWidget(chen)
    qtbot.waitUntil(lambda: chen.table.rowCount() > 0, timeout=5000)
    row = next(r for r, texts in enumerate(chen.row_texts()) if texts[3] == "active")
    chen.table.selectRow(row)
    chen.reason.setText("复测")
    assert not chen.suspend_button.isEnabled() and "role" in chen.suspend_button.toolTip()
    chen.wait_idle()

    view = ActivePermitsView(svc, session=as_user(db, "op.li"), clock=clock, refresh_ms=0)
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() > 0 and view._user is not None, timeout=5000)
    rows = view.row_texts()
    assert len(rows) == len(svc.active_permits(NOW))
    row = next(r for r, texts in enumerate(rows) if texts[3] == "active")
    permit_id = rows[row][0]
    view.table.selectRow(row)
    assert not view.suspend_button.isEnabled()  # no reason yet
    assert not view.close_button.isEnabled()  # operators do not close permits
    view.reason.setText("LEL 上升")
    assert view.suspend_button.isEnabled()
    with qtbot.waitSignal(view.permit_changed, timeout=5000):
        view.suspend_button.click()
    assert status_of(db, permit_id) is PermitStatus.SUSPENDED
    # a day later every permit of today is flagged expired
    clock.now = NOW + timedelta(days=2)
    view.refresh()
    qtbot.waitUntil(lambda: any("EXPIRED" in r[7] for r in view.row_texts()), timeout=5000)
    view.wait_idle()


def test_contractor_view_search_cards_and_expiring(qtbot: QtBot, db: Database, clock: Clock) -> None:
    add_known_people(db)
    view = ContractorView(ContractorDirectory(db.session), clock=clock, debounce_ms=20)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    with qtbot.waitSignal(view.results_shown, timeout=5000):
        view.search_box.setText("欧阳")  # search as you type: the debounce fires on its own
    assert ("worker", "W-T0001") in view.result_keys() and ("contractor", "C-T001") in view.result_keys()
    with qtbot.waitSignal(view.results_shown, timeout=10000):
        view.search_box.setText("smq")
    assert ("worker", "W-T0002") in view.result_keys()
    with qtbot.waitSignal(view.card_shown, timeout=5000) as shown:
        view.results.selectRow(view.result_keys().index(("worker", "W-T0002")))
    assert shown.args == ["worker", "W-T0002"]
    html = view.card.toPlainText()
    assert "司马青" in html and "T99900011103" in html and "EXPIRED" in html
    with qtbot.waitSignal(view.card_shown, timeout=5000):
        view.open_card("contractor", "C-T001")
    assert "BLACKLISTED" in view.card.toPlainText() and "违章动火" in view.card.toPlainText()
    card = view.card.toPlainText()
    assert "(6 points)" in card  # a score with its unit, not a bare "(6)"
    assert "2026-11-22 10:00 → 2026-11-23 13:00 (UTC+8)" in card and "UTC\n" not in card + "\n"  # plant time
    qtbot.waitUntil(lambda: view.expiring.rowCount() > 0, timeout=5000)
    states = {
        view.expiring.item(r, 5).text(): view.expiring.item(r, 0).text()
        for r in range(view.expiring.rowCount())
    }
    assert states["T99900011101"].startswith("EXPIRES in 10") and states["T99900011103"].startswith("EXPIRED")
    view.wait_idle()


def test_the_permit_panels_follow_a_language_switch(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock
) -> None:
    from PySide6.QtWidgets import QApplication

    from views.i18n import Language

    approval = approval_view(qtbot, svc, clock, "lead.wang")
    active = ActivePermitsView(svc, session=as_user(db, "op.li"), clock=clock, refresh_ms=0)
    qtbot.addWidget(active)
    qtbot.waitUntil(lambda: active.table.rowCount() > 0, timeout=5000)
    contractors = ContractorView(ContractorDirectory(db.session), clock=clock, debounce_ms=20)
    qtbot.addWidget(contractors)
    assert any(r[2].startswith("hot work") for r in approval.row_texts())
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: approval.table.horizontalHeaderItem(0).text() == "审批时限", timeout=2000)
        assert approval.approve_button.text() == "批准并签字"
        assert approval.title.text().startswith("审批队列")
        assert any(r[2].startswith("动火作业") for r in approval.row_texts())  # the loaded rows, again
        assert not any(r[2].startswith("hot work") for r in approval.row_texts())
        assert approval.user_label.text() and "Signing as" not in approval.user_label.text()
        assert active.suspend_button.text() == "暂停作业"
        assert any("作业" in r[1] for r in active.row_texts())
        assert contractors.tabs.tabText(0) == "查询"
        assert contractors.results.horizontalHeaderItem(0).text() == "类别"
    finally:
        language.set("en")
    qtbot.waitUntil(lambda: approval.table.horizontalHeaderItem(0).text() == "Deadline in", timeout=2000)
    for view in (approval, active, contractors):
        view.wait_idle()


def test_roles_levels_escalations_statuses_and_the_placeholder_follow_a_language_switch(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    from PySide6.QtWidgets import QApplication

    from views.i18n import Language
    from views.permit_detail_view import PermitDetailView

    empty = PermitDetailView()
    qtbot.addWidget(empty)
    assert empty.header.text() == "Select a permit"
    file_permit(svc, db, crew, "HW-V-9")
    approval = approval_view(qtbot, svc, clock, "lead.wang")
    choose(approval, qtbot, "HW-V-9")
    escalated = [r[6] for r in approval.row_texts() if r[6].startswith("→ ")]
    assert escalated and not any("_" in text for text in escalated)  # a person's word, not the chain's code
    chain = {"Shift lead", "safety department", "senior leader"}
    assert {t.removeprefix("→ ") for t in escalated} <= chain
    assert "role Shift lead, approval level operating unit" in approval.user_label.text()
    assert "Must sign: operating unit" in [text for _, text in approval.detail_view.check_lines()]
    assert "Status: submitted" in approval.detail_view.subheader.text()
    active = ActivePermitsView(svc, session=as_user(db, "op.li"), clock=clock, refresh_ms=0)
    qtbot.addWidget(active)
    qtbot.waitUntil(lambda: active.table.rowCount() > 0, timeout=5000)
    first = next(r[0] for r in active.row_texts() if r[3] == "active")
    svc.suspend(first, as_user(db, "op.li"), "LEL 上升", now=clock())
    active.refresh()
    qtbot.waitUntil(lambda: "SUSPENDED" in {r[3] for r in active.row_texts()}, timeout=5000)
    english = {r[3] for r in active.row_texts()}
    assert english == {"active", "SUSPENDED", "approved"}
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: empty.header.text() == "请选择作业票", timeout=2000)
        chinese = {"作业中", "已暂停", "已批准"}
        qtbot.waitUntil(lambda: {r[3] for r in active.row_texts()} == chinese, timeout=2000)
        zh_escalated = [r[6] for r in approval.row_texts() if r[6].startswith("→ ")]
        assert len(zh_escalated) == len(escalated)
        assert {t.removeprefix("→ ") for t in zh_escalated} <= {"值班长", "安全管理部门", "主管领导"}
        assert "角色 值班长，审批层级 基层单位" in approval.user_label.text()
        # the permit open in the detail is shown again
        assert "须签字：基层单位" in [text for _, text in approval.detail_view.check_lines()]
        assert "状态：待审批" in approval.detail_view.subheader.text()
    finally:
        language.set("en")
    qtbot.waitUntil(lambda: empty.header.text() == "Select a permit", timeout=2000)
    qtbot.waitUntil(lambda: {r[3] for r in active.row_texts()} == english, timeout=2000)
    for view in (approval, active):
        view.wait_idle()


def test_the_detail_shows_the_wind_reading_that_graded_the_work_up(
    qtbot: QtBot, db: Database, clock: Clock, crew: Crew, tmp_path: Path
) -> None:
    calm = PermitService(db, keys=TEST_KEYS, clock=clock, wind=lambda site, area: 3.0)
    file_permit(calm, db, crew, "HW-W-1", grade=HotWorkGrade.GRADE_2)
    windy = PermitService(db, keys=TEST_KEYS, clock=clock, wind=lambda site, area: 11.0)
    view = approval_view(qtbot, windy, clock, "lead.wang")
    choose(view, qtbot, "HW-W-1")
    lines = [text for _, text in view.detail_view._lines]
    assert "Wind 11.0 m/s (Beaufort 6): hot work is graded up one level" in lines
    assert any("raised to" in text and "wind 11.0 m/s" in text for text in lines)
    view.grab().save(str(tmp_path / "wind.png"))
    view.wait_idle()


def test_the_queue_marks_what_the_signed_in_user_may_approve(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    from cockpit.permits.blockers import Mark

    file_permit(svc, db, crew, "HW-M-1")  # grade 2: the shift lead's level signs it
    view = approval_view(qtbot, svc, clock, "lead.wang")
    qtbot.waitUntil(lambda: len(view.marks()) == len(view.row_texts()), timeout=15000)
    marks = view.marks()
    assert marks["HW-M-1"] is Mark.MAY
    # The demo's queue beside it: permits of a higher signer, and blocked ones, each marked so.
    assert Mark.NOT_YOURS in marks.values() and Mark.BLOCKED in marks.values()
    rows = {r[1]: r[ApprovalView.MARK_COLUMN] for r in view.row_texts()}
    assert rows["HW-M-1"] == "✔ you may approve"
    assert {rows[p] for p, m in marks.items() if m is Mark.NOT_YOURS} == {"another signer"}
    # An operator signs nothing: the same permit is not his.
    assert svc.queue_marks(permit_login(svc, "op.li"), ["HW-M-1"], NOW) == {"HW-M-1": Mark.NOT_YOURS}
    header = view.table.horizontalHeader()
    assert header.visualIndex(ApprovalView.MARK_COLUMN) == 0  # the first thing read on each row
    mark_cell = view.table.item(0, ApprovalView.MARK_COLUMN)
    assert header.sectionSize(ApprovalView.MARK_COLUMN) >= view.table.fontMetrics().horizontalAdvance(
        mark_cell.text()
    )  # sized for the marks, which come after the load: never "✔ you …"
    view.wait_idle()


def test_the_queue_reads_for_you_deadline_priority_escalation_permit_then_the_rest(
    qtbot: QtBot, svc: PermitService, clock: Clock
) -> None:
    view = approval_view(qtbot, svc, clock, "lead.wang")
    header = view.table.horizontalHeader()
    shown = [view.table.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(header.count())]
    assert shown == [
        "For you", "Deadline in", "Priority", "Escalation", "Permit", "Type", "Area", "Starts"
    ]  # fmt: skip
    view.retranslate()  # a language switch keeps the order
    details = view.reason.text
    needed = details.fontMetrics().horizontalAdvance(details.placeholderText())
    assert details.width() >= needed  # the reason's details field is not squeezed beside the buttons
    assert [header.logicalIndex(v) for v in range(header.count())] == list(ApprovalView.SHOWN_ORDER)
    view.wait_idle()


def test_every_blocker_is_listed_at_once_with_what_clears_it(
    qtbot: QtBot, svc: PermitService, db: Database, clock: Clock, crew: Crew
) -> None:
    from tests.cockpit.test_permit_service import hot_work_request

    svc.create_from_request(hot_work_request(crew, "HW-B-1"), NOW)  # no gas test yet
    view = approval_view(qtbot, svc, clock, "op.li")  # an operator does not sign either
    choose(view, qtbot, "HW-B-1")
    codes = [b.code for b in view.current_blockers()]
    assert "signer.role" in codes and any(c.startswith("gas_test.") for c in codes)
    text = view.blockers.text()
    assert text.startswith(f"{len(codes)} blocker(s), all of them:")
    assert "does not sign permits" in text and "a passing gas test is recorded" in text
    assert text.count("clears when:") == len(codes)
    # The form does not move when another permit is chosen: the blockers' box has one height.
    height = view.blockers_box.height()
    other = next(item.permit_id for item in view._items if item.permit_id != "HW-B-1")
    choose(view, qtbot, other)
    assert view.blockers_box.height() == height
    view.wait_idle()


def test_a_countdown_past_a_day_spells_the_day_in_the_screens_language(qapp) -> None:  # type: ignore[no-untyped-def]
    """The queue's deadline column read "1d 00:06:33" on the Chinese screen."""
    from datetime import timedelta

    from PySide6.QtCore import QCoreApplication

    from tests.views.test_finding_words import GlossaryTranslator, chinese

    span = timedelta(days=1, minutes=6, seconds=33)
    assert fmt_countdown(span) == "1d 00:06:33" and fmt_countdown(-span) == "-1d 00:06:33"
    translator = GlossaryTranslator(chinese())
    QCoreApplication.installTranslator(translator)
    try:
        assert fmt_countdown(span) == "1天 00:06:33"
        assert fmt_countdown(timedelta(minutes=5)) == "00:05:00"
    finally:
        QCoreApplication.removeTranslator(translator)
