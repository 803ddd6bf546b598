"""The monthly special-work analysis (issue 21 part 3) counts a month of a plant's permits, approvals,
refusals and stop commands with SQL aggregates; these indexes let it read only the month, from the index
alone where the index covers what it counts (bench/monthly_report.py: 1M permits).

- permits by submission time, covering type, grades, site and contractor (the month's groups);
- permits by id, covering submission time, planned start and type (the approval lead time, late
  approvals and gas-tested starts join an event to its permit through this index alone);
- permit events by type and time, covering the permit (approved, escalated, started of a month) and
  two new columns of an ``approved`` event, written with it from now on and filled here for the past:
  its lead from submission (``lead_s``) and whether it came after the planned start (``after_start``),
  so a month's approvals are read from the index without a join per approval (1.1 s of CPU a month of
  225,000 approvals, against 0.02 s for the index alone);
- signatures by time (rejections and send-backs) and commands by time (stop-works);
- ``monthly_figures``: a closed month's figures, kept once the month has settled, so the report's
  comparison with the three months before it does not count them again.

Revision ID: 0014
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_permits_month",
        "permits",
        ["created_at", "type", "effective_grade", "grade", "site_id", "contractor_code"],
    ),
    ("ix_permits_lead", "permits", ["id", "created_at", "valid_from", "type"]),
    ("ix_permit_events_type_ts", "permit_events", ["type", "ts", "permit_id", "lead_s", "after_start"]),
    ("ix_approvals_signed_at", "approvals", ["signed_at"]),
    ("ix_commands_issued_at", "commands", ["issued_at"]),
)


def upgrade() -> None:
    with op.batch_alter_table("permit_events") as batch:
        batch.add_column(sa.Column("lead_s", sa.Float(), nullable=True))
        batch.add_column(sa.Column("after_start", sa.Boolean(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        lead = "round(extract(epoch from permit_events.ts - p.created_at)::numeric, 3)"
    else:
        lead = "round((julianday(permit_events.ts) - julianday(p.created_at)) * 86400.0, 3)"
    its_permit = "FROM permits p WHERE p.id = permit_events.permit_id"
    op.execute(
        f"UPDATE permit_events SET lead_s = (SELECT {lead} {its_permit}), "
        f"after_start = (SELECT permit_events.ts > p.valid_from {its_permit}) WHERE type = 'approved'"
    )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_table(
        "monthly_figures",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("month", "zone", name=op.f("pk_monthly_figures")),
    )


def downgrade() -> None:
    op.drop_table("monthly_figures")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("permit_events") as batch:
        batch.drop_column("after_start")
        batch.drop_column("lead_s")
