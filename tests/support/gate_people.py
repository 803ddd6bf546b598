"""People at the field gate, beside the small plant's HW-1 (tests/support/plant.py): one worker who
goes in and one per reason to refuse, for the gate's tests and its answer-time bench."""

from __future__ import annotations

from datetime import date, timedelta

from connectors.database import Database
from models.schema import Certificate, Contractor, PermitWorker, Worker, WorkerTraining

WELDING = "熔化焊接与热切割作业"  # the official category: folded onto the welding trade

#: The small plant's people at the gate of A1, by the one reason each is refused for (None: allowed).
#: W-99 is on no register; W-2 (HW-1's supervisor, plant staff) goes in without a welder's papers.
REASON_OF = {
    "W-3": None,
    "W-4": "admission_exam_missing",
    "W-5": "contractor_blacklisted",
    "W-6": "certificate_expired",
    "W-7": "certificate_missing",  # a certificate, not for this trade
    "W-8": "not_on_active_permit",
    "W-99": "worker_unknown",
}


def add_gate_people(db: Database, today: date) -> None:
    """Contractors C-1 (sound) and C-BAD (blacklisted), and W-3 … W-8 as ``REASON_OF`` says."""
    with db.session() as s:
        s.add(Contractor(code="C-1", name="安达建设"))
        s.add(Contractor(code="C-BAD", name="黑名单工程", blacklisted=True, blacklist_reason="违章动火"))
        s.flush()
        # id: (name, contractor, certificate trade and days it stays valid, admission exam, on HW-1)
        people: dict[str, tuple[str, str | None, tuple[str, int] | None, bool, bool]] = {
            "W-3": ("陈合格", "C-1", (WELDING, 400), True, True),
            "W-4": ("刘未考", "C-1", (WELDING, 400), False, True),
            "W-5": ("赵黑名", "C-BAD", (WELDING, 400), True, True),
            "W-6": ("孙过期", "C-1", (WELDING, -3), True, True),
            "W-7": ("周电工", "C-1", ("低压电工作业", 400), True, True),
            "W-8": ("吴无票", "C-1", (WELDING, 400), True, False),
        }
        for wid, (name, contractor, cert, exam, on_permit) in people.items():
            s.add(Worker(id=wid, name=name, contractor_code=contractor, trade="焊工"))
            s.flush()
            if cert is not None:
                trade, days = cert
                valid_to = today + timedelta(days=days)
                s.add(
                    Certificate(
                        worker_id=wid,
                        number=f"T{wid}",
                        trade=trade,
                        valid_from=valid_to - timedelta(days=2000),
                        valid_to=valid_to,
                        review_due=today + timedelta(days=300),
                    )
                )
            name_of_training = "入厂三级安全教育考试" if exam else "消防知识讲座"
            s.add(WorkerTraining(worker_id=wid, name=name_of_training, trained_on=today - timedelta(days=9)))
            if on_permit:
                s.add(PermitWorker(permit_id="HW-1", worker_id=wid))
