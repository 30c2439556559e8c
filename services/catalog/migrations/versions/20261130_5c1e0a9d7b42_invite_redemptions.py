"""invite redemptions: the uses of invite codes registrations reserve, confirm or release

Revision ID: 5c1e0a9d7b42
Revises: 2ab2ba430b36
Create Date: 2026-11-30 13:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5c1e0a9d7b42'
down_revision: str | Sequence[str] | None = '2ab2ba430b36'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('invite_redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('invite_code_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invite_code_id'], ['invite_codes.id'],
                            name=op.f('fk_invite_redemptions_invite_code_id_invite_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_redemptions'))
    )
    op.create_index(op.f('ix_invite_redemptions_client_id'), 'invite_redemptions', ['client_id'], unique=False)
    op.create_index(op.f('ix_invite_redemptions_invite_code_id'), 'invite_redemptions', ['invite_code_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_invite_redemptions_invite_code_id'), table_name='invite_redemptions')
    op.drop_index(op.f('ix_invite_redemptions_client_id'), table_name='invite_redemptions')
    op.drop_table('invite_redemptions')
