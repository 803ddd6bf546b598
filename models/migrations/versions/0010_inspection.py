"""Inspection (issue 23): equipment with its tag and checklist, routes and their points, the month's
spot checks, the field's scans and checklist results, defect work orders and their events.

Revision ID: 0010
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "area_owners",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "area_id", name=op.f("pk_area_owners")),
    )
    op.create_table(
        "equipment",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("x", sa.Float(), nullable=True),
        sa.Column("y", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_equipment")),
        sa.UniqueConstraint("tag", name=op.f("uq_equipment_tag")),
    )
    op.create_index("ix_equipment_site_area", "equipment", ["site_id", "area_id"], unique=False)
    op.create_table(
        "inspection_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.String(length=128), nullable=False),
        sa.Column("scan_id", sa.String(length=128), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("equipment_code", sa.String(length=64), nullable=True),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("defect", sa.Boolean(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_results")),
        sa.UniqueConstraint("result_id", name=op.f("uq_inspection_results_result_id")),
    )
    op.create_index(
        "ix_inspection_results_equipment_ts", "inspection_results", ["equipment_code", "ts"], unique=False
    )
    op.create_table(
        "inspection_routes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("per_day", sa.Integer(), nullable=False),
        sa.Column("first_start", sa.Time(), nullable=False),
        sa.Column("round_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_routes")),
    )
    op.create_table(
        "inspection_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.String(length=128), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("equipment_code", sa.String(length=64), nullable=True),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_scans")),
        sa.UniqueConstraint("scan_id", name=op.f("uq_inspection_scans_scan_id")),
    )
    op.create_index("ix_inspection_scans_site_ts", "inspection_scans", ["site_id", "ts"], unique=False)
    op.create_table(
        "work_orders",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("result_id", sa.String(length=128), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("equipment_code", sa.String(length=64), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalation_step", sa.Integer(), nullable=False),
        sa.Column("escalated_to", sa.String(length=64), nullable=False),
        sa.Column("fixed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fixed_by", sa.String(length=64), nullable=True),
        sa.Column("fixed_note", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.String(length=64), nullable=True),
        sa.Column("verification", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("result_id", name=op.f("uq_work_orders_result_id")),
    )
    op.create_index("ix_work_orders_status_due", "work_orders", ["status", "due_at"], unique=False)
    op.create_table(
        "route_points",
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("equipment_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["equipment_code"], ["equipment.code"], name=op.f("fk_route_points_equipment_code_equipment")
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["inspection_routes.id"],
            name=op.f("fk_route_points_route_id_inspection_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("route_id", "seq", name=op.f("pk_route_points")),
    )
    op.create_table(
        "spot_checks",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("equipment_code", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("drawn_by", sa.String(length=64), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["equipment_code"], ["equipment.code"], name=op.f("fk_spot_checks_equipment_code_equipment")
        ),
        sa.PrimaryKeyConstraint("month", "equipment_code", name=op.f("pk_spot_checks")),
    )
    op.create_table(
        "work_order_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["work_orders.id"],
            name=op.f("fk_work_order_events_order_id_work_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_events")),
    )
    op.create_index(op.f("ix_work_order_events_order_id"), "work_order_events", ["order_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_work_order_events_order_id"), table_name="work_order_events")
    op.drop_table("work_order_events")
    op.drop_table("spot_checks")
    op.drop_table("route_points")
    op.drop_index("ix_work_orders_status_due", table_name="work_orders")
    op.drop_table("work_orders")
    op.drop_index("ix_inspection_scans_site_ts", table_name="inspection_scans")
    op.drop_table("inspection_scans")
    op.drop_table("inspection_routes")
    op.drop_index("ix_inspection_results_equipment_ts", table_name="inspection_results")
    op.drop_table("inspection_results")
    op.drop_index("ix_equipment_site_area", table_name="equipment")
    op.drop_table("equipment")
    op.drop_table("area_owners")
