"""shared credentials and trainer invitations

Revision ID: ab5e38dfae64
Revises: cdc615e203ab
Create Date: 2026-11-30 05:57:33.839981
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'ab5e38dfae64'
down_revision: str | Sequence[str] | None = 'cdc615e203ab'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Lockout moves from users to login_failures (per account and address); refresh families name their subject.
    op.create_table('login_failures',
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account', 'address', name=op.f('pk_login_failures'))
    )
    op.create_index(op.f('ix_login_failures_last_failed_at'), 'login_failures', ['last_failed_at'], unique=False)
    op.create_table('registration_policies',
    sa.Column('client_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('trainer_registration', sa.String(length=16), nullable=False),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_registration_policies'))
    )
    with op.batch_alter_table('refresh_families') as batch:
        batch.drop_index(op.f('ix_refresh_families_user_id'))
        batch.drop_constraint(op.f('fk_refresh_families_user_id_users'), type_='foreignkey')
        batch.alter_column('user_id', new_column_name='subject_id', existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table('refresh_families') as batch:
        batch.create_index(op.f('ix_refresh_families_subject_id'), ['subject_id'], unique=False)
        batch.create_foreign_key(op.f('fk_refresh_families_subject_id_users'), 'users', ['subject_id'], ['id'],
                                 ondelete='CASCADE')
    with op.batch_alter_table('refresh_tokens') as batch:
        batch.drop_constraint(op.f('fk_refresh_tokens_family_id_refresh_families'), type_='foreignkey')
        batch.create_foreign_key(op.f('fk_refresh_tokens_family_id_refresh_families'), 'refresh_families',
                                 ['family_id'], ['id'], ondelete='CASCADE')
        for column in ('client_id', 'user_id', 'expires_at', 'revoked_at'):
            batch.drop_column(column)
    with op.batch_alter_table('trainer_records') as batch:
        batch.add_column(sa.Column('invitation_sha256', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('invitation_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('invitation_issued_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('users') as batch:
        batch.drop_column('failed_logins')
        batch.drop_column('locked_until')


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('trainer_records') as batch:
        for column in ('invitation_issued_at', 'invitation_expires_at', 'invitation_sha256'):
            batch.drop_column(column)
    # Tokens issued under this revision have no copy of their family's tenant, user and end: the session ends.
    op.execute('DELETE FROM refresh_tokens')
    with op.batch_alter_table('refresh_tokens') as batch:
        batch.add_column(sa.Column('client_id', sa.Integer(), nullable=False))
        batch.add_column(sa.Column('user_id', sa.Integer(), nullable=False))
        batch.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False))
        batch.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint(op.f('fk_refresh_tokens_family_id_refresh_families'), type_='foreignkey')
        batch.create_foreign_key(op.f('fk_refresh_tokens_family_id_refresh_families'), 'refresh_families',
                                 ['family_id'], ['id'])
    with op.batch_alter_table('refresh_families') as batch:
        batch.drop_constraint(op.f('fk_refresh_families_subject_id_users'), type_='foreignkey')
        batch.drop_index(op.f('ix_refresh_families_subject_id'))
        batch.alter_column('subject_id', new_column_name='user_id', existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table('refresh_families') as batch:
        batch.create_index(op.f('ix_refresh_families_user_id'), ['user_id'], unique=False)
        batch.create_foreign_key(op.f('fk_refresh_families_user_id_users'), 'users', ['user_id'], ['id'])
    op.drop_table('registration_policies')
    op.drop_index(op.f('ix_login_failures_last_failed_at'), table_name='login_failures')
    op.drop_table('login_failures')
