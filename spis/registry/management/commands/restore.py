import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spis.registry.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup FILE into the configured empty database; checks its checksum and the audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="A file written by `spis backup` (its .manifest.json must sit beside it)."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        try:
            result = restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"Restored {options['file']}; audit chain verified ({result['audit']['entries']} entries)."
            )
