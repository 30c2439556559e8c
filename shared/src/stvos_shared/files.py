"""Files that hold secrets (databases, keys, credentials): created readable and writable by their owner only."""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: str | os.PathLike) -> Path:
    """`path` as a directory; what is missing of it (parents included) is created for its owner only."""
    path = Path(path)
    for directory in reversed([path, *path.parents]):
        if not directory.is_dir():
            directory.mkdir(mode=DIR_MODE, exist_ok=True)
            directory.chmod(DIR_MODE)  # mkdir's mode is filtered by the umask; privacy must not depend on it
    return path


def private_file(path: str | os.PathLike) -> Path:
    """`path` as a file only its owner may read or write: created empty if missing, tightened if it is ours."""
    path = Path(path)
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    info = path.stat()
    if stat.S_IMODE(info.st_mode) != FILE_MODE and info.st_uid == os.getuid():
        path.chmod(FILE_MODE)
    return path


def write_private(path: str | os.PathLike, text: str) -> Path:
    """Replace `path` with `text` atomically, as a file only its owner may read or write."""
    path = Path(path)
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
