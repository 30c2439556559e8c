"""subscriptions due index: the completion job finds active subscriptions by end date

Revision ID: 5e1c0d7a9b42
Revises: 97ca8e56eee1
Create Date: 2026-11-30 13:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5e1c0d7a9b42'
down_revision: str | Sequence[str] | None = '97ca8e56eee1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_programme_subscriptions_due', 'programme_subscriptions', ['end_date'], unique=False,
                    postgresql_where=sa.text("status = 'active'"), sqlite_where=sa.text("status = 'active'"))


def downgrade() -> None:
    op.drop_index('ix_programme_subscriptions_due', table_name='programme_subscriptions',
                  postgresql_where=sa.text("status = 'active'"), sqlite_where=sa.text("status = 'active'"))
