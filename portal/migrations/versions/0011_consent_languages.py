"""consent in the candidate's language: text language, hashed withdrawal code, withdrawal attempts;
captions tracks per language

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-01 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0011'
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_language', sa.String(length=16), server_default='nl', nullable=False))
        batch_op.add_column(sa.Column('withdrawal_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_code_issued_at', portal.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_consents_withdrawal_code_hash'), ['withdrawal_code_hash'])

    with op.batch_alter_table('media_objects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), server_default='', nullable=False))
        batch_op.drop_constraint('uq_media_objects_video_profile_role', type_='unique')
        batch_op.create_unique_constraint('uq_media_objects_video_profile_role_language', ['video_profile_id', 'role', 'language'])
    op.execute("UPDATE media_objects SET language = 'nl' WHERE role = 'captions'")

    op.create_table('consent_withdrawal_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('matched', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_withdrawal_attempts'))
    )
    with op.batch_alter_table('consent_withdrawal_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_consent_withdrawal_attempts_code_at', ['code_hash', 'at'], unique=False)
        batch_op.create_index('ix_consent_withdrawal_attempts_ip_at', ['ip_address', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consent_withdrawal_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_withdrawal_attempts_ip_at')
        batch_op.drop_index('ix_consent_withdrawal_attempts_code_at')
    op.drop_table('consent_withdrawal_attempts')

    # Only one captions track per video fits the old schema: keep the Dutch (or first) one.
    op.execute(
        "DELETE FROM media_objects WHERE role = 'captions' AND id NOT IN ("
        " SELECT MIN(m.id) FROM media_objects m WHERE m.role = 'captions' AND m.language = 'nl' GROUP BY m.video_profile_id)"
        " AND video_profile_id IN (SELECT video_profile_id FROM media_objects WHERE role = 'captions' AND language = 'nl')"
    )
    op.execute(
        "DELETE FROM media_objects WHERE role = 'captions' AND id NOT IN ("
        " SELECT MIN(m.id) FROM media_objects m WHERE m.role = 'captions' GROUP BY m.video_profile_id)"
    )
    with op.batch_alter_table('media_objects', schema=None) as batch_op:
        batch_op.drop_constraint('uq_media_objects_video_profile_role_language', type_='unique')
        batch_op.create_unique_constraint('uq_media_objects_video_profile_role', ['video_profile_id', 'role'])
        batch_op.drop_column('language')

    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_consents_withdrawal_code_hash'), type_='unique')
        batch_op.drop_column('withdrawal_code_issued_at')
        batch_op.drop_column('withdrawal_code_hash')
        batch_op.drop_column('text_language')
