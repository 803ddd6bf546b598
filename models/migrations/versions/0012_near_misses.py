"""Near misses (issue 21 part 2): recorded by an operator or taken from the field's ``near_miss`` events.
The monthly report and contractor performance read this table.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "near_misses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=True),
        sa.Column("permit_id", sa.String(length=64), nullable=True),
        sa.Column("contractor_id", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("alarm_id", sa.String(length=128), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_near_misses")),
        sa.UniqueConstraint("message_id", name=op.f("uq_near_misses_message_id")),
    )
    op.create_index(op.f("ix_near_misses_occurred_at"), "near_misses", ["occurred_at"], unique=False)
    op.create_index(op.f("ix_near_misses_permit_id"), "near_misses", ["permit_id"], unique=False)
    op.create_index(op.f("ix_near_misses_contractor_id"), "near_misses", ["contractor_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_near_misses_contractor_id"), table_name="near_misses")
    op.drop_index(op.f("ix_near_misses_permit_id"), table_name="near_misses")
    op.drop_index(op.f("ix_near_misses_occurred_at"), table_name="near_misses")
    op.drop_table("near_misses")
