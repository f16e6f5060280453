"""Consistent backups while the site is serving, and verified restores.

SQLite: the online backup API copies a consistent snapshot page by page while writers continue (WAL).
PostgreSQL: `pg_dump --format=custom` (one consistent transaction snapshot), restored with `pg_restore`.
Next to the backup FILE goes FILE.manifest.json with its SHA-256, the database vendor, row counts and the
head of the audit chain; `restore` refuses a file whose checksum differs, and verifies the audit chain after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import audit
from .models import AuditEntry, Event, Name, Person


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _db() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = _db()
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def backup(path: Path) -> dict[str, Any]:
    """Write a snapshot to `path` and its manifest; return the manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name (backups are never overwritten)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # The Django connection's raw sqlite3 handle: the snapshot sees one consistent state.
            connection.connection.backup(target)
        finally:
            target.close()
        with sqlite3.connect(path) as check:
            counts = _counts_sqlite(check)
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        command = ["pg_dump", "--format=custom", "--no-owner", "-f", str(path), *args, str(_db()["NAME"])]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        counts = None
    else:  # pragma: no cover - only the two supported databases
        raise BackupError(f"backups are not supported on {connection.vendor}")
    head = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
    manifest = {
        "file": path.name,
        "sha256": _sha256(path),
        "bytes": path.stat().st_size,
        "vendor": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "counts_in_snapshot": counts,
        "audit_head_at_start": head,
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _counts_sqlite(handle: sqlite3.Connection) -> dict[str, int]:
    tables = {"persons": Person, "names": Name, "events": Event, "audit_entries": AuditEntry}
    return {
        key: handle.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}").fetchone()[0]  # noqa: S608
        for key, model in tables.items()
    }


def restore(path: Path) -> dict[str, Any]:
    """Restore `path` into the configured, EMPTY database; verify checksum first and audit chain after."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"{path}: no such file")
    manifest_file = manifest_path(path)
    if not manifest_file.exists():
        raise BackupError(f"{manifest_file}: the manifest is missing; refusing to restore an unverified file")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if _sha256(path) != manifest.get("sha256"):
        raise BackupError(f"{path}: checksum differs from the manifest; the file is damaged or was changed")
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"{path} is a {manifest.get('vendor')} backup; this database is {connection.vendor}"
        )
    if _has_data():
        raise BackupError("the target database is not empty; restore only into a new, empty database")
    if connection.vendor == "sqlite":
        name = str(_db()["NAME"])
        connection.close()
        source = sqlite3.connect(path)
        target = sqlite3.connect(name)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        args, env = _pg_env()
        command = [
            "pg_restore",
            "--no-owner",
            "--clean",
            "--if-exists",
            "-d",
            str(_db()["NAME"]),
            *args,
            str(path),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    connection.close()
    verified = audit.verify()
    if not verified.ok:
        raise BackupError(f"restored, but the audit chain is broken: {verified.reason}")
    return {"restored": str(path), "audit": verified.as_dict(), "manifest": manifest}


def _has_data() -> bool:
    tables = connection.introspection.table_names()
    if Person._meta.db_table not in tables:
        return False
    return Person.objects.exists() or AuditEntry.objects.exists()


def which(tool: str) -> bool:
    return shutil.which(tool) is not None
