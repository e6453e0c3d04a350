"""consent covering index: the employer visibility rule's consent check answered from the index alone

The gallery counts the candidates an organisation may see: for every published candidate, is there
a consent that is not withdrawn, not superseded, recorded and not expired, with a scope that covers
the organisation. The old index (candidate_id, withdrawn_at, expires_at) found the consent rows but
had to read each row for superseded_at, recorded_at and scope; this one holds all of them.

Revision ID: 0018
Revises: 0017
"""
from alembic import op


revision = '0018'
down_revision = "0017"
branch_labels = None
depends_on = None

NEW = ["candidate_id", "withdrawn_at", "superseded_at", "expires_at", "recorded_at", "scope"]
OLD = ["candidate_id", "withdrawn_at", "expires_at"]


def upgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_candidate_valid')
        batch_op.create_index('ix_consents_candidate_valid', NEW, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_candidate_valid')
        batch_op.create_index('ix_consents_candidate_valid', OLD, unique=False)
