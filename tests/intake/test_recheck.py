"""`spis recheck`: earlier imports read again by today's rules, and what they published that today's import
keeps hidden found among the facts they wrote, and mended without losing anything.

The registry an earlier import left is made here from today's import, undone the way the old code wrote it
(the comment as the detention's public note and no restricted source; the restricted row's source cited in
public): the code that wrote it is gone, its rows and facts are what a registry still holds."""

import json
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from spis.intake import recheck
from spis.intake.export import export, export_public
from spis.intake.models import ImportBatch
from spis.registry import actions, merge
from spis.registry.models import AuditEntry, Citation, Event, Name, Person, Source

from .helpers import run

COMMENT = "семья просит не звонить; жена Алла, тел. +375 29 555 11 22"
LIST = (
    "ФИО;Дата задержания;Источник;event_confidentiality;Примечание\n"
    f'Юрченко Богдан;12.03.2021;;;"{COMMENT}"\n'
    "Пименов Павел;13.03.2021;Секретная статья <https://example.org/secret-article>;restricted;\n"
    "Адкрыты Ян;14.03.2021;Адкрытая <https://example.org/open-article>;;Да\n"
)


def _as_the_old_import_left_it(writer: str = "auto") -> ImportBatch:
    result = run("old.csv", LIST.encode(), mapping=None, writer=writer)
    assert result.status == "completed", result.errors
    person_type = ContentType.objects.get_for_model(Person)
    yurchenko = Person.objects.get(display_name="Юрченко Богдан")
    Event.objects.filter(person=yurchenko, type="detained").update(note=COMMENT)
    Citation.objects.filter(object_id=yurchenko.pk, content_type=person_type, source__title=COMMENT).delete()
    adkryty = Person.objects.get(display_name="Адкрыты Ян")
    Event.objects.filter(person=adkryty, type="detained").update(note="Да")
    Citation.objects.filter(object_id=adkryty.pk, content_type=person_type, source__title="Да").delete()
    Citation.objects.filter(source__url="https://example.org/secret-article").update(confidentiality="public")
    Person.objects.update(confidentiality="public")  # it created every person public
    Name.objects.update(confidentiality="public")
    return ImportBatch.objects.get(pk=result.batch_id)


def _public() -> str:
    return b"".join(export_public("csv")).decode()


def test_the_comment_and_the_restricted_source_an_old_import_published_are_found(db):
    batch = _as_the_old_import_left_it()
    assert COMMENT in _public() and "secret-article" in _public()
    findings, skipped = recheck.review()
    assert not skipped
    assert [(f.kind, f.line) for f in findings] == [
        (recheck.COMMENT, 2),
        (recheck.CITATION, 3),
        (recheck.PERSON, 3),
        (recheck.COMMENT, 4),
    ]
    comment, citation, person, _ = findings
    assert (comment.batch, comment.line, comment.text, comment.level, comment.due) == (
        batch.pk,
        2,
        COMMENT,
        "public",
        "restricted",
    )
    assert comment.event == Event.objects.get(person__display_name="Юрченко Богдан", type="detained").pk
    assert (citation.line, citation.level, citation.due) == (3, "public", "restricted")
    assert "https://example.org/secret-article" in citation.text
    # The restricted row created its person public: the name on the public list.
    assert (person.text, person.level, person.due) == ("Пименов Павел", "public", "restricted")


def test_a_short_comment_that_is_a_note_whole_is_found_and_one_inside_a_note_is_not(db):
    _as_the_old_import_left_it()
    adkryty = Person.objects.get(display_name="Адкрыты Ян")
    findings, _ = recheck.review()
    assert [f.text for f in findings if f.person == adkryty.public_id] == ["Да"]
    Event.objects.filter(person=adkryty, type="detained").update(note="Дата уточняется")
    findings, _ = recheck.review()
    assert not [f for f in findings if f.person == adkryty.public_id]


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_mending_hides_them_from_the_public_and_loses_nothing(db, writer):
    _as_the_old_import_left_it(writer)
    findings, _ = recheck.review()
    entries = AuditEntry.objects.count()
    done = recheck.mend("system:recheck", findings)
    assert done == {
        "events_corrected": 2,
        "comments_cited": 2,
        "citations_restricted": 1,
        "corrections_closed": 0,
        "people_restricted": 1,
        "names_restricted": 0,
        "fields_cleared": 0,
    }
    public = _public()
    assert COMMENT not in public and "secret-article" not in public and "open-article" in public
    assert "2021-03-12" in public  # the detention stays public, without the comment
    staff = b"".join(export("csv", public=False)).decode()
    assert "Алла" in staff and "secret-article" in staff
    old = Event.objects.get(person__display_name="Юрченко Богдан", note=COMMENT)
    assert old.superseded_by.get().note == ""  # the old row kept, superseded by the correction
    yurchenko = Person.objects.get(display_name="Юрченко Богдан")
    cited = Citation.objects.get(object_id=yurchenko.pk, source__title=COMMENT)
    assert (cited.confidentiality, cited.source.confidentiality) == ("restricted", "restricted")
    assert AuditEntry.objects.count() > entries
    assert AuditEntry.objects.filter(action="citation_level").count() == 1
    # Read again, nothing is left to find, and mending again changes nothing.
    assert recheck.review() == ([], [])


def test_a_public_citation_another_hand_wrote_is_not_the_batchs(db):
    # The same link cited publicly on the person before the batch (by a person, or by another list): the
    # import cited it no second time, and the public citation is not its to make stricter.
    person = actions.create_person("tester", "Пименов Павел")
    source = actions.create_source("tester", "Секретная статья", url="https://example.org/secret-article")
    actions.cite("tester", source, person)
    result = run("old.csv", LIST.encode(), mapping=None)
    assert result.status == "completed", result.errors
    findings, _ = recheck.review()
    assert not [f for f in findings if f.kind == recheck.CITATION]


def test_a_batch_whose_mapping_is_gone_is_said_and_read_with_the_one_given(db, tmp_path):
    mapping = tmp_path / "partner.yaml"
    mapping.write_text("columns:\n  name: [Прозвішча]\n  detained_on: [Дата]\n  note: [Заўвага]\n")
    data = f'Прозвішча;Дата;Заўвага\nЮрченко Богдан;12.03.2021;"{COMMENT}"\n'.encode()
    result = run("partner.csv", data, mapping=str(mapping))
    assert result.status == "completed", result.errors
    Event.objects.filter(type="detained").update(note=COMMENT)
    mapping.rename(tmp_path / "moved.yaml")
    findings, skipped = recheck.review()
    assert not findings and [s.batch for s in skipped] == [result.batch_id]
    findings, skipped = recheck.review(mapping=str(tmp_path / "moved.yaml"))
    assert [f.text for f in findings] == [COMMENT] and not skipped


def test_a_one_row_per_event_lists_comment_published_on_its_events_is_found(db):
    data = (
        "ФИО;event_type;event_date;release_kind;Комментарий\n"
        f'Юрченко Богдан;detained;2021-03-12;;"{COMMENT}"\n'
        "Юрченко Богдан;released;2022-03-12;end_of_term;\n"
    ).encode()
    result = run("events.csv", data, mapping=None)
    assert result.status == "completed", result.errors
    Event.objects.filter(type="detained").update(note=COMMENT)
    findings, _ = recheck.review()
    assert [(f.kind, f.line) for f in findings] == [(recheck.COMMENT, 2)]


def test_the_command_lists_then_fixes(db):
    _as_the_old_import_left_it()
    out = StringIO()
    call_command("recheck", stdout=out)
    text = out.getvalue()
    assert "line 2" in text and "comment published as the note of event" in text
    assert "4 found; run with --fix" in text and "a person created public from restricted facts alone" in text
    assert COMMENT in _public()
    out = StringIO()
    call_command("recheck", "--fix", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert len(result["findings"]) == 4 and result["fixed"]["citations_restricted"] == 1
    assert COMMENT not in _public()
    out = StringIO()
    call_command("recheck", stdout=out)
    assert "nothing found" in out.getvalue()
    assert Source.objects.filter(title=COMMENT).count() == 1


@pytest.mark.parametrize("level", ["restricted", "sealed"])
def test_set_citation_level_is_audited_and_refuses_an_unknown_level(db, level):
    person = actions.create_person("tester", "Пименов Павел")
    source = actions.create_source("tester", "Статья")
    citation = actions.cite("tester", source, person)
    actions.set_citation_level("tester", citation, level)
    citation.refresh_from_db()
    assert citation.confidentiality == level and citation.history.count() == 2
    with pytest.raises(ValueError, match="unknown level"):
        actions.set_citation_level("tester", citation, "secret")


def test_a_source_a_public_row_of_the_batch_cites_too_is_not_made_stricter(db):
    # Two rows of one person: the public row's source is public by right, though the restricted row cites it too.
    data = (
        "ФИО;Дата задержания;Дата освобождения;Источник;event_confidentiality\n"
        "Пименов Павел;13.03.2021;;Статья <https://example.org/article>;restricted\n"
        "Пименов Павел;13.03.2021;01.02.2022;Статья <https://example.org/article>;\n"
    ).encode()
    result = run("two.csv", data, mapping=None)
    assert result.status == "completed", result.errors
    Citation.objects.filter(source__url="https://example.org/article").update(confidentiality="public")
    findings, _ = recheck.review()
    assert not [f for f in findings if f.kind == recheck.CITATION]


@pytest.mark.parametrize(
    ("comment", "note", "left"),
    [
        # Longer than a source's title: kept in parts today, published whole then; cut inside a word too.
        ("адвокат сообщает " * 40, None, ""),
        ("a" * 700, None, ""),
        # Joined to the export's own note (a one-row-per-event list with both columns).
        (
            "семья просит не публиковать адрес",
            "задержан на улице; семья просит не публиковать адрес",
            "задержан на улице",
        ),
    ],
)
def test_a_long_or_joined_comment_is_found_and_taken_out_of_the_note(db, comment, note, left):
    comment = comment.strip()
    data = f'ФИО;Дата задержания;Примечание\nЮрченко Богдан;12.03.2021;"{comment}"\n'.encode()
    result = run("long.csv", data, mapping=None)
    assert result.status == "completed", result.errors
    Event.objects.filter(type="detained").update(note=note or comment)
    findings, _ = recheck.review()
    assert [f.kind for f in findings] == [recheck.COMMENT]
    recheck.mend("system:recheck", findings)
    assert Event.objects.get(type="detained", superseded_by__isnull=True).note == left
    assert comment[:100] not in _public()


EVENTS = (
    "ФИО;event_type;event_date;release_kind;note;Комментарий\n"
    "Орлов Юрий;detained;2021-02-01;;Задержан на марше;Жена Ольга\n"
    "Орлов Юрий;released;2021-02-15;end_of_term;;нет\n"
    "Гусев Лев;detained;2021-04-01;;Да;\n"
    "Гусев Лев;released;2021-04-11;end_of_term;;Да\n"
)


def test_each_row_of_a_one_row_per_event_list_is_its_events_and_its_own_note_is_no_comment(db):
    # The old import joined an export's note and the comment ("Задержан на марше; Жена Ольга"), and wrote
    # each row's comment on that row's event: two comments of one person are two, each at its line; an own
    # note that reads as another row's comment ("Да") is the event's own, left public.
    result = run("events.csv", EVENTS.encode(), mapping=None)
    assert result.status == "completed", result.errors
    notes = {
        ("Орлов Юрий", "detained"): "Задержан на марше; Жена Ольга",
        ("Орлов Юрий", "released"): "нет",
        ("Гусев Лев", "released"): "Да",
    }
    for (name, kind), note in notes.items():
        Event.objects.filter(person__display_name=name, type=kind).update(note=note)
    Citation.objects.filter(source__confidentiality="restricted").delete()
    findings, _ = recheck.review()
    events = {e.pk: (e.person.display_name, e.type) for e in Event.objects.select_related("person")}
    assert [(f.line, f.text, events[f.event]) for f in findings] == [
        (2, "Жена Ольга", ("Орлов Юрий", "detained")),
        (3, "нет", ("Орлов Юрий", "released")),
        (5, "Да", ("Гусев Лев", "released")),
    ]
    recheck.mend("system:recheck", findings)
    public = _public()
    assert "Задержан на марше" in public and "Ольга" not in public and "нет" not in public
    gusev = Event.objects.get(person__display_name="Гусев Лев", type="detained", superseded_by__isnull=True)
    assert gusev.note == "Да"
    assert recheck.review() == ([], [])


def test_a_record_merged_since_is_mended_on_the_record_it_is_part_of(db):
    _as_the_old_import_left_it()
    yurchenko = Person.objects.get(display_name="Юрченко Богдан")
    other = actions.create_person("tester", "Другой Человек")
    merge.merge("tester", yurchenko, other)
    findings, _ = recheck.review()
    assert COMMENT in [f.text for f in findings]
    recheck.mend("system:recheck", findings)
    assert COMMENT not in _public()
    assert Citation.objects.get(source__title=COMMENT).confidentiality == "restricted"
    assert recheck.review() == ([], [])


def test_the_mapping_given_is_for_the_batches_of_that_mapping_only(db, tmp_path):
    _as_the_old_import_left_it()
    mapping = tmp_path / "partner.yaml"
    mapping.write_text("columns:\n  sources: [Примечание]\n")  # another list's columns, named otherwise
    findings, skipped = recheck.review(mapping=str(mapping))
    assert len(findings) == 4 and not skipped
    ImportBatch.objects.update(mapping="partner-gone")
    out = StringIO()
    call_command("recheck", stdout=out)
    assert "keeps the name only" in out.getvalue() and "nothing found in the batches read" in out.getvalue()


def test_a_correction_more_open_than_the_event_it_corrects_is_found_and_closed(db):
    # The old import wrote a public list's date over a sealed detention as a public correction carrying the
    # sealed note ("по доносу соседа").
    base = "ФИО;event_type;event_date;event_confidentiality;note\nТайный Глеб;detained;2021-02-01;sealed;по доносу соседа\n"
    first = run("base.csv", base.encode(), mapping=None)
    assert first.created == 1
    later = run("list.csv", "ФИО;Дата задержания\nТайный Глеб;03.02.2021\n".encode(), mapping=None)
    assert later.conflicts == 1, later.errors
    # As the old code wrote it: the correction public, and the person too.
    Event.objects.filter(supersedes__isnull=False).update(confidentiality="public")
    Person.objects.update(confidentiality="public")
    Name.objects.update(confidentiality="public")
    assert "по доносу соседа" in _public()
    findings, _ = recheck.review()
    [opened] = [f for f in findings if f.kind == recheck.OPENED]
    assert (opened.batch, opened.line, opened.level, opened.due) == (later.batch_id, 2, "public", "sealed")
    assert recheck.mend("system:recheck", [opened])["corrections_closed"] == 1
    assert "по доносу соседа" not in _public() and "Тайный" in _public()
    [detained] = Event.objects.filter(type="detained", superseded_by__isnull=True)
    assert (str(detained.date_display), detained.confidentiality) == ("2021-02-03", "sealed")
    # Left: the person the sealed row created public.
    assert [(f.kind, f.batch, f.due) for f in recheck.review()[0]] == [
        (recheck.PERSON, first.batch_id, "sealed")
    ]


def test_the_command_names_a_mapping_given_that_cannot_be_read(db, tmp_path):
    # It raised a traceback (MappingError) for a --mapping file that is not there or not a mapping.
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("recheck", "--mapping", str(tmp_path / "gone.yaml"), stdout=StringIO())
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: [1, 2]\n")
    with pytest.raises(CommandError, match="'columns' must map fields to lists of headers"):
        call_command("recheck", "--mapping", str(bad), stdout=StringIO())


REPEATED = (
    "ФИО;Дата задержания;Источник;event_confidentiality\n"
    "Новик Павел;01.02.2022;Свидетель Иванов <https://example.org/witness>;{level}\n"
)


@pytest.mark.parametrize("level", ["restricted", "sealed"])
def test_a_stricter_rows_source_cited_on_a_public_fact_it_repeated_is_found_and_made_stricter(db, level):
    # The old import cited the source of a restricted or sealed row that repeats a stored public fact on that
    # fact at the source's own level, public: the witness's name and link in the public export.
    assert (
        run("open.csv", "ФИО;Дата задержания\nНовик Павел;01.02.2022\n".encode(), mapping=None).created == 1
    )
    result = run("witness.csv", REPEATED.format(level=level).encode(), mapping=None)
    assert result.status == "completed", result.errors
    detained = Event.objects.get(type="detained")
    cited = Citation.objects.get(
        content_type=ContentType.objects.get_for_model(Event),
        object_id=detained.pk,
        source__url="https://example.org/witness",
    )
    assert cited.confidentiality == level  # today's import
    Citation.objects.filter(pk=cited.pk).update(confidentiality="public")  # as the old import left it
    assert "Свидетель Иванов" in _public()
    findings, _ = recheck.review()
    assert [(f.kind, f.line, f.event, f.citation, f.level, f.due) for f in findings] == [
        (recheck.CITATION, 2, detained.pk, cited.pk, "public", level)
    ]
    out = StringIO()
    call_command("recheck", "--fix", stdout=out)
    assert f"a {level} row's source cited on event {detained.pk} at public" in out.getvalue()
    assert "Свидетель Иванов" not in _public() and "2022-02-01" in _public()
    assert recheck.review() == ([], [])


def test_a_public_citation_of_a_restricted_event_is_no_finding(db):
    # Seen only with the event: the restricted row's own new event and its citations at the source's level.
    result = run("witness.csv", REPEATED.format(level="restricted").encode(), mapping=None)
    assert result.status == "completed", result.errors
    Citation.objects.filter(source__url="https://example.org/witness").update(confidentiality="public")
    assert [f.event for f in recheck.review()[0]] == [None]  # on the person only


def test_a_person_a_restricted_row_created_public_is_found_unless_published_since(db):
    result = run("hidden.csv", REPEATED.format(level="sealed").encode(), mapping=None)
    assert result.status == "completed", result.errors
    person = Person.objects.get()
    assert person.confidentiality == "sealed"  # today's import
    Person.objects.update(confidentiality="public")  # as the old import left it
    Name.objects.update(confidentiality="public")  # (its names too)
    [finding] = recheck.review()[0]
    assert (finding.kind, finding.line, finding.level, finding.due) == (recheck.PERSON, 2, "public", "sealed")
    # A person set the level since: published on purpose, not the batch's doing.
    actions.update_person("tester", Person.objects.get(), confidentiality="restricted")
    actions.update_person("tester", Person.objects.get(), confidentiality="public")
    assert recheck.review() == ([], [])


def test_a_person_with_a_public_fact_recorded_since_is_no_finding(db):
    # recheck --fix took off the public list a person whose later public list had published their conviction.
    run("hidden.csv", REPEATED.format(level="restricted").encode(), mapping=None)
    Person.objects.update(confidentiality="public")  # as the old import left it
    Name.objects.update(confidentiality="public")  # (its names too)
    assert [f.kind for f in recheck.review()[0]] == [recheck.PERSON]
    later = "ФИО;Дата задержания;Дата приговора\nНовик Павел;01.02.2022;01.06.2022\n"
    assert run("later.csv", later.encode(), mapping=None).status == "completed"
    assert [f.kind for f in recheck.review()[0] if f.kind == recheck.PERSON] == []


def test_a_stricter_row_of_no_dated_fact_whose_person_is_public_is_found(db):
    data = "ФИО;Год рождения;Комментарий;event_confidentiality\nШило Ганна;1990;семья просит;sealed\n"
    assert run("hidden.csv", data.encode(), mapping=None).created == 1
    Person.objects.update(confidentiality="public")
    Name.objects.update(confidentiality="public")
    [finding] = [f for f in recheck.review()[0] if f.kind == recheck.PERSON]
    assert (finding.text, finding.due) == ("Шило Ганна", "sealed")


def test_a_person_a_public_row_of_the_batch_made_public_is_no_finding(db):
    data = (
        "ФИО;Дата задержания;Дата приговора;event_confidentiality\n"
        "Двойной Ян;01.02.2022;;restricted\n"
        "Двойной Ян;01.02.2022;01.06.2022;\n"
    )
    assert run("two.csv", data.encode(), mapping=None).status == "completed"
    Event.objects.update(confidentiality="restricted")  # no public fact in force: only the batch's rows tell
    assert Person.objects.get().confidentiality == "public"
    assert [f for f in recheck.review()[0] if f.kind == recheck.PERSON] == []


def test_a_person_merged_since_is_no_finding_and_a_cluster_with_a_public_fact_neither(db):
    run("hidden.csv", REPEATED.format(level="restricted").encode(), mapping=None)
    Person.objects.update(confidentiality="public")
    Name.objects.update(confidentiality="public")
    hidden = Person.objects.get()
    other = actions.create_person("tester", "Новик Павел Іванавіч")
    actions.record_event("tester", other, "detained", "2022-02-01")
    merge.merge("tester", hidden, other)  # the public record merged into the one the batch created
    assert [f for f in recheck.review()[0] if f.kind == recheck.PERSON] == []


SEALED_THEN_PUBLIC = (
    "ФИО;Год рождения;Пол;Регион;Род занятий;Иные имена;Дата задержания;event_confidentiality\n"
    "Шпак Роман Игоревич;14.02.1986;м;Могилёвская обл.;офицер КГБ;Петренко Тарас;01.08.2024;sealed\n"
    "Шпак Роман Игоревич;1986;;;;;08.2024;\n"
)


def test_names_and_fields_only_a_stricter_row_gave_are_found_and_mended(db):
    import datetime as dt

    assert run("rows.csv", SEALED_THEN_PUBLIC.encode(), mapping=None).status == "completed"
    # As the old import left it: the sealed row's other name public, its fields on the public person.
    Name.objects.filter(text="Петренко Тарас").update(confidentiality="public")
    Person.objects.update(
        birth_date=dt.date(1986, 2, 14),
        birth_date_precision="day",
        gender="m",
        region="Могилёвская обл.",
        occupation="офицер КГБ",
    )
    findings = [f for f in recheck.review()[0] if f.kind in (recheck.NAME, recheck.FIELD)]
    assert sorted((f.kind, f.field, f.text, f.due, f.value) for f in findings) == [
        (recheck.FIELD, "birth_date", "1986-02-14", "sealed", "1986"),
        (recheck.FIELD, "gender", "m", "sealed", ""),
        (recheck.FIELD, "occupation", "офицер КГБ", "sealed", ""),
        (recheck.FIELD, "region", "Могилёвская обл.", "sealed", ""),
        (recheck.NAME, "", "Петренко Тарас", "sealed", ""),
    ]
    done = recheck.mend("tester", findings)
    assert (done["names_restricted"], done["fields_cleared"]) == (1, 4)
    person = Person.objects.get()
    assert (str(person.birth_date_display), person.gender, person.region, person.occupation) == (
        "1986",
        "",
        "",
        "",
    )
    assert Name.objects.get(text="Петренко Тарас").confidentiality == "sealed"
    assert "Петренко" not in _public() and "КГБ" not in _public()
    assert [f for f in recheck.review()[0] if f.kind in (recheck.NAME, recheck.FIELD)] == []


def test_a_field_or_name_another_import_gave_in_public_is_no_finding(db):
    head = "ФИО;Год рождения;Регион;Иные имена;Дата задержания;event_confidentiality\n"
    assert run(
        "public.csv", (head + "Жуков Олег;1980;Минск;Жукаў Алег;01.02.2021;\n").encode(), mapping=None
    ).created
    later = head + "Жуков Олег;1980;Минск;Жукаў Алег;01.02.2021;sealed\n"
    assert run("sealed.csv", later.encode(), mapping=None).status == "completed"
    assert [f for f in recheck.review()[0] if f.kind in (recheck.NAME, recheck.FIELD)] == []


def test_a_name_or_field_a_later_public_list_gave_is_no_finding(db):
    assert run("rows.csv", SEALED_THEN_PUBLIC.encode(), mapping=None).status == "completed"
    Name.objects.filter(text="Петренко Тарас").update(confidentiality="public")
    Person.objects.update(region="Могилёвская обл.", occupation="офицер КГБ")
    assert {f.kind for f in recheck.review()[0]} == {recheck.NAME, recheck.FIELD}
    # A later public list gives the same region and the other name: published by right, not mended away.
    later = "ФИО;Год рождения;Регион;Иные имена;Дата задержания\nШпак Роман Игоревич;1986;Могилёвская обл.;Петренко Тарас;08.2024\n"
    assert run("later.csv", later.encode(), mapping=None).status == "completed"
    assert sorted((f.kind, f.field) for f in recheck.review()[0]) == [(recheck.FIELD, "occupation")]
