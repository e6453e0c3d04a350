"""placements: placements with Dutch level per skill, other accepted languages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:10:00.000000
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0002'
down_revision = "0001"
branch_labels = None
depends_on = None

DUTCH_COLUMNS = ('dutch_listening', 'dutch_reading', 'dutch_spoken_interaction', 'dutch_spoken_production', 'dutch_writing')


def upgrade() -> None:
    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.Enum('werkervaringsplek', 'taalstage', 'proefplaatsing', 'betaalde_baan', 'vrijwilligerswerk', name='placement_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=64), nullable=False),
    sa.Column('street_address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('hours_per_week', sa.Integer(), nullable=False),
    sa.Column('dayparts', sa.JSON(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('duration_weeks', sa.Integer(), nullable=True),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('support', sa.JSON(), nullable=False),
    sa.Column('offers', sa.JSON(), nullable=False),
    sa.Column('pay_indication', sa.String(length=200), nullable=False),
    sa.Column('required_skills', sa.JSON(), nullable=False),
    sa.Column('nice_to_have_skills', sa.JSON(), nullable=False),
    *(sa.Column(column, sa.Integer(), nullable=False) for column in DUTCH_COLUMNS),
    sa.Column('allow_one_level_below_with_support', sa.Boolean(), nullable=False),
    sa.Column('language_tasks', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'paused', 'closed', name='placement_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status NOT IN ('published', 'paused') OR published_at IS NOT NULL", name=op.f('ck_placements_published_has_date')),
    sa.CheckConstraint('duration_weeks IS NULL OR (duration_weeks >= 1 AND duration_weeks <= 156)', name=op.f('ck_placements_duration_weeks_range')),
    *(sa.CheckConstraint(f'{column} >= 0 AND {column} <= 6', name=op.f(f'ck_placements_{column}_level')) for column in DUTCH_COLUMNS),
    sa.CheckConstraint('hours_per_week >= 1 AND hours_per_week <= 40', name=op.f('ck_placements_hours_per_week_range')),
    sa.CheckConstraint('length(tasks) <= 4000', name=op.f('ck_placements_tasks_length')),
    sa.CheckConstraint('length(title) >= 3 AND length(title) <= 150', name=op.f('ck_placements_title_length')),
    sa.CheckConstraint('places >= 1 AND places <= 99', name=op.f('ck_placements_places_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_placements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_placements_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_municipality'), ['municipality'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_sector'), ['sector'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_type'), ['type'], unique=False)

    op.create_table('placement_languages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint("language <> 'nl'", name=op.f('ck_placement_languages_not_dutch')),
    sa.CheckConstraint('level >= 1 AND level <= 6', name=op.f('ck_placement_languages_level_range')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_placement_languages_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_languages')),
    sa.UniqueConstraint('placement_id', 'language', name='uq_placement_languages_placement_language')
    )
    with op.batch_alter_table('placement_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_languages_placement_id'), ['placement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('placement_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_languages_placement_id'))
    op.drop_table('placement_languages')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placements_type'))
        batch_op.drop_index(batch_op.f('ix_placements_status'))
        batch_op.drop_index(batch_op.f('ix_placements_sector'))
        batch_op.drop_index(batch_op.f('ix_placements_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_placements_municipality'))
    op.drop_table('placements')
