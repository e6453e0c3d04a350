"""results cube and consent spans: the candidate facts counted per combination of the dashboard's
keys, and each candidate's times with a valid consent as disjoint spans

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0017'
down_revision = "0016"
branch_labels = None
depends_on = None

KEYS = ("municipality", "gender", "paused", "created_q", "cohort", "video_q", "start_q",
        "has_interest", "has_met", "has_proposal", "language_measured", "language_rose")


def upgrade() -> None:
    # Filled on first use of the dashboard (its completeness check) or by `flask results refresh`.
    op.create_table('results_candidate_cube',
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('gender', sa.String(length=32), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('created_q', sa.Integer(), nullable=False),
    sa.Column('cohort', sa.Integer(), nullable=False),
    sa.Column('video_q', sa.Integer(), nullable=False),
    sa.Column('start_q', sa.Integer(), nullable=False),
    sa.Column('has_interest', sa.Boolean(), nullable=False),
    sa.Column('has_met', sa.Boolean(), nullable=False),
    sa.Column('has_proposal', sa.Boolean(), nullable=False),
    sa.Column('language_measured', sa.Boolean(), nullable=False),
    sa.Column('language_rose', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint(*KEYS, name=op.f('pk_results_candidate_cube'))
    )
    op.create_table('results_consent_spans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('cohort', sa.Integer(), nullable=True),
    sa.Column('registered_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_from', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_results_consent_spans_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results_consent_spans'))
    )
    with op.batch_alter_table('results_consent_spans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_consent_spans_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_consent_spans_valid_until'), ['valid_until'], unique=False)


def downgrade() -> None:
    op.drop_table('results_consent_spans')
    op.drop_table('results_candidate_cube')
