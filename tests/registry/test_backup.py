"""Backups are consistent under concurrent writes and restore into a fresh database with a valid chain."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from spis.registry.backup import BackupError, backup, manifest_path

ROOT = Path(__file__).resolve().parents[2]


def spis(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin", "SPIS_LOGIN_THROTTLING": "0"}
    return subprocess.run(
        [sys.executable, "-m", "spis.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def file_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    assert spis(url, "migrate", "-v0").returncode == 0
    assert spis(url, "demo", "--persons", "60", "--seed", "2").returncode == 0
    return url, tmp_path


def dump(url: str) -> list:
    out = spis(
        url,
        "dumpdata",
        "registry.person",
        "registry.name",
        "registry.event",
        "registry.auditentry",
        "registry.custodyspell",
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_backup_then_restore_gives_the_same_data_and_a_valid_chain(file_db):
    url, tmp = file_db
    result = spis(url, "backup", str(tmp / "b.sqlite3"), "--json")
    assert result.returncode == 0, result.stderr
    fresh = f"sqlite:///{tmp / 'fresh.sqlite3'}"
    restored = spis(fresh, "restore", str(tmp / "b.sqlite3"), "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["audit"]["ok"]
    assert dump(url) == dump(fresh)


def test_restore_refuses_a_damaged_file_and_a_non_empty_database(file_db):
    url, tmp = file_db
    assert spis(url, "backup", str(tmp / "b.sqlite3")).returncode == 0
    refused = spis(url, "restore", str(tmp / "b.sqlite3"))
    assert refused.returncode != 0 and "not empty" in refused.stderr
    with (tmp / "b.sqlite3").open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage")
    damaged = spis(f"sqlite:///{tmp / 'x.sqlite3'}", "restore", str(tmp / "b.sqlite3"))
    assert damaged.returncode != 0 and "checksum" in damaged.stderr


WRITER = """
from spis.registry import actions
for i in range(400):
    actions.create_person("writer", f"Writer {i}")
    if i == 5:
        print("writing", flush=True)
"""


def test_a_backup_taken_under_concurrent_writes_is_consistent(file_db):
    url, tmp = file_db
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "spis.settings"}
    writer = subprocess.Popen(
        [sys.executable, "-c", "import django; django.setup()\n" + WRITER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        for i in range(3):
            made = spis(url, "backup", str(tmp / f"b{i}.sqlite3"), "--json")
            assert made.returncode == 0, made.stderr
    finally:
        writer.wait(timeout=300)
    assert writer.returncode == 0
    counts = []
    for i in range(3):
        path = tmp / f"b{i}.sqlite3"
        assert json.loads(manifest_path(path).read_text())["vendor"] == "sqlite"
        with sqlite3.connect(path) as snap:
            persons = snap.execute("SELECT COUNT(*) FROM registry_person").fetchone()[0]
            creates = snap.execute(
                "SELECT COUNT(*) FROM registry_auditentry WHERE action='create_person'"
            ).fetchone()[0]
            writer_names = snap.execute(
                "SELECT COUNT(*) FROM registry_name WHERE text LIKE 'Writer %'"
            ).fetchone()[0]
            writers = snap.execute(
                "SELECT COUNT(*) FROM registry_person WHERE display_name LIKE 'Writer %'"
            ).fetchone()[0]
        # Every person in the snapshot has its name and its audit entry: no half-written transaction.
        assert writer_names == writers and creates >= writers
        counts.append(persons)
    assert counts == sorted(counts) and counts[-1] > counts[0] - 1


@pytest.mark.django_db
def test_backup_never_overwrites(tmp_path):
    (tmp_path / "b.sqlite3").write_text("x")
    with pytest.raises(BackupError, match="exists"):
        backup(tmp_path / "b.sqlite3")
