"""Alembic environment of the catalog service; the logic is shared (stvos_shared.migrations.run_env)."""
from stvos_shared.migrations import run_env

run_env("catalog")
