"""Databases and credential files are their owner's only, whatever the umask."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, Table
from stvos_shared.db import Database, new_metadata
from stvos_shared.files import private_dir, private_file, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask():
    """The most permissive umask: nothing here may rely on the caller's umask to keep files private."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_a_sqlite_database_its_journal_and_a_new_directory_are_readable_by_their_owner_only(tmp_path):
    metadata = new_metadata()
    Table("things", metadata, Column("id", Integer, primary_key=True))
    db = Database(f"sqlite:///{tmp_path}/var/nested/app.db", metadata)
    db.create_all()
    with db.unit_of_work() as session:
        session.execute(metadata.tables["things"].insert().values(id=1))
    modes = {path.name: mode(path) for path in (tmp_path / "var" / "nested").iterdir()}
    db.dispose()
    assert set(modes) >= {"app.db", "app.db-wal", "app.db-shm"}
    assert modes == dict.fromkeys(modes, 0o600)
    assert mode(tmp_path / "var") == mode(tmp_path / "var" / "nested") == 0o700


def test_an_existing_world_readable_database_file_is_tightened(tmp_path):
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    Database(f"sqlite:///{path}", new_metadata()).ping()
    assert mode(path) == 0o600


def test_write_private_replaces_the_content_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "var" / "demo.json"
    write_private(target, "first")
    target.chmod(0o644)
    write_private(target, "second")
    assert (target.read_text(), mode(target)) == ("second", 0o600)
    assert [path.name for path in target.parent.iterdir()] == ["demo.json"]


def test_an_existing_directory_is_left_as_it_is(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    private_dir(shared)
    private_file(shared / "secret")
    assert (mode(shared), mode(shared / "secret")) == (0o755, 0o600)
