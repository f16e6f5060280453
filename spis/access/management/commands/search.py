"""`spis search QUERY`: find people by name in any script, with the same function as the site and the API."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from spis.access.queries import search
from spis.registry.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Search people by name in any script or spelling (Ціханоўскі, Тихановский, Tsikhanouski, Tikhanovsky "
        "all find the same people). Searches as the anonymous public sees the registry unless --as-staff."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="", help="a name or part of one, or a public id")
        parser.add_argument("--limit", type=int, default=20, help="at most this many people (1-500; 20)")
        parser.add_argument(
            "--as-staff",
            action="store_true",
            help="search everything, including restricted and sealed records",
        )
        parser.add_argument(
            "--rebuild-index", action="store_true", help="re-create and refill the trigram index, then exit"
        )
        parser.add_argument(
            "--json", action="store_true", help="print a JSON list of {public_id, name, score, ...}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild_index"]:
            rebuild_index()
            self.stdout.write("Search index rebuilt.")
            return
        if not 1 <= options["limit"] <= 500:
            raise CommandError(f"--limit: {options['limit']} is out of range; give 1 to 500")
        if not options["query"].strip():
            raise CommandError("query: give a name to search for, e.g. spis search Tikhanovsky")
        # An unsaved superuser: the policy grants it every level without touching the users table.
        user = get_user_model()(username="system:search", is_superuser=True) if options["as_staff"] else None
        hits = search(user, options["query"], options["limit"])
        rows = [
            {
                "public_id": h.person.public_id,
                "name": h.name,
                "display_name": h.person.display_name,
                "score": h.score,
                "status": h.person.status,
            }
            for h in hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if not rows:
            self.stdout.write("No matches.")
        for row in rows:
            self.stdout.write(
                f"{row['public_id']}  {row['score']:.2f}  {row['name']}  ({row['display_name']})"
            )
