"""directory version: trainer_counts.version moves with every change the trainer list shows

Revision ID: 3f7c2d1e9a60
Revises: a85a06a1032c
Create Date: 2026-12-01 00:50:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '3f7c2d1e9a60'
down_revision: str | Sequence[str] | None = 'a85a06a1032c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('trainer_counts', sa.Column('version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    op.drop_column('trainer_counts', 'version')
