"""The public warehouse's store: the latest accepted version of every file it was built
from (warehouse/police_uk/store), so that any number of archives, months and forces add
up, and loading the same archive again changes nothing.

A file is known by its force, month and kind (data.police.uk) or its path (DfT). An
archive's file is new (no stored file of that force, month and kind), revised (stored,
with other bytes: data.police.uk re-publishes earlier months as outcomes arrive and crimes
are reclassified) or unchanged. The warehouse is built from the store with the archive's
new and revised files in place; the store takes them only once that warehouse is
published (`commit`), so a stopped run leaves it as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .archive import ArchiveFile, stored_path

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Stored:
    """A file of the store, as the manifest records it."""

    path: str  # in the store
    kind: str
    month: str | None
    force: str | None
    sha256: str
    rows: int
    archive: str  # the archive it came from, and its path there
    archive_path: str
    loaded_at: str
    only_force: str | None = None

    def file(self, root: Path) -> ArchiveFile:
        return ArchiveFile(
            path=self.path,
            kind=self.kind,
            month=self.month,
            force=self.force,
            folder_month=self.month,
            source=root,
            only_force=self.only_force,
        )


@dataclass
class Plan:
    """What an archive brings: its files by key, and which are new or revised."""

    incoming: dict[str, ArchiveFile] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # key -> sha256 of the incoming
    new: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[str]:
        return self.new + self.revised


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root
        path = root / MANIFEST
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.files: dict[str, Stored] = {
            key: Stored(**entry) for key, entry in raw.get("files", {}).items()
        }

    def plan(self, files: list[ArchiveFile]) -> Plan:
        plan = Plan()
        for file in files:
            key, digest = file.key, file.sha256()
            plan.incoming[key], plan.digests[key] = file, digest
            stored = self.files.get(key)
            if stored is None:
                plan.new.append(key)
            elif stored.sha256 != digest or stored.only_force != file.only_force:
                plan.revised.append(key)
            else:
                plan.unchanged.append(key)
        return plan

    def candidate(self, plan: Plan) -> list[ArchiveFile]:
        """The files the warehouse is built from: the store's, the new and revised ones
        from the archive."""
        changed = set(plan.changes)
        kept = [s.file(self.root) for k, s in self.files.items() if k not in changed]
        return kept + [plan.incoming[k] for k in plan.changes]

    def commit(self, plan: Plan, rows: dict[str, int]) -> None:
        """Take the new and revised files (after the warehouse built from them was
        published): each copied in, then the manifest replaced in one step."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for key in plan.changes:
            file = plan.incoming[key]
            target = self.root / stored_path(file)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(file.read())
            os.replace(temporary, target)
            self.files[key] = Stored(
                path=stored_path(file),
                kind=file.kind,
                month=file.month,
                force=file.force,
                sha256=plan.digests[key],
                rows=rows.get(file.path, 0),
                archive=str(file.source),
                archive_path=file.path,
                loaded_at=now,
                only_force=file.only_force,
            )
        self.root.mkdir(parents=True, exist_ok=True)
        payload = {"version": 1, "files": {k: asdict(v) for k, v in sorted(self.files.items())}}
        temporary = self.root / f".{MANIFEST}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.root / MANIFEST)

    def reset(self) -> None:
        """Forget every file (a new public warehouse from the next archive alone)."""
        if self.root.exists():
            shutil.rmtree(self.root)
        self.files = {}
