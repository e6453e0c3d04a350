"""results speed: a second summary table with one row per placement start

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0016'
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled on first use of the dashboard (or by `flask results refresh`); then kept in step.
    op.create_table('results_start_facts',
    sa.Column('start_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('cohort', sa.Integer(), nullable=True),
    sa.Column('placement_type', sa.String(length=32), nullable=False),
    sa.Column('sector', sa.String(length=64), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('ended_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('stopped', sa.Boolean(), nullable=False),
    sa.Column('stop_reason', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_results_start_facts_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['start_id'], ['placement_starts.id'], name=op.f('fk_results_start_facts_start_id_placement_starts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('start_id', name=op.f('pk_results_start_facts'))
    )
    with op.batch_alter_table('results_start_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_start_facts_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_start_facts_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_start_facts_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_start_facts_ended_at'), ['ended_at'], unique=False)


def downgrade() -> None:
    op.drop_table('results_start_facts')
