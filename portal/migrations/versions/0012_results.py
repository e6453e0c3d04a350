"""results: the policy officer role, the first publication of a candidate, the task helper's effect
on a placement's Dutch requirement, and indexes for the results dashboard

Revision ID: 0012
Revises: 0009, 0011 (joins the trajects/case-file chain and the consent-languages migration into one head)
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0012'
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_ROLES = ('employer', 'account_manager', 'wsp', 'admin')
NEW_ROLES = (*OLD_ROLES, 'policy_officer')


def _roles(values: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _set_roles(values: tuple[str, ...]) -> None:
    # SQLite rebuilds the table for a new CHECK and cannot carry an expression index over: drop
    # the case-insensitive unique e-mail index first and create it again afterwards.
    op.drop_index('uq_users_email_lower', table_name='users')
    for table, name in (("users", "user_role"), ("invitations", "invitation_role")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), sa.text(_roles(values)))
    op.create_index('uq_users_email_lower', 'users', [sa.text('lower(email)')], unique=True)


def upgrade() -> None:
    _set_roles(NEW_ROLES)
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_published_at', portal.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_candidates_first_published_at'), ['first_published_at'], unique=False)
    op.execute("UPDATE candidates SET first_published_at = published_at WHERE published_at IS NOT NULL")
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dutch_levels_before_helper', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('dutch_lowered_with_helper', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # The summary table of the results dashboard (one row per candidate; rebuilt on first use).
    op.create_table('results_candidate_facts',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('gender', sa.String(length=32), nullable=True),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_published_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cohort', sa.Integer(), nullable=True),
    sa.Column('has_interest', sa.Boolean(), nullable=False),
    sa.Column('has_met', sa.Boolean(), nullable=False),
    sa.Column('has_proposal', sa.Boolean(), nullable=False),
    sa.Column('first_start_date', sa.Date(), nullable=True),
    sa.Column('days_to_first_start', sa.Integer(), nullable=True),
    sa.Column('work_3', sa.Boolean(), nullable=False),
    sa.Column('work_6', sa.Boolean(), nullable=False),
    sa.Column('work_12', sa.Boolean(), nullable=False),
    sa.Column('language_measured', sa.Boolean(), nullable=False),
    sa.Column('language_rose', sa.Boolean(), nullable=False),
    sa.Column('video_ready_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_results_candidate_facts_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', name=op.f('pk_results_candidate_facts'))
    )
    with op.batch_alter_table('results_candidate_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_candidate_facts_municipality'), ['municipality'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_candidate_facts_first_published_at'), ['first_published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_candidate_facts_first_start_date'), ['first_start_date'], unique=False)
    # What the start-level figures filter and join on.
    with op.batch_alter_table('placement_starts', schema=None) as batch_op:
        batch_op.create_index('ix_placement_starts_start_date', ['start_date'], unique=False)
    with op.batch_alter_table('trajects', schema=None) as batch_op:
        batch_op.create_index('ix_trajects_closed_at', ['closed_at'], unique=False)
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_published_at', ['published_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_published_at')
    with op.batch_alter_table('trajects', schema=None) as batch_op:
        batch_op.drop_index('ix_trajects_closed_at')
    with op.batch_alter_table('placement_starts', schema=None) as batch_op:
        batch_op.drop_index('ix_placement_starts_start_date')
    op.drop_table('results_candidate_facts')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_column('dutch_lowered_with_helper')
        batch_op.drop_column('dutch_levels_before_helper')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_first_published_at'))
        batch_op.drop_column('first_published_at')
    op.execute("DELETE FROM users WHERE role = 'policy_officer'")
    op.execute("DELETE FROM invitations WHERE role = 'policy_officer'")
    _set_roles(OLD_ROLES)
