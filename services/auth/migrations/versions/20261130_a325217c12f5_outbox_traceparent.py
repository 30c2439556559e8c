"""outbox traceparent

Revision ID: a325217c12f5
Revises: ab5e38dfae64
Create Date: 2026-11-30 07:31:44.189181
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a325217c12f5'
down_revision: str | Sequence[str] | None = 'ab5e38dfae64'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox', 'traceparent')
