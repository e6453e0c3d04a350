"""security: server-side session version and municipality of users, throttle events

Revision ID: 0010
Revises: 0013
Create Date: 2026-12-01 08:10:00
"""
from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0010'
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy: SQLite's copy would lose the lower(email) expression index)
    op.add_column('users', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('municipality', sa.String(length=100), server_default='', nullable=False))
    op.create_table('throttle_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('at', portal.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_events'))
    )
    op.create_index('ix_throttle_events_bucket_key_at', 'throttle_events', ['bucket', 'key', 'at'], unique=False)
    op.create_index('ix_login_attempts_email_ip_at', 'login_attempts', ['email', 'ip_address', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_login_attempts_email_ip_at', table_name='login_attempts')
    op.drop_index('ix_throttle_events_bucket_key_at', table_name='throttle_events')
    op.drop_table('throttle_events')
    # ALTER TABLE ... DROP COLUMN: PostgreSQL, and SQLite 3.35 or newer
    op.execute("ALTER TABLE users DROP COLUMN municipality")
    op.execute("ALTER TABLE users DROP COLUMN session_version")
