"""`{% figure %}`, `{% figure_chart %}`, `{% figure_notes %}` and `|ldate`: the only way numbers enter documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join

from spis.outreach import lang as L
from spis.outreach.figures import FigureBook, FigureError

register = template.Library()


def _book(context: Any) -> FigureBook:
    book = context.get("figures")
    if not isinstance(book, FigureBook):
        raise FigureError("{% figure %} used outside an outreach document (no figure book in the context)")
    return book


@register.simple_tag(takes_context=True)
def figure(context: Any, name: str, **kwargs: Any) -> str:
    """The value of a named query at the document's date, followed by its note number."""
    note = _book(context).figure(name, **kwargs)
    return format_html(
        '<span class="fig" data-query="{}">{}</span><sup class="ref"><a href="#note-{}">[{}]</a></sup>',
        name,
        note.text,
        note.number,
        note.number,
    )


@register.simple_tag(takes_context=True)
def figure_chart(context: Any, name: str, since: str, title: str = "", label: str = "") -> str:
    """A daily time-series chart from `since` to the document's date, with a note like any figure's."""
    book = _book(context)
    note = book.figure(f"series.{name}", since=since)
    if note.unavailable or not note.value:
        return format_html(
            '<p class="chart-na">[{}: {}]</p>', L.phrase(book.lang, "not_available"), note.number
        )
    from spis.stats.charts import line_chart_svg

    def number(value: float) -> str:
        return L.format_number(value, book.lang, 0 if float(value).is_integer() else 1)

    # The chart's figures as the rest of the document writes them, its description in the document's
    # language where the interface has that language (else English).
    known = book.lang if book.lang in dict(settings.LANGUAGES) else "en"
    with translation.override(known):
        svg = line_chart_svg(
            note.value,
            [name],
            title=title,
            labels={name: label or title},
            width=760,
            height=220,
            number=number,
        )
    return format_html(
        '<figure class="chart">{}<figcaption>{} <sup class="ref"><a href="#note-{}">[{}]</a></sup></figcaption></figure>',
        _safe(svg),
        title,
        note.number,
        note.number,
    )


def _safe(markup: str) -> Any:
    from django.utils.safestring import mark_safe

    # The chart module escapes every label it puts in the SVG (stats/charts.py), so the markup is trusted.
    return mark_safe(markup)  # noqa: S308


@register.simple_tag(takes_context=True)
def figure_notes(context: Any) -> str:
    """The numbered notes of every figure printed so far, then the data and sources they rest on (A, B …).

    Documents put this last. Figures that share data and sources point at one lettered entry, so a letter
    quoting eleven registry counts does not repeat the same provenance eleven times.
    """
    book = _book(context)
    lang = book.lang
    provenance: dict[tuple, str] = {}
    items = []
    for note in book.notes:
        head = f"{note.text} — {note.description}, {L.phrase(lang, 'as_of', date=L.format_date(note.as_of, lang))}"
        parts = [head if head.endswith(".") else head + "."]
        if note.unavailable:
            parts.append(f"{L.phrase(lang, 'not_available')}: {note.unavailable}.")
        if note.data or note.sources:
            key = (note.data, tuple(note.sources))
            label = provenance.setdefault(key, chr(ord("A") + len(provenance)))
            parts.append(f"{L.phrase(lang, 'data')}: {label}.")
        if note.reproduce:
            parts.append(f"{L.phrase(lang, 'reproduce')}: {note.reproduce}")
        items.append((note.number, note.number, " ".join(parts)))
    sources = [
        (label, label, data, f" {L.phrase(lang, 'sources')}: {'; '.join(srcs)}." if srcs else "")
        for (data, srcs), label in provenance.items()
    ]
    return format_html(
        '<ol class="notes">{}</ol><ol class="notes provenance">{}</ol>',
        format_html_join("", '<li id="note-{}"><span class="n">[{}]</span> {}</li>', items),
        format_html_join("", '<li id="data-{}"><span class="n">{}.</span> {}.{}</li>', sources),
    )


@register.filter
def ldate(value: dt.date | None, lang: str) -> str:
    """A date written out in the document's language: 28 November 2026, 28 лістапада 2026 г."""
    return L.format_date(value, lang)


@register.filter
def orgname(org: Any, lang: str) -> str:
    """An organisation's name in the document's language when the registry has one."""
    if org is None:
        return ""
    return org.name_in(lang)
