"""shared credentials, trainer invitations and claims

Revision ID: 1ba62c90a2e0
Revises: 71e448dfc3ec
Create Date: 2026-11-30 06:05:26.676206
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '1ba62c90a2e0'
down_revision: str | Sequence[str] | None = '71e448dfc3ec'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Lockout moves from staff to login_failures (per account and address); refresh families name their subject,
    # and their tokens record when they were issued and by whom they were replaced (the shared credentials).
    op.create_table('login_failures',
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account', 'address', name=op.f('pk_login_failures'))
    )
    op.create_index(op.f('ix_login_failures_last_failed_at'), 'login_failures', ['last_failed_at'], unique=False)
    with op.batch_alter_table('partners') as batch:
        batch.add_column(sa.Column('trainer_registration', sa.String(length=16), server_default='open',
                                   nullable=False))
    with op.batch_alter_table('refresh_families') as batch:
        batch.drop_index(op.f('ix_refresh_families_staff_id'))
        batch.drop_constraint(op.f('fk_refresh_families_staff_id_staff'), type_='foreignkey')
        batch.alter_column('staff_id', new_column_name='subject_id', existing_type=sa.Integer(), existing_nullable=False)
        batch.add_column(sa.Column('revoked_reason', sa.String(length=32), nullable=True))
    with op.batch_alter_table('refresh_families') as batch:
        batch.create_index(op.f('ix_refresh_families_subject_id'), ['subject_id'], unique=False)
        batch.create_foreign_key(op.f('fk_refresh_families_subject_id_staff'), 'staff', ['subject_id'], ['id'],
                                 ondelete='CASCADE')
    with op.batch_alter_table('refresh_tokens') as batch:
        batch.alter_column('created_at', new_column_name='issued_at', existing_type=sa.DateTime(timezone=True),
                           existing_nullable=False)
        batch.add_column(sa.Column('replaced_by', sa.String(length=32), nullable=True))
        batch.drop_constraint(op.f('fk_refresh_tokens_family_id_refresh_families'), type_='foreignkey')
        batch.create_foreign_key(op.f('fk_refresh_tokens_family_id_refresh_families'), 'refresh_families',
                                 ['family_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')
    with op.batch_alter_table('trainer_accounts') as batch:
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('claimed_from', sa.String(length=64), nullable=True))
    with op.batch_alter_table('trainers') as batch:
        batch.add_column(sa.Column('invitation_expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trainers') as batch:
        batch.drop_column('invitation_expires_at')
    with op.batch_alter_table('trainer_accounts') as batch:
        batch.drop_column('claimed_from')
        batch.drop_column('claimed_at')
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('refresh_tokens') as batch:
        batch.drop_constraint(op.f('fk_refresh_tokens_family_id_refresh_families'), type_='foreignkey')
        batch.create_foreign_key(op.f('fk_refresh_tokens_family_id_refresh_families'), 'refresh_families',
                                 ['family_id'], ['id'])
        batch.drop_column('replaced_by')
        batch.alter_column('issued_at', new_column_name='created_at', existing_type=sa.DateTime(timezone=True),
                           existing_nullable=False)
    with op.batch_alter_table('refresh_families') as batch:
        batch.drop_constraint(op.f('fk_refresh_families_subject_id_staff'), type_='foreignkey')
        batch.drop_index(op.f('ix_refresh_families_subject_id'))
        batch.drop_column('revoked_reason')
        batch.alter_column('subject_id', new_column_name='staff_id', existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table('refresh_families') as batch:
        batch.create_index(op.f('ix_refresh_families_staff_id'), ['staff_id'], unique=False)
        batch.create_foreign_key(op.f('fk_refresh_families_staff_id_staff'), 'staff', ['staff_id'], ['id'])
    with op.batch_alter_table('partners') as batch:
        batch.drop_column('trainer_registration')
    op.drop_index(op.f('ix_login_failures_last_failed_at'), table_name='login_failures')
    op.drop_table('login_failures')
