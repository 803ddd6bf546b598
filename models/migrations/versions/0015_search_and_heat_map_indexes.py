"""Indexes for the contractor panel's search and the heat map at a large plant's size (issue 20:
1M permits, 100,000 workers, 5,000 contractors; ``bench/db_queries.py``, ``bench/contractor_heat.py``).

- workers by name *and* id, with the trade and employer the search shows (covering), replacing the
  index on the name alone: the search lists the workers whose name starts with the text in (name, id)
  order, and with the name alone SQLite read every worker of a common surname (about 1,000 for 王),
  joined each to its employer and sorted them, to keep 50; PostgreSQL read them through a bitmap and
  sorted them unless the table had just been vacuumed (3.9 ms; the first 50 from the index: 0.1 ms);
- contractors by name and code: the search's "name starts with" step scanned the 5,000 contractors;
- permits by site and end of validity: the heat map's day reads the site's permits valid in the day
  (``valid_to > start``), which no index served (``ix_permits_status_valid_from`` leads with the
  status, ``ix_permits_area`` with the area).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_workers_search", "workers", ["name", "id", "trade", "contractor_code"]),
    ("ix_contractors_name_code", "contractors", ["name", "code"]),
    ("ix_permits_site_valid_to", "permits", ["site_id", "valid_to"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.drop_index("ix_workers_name", table_name="workers")  # the new index serves its every use


def downgrade() -> None:
    op.create_index("ix_workers_name", "workers", ["name"])
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
