import json
import os
import secrets
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spis.intake import export
from spis.registry.dates import parse_iso_date


class Command(BaseCommand):
    help = (
        "Export the registry as CSV (one row per event), JSON (one object per person) or FollowTheMoney "
        "entities (JSON lines, with --public only: FtM has no confidentiality levels). --public exports only "
        "what an anonymous visitor may see."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=export.FORMATS, default="json", help="Output format (json).")
        parser.add_argument("--public", action="store_true", help="Apply the public visibility policy.")
        parser.add_argument(
            "--changed-since",
            help="Only people changed or with events recorded since YYYY-MM-DD (with --public: people whose "
            "public record changed since then, and after them those withdrawn from the public since then, "
            "made restricted or sealed or merged, which a mirror must take down: JSON objects and CSV rows "
            'with withdrawn_at, FtM lines {"op": "DEL"}).',
        )
        parser.add_argument("-o", "--output", default="-", help="Output file ('-': standard output).")
        parser.add_argument("--json", action="store_true", help="Print a JSON summary (with -o FILE).")

    def handle(self, *args, **options):
        if options["format"] == "ftm" and not options["public"]:
            raise CommandError(export.STAFF_FTM)
        since = None
        if options["changed_since"]:
            try:
                since = parse_iso_date(options["changed_since"], "--changed-since")
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        chunks = export.export(options["format"], public=options["public"], changed_since=since)
        written = 0
        if options["output"] == "-":
            try:
                for chunk in chunks:
                    sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
            except BrokenPipeError:
                # `spis export | head`: the reader has what it wanted.
                sys.stderr.close()
            return
        path = Path(options["output"])
        # Written beside the target and renamed into place: an export that fails half-way leaves no half file
        # under the name a reader (or a timer's upload) expects. A part of its own (another export to the same
        # file, run at the same time, writes another), made by this run alone (O_EXCL). A staff export holds
        # every sealed person, name and consent note: readable by its owner alone from its first byte, whatever
        # the umask and the mode of a file it replaces (the rename takes the new file's). A public export takes
        # the umask's mode, as any file written.
        part = path.with_name(f".{path.name}.{secrets.token_hex(8)}.part")
        mode = 0o666 if options["public"] else 0o600
        try:
            with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    written += len(chunk)
            part.replace(path)
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        finally:
            part.unlink(missing_ok=True)
        summary = {
            "file": str(path),
            "format": options["format"],
            "public": options["public"],
            "bytes": written,
        }
        self.stdout.write(json.dumps(summary) if options["json"] else f"Wrote {written} bytes to {path}.")
