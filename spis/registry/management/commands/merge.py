"""`spis merge A B`: record that A is a duplicate of B; `spis merge --undo A` takes it back."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from spis.registry import merge
from spis.registry.actions import canonical
from spis.registry.models import Person


def _person(public_id: str, what: str) -> Person:
    person = Person.objects.filter(public_id__iexact=(public_id or "").strip()).first()
    if person is None:
        raise CommandError(f"{what}: no record with public id {public_id!r}")
    return person


class Command(BaseCommand):
    help = (
        "Merge record A into record B (A becomes part of B's person; its public id keeps resolving to B, its "
        "names, events and citations stay and show under B). --undo A unlinks A again and restores both records "
        "exactly. Both are judgements: stored with who and when, in the audit log, and visible in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("duplicate", help="public id of the duplicate record, e.g. BY-000123")
        parser.add_argument("into", nargs="?", help="public id of the record it duplicates")
        parser.add_argument("--undo", action="store_true", help="unmerge the record given as DUPLICATE")
        parser.add_argument("--note", default="", help="why: stored with the judgement")
        parser.add_argument("--actor", default="system:merge", help="who, for the audit log (system:merge)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        duplicate = _person(options["duplicate"], "duplicate")
        try:
            if options["undo"]:
                if options["into"]:
                    raise CommandError("--undo takes one public id: the record to unmerge")
                target = canonical(duplicate)
                judgement = merge.unmerge(options["actor"], duplicate)
                result = {
                    "unmerged": duplicate.public_id,
                    "from": target.public_id,
                    "judgement": judgement.pk,
                }
                text = f"{duplicate.public_id} is no longer merged into {target.public_id}."
            else:
                if not options["into"]:
                    raise CommandError("give two public ids: spis merge DUPLICATE INTO (or --undo DUPLICATE)")
                into = _person(options["into"], "into")
                judgement = merge.merge(options["actor"], duplicate, into, note=options["note"])
                result = {
                    "merged": duplicate.public_id,
                    "into": canonical(into).public_id,
                    "judgement": judgement.pk,
                }
                text = f"{duplicate.public_id} merged into {canonical(into).public_id} (judgement {judgement.pk})."
        except merge.MergeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result) if options["json"] else text)
