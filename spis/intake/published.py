"""The open-data download, written once per version of what the public may see and served as a file.

Exporting the whole public registry costs about 0.13 ms a person (13 s at 100,000), and the download is a
public link anyone may call again and again. So each format is exported once per public version
(`public_version`: the newest moment a public change clock moved, spis/access/changes.py) and day into a
file under settings.OPEN_DATA_DIR, which every request and every worker process then serves. A person
sealed, a name restricted, an event corrected: a public clock moves at the next read, the next request
finds no file for it and exports again; nothing written before that is served after it. A write the public
cannot see moves no public clock and exports nothing: exporting again after every write made the download
take seconds right after a hidden one, which told anyone polling it when hidden writes happen (the ETag
already did not). The key holds the database's name and a digest of the code too (a release may change what
the public sees). Files of other versions are deleted when a new one is written, so what a sealed person
left in an old file does not stay on disk longer than the next download.

The file is written beside its final name and renamed into place (a reader never sees half of it; an
export that fails leaves nothing), under a per-format lock, so that ten visitors arriving together after a
change start one export, not ten.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from spis.access import changes
from spis.access.models import SeenChange
from spis.registry.generation import registry_version

from . import export


@functools.cache
def code_version() -> str:
    """A digest of the project's Python source, read once per process. The files outlive the workers that
    wrote them: a release that changes what the public may see (the policy) or how the export writes it must
    not serve a file written by the code before it."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def public_version() -> str:
    """The version of what the public may see: the newest moment the public change clock of someone it sees
    moved (their public record changed or appeared: spis.access.changes) and how many it sees (one withdrawn
    leaves the count), once the clocks are brought up to date.
    A write the public cannot see moves no public clock, so it does not export the file again, which would
    take seconds and tell anyone timing the download when it happened (bringing the clocks up to date after
    any write takes a tenth of a second at 20,000 people: docs/access.md). While the clocks cannot be brought
    up (a writer holds the database), the registry's version, which every write moves: a person sealed is
    never served from a file written before."""
    if not changes.refresh():
        return registry_version()
    # The newest clock of the people the public sees, and how many they are: a person deleted outright takes
    # their clock with them (the newest moves only if it was theirs), and one withdrawn leaves the count. Of
    # those the public sees alone (an emptied digest is one it does not: a partial index), so that deleting
    # someone it does not see, withdrawn long ago or never shown, changes neither: re-exporting would take
    # seconds and tell anyone timing the download that a hidden write happened.
    shown = SeenChange.objects.exclude(public_digest="")
    newest = shown.aggregate(newest=Max("public_changed_at"))["newest"]
    count = SeenChange.objects.count() - SeenChange.objects.filter(public_digest="").count()
    return f"public:{newest.isoformat() if newest else ''}:{count}"


def key(fmt: str) -> str:
    """What the public file of `fmt` depends on: the database, what the public may see of it, the day, the
    code, the format."""
    parts = (
        str(connection.settings_dict["NAME"]),
        public_version(),
        timezone.now().date().isoformat(),
        code_version(),
        fmt,
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_public_file(fmt: str) -> tuple[BinaryIO, str]:
    """Today's public export of `fmt` at the registry's current version, open for reading, and a digest of its
    content (the download's ETag); exported first if it is not there yet.

    The ETag is the content's, not the version's: a write the public cannot see (a restricted event, a sealed
    person's name) moves the version and so exports again, but the file comes out the same and a client
    holding it is still told it has not changed, so the ETag does not tell an outsider when hidden writes
    happen. The file is named `<version key>-<content digest>.<fmt>`.

    Returned open: another request may delete the file as stale a moment later (after a write moved the
    version), and an open file is still read whole. Files are only deleted under the lock, so one opened
    under it, or found before it, is never lost half-way."""
    if fmt not in export.FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(export.FORMATS)}")
    directory = Path(settings.OPEN_DATA_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    version = key(fmt)
    found = _found(directory, version, fmt)
    if found is not None:
        return found
    with _locked(directory / f"{fmt}.lock"):
        found = _found(directory, version, fmt)  # another request or process wrote it while this one waited
        if found is not None:
            return found
        # A part of this format left by a process killed half-way (no other is writing one: the lock).
        for leftover in directory.glob(f".{fmt}.*.part"):
            leftover.unlink(missing_ok=True)
        handle, part = tempfile.mkstemp(dir=directory, prefix=f".{fmt}.{version}.", suffix=".part")
        content = hashlib.sha256()
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in export.export_public(fmt):
                    content.update(chunk)
                    out.write(chunk)
            digest = content.hexdigest()[:32]
            path = directory / f"{version}-{digest}.{fmt}"
            os.replace(part, path)
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise
        opened = path.open("rb")
        for stale in directory.glob(f"*.{fmt}"):
            if stale != path:
                stale.unlink(missing_ok=True)
    return opened, digest


def _found(directory: Path, version: str, fmt: str) -> tuple[BinaryIO, str] | None:
    """The file of this version, open, and its content digest; None if there is none (or it was just deleted)."""
    for path in directory.glob(f"{version}-*.{fmt}"):
        with suppress(FileNotFoundError):
            return path.open("rb"), path.name.removesuffix(f".{fmt}").partition("-")[2]
    return None
