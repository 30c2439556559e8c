"""signing keys sealed at rest

The column `private_pem` becomes `private_key_sealed`: the service now stores each private key sealed with its
key-encryption key (SIGNING_KEY_KEK). This migration cannot seal the keys already stored (a migration holds no
KEK, and should not), so it renames the column and leaves their values as they are: the service seals a
plaintext key the first time it reads it (stvos_shared.signing_keys), and `stvos admin rewrap-signing-keys
--service auth` seals every one at once; run it right after this migration to close the window.

Revision ID: 7f87d9009480
Revises: a325217c12f5
Create Date: 2026-11-30 10:05:00
"""
from collections.abc import Sequence

from alembic import op


revision: str = '7f87d9009480'
down_revision: str | Sequence[str] | None = 'a325217c12f5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The same statement on PostgreSQL and SQLite (3.25+), so no batch table rebuild.
    op.execute('ALTER TABLE signing_keys RENAME COLUMN private_pem TO private_key_sealed')


def downgrade() -> None:
    # Sealed values stay sealed: an older version cannot read them (downgrade only before any key was sealed).
    op.execute('ALTER TABLE signing_keys RENAME COLUMN private_key_sealed TO private_pem')
