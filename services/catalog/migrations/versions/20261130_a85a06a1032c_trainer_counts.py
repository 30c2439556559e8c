"""trainer counts: each tenant's active and inactive trainers, kept for the list's total

Revision ID: a85a06a1032c
Revises: 5c1e0a9d7b42
Create Date: 2026-11-30 13:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a85a06a1032c'
down_revision: str | Sequence[str] | None = '5c1e0a9d7b42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('trainer_counts',
    sa.Column('client_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('active', sa.Integer(), nullable=False),
    sa.Column('inactive', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_trainer_counts'))
    )
    op.execute("INSERT INTO trainer_counts (client_id, active, inactive) "
               "SELECT client_id, SUM(CASE WHEN active THEN 1 ELSE 0 END), SUM(CASE WHEN active THEN 0 ELSE 1 END) "
               "FROM trainers GROUP BY client_id")


def downgrade() -> None:
    op.drop_table('trainer_counts')
