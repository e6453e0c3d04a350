"""case file speed: an index for the places filled per placement

- trajects(stage, placement_id): the number of started trajects per placement (places filled, on
  the account manager's start page and the matches) is read from the index alone instead of a
  scan of every traject.

Revision ID: 0015
Revises: 0010
"""
from alembic import op


revision = "0015"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_trajects_stage_placement", "trajects", ["stage", "placement_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_trajects_stage_placement", table_name="trajects")
