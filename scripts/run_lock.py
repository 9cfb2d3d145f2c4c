"""One run at a time per warehouse: a lock file beside the published warehouse.

The lock file (`.<warehouse>.run-lock`, e.g. warehouse/.police.duckdb.run-lock) holds the
running process's pid, its start time and its command. Every writer takes it: a run, a
rebuild, a rollback (and, for the public warehouse, its runs and rollback). A second one
finds it, names the running one and leaves everything as it was (exit EX_TEMPFAIL, 75:
try again later; no alert, nothing touched). A lock whose process is gone (a run killed
with kill -9, a machine restarted) is stale: the next run says so and takes it over.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

BUSY_EXIT = 75  # EX_TEMPFAIL


@dataclass(frozen=True)
class Holder:
    pid: int
    started_at: str
    command: str
    boot_id: str = ""  # the machine's boot: a pid from before a restart is not running

    def describe(self) -> str:
        return f"pid {self.pid}, started {self.started_at} ({self.command})"


class Busy(Exception):
    def __init__(self, path: Path, holder: Holder) -> None:
        super().__init__(f"another run holds {path}: {holder.describe()}")
        self.path, self.holder = path, holder


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _running(holder: Holder) -> bool:
    if holder.boot_id and holder.boot_id != _boot_id():
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def lock_path(published: Path) -> Path:
    return published.parent / f".{published.name}.run-lock"


class RunLock:
    """`with RunLock(path):` holds the lock for the block; raises Busy if a running
    process holds it; takes over a stale one (self.stale is then its holder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stale: Holder | None = None

    def _read(self) -> Holder | None:
        try:
            return Holder(**json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):  # a lock cut short while written: nobody's
            return Holder(pid=-1, started_at="?", command="(unreadable lock file)")

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        me = Holder(
            pid=os.getpid(),
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            command=" ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            boot_id=_boot_id(),
        )
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o640)
            except FileExistsError:
                holder = self._read()
                if holder is None:
                    continue  # released meanwhile
                if holder.pid > 0 and _running(holder):
                    raise Busy(self.path, holder) from None
                self.stale = holder
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(me), handle)
            return self
        holder = self._read() or me
        raise Busy(self.path, holder)

    def __exit__(self, *exc: object) -> None:
        holder = self._read()
        if holder is not None and holder.pid == os.getpid():
            self.path.unlink(missing_ok=True)
