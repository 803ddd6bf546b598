"""The monthly special-work analysis (issue 21 part 3) counts a month of a plant's permits, approvals,
refusals and stop commands with SQL aggregates; these indexes let it read only the month, from the index
alone where the index covers what it counts (bench/monthly_report.py: 1M permits).

- permits by submission time, covering type, grades, site and contractor (the month's groups);
- permits by id, covering submission time, planned start and type (the approval lead time, late
  approvals and gas-tested starts join an event to its permit through this index alone);
- permit events by type and time, covering the permit (approved, escalated, started of a month);
- signatures by time (rejections and send-backs) and commands by time (stop-works).

Revision ID: 0014
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_permits_month",
        "permits",
        ["created_at", "type", "effective_grade", "grade", "site_id", "contractor_code"],
    ),
    ("ix_permits_lead", "permits", ["id", "created_at", "valid_from", "type"]),
    ("ix_permit_events_type_ts", "permit_events", ["type", "ts", "permit_id"]),
    ("ix_approvals_signed_at", "approvals", ["signed_at"]),
    ("ix_commands_issued_at", "commands", ["issued_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
