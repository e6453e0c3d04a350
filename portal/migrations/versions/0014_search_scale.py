"""search at scale: outbox ids that never come back (external versions), index for the recent order

- search_outbox becomes AUTOINCREMENT on SQLite (PostgreSQL's sequence already never reuses
  ids): the outbox id is the external version of the search document (search.outbox.drain).
- candidates(updated_at, id): the search pages' default order without a sort of the whole table.

Revision ID: 0014
Revises: 0011
"""
from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("search_outbox", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
    op.create_index("ix_candidates_recent", "candidates", ["updated_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_candidates_recent", table_name="candidates")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("search_outbox", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
