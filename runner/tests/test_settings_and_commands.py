"""The stvos command reads its environment once, into settings, and finds each command in one table."""
from __future__ import annotations

import argparse
from pathlib import Path

from stvos_runner.cli import parser
from stvos_runner.commands import COMMANDS, database_overrides
from stvos_runner.settings import RunnerSettings


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STVOS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("STVOS_HOST", "0.0.0.0")
    monkeypatch.setenv("STVOS_PORT", "9999")
    monkeypatch.setenv("STVOS_ROUTES", str(tmp_path / "routes.toml"))
    monkeypatch.setenv("STVOS_BOOKING_DATABASE_URL", "postgresql+psycopg://u@h/booking")
    monkeypatch.setenv("STVOS_AUTH_DATABASE_URL", "")
    settings = RunnerSettings.from_env()
    assert (settings.var_dir, settings.host, settings.port) == (str(tmp_path), "0.0.0.0", 9999)
    assert settings.routes == tmp_path / "routes.toml"
    assert settings.database_urls == {"booking": "postgresql+psycopg://u@h/booking"}


def test_the_command_line_defaults_are_the_settings():
    args = parser(RunnerSettings(var_dir="elsewhere", host="::1", port=1234)).parse_args(["run"])
    assert (args.var_dir, args.host, args.port) == ("elsewhere", "::1", 1234)


def test_every_admin_command_is_an_entry_of_the_table_and_nothing_else_is():
    root = parser(RunnerSettings())
    commands = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction)).choices
    admin = next(a for a in commands["admin"]._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(admin) == set(COMMANDS)


def test_the_environment_wins_over_stack_env_which_fills_in_the_rest(tmp_path: Path):
    (tmp_path / "stack.env").write_text("# written by make stack\nSTVOS_AUTH_DATABASE_URL=postgresql://stack/auth\n"
                                        "STVOS_PARTNER_DATABASE_URL=postgresql://stack/partner\nSTVOS_OTHER=x\n")
    found = database_overrides(str(tmp_path), {"auth": "postgresql://env/auth"})
    assert found == {"auth": "postgresql://env/auth", "partner": "postgresql://stack/partner"}
    assert database_overrides(str(tmp_path / "none"), {}) == {}
