"""The processes `make stack` starts, each recorded in a pid file so that stopping ends only those.

A record holds the pid and the process's start time from /proc: a pid the kernel has since given to
another program does not match and is left alone. Each process leads its own session (and so its own
process group), which `stop` signals whole: gunicorn's workers go with their master.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); None if gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


@dataclass(frozen=True)
class Record:
    name: str
    pid: int
    started: str
    command: list[str]

    @property
    def alive(self) -> bool:
        return start_time(self.pid) == self.started

    def exit_status(self) -> int | None:
        """The exit status if this process is our child and has ended (None: running, or not ours to reap)."""
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status) if pid else None


class Processes:
    """Spawn, list and stop the stack's processes; pid files in `state_dir`, logs in `state_dir`/logs."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.logs = state_dir / "logs"
        # Held so that subprocess never reaps a child on its own (it does for Popen objects it collected):
        # a process that ended, such as a consumer of a service that listens to nothing, keeps its exit status.
        self._children: list[subprocess.Popen] = []

    def spawn(self, name: str, command: list[str], env: dict[str, str], cwd: Path) -> Record:
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL,  # noqa: S603
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._children.append(process)
        record = Record(name, process.pid, start_time(process.pid) or "", command)
        (self.state_dir / f"{name}.pid").write_text(json.dumps(record.__dict__) + "\n")
        return record

    def records(self) -> list[Record]:
        found = []
        for path in sorted(self.state_dir.glob("*.pid")):
            try:
                found.append(Record(**json.loads(path.read_text())))
            except (ValueError, TypeError):
                continue
        return found

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self, timeout: float = 20.0) -> list[str]:
        """SIGTERM every live recorded process group, SIGKILL what is left after `timeout`; forget them all."""
        records = self.records()
        live = [record for record in records if record.alive]
        for record in live:
            _signal_group(record.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while any(record.alive for record in live) and time.monotonic() < deadline:
            for record in live:
                record.exit_status()
            time.sleep(0.1)
        for record in live:
            if record.alive:
                _signal_group(record.pid, signal.SIGKILL)
        for record in records:
            (self.state_dir / f"{record.name}.pid").unlink(missing_ok=True)
        return [record.name for record in live]


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)
