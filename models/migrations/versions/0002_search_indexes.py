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
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm not available (%s); name search runs without trigram indexes",
                    str(exc).splitlines()[0])
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_workers_name_trgm ON workers USING gin (name gin_trgm_ops)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_contractors_name_trgm ON contractors USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contractors_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_workers_name_trgm")
    op.drop_index("ix_certificates_number", table_name="certificates")
