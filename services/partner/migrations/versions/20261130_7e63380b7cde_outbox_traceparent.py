"""outbox traceparent

Revision ID: 7e63380b7cde
Revises: 1ba62c90a2e0
Create Date: 2026-11-30 07:32:03.722132
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '7e63380b7cde'
down_revision: str | Sequence[str] | None = '1ba62c90a2e0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox', 'traceparent')
