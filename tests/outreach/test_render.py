"""Documents in every language, as HTML, text and PDF; the PDF's figures are the registry's answers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from spis.campaigns.compliance import compliance
from spis.outreach import render
from spis.registry import actions
from spis.registry.models import Facility
from spis.stats.counts import counts

from .conftest import AS_OF

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
NOTE = re.compile(r"\[(\d+)\]\s+(.+?)\s+—\s")


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _note_values(text: str) -> dict[int, str]:
    """Note number -> the value printed at the head of the note (the notes list, not the body)."""
    notes_part = text[text.rindex("[1]") :]
    return {int(n): value.replace("\u00a0", " ") for n, value in NOTE.findall(notes_part)}


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text.replace("\u2212", "-")) or 0)


def _screenshot(pdf: bytes, name: str) -> None:
    """Page images for people to look at (var/screenshots/); skipped without poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()  # a document that got shorter must not leave its old last page behind
    source = SCREENSHOTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        ["pdftoppm", "-r", "70", "-png", str(source), str(SCREENSHOTS / name)],
        check=True,  # noqa: S607
    )
    source.unlink()


@pytest.mark.parametrize("kind", render.KINDS)
def test_it_renders_every_kind_in_every_language(kind, campaign, contacts):
    for lang in ("en", "be", "ru"):
        assert lang in render.languages(kind)
        doc = render.render_document(kind, campaign, lang=lang, as_of=AS_OF, recipients=contacts)
        assert doc.notes, "a document without cited figures"
        assert 'class="notes"' in doc.html
        text = doc.text
        for note in doc.notes:
            assert f"[{note.number}]" in text
        assert "{%" not in doc.html and "{{" not in doc.html
        pdf = render.output(doc, "pdf")
        assert pdf.startswith(b"%PDF")
        _screenshot(pdf, f"outreach-{kind}-{lang}")


def test_it_prints_in_the_pdf_exactly_the_registry_figures(campaign, contacts):
    demand = campaign.demands.first()
    doc = render.render_document("letter", campaign, lang="en", as_of=AS_OF, recipients=contacts)
    values = _note_values(_pdf_text(render.output(doc, "pdf")))
    expected_counts = counts(AS_OF)
    expected_compliance = compliance(demand, AS_OF).as_dict()
    checked = 0
    for note in doc.notes:
        printed = values[note.number]
        if note.query.startswith("stats."):
            assert _number(printed) == expected_counts[note.query.split(".", 1)[1]], note.query
            checked += 1
        elif note.query.startswith("compliance."):
            field = note.query.split(".", 1)[1]
            want = expected_compliance[field]
            assert _number(printed) == (want["total"] if field == "released" else want), note.query
            checked += 1
        else:
            assert printed == note.text.replace("\u00a0", " ")
    assert checked >= 7


def test_it_changes_the_document_when_the_registry_changes(campaign, contacts, registry):
    before = render.render_document("letter", campaign, lang="ru", as_of=AS_OF, recipients=contacts)
    held_before = next(n for n in before.notes if n.query == "stats.recognized_in_custody")
    actions.record_event("test", registry["boris"], "released", "2025-05-01", release_kind="pardon")
    after = render.render_document("letter", campaign, lang="ru", as_of=AS_OF, recipients=contacts)
    held_after = next(n for n in after.notes if n.query == "stats.recognized_in_custody")
    released_after = next(n for n in after.notes if n.query == "stats.released_total")
    assert held_after.value == held_before.value - 1
    assert released_after.value == counts(AS_OF)["released_total"] == 2
    text = _pdf_text(render.output(after, "pdf"))
    assert _number(_note_values(text)[held_after.number]) == held_after.value


def test_the_seed_letter_goes_to_the_minister_and_the_ambassador_with_todays_figures(campaign, contacts):
    from django.utils import timezone

    today = timezone.now().date()
    doc = render.render_document("letter", campaign, lang="en", as_of=today, recipients=contacts)
    text = doc.text
    assert "Minister of Foreign Affairs of the People's Republic of China" in text
    assert "Ambassador Extraordinary and Plenipotentiary of the People's Republic of China to Belarus" in text
    assert "Your Excellencies" in text and "DEMONSTRATION" in text
    queries = {n.query for n in doc.notes}
    assert {"stats.recognized_in_custody", "compliance.still_held", "corridors.added_cost_usd"} <= queries
    held = next(n for n in doc.notes if n.query == "stats.recognized_in_custody")
    assert held.value == counts(today)["recognized_in_custody"]
    pdf = render.output(doc, "pdf")
    _screenshot(pdf, "outreach-seed-letter")
    assert "notes: where each figure comes from" in _pdf_text(pdf).lower()


def test_it_never_names_restricted_or_sealed_people_in_a_brief(campaign, registry):
    for lang in ("en", "be"):
        doc = render.render_document("brief", campaign, lang=lang, as_of=AS_OF)
        assert "Canary" not in doc.html
        assert registry["boris"].display_name in doc.html


def test_it_refuses_an_unknown_language_or_kind(campaign):
    with pytest.raises(render.DocumentError, match="exists in be, en, ru"):
        render.render_document("letter", campaign, lang="pl", as_of=AS_OF)
    with pytest.raises(render.DocumentError, match="expected one of"):
        render.render_document("memo", campaign, lang="en", as_of=AS_OF)


def test_a_mail_merge_pdf_has_one_letter_per_recipient(campaign, contacts):
    docs = [
        render.render_document("letter", campaign, lang="en", as_of=AS_OF, recipients=[c]) for c in contacts
    ]
    single = len(PdfReader(io.BytesIO(render.output(docs[0], "pdf"))).pages)
    (merged,) = render.pdf_many(docs * 3, combined=True)
    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == single * 6
    first_pages = [reader.pages[i].extract_text() for i in range(0, len(reader.pages), single)]
    assert sum("Minister of Foreign Affairs" in page for page in first_pages) == 3


def test_a_merge_stamps_each_address_on_the_shared_body_and_lays_out_long_ones_whole(campaign, contacts):
    from spis.outreach import actions as outreach_actions

    long_one = outreach_actions.create_contact(
        "test",
        "Chair of a very long committee",
        address="\n".join(f"Line {i} of the address" for i in range(25)),
    )
    recipients = [*contacts, long_one]
    docs = [
        render.render_document("letter", campaign, lang="en", as_of=AS_OF, recipients=[c]) for c in recipients
    ]
    (merged,) = render.pdf_many(docs, combined=True)
    reader = PdfReader(io.BytesIO(merged))
    texts = [page.extract_text() for page in reader.pages]
    held = next(n for n in docs[0].notes if n.query == "stats.recognized_in_custody")
    firsts = [t for t in texts if "Re: " in t]
    assert len(firsts) == 3
    for text, contact in zip(firsts, recipients, strict=True):
        assert contact.title in text.replace("\n", " ")
        assert f"{held.text}[{held.number}]" in text  # the body, drawn under the stamp
    assert "Line 24 of the address" in "\n".join(texts)
    assert sum("Minister of Foreign Affairs" in t for t in firsts) == 1


def test_a_brief_names_the_places_of_the_named_in_its_language(campaign, registry):
    Facility.objects.filter(name="Penal colony No. 1 (test)").update(
        name_be="Калонія № 1 (тэст)", name_ru="ИК-1 (тест)"
    )
    places = {"en": "Penal colony No. 1 (test)", "be": "Калонія № 1 (тэст)", "ru": "ИК-1 (тест)"}
    for lang, place in places.items():
        html = render.render_document("brief", campaign, lang=lang, as_of=AS_OF).html
        assert f"{registry['boris'].public_id}, {place}" in html, lang
