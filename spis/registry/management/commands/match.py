"""`spis match`: compare two names, or a TSV file of pairs, with the project's name matcher (spis.names)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from spis.names import match
from spis.names.cli import format_result, run_pairs


class Command(BaseCommand):
    help = (
        "Compare two names in any script (Belarusian, Russian, Latin): prints a score in [0, 1] and whether they "
        "are the same person. With --pairs FILE (or - for stdin), reads TSV lines "
        "'name_a<TAB>name_b[<TAB>birth_a<TAB>birth_b]' and writes 'name_a<TAB>name_b<TAB>score<TAB>same(1|0)'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name_a", nargs="?", help="first name, e.g. 'Ціханоўскі Сяргей Леанідавіч'")
        parser.add_argument("name_b", nargs="?", help="second name, e.g. 'Sergei Tikhanovsky'")
        parser.add_argument("--birth-a", help="birth date of the first person: YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--birth-b", help="birth date of the second person: YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--pairs", metavar="FILE", help="TSV file of pairs to match, or - for stdin")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="with --pairs: number of processes (output stays in input order)",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pairs"]:
            self._pairs(options["pairs"], options["workers"])
            return
        if not options["name_a"] or not options["name_b"]:
            raise CommandError("give two names, or --pairs FILE")
        try:
            result = match(options["name_a"], options["name_b"], options["birth_a"], options["birth_b"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_result(result, options["json"]))

    def _pairs(self, path: str, workers: int) -> None:
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        out = sys.stdout
        if path == "-":
            errors = run_pairs(sys.stdin, out, sys.stderr, workers=workers)
        else:
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    errors = run_pairs(fh, out, sys.stderr, workers=workers)
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
        out.flush()
        if errors:
            raise CommandError(f"{errors} bad line(s); see messages above")
