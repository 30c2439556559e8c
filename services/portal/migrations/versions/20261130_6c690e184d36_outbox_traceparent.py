"""outbox traceparent

Revision ID: 6c690e184d36
Revises: c0f27be18805
Create Date: 2026-11-30 07:32:16.440878
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '6c690e184d36'
down_revision: str | Sequence[str] | None = 'c0f27be18805'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox', 'traceparent')
