import json

from django.core.management.base import BaseCommand, CommandError

from spis.registry import demo
from spis.registry.models import Person


class Command(BaseCommand):
    help = (
        "Build the SYNTHETIC demo registry: invented persons with histories since 2020, calibrated so that "
        "recognised political prisoners in custody follow Viasna's series (scaled by persons / 5,000)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons", type=int, default=demo.DEFAULT_PERSONS, help="How many persons (5000)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same registry."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the registry has persons."
        )
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args, **options):
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write("The registry is not empty; demo data not loaded.")
            return
        try:
            result = demo.build(options["persons"], options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"Synthetic demo registry: {result['persons']} persons, {result['names']} names, "
                f"{result['events']} events (invented data, marked as such everywhere)."
            )
