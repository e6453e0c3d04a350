"""video: video profiles of candidates and their stored media objects

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:30:00
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0006'
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('video_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('awaiting_upload', 'uploaded', 'processing', 'ready', 'failed', name='video_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('upload_content_type', sa.String(length=100), nullable=False),
    sa.Column('failure_code', sa.String(length=32), nullable=True),
    sa.Column('failure_message', sa.String(length=500), nullable=True),
    sa.Column('retryable', sa.Boolean(), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('processed_at', portal.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'failed') = (failure_code IS NOT NULL)", name=op.f('ck_video_profiles_failure_code_iff_failed')),
    sa.CheckConstraint('duration_seconds IS NULL OR duration_seconds >= 0', name=op.f('ck_video_profiles_duration_not_negative')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_video_profiles_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_profiles')),
    sa.UniqueConstraint('candidate_id', name='uq_video_profiles_candidate_id')
    )
    op.create_table('media_objects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_profile_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('original', 'video', 'poster', 'captions', name='media_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('backend', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=512), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('checksum_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_media_objects_size_not_negative')),
    sa.ForeignKeyConstraint(['video_profile_id'], ['video_profiles.id'], name=op.f('fk_media_objects_video_profile_id_video_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_objects')),
    sa.UniqueConstraint('backend', 'key', name='uq_media_objects_backend_key'),
    sa.UniqueConstraint('video_profile_id', 'role', name='uq_media_objects_video_profile_role')
    )
    with op.batch_alter_table('media_objects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_objects_video_profile_id'), ['video_profile_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('media_objects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_objects_video_profile_id'))
    op.drop_table('media_objects')
    op.drop_table('video_profiles')
