"""outbox traceparent

Revision ID: 97ca8e56eee1
Revises: bd385a3232bb
Create Date: 2026-11-30 08:36:27.484002
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '97ca8e56eee1'
down_revision: str | Sequence[str] | None = 'bd385a3232bb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox', 'traceparent')
