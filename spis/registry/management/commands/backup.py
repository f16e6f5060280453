import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spis.registry.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent snapshot of the database to FILE (safe while the site is serving), with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Backup file to create (never overwritten).")
        parser.add_argument("--json", action="store_true", help="Print the manifest as JSON.")

    def handle(self, *args, **options):
        try:
            manifest = backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(manifest))
        else:
            self.stdout.write(
                f"Backup written: {options['file']} ({manifest['bytes']:,} bytes, sha256 {manifest['sha256']})"
            )
