"""Every figure comes from a named query with a note; bare numbers and undescribed queries do not render."""

from __future__ import annotations

import pytest

from spis.outreach import lang as L
from spis.outreach import render
from spis.outreach.figures import QUERIES, FigureBook, FigureError, Query
from spis.stats.counts import counts

from .conftest import AS_OF


def test_it_computes_stats_figures_from_the_registry_with_a_note(registry):
    book = FigureBook(AS_OF, "en")
    note = book.figure("stats.recognized_in_custody")
    expected = counts(AS_OF)["recognized_in_custody"]
    assert note.value == expected == 6  # the four public, the restricted and the sealed person
    assert note.number == 1
    assert "as of" not in note.description and note.as_of == AS_OF
    assert "spis stats --as-of 2025-06-01 --json" in note.reproduce
    assert "registry" in note.data


def test_the_note_names_no_source_cited_only_on_a_hidden_person_nor_dates_a_hidden_write(registry):
    """A document goes out: its note on the registry's sources and last record reads what the public may see."""
    import datetime as dt

    from django.utils import timezone

    from spis.registry import actions
    from spis.registry.models import Event

    source = actions.create_source(
        "t", "A page (test)", url="https://example.org/p", publisher_name="ZZFAMILY"
    )
    for key in ("sealed", "restricted"):
        actions.record_event("t", registry[key], "charged", "2021-01-05", sources=[source])
    later = timezone.now() + dt.timedelta(days=400)
    Event.objects.filter(person__in=[registry["sealed"], registry["restricted"]]).update(recorded_at=later)
    note = FigureBook(AS_OF, "en").figure("stats.recognized_in_custody")
    assert "ZZFAMILY" not in " ".join(note.sources)
    assert L.format_date(later.date(), "en") not in note.data


def test_it_reuses_the_note_of_a_figure_quoted_twice(registry):
    book = FigureBook(AS_OF, "en")
    first = book.figure("stats.released_total")
    again = book.figure("stats.released_total")
    other = book.figure("stats.died_in_custody")
    assert first is again and (first.number, other.number) == (1, 2)
    assert (first.value, other.value) == (1, 1)


def test_it_refuses_an_unknown_query(registry):
    with pytest.raises(FigureError, match="no such query"):
        FigureBook(AS_OF, "en").figure("stats.made_up")


def test_it_refuses_a_query_without_a_description(registry):
    QUERIES["test.undescribed"] = Query("test.undescribed", {}, lambda book, kwargs: None)
    try:
        with pytest.raises(FigureError, match="no description"):
            render.render_string('{% figure "test.undescribed" %}', lang="en", as_of=AS_OF)
    finally:
        del QUERIES["test.undescribed"]


def test_it_refuses_a_bare_number_in_a_template(registry):
    with pytest.raises(FigureError, match="bare number '1,450'"):
        render.render_string("<p>More than 1,450 people are held.</p>", lang="en", as_of=AS_OF)
    with pytest.raises(FigureError, match="bare number"):
        render.render_string('<p>{% translate "2900 convicted" %}</p>', lang="en", as_of=AS_OF)


def test_it_allows_numbers_inside_tags_styles_and_markup():
    source = '<style>p { margin: 3mm }</style><td colspan="6">{% if a|length > 1 %}{{ b|date:"Y-m-d" }}{% endif %}</td>'
    assert render.bare_numbers(source) == []


def test_shipped_templates_have_no_bare_numbers():
    for path in render.TEMPLATE_DIR.glob("*.html"):
        assert render.bare_numbers(path.read_text(encoding="utf-8")) == [], path.name


def test_it_formats_numbers_per_language():
    assert L.format_number(1450, "en") == "1,450"
    assert L.format_number(1450, "be") == "1450"  # four digits stay ungrouped in Belarusian and Russian print
    assert L.format_number(12345, "ru") == "12\u00a0345"
    assert L.format_number(-3, "en", signed=True) == "\u22123"
    assert L.format_usd(554_862_400, "en") == "USD 554.9\u00a0million"
    assert L.format_usd(554_862_400, "ru") == "554,9\u00a0млн долларов США"


def test_it_computes_compliance_figures_for_a_demand(campaign):
    from spis.campaigns.compliance import compliance

    demand = campaign.demands.first()
    book = FigureBook(AS_OF, "be")
    expected = compliance(demand, AS_OF).as_dict()
    assert book.figure("compliance.in_scope", demand=demand).value == expected["in_scope"]
    assert book.figure("compliance.released", demand=demand).value == expected["released"]["total"]
    note = book.figure("compliance.still_held", demand=demand)
    assert note.value == expected["still_held"]
    assert "патрабаванне" in note.description
    assert f"--demand {demand.pk}" in note.reproduce


def test_it_cites_the_corridor_model_with_its_file_and_sources(db):
    book = FigureBook(AS_OF, "en")
    note = book.figure("corridors.added_cost_usd", scenario="eu_by_all_rail_closed")
    assert note.value > 0
    assert "data/corridors/default_scenario.yaml" in note.data
    assert any(s.startswith("S_") for s in note.sources)
    with pytest.raises(FigureError, match="unknown scenario"):
        book.figure("corridors.added_cost_usd", scenario="no_such_scenario")


def test_it_rejects_figure_arguments_a_query_does_not_take(registry):
    with pytest.raises(FigureError, match="takes no arguments"):
        FigureBook(AS_OF, "en").figure("stats.in_custody", demand=1)
