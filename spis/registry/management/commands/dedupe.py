"""`spis dedupe`: find likely duplicate records and put them in the review queue (Django admin)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from spis.registry import dedupe


class Command(BaseCommand):
    help = (
        "Find pairs of records that may be one person written in different scripts or spellings "
        "(Калеснікава / Колесникова / Kalesnikava), score them with the name matcher and birth dates, and store "
        "them as open entries in the review queue (admin: Registry > Duplicate candidates). Pairs already judged "
        "are left alone; clusters judged different are not paired again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="store and show only the N best pairs")
        parser.add_argument("--dry-run", action="store_true", help="find and show pairs without storing them")
        parser.add_argument("--json", action="store_true", help="print the report and pairs as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError(f"--limit: {limit} is not a positive number")
        report = dedupe.run("system:dedupe", save=not options["dry_run"], limit=limit)
        data = report.as_dict(limit)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            f"{data['persons']} records in {data['clusters']} clusters, {data['pairs_compared']} pairs compared: "
            f"{data['candidates']} candidates ({data['likely_same']} likely the same person); "
            f"{data['stored_new']} new and {data['stored_updated']} re-scored in the review queue."
        )
        if data["oversized_blocks_skipped"]:
            self.stdout.write(
                f"{data['oversized_blocks_skipped']} blocks too common to compare were skipped."
            )
        for pair in data["pairs"][:50]:
            self.stdout.write(
                f"{pair['score']:.2f}  {pair['left']} {pair['left_name']}  ~  {pair['right']} {pair['right_name']}"
                f"  ({pair['explanation']})"
            )
