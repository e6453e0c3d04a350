"""search: outbox for index synchronisation, saved searches

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0004'
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    op.create_index('ix_search_outbox_due', 'search_outbox', ['next_attempt_at', 'id'], unique=False)
    op.create_index(op.f('ix_search_outbox_candidate_id'), 'search_outbox', ['candidate_id'], unique=False)
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('query_string', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(name) >= 1 AND length(name) <= 100', name=op.f('ck_saved_searches_name_length')),
    sa.CheckConstraint('length(query_string) <= 2000', name=op.f('ck_saved_searches_query_length')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_saved_searches_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    op.create_index(op.f('ix_saved_searches_owner_id'), 'saved_searches', ['owner_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_saved_searches_owner_id'), table_name='saved_searches')
    op.drop_table('saved_searches')
    op.drop_index(op.f('ix_search_outbox_candidate_id'), table_name='search_outbox')
    op.drop_index('ix_search_outbox_due', table_name='search_outbox')
    op.drop_table('search_outbox')
