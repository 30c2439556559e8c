"""Alembic environment of the partner service: its own metadata, the shared logic (stvos_shared.migrations.run_env)."""
from stvos_partner.adapters.orm import metadata
from stvos_shared.migrations import run_env

run_env(metadata)
