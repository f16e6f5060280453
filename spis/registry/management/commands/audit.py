import json

from django.core.management.base import BaseCommand, CommandError

from spis.registry import audit


class Command(BaseCommand):
    help = "The audit log. `spis audit verify` recomputes the hash chain and names the first broken or missing entry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify: recompute the chain.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        result = audit.verify()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        elif result.ok:
            self.stdout.write(f"Audit chain intact: {result.entries} entries.")
        if not result.ok:
            raise CommandError(f"Audit chain broken at entry {result.first_bad_seq}: {result.reason}")
