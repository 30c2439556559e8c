"""Configuration is read only by Settings.from_env(), and shared code depends on no service where no linter sees it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from stvos_shared.entrypoints import BrokerSettings
from stvos_shared.migrations import DEFAULT_ADMIN_URL, MigrationSettings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*ROOT.glob("shared/src/stvos_shared/**/*.py"), *ROOT.glob("gateway/src/stvos_gateway/**/*.py"),
           *ROOT.glob("runner/src/stvos_runner/**/*.py"), *ROOT.glob("services/*/src/stvos_*/**/*.py")]
# The typed readers each service's Settings.from_env() is written with.
READERS = {("settings.py", "env_str"), ("settings.py", "env_int"), ("settings.py", "env_bool"),
           ("settings.py", "env_keks")}


def environment_reads(path: Path) -> list[tuple[int, str]]:
    """(line, enclosing function) of every os.environ / os.getenv in the module."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            found.append((node.lineno, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(path.read_text()), "<module>")
    return found


def test_the_environment_is_read_only_in_from_env():
    assert len(SOURCES) > 50
    outside = [f"{path.relative_to(ROOT)}:{line} in {function}" for path in SOURCES
               for line, function in environment_reads(path)
               if function != "from_env" and (path.name, function) not in READERS]
    assert not outside, "read it in a Settings.from_env():\n" + "\n".join(outside)


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, BrokerSettings("stvos.events", "")),
    ({"BROKER_EXCHANGE": "stack.events", "BROKER_QUEUE_PREFIX": "stack."}, BrokerSettings("stack.events", "stack.")),
])
def test_broker_names_come_from_the_environment(monkeypatch, environment, expected):
    for name in ("BROKER_EXCHANGE", "BROKER_QUEUE_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert BrokerSettings.from_env() == expected


def test_migration_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("STVOS_SERVICES_DIR", "/app/services")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/auth")
    monkeypatch.delenv("POSTGRES_URL", raising=False)
    assert MigrationSettings.from_env() == MigrationSettings("/app/services", "postgresql://db/auth", DEFAULT_ADMIN_URL)


def test_shared_and_the_gateway_import_no_module_by_a_name_built_at_run_time():
    """import-linter sees only import statements; a module imported by name would hide a dependency from it."""
    for path in [*ROOT.glob("shared/src/stvos_shared/**/*.py"), *ROOT.glob("gateway/src/stvos_gateway/**/*.py")]:
        calls = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
        names = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                 for node in calls}
        assert not names & {"import_module", "__import__"}, path.relative_to(ROOT)
