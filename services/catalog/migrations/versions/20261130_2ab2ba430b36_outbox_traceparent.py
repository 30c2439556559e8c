"""outbox traceparent

Revision ID: 2ab2ba430b36
Revises: 17fa6ccb8a07
Create Date: 2026-11-30 08:36:14.210839
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '2ab2ba430b36'
down_revision: str | Sequence[str] | None = '17fa6ccb8a07'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox', 'traceparent')
