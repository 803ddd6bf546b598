"""The people registers: disabling, the grade override, qualification scope, violations per worker, exams.

contractors: ``active``, the grade override (grade, reason, by, at); contractor_qualifications:
``scope``, ``valid_from``; contractor_violations: ``worker_id``, ``recorded_by``, and the contractor
becomes optional (a violation of the plant's own staff has none); workers: ``active`` and the latest
admission exam (passed, score, date). Existing rows stay active, with no override and no exam.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contractors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("grade_override", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("grade_override_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("grade_override_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("grade_override_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("contractor_qualifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
    with op.batch_alter_table("contractor_violations", schema=None) as batch_op:
        batch_op.alter_column("contractor_code", existing_type=sa.String(length=64), nullable=True)
        batch_op.add_column(sa.Column("worker_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("recorded_by", sa.String(length=64), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_contractor_violations_worker_id"), ["worker_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_contractor_violations_worker_id_workers"), "workers", ["worker_id"], ["id"]
        )
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("exam_passed", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("exam_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("exam_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workers", schema=None) as batch_op:
        for column in ("exam_on", "exam_score", "exam_passed", "active"):
            batch_op.drop_column(column)
    op.execute("DELETE FROM contractor_violations WHERE contractor_code IS NULL")
    with op.batch_alter_table("contractor_violations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contractor_violations_worker_id_workers"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_contractor_violations_worker_id"))
        batch_op.drop_column("recorded_by")
        batch_op.drop_column("worker_id")
        batch_op.alter_column("contractor_code", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("contractor_qualifications", schema=None) as batch_op:
        batch_op.drop_column("valid_from")
        batch_op.drop_column("scope")
    with op.batch_alter_table("contractors", schema=None) as batch_op:
        for column in ("grade_override_at", "grade_override_by", "grade_override_reason", "grade_override", "active"):
            batch_op.drop_column(column)
