import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from spis.registry import ledger
from spis.registry.actions import rebuild_custody
from spis.registry.dates import parse_iso_date
from spis.stats.counts import counts


class Command(BaseCommand):
    help = "Counts as of a date (from custody spells) or as known on a date (replaying recorded events)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", default=None, help="YYYY-MM-DD; default today (UTC).")
        parser.add_argument("--known-on", default=None, help="YYYY-MM-DD: only events recorded by then.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Recompute the per-day count ledger from the custody spells and report any difference.",
        )
        parser.add_argument(
            "--repair",
            action="store_true",
            help="With --verify: re-derive every spell and the ledger from the events when they differ.",
        )

    def handle(self, *args, **options):
        if options["repair"] and not options["verify"]:
            raise CommandError("--repair: only with --verify (it repairs what the check finds)")
        if options["verify"]:
            self._verify(options["repair"])
            return
        try:
            as_of = parse_iso_date(options["as_of"], "--as-of") if options["as_of"] else timezone.now().date()
            known_on = parse_iso_date(options["known_on"], "--known-on") if options["known_on"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        result = counts(as_of, known_on)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        title = f"as of {result['as_of']}" + (
            f", as known on {result['known_on']}" if result["known_on"] else ""
        )
        rows = [
            ("in custody", result["in_custody"]),
            ("recognised political prisoners in custody", result["recognized_in_custody"]),
            ("recognised since 2020 (total)", result["recognized_total"]),
            ("released (total)", result["released_total"]),
            *((f"  released: {kind.replace('_', ' ')}", n) for kind, n in result["released_by_kind"].items()),
            ("died in custody", result["died_in_custody"]),
        ]
        width = max(len(label) for label, _ in rows)
        self.stdout.write(f"spis statistics {title}")
        for label, value in rows:
            self.stdout.write(f"  {label.ljust(width)}  {value:>8,}")

    def _verify(self, repair: bool) -> None:
        problems = ledger.verify()
        if problems and repair:
            with transaction.atomic():
                rebuild_custody()
                ledger.rebuild()
            self.stdout.write(f"repaired: {len(problems)} ledger rows differed; spells and ledger re-derived")
            problems = ledger.verify()
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(
                f"the count ledger differs from the spells on {len(problems)} day(s) and measure(s)"
            )
        self.stdout.write("count ledger: in step with the custody spells")
