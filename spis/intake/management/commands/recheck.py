import json

from django.core.management.base import BaseCommand, CommandError

from spis.intake import recheck
from spis.intake.mapping import MappingError
from spis.intake.messages import render

_KINDS = {
    recheck.COMMENT: "a list's comment published as the note of event {event}",
    recheck.CITATION: "a {due} row's source cited on {holder} at {level} (citation {citation})",
    recheck.OPENED: "a correction at {level} of a {due} event, with its values (event {event})",
    recheck.PERSON: "a person created {level} from {due} facts alone",
    recheck.NAME: "a name only {due} rows gave, at {level} (name {name})",
    recheck.FIELD: "the person's {field}, which only {due} rows gave, on a {level} person",
}


class Command(BaseCommand):
    help = (
        "Read the rows of earlier imports again by today's rules and list what they made more visible than an "
        "import today would: a list's comment published as an event's note, a restricted or sealed row's "
        "source cited in public (on the person, or on a fact the row repeated), a correction more open than the "
        "event it corrects, a person created public from restricted or sealed facts alone, a name or a field of a "
        "person (birth date, gender, region, occupation) that only rows stricter than the person gave. Prints what it finds "
        "(staff only: it shows the comments); with --fix, corrects each the way today's import writes it "
        "(nothing is deleted; each change audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, action="append", help="Only this batch (its number; may be repeated)."
        )
        parser.add_argument(
            "--mapping",
            help="The mapping the batches were imported with, when its file is no longer where it was.",
        )
        parser.add_argument("--fix", action="store_true", help="Correct what is found.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        try:
            findings, skipped = recheck.review(options["batch"], options["mapping"])
        except MappingError as exc:  # the file given with --mapping: said as `spis import` says it
            raise CommandError(str(exc)) from None
        done = recheck.mend("system:recheck", findings) if options["fix"] and findings else {}
        if options["json"]:
            out = {
                "findings": [f.as_dict() for f in findings],
                "skipped": [{"batch": s.batch, "message": render(s.message)} for s in skipped],
                "fixed": done,
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        for finding in findings:
            holder = "the person" if finding.event is None else f"event {finding.event}"
            what = _KINDS[finding.kind].format(
                **finding.as_dict()
                | {"event": finding.event, "holder": holder, "field": finding.field.replace("_", " ")}
            )
            text = finding.text if len(finding.text) <= 80 else finding.text[:79] + "…"
            self.stdout.write(f"batch {finding.batch}, line {finding.line}, {finding.person}: {what}: {text}")
        for skip in skipped:
            self.stdout.write(f"batch {skip.batch}: not read again: {render(skip.message)}")
        if not findings and skipped:
            self.stdout.write(
                f"nothing found in the batches read; {len(skipped)} not read again (see above): run again with "
                "--mapping for them"
            )
        elif not findings:
            self.stdout.write("nothing found: no import made public what an import today keeps hidden")
        elif done:
            self.stdout.write(
                f"fixed: events corrected {done['events_corrected']}, comments cited at their level "
                f"{done['comments_cited']}, citations made stricter {done['citations_restricted']}, corrections "
                f"made as strict as the event they correct {done['corrections_closed']}, people made as strict as "
                f"their facts {done['people_restricted']}, names made as strict as their rows {done['names_restricted']}, "
                f"fields taken off {done['fields_cleared']}"
            )
        else:
            self.stdout.write(f"{len(findings)} found; run with --fix to correct them")
