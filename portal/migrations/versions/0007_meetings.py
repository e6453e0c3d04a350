"""meetings: availability series, slots, bookings

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 11:51:01.748424
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0007'
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting_availability_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=False),
    sa.Column('end_time', sa.String(length=5), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('first_date', sa.Date(), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('location_kind', sa.Enum('municipal_office', 'employer', 'video_call', name='meeting_location_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('account_manager_attends', sa.Boolean(), nullable=False),
    sa.Column('interpreter_attends', sa.Boolean(), nullable=False),
    sa.Column('interpreter_language', sa.String(length=16), nullable=False),
    sa.Column('auto_confirm', sa.Boolean(), nullable=False),
    sa.Column('cutoff_hours', sa.Integer(), nullable=False),
    sa.CheckConstraint('cutoff_hours >= 0', name=op.f('ck_meeting_availability_series_cutoff_not_negative')),
    sa.CheckConstraint('slot_minutes >= 10 AND slot_minutes <= 240', name=op.f('ck_meeting_availability_series_slot_minutes_range')),
    sa.CheckConstraint('weekday >= 0 AND weekday <= 6', name=op.f('ck_meeting_availability_series_weekday_range')),
    sa.CheckConstraint('weeks >= 1 AND weeks <= 26', name=op.f('ck_meeting_availability_series_weeks_range')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_meeting_availability_series_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_availability_series'))
    )
    with op.batch_alter_table('meeting_availability_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_availability_series_owner_id'), ['owner_id'], unique=False)

    op.create_table('meeting_series_candidates',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_meeting_series_candidates_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['meeting_availability_series.id'], name=op.f('fk_meeting_series_candidates_series_id_meeting_availability_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', 'candidate_id', name=op.f('pk_meeting_series_candidates'))
    )
    with op.batch_alter_table('meeting_series_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_candidates_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('meeting_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'withdrawn', name='meeting_slot_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('location_kind', sa.Enum('municipal_office', 'employer', 'video_call', name='meeting_location_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('account_manager_attends', sa.Boolean(), nullable=False),
    sa.Column('interpreter_attends', sa.Boolean(), nullable=False),
    sa.Column('interpreter_language', sa.String(length=16), nullable=False),
    sa.Column('auto_confirm', sa.Boolean(), nullable=False),
    sa.Column('cutoff_hours', sa.Integer(), nullable=False),
    sa.CheckConstraint("location_kind != 'video_call' OR video_url LIKE 'https://%'", name=op.f('ck_meeting_slots_video_url_https')),
    sa.CheckConstraint('cutoff_hours >= 0', name=op.f('ck_meeting_slots_cutoff_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_meeting_slots_ends_after_start')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_meeting_slots_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['meeting_availability_series.id'], name=op.f('fk_meeting_slots_series_id_meeting_availability_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_slots'))
    )
    with op.batch_alter_table('meeting_slots', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_slots_owner_start', ['owner_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_slots_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_slots_starts_at'), ['starts_at'], unique=False)

    op.create_table('meeting_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'confirmed', 'cancelled', name='meeting_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Enum('employer', 'account_manager', 'unavailable', name='meeting_cancel_reason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('ics_sequence', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('outcome_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ics_sequence >= 0', name=op.f('ck_meeting_bookings_ics_sequence_not_negative')),
    sa.CheckConstraint('length(note) <= 500', name=op.f('ck_meeting_bookings_note_length')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_meeting_bookings_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_meeting_bookings_cancelled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_meeting_bookings_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_meeting_bookings_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_meeting_bookings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], name=op.f('fk_meeting_bookings_outcome_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_meeting_bookings_placement_id_placements'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['meeting_slots.id'], name=op.f('fk_meeting_bookings_slot_id_meeting_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_bookings'))
    )
    with op.batch_alter_table('meeting_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_bookings_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_meeting_bookings_organisation_status', ['organisation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_bookings_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index('uq_meeting_bookings_active_slot', ['slot_id'], unique=True, sqlite_where=sa.text("status IN ('requested', 'confirmed')"), postgresql_where=sa.text("status IN ('requested', 'confirmed')"))

    op.create_table('meeting_slot_candidates',
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_meeting_slot_candidates_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['meeting_slots.id'], name=op.f('fk_meeting_slot_candidates_slot_id_meeting_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slot_id', 'candidate_id', name=op.f('pk_meeting_slot_candidates'))
    )
    with op.batch_alter_table('meeting_slot_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_slot_candidates_candidate_id'), ['candidate_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_slot_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_slot_candidates_candidate_id'))

    op.drop_table('meeting_slot_candidates')
    with op.batch_alter_table('meeting_bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_bookings_active_slot', sqlite_where=sa.text("status IN ('requested', 'confirmed')"), postgresql_where=sa.text("status IN ('requested', 'confirmed')"))
        batch_op.drop_index(batch_op.f('ix_meeting_bookings_slot_id'))
        batch_op.drop_index('ix_meeting_bookings_organisation_status')
        batch_op.drop_index(batch_op.f('ix_meeting_bookings_candidate_id'))

    op.drop_table('meeting_bookings')
    with op.batch_alter_table('meeting_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_slots_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_slots_series_id'))
        batch_op.drop_index('ix_meeting_slots_owner_start')

    op.drop_table('meeting_slots')
    with op.batch_alter_table('meeting_series_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_candidates_candidate_id'))

    op.drop_table('meeting_series_candidates')
    with op.batch_alter_table('meeting_availability_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_availability_series_owner_id'))

    op.drop_table('meeting_availability_series')
