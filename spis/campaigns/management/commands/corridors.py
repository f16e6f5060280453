"""`spis corridors …`: a thin wrapper; the command itself lives in the Django-free spis.corridors.cli."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spis.corridors import cli


class Command(BaseCommand):
    help = "Freight-corridor leverage model: run | list | sensitivity (see `spis corridors run --help`)."

    def run_from_argv(self, argv: list[str]) -> None:
        # Bypass Django's option parser so `spis corridors run --json` reads exactly as the plain CLI does.
        sys.exit(cli.main(argv[2:]))

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "args", nargs=argparse.REMAINDER, help="run | list | sensitivity and their options"
        )

    def handle(self, *args: str, **options: Any) -> None:
        status = cli.main(list(args), stdout=self.stdout, stderr=self.stderr)  # type: ignore[arg-type]
        if status:
            raise CommandError(f"spis corridors exited with status {status}", returncode=status)
