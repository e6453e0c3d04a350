"""candidates: profiles, languages, skills, consent, interests

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:43:56.369776
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0003'
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('surname', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('gender', sa.Enum('female', 'male', 'other', name='candidate_gender', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('postcode_area', sa.String(length=4), nullable=False),
    sa.Column('mobility', sa.JSON(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('hours_per_week', sa.Integer(), nullable=True),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('inburgering_status', sa.Enum('not_started', 'b1_route', 'onderwijsroute', 'z_route', 'completed', 'exempt', name='inburgering_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('inburgering_exam_level', sa.Integer(), nullable=True),
    sa.Column('education_level', sa.Enum('none', 'primary', 'secondary', 'vocational', 'higher', 'university', name='education_level', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('education_country', sa.String(length=100), nullable=False),
    sa.Column('education_recognised', sa.Boolean(), nullable=True),
    sa.Column('ambitions', sa.Text(), nullable=False),
    sa.Column('support_needs', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('intake', 'ready', 'published', 'placed', 'paused', name='candidate_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('hours_per_week IS NULL OR (hours_per_week >= 0 AND hours_per_week <= 40)', name=op.f('ck_candidates_hours_per_week_range')),
    sa.CheckConstraint('inburgering_exam_level IS NULL OR (inburgering_exam_level >= 0 AND inburgering_exam_level <= 6)', name=op.f('ck_candidates_exam_level_range')),
    sa.CheckConstraint('length(postcode_area) = 4', name=op.f('ck_candidates_postcode_area_four_digits')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_candidates_owner_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates'))
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index('ix_candidates_identity', ['surname', 'date_of_birth'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_municipality'), ['municipality'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidates_status'), ['status'], unique=False)

    op.create_table('candidate_experiences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=64), nullable=True),
    sa.Column('occupation', sa.String(length=200), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.CheckConstraint('skill_code IS NOT NULL OR length(occupation) > 0', name=op.f('ck_candidate_experiences_has_occupation')),
    sa.CheckConstraint('years >= 0 AND years <= 60', name=op.f('ck_candidate_experiences_years_range')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_experiences_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_experiences'))
    )
    with op.batch_alter_table('candidate_experiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_experiences_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('candidate_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_interests_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_candidate_interests_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_candidate_interests_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_candidate_interests_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_interests'))
    )
    with op.batch_alter_table('candidate_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_interests_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_interests_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_interests_placement_id'), ['placement_id'], unique=False)
    # One interest per organisation + candidate + placement; "no placement" counts as one value
    # (autogenerate cannot see expression indexes).
    op.create_index('uq_candidate_interests_org_candidate_placement', 'candidate_interests',
                    ['organisation_id', 'candidate_id', sa.text('coalesce(placement_id, 0)')], unique=True)

    op.create_table('candidate_languages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=False),
    sa.Column('is_first_language', sa.Boolean(), nullable=False),
    sa.Column('listening', sa.Integer(), nullable=False),
    sa.Column('reading', sa.Integer(), nullable=False),
    sa.Column('spoken_interaction', sa.Integer(), nullable=False),
    sa.Column('spoken_production', sa.Integer(), nullable=False),
    sa.Column('writing', sa.Integer(), nullable=False),
    sa.CheckConstraint('listening >= 0 AND listening <= 6', name=op.f('ck_candidate_languages_listening_level_range')),
    sa.CheckConstraint('reading >= 0 AND reading <= 6', name=op.f('ck_candidate_languages_reading_level_range')),
    sa.CheckConstraint('spoken_interaction >= 0 AND spoken_interaction <= 6', name=op.f('ck_candidate_languages_spoken_interaction_level_range')),
    sa.CheckConstraint('spoken_production >= 0 AND spoken_production <= 6', name=op.f('ck_candidate_languages_spoken_production_level_range')),
    sa.CheckConstraint('writing >= 0 AND writing <= 6', name=op.f('ck_candidate_languages_writing_level_range')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_languages_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_languages')),
    sa.UniqueConstraint('candidate_id', 'language_code', name='uq_candidate_languages_candidate_language')
    )
    with op.batch_alter_table('candidate_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_languages_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_languages_language_code'), ['language_code'], unique=False)

    op.create_table('candidate_sector_interests',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('sector_code', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_sector_interests_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', 'sector_code', name=op.f('pk_candidate_sector_interests'))
    )
    with op.batch_alter_table('candidate_sector_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_sector_interests_sector_code'), ['sector_code'], unique=False)

    op.create_table('candidate_skills',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('skill_code', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_skills_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', 'skill_code', name=op.f('pk_candidate_skills'))
    )
    with op.batch_alter_table('candidate_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_skills_skill_code'), ['skill_code'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('text_version', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.Enum('all_approved_employers', 'selected_organisations', name='consent_scope', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('video_allowed', sa.Boolean(), nullable=False),
    sa.Column('expires_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('expires_at > recorded_at', name=op.f('ck_consents_expires_after_recording')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_consents_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consents_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_consents_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_candidate_valid', ['candidate_id', 'withdrawn_at', 'expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_ended_at'), ['ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_expires_at'), ['expires_at'], unique=False)

    op.create_table('consent_organisations',
    sa.Column('consent_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consent_id'], ['consents.id'], name=op.f('fk_consent_organisations_consent_id_consents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_consent_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consent_id', 'organisation_id', name=op.f('pk_consent_organisations'))
    )
    with op.batch_alter_table('consent_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_organisations_organisation_id'), ['organisation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('consent_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_organisations_organisation_id'))

    op.drop_table('consent_organisations')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_expires_at'))
        batch_op.drop_index(batch_op.f('ix_consents_ended_at'))
        batch_op.drop_index('ix_consents_candidate_valid')

    op.drop_table('consents')
    with op.batch_alter_table('candidate_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_skills_skill_code'))

    op.drop_table('candidate_skills')
    with op.batch_alter_table('candidate_sector_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_sector_interests_sector_code'))

    op.drop_table('candidate_sector_interests')
    with op.batch_alter_table('candidate_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_languages_language_code'))
        batch_op.drop_index(batch_op.f('ix_candidate_languages_candidate_id'))

    op.drop_table('candidate_languages')
    op.drop_index('uq_candidate_interests_org_candidate_placement', table_name='candidate_interests')
    with op.batch_alter_table('candidate_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_interests_placement_id'))
        batch_op.drop_index(batch_op.f('ix_candidate_interests_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_candidate_interests_candidate_id'))

    op.drop_table('candidate_interests')
    with op.batch_alter_table('candidate_experiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_experiences_candidate_id'))

    op.drop_table('candidate_experiences')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_status'))
        batch_op.drop_index(batch_op.f('ix_candidates_owner_id'))
        batch_op.drop_index(batch_op.f('ix_candidates_municipality'))
        batch_op.drop_index('ix_candidates_identity')

    op.drop_table('candidates')
