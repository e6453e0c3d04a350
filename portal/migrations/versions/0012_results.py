"""results: the policy officer role, the first publication of a candidate, the task helper's effect
on a placement's Dutch requirement, and indexes for the results dashboard

Revision ID: 0012
Revises: 0009
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
    for table, name in (("users", "user_role"), ("invitations", "invitation_role")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), sa.text(_roles(values)))


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


def downgrade() -> None:
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_column('dutch_lowered_with_helper')
        batch_op.drop_column('dutch_levels_before_helper')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_first_published_at'))
        batch_op.drop_column('first_published_at')
    op.execute("DELETE FROM users WHERE role = 'policy_officer'")
    op.execute("DELETE FROM invitations WHERE role = 'policy_officer'")
    _set_roles(OLD_ROLES)
