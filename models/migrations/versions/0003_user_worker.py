"""Users: the worker record of the person behind an account (``users.worker_id``, nullable).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker_id", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_worker_id"), ["worker_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_users_worker_id_workers"), "workers", ["worker_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_worker_id_workers"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_worker_id"))
        batch_op.drop_column("worker_id")
