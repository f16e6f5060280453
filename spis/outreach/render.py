"""Render outreach documents (letter, brief, press note) to HTML, plain text and PDF.

A document is `templates/outreach/<kind>.<lang>.html`; adding a language means adding those files (and the
language's phrases in lang.py and figure descriptions in figures.py, which fall back to English). Before a
template is used, its source is checked for bare numbers: every number must come from `{% figure %}`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template

from spis.access.queries import as_seen
from spis.registry.models import Person

from . import lang as L
from .figures import FigureBook, FigureError, Note
from .models import Contact, Signatory
from .queries import held_and_recognised

KINDS = ("letter", "brief", "press")
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "outreach"
NAMED_LIMIT = 8
# The registry (and Viasna's series it follows) starts with the post-election crackdown of 2020.
CRACKDOWN_YEAR = "2020"
SERIES_SINCE = "2020-06-01"


def languages(kind: str = "letter") -> list[str]:
    """Languages a document kind exists in: one template file each."""
    return sorted(p.name.split(".")[1] for p in TEMPLATE_DIR.glob(f"{kind}.*.html"))


class DocumentError(ValueError):
    """A document that cannot be made as asked (unknown kind, language, bare number in a template)."""


# --------------------------------------------------------------------------------- bare-number check

_STRIP = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"&#?\w+;"),
]
_TRANSLATE = re.compile(r"\{%\s*(?:translate|trans)\s+(\"[^\"]*\"|'[^']*')")
_TAG = re.compile(r"\{%.*?%\}", re.S)
_INCLUDES = re.compile(r"\{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")


def bare_numbers(source: str) -> list[tuple[int, str]]:
    """(line, text) of every digit in the template's text outside tags, variables, markup and styles."""
    problems = []
    masked = source
    for pattern in _STRIP[:3]:
        masked = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
    # Text inside {% translate "…" %} is printed, so it is checked like body text.
    masked = _TRANSLATE.sub(lambda m: " " * (m.start(1) - m.start(0)) + m.group(1) + " ", masked)
    masked = _TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
    for pattern in _STRIP[3:]:
        masked = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
    for number, line in enumerate(masked.splitlines(), start=1):
        for match in re.finditer(r"\S*\d\S*", line):
            problems.append((number, match.group(0)))
    return problems


@lru_cache(maxsize=64)
def _checked(name: str, mtime: float) -> None:
    path = TEMPLATE_DIR.parent / name
    source = path.read_text(encoding="utf-8")
    found = bare_numbers(source)
    if found:
        line, text = found[0]
        raise FigureError(
            f"{name}, line {line}: bare number {text!r}; every number must come from {{% figure %}} with a note"
        )
    for included in _INCLUDES.findall(source):
        check_template(included)


def check_template(name: str) -> None:
    path = TEMPLATE_DIR.parent / name
    if not path.exists():
        raise DocumentError(f"template {name}: not found")
    _checked(name, path.stat().st_mtime)


# --------------------------------------------------------------------------------- documents


@dataclass
class Document:
    kind: str
    lang: str
    as_of: dt.date
    html: str
    notes: list[Note]
    contact: Contact | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return html_to_text(self.html)


def _letterhead(organisations: list[Any], lang: str) -> list[dict[str, str]]:
    """The signing organisations in Belarusian first and in the letter's language (English for be)."""
    heads = []
    for org in organisations:
        first = org.name_in("be")
        other = org.name if lang == "be" else org.name_in(lang)
        heads.append({"first": first, "second": other if other != first else ""})
    return heads


def _named_prisoners(campaign: Any, book: FigureBook, lang: str) -> list[dict[str, Any]]:
    """Public, named people still held: from the campaign's first demand if any, else the registry; places
    named in the document's language where the registry has it."""
    demand = campaign.demands.first() if campaign is not None else None
    if demand is not None:
        try:
            from spis.campaigns.compliance import compliance, with_local_facilities

            result = book.memo(
                f"named:{demand.pk}:{book.as_of}",
                lambda: compliance(demand, book.as_of, None, None, name_limit=NAMED_LIMIT).still_held_named,
            )
            if result:
                return with_local_facilities(list(result), lang)
        except (ImportError, ValueError):
            pass
    people = as_seen(None, list(held_and_recognised().order_by("detained_on", "public_id")[:NAMED_LIMIT]))
    return [
        {
            "public_id": p.public_id,
            "name": p.display_name,
            "facility": p.current_facility.name_in(lang) if p.current_facility else "",
        }
        for p in people
    ]


def _is_demo(campaign: Any, contact: Contact | None, signatories: list[Signatory]) -> bool:
    return bool(
        getattr(campaign, "is_synthetic", False)
        or (contact is not None and contact.is_synthetic)
        or any(s.is_synthetic for s in signatories)
        or Person.objects.filter(is_synthetic=True).exists()
    )


def context_for(
    kind: str,
    campaign: Any,
    *,
    lang: str,
    as_of: dt.date,
    contact: Contact | None = None,
    recipients: list[Contact] | None = None,
    signatories: list[Signatory] | None = None,
    known_on: dt.date | None = None,
    cache: dict | None = None,
) -> dict[str, Any]:
    recipients = list(recipients or ([contact] if contact is not None else []))
    contact = recipients[0] if recipients else None
    signatories = (
        list(Signatory.objects.select_related("organisation")) if signatories is None else signatories
    )
    organisations = []
    for org in [s.organisation for s in signatories if s.organisation_id] + (
        list(campaign.organisers.all()) if campaign is not None else []
    ):
        if org not in organisations:
            organisations.append(org)
    book = FigureBook(as_of, lang, known_on, cache)
    demands = list(campaign.demands.all()) if campaign is not None else []
    measures = list(campaign.measures.all()) if campaign is not None else []
    precedents = list(campaign.precedents.all()[:6]) if campaign is not None else []
    return {
        "figures": book,
        "kind": kind,
        "lang": lang,
        "as_of": as_of,
        "known_on": known_on,
        "campaign": campaign,
        "contact": contact,
        "recipients": recipients,
        "crackdown_year": CRACKDOWN_YEAR,
        "signatories": signatories,
        "letterhead": _letterhead(organisations, lang),
        "demands": demands,
        "measures": measures,
        "leverage": [m for m in measures if m.corridor_scenario],
        "precedents": precedents,
        "named": _named_prisoners(campaign, book, lang) if kind != "letter" else [],
        "demo": _is_demo(campaign, contact, signatories),
        "series_since": SERIES_SINCE,
    }


def render_document(kind: str, campaign: Any, *, lang: str, as_of: dt.date, **options: Any) -> Document:
    if kind not in KINDS:
        raise DocumentError(f"template {kind!r}: expected one of {', '.join(KINDS)}")
    name = f"outreach/{kind}.{lang}.html"
    if lang not in languages(kind):
        raise DocumentError(f"--lang {lang!r}: {kind} exists in {', '.join(languages(kind))}")
    check_template(name)
    context = context_for(kind, campaign, lang=lang, as_of=as_of, **options)
    try:
        html = get_template(name).render(context)
    except TemplateDoesNotExist as exc:
        raise DocumentError(f"template {exc}: not found") from None
    return Document(kind, lang, as_of, html, context["figures"].notes, context["contact"])


def render_string(source: str, *, lang: str, as_of: dt.date, **context: Any) -> str:
    """Render a template string with a figure book (tests and previews of ad-hoc text); checked like files."""
    found = bare_numbers(source)
    if found:
        line, text = found[0]
        raise FigureError(f"<string>, line {line}: bare number {text!r}; use {{% figure %}}")
    template = engines["django"].from_string("{% load outreach %}" + source)
    return template.render({"figures": FigureBook(as_of, lang), "lang": lang, **context})


# --------------------------------------------------------------------------------- text and PDF


class _TextParser(HTMLParser):
    BLOCKS = {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "li",
        "tr",
        "section",
        "header",
        "footer",
        "address",
        "figure",
    }

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"style", "svg", "title", "script"}:
            self.skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCKS:
            self.out.append("\n\n" if tag in {"p", "h1", "h2", "h3", "section"} else "\n")
            if tag == "li":
                self.out.append("  ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "svg", "title", "script"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    text = "".join(parser.out).replace(L.NBSP, " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def to_pdf(documents: list[Document]) -> bytes:
    """One PDF; each document starts on a new page (a mail-merge prints one letter per recipient)."""
    from weasyprint import HTML

    rendered = [HTML(string=doc.html, base_url=str(TEMPLATE_DIR)).render() for doc in documents]
    if not rendered:
        raise DocumentError("no documents to print")
    pages = [page for doc in rendered for page in doc.pages]
    return rendered[0].copy(pages).write_pdf()


_SLOT = re.compile(r'(<(address|p|div)\b[^>]*\bdata-slot="(\w+)"[^>]*>)(.*?)(</\2>)', re.S)
_STYLE = re.compile(r"<style>.*?</style>", re.S)
_PAGE_RULE = re.compile(r"@page\s*\{.*?\n\}", re.S)


def _base_html(html: str) -> str:
    """The document with its per-recipient slots (address window, salutation) emptied."""
    return _SLOT.sub(lambda m: m.group(1) + m.group(5), html)


def _slot_boxes(rendered: Any) -> dict[int, list[tuple[str, float, float, float, float]]]:
    """page index -> [(slot, x, y, width, height)] of the emptied slots in a laid-out base document."""
    found: dict[int, list] = {}
    for index, page in enumerate(rendered.pages):
        seen = set()
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            slot = element.get("data-slot") if element is not None else None
            if slot and type(box).__name__ == "BlockBox" and slot not in seen:
                seen.add(slot)
                found.setdefault(index, []).append(
                    (slot, box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height())
                )
    return found


def _stamps_html(base: str, documents: list[Document], boxes: dict[int, list]) -> tuple[str, list[tuple]]:
    """One page per (document, base page with slots), each slot's content placed where the base left room."""
    # The document's own @page rules (margins, running footers) would give every stamp page margin boxes.
    style = _PAGE_RULE.sub("", "".join(_STYLE.findall(base)))
    pages, order = [], []
    for number, doc in enumerate(documents):
        slots = {m.group(3): m.group(0) for m in _SLOT.finditer(doc.html)}
        for index, places in boxes.items():
            parts = [
                f'<div class="stamp" style="left: {x}px; top: {y}px; width: {w}px">'
                f"{slots.get(name, '')}</div>"
                for name, x, y, w, _h in places
            ]
            pages.append(f'<div class="stamp-page">{"".join(parts)}</div>')
            order.append((number, index))
    kind = documents[0].kind
    html = (
        f'<!doctype html><html><head><meta charset="utf-8">{style}<style>@page {{ size: A4; margin: 0 }} '
        "body { margin: 0 } .stamp { position: absolute } "
        ".stamp-page { position: relative; height: 297mm; page-break-after: always } "
        ".stamp [data-slot] { min-height: 0 !important }</style></head>"
        f'<body class="{kind}">{"".join(pages)}</body></html>'
    )
    return html, order


def _fits(stamps: Any, boxes: dict[int, list], order: list[tuple]) -> list[bool]:
    """Whether each stamp page's slots fit in the room the base left (else that document is laid out whole)."""
    fits = []
    for page, (_number, index) in zip(stamps.pages, order, strict=True):
        room = {name: h for name, _x, _y, _w, h in boxes[index]}
        used = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            slot = element.get("data-slot") if element is not None else None
            if slot and type(box).__name__ == "BlockBox" and slot not in used:
                used[slot] = box.border_height()
        fits.append(all(used.get(name, 0) <= height + 0.5 for name, height in room.items()))
    return fits


def _group_pdfs(documents: list[Document]) -> list[Any]:
    """PDF pages for documents that differ only in their slots: the body is laid out once, then stamped.

    A mail-merge letter differs from the next one only in its address window and salutation; laying out the
    body (and its notes) 200 times is what made a merge slow. Slots have a fixed room (a DIN 5008-style
    address window), so the body flows the same for every recipient.
    """
    from pypdf import PdfReader
    from weasyprint import HTML

    base = _base_html(documents[0].html)
    rendered = HTML(string=base, base_url=str(TEMPLATE_DIR)).render()
    base_reader = PdfReader(io.BytesIO(rendered.write_pdf()))
    boxes = _slot_boxes(rendered)
    if not boxes:
        return [list(base_reader.pages) for _ in documents]
    stamps_html, order = _stamps_html(base, documents, boxes)
    stamps = HTML(string=stamps_html, base_url=str(TEMPLATE_DIR)).render()
    stamp_reader = PdfReader(io.BytesIO(stamps.write_pdf()))
    fits = _fits(stamps, boxes, order)
    result: list[Any] = [None] * len(documents)
    for (number, index), stamp_page, ok in zip(order, stamp_reader.pages, fits, strict=True):
        if result[number] is False:
            continue
        if not ok:
            result[number] = False
            continue
        if result[number] is None:
            result[number] = {}
        result[number][index] = stamp_page
    pages_out = []
    for number, stamped in enumerate(result):
        if stamped is False:
            single = HTML(string=documents[number].html, base_url=str(TEMPLATE_DIR)).render()
            pages_out.append(list(PdfReader(io.BytesIO(single.write_pdf())).pages))
            continue
        pages_out.append([(page, (stamped or {}).get(i)) for i, page in enumerate(base_reader.pages)])
    return pages_out


def _as_form(writer: Any, page: Any) -> Any:
    """A base page as a Form XObject in the writer, drawn under each stamp without re-parsing its content."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    contents = page["/Contents"].get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(part.get_object().get_data() for part in parts))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(page.mediabox)
    form[NameObject("/Resources")] = page["/Resources"].get_object().clone(writer)
    return writer._add_object(form)


def _stamped(writer: Any, stamp: Any, form: Any) -> None:
    """Add the stamp page with the base form drawn first (in its own graphics state)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    added = writer.add_page(stamp)
    resources = added["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject("/SpisBase")] = form
    prefix = DecodedStreamObject()
    prefix.set_data(b"q /SpisBase Do Q\n")
    contents = added["/Contents"]
    existing = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    added[NameObject("/Contents")] = ArrayObject([writer._add_object(prefix), *existing])


def pdf_many(documents: list[Document], *, combined: bool) -> list[bytes]:
    """PDFs for a mail-merge: one per document, or one in all (`combined`), in the documents' order."""
    from pypdf import PdfWriter

    if not documents:
        raise DocumentError("no documents to print")
    groups: dict[str, list[int]] = {}
    for number, doc in enumerate(documents):
        groups.setdefault(_base_html(doc.html), []).append(number)
    pages: list[Any] = [None] * len(documents)
    for members in groups.values():
        for number, doc_pages in zip(members, _group_pdfs([documents[n] for n in members]), strict=True):
            pages[number] = doc_pages

    def add(writer: PdfWriter, doc_pages: list[Any], forms: dict[int, Any]) -> None:
        for item in doc_pages:
            page, stamp = item if isinstance(item, tuple) else (item, None)
            if stamp is None:
                writer.add_page(page)
            else:
                # The base page is shared by every document of its group: it becomes one form, drawn under
                # each document's stamp, so 200 letters do not parse or copy the body 200 times.
                if id(page) not in forms:
                    forms[id(page)] = _as_form(writer, page)
                _stamped(writer, stamp, forms[id(page)])

    outputs = []
    writer, forms = PdfWriter(), {}
    for doc_pages in pages:
        if not combined:
            writer, forms = PdfWriter(), {}
        add(writer, doc_pages, forms)
        if not combined:
            outputs.append(_write(writer))
    return [_write(writer)] if combined else outputs


def _write(writer: Any) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def output(document: Document, fmt: str) -> bytes:
    if fmt == "html":
        return document.html.encode("utf-8")
    if fmt == "txt":
        return document.text.encode("utf-8")
    if fmt == "pdf":
        return to_pdf([document])
    raise DocumentError(f"--format {fmt!r}: expected pdf, html or txt")
