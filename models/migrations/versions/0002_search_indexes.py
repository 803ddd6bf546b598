"""Search indexes: certificate numbers everywhere; trigram indexes for name search on PostgreSQL.

A name search is a substring match (LIKE '%…%'), which a b-tree cannot serve; on PostgreSQL the
pg_trgm extension's GIN indexes can. Creating the extension needs a privilege a plant's database
user may lack: then the indexes are skipped (the search still works, only slower) and the log says so.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
log = logging.getLogger(__name__)


def upgrade() -> None:
    op.create_index("ix_certificates_number", "certificates", ["number"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            # The extension may already live in another schema (one per database): use it where it is.
            schema = bind.execute(sa.text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'pg_trgm'")).scalar()
            if schema is None:
                bind.execute(sa.text("CREATE EXTENSION pg_trgm SCHEMA public"))
                schema = "public"
            ops = f'"{schema}".gin_trgm_ops'
            bind.execute(sa.text(f"CREATE INDEX ix_workers_name_trgm ON workers USING gin (name {ops})"))
            bind.execute(sa.text(f"CREATE INDEX ix_contractors_name_trgm ON contractors USING gin (name {ops})"))
    except sa.exc.DBAPIError as exc:
        log.warning("trigram indexes not created (%s); name search works without them, only slower",
                    str(exc).splitlines()[0])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contractors_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_workers_name_trgm")
    op.drop_index("ix_certificates_number", table_name="certificates")
