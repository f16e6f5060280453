"""`spis outreach seed`: demo contacts (titles only, as the 2023 letter was addressed) and signatories."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from spis.outreach import actions


class Command(BaseCommand):
    help = "Outreach data: seed (demo contacts and signatories, marked synthetic; idempotent)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="Create the demo contacts and signatories.")
        seed.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        made = actions.seed_demo("system:outreach-seed")
        if options.get("json"):
            self.stdout.write(json.dumps(made))
        else:
            self.stdout.write(
                f"demo outreach data: {made['contacts']} contacts, {made['signatories']} signatories added"
            )
