"""Alembic environment of the catalog service: its own metadata, the shared logic (stvos_shared.migrations.run_env)."""
from stvos_catalog.adapters.orm import metadata
from stvos_shared.migrations import run_env

run_env(metadata)
