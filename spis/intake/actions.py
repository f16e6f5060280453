"""Every write the intake app makes of its own: batches, rows, facilities, organisations and cases met in a file,
public ids.

Registry facts (people, names, events, citations) are written through spis.registry.actions by the small
writer, or by the bulk writer with one audit entry per batch; see writers.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from spis.registry import audit
from spis.registry.bulk import bulk_insert
from spis.registry.models import Case, Facility, Organization, Person, PublicIdCounter

from .models import ImportBatch, ImportRow
from .records import OrganizationSpec

_KINDS = [
    ("sizo", re.compile(r"сизо|сізо|sizo|pre-trial", re.I)),
    ("ivs", re.compile(r"ивс|іус|ivs|цип|цiп|ціп|temporary", re.I)),
    ("open", re.compile(r"иуот|іуот|хими|хімі|open", re.I)),
    ("prison", re.compile(r"тюрьм|турм|prison", re.I)),
    ("colony", re.compile(r"\bик\b|ик-|ік-|\bік\b|колони|калоні|colony|ik-", re.I)),
    ("medical", re.compile(r"больниц|бальніц|hospital|medical|рнпц", re.I)),
]


def facility_kind(name: str) -> str:
    return next((kind for kind, pattern in _KINDS if pattern.search(name)), "other")


def facility_fields(name: str) -> dict[str, Any]:
    """A facility first met as a name in a file: filed under its script; kind guessed from the words."""
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in name)
    belarusian = cyrillic and any(ch in "іўІЎ" for ch in name)
    return {
        "name": name,
        "name_be": name if belarusian else "",
        "name_ru": name if cyrillic and not belarusian else "",
        "kind": facility_kind(name),
    }


@transaction.atomic
def create_facility(actor: Any, name: str) -> Facility:
    facility = Facility.objects.create(**facility_fields(name))
    audit.append(actor, "intake_create_facility", facility, None, {"name": name, "kind": facility.kind})
    return facility


@transaction.atomic
def create_organization(actor: Any, spec: OrganizationSpec) -> Organization:
    """An organisation first met in a file (the body that recognised a person, a court), as the file gives it."""
    fields = spec.model_fields()
    organisation = Organization.objects.create(**fields)
    audit.append(actor, "intake_create_organization", organisation, None, fields)
    return organisation


@transaction.atomic
def create_case(actor: Any, spec: dict[str, Any], court_id: int | None = None) -> Case:
    case = Case.objects.create(
        number=spec.get("number", ""),
        articles=list(spec.get("articles") or []),
        court_id=court_id,
        court_name=spec.get("court_name", ""),
        judge=spec.get("judge", ""),
        prosecutor=spec.get("prosecutor", ""),
    )
    audit.append(actor, "intake_create_case", case, None, {"number": case.number, "articles": case.articles})
    return case


def reserve_up_to(public_ids: Iterable[str]) -> None:
    """After adopting public ids from a file, never issue their numbers again: the counter is moved up to the
    highest."""
    prefix = settings.SPIS_PUBLIC_ID_PREFIX
    number = max(int(public_id.rsplit("-", 1)[1]) for public_id in public_ids)
    counter, _ = PublicIdCounter.objects.get_or_create(prefix=prefix)
    PublicIdCounter.objects.filter(pk=counter.pk).update(last=Greatest(F("last"), number))


@transaction.atomic
def keep_merged_ids(actor: Any, person_id: int, public_ids: tuple[str, ...]) -> None:
    """Keep the public ids of records once merged into a person (a staff export read back): each a record merged
    into them, with no names or events of its own (those are the person's in the export), at the person's
    level, so that the id still finds them (the site answers it with the person) and is never issued again."""
    person = Person.objects.get(pk=person_id)
    for public_id in public_ids:
        merged = Person.objects.create(
            public_id=public_id,
            display_name=person.display_name,
            confidentiality=person.confidentiality,
            is_synthetic=person.is_synthetic,
            merged_into=person,
        )
        audit.append(
            actor,
            "intake_keep_merged_id",
            merged,
            None,
            {"public_id": public_id, "merged_into": person.public_id},
        )
    # Its staff record changed (a change file without --public gives it again), as a merge moves it.
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    reserve_up_to(public_ids)


@transaction.atomic
def adopt_public_id(actor: Any, person: Person, public_id: str) -> None:
    """Give a just-created person the public id it had in an export (a restore); the issued id is retired."""
    before = person.public_id
    Person.objects.filter(pk=person.pk).update(public_id=public_id)
    person.public_id = public_id
    reserve_up_to([public_id])
    audit.append(actor, "intake_adopt_public_id", person, {"public_id": before}, {"public_id": public_id})


@transaction.atomic
def record_batch(
    actor: Any,
    *,
    file_name: str,
    checksum: str,
    fmt: str,
    mapping: str,
    status: str,
    partial: bool,
    counts: dict[str, Any],
    source: Any = None,
    user: Any = None,
    content: bytes | None = None,
    source_title: str = "",
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        file_name=file_name[:300],
        checksum=checksum,
        format=fmt,
        mapping=mapping,
        source=source,
        actor=audit.actor_label(actor),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        status=status,
        partial=partial,
        counts=counts,
        content=content,
        source_title=source_title[:500],
    )
    audit.append(
        actor, "intake_batch", batch, None, {"file": batch.file_name, "checksum": checksum, "status": status}
    )
    return batch


def claim_batch(user: Any, batch: ImportBatch) -> bool:
    """Move an upload from "uploaded" to "running" for the one confirmation that runs its import, noting who
    confirmed it and when. One conditional UPDATE: of two confirmations at once (two tabs, two editors) one updates
    the row and gets True, the other updates nothing and gets False (both ran the import: its rows twice).

    A claim abandoned by a killed import (ImportBatch.claimable) is taken over the same way: the import is one
    transaction, so the killed one wrote nothing; of two confirmations taking it over, one does."""
    with transaction.atomic():
        was = (
            ImportBatch.objects.filter(pk=batch.pk).values("status", "claimed_at", "confirmed_by_id").first()
        )
        now = timezone.now()
        taken = ImportBatch.objects.filter(ImportBatch.claimable(), pk=batch.pk).update(
            status=ImportBatch.Status.RUNNING, confirmed_by=user, claimed_at=now
        )
        if taken != 1:
            return False
        batch.status, batch.confirmed_by, batch.claimed_at = ImportBatch.Status.RUNNING, user, now
        before = None
        if was and was["status"] == ImportBatch.Status.RUNNING:
            # Taken over: the audit says whose claim was abandoned, and since when.
            before = {
                "status": "running",
                "claimed_at": was["claimed_at"].isoformat() if was["claimed_at"] else None,
                "confirmed_by": was["confirmed_by_id"],
            }
        audit.append(user, "intake_batch_confirm", batch, before, {"confirmed_by": audit.actor_label(user)})
    return True


@transaction.atomic
def release_batch(actor: Any, batch: ImportBatch) -> None:
    """Back to "uploaded" a claimed upload whose import wrote nothing (it failed before writing, or the same
    file was imported meanwhile), so it is not left "running" for ever. Only this confirmation's claim (its
    time): one that took it over as abandoned meanwhile keeps its own."""
    ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.RUNNING, claimed_at=batch.claimed_at
    ).update(status=ImportBatch.Status.UPLOADED, confirmed_by=None, claimed_at=None)
    batch.status, batch.confirmed_by, batch.claimed_at = ImportBatch.Status.UPLOADED, None, None
    audit.append(actor, "intake_batch_release", batch, {"status": "running"}, {"status": "uploaded"})


@transaction.atomic
def discard_batch(user: Any, batch: ImportBatch) -> bool:
    """Set aside an upload never imported (uploaded, or its import killed: ImportBatch.claimable) and delete its
    stored file, which nothing reads any more; its name, checksum and uploader stay, as provenance. One
    conditional UPDATE, as claim_batch: an upload confirmed meanwhile is not discarded (False)."""
    was = ImportBatch.objects.filter(pk=batch.pk).values_list("status", flat=True).first()
    done = ImportBatch.objects.filter(ImportBatch.claimable(), pk=batch.pk).update(
        status=ImportBatch.Status.DISCARDED, content=None, claimed_at=None
    )
    if done != 1:
        return False
    batch.status, batch.content, batch.claimed_at = ImportBatch.Status.DISCARDED, None, None
    audit.append(
        user, "intake_batch_discard", batch, {"status": was}, {"status": "discarded", "file": "deleted"}
    )
    return True


@transaction.atomic
def finish_batch(
    actor: Any, batch: ImportBatch, status: str, counts: dict[str, Any], source: Any = None
) -> None:
    """Store a batch's outcome. An upload's stored file goes with it (in the import's transaction): imported or
    failed, the batch is never confirmed again, and its rows keep every row's raw content as provenance."""
    before = {"status": batch.status}
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, counts=counts, source=source, content=None)
    batch.status, batch.counts, batch.source, batch.content = status, counts, source, None
    audit.append(actor, "intake_batch_finish", batch, before, {"status": status, **counts})


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def record_rows(batch: ImportBatch, rows: list[tuple]) -> None:
    """Rows as (line, raw, outcome, messages, external_id, person_id) tuples, written by registry.bulk.bulk_insert.

    Rows are provenance of the batch (audited with it); a 100,000-row file has as many, and model instances
    plus bulk_create's SQL building cost seconds that a plain insert does not.
    """
    if not rows:
        return
    columns = ("batch_id", "line", "raw", "outcome", "messages", "external_id", "person_id")
    # Cells as UTF-8 text, not ASCII escapes: a Cyrillic letter is 2 bytes instead of 6, and a 100,000-row
    # list's raw rows a third of the size on disk. JSONField reads either form the same.
    values = [
        (batch.pk, line, _json(raw), outcome, _json(messages), external_id, person_id)
        for line, raw, outcome, messages, external_id, person_id in rows
    ]
    bulk_insert(ImportRow, columns, values)
