"""The Sparkplug mapping kept with the registers (issue 22): ordered entries (the first match wins, after
the configuration's ``[[sparkplug.map]]``) of group, edge node, device and metric patterns to an area's
gas channel, with its unit and optional limits; and the stop-work targets (``[[sparkplug.stop]]``): the
device a stop or resume of an area is also written to.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sparkplug_map",
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("group_pattern", sa.String(length=200), nullable=False),
        sa.Column("node_pattern", sa.String(length=200), nullable=False),
        sa.Column("device_pattern", sa.String(length=200), nullable=False),
        sa.Column("metric_pattern", sa.String(length=200), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("detector", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("limits", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_sparkplug_map")),
    )
    op.create_table(
        "sparkplug_stops",
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=200), nullable=False),
        sa.Column("node", sa.String(length=200), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=200), nullable=False),
        sa.Column("command_id_metric", sa.String(length=200), nullable=False),
        sa.Column("ack_metric", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_sparkplug_stops")),
    )


def downgrade() -> None:
    op.drop_table("sparkplug_stops")
    op.drop_table("sparkplug_map")
