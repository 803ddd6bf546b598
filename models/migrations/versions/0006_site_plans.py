"""Site plans and per-channel limits: the plan image with its scale, the channels' own limit overrides.

site_plans: one plan image (PNG or SVG) per site, its size in pixels and the metres per pixel;
detector_channels: ``limits``, the channel's overrides of its profile (lolo, lo, hi, hihi; never
looser, checked by the service). Existing channels keep their profile's limits.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_plans",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width_px", sa.Float(), nullable=False),
        sa.Column("height_px", sa.Float(), nullable=False),
        sa.Column("m_per_px", sa.Float(), nullable=False),
        sa.Column("loaded_by", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_site_plans_site_id_sites")),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_plans")),
    )
    with op.batch_alter_table("detector_channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("limits", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("detector_channels", schema=None) as batch_op:
        batch_op.drop_column("limits")
    op.drop_table("site_plans")
