"""`spis brief CAMPAIGN --template letter|brief|press …`: documents with live, cited figures; mail-merge."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from spis.outreach import render
from spis.outreach.figures import FigureError
from spis.outreach.models import Contact, Signatory
from spis.registry.dates import parse_iso_date


def find_contact(text: str) -> Contact:
    """A contact by id, or by a unique case-insensitive match on name or title."""
    if text.isdigit():
        contact = Contact.objects.filter(pk=int(text)).first()
        if contact is None:
            raise CommandError(f"--to {text}: no contact with id {text} (see /admin/outreach/contact/)")
        return contact
    matches = list(Contact.objects.filter(Q(name__iexact=text) | Q(title__iexact=text)))
    if not matches:
        matches = list(Contact.objects.filter(Q(name__icontains=text) | Q(title__icontains=text)))
    if len(matches) != 1:
        found = "; ".join(f"{c.pk}: {c}" for c in matches[:5]) or "none"
        raise CommandError(f"--to {text!r}: {len(matches)} contacts match ({found}); give the id")
    return matches[0]


class Command(BaseCommand):
    help = (
        "Render a letter, brief or press note for a campaign with live figures and their notes, as PDF, "
        "HTML or text. Several --to (or --to-all) make a mail-merge: one file per recipient into the "
        "directory -o, or with --one-pdf one PDF with one letter per recipient."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("campaign", help="Campaign slug (see `spis campaign list`).")
        parser.add_argument("--template", choices=render.KINDS, default="letter", help="Kind of document.")
        parser.add_argument(
            "--to", action="append", default=[], help="Contact id, name or title; repeatable."
        )
        parser.add_argument("--to-all", action="store_true", help="Every stored contact (mail-merge).")
        parser.add_argument(
            "--joint", action="store_true", help="One document addressed to all the --to contacts together."
        )
        parser.add_argument(
            "--lang", default=None, help="en, be or ru; default each contact's language, else en."
        )
        parser.add_argument(
            "--as-of", default=None, help="YYYY-MM-DD: the date the figures are for; default today."
        )
        parser.add_argument("--known-on", default=None, help="YYYY-MM-DD: only events recorded by then.")
        parser.add_argument(
            "--signatory", action="append", type=int, default=[], help="Signatory id; repeatable."
        )
        parser.add_argument("--format", choices=["pdf", "html", "txt"], default="pdf", help="Output format.")
        parser.add_argument(
            "--one-pdf", action="store_true", help="Mail-merge into one PDF, a letter per page."
        )
        parser.add_argument(
            "-o", "--output", required=True, help="Output file (or directory for a mail-merge)."
        )
        parser.add_argument("--json", action="store_true", help="Print what was written, with every figure.")

    def handle(self, *args: Any, **options: Any) -> None:
        from spis.campaigns.models import Campaign

        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            known = (
                ", ".join(Campaign.objects.values_list("slug", flat=True)) or "none; try `spis campaign seed`"
            )
            raise CommandError(f"campaign {options['campaign']!r}: not found (known: {known})")
        try:
            as_of = parse_iso_date(options["as_of"], "--as-of") if options["as_of"] else timezone.now().date()
            known_on = parse_iso_date(options["known_on"], "--known-on") if options["known_on"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if as_of > timezone.now().date():
            raise CommandError(f"--as-of {as_of.isoformat()}: in the future; figures exist up to today")
        contacts = (
            list(Contact.objects.order_by("pk"))
            if options["to_all"]
            else [find_contact(t) for t in options["to"]]
        )
        if options["to_all"] and not contacts:
            raise CommandError(
                "--to-all: no contacts stored (add some in /admin/ or run `spis outreach seed`)"
            )
        signatories = None
        if options["signatory"]:
            signatories = list(Signatory.objects.filter(pk__in=options["signatory"]))
            missing = set(options["signatory"]) - {s.pk for s in signatories}
            if missing:
                raise CommandError(
                    f"--signatory: no signatory with id {', '.join(map(str, sorted(missing)))}"
                )
        fmt, out = options["format"], Path(options["output"])
        if options["one_pdf"] and fmt != "pdf":
            raise CommandError("--one-pdf: only with --format pdf")
        merge = len(contacts) > 1 and not options["joint"]
        groups = [[c] for c in contacts] if merge else [contacts]
        started = time.perf_counter()
        cache: dict = {}
        documents = []
        for recipients in groups:
            lang = options["lang"] or (recipients[0].language if recipients else "en")
            try:
                documents.append(
                    render.render_document(
                        options["template"],
                        campaign,
                        lang=lang,
                        as_of=as_of,
                        known_on=known_on,
                        recipients=recipients,
                        signatories=signatories,
                        cache=cache,
                    )
                )
            except (render.DocumentError, FigureError) as exc:
                raise CommandError(str(exc)) from None
        written = self._write(documents, campaign.slug, fmt, out, merge, options["one_pdf"])
        report = {
            "campaign": campaign.slug,
            "template": options["template"],
            "as_of": as_of.isoformat(),
            "documents": len(documents),
            "files": [str(p) for p in written],
            "seconds": round(time.perf_counter() - started, 2),
            "figures": [n.as_dict() for n in documents[0].notes] if documents else [],
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{len(documents)} {options['template']}(s) as of {as_of.isoformat()} with "
                f"{len(report['figures'])} cited figures each: {', '.join(report['files'][:3])}"
                + (" …" if len(written) > 3 else "")
            )

    def _write(
        self, documents: list, slug: str, fmt: str, out: Path, merge: bool, one_pdf: bool
    ) -> list[Path]:
        if not merge or one_pdf:
            out.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "pdf":
                out.write_bytes(render.pdf_many(documents, combined=True)[0])
            else:
                out.write_bytes(render.output(documents[0], fmt))
            return [out]
        if out.exists() and not out.is_dir():
            raise CommandError(f"-o {out}: a mail-merge writes one file per recipient into a directory")
        out.mkdir(parents=True, exist_ok=True)
        payloads = (
            render.pdf_many(documents, combined=False)
            if fmt == "pdf"
            else [render.output(doc, fmt) for doc in documents]
        )
        paths = []
        for doc, payload in zip(documents, payloads, strict=True):
            path = out / f"{slug}-{doc.kind}-{doc.contact.pk:04d}-{doc.lang}.{fmt}"
            path.write_bytes(payload)
            paths.append(path)
        return paths
