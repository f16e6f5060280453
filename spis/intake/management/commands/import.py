import json
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError, no_translations

from spis.intake import importer
from spis.intake.batch_source import SourceError
from spis.intake.mapping import MappingError
from spis.intake.messages import render
from spis.intake.plan import MATCHED_BY_NAME
from spis.intake.readers import FORMATS


class Command(BaseCommand):
    help = (
        "Import a list of people (CSV, XLSX, JSON, JSON lines): match each row to a person or create one, "
        "add dated events citing the batch's source, report conflicts; all rows or none unless --partial."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--format", choices=FORMATS, help="File format (default: from the name).")
        parser.add_argument(
            "--mapping",
            help="Mapping YAML (a path, or a shipped name such as 'viasna'); default: built-in headers.",
        )
        parser.add_argument(
            "--source",
            default="",
            help="Title of the source to cite (default: the mapping's, else the file); without a link it is "
            "kept restricted, as it may name a person.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )
        parser.add_argument(
            "--partial", action="store_true", help="Keep the good rows when some have errors."
        )
        parser.add_argument(
            "--on-conflict",
            choices=["supersede", "keep"],
            default="supersede",
            help="A differing stored event: supersede it with a cited correction (default) or keep it.",
        )
        parser.add_argument(
            "--writer",
            choices=["auto", "actions", "bulk"],
            default="auto",
            help="Write path (auto: by size).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    # The summary and the JSON's messages are English, whatever language a caller of call_command has active.
    @no_translations
    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            # The system's reason (no such file, is a directory) is its own English, passed on as it is.
            self._refuse(f"{path}: {exc.strerror}", options["json"])
        err = sys.stderr
        tty = err.isatty()

        def report(stage: str, done: int, total: int) -> None:
            if stage == "started" and options["dry_run"]:
                err.write(f"intake: dry run: writing {total} rows to check them, then undoing it\n")
            elif stage == "started":
                # A line of its own, always: operators and the crash test watch for it.
                err.write(f"intake: batch {done} started writing {total} rows\n")
            elif tty and not options["json"]:
                width = 30
                filled = width * done // max(total, 1)
                err.write(f"\r{stage:8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                if done >= total:
                    err.write("\n")
            err.flush()

        try:
            result = importer.run_import(
                data,
                file_name=path.name,
                fmt=options["format"],
                mapping=options["mapping"],
                source_text=options["source"],
                dry_run=options["dry_run"],
                partial=options["partial"],
                actor="system:import",
                conflict_policy=options["on_conflict"],
                writer=options["writer"],
                report=report,
            )
        except (MappingError, SourceError) as exc:
            self._refuse(str(exc), options["json"])
        if options["json"]:
            out = result.as_dict()
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self.stdout.write(_summary(result, path.name))
        if result.status in ("failed", "dry-run-failed"):
            sys.exit(1)

    def _refuse(self, message: str, as_json: bool) -> NoReturn:
        """Stop before any row is read (the file, the mapping or the source cannot be used): exit status 1,
        and with --json the one JSON object a caller parses, as for a file that fails."""
        if not as_json:
            raise CommandError(message)
        failed = {"status": "failed", "errors": [{"line": 0, "message": message}], "batch": None, "rows": 0}
        self.stdout.write(json.dumps(failed, ensure_ascii=False))
        sys.exit(1)


# A note on more rows than this is said once, with its count.
_SAID_ONCE = 3


def _summary(result: importer.ImportResult, name: str) -> str:
    if result.already_imported:
        again = f"{name}: already imported as batch {result.already_imported}"
        lines = [
            f"Dry run (nothing written): {again}; importing it again would change nothing ({result.rows} rows)."
            if result.dry_run
            else f"{again}; nothing changed ({result.rows} rows)."
        ]
        return "\n".join(lines)
    head = "Dry run (nothing written)" if result.dry_run else f"Batch {result.batch_id}: {result.status}"
    lines = [
        f"{head}: {name}",
        f"  rows {result.rows}: created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged}, conflicts {result.conflicts}, errors {len(result.errors)}",
    ]
    if result.imported_before:
        lines.append(
            f"  {result.imported_before} rows imported from this file before were not read again (counted unchanged): "
            "only the rows it refused then were"
        )
    if result.ignored_columns:
        lines.append(f"  ignored columns: {', '.join(result.ignored_columns)}")
    lines += [f"  note: {render(message)}" for message in result.said]
    lines += _listed("error", result.errors)
    lines += [f"  conflict: line {row['line']}: {row['message']}" for row in result.conflict_rows()]
    # Rows matched by name are counted, not listed: a refreshed list says so on nearly every row.
    matched = sum(any(m.text == MATCHED_BY_NAME for m in plan.messages) for plan in result.plans)
    if matched:
        lines.append(
            f"  matched by name: {matched} rows (each with its score in --json and on the batch page)"
        )
    # A note a list gives on many rows ("listed as recognised, but no date …" on every row of Viasna's) is said
    # once with its count; the others row by row.
    notes = result.notes(leave_out=(MATCHED_BY_NAME,))
    repeated = Counter(note["message"] for note in notes)
    for message, count in repeated.items():
        if count > _SAID_ONCE:
            lines.append(f"  note on {count} rows: {message}")
    lines += _listed("note", [note for note in notes if repeated[note["message"]] <= _SAID_ONCE])
    if result.status == "failed" and not result.plans:
        lines.append("  Nothing was written: the file could not be read as a list (see above).")
    elif result.status == "failed":
        would = result.would_have or {}
        lines.append(
            "  Nothing was written (all or nothing; --partial keeps the good rows). The good rows would have: "
            + ", ".join(f"{k} {v}" for k, v in would.items())
        )
    return "\n".join(lines)


def _listed(kind: str, items: list[dict], limit: int = 50) -> list[str]:
    """Errors or notes, one line each: line, column and value where known, then the message."""
    lines = []
    for item in items[:limit]:
        where = f"line {item['line']}" + (f", column {item['column']!r}" if item.get("column") else "")
        value = f" ({item['value']!r})" if item.get("value") else ""
        lines.append(f"  {kind}: {where}{value}: {item['message']}")
    if len(items) > limit:
        lines.append(f"  … and {len(items) - limit} more {kind}s (use --json for all)")
    return lines
