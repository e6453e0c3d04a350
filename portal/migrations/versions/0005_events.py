"""events: meet-and-greets, registrations, schedules, company visits, candidate commitments, follow-ups

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 11:45:14.572643
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company_visit_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('max_group_size', sa.Integer(), nullable=False),
    sa.Column('meeting_point', sa.String(length=300), nullable=False),
    sa.Column('what_to_bring', sa.Text(), nullable=False),
    sa.Column('language_support', sa.JSON(), nullable=False),
    sa.Column('language_support_note', sa.String(length=300), nullable=False),
    sa.Column('cancel_cutoff_hours', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'cancelled', name='visit_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('cancelled_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cancel_cutoff_hours >= 0', name=op.f('ck_company_visit_slots_cutoff_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_company_visit_slots_ends_after_start')),
    sa.CheckConstraint('max_group_size >= 1 AND max_group_size <= 50', name=op.f('ck_company_visit_slots_group_size_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_company_visit_slots_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_company_visit_slots_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_visit_slots'))
    )
    with op.batch_alter_table('company_visit_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_visit_slots_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_visit_slots_starts_at'), ['starts_at'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('venue_name', sa.String(length=200), nullable=False),
    sa.Column('venue_address', sa.String(length=300), nullable=False),
    sa.Column('accessibility_notes', sa.Text(), nullable=False),
    sa.Column('transport_directions', sa.Text(), nullable=False),
    sa.Column('table_capacity', sa.Integer(), nullable=False),
    sa.Column('candidate_capacity', sa.Integer(), nullable=False),
    sa.Column('round_minutes', sa.Integer(), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('rounds_before_break', sa.Integer(), nullable=False),
    sa.Column('interpreter_languages', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'closed', 'cancelled', name='event_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('schedule_generated_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('schedule_announced_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('break_minutes >= 0', name=op.f('ck_events_break_minutes_not_negative')),
    sa.CheckConstraint('candidate_capacity >= 0', name=op.f('ck_events_candidate_capacity_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('round_minutes > 0', name=op.f('ck_events_round_minutes_positive')),
    sa.CheckConstraint('rounds_before_break >= 1', name=op.f('ck_events_rounds_before_break_positive')),
    sa.CheckConstraint('table_capacity >= 0', name=op.f('ck_events_table_capacity_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)

    op.create_table('candidate_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('event', 'visit', 'meeting', name='commitment_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('released_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_candidate_commitments_ends_after_start')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_commitments_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_commitments'))
    )
    with op.batch_alter_table('candidate_commitments', schema=None) as batch_op:
        batch_op.create_index('ix_candidate_commitments_candidate_active', ['candidate_id', 'active', 'starts_at'], unique=False)
        batch_op.create_index('ix_candidate_commitments_ref', ['kind', 'ref_id'], unique=False)

    op.create_table('company_visit_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'cancelled', name='visit_booking_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('interpreter_language', sa.String(length=16), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('ics_sequence', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('confirmed', 'cancelled')", name=op.f('ck_company_visit_bookings_no_waitlist')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_company_visit_bookings_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_company_visit_bookings_cancelled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_company_visit_bookings_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['company_visit_slots.id'], name=op.f('fk_company_visit_bookings_slot_id_company_visit_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_visit_bookings')),
    sa.UniqueConstraint('slot_id', 'candidate_id', name='uq_company_visit_bookings_slot_candidate')
    )
    with op.batch_alter_table('company_visit_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_visit_bookings_booked_by_id'), ['booked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_visit_bookings_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_company_visit_bookings_slot_status', ['slot_id', 'status'], unique=False)

    op.create_table('event_candidate_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'cancelled', name='candidate_registration_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('interpreter_language', sa.String(length=16), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ics_sequence', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('ics_sequence >= 0', name=op.f('ck_event_candidate_registrations_ics_sequence_not_negative')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_event_candidate_registrations_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_candidate_registrations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_event_candidate_registrations_registered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_candidate_registrations')),
    sa.UniqueConstraint('event_id', 'candidate_id', name='uq_event_candidate_registrations_event_candidate')
    )
    with op.batch_alter_table('event_candidate_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_candidate_registrations_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_event_candidate_registrations_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_candidate_registrations_registered_by_id'), ['registered_by_id'], unique=False)

    op.create_table('event_employer_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'cancelled', name='employer_registration_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('representatives', sa.Integer(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ics_sequence', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('ics_sequence >= 0', name=op.f('ck_event_employer_registrations_ics_sequence_not_negative')),
    sa.CheckConstraint('representatives >= 1 AND representatives <= 10', name=op.f('ck_event_employer_registrations_representatives_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_employer_registrations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_employer_registrations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_event_employer_registrations_registered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_employer_registrations')),
    sa.UniqueConstraint('event_id', 'organisation_id', name='uq_event_employer_registrations_event_organisation')
    )
    with op.batch_alter_table('event_employer_registrations', schema=None) as batch_op:
        batch_op.create_index('ix_event_employer_registrations_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_employer_registrations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.Enum('event_meeting', 'visit', 'meeting', name='follow_up_source_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source_ref', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('interested_placement', 'interested_taalstage', 'follow_up', 'not_now', 'no_show', name='follow_up_outcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('source_label', sa.String(length=300), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_follow_ups_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_follow_ups_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_follow_ups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_follow_ups_done_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_follow_ups_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('candidate_id', 'source_kind', 'source_ref', name='uq_follow_ups_candidate_source')
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_assigned_open', ['assigned_to_id', 'done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_candidate_wishes',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_candidate_wishes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_candidate_registrations.id'], name=op.f('fk_event_candidate_wishes_registration_id_event_candidate_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'organisation_id', name=op.f('pk_event_candidate_wishes'))
    )
    with op.batch_alter_table('event_candidate_wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_candidate_wishes_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_registration_placements',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_event_registration_placements_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_employer_registrations.id'], name=op.f('fk_event_registration_placements_registration_id_event_employer_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'placement_id', name=op.f('pk_event_registration_placements'))
    )
    with op.batch_alter_table('event_registration_placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_placements_placement_id'), ['placement_id'], unique=False)

    op.create_table('event_schedule_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('round_number', sa.Integer(), nullable=False),
    sa.Column('employer_registration_id', sa.Integer(), nullable=False),
    sa.Column('candidate_registration_id', sa.Integer(), nullable=False),
    sa.Column('interest', sa.Integer(), nullable=False),
    sa.Column('announced', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('round_number >= 0', name=op.f('ck_event_schedule_slots_round_not_negative')),
    sa.ForeignKeyConstraint(['candidate_registration_id'], ['event_candidate_registrations.id'], name=op.f('fk_event_schedule_slots_candidate_registration_id_event_candidate_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employer_registration_id'], ['event_employer_registrations.id'], name=op.f('fk_event_schedule_slots_employer_registration_id_event_employer_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_schedule_slots_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], name=op.f('fk_event_schedule_slots_outcome_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_schedule_slots')),
    sa.UniqueConstraint('employer_registration_id', 'candidate_registration_id', name='uq_event_schedule_slots_pair'),
    sa.UniqueConstraint('event_id', 'round_number', 'candidate_registration_id', name='uq_event_schedule_slots_candidate_round'),
    sa.UniqueConstraint('event_id', 'round_number', 'employer_registration_id', name='uq_event_schedule_slots_table_round')
    )
    with op.batch_alter_table('event_schedule_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_schedule_slots_candidate_registration_id'), ['candidate_registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_schedule_slots_employer_registration_id'), ['employer_registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_schedule_slots_event_id'), ['event_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('event_schedule_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_schedule_slots_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_schedule_slots_employer_registration_id'))
        batch_op.drop_index(batch_op.f('ix_event_schedule_slots_candidate_registration_id'))

    op.drop_table('event_schedule_slots')
    with op.batch_alter_table('event_registration_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_placements_placement_id'))

    op.drop_table('event_registration_placements')
    with op.batch_alter_table('event_candidate_wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_candidate_wishes_organisation_id'))

    op.drop_table('event_candidate_wishes')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_candidate_id'))
        batch_op.drop_index('ix_follow_ups_assigned_open')

    op.drop_table('follow_ups')
    with op.batch_alter_table('event_employer_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_employer_registrations_organisation_id'))
        batch_op.drop_index('ix_event_employer_registrations_event_status')

    op.drop_table('event_employer_registrations')
    with op.batch_alter_table('event_candidate_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_candidate_registrations_registered_by_id'))
        batch_op.drop_index('ix_event_candidate_registrations_event_status')
        batch_op.drop_index(batch_op.f('ix_event_candidate_registrations_candidate_id'))

    op.drop_table('event_candidate_registrations')
    with op.batch_alter_table('company_visit_bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_company_visit_bookings_slot_status')
        batch_op.drop_index(batch_op.f('ix_company_visit_bookings_candidate_id'))
        batch_op.drop_index(batch_op.f('ix_company_visit_bookings_booked_by_id'))

    op.drop_table('company_visit_bookings')
    with op.batch_alter_table('candidate_commitments', schema=None) as batch_op:
        batch_op.drop_index('ix_candidate_commitments_ref')
        batch_op.drop_index('ix_candidate_commitments_candidate_active')

    op.drop_table('candidate_commitments')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))

    op.drop_table('events')
    with op.batch_alter_table('company_visit_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_visit_slots_starts_at'))
        batch_op.drop_index(batch_op.f('ix_company_visit_slots_organisation_id'))

    op.drop_table('company_visit_slots')
