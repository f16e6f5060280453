"""Open data: stable ids, dates as entered, every name; the public export shows only what is published."""

import contextlib
import csv
import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from spis.access import queries
from spis.intake import export, importer
from spis.registry import actions
from spis.registry.models import Case, Event, Name, Organization, Person, Source

from .helpers import run

VIASNA = "viasna_ru_bom_semicolon.csv"


def _people():
    """Everything an export must carry over, keyed by public id."""
    found = {}
    for person in Person.objects.all():
        events = sorted(
            (
                e.type,
                e.date_display,
                e.release_kind,
                e.facility.name if e.facility else "",
                e.sentence_months,
                e.regime,
                json.dumps(e.case.articles if e.case else []),
            )
            for e in Event.objects.filter(person=person, superseded_by__isnull=True)
        )
        names = sorted((n.text, n.language, n.kind) for n in Name.objects.filter(person=person))
        found[person.public_id] = (
            person.display_name,
            person.birth_date_display,
            person.gender,
            names,
            events,
        )
    return found


def test_it_round_trips_json_into_an_empty_database(db):
    run(VIASNA, partial=True)
    run("court_watch.xlsx", partial=True)
    before = _people()
    data = b"".join(export.export("json", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="export.json")
    assert result.status == "completed", result.errors
    assert _people() == before
    # The export's own keys are no partner's unread ones (each event's "id" was said on every event, and the
    # status each person's events give was "not read beside a list of events").
    assert not [n for n in result.notes() if "not keys of an event" in n["message"]]
    assert not [n for n in result.notes() if "not read beside a list of events" in n["message"]]
    assert result.ignored_columns == []


def test_it_round_trips_csv_into_an_empty_database(db):
    run(VIASNA, partial=True)
    before = _people()
    data = b"".join(export.export("csv", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="export.csv")
    assert result.status == "completed", result.errors
    after = _people()
    # CSV carries names without their language labels; texts, people and events are the same.
    strip = {k: (v[0], v[1], v[2], [n[0] for n in v[3]], v[4]) for k, v in before.items()}
    assert {k: (v[0], v[1], v[2], [n[0] for n in v[3]], v[4]) for k, v in after.items()} == strip


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_text_that_starts_like_a_formula_round_trips(db, fmt):
    # The staff JSON export did not import back: "=…", "+…", "-…" were refused as spreadsheet formulas in a
    # file that is no spreadsheet (the CSV's are quoted by the export, and the quote undone on reading).
    from spis.registry import actions

    person = actions.create_person(
        "t", "+Плюсов Пётр", occupation='=HYPERLINK("http://x","y")', region="@ Минск"
    )
    actions.record_event("t", person, "detained", "2021-03-01", note="-note with dash")
    data = b"".join(export.export(fmt, public=False))
    _empty_registry()
    result = importer.run_import(data, file_name=f"export.{fmt}")
    assert result.status == "completed", result.errors
    back = Person.objects.get()
    assert (back.display_name, back.occupation, back.region) == (
        "+Плюсов Пётр",
        '=HYPERLINK("http://x","y")',
        "@ Минск",
    )
    assert back.events.get().note == "-note with dash"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_notes_line_breaks_round_trip(db, fmt):
    # A staff export's note came back as one line ("Paragraph one. Paragraph two: - item").
    note = "Paragraph one.\n\nParagraph two:\n- item"
    person = actions.create_person("t", "Лукин Иван", occupation="studied\nlaw")
    actions.record_event("t", person, "detained", "2021-03-01", note=note)
    data = b"".join(export.export(fmt, public=False))
    if fmt == "csv":
        assert f'"{note}"'.encode() in data  # quoted: one cell
    _empty_registry()
    result = importer.run_import(data, file_name=f"export.{fmt}")
    assert result.status == "completed", result.errors
    back = Person.objects.get()
    assert back.events.get().note == note
    assert back.occupation == "studied law"  # a field of one line stays one
    shown = (note if fmt == "csv" else json.dumps(note, ensure_ascii=False)).encode()
    assert b"".join(export.export(fmt, public=False)).count(shown) == data.count(shown) == 1


def _empty_registry():
    from django.db.models import ProtectedError

    from spis.intake.models import ImportBatch, ImportRow
    from spis.registry.models import (
        Case,
        Citation,
        CustodySpell,
        DuplicateCandidate,
        Facility,
        Judgement,
        Organization,
        PublicIdCounter,
        Source,
    )

    ImportRow.objects.all().delete()
    ImportBatch.objects.all().delete()
    Citation.objects.all().delete()
    Event.objects.exclude(supersedes=None).delete()
    Event.objects.all().delete()
    CustodySpell.objects.all().delete()
    Name.objects.all().delete()
    Judgement.objects.all().delete()
    DuplicateCandidate.objects.all().delete()
    Person.objects.update(merged_into=None)
    Person.objects.all().delete()
    Case.objects.all().delete()
    Facility.objects.all().delete()
    Source.objects.all().delete()
    for organisation in Organization.objects.all():
        # The outreach demo's contacts and signatories keep theirs: a copy of the registry is its people.
        with contextlib.suppress(ProtectedError):
            organisation.delete()
    PublicIdCounter.objects.all().delete()


def test_the_public_export_applies_the_visibility_policy(db):
    shown = actions.create_person("t", "Адкрыты Тэст", birth_date="1980-05-06")
    sealed = actions.create_person("t", "Запячатаны Канарэйка", confidentiality="sealed")
    actions.record_event("t", shown, "detained", "2021-03", confidentiality="public")
    actions.record_event("t", shown, "recognized", "2021-04", confidentiality="restricted")
    for fmt in export.FORMATS:
        data = b"".join(export.export_public(fmt)).decode("utf-8")
        assert sealed.public_id not in data and "Канарэйка" not in data
        assert shown.public_id in data and "1980-05-06" not in data
        assert "recognized" not in data
    records = json.loads(b"".join(export.export_public("json")))
    assert records[0]["birth_date"] == "1980" and records[0]["events"][0]["date"] == "2021-03"


def test_the_public_export_gives_the_status_the_public_events_derive(db):
    # A public person whose only detention is restricted: the stored status (from every event) is "in
    # custody", which the open data must not say beside events that show no detention.
    held = actions.create_person("t", "Схаваны Затрыманы")
    actions.record_event("t", held, "detained", "2021-03-01", confidentiality="restricted")
    held.refresh_from_db()
    assert held.status == "in_custody"
    [record] = json.loads(b"".join(export.export_public("json")))
    assert record["status"] == "at_liberty" and record["events"] == []
    [staff] = json.loads(b"".join(export.export("json", public=False)))
    assert staff["status"] == "in_custody"


def test_it_neutralises_formula_cells_in_csv(db):
    person = actions.create_person("t", '=HYPERLINK("http://example.invalid")')
    # The cells an event's organisation and the person's own sources add too.
    organisation = Organization.objects.create(name="@SUM(1+1)")
    actions.record_event("t", person, "recognized", "2021-04-01", organization=organisation)
    actions.cite("t", actions.create_source("t", "Крыніца", url="https://example.org/e"), person)
    actions.cite("t", actions.create_source("t", "+Крыніца", url="https://example.org/f"), person)
    data = b"".join(export.export("csv"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://example.invalid")'
    assert "'@SUM(1+1)" in rows[1]
    # Each source of a cell, since the import reads them one by one.
    assert "Крыніца <https://example.org/e> | '+Крыніца <https://example.org/f>" in rows[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert export.neutralise("-2+3") == "'-2+3"
    # Read back, each is what was typed.
    _empty_registry()
    result = importer.run_import(data, file_name="formulae.csv")
    assert result.status == "completed", result.errors
    assert Event.objects.get().organization.name == "@SUM(1+1)"
    assert set(Source.objects.values_list("title", flat=True)) >= {"Крыніца", "+Крыніца"}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_text_that_begins_with_a_quote_and_a_formula_sign_round_trips(db, fmt):
    # The CSV's import took the cell's own quote off: "'=A1 is how the list wrote it" came back "=A1 …".
    assert export.neutralise("'=A1") == "''=A1" and export.neutralise("''+1") == "'''+1"
    assert export.neutralise("'quoted") == "'quoted"
    person = actions.create_person("t", "Лукин Иван", occupation="''@x")
    actions.record_event("t", person, "detained", "2021-03-01", note="'=A1 is how the list wrote it")
    source = actions.create_source("t", "'-Крыніца", url="https://example.org/q")
    actions.cite("t", actions.create_source("t", "Першая", url="https://example.org/p"), person)
    actions.cite("t", source, person)
    data = b"".join(export.export(fmt, public=False))
    _empty_registry()
    result = importer.run_import(data, file_name=f"export.{fmt}")
    assert result.status == "completed", result.errors
    back = Person.objects.get()
    assert (back.occupation, back.events.get().note) == ("''@x", "'=A1 is how the list wrote it")
    assert "'-Крыніца" in set(Source.objects.values_list("title", flat=True))


def test_it_neutralises_a_formula_after_leading_whitespace(db):
    # A spreadsheet skips the spaces, tabs and line breaks before "=": the sign after them decides.
    assert export.neutralise(" =1+1") == "'=1+1"
    assert export.neutralise("\t\n @SUM(1)") == "'@SUM(1)"
    assert export.neutralise("\r-2+3") == "'-2+3"
    # A tab or a carriage return before text is dropped (OWASP lists both), other text is written as it is.
    assert export.neutralise("\tx") == "x" and export.neutralise(" x") == " x"
    person = actions.create_person("t", "Прабел Формула")
    organisation = Organization.objects.create(name="  =1+1")
    actions.record_event("t", person, "recognized", "2021-04-01", organization=organisation)
    actions.cite("t", actions.create_source("t", " +Крыніца", url="https://example.org/g"), person)
    data = b"".join(export.export("csv"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert all(not cell.lstrip().startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "'=1+1" in rows[1] and "'+Крыніца <https://example.org/g>" in rows[1]
    # Read back, each is what the import reads of the cell as first written (leading whitespace trimmed).
    _empty_registry()
    result = importer.run_import(data, file_name="formulae.csv")
    assert result.status == "completed", result.errors
    assert Event.objects.get().organization.name == "=1+1"
    assert "+Крыніца" in set(Source.objects.values_list("title", flat=True))


def test_it_writes_followthemoney_entities(db):
    run(VIASNA, partial=True)
    lines = [json.loads(line) for line in b"".join(export.export("ftm")).splitlines()]
    people = [e for e in lines if e["schema"] == "Person"]
    events = [e for e in lines if e["schema"] == "Event"]
    assert len(people) == 4 and events
    assert all(set(e) == {"id", "schema", "properties"} for e in lines)
    ids = {p["id"] for p in people}
    assert all(e["properties"]["involved"][0] in ids for e in events)
    tested = next(p for p in people if p["properties"]["name"] == ["Тэставы Янка Пятровіч"])
    assert tested["properties"]["alias"] == ["Тестовый Иван Петрович"]
    assert tested["properties"]["birthDate"] == ["1985"] and tested["properties"]["gender"] == ["male"]


def test_followthemoney_people_have_no_nationality_the_registry_does_not_know(db):
    # A user test: every Person read `nationality: ["by"]`, foreigners held in Belarus too; the registry records
    # no nationality or citizenship. Where an event took place is the Event's `country`, as before.
    run(VIASNA, partial=True)
    foreigner = actions.create_person("test", "Jan Kowalski", occupation="journalist")
    actions.record_event("test", foreigner, "detained", "2021-05-23")
    lines = [json.loads(line) for line in b"".join(export.export("ftm", public=True)).splitlines()]
    people = [e for e in lines if e["schema"] == "Person"]
    assert len(people) == 5 and f"spis-{foreigner.public_id}" in {p["id"] for p in people}
    assert not [p for p in people if {"nationality", "citizenship", "country"} & set(p["properties"])]
    events = [e for e in lines if e["schema"] == "Event"]
    assert events and all(e["properties"]["country"] == ["by"] for e in events)


def test_it_gives_a_change_feed(db):
    old = actions.create_person("t", "Стары Запіс")
    Person.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    new = actions.create_person("t", "Новы Запіс")
    since = dt.date.today() - dt.timedelta(days=1)
    ids = [r["public_id"] for r in export.iter_records(True, since)]
    assert ids == [new.public_id]
    actions.record_event("t", old, "detained", "2021")
    Person.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert {r["public_id"] for r in export.iter_records(True, since)} == {old.public_id, new.public_id}


def test_the_export_command_writes_a_file(db, tmp_path):
    actions.create_person("t", "Каманда Тэст")
    target = tmp_path / "out.csv"
    out = io.StringIO()
    call_command("export", format="csv", public=True, output=str(target), json=True, stdout=out)
    assert json.loads(out.getvalue())["bytes"] == target.stat().st_size
    assert "Каманда Тэст" in target.read_text(encoding="utf-8-sig")


def test_the_export_command_names_a_path_it_cannot_write_and_leaves_nothing(db, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot write .*missing/out.csv"):
        call_command("export", format="csv", output=str(tmp_path / "missing" / "out.csv"))
    target = tmp_path / "out.json"
    target.write_text("the previous export")

    def broken(*args, **kwargs):
        yield b"[{"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "export", broken)
    with pytest.raises(CommandError, match="No space left"):
        call_command("export", format="json", output=str(target))
    assert target.read_text() == "the previous export" and list(tmp_path.iterdir()) == [target]


def test_a_staff_csv_read_back_keeps_withheld_names_withheld(db):
    person = actions.create_person("t", "Адкрытая Ганна")
    actions.add_name("t", person, "Дзявочае Прозвішча", confidentiality="restricted")
    actions.add_name("t", person, "Схаванае Імя", confidentiality="sealed")
    data = b"".join(export.export("csv", public=False))
    assert "Дзявочае" not in b"".join(export.export("csv", public=True)).decode()
    _empty_registry()
    result = importer.run_import(data, file_name="staff.csv")
    assert result.status == "completed", result.errors
    levels = dict(Name.objects.values_list("text", "confidentiality"))
    assert levels == {
        "Адкрытая Ганна": "public",
        "Дзявочае Прозвішча": "restricted",
        "Схаванае Імя": "sealed",
    }
    assert Person.objects.get().display_name == "Адкрытая Ганна"


def _cited_registry():
    """A person whose detention cites a public article (at a page), a witness (a sealed source) and a public
    report at the restricted level; the person cites the public article too."""
    article = actions.create_source(
        "t", "Затрыманне ў Менску", url="https://example.org/news/1", publisher_name="Тэставая газета"
    )
    witness = actions.create_source("t", "Сведка (тэст)", document="interview-7", confidentiality="sealed")
    report = actions.create_source(
        "t", "Справаздача (тэст)", url="https://example.org/report", reliability="high"
    )
    person = actions.create_person("t", "Цытаваная Вольга", birth_date="1990")
    event = actions.record_event("t", person, "detained", "2021-03-12")
    actions.cite("t", article, event, locator="p. 3")
    actions.cite("t", witness, event)
    actions.cite("t", report, event, confidentiality="restricted")
    actions.cite("t", article, person)
    return person


def _citations(model, exclude=None):
    """(fact, source title, link, locator, citation level, source level), the given source left out."""
    from django.contrib.contenttypes.models import ContentType

    from spis.registry.models import Citation

    found = set()
    for c in Citation.objects.filter(content_type=ContentType.objects.get_for_model(model)).select_related(
        "source"
    ):
        if c.source_id == exclude:
            continue
        target = model.objects.get(pk=c.object_id)
        fact = (
            target.public_id if model is Person else (target.person.public_id, target.type, str(target.date))
        )
        found.add(
            (fact, c.source.title, c.source.url, c.locator, c.confidentiality, c.source.confidentiality)
        )
    return found


def _new_source():
    """The source of the last import (cited on every fact it wrote)."""
    from spis.intake.models import ImportBatch

    return ImportBatch.objects.latest("pk").source_id


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_staff_json_export_read_back_cites_what_the_registry_cited(db, writer):
    person = _cited_registry()
    # The report cited publicly on the person and restricted on the event: one source at two levels.
    actions.cite("t", Source.objects.get(title="Справаздача (тэст)"), person)
    events, people = _citations(Event), _citations(Person)
    data = b"".join(export.export("json", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.json", writer=writer)
    assert result.status == "completed", result.errors
    own = _new_source()
    assert _citations(Event, exclude=own) == events and _citations(Person, exclude=own) == people
    assert (len(events), len(people)) == (3, 2)


def test_a_staff_csv_read_back_keeps_each_source_at_its_level_and_page(db):
    person = _cited_registry()
    # A witness heard at a moment of a recording: a place in a source that has no link.
    witness = Source.objects.get(title="Сведка (тэст)")
    actions.cite("t", witness, person.events.get(), locator="00:12:30", confidentiality="sealed")
    actions.cite("t", witness, person, locator="с. 2", confidentiality="sealed")
    data = b"".join(export.export("csv", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.csv")
    assert result.status == "completed", result.errors
    # A CSV cell gives a source's title, link and place in it, at one level (the stricter of the two).
    assert {c[1:] for c in _citations(Event, exclude=_new_source())} == {
        ("Затрыманне ў Менску", "https://example.org/news/1", "p. 3", "public", "public"),
        ("Сведка (тэст)", "", "", "sealed", "sealed"),
        ("Сведка (тэст)", "", "00:12:30", "sealed", "sealed"),
        ("Справаздача (тэст)", "https://example.org/report", "", "restricted", "restricted"),
    }
    # The sources cited on the person, not on an event, come back on the person, each at its level.
    assert {c[1:] for c in _citations(Person, exclude=_new_source())} == {
        ("Затрыманне ў Менску", "https://example.org/news/1", "", "public", "public"),
        ("Сведка (тэст)", "", "с. 2", "sealed", "sealed"),
    }


def test_a_staff_csv_read_back_keeps_sources_whose_title_or_place_a_list_would_read_otherwise(db):
    """A title or a place holding " | ", a link, angle brackets or backslashes comes back as it is stored, one
    source each, as from the JSON: the sources cell escapes what would read as a separator or a link."""
    person = actions.create_person("t", "Экранаваная Зоя")
    event = actions.record_event("t", person, "detained", "2021-03-12")
    stored = [
        ("Газета | выпуск 5", "https://nn.by/a1", "", "public"),
        ("Справа", "https://nn.by/a2", "p. 3 | p. 4", "public"),
        ("Title: https://nn.by/a3 copy", "https://nn.by/a4", "", "public"),
        ("https://nn.by/t", "https://nn.by/u", "", "public"),
        ("Бюлетэнь <№ 5> #2", "https://nn.by/a5", "с. <1> \\| 2 \\", "public"),
        ("C:\\docs\\ | a\\|b\\", "https://nn.by/a6", "", "public"),
        ("https://nn.by/a7,", "https://nn.by/a7,", "", "public"),
        ("Наша Ніва: https://nn.by/a8", "", "", "restricted"),
        ("Пратакол <сакрэтны> | 2", "", "с. 9", "sealed"),
    ]
    for title, url, locator, level in stored:
        source = actions.create_source("t", title, url=url, confidentiality=level)
        actions.cite("t", source, event, locator=locator, confidentiality=level)
    before = _citations(Event)
    assert len(before) == len(stored)
    data = b"".join(export.export("csv", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.csv")
    assert result.status == "completed", result.errors
    assert _citations(Event, exclude=_new_source()) == before


def test_a_staff_csv_read_back_keeps_a_name_holding_the_separator_as_one_name(db):
    """The names cells list names " | " between them: a name holding " | " (or a backslash before one) is
    escaped as a source's title is, and comes back one name at its level, not split in two."""
    person = actions.create_person("t", "Раздзелены Ян | Янка")
    actions.add_name("t", person, "Ян \\| Раздзелены", confidentiality="restricted")
    actions.add_name("t", person, "Ян <Янка>", confidentiality="sealed")
    actions.record_event("t", person, "detained", "2021-03-12")
    before = sorted((n.text, n.confidentiality) for n in Name.objects.all())
    data = b"".join(export.export("csv", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.csv")
    assert result.status == "completed", result.errors
    assert sorted((n.text, n.confidentiality) for n in Name.objects.all()) == before
    assert Person.objects.count() == 1


def test_a_staff_csv_read_back_keeps_a_public_source_without_a_link_public(db):
    """A staff export gives each source's level a column (the withheld ones apart): a public title without a
    link, the demo registry's own, is public again read back, not restricted as a list's would be."""
    person = actions.create_person("t", "Выдуманая Ала", is_synthetic=True)
    event = actions.record_event("t", person, "detained", "2021-03-12")
    demo = actions.create_source("t", "Synthetic demo registry (invented data)")
    witness = actions.create_source("t", "Сведка (тэст)", confidentiality="restricted")
    for fact in (event, person):
        actions.cite("t", demo, fact)
        actions.cite("t", witness, fact, confidentiality="restricted")
    events, people = _citations(Event), _citations(Person)
    data = b"".join(export.export("csv", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.csv")
    assert result.status == "completed", result.errors
    own = _new_source()
    assert _citations(Event, exclude=own) == events and _citations(Person, exclude=own) == people
    assert not [n for n in result.notes() if "has no link" in n["message"]]
    public = b"".join(export.export_public("json")).decode()
    assert "Synthetic demo registry (invented data)" in public and "Сведка" not in public


def test_the_public_export_gives_only_the_sources_the_public_may_see(db):
    person = _cited_registry()
    [record] = json.loads(b"".join(export.export_public("json")))
    # Empty texts (no document, no date of publication, no locator on the person's citation) are left out.
    cited = {
        "title": "Затрыманне ў Менску",
        "url": "https://example.org/news/1",
        "publisher": "Тэставая газета",
        "reliability": "medium",
    }
    assert record["sources"] == [cited]
    assert record["events"][0]["sources"] == [{**cited, "locator": "p. 3"}]
    rows = list(csv.DictReader(io.StringIO(b"".join(export.export_public("csv")).decode("utf-8-sig"))))
    assert [row["sources"] for row in rows] == ["Затрыманне ў Менску <https://example.org/news/1> #p. 3"]
    assert [row["person_sources"] for row in rows] == ["Затрыманне ў Менску <https://example.org/news/1>"]
    assert not {"sources_restricted", "person_sources_restricted", "person_sources_sealed"} & set(rows[0])
    [entity] = [json.loads(line) for line in b"".join(export.export_public("ftm")).splitlines()][1:]
    assert entity["properties"]["sourceUrl"] == ["https://example.org/news/1"]
    assert entity["properties"]["publisher"] == ["Тэставая газета"]
    for fmt in export.FORMATS:
        data = b"".join(export.export_public(fmt)).decode("utf-8")
        assert "Сведка" not in data and "interview-7" not in data and "Справаздача" not in data
    # Read back into an empty registry, the public article is cited as it was, at its page.
    data = b"".join(export.export_public("json"))
    _empty_registry()
    assert importer.run_import(data, file_name="open.json").status == "completed"
    assert {c[1:] for c in _citations(Event, exclude=_new_source())} == {
        ("Затрыманне ў Менску", "https://example.org/news/1", "p. 3", "public", "public")
    }
    assert person.public_id == Person.objects.get().public_id
    # So does the open CSV, the article's place in it and the person's source included.
    _empty_registry()
    _cited_registry()
    data = b"".join(export.export_public("csv"))
    _empty_registry()
    assert importer.run_import(data, file_name="open.csv").status == "completed"
    assert {c[1:] for c in _citations(Event, exclude=_new_source())} == {
        ("Затрыманне ў Менску", "https://example.org/news/1", "p. 3", "public", "public")
    }
    assert {c[1:] for c in _citations(Person, exclude=_new_source())} == {
        ("Затрыманне ў Менску", "https://example.org/news/1", "", "public", "public")
    }


def test_no_public_file_or_page_names_an_imported_file(db, client):
    """A file's name may name a person: neither the open data nor the person's page shows it."""
    data = "ФИО;Дата задержания\nСястрына Ганна;12.03.2021\n".encode()
    result = importer.run_import(data, file_name="ад сястры Іванавай.csv")
    assert result.status == "completed", result.errors
    own = _citations(Event)
    assert {(c[1], c[5]) for c in own} == {
        (f"Import of ад сястры Іванавай.csv on {dt.date.today()}", "restricted")
    }
    for fmt in export.FORMATS:
        assert "Іванавай" not in b"".join(export.export_public(fmt)).decode()
    page = client.get(f"/people/{Person.objects.get().public_id}/").content.decode()
    assert "Сястрына Ганна" in page and "Іванавай" not in page
    # With --source, the source is the documenter's words, without a link restricted as a list's source cell
    # is (they may name a person); the file name stays staff-only.
    importer.run_import(
        data.replace("Ганна".encode(), "Алена".encode()),
        file_name="ад Іванавай.csv",
        source_text="Спіс суполкі",
    )
    public = json.loads(b"".join(export.export_public("json")))
    assert [s["title"] for r in public for s in r["sources"]] == []
    assert Source.objects.get(title="Спіс суполкі").confidentiality == "restricted"
    assert "Іванавай" not in json.dumps(public, ensure_ascii=False)
    assert "ад Іванавай.csv" in b"".join(export.export("json", public=False)).decode()


def test_a_staff_csv_read_back_into_the_same_registry_changes_nothing(db):
    """A CSV gives one level per source (the stricter): a public citation of a restricted source comes back as
    restricted, and is the citation already there, not a second one."""
    _cited_registry()
    data = "ФИО;Дата задержания;Источник\nСястрына Ганна;12.03.2021;https://example.org/1 | сястра\n".encode()
    assert importer.run_import(data, file_name="list.csv").status == "completed"
    from spis.registry.models import Citation

    before = Citation.objects.count()
    result = importer.run_import(b"".join(export.export("csv", public=False)), file_name="staff.csv")
    assert (result.status, result.updated, result.created) == ("completed", 0, 0), result.as_dict()
    assert Citation.objects.count() == before


def test_a_merged_record_is_exported_as_part_of_the_record_it_was_merged_into(db):
    """The site shows a merged duplicate's names and events on the record it was merged into; the files did
    not (the staff export lost them on a round trip, the public one gave a status its events did not show)."""
    from spis.registry.merge import merge

    person = actions.create_person("t", "Аб'яднаная Ала", birth_date="1985")
    actions.record_event("t", person, "detained", "2021-03-12")
    duplicate = actions.create_person("t", "Абяднаная Ала")
    actions.add_name("t", duplicate, "Дзявочае Прозвішча", confidentiality="restricted")
    actions.record_event("t", duplicate, "recognized", "2021-04-01")
    merge("t", duplicate, person)
    [public] = json.loads(b"".join(export.export("json", public=True)))
    assert public["public_id"] == person.public_id
    assert {n["text"] for n in public["names"]} == {"Аб'яднаная Ала", "Абяднаная Ала"}
    assert [e["type"] for e in public["events"]] == ["detained", "recognized"]
    data = b"".join(export.export("json", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.json")
    assert result.status == "completed", result.errors
    [back] = Person.objects.filter(merged_into=None)
    assert set(back.names.values_list("text", "confidentiality")) == {
        ("Аб'яднаная Ала", "public"),
        ("Абяднаная Ала", "public"),
        ("Дзявочае Прозвішча", "restricted"),
    }
    assert sorted(back.events.values_list("type", flat=True)) == ["detained", "recognized"]


@pytest.mark.parametrize(("fmt", "writer"), [("json", "actions"), ("csv", "actions"), ("json", "bulk")])
def test_a_merged_records_public_id_still_finds_the_person_read_back_and_is_never_issued_again(
    db, fmt, writer
):
    """A staff export read back into an empty registry lost the public ids of merged records: a link to one
    found nobody, and the next person created was given it (BY-000002 was someone else's)."""
    from spis.access.queries import get_person_for
    from spis.registry.merge import merge

    person = actions.create_person("t", "Аб'яднаная Ала", birth_date="1985")
    actions.record_event("t", person, "detained", "2021-03-12")
    duplicate = actions.create_person("t", "Абяднаная Ала")
    merge("t", duplicate, person)
    data = b"".join(export.export(fmt, public=False))
    public = b"".join(export.export(fmt, public=True)).decode("utf-8-sig")
    assert duplicate.public_id in data.decode("utf-8-sig")
    assert "merged_ids" not in public and duplicate.public_id not in public  # staff only, as merges are
    _empty_registry()
    result = importer.run_import(data, file_name=f"staff.{fmt}", writer=writer)
    assert result.status == "completed", result.errors
    back = Person.objects.get(merged_into=None)
    assert back.public_id == person.public_id
    assert get_person_for(None, duplicate.public_id) == back
    assert not Name.objects.filter(person__public_id=duplicate.public_id).exists()
    assert actions.create_person("t", "Новая Асоба").public_id not in {person.public_id, duplicate.public_id}
    # Read again (a byte more, so that it is not the same file): the ids are the person's already.
    again = importer.run_import(data + b"\n", file_name=f"again.{fmt}", writer=writer)
    assert (again.status, again.unchanged, again.updated, again.conflicts) == ("completed", 1, 0, 0)
    assert Person.objects.count() == 3


def test_a_merged_id_another_record_holds_is_said_and_not_linked(db):
    """Whether two records are one person is a reviewer's call: a file naming another record's id as merged
    into its person links nothing, and says so."""
    person = actions.create_person("t", "Аб'яднаная Ала")
    other = actions.create_person("t", "Іншая Асоба")
    record = {"public_id": person.public_id, "names": ["Аб'яднаная Ала"], "merged_ids": [other.public_id]}
    result = importer.run_import(json.dumps([record]).encode(), file_name="m.json")
    assert result.status == "completed", result.errors
    assert result.conflicts == 1
    [note] = [n["message"] for n in result.conflict_rows()]
    assert other.public_id in note and "Іншая Асоба" in note
    assert Person.objects.get(pk=other.pk).merged_into is None


@pytest.mark.parametrize("value", ["XY-000002", "BY-2x", 12])
def test_merged_ids_that_are_not_ours_are_refused(db, value):
    record = {"name": "Аб'яднаная Ала", "merged_ids": [value]}
    result = importer.run_import(json.dumps([record]).encode(), file_name="m.json")
    assert result.status == "failed"
    [error] = result.errors
    assert error["column"] == "merged_ids" and "not a public id of this registry" in error["message"]


@pytest.mark.parametrize(("fmt", "writer"), [("json", "actions"), ("csv", "actions"), ("csv", "bulk")])
def test_a_consent_note_round_trips_in_a_staff_export_and_never_leaves_in_a_public_one(db, fmt, writer):
    """What a family agreed to publish was in neither staff format: a restore lost it."""
    note = "Сястра дала згоду 2023-05-02:\nпубліковаць імя і артыкулы, не фота"
    actions.create_person("t", "Згодная Ала", consent_note=note)
    data = b"".join(export.export(fmt, public=False))
    for public_fmt in ("json", "csv", "ftm"):
        public = b"".join(export.export(public_fmt, public=True)).decode("utf-8-sig")
        assert "consent_note" not in public and "згоду" not in public
    _empty_registry()
    result = importer.run_import(data, file_name=f"staff.{fmt}", writer=writer)
    assert result.status == "completed", result.errors
    assert Person.objects.get().consent_note == note


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_consent_note_fills_an_empty_one_and_never_overwrites_another(db, writer):
    empty = actions.create_person("t", "Без Нататкі")
    noted = actions.create_person("t", "З Нататкай", consent_note="Маці: толькі імя")
    rows = [
        {"public_id": empty.public_id, "names": ["Без Нататкі"], "consent_note": "Бацька: імя і фота"},
        {"public_id": noted.public_id, "names": ["З Нататкай"], "consent_note": "Усё можна"},
    ]
    result = importer.run_import(json.dumps(rows).encode(), file_name="c.json", writer=writer)
    assert result.status == "completed", result.errors
    assert (result.updated, result.conflicts) == (1, 1)
    [conflict] = result.conflict_rows()
    assert "Усё можна" in conflict["message"] and "stored one kept" in conflict["message"]
    assert Person.objects.get(pk=empty.pk).consent_note == "Бацька: імя і фота"
    assert Person.objects.get(pk=noted.pk).consent_note == "Маці: толькі імя"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_synthetic_record_says_so_in_every_file_and_stays_synthetic_read_back(db, fmt):
    """The demo registry is invented and says so wherever it shows: its open data, and a copy read back."""
    actions.create_person("t", "Выдуманая Ганна", is_synthetic=True)
    actions.create_person("t", "Сапраўдная Ала")
    public = b"".join(export.export(fmt, public=True)).decode("utf-8-sig")
    if fmt == "json":
        assert {r["display_name"]: r["synthetic"] for r in json.loads(public)} == {
            "Выдуманая Ганна": True,
            "Сапраўдная Ала": False,
        }
    ftm = [json.loads(line) for line in b"".join(export.export("ftm", public=True)).decode().splitlines()]
    notes = {e["properties"]["name"][0]: e["properties"].get("notes") for e in ftm if e["schema"] == "Person"}
    assert notes == {"Выдуманая Ганна": ["Synthetic demo record: not a real person."], "Сапраўдная Ала": None}
    _empty_registry()
    result = importer.run_import(public.encode(), file_name=f"open.{fmt}")
    assert result.status == "completed", result.errors
    assert dict(Person.objects.values_list("display_name", "is_synthetic")) == {
        "Выдуманая Ганна": True,
        "Сапраўдная Ала": False,
    }


def test_a_synthetic_cell_that_says_neither_yes_nor_no_is_refused(db):
    data = "ФИО;synthetic\nВыдуманая Ганна;может быть\n".encode()
    result = importer.run_import(data, file_name="odd.csv")
    assert result.status == "failed"
    assert [(e["column"], e["message"]) for e in result.errors] == [
        ("synthetic", "unknown value 'может быть' (true, false)")
    ]


def _organised_registry():
    """As the demo registry records them: a person recognised by a human-rights centre (named in three scripts)
    and convicted by a court that is linked to the case of each event and is the conviction's organisation;
    before them, one whose case the same court holds and no event of theirs names; another whose case names its
    court only as printed; and a recognition by a body kept restricted."""
    viasna = Organization.objects.create(
        name="Viasna",
        name_be="Праваабарончы цэнтр «Вясна»",
        name_ru="Правозащитный центр «Весна»",
        kind="recognizing_body",
        country="BY",
        url="https://spring96.org/",
    )
    court = Organization.objects.create(
        name="Minsk City Court", name_ru="Минский городской суд", kind="court"
    )
    hidden = Organization.objects.create(name="Схаваная Суполка (тэст)", kind="ngo")
    earlier = actions.create_person("t", "Ранейшы Суд")
    actions.record_event(
        "t", earlier, "detained", "2020-11-02", case=Case.objects.create(number="1", court=court)
    )
    case = Case.objects.create(
        number="1-123/2021", articles=[{"code": "CC-BY", "article": "342", "part": "1"}], court=court
    )
    person = actions.create_person("t", "Арганізаваная Ірына", birth_date="1988")
    actions.record_event("t", person, "detained", "2021-03-12", case=case)
    actions.record_event("t", person, "recognized", "2021-04-01", organization=viasna)
    actions.record_event("t", person, "convicted", "2021-09-01", case=case, organization=court)
    other = actions.create_person("t", "Надрукаваны Суд")
    printed = Case.objects.create(number="1-7/2022", court_name="Суд Ленинского района г. Минска")
    actions.record_event("t", other, "detained", "2022-01-10")
    actions.record_event("t", other, "convicted", "2022-02-01", case=printed)
    actions.record_event(
        "t", other, "recognized", "2022-03-01", organization=hidden, confidentiality="restricted"
    )
    return person


def _organisations(whole=True):
    """Each event in force with its organisation and its case's court (linked, and as printed); `whole` compares
    every field of an organisation, else its name alone (what a CSV gives)."""

    def shown(org):
        if org is None:
            return None
        return (org.name, org.name_be, org.name_ru, org.kind, org.country, org.url) if whole else org.name

    found = set()
    events = Event.objects.filter(superseded_by__isnull=True).select_related(
        "person", "organization", "case__court"
    )
    for e in events:
        court = (shown(e.case.court), e.case.court_name) if e.case else None
        found.add((e.person.public_id, e.type, e.date_display, shown(e.organization), court))
    return found


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_staff_export_read_back_keeps_each_events_organisation_and_its_cases_court(db, fmt, writer):
    _organised_registry()
    whole = fmt == "json"  # a CSV names an organisation by its name; the JSON gives all of it
    before = _organisations(whole)
    data = b"".join(export.export(fmt, public=False))
    _empty_registry()
    result = importer.run_import(data, file_name=f"staff.{fmt}", writer=writer)
    assert result.status == "completed", result.errors
    assert _organisations(whole) == before
    # One organisation each, the court of the case and of the conviction one and the same.
    assert sorted(Organization.objects.values_list("name", flat=True)) == [
        "Minsk City Court",
        "Viasna",
        "Схаваная Суполка (тэст)",
    ]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_staff_export_with_organisations_read_back_into_the_same_registry_changes_nothing(db, fmt):
    _organised_registry()
    events, organisations = Event.objects.count(), Organization.objects.count()
    result = importer.run_import(b"".join(export.export(fmt, public=False)), file_name=f"staff.{fmt}")
    assert (result.status, result.created, result.updated, result.conflicts) == ("completed", 0, 0, 0), (
        result.as_dict()
    )
    assert (Event.objects.count(), Organization.objects.count()) == (events, organisations)


def test_the_public_export_names_the_organisation_of_each_public_event_and_no_other(db):
    person = _organised_registry()
    [record] = [
        r for r in json.loads(b"".join(export.export_public("json"))) if r["public_id"] == person.public_id
    ]
    by_type = {e["type"]: e for e in record["events"]}
    assert by_type["recognized"]["organization"] == {
        "name": "Viasna",
        "name_be": "Праваабарончы цэнтр «Вясна»",
        "name_ru": "Правозащитный центр «Весна»",
        "kind": "recognizing_body",
        "country": "BY",
        "url": "https://spring96.org/",
    }
    court = {"name": "Minsk City Court", "name_ru": "Минский городской суд", "kind": "court"}
    assert by_type["convicted"]["organization"] == by_type["convicted"]["court_organization"] == court
    assert by_type["convicted"]["court"] == "Minsk City Court"
    assert by_type["detained"]["organization"] is None and by_type["detained"]["court_organization"] == court
    rows = list(csv.DictReader(io.StringIO(b"".join(export.export_public("csv")).decode("utf-8-sig"))))
    assert {(r["event_type"], r["event_organization"], r["court"]) for r in rows} == {
        ("detained", "", "Minsk City Court"),
        ("detained", "", ""),
        ("recognized", "Viasna", ""),
        ("convicted", "Minsk City Court", "Minsk City Court"),
        ("convicted", "", "Суд Ленинского района г. Минска"),
    }
    entities = [json.loads(line) for line in b"".join(export.export_public("ftm")).splitlines()]
    organisations = {e["properties"]["name"][0]: e for e in entities if e["schema"] == "Organization"}
    assert set(organisations) == {"Viasna", "Minsk City Court"}  # each once, however many events name it
    assert organisations["Viasna"]["properties"]["alias"] == [
        "Праваабарончы цэнтр «Вясна»",
        "Правозащитный центр «Весна»",
    ]
    recognised = next(
        e for e in entities if e["schema"] == "Event" and e["properties"]["name"] == ["recognized"]
    )
    assert recognised["properties"]["involved"] == [f"spis-{person.public_id}", organisations["Viasna"]["id"]]
    # A body named only on a restricted event is in no public file.
    for fmt in export.FORMATS:
        assert "Схаваная Суполка" not in b"".join(export.export_public(fmt)).decode()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_demo_registrys_staff_export_reads_back_whole_and_changes_nothing_read_again(db, fmt):
    """The registry as the demo makes it (every case's court linked, the conviction's and the recognition's
    organisation named): read back into the same registry nothing changes; into an empty one, every event has
    its organisation and its case's court again."""
    call_command("demo", persons=40, seed=5, stdout=io.StringIO())
    whole = fmt == "json"
    before, events = _organisations(whole), Event.objects.count()
    assert any(row[3] for row in before) and any(row[4] and row[4][0] for row in before)
    data = b"".join(export.export(fmt, public=False))
    again = importer.run_import(data, file_name=f"staff.{fmt}")
    assert (again.status, again.created, again.updated, again.conflicts) == ("completed", 0, 0, 0), (
        again.as_dict()
    )
    assert Event.objects.count() == events
    _empty_registry()
    result = importer.run_import(data, file_name=f"staff.{fmt}")
    assert result.status == "completed", result.errors
    assert _organisations(whole) == before


def test_a_staff_json_read_back_links_no_court_the_registry_did_not(db):
    """A court as printed that happens to be an organisation's name is linked by a list's court column; the
    JSON export says the case was linked to none (`court_organization` null), and so it stays."""
    _organised_registry()
    person = actions.create_person("t", "Непрывязаны Суд")
    printed = Case.objects.create(number="2-9/2022", court_name="Minsk City Court")
    actions.record_event("t", person, "convicted", "2022-05-05", case=printed)
    before = _organisations()
    data = b"".join(export.export("json", public=False))
    _empty_registry()
    assert importer.run_import(data, file_name="staff.json").status == "completed"
    assert _organisations() == before
    assert Case.objects.get(number="2-9/2022").court is None


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_staff_export_read_back_links_each_case_to_its_court_and_no_other(db, fmt, writer):
    """A court printed in another script than its organisation's name, a court no event names, and a court
    printed as an organisation's name that the case is not linked to: each case comes back linked as it was,
    the court printed as it was, an organisation made once, a court."""
    court = Organization.objects.create(
        name="Minsk City Court", name_ru="Минский городской суд", kind="court"
    )
    gomel = Organization.objects.create(name="Gomel Regional Court", kind="court")
    for number, name, linked in (
        ("1", "Минский городской суд", court),
        ("2", "", gomel),
        ("3", "Minsk City Court", None),
    ):
        person = actions.create_person("t", f"Судовая Асоба {number}")
        case = Case.objects.create(number=number, court_name=name, court=linked)
        actions.record_event("t", person, "convicted", "2021-09-01", case=case)
    before = _organisations(whole=fmt == "json")
    data = b"".join(export.export(fmt, public=False))
    _empty_registry()
    result = importer.run_import(data, file_name=f"staff.{fmt}", writer=writer)
    assert result.status == "completed", result.errors
    assert _organisations(whole=fmt == "json") == before
    assert sorted(Organization.objects.values_list("name", "kind")) == [
        ("Gomel Regional Court", "court"),
        ("Minsk City Court", "court"),
    ]


def test_the_csv_names_the_court_a_case_is_linked_to_after_every_other_column(db):
    _organised_registry()
    for public in (True, False):
        rows = list(
            csv.reader(io.StringIO(b"".join(export.export("csv", public=public)).decode("utf-8-sig")))
        )
        header = rows[0]
        # Last of all, after person_sources; a staff file's merged_ids came later still.
        last = header[-3:] if not public else header[-1:]
        assert last == ["court_organization", "merged_ids", "consent_note"][: len(last)]
        assert header.index("person_sources") < header.index("court_organization")
        at = header.index("court_organization")
        linked = {(r[header.index("event_type")], r[header.index("court")], r[at]) for r in rows[1:]}
        assert ("detained", "Minsk City Court", "Minsk City Court") in linked
        assert ("convicted", "Суд Ленинского района г. Минска", "") in linked


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_staff_csv_makes_a_court_named_first_as_who_acted_a_court(db, writer):
    """The CSV names an organisation by its name alone: a court that acted in an event on an earlier line than
    the case linked to it is made a court, as the later line says, not an organisation of no kind."""
    court = Organization.objects.create(name="Minsk City Court", kind="court")
    person = actions.create_person("t", "Ранняя Арганізацыя")
    actions.record_event("t", person, "detained", "2021-01-10", organization=court)
    case = Case.objects.create(number="1", court=court)
    actions.record_event("t", person, "convicted", "2021-09-01", case=case)
    data = b"".join(export.export("csv", public=False))
    _empty_registry()
    result = importer.run_import(data, file_name="staff.csv", writer=writer)
    assert result.status == "completed", result.errors
    assert list(Organization.objects.values_list("name", "kind")) == [("Minsk City Court", "court")]
    assert Case.objects.get().court.name == "Minsk City Court"


def test_a_staff_followthemoney_export_is_refused(db, tmp_path, client):
    """FtM feeds publication tools (Aleph, OpenSanctions), which have no levels: a staff file would show a
    sealed person as a public one. Refused with what to use instead; the public FtM and the download stay."""
    actions.create_person("t", "SEALEDCANARY Zzyzx", confidentiality="sealed")
    public = actions.create_person("t", "Адкрыты Чалавек")
    out = tmp_path / "staff.ftm.jsonl"
    with pytest.raises(CommandError, match="--public") as refused:
        call_command("export", format="ftm", output=str(out), stdout=io.StringIO())
    assert "--format json or csv" in str(refused.value) and not out.exists()
    with pytest.raises(ValueError, match="confidentiality levels"):
        b"".join(export.export("ftm", public=False))
    call_command("export", format="ftm", public=True, output=str(out), stdout=io.StringIO())
    assert "SEALEDCANARY" not in out.read_text(encoding="utf-8") and public.public_id in out.read_text()
    response = client.get("/intake/open-data/ftm")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and public.public_id.encode() in body and b"SEALEDCANARY" not in body


def test_a_year_only_event_is_ordered_by_its_kind_among_the_days_of_that_year(db, client):
    # By the first day alone, "2023 released" came before "2023-05-10 detained" on the page and in every file.
    from spis.registry import actions

    person = actions.create_person("t", "Годов Ян")
    actions.record_event("t", person, "detained", "2023-05-10")
    actions.record_event("t", person, "released", "2023", release_kind="pardon")
    actions.record_event("t", person, "detained", "2021-03")
    actions.record_event("t", person, "convicted", "2021")
    [record] = json.loads(b"".join(export.export("json", public=True)).decode())
    assert [(e["type"], e["date"]) for e in record["events"]] == [
        ("detained", "2021-03"),
        ("convicted", "2021"),
        ("detained", "2023-05-10"),
        ("released", "2023"),
    ]
    page = client.get(f"/people/{person.public_id}/").content.decode()
    timeline = re.findall(r'<time datetime="([^"]+)">', page.split('id="timeline-heading"')[1])
    assert timeline == ["2021-03", "2021", "2023-05-10", "2023"]


def test_a_held_id_names_its_holder_by_the_display_name_never_a_withheld_alias(db, users):
    """The holder of an id was named by their first name loaded, at any level: an editor read a sealed alias of
    a public person in the message (a merged id, or a public id of another registry's)."""
    editor = users["editor"]
    holder = actions.create_person("t", "Публічны Трымальнік")
    actions.add_name("t", holder, "Запячатанае Імя", kind="alias", confidentiality="sealed")
    person = actions.create_person("t", "Бачная Асоба")
    rows = [
        {"public_id": person.public_id, "names": ["Бачная Асоба"], "merged_ids": [holder.public_id]},
        {"public_id": holder.public_id, "names": ["Зусім Іншы Чалавек"]},
    ]
    result = importer.run_import(
        json.dumps(rows).encode(), file_name="m.json", user=editor, actor=editor, dry_run=True
    )
    said = json.dumps([result.conflict_rows(), result.errors], ensure_ascii=False)
    assert "Запячатанае" not in said and said.count("Публічны Трымальнік") == 2


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_ids_a_file_gives_are_never_issued_to_a_person_it_creates_before_them(db, writer, dry_run):
    """Ids were issued to the file's new people before those it gives were reserved: BY-000001 went to the
    first row's new person, and the row giving it as a merged record's failed on the unique id (a 500 on the
    upload's preview)."""
    rows = [
        {"name": "Новы Чалавек", "birth_date": "1990"},
        {"public_id": "BY-000005", "names": ["Стары Запіс"], "merged_ids": ["BY-000001"]},
        {"public_id": "BY-000003", "names": ["Адноўлены Запіс"]},
    ]
    result = importer.run_import(
        json.dumps(rows).encode(), file_name="x.json", writer=writer, dry_run=dry_run
    )
    assert (result.status, result.created) == ("dry-run" if dry_run else "completed", 3), result.errors
    if not dry_run:
        new = Person.objects.get(display_name="Новы Чалавек")
        assert new.public_id == "BY-000006"
        assert Person.objects.get(public_id="BY-000001").merged_into.public_id == "BY-000005"


@pytest.mark.parametrize("written", ["BY-7", "by-000007", "BY-0000007"])
def test_a_public_id_written_otherwise_than_the_registry_writes_it_is_refused(db, written):
    """`BY-7` was adopted as a person's public id beside BY-000007: two ids of one number, one a link could
    mean either."""
    actions.create_person("t", "Першая Асоба")
    rows = [{"public_id": written, "names": ["Сёмая Асоба"]}]
    result = importer.run_import(json.dumps(rows).encode(), file_name="p.json")
    [error] = result.errors
    assert (result.status, error["column"]) == ("failed", "public_id") and "BY-000007" in error["message"]
    merged = importer.run_import(
        json.dumps([{"name": "Сёмая Асоба", "merged_ids": [written]}]).encode(), file_name="m.json"
    )
    assert merged.status == "failed" and merged.errors[0]["column"] == "merged_ids"


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize("given", ["BY-", "BY-12a", "by-abc", "BY-1-2", "BY-2000000000", "BY-99999999999"])
def test_a_public_id_with_the_registrys_prefix_that_it_never_issues_is_refused(db, writer, given):
    """`BY-` or `BY-12a` crashed the import (its number read for the counter); a number past the counter's
    largest was adopted, and left no id to issue (or broke the counter on PostgreSQL)."""
    rows = [{"public_id": given, "names": ["Сёмая Асоба"]}]
    result = importer.run_import(json.dumps(rows).encode(), file_name="p.json", writer=writer)
    [error] = result.errors
    assert (result.status, error["column"], error["value"]) == ("failed", "public_id", given)
    assert "is not a public id of this registry" in error["message"] and "BY-1999999999" in error["message"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_ids_issued_after_a_nine_digit_id_are_read_back_as_the_registrys(db, writer):
    """After a file gave `BY-999999999`, new people got ten-digit ids, which neither the site nor an import of
    the registry's own export read as its ids."""
    rows = [{"public_id": "BY-999999999", "names": ["Сёмая Асоба"]}, {"names": ["Восьмая Асоба"]}]
    assert importer.run_import(json.dumps(rows).encode(), file_name="p.json", writer=writer).created == 2
    new = Person.objects.get(display_name="Восьмая Асоба")
    assert len(new.public_id) == len("BY-1000000000")
    assert [hit.person for hit in queries.search(AnonymousUser(), new.public_id)] == [new]
    # A staff export's merged ids are read back only when the registry issues them.
    merged = [{"public_id": "BY-999999999", "names": ["Сёмая Асоба"], "merged_ids": [new.public_id]}]
    result = importer.run_import(json.dumps(merged).encode(), file_name="merged.json")
    assert result.status == "completed", result.errors
