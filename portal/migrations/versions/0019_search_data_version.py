"""search data version: a token that changes with every committed change to searched candidate data

The database search backend remembers a search's total under this token (search.freshness), so
the employer gallery no longer counts every visible candidate on every page view. The row starts
with a random token: two databases never share one.

Revision ID: 0019
Revises: 0018
"""
import secrets

import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'search_data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_data_version')),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.randbits(62)}])


def downgrade() -> None:
    op.drop_table('search_data_version')
