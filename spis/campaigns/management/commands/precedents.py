"""`spis precedents load | list`: the shipped precedents (data/precedents/precedents.csv) in the database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spis.campaigns.actions import PRECEDENTS_FILE, load_precedents
from spis.campaigns.precedents import precedent_rows


class Command(BaseCommand):
    help = "Precedents: load (idempotent, from data/precedents/precedents.csv) | list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Create or update one precedent per CSV row.")
        load.add_argument("--file", default=str(PRECEDENTS_FILE), help="CSV file; default the shipped one.")
        load.add_argument("--json", action="store_true", help="Print one JSON object.")
        listing = sub.add_parser("list", help="Every precedent, with its share of the Belarusian list.")
        listing.add_argument("--country", default="", help="Only this country.")
        listing.add_argument("--json", action="store_true", help="Print a JSON list.")

    def handle(self, *args, **options):
        if options["action"] == "load":
            path = Path(options["file"])
            if not path.exists():
                raise CommandError(f"--file {path}: no such file")
            try:
                result = load_precedents("system:precedents-load", path)
            except (ValueError, KeyError) as exc:
                raise CommandError(f"{path.name}: {exc}") from None
            if options["json"]:
                self.stdout.write(json.dumps(result))
            else:
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
            return
        rows = precedent_rows({"country": options["country"]} if options["country"] else {})
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            share = f"{row['share_of_list_pct']}%" if row["share_of_list_pct"] is not None else "–"
            self.stdout.write(
                f"{row['code']:<14} {row['date']:<10} {row['number']:>7} {share:>8}  {row['kind']}"
            )
