"""Importing real-shaped messy files: every problem row named, good rows in, nothing lost or doubled."""

import json

import pytest
from django.db import transaction

from spis.intake import export, importer
from spis.intake.messages import render
from spis.intake.models import ImportBatch, ImportRow
from spis.registry import actions
from spis.registry.models import Citation, Event, Name, Person, Source

from .helpers import fixture, registry_counts, run

VIASNA = "viasna_ru_bom_semicolon.csv"


def _errors(result):
    return {(e["line"], e["column"]): e["message"] for e in result.errors}


def test_it_reports_each_problem_row_with_line_column_and_reason(db):
    result = run(VIASNA, partial=True)
    errors = _errors(result)
    assert "missing name" in errors[(6, "ФИО")]
    assert "not a real date" in errors[(7, "Дата рождения / Date of birth")]
    assert "formula" in errors[(10, "ФИО")]
    assert len(errors) == 3
    assert result.rows == 9 and result.status == "partial"


def test_it_imports_the_good_rows_with_partial(db):
    result = run(VIASNA, partial=True)
    assert result.created == 4
    assert Person.objects.count() == 4
    person = Name.objects.get(text="Тэставы Янка Пятровіч").person
    # The Russian spelling on line 3 is the same synthetic person: one person, two names.
    assert set(person.names.values_list("text", flat=True)) == {
        "Тэставы Янка Пятровіч",
        "Тестовый Иван Петрович",
    }
    convicted = person.events.get(type="convicted")
    assert convicted.case.articles == [
        {"code": "CC-BY", "article": "342", "part": "1"},
        {"code": "CC-BY", "article": "361-1"},
    ]
    sentenced = person.events.get(type="sentenced")
    assert (sentenced.sentence_months, sentenced.regime) == (36, "strengthened")
    person.refresh_from_db()
    assert person.status == "in_custody" and person.current_facility.name == "ИК-15, Могилёв"
    released = Name.objects.get(text="Прыкладная Алена Ігараўна").person.events.get(type="released")
    assert released.release_kind == "pardon" and released.date_display == "2023-07-03"
    # A quoted newline inside a cell arrives whole (a comment's line break kept); the list's comment is no
    # public note of the detention but a restricted source on the person.
    assert person.events.get(type="detained").note == ""
    comment = Source.objects.get(title__contains="задержан у дома")
    assert comment.title == "две строки:\nзадержан у дома" and comment.confidentiality == "restricted"


def test_it_counts_an_exact_duplicate_row_as_unchanged(db):
    result = run(VIASNA, partial=True)
    outcomes = {p.record.line: p.outcome for p in result.plans}
    assert outcomes[8] == "created" and outcomes[9] == "unchanged"
    assert Name.objects.filter(text="Пробная Марыя Янаўна").count() == 1


def test_it_leaves_the_database_unchanged_after_a_failed_all_or_nothing_import(db):
    before = registry_counts()
    result = run(VIASNA)
    assert result.status == "failed" and result.errors
    assert result.created == 0 and result.would_have["created"] == 4
    assert registry_counts() == {**before, "AuditEntry": registry_counts()["AuditEntry"]}
    assert Person.objects.count() == 0 and Event.objects.count() == 0
    # The failed batch is kept with its rows, so the errors stay on file.
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.status == "failed" and batch.rows.filter(outcome="error").count() == 3


def test_it_changes_nothing_on_a_dry_run(db):
    before = registry_counts()
    result = run(VIASNA, partial=True, dry_run=True)
    assert result.created == 4 and result.dry_run
    assert registry_counts() == before
    assert not ImportBatch.objects.exists()


def test_it_is_idempotent_for_the_same_file_and_for_the_same_rows(db):
    first = run(VIASNA, partial=True)
    counts = registry_counts()
    again = run(
        VIASNA, partial=True
    )  # read again, as it refused rows: the same rows refused, the rest unchanged
    assert (again.created, again.updated, again.conflicts, again.unchanged) == (0, 0, 0, 6)
    assert again.errors == first.errors
    # The same file cites the same source: each retry of its refused rows made one more, cited by nothing.
    facts = ("Person", "Name", "Event", "Citation", "Case", "Facility", "Source")
    assert {k: registry_counts()[k] for k in facts} == {k: counts[k] for k in facts}
    assert (
        ImportBatch.objects.get(pk=again.batch_id).source == ImportBatch.objects.get(pk=first.batch_id).source
    )
    clean = run("clean.csv", data=_csv("ФИО;Год рождения;Дата задержания", "Новый Ян;1980;01.02.2021"))
    counts = registry_counts()
    assert (
        run(
            "clean.csv", data=_csv("ФИО;Год рождения;Дата задержания", "Новый Ян;1980;01.02.2021")
        ).already_imported
        == clean.batch_id
    )
    assert registry_counts() == counts
    # The same rows in a different file (one more blank line): every good row is unchanged.
    changed = run(VIASNA, data=fixture(VIASNA) + b"\r\n", partial=True)
    assert (changed.created, changed.updated, changed.conflicts) == (0, 0, 0)
    assert changed.unchanged == 6
    assert Event.objects.count() == counts["Event"] and Person.objects.count() == counts["Person"]


def test_it_keeps_provenance_for_every_batch_and_row(db):
    result = run(VIASNA, partial=True)
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert len(batch.checksum) == 64 and batch.format == "csv" and batch.mapping == "viasna"
    assert batch.counts["created"] == 4 and batch.source.title.startswith("Viasna")
    rows = {r.line: r for r in ImportRow.objects.filter(batch=batch)}
    assert rows[2].outcome == "created" and rows[2].person is not None
    assert rows[2].raw["ФИО"] == "Тэставы Янка Пятровіч" and rows[2].raw["№"] == "1"
    # "№" numbers the export's rows: kept with the row, never taken for an id of the person.
    assert rows[2].external_id == "" and "№" in result.ignored_columns
    assert rows[6].outcome == "error" and "missing name" in render(rows[6].messages[0])
    # Every event the batch wrote cites the batch's source.
    for event in Event.objects.all():
        assert Citation.objects.filter(object_id=event.pk, source=batch.source).exists()


def test_it_reports_a_different_detention_date_as_a_superseding_cited_event(db):
    run(VIASNA, partial=True)
    person = Name.objects.get(text="Тэставы Янка Пятровіч").person
    old = person.events.get(type="detained")
    data = "ФИО;Дата рождения;Дата задержания\nТэставы Янка Пятровіч;1985;15.03.2021\n".encode()
    result = run("correction.csv", data=data, source_text="Court-watch report, June 2021")
    assert result.conflicts == 1
    assert "stored 2021-03-12, file says 2021-03-15" in render(result.plans[0].messages[-1])
    new = Event.objects.get(supersedes=old)
    assert new.date_display == "2021-03-15"
    assert new.citations.get().source.title == "Court-watch report, June 2021"
    old.refresh_from_db()
    assert old.date_display == "2021-03-12"  # the stored value is kept, not overwritten


def test_it_keeps_the_stored_value_when_the_policy_is_keep(db):
    run(VIASNA, partial=True)
    data = "ФИО;Дата рождения;Дата задержания\nТэставы Янка Пятровіч;1985;15.03.2021\n".encode()
    before = registry_counts()["Event"]
    result = run("correction.csv", data=data, conflict_policy="keep")
    assert result.conflicts == 1 and registry_counts()["Event"] == before


def test_it_reads_cp1251_xlsx_and_json_lines(db):
    run(VIASNA, partial=True)
    be = run("partner_be_cp1251.csv")
    assert be.status == "completed", be.errors
    assert (be.created, be.unchanged) == (1, 1)
    sentenced = Name.objects.get(text="Ўзорная Святлана Міхайлаўна").person.events.get(type="sentenced")
    assert (sentenced.sentence_months, sentenced.regime) == (48, "general")
    xlsx = run("court_watch.xlsx", partial=True)
    assert xlsx.created == 2 and _errors(xlsx)[(4, "Date of detention")].endswith("is in the future")
    assert Person.objects.get(display_name="Vera Testava").birth_date_display == "1995"
    lines = run("partner.jsonl")
    assert (lines.created, lines.updated) == (1, 1)
    assert Name.objects.get(text="Синтетический Павел").person.names.count() == 2


def test_both_writers_give_the_same_result(db):
    def snapshot(writer):
        with transaction.atomic():
            run(VIASNA, partial=True, writer=writer)
            run("partner_be_cp1251.csv", writer=writer)
            data = b"".join(export.export("json", public=False))
            transaction.set_rollback(True)
        return _strip_ids(data)

    assert snapshot("actions") == snapshot("bulk")


def _strip_ids(data: bytes):
    import json

    records = json.loads(data)
    for record in records:
        for event in record["events"]:
            event.pop("id")
    return records


def test_it_refuses_an_unreadable_file_with_a_reason(db):
    result = importer.run_import(b"\x00\x01garbage\xff", file_name="x.csv")
    assert result.status == "failed" and result.errors[0]["message"]
    assert Person.objects.count() == 0


def test_it_appends_to_a_person_created_by_hand(db):
    person = actions.create_person("tester", "Тэставы Янка Пятровіч", birth_date="1985-03-12")
    run(VIASNA, partial=True)
    assert Name.objects.get(text="Тестовый Иван Петрович").person == person
    assert person.events.filter(type="detained").count() == 1


def test_a_large_import_pauses_the_cyclic_collector_and_restores_it(db, monkeypatch):
    import gc

    monkeypatch.setattr(importer, "LARGE_FILE_BYTES", 0)  # every file counts as large
    seen = []
    result = run(VIASNA, partial=True, writer="bulk", report=lambda *_: seen.append(gc.isenabled()))
    assert result.created and seen and not any(seen)
    assert gc.isenabled()
    # Restored after a failure too.
    result = importer.run_import(b"\x00\x01garbage\xff", file_name="x.csv")
    assert result.status == "failed" and gc.isenabled()


_LISTED = {
    1: ("Тэставы Янка Пятровіч", "Testavy Janka"),
    2: ("Прыкладная Алена Ігараўна", "Prykladnaja Alena"),
    3: ("Узорны Сымон Міхайлавіч", "Uzorny Symon"),
}


def _listed():
    """A list with ids of its own (a partner's export): three people detained."""
    lines = ["id;ФИО;Дата рождения;Дата задержания"]
    lines += [f"{i};{name};1985;12.03.2021" for i, (name, _) in _LISTED.items()]
    return _csv(*lines)


def _refreshed(ids):
    """A later export of the same list: the rows keep their ids, the names are spelt in Latin letters and the
    birth dates left out, and every listed person is now released."""
    lines = ["id;ФИО;Дата рождения;Статус;Дата освобождения"]
    lines += [f"{i};{_LISTED[i][1]};;освобожден по окончании срока;01.06.2024" for i in ids]
    return _csv(*lines)


def test_a_refreshed_list_finds_its_people_by_their_ids_with_one_look_up(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run("listed.csv", data=_listed())
    people = Person.objects.count()
    for writer in ("actions", "bulk"):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            result = run("refresh.csv", data=_refreshed([1, 3]), writer=writer)
            transaction.set_rollback(True)
        assert result.status == "completed" and Person.objects.count() == people
        assert (result.created, result.updated + result.conflicts) == (0, 2), writer
        reads = [
            q["sql"] for q in queries if q["sql"].startswith("SELECT") and "intake_importrow" in q["sql"]
        ]
        assert len(reads) == 1, writer  # all earlier ids at once, not a look-up per row


def test_a_large_file_loads_the_people_it_names_at_once(db):
    """In bulk the stored people a file names by id are loaded together: the queries do not grow with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run("listed.csv", data=_listed())
    counts = []
    for ids in ([1], [1, 2, 3]):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            result = run("refresh.csv", data=_refreshed(ids), writer="bulk")
            transaction.set_rollback(True)
        assert result.created == 0 and result.updated + result.conflicts == len(ids)
        counts.append(sum(q["sql"].startswith("SELECT") and "registry_event" in q["sql"] for q in queries))
    assert counts[0] == counts[1]


def test_an_id_of_a_merged_record_leads_to_the_person_it_was_merged_into(db):
    from spis.registry import merge

    run("listed.csv", data=_listed())
    listed = ImportRow.objects.get(external_id="1").person
    kept = actions.create_person("t", "Тэставы Янка", birth_date="1985-03-12")
    merge.merge("t", listed, kept)
    for writer in ("actions", "bulk"):
        with transaction.atomic():
            result = run("refresh.csv", data=_refreshed([1]), writer=writer)
            assert result.plans[0].person == ("db", kept.pk), writer
            assert kept.events.filter(type="released").exists() and not listed.events.filter(type="released")
            transaction.set_rollback(True)


def test_a_nul_character_in_a_json_field_fails_the_file_with_its_record(db):
    data = b'[{"name": "Fine Person"}, {"name": "Bad\\u0000Person"}]'
    result = importer.run_import(data, file_name="people.json")
    assert result.status == "failed" and Person.objects.count() == 0
    assert result.errors == [
        {
            "line": 2,
            "column": "",
            "value": "",
            "message": "a field holds a NUL character (\\u0000): not storable text",
        }
    ]


def test_a_large_file_loads_the_stored_people_its_names_match_at_once(db):
    """Matched by name and birth date (no ids): in bulk the candidates are loaded together, so the queries
    do not grow with the rows that find their person."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run(VIASNA, partial=True)
    # The first supersedes a stored release (another date): each file then also looks up what to keep of it.
    listed = {
        "Прыкладная Алена Ігараўна": "1990",
        "Тэставы Янка Пятровіч": "12.03.1985",
        "Пробная Марыя Янаўна": "02.01.1985",
    }
    counts = []
    for names in (list(listed)[:1], list(listed)):
        lines = ["ФИО;Дата рождения;Статус;Дата освобождения"]
        lines += [f"{name};{listed[name]};освобожден по окончании срока;01.06.2024" for name in names]
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            result = run("refresh.csv", data=("\n".join(lines) + "\n").encode(), writer="bulk")
            transaction.set_rollback(True)
        assert (result.created, result.updated + result.conflicts) == (0, len(names)), result.as_dict()
        counts.append(sum(q["sql"].startswith("SELECT") and "registry_event" in q["sql"] for q in queries))
    assert counts[0] == counts[1]


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_one_id_for_two_people_in_one_file_is_refused_not_merged(db):
    data = _csv(
        "id;ФИО;Дата рождения;Дата задержания",
        "1;Михайлов Михаил;1970;12.03.2021",
        "1;Николаева Наталья;1995;01.06.2022",
        "1;Михайлов Михаил Иванович;1970;12.03.2021",
    )
    result = run("ids.csv", data=data, partial=True)
    assert [p.outcome for p in result.plans] == ["created", "error", "updated"]  # the third adds a name
    assert "given earlier in this file to 'Михайлов Михаил'" in _errors(result)[(3, "id")]
    assert result.errors[0]["value"] == "1"
    assert not Name.objects.filter(text="Николаева Наталья").exists()
    assert Person.objects.get().events.count() == 1 and Name.objects.count() == 2


def test_two_lists_numbering_their_rows_are_not_one_set_of_people(db):
    first = _csv("№;ФИО;Год рождения;Дата задержания", "1;Иванов Иван Иванович;1980;12.03.2021")
    second = _csv("№;ФИО;Год рождения;Пол;Дата задержания", "1;Петрова Мария Сергеевна;1995;ж;01.06.2022")
    run("first.csv", data=first)
    result = run("second.csv", data=second)
    assert (result.status, result.created) == ("completed", 1) and "№" in result.ignored_columns
    assert (
        Person.objects.count() == 2
        and Name.objects.filter(text="Иванов Иван Иванович").get().person.names.count() == 1
    )


def test_an_id_an_earlier_import_gave_to_someone_else_is_refused_not_merged(db):
    run("first.csv", data=_listed())
    clash = _csv("id;ФИО;Дата рождения;Дата задержания", "1;Петрова Мария Сергеевна;1995;01.06.2022")
    for writer in ("actions", "bulk"):
        result = run("partner.csv", data=clash, writer=writer)
        assert result.status == "failed" and Person.objects.count() == 3, writer
        assert result.errors[0]["column"] == "id" and result.errors[0]["value"] == "1"
        assert "an earlier import gave this id to 'Тэставы Янка Пятровіч'" in result.errors[0]["message"]
    # The same person respelt under the id is still found by it.
    result = run("respelt.csv", data=_csv("id;ФИО", "1;Tesstavy Janka Piatrovich"))
    assert result.status == "completed" and result.created == 0 and Person.objects.count() == 3


def test_a_short_and_a_full_spelling_of_one_name_are_one_person_in_both_writers(db):
    full = _csv("ФИО;Дата рождения;Дата задержания", "Лукашевич Андрей Петрович;12.03.1985;12.03.2021")
    short = _csv("ФИО;Дата рождения;Дата задержания", "Лукашевич Андрей;12.03.1985;12.03.2021")
    for writer in ("actions", "bulk"):
        with transaction.atomic():
            run("full.csv", data=full, writer=writer)
            result = run("short.csv", data=short, writer=writer)
            assert (result.created, result.unchanged + result.updated) == (0, 1), writer
            assert Person.objects.count() == 1
            transaction.set_rollback(True)
    # And within one file.
    result = run("both.csv", data=full + short.split(b"\n", 1)[1])
    assert (result.created, Person.objects.count()) == (1, 1)


def test_details_a_file_adds_to_a_stored_event_are_kept_and_different_ones_are_conflicts(db):
    head = "ФИО;Дата рождения;Дата приговора;Статьи;Приговор"
    row = "Тэставы Янка;1985;15.09.2021;342 ч.1;3 года колонии"
    run("base.csv", data=_csv(head, row))
    more = run("more.csv", data=_csv(head + ";Судья;Номер дела", row + ";Іваноў І.І.;1-123/2021"))
    assert (more.updated, more.conflicts) == (1, 0), [p.messages for p in more.plans]
    assert "case number, judge added" in render(more.plans[0].messages[-1])
    sentenced = Event.objects.get(type="sentenced", supersedes__isnull=False)
    assert (sentenced.case.judge, sentenced.case.number) == ("Іваноў І.І.", "1-123/2021")
    assert sentenced.case.articles  # the stored articles stay with the judge the file added
    again = run("more-again.csv", data=_csv(head + ";Судья;Номер дела", row + ";Іваноў І.І.;1-123/2021"))
    assert (again.unchanged, again.updated) == (1, 0)
    other = run("other.csv", data=_csv(head + ";Судья", row + ";Пятроў П.П."))
    assert other.conflicts == 1
    assert "judge: stored Іваноў І.І., file says Пятроў П.П." in render(other.plans[0].messages[-1])
    # --json says what each conflict is, not only how many there are.
    [conflict] = other.as_dict()["conflict_rows"]
    assert conflict["line"] == 2 and "judge: stored Іваноў І.І., file says Пятроў П.П." in conflict["message"]


def test_the_same_file_again_refuses_the_rows_it_refused_the_same_way(db):
    first = run(VIASNA, partial=True)
    again = run(VIASNA, partial=True)
    assert not again.already_imported
    assert [e["line"] for e in again.errors] == [e["line"] for e in first.errors] == [6, 7, 10]
    # Each problem as the first import gave it: its column, the value (as stored: cut after 60 characters) and
    # the reason.
    assert again.errors == first.errors
    assert again.errors[-1]["column"] == "ФИО" and again.errors[-1]["value"].startswith("=HYPERLINK")
    assert again.unchanged == again.rows - 3


def test_the_same_file_again_names_every_problem_of_a_row(db):
    data = _csv("ФИО;Дата рождения;Дата задержания", "Иванов Иван;31.02.1980;32.13.2021", "Петров Пётр;1980;")
    first = run("two.csv", data=data, partial=True)
    again = run("two.csv", data=data, partial=True)
    assert [(e["line"], e["column"]) for e in again.errors] == [(2, "Дата рождения"), (2, "Дата задержания")]
    assert again.errors == first.errors


def test_a_stored_row_keeps_the_refused_value_with_its_column(db):
    result = run(VIASNA, partial=True)
    row = ImportRow.objects.get(batch_id=result.batch_id, line=7)
    assert render(row.messages[0]).startswith("Дата рождения / Date of birth (31.02.1980): ")


def test_a_public_person_is_never_displayed_by_a_restricted_name(db):
    import json

    def person(*names):
        return {
            "display_name": names[0][0],
            "names": [{"text": text, "confidentiality": level} for text, level in names],
            "birth_date": "1984",
            "events": [{"type": "detained", "date": "2021-03-02"}],
        }

    data = json.dumps(
        [
            person(("Тайная Татьяна", "restricted"), ("Т. Т.", "public")),
            person(("Скрытая Светлана", "restricted")),
        ]
    ).encode()
    result = importer.run_import(data, file_name="people.json", partial=True)
    assert [p.outcome for p in result.plans] == ["created", "error"]
    assert "every name of this public person is restricted" in result.errors[0]["message"]
    assert Person.objects.get().display_name == "Т. Т."
    public = b"".join(export.export("json", public=True)).decode()
    assert "Т. Т." in public and "Тайная" not in public and "Скрытая" not in public


def test_a_row_held_without_a_detention_date_says_custody_was_not_recorded(db):
    data = _csv(
        "ФИО;Дата рождения;Дата приговора;Приговор;Статус",
        "Шчукін Шчук;1980;15.09.2021;3 года колонии;в заключении",
    )
    result = run("held.csv", data=data)
    assert result.created == 1
    notes = [render(m) for m in result.plans[0].messages]
    assert any("status says in custody, but no date of detention is given" in note for note in notes)
    assert Person.objects.get().status == "at_liberty"  # what the events say; the note says why


def test_a_name_typed_with_latin_letters_among_cyrillic_ones_is_pointed_out(db):
    data = _csv("ФИО;Дата рождения", "Ивaнoв Ивaн;1980", "Иванов Пётр;1981")  # a, o in the first are Latin
    result = run("mixed.csv", data=data)
    notes = [[render(m) for m in p.messages] for p in result.plans]
    mixed = ["mixes Latin and Cyrillic letters" in n for n in notes[0] + notes[1]]
    assert any("mixes Latin and Cyrillic letters" in n for n in notes[0]) and sum(mixed) == 1


def test_an_id_longer_than_the_registry_keeps_is_refused_not_cut(db):
    external = importer.run_import(
        _csv("id;ФИО;Дата рождения", f"{'7' * 101};Доўгі Нумар;1980"), file_name="a.csv"
    )
    public = importer.run_import(
        _csv("public_id;ФИО", "BY-00000000000000001;Доўгі Публічны"), file_name="b.csv"
    )
    for result, column in ((external, "id"), (public, "public_id")):
        assert result.status == "failed" and result.errors[0]["column"] == column
        assert "at most" in result.errors[0]["message"]
    assert not Person.objects.exists()


def test_a_place_with_no_date_of_detention_is_refused_in_the_rows_own_terms(db):
    # A court-watch row: the verdict and the colony are known, the day of the arrest is not. The registry cannot
    # hold someone at a place without a detention, so the row is refused, naming what was written and what to add.
    data = (
        "ФИО;Дата рождения;Дата задержания;Статьи;Дата приговора;Приговор;Место заключения\n"
        "Тэставы Іван Іванавіч;1980;;342 ч.1;01.09.2021;3 года колонии общего режима;ИК-15\n"
        "Другі Пётр;1985;;342 ч.1;01.09.2021;штраф;\n"
    ).encode()
    result = run("court-watch.csv", data=data, partial=True)
    assert result.created == 1
    (error,) = result.errors
    assert (error["line"], error["column"], error["value"]) == (2, "Место заключения", "ИК-15")
    assert error["message"].startswith("a place of detention, but no date of detention before it")
    assert "add the date of detention, or leave the place empty" in error["message"]


def test_a_sentence_of_another_kind_replaces_the_stored_one_whole(db):
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор"
    fine = _csv(header, "Иванов Иван Иванович;1980;12.03.2021;01.09.2021;штраф 50 базовых величин")
    term = _csv(header, "Иванов Иван Иванович;1980;12.03.2021;01.09.2021;1,5 года колонии")
    run("fine.csv", data=fine)
    result = run("term.csv", data=term)
    # Before: "updated", and the correction was a fine of 18 months (the stored regime and fine carried over).
    said = [render(message) for message in result.plans[0].messages]
    assert result.conflicts == 1 and any(
        "penalty: stored fine, file says 1,5 года колонии" in text for text in said
    )
    assert any("the release is withdrawn" in text for text in said)
    current = Event.objects.get(type="sentenced", superseded_by__isnull=True)
    assert (current.sentence_months, current.regime, current.fine_amount) == (18, "", "")
    assert run("term-again.csv", data=term + b"\n").unchanged == 1
    # And back: a fine alone where a term is stored keeps no term (another fine: the first list's again would
    # undo the correction, which is kept).
    run("fine-again.csv", data=fine.replace(b"50", b"60"))
    current = Event.objects.get(type="sentenced", superseded_by__isnull=True)
    assert (current.sentence_months, current.regime, current.fine_amount) == (
        None,
        "fine",
        "штраф 60 базовых величин",
    )


def test_a_release_before_the_rows_own_detention_says_so_with_both_dates(db):
    data = _csv(
        "ФИО;Дата задержания;Дата приговора;Приговор;Место заключения;Статус;Дата освобождения",
        "Карпович Лев;12.03.2021;15.07.2021;2 года колонии общего режима;;освобожден;01.03.2021",
        "Саввич Рем;12.03.2022;15.07.2021;2 года колонии общего режима;ИК-1;в заключении;",
    )
    errors = _errors(run("history.csv", data=data, partial=True))
    assert errors[(2, "Дата освобождения")] == (
        "a release on 2021-03-01, before this row's date of detention (2021-03-12): check the dates"
    )
    assert errors[(3, "Место заключения")] == (
        "a place of detention from 2021-07-15, before this row's date of detention (2022-03-12): check the dates"
    )


def test_a_stored_event_the_row_makes_impossible_is_named_at_the_rows_column(db):
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Место заключения"
    run("first.csv", data=_csv(header, "Ковальчук Андрей;1991;12.03.2021;15.07.2021;2 года колонии;ИК-15"))
    result = run(
        "later.csv", data=_csv("ФИО;Год рождения;Дата задержания", "Ковальчук Андрей;1991;01.01.2022")
    )
    [error] = result.errors
    assert (error["column"], error["value"]) == ("Дата задержания", "01.01.2022")
    assert error["message"].startswith("with this row, an event the registry holds (transferred, 2021-07-15)")


def test_fewer_articles_are_no_correction_that_drops_the_others(db):
    header = "ФИО;Год рождения;Дата задержания;Статьи;Дата приговора;Судья"
    run("full.csv", data=_csv(header, "Ковальчук Андрей;1991;12.03.2021;ч.2 ст.293, ч.1 ст.342;15.07.2021;"))
    for cell in ("ч.1 ст.342", "342", "293"):
        result = run(f"{cell}.csv", data=_csv(header, f"Ковальчук Андрей;1991;12.03.2021;{cell};15.07.2021;"))
        assert result.unchanged == 1, cell
    # With a detail added (the judge), the correction keeps every stored article.
    result = run("judge.csv", data=_csv(header, "Ковальчук Андрей;1991;12.03.2021;342;15.07.2021;Судья А."))
    assert result.updated == 1
    case = Event.objects.get(type="convicted", superseded_by__isnull=True).case
    assert case.judge == "Судья А." and [a["article"] for a in case.articles] == ["293", "342"]
    # Another article is a correction.
    result = run("other.csv", data=_csv(header, "Ковальчук Андрей;1991;12.03.2021;ч.1 ст.130;15.07.2021;"))
    assert result.conflicts == 1


def test_two_spellings_of_one_colony_are_one_place_and_no_conflict(db):
    from spis.registry.models import Facility

    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Место заключения"
    row = "Ковальчук Андрей;1991;12.03.2021;15.07.2021;2 года колонии;{}"
    run("a.csv", data=_csv(header, row.format("ИК-15 (Шклов)")))
    for spelling in ("ИК №15 г. Шклов", "Penal colony No. 15, Shklou"):
        assert run(f"{spelling}.csv", data=_csv(header, row.format(spelling))).unchanged == 1, spelling
    added = _csv(header, "Новиков Олег;1980;01.02.2022;01.06.2022;3 года колонии;исправительная колония №15")
    run("b.csv", data=added)
    assert Facility.objects.count() == 1 and Facility.objects.get().name == "ИК-15 (Шклов)"


def test_a_corrected_verdict_date_supersedes_conviction_and_sentence_in_both_writers(db):
    header = "ФИО;Дата приговора;Приговор"
    first = _csv(header, "Гриневич Олег Петрович;15.11.2022;6 лет колонии усиленного режима")
    later = _csv(header, "Гриневич Олег Петрович;16.11.2022;6 лет колонии усиленного режима")
    run("first.csv", data=first)
    for writer in ("actions", "bulk"):
        with transaction.atomic():
            # Before, the row-by-row writer corrected the conviction alone first, and the registry refused a
            # sentence dated before it: the whole file failed.
            result = run("later.csv", data=later, writer=writer)
            assert (result.status, result.conflicts) == ("completed", 1), writer
            in_force = Event.objects.filter(superseded_by__isnull=True).order_by("type")
            assert [(e.type, str(e.date)) for e in in_force] == [
                ("convicted", "2022-11-16"),
                ("sentenced", "2022-11-16"),
            ], writer
            transaction.set_rollback(True)


def test_a_plain_release_says_less_than_a_stored_pardon_not_something_else(db):
    header = "ФИО;Дата задержания;Статус;Дата освобождения"
    run("first.csv", data=_csv(header, "Карпович Лев;12.03.2021;помилован;01.06.2023"))
    assert run("plain.csv", data=_csv(header, "Карпович Лев;12.03.2021;освобожден;01.06.2023")).unchanged == 1
    # A corrected date keeps the stored kind.
    result = run("date.csv", data=_csv(header, "Карпович Лев;12.03.2021;освобожден;02.06.2023"))
    assert result.conflicts == 1
    released = Event.objects.get(type="released", superseded_by__isnull=True)
    assert (str(released.date), released.release_kind) == ("2023-06-02", "pardon")


def test_the_same_name_with_another_birth_date_is_created_with_a_note(db):
    header = "ФИО;Дата рождения;Дата задержания"
    run("first.csv", data=_csv(header, "Бондарчук Виктор Николаевич;02.02.1970;12.03.2021"))
    result = run("later.csv", data=_csv(header, "Бондарчук Виктор Николаевич;02.02.1971;12.03.2021"))
    assert result.created == 1  # birth dates tell namesakes apart: no merge on a name alone
    notes = [render(m) for m in result.plans[0].messages]
    expected = (
        "BY-000001 has the same name ('Бондарчук Виктор Николаевич') and another birth date (1970-02-02"
    )
    assert any(note.startswith(expected) for note in notes), notes


def test_another_place_on_a_later_list_keeps_the_stored_one_and_says_what_to_record(db):
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Место заключения"
    row = "Сидоренко Павел;1985;12.03.2021;22.06.2021;4 года колонии;{}"
    run("first.csv", data=_csv(header, row.format("ИК-2 (Бобруйск)")))
    result = run("later.csv", data=_csv(header, row.format("ИК-9 (Горки)")))
    assert result.conflicts == 1
    assert "stored ИК-2 (Бобруйск), file says ИК-9 (Горки); kept stored" in render(
        result.plans[0].messages[-1]
    )
    # Before, the ИК-2 transfer was superseded and the person was in ИК-9 from the 2021 verdict on.
    [transfer] = Event.objects.filter(type="transferred", superseded_by__isnull=True)
    assert transfer.facility.name == "ИК-2 (Бобруйск)"


def test_a_name_in_capitals_is_no_new_name(db):
    header = "ФИО;Год рождения;Дата задержания"
    run("first.csv", data=_csv(header, "Мельник Ольга Петровна;1980;12.03.2021"))
    assert run("caps.csv", data=_csv(header, "МЕЛЬНИК Ольга Петровна;1980;12.03.2021")).unchanged == 1
    assert Name.objects.count() == 1


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_correction_keeps_what_the_stored_event_has_and_the_file_does_not_give(db, writer):
    from spis.registry.models import Organization

    viasna = Organization.objects.create(name="Viasna (test)")
    person = actions.create_person("t", "Карпович Лев", birth_date="1985")
    actions.record_event("t", person, "detained", "2021-03-12")
    actions.record_event("t", person, "recognized", "2021-04-01", organization=viasna)
    header = "ФИО;Год рождения;Дата задержания;Дата признания"
    result = run("later.csv", data=_csv(header, "Карпович Лев;1985;12.03.2021;02.04.2021"), writer=writer)
    assert result.conflicts == 1
    recognized = Event.objects.get(type="recognized", superseded_by__isnull=True)
    assert (str(recognized.date), recognized.organization) == ("2021-04-02", viasna)


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_correction_of_a_correction_in_one_file_keeps_the_organisation_too(db, writer):
    from spis.registry.models import Organization

    viasna = Organization.objects.create(name="Viasna (test)")
    person = actions.create_person("t", "Карпович Лев", birth_date="1985")
    actions.record_event("t", person, "recognized", "2021-04-01", organization=viasna)
    header = "ФИО;Год рождения;Дата признания"
    rows = ("Карпович Лев;1985;02.04.2021", "Карпович Лев;1985;03.04.2021")
    run("twice.csv", data=_csv(header, *rows), writer=writer)
    chain = Event.objects.filter(type="recognized").order_by("pk")
    assert [(str(e.date), e.organization) for e in chain] == [
        ("2021-04-01", viasna),
        ("2021-04-02", viasna),
        ("2021-04-03", viasna),
    ]
    assert chain[2].supersedes == chain[1] and chain[1].supersedes == chain[0]


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_source_column_is_cited_on_the_person_and_each_event_of_its_row(db, writer):
    from spis.registry.models import Source

    header = "ФИО;Дата задержания;Дата приговора;Источник"
    rows = (
        "Крынічная Ала;12.03.2021;01.09.2021;Суд над Алай <https://example.org/a> | https://example.org/b",
        "Спасылкавы Ян;13.03.2021;;https://example.org/b https://example.org/c",
        "Без Спасылкі;14.03.2021;;",
    )
    result = run("sources.csv", data=_csv(header, *rows), writer=writer)
    assert result.status == "completed" and result.created == 3, result.errors
    own = ImportBatch.objects.get().source_id
    cited = {}
    for citation in Citation.objects.exclude(source_id=own).select_related("source"):
        target = citation.content_type.get_object_for_this_type(pk=citation.object_id)
        key = target.display_name if isinstance(target, Person) else (target.person.display_name, target.type)
        cited.setdefault(key, set()).add((citation.source.title, citation.source.url))
    a = {("Суд над Алай", "https://example.org/a"), ("https://example.org/b", "https://example.org/b")}
    bc = {
        ("https://example.org/b", "https://example.org/b"),
        ("https://example.org/c", "https://example.org/c"),
    }
    assert cited == {
        "Крынічная Ала": a,
        ("Крынічная Ала", "detained"): a,
        ("Крынічная Ала", "convicted"): a,
        "Спасылкавы Ян": bc,
        ("Спасылкавы Ян", "detained"): bc,
    }
    # One stored source per link, however many rows cite it; again, the same file changes nothing.
    assert Source.objects.filter(url="https://example.org/b").count() == 1
    assert run("sources.csv", data=_csv(header, *rows), writer=writer).already_imported


def test_a_source_the_registry_cannot_store_is_refused_with_its_line_and_column(db):
    header = "ФИО;Дата задержания;Источник"
    rows = ("Добрая Крыніца;12.03.2021;https://example.org/a", "Кепская Крыніца;12.03.2021;Газета <ftp:/x>")
    result = run("bad_source.csv", data=_csv(header, *rows), partial=True)
    assert result.created == 1
    assert result.errors == [
        {
            "line": 3,
            "column": "Источник",
            "value": "Газета <ftp:/x>",
            "message": "'ftp:/x' is not a web link (http:// or https://)",
        }
    ]


def test_a_json_source_object_is_checked_key_by_key(db):
    import json

    record = {
        "names": ["Аб'ектная Крыніца"],
        "events": [
            {
                "type": "detained",
                "date": "2021-03-12",
                "sources": [
                    {"title": "Добрая", "url": "https://example.org/ok", "locator": "p. 1"},
                    {"title": "Кепская", "reliability": "certain", "published_on": "12.03.2021"},
                    {"url": 7},
                    {},
                ],
            }
        ],
    }
    result = importer.run_import(json.dumps([record]).encode(), file_name="objects.json")
    assert result.status == "failed"
    assert [(e["column"], e["value"], e["message"]) for e in result.errors] == [
        ("events[1].sources[2].reliability", "certain", "unknown value 'certain' (high, low, medium)"),
        ("events[1].sources[2].published_on", "12.03.2021", "not a date as YYYY-MM-DD"),
        ("events[1].sources[3].url", "7", "expected text, found a number"),
        ("events[1].sources[4]", "", "a source needs a title or a link"),
    ]


def test_a_source_without_a_link_is_kept_from_the_public(db):
    """ "Со слов сестры, тел. …" is where a fact came from, and no publication: the public never reads it."""
    from spis.intake import export

    header = "ФИО;Дата задержания;Источник"
    rows = ("Сястрына Ганна;12.03.2021;со слов сестры | https://example.org/news/9",)
    result = run("unlinked.csv", data=_csv(header, *rows))
    assert result.status == "completed", result.errors
    assert [n["message"] for n in result.notes()][-1:] == [
        "source 'со слов сестры' has no link: kept restricted, as it may name a person (make it public in "
        "the admin if it is a publication)"
    ]
    cited = Citation.objects.filter(source__title="со слов сестры")
    assert cited.count() == 2 and {c.source.confidentiality for c in cited} == {"restricted"}
    public = b"".join(export.export_public("json")).decode()
    assert "со слов сестры" not in public and "https://example.org/news/9" in public
    assert "со слов сестры" in b"".join(export.export("json", public=False)).decode()


def test_a_json_source_object_without_a_link_is_kept_from_the_public(db):
    """The same in a JSON list's source objects; a staff export's own level for a source is kept."""
    import json

    record = {
        "name": "Сястрына Ганна",
        "sources": [{"title": "со слов соседа"}],
        "events": [
            {"type": "detained", "date": "2021-03-12", "sources": [{"title": "со слов сестры Ивановой"}]},
            {
                "type": "recognized",
                "date": "2021-04-01",
                "sources": [{"title": "Спіс Вясны, 2021", "source_confidentiality": "public"}],
            },
        ],
    }
    result = importer.run_import(json.dumps([record]).encode(), file_name="objects.json")
    assert result.status == "completed", result.errors
    levels = dict(Source.objects.values_list("title", "confidentiality"))
    assert levels["со слов соседа"] == levels["со слов сестры Ивановой"] == "restricted"
    assert levels["Спіс Вясны, 2021"] == "public"
    public = b"".join(export.export_public("json")).decode()
    assert "со слов" not in public and "Спіс Вясны, 2021" in public


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_later_list_cites_its_new_sources_on_the_facts_it_repeats(db, writer):
    """A monthly list that now gives a link for a known detention: the stored facts cite it (updated); the same
    rows again, or in another file, change nothing."""
    header = "ФИО;Дата рождения;Дата задержания;Источник"
    run(
        "first.csv",
        data=_csv(header, "Паўторная Лідзія;1980;12.03.2021;https://example.org/a"),
        writer=writer,
    )
    later = _csv(header, "Паўторная Лідзія;1980;12.03.2021;https://example.org/a | https://example.org/new")
    result = run("later.csv", data=later, writer=writer)
    assert (result.updated, result.created, Event.objects.count()) == (1, 0, 1), result.as_dict()
    assert [n["message"] for n in result.notes() if "cite" in n["message"]] == [
        "stored facts now also cite https://example.org/new"
    ]
    links = sorted(
        Citation.objects.filter(source__url__startswith="https://example.org/").values_list(
            "content_type__model", "source__url"
        )
    )
    assert links == [
        ("event", "https://example.org/a"),
        ("event", "https://example.org/new"),
        ("person", "https://example.org/a"),
        ("person", "https://example.org/new"),
    ]
    again = run("again.csv", data=later + b"\n", writer=writer)
    assert (again.unchanged, again.updated) == (1, 0), again.as_dict()
    assert Citation.objects.filter(source__url="https://example.org/new").count() == 2


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_two_rows_of_one_file_giving_one_fact_cite_each_source_once(db, writer):
    header = "ФИО;Дата рождения;Дата задержания;Источник"
    rows = (
        "Двайная Ніна;1970;12.03.2021;https://example.org/one",
        "Двайная Ніна;1970;12.03.2021;https://example.org/one | https://example.org/two",
        "Двайная Ніна;1970;12.03.2021;https://example.org/two",
    )
    result = run("twice.csv", data=_csv(header, *rows), writer=writer)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1), result.as_dict()
    cited = Citation.objects.filter(
        content_type__model="event", source__url__startswith="https://example.org/"
    )
    assert sorted(cited.values_list("source__url", flat=True)) == [
        "https://example.org/one",
        "https://example.org/two",
    ]
    # The person too: each source once, however many rows give it.
    on_person = Citation.objects.filter(
        content_type__model="person", source__url__startswith="https://example.org/"
    )
    assert sorted(on_person.values_list("source__url", flat=True)) == [
        "https://example.org/one",
        "https://example.org/two",
    ]


def _refuse_first_row(monkeypatch):
    """The registry refusing the first row's events (as it may refuse a history the plan found possible)."""
    from spis.registry import actions as registry

    real, calls = registry.record_events, []

    def refusing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("refused for the test")
        return real(*args, **kwargs)

    monkeypatch.setattr(registry, "record_events", refusing)


def test_a_row_refused_while_written_leaves_nothing_a_later_row_cites(db, monkeypatch):
    _refuse_first_row(monkeypatch)
    header = "ФИО;Дата задержания;Источник"
    rows = ("Першая Асоба;12.03.2021;https://example.org/x", "Другая Асоба;13.03.2021;https://example.org/x")
    result = run("refused.csv", data=_csv(header, *rows), partial=True, writer="actions")
    assert (result.status, result.created) == ("partial", 1), result.as_dict()
    assert [e["line"] for e in result.errors] == [2]
    cited = Citation.objects.filter(source__url="https://example.org/x")
    assert [c.content_type.model for c in cited.order_by("content_type__model")] == ["event", "person"]


def test_a_row_building_on_a_refused_row_is_refused_too(db, monkeypatch):
    _refuse_first_row(monkeypatch)
    header = "ФИО;Дата рождения;Дата задержания;Дата освобождения"
    rows = (
        "Адна Асоба;1980;12.03.2021;",
        "Адна Асоба;1980;12.03.2021;01.06.2022",
        "Іншая Асоба;1981;01.02.2021;",
    )
    result = run("chain.csv", data=_csv(header, *rows), partial=True, writer="actions")
    assert [(e["line"], e["message"]) for e in result.errors] == [
        (2, "refused for the test"),
        (3, "an earlier row of this file that this row builds on was not imported: import it first"),
    ]
    assert list(Person.objects.values_list("display_name", flat=True)) == ["Іншая Асоба"]


_SOURCE_CELLS = {
    "https://a.org/1, https://b.org/2": [
        ("https://a.org/1", "https://a.org/1", "public"),
        ("https://b.org/2", "https://b.org/2", "public"),
    ],
    "Наша Ніва: https://nn.by/a": [("Наша Ніва", "https://nn.by/a", "public")],
    "Суд — https://example.org/s": [("Суд", "https://example.org/s", "public")],
    "Суд <https://example.org/t>": [("Суд", "https://example.org/t", "public")],
    # Two links in words: no one title for either, kept as said (restricted, as any text without a link).
    "глядзі https://a.org/x і https://b.org/y": [
        ("глядзі https://a.org/x і https://b.org/y", "", "restricted")
    ],
    # A link longer than a title may be: the title is its start, the link is kept whole.
    "https://example.org/" + "л" * 600: [
        ("https://example.org/" + "л" * 479 + "…", "https://example.org/" + "л" * 600, "public")
    ],
    # A "#" of a list's own is no place in a source: in a title, a link, or a title without a link.
    "Бюлетэнь #5 <https://example.org/b>": [("Бюлетэнь #5", "https://example.org/b", "public")],
    "https://example.org/a#суд": [("https://example.org/a#суд", "https://example.org/a#суд", "public")],
    "Бюлетэнь #5 — https://example.org/c": [("Бюлетэнь #5", "https://example.org/c", "public")],
    "Справа #12": [("Справа #12", "", "restricted")],
    # The place cited in a source, as the CSV export writes it after the link (the cell's sources apart).
    "Суд <https://example.org/t> #с. 3 | https://example.org/u": [
        ("Суд", "https://example.org/t", "public", "с. 3"),
        ("https://example.org/u", "https://example.org/u", "public"),
    ],
    "<https://example.org/v> #00:12:30": [
        ("https://example.org/v", "https://example.org/v", "public", "00:12:30")
    ],
    "Сведка <> #с. 2": [("Сведка", "", "restricted", "с. 2")],
    # The place right after the brackets, as people type it.
    "Title <https://spring96.org/c>#p. 3": [("Title", "https://spring96.org/c", "public", "p. 3")],
    # A link in brackets is the source's, whatever its title holds (a link of its own).
    "Копія https://a.org/x <https://b.org/y>": [("Копія https://a.org/x", "https://b.org/y", "public")],
    "https://a.org/t <https://a.org/u>": [("https://a.org/t", "https://a.org/u", "public")],
    # As the CSV export escapes them: a "|" in a title or a place, and a bracket of the title's own.
    "Газета \\| выпуск 5 <https://nn.by/g> #с. 3 \\| 4 | https://nn.by/h": [
        ("Газета | выпуск 5", "https://nn.by/g", "public", "с. 3 | 4"),
        ("https://nn.by/h", "https://nn.by/h", "public"),
    ],
    "Бюлетэнь \\<5\\> <https://nn.by/b>": [("Бюлетэнь <5>", "https://nn.by/b", "public")],
    # A list's own backslashes, before nothing the export escapes, stay.
    "C:\\docs\\спіс <https://nn.by/d>": [("C:\\docs\\спіс", "https://nn.by/d", "public")],
}


@pytest.mark.parametrize("cell", list(_SOURCE_CELLS))
def test_a_source_cell_as_lists_write_it(db, cell):
    data = f"ФИО;Дата задержания;Источник\nТэст Асоба;12.03.2021;{cell}\n".encode()
    result = importer.run_import(data, file_name="cells.csv", source_text="Спіс")
    assert result.status == "completed", result.errors
    cited = Citation.objects.exclude(source__title="Спіс").select_related("source")
    found = {(c.source.title, c.source.url, c.source.confidentiality, c.locator) for c in cited}
    # (title, link, level) and the place in the source, if any.
    assert sorted(found) == sorted((*source, "")[:4] for source in _SOURCE_CELLS[cell])


def test_a_json_source_that_is_a_number_is_refused(db):
    import json

    record = {"names": ["Лікавая Крыніца"], "sources": 7, "events": [{"type": "detained", "date": "2021"}]}
    result = importer.run_import(json.dumps([record]).encode(), file_name="number.json")
    assert [(e["column"], e["message"]) for e in result.errors] == [
        ("sources", "a source must be text or an object, found a number")
    ]


def _organisations():
    from spis.registry.models import Organization

    viasna = Organization.objects.create(
        name="Viasna", name_be="Праваабарончы цэнтр «Вясна»", name_ru="Правозащитный центр «Весна»"
    )
    court = Organization.objects.create(
        name="Minsk City Court", name_ru="Минский городской суд", kind="court"
    )
    return viasna, court


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_an_organisation_named_in_any_of_its_scripts_is_the_stored_one_and_another_is_made_once(db, writer):
    from spis.registry.models import Organization

    _organisations()
    header = "ФИО;event_type;event_date;event_organization"
    rows = (
        "Прызнаная Алена;recognized;2021-04-01;Праваабарончы цэнтр «Вясна»",
        "Прызнаны Павел;recognized;2021-04-02;ПРАВОЗАЩИТНЫЙ ЦЕНТР «ВЕСНА»",
        "Прызнаная Зоя;recognized;2021-04-03;Libereco (test)",
        "Прызнаны Ян;recognized;2021-04-04;Libereco (test)",
    )
    result = run("recognised.csv", data=_csv(header, *rows), writer=writer)
    assert (result.status, result.created) == ("completed", 4), result.errors
    named = dict(Event.objects.values_list("person__display_name", "organization__name"))
    assert named == {
        "Прызнаная Алена": "Viasna",
        "Прызнаны Павел": "Viasna",
        "Прызнаная Зоя": "Libereco (test)",
        "Прызнаны Ян": "Libereco (test)",
    }
    made = Organization.objects.exclude(name__in=["Viasna", "Minsk City Court"]).get()
    # Made as the file names it: a name, and nothing the file does not say.
    assert (made.name, made.name_be, made.name_ru, made.kind, made.country, made.url) == (
        "Libereco (test)",
        "",
        "",
        "other",
        "",
        "",
    )


def test_a_file_that_names_an_events_organisation_adds_it_or_says_it_differs(db):
    viasna, court = _organisations()
    person = actions.create_person("t", "Арганізаваная Ала", birth_date="1985")
    actions.record_event("t", person, "recognized", "2021-04-01")
    actions.record_event("t", person, "convicted", "2021-09-01", organization=court)
    header = "public_id;ФИО;event_type;event_date;event_organization"
    rows = (
        f"{person.public_id};Арганізаваная Ала;recognized;2021-04-01;Правозащитный центр «Весна»",
        f"{person.public_id};Арганізаваная Ала;convicted;2021-09-01;Минский городской суд",
    )
    result = run("named.csv", data=_csv(header, *rows), mapping=None)
    # The recognition's organisation added (a correction that supersedes it); the court named in Russian is
    # the one stored: nothing to change there.
    assert (result.updated, result.conflicts) == (1, 0), result.as_dict()
    assert dict(Event.objects.filter(superseded_by__isnull=True).values_list("type", "organization")) == {
        "recognized": viasna.pk,
        "convicted": court.pk,
    }
    again = run("again.csv", data=_csv(header, *rows) + b"\n", mapping=None)
    assert (again.unchanged, again.updated) == (1, 0), again.as_dict()
    other = _csv(header, f"{person.public_id};Арганізаваная Ала;recognized;2021-04-01;Libereco (test)")
    result = run("other.csv", data=other, mapping=None, conflict_policy="keep")
    assert result.conflicts == 1
    assert [m["message"] for m in result.as_dict()["conflict_rows"]] == [
        "recognised as a political prisoner (event_type): organisation: stored Viasna, file says Libereco "
        "(test); kept stored"
    ]


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_lists_court_is_linked_to_the_stored_court_of_that_name_and_kept_as_printed(db, writer):
    _, court = _organisations()
    header = "ФИО;Дата задержания;Дата приговора;Суд"
    rows = (
        "Суджаная Ала;12.03.2021;01.09.2021;Минский городской суд",
        "Суджаны Ян;13.03.2021;02.09.2021;Minsk City Court",
        "Суджаная Зоя;14.03.2021;03.09.2021;Суд Ленинского района г. Минска",
    )
    result = run("courts.csv", data=_csv(header, *rows), writer=writer)
    assert (result.status, result.created) == ("completed", 3), result.errors
    from spis.registry.models import Case, Organization

    # A court of no stored name stays the text the list printed: no organisation is made of a list's cell.
    assert set(Case.objects.values_list("court", "court_name")) == {
        (court.pk, "Минский городской суд"),
        (court.pk, ""),
        (None, "Суд Ленинского района г. Минска"),
    }
    assert Organization.objects.count() == 2
    rows = [r for r in export.iter_records(public=False) for r in r["events"] if r["type"] == "convicted"]
    assert sorted(r["court"] for r in rows) == [
        "Minsk City Court",
        "Минский городской суд",
        "Суд Ленинского района г. Минска",
    ]


def test_a_json_organisation_is_checked_key_by_key(db):
    import json

    def event(organization):
        return {"type": "recognized", "date": "2021-04-01", "organization": organization}

    record = {
        "names": ["Праверaная Арганізацыя"],
        "events": [
            event({"name": "Viasna", "kind": "human rights", "url": "spring96.org"}),
            event({"name_be": "", "country": "Belarus"}),
            event({"name": ["Viasna"]}),
            event(7),
        ],
    }
    result = importer.run_import(json.dumps([record]).encode(), file_name="objects.json")
    assert result.status == "failed"
    assert [(e["column"], e["value"], e["message"]) for e in result.errors] == [
        (
            "events[1].organization.kind",
            "human rights",
            "unknown value 'human rights' (company, court, "
            "government, media, ngo, other, prosecutor, recognizing_body, trade_union)",
        ),
        (
            "events[1].organization.url",
            "spring96.org",
            "'spring96.org' is not a web link (http:// or https://)",
        ),
        ("events[2].organization.country", "Belarus", "7 characters; at most 2 fit here"),
        ("events[3].organization.name", '["Viasna"]', "expected text, found a list"),
        ("events[4].organization", "7", "an organisation must be text or an object, found a number"),
    ]


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_correction_keeps_the_court_its_case_is_linked_to(db, writer):
    """A verdict whose case is linked to its court (as the demo and the admin record it, with no court as
    printed): a list that adds the judge supersedes it with a case of the same court, not one of no court."""
    from spis.registry.models import Case

    _, court = _organisations()
    person = actions.create_person("t", "Карпович Лев", birth_date="1985")
    actions.record_event("t", person, "detained", "2021-03-12")
    case = Case.objects.create(number="1-5/2021", court=court)
    actions.record_event("t", person, "convicted", "2021-09-01", case=case, organization=court)
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Судья"
    result = run(
        "judged.csv", data=_csv(header, "Карпович Лев;1985;12.03.2021;01.09.2021;Іваноў І. І."), writer=writer
    )
    assert result.updated == 1, result.as_dict()
    convicted = Event.objects.get(type="convicted", superseded_by__isnull=True)
    assert convicted.supersedes is not None and convicted.organization == court
    assert (convicted.case.court, convicted.case.court_name, convicted.case.judge) == (
        court,
        "",
        "Іваноў І. І.",
    )


def test_a_lists_person_sources_are_cited_on_the_person_alone(db):
    """The CSV export's column of the sources cited on a person, in a list of one row per person: on the
    person, not on the row's events (as a list's "Source" column is)."""
    header = "ФИО;Дата задержания;Источник;person_sources"
    row = "Асабістая Крыніца;12.03.2021;https://example.org/event;Біяграфія <https://example.org/bio> #с. 4"
    result = run("person.csv", data=_csv(header, row))
    assert result.status == "completed", result.errors
    cited = Citation.objects.filter(source__url__startswith="https://example.org/")
    assert sorted(cited.values_list("content_type__model", "source__url", "locator")) == [
        ("event", "https://example.org/event", ""),
        ("person", "https://example.org/bio", "с. 4"),
        ("person", "https://example.org/event", ""),
    ]


def test_a_title_without_a_link_keeps_the_public_level_only_where_the_file_gives_levels(db):
    """A staff export's `sources` beside `sources_restricted` gives each source's level: a title there is
    public. `person_sources` without its withheld columns is a list's column, where a title may name a witness."""
    header = "ФИО;event_type;event_date;sources;sources_restricted;person_sources"
    row = "Узроўневая Ала;detained;2021-03-12;Спіс Вясны, 2021;Сведка;со слов сестры"
    result = importer.run_import(_csv(header, row), file_name="levels.csv", source_text="Спіс")
    assert result.status == "completed", result.errors
    levels = dict(Source.objects.values_list("title", "confidentiality"))
    assert (levels["Спіс Вясны, 2021"], levels["Сведка"], levels["со слов сестры"]) == (
        "public",
        "restricted",
        "restricted",
    )
    assert [n["message"] for n in result.notes() if "has no link" in n["message"]] == [
        "source 'со слов сестры' has no link: kept restricted, as it may name a person (make it public in "
        "the admin if it is a publication)"
    ]


@pytest.mark.parametrize("cell", ["https://nn.by/z#p. 3", "https://nn.by/y #p. 3"])
def test_a_link_that_cannot_be_read_apart_is_kept_as_a_title_saying_so(db, cell):
    """A place after a link without brackets is no place a list can be read for ("#" may be the link's own):
    the cell is kept whole, restricted, and the note says it held a link, not that it had none."""
    data = f"ФИО;Дата задержания;Источник\nТэст Асоба;12.03.2021;{cell}\n".encode()
    result = importer.run_import(data, file_name="cells.csv", source_text="Спіс")
    assert result.status == "completed", result.errors
    assert Source.objects.get(title=cell).confidentiality == "restricted"
    assert [n["message"] for n in result.notes() if cell in n["message"]] == [
        f"source {cell!r} holds a link that could not be read apart from its title: kept whole as a title "
        "without a link, restricted, as it may name a person (write it as `title <link>`, or make it public in "
        "the admin if it is a publication)"
    ]


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize(
    "data",
    [
        "ФИО;Дата задержания;Источник;event_confidentiality\n"
        "Новик Павел;01.02.2022;Свидетель Иванов <https://example.org/witness>;{level}\n",
        "name,event_type,event_date,sources,event_confidentiality\n"
        "Новик Павел,detained,2022-02-01,Свидетель Иванов <https://example.org/witness>,{level}\n",
    ],
    ids=["one-row-per-person", "one-row-per-event"],
)
@pytest.mark.parametrize("level", ["restricted", "sealed"])
def test_a_stricter_row_that_repeats_a_public_fact_cites_its_source_on_it_at_its_level(
    db, writer, data, level
):
    # The source was cited on the stored public detention at its own level (public): a witness's name and link
    # in the public export.
    run("open.csv", data="ФИО;Дата задержания\nНовик Павел;01.02.2022\n".encode(), mapping=None)
    result = run("witness.csv", data=data.format(level=level).encode(), mapping=None, writer=writer)
    # A sealed row's repeat of a published fact is a conflict ("kept public"), a restricted row's a note.
    assert result.status == "completed", result.errors
    assert (result.updated, result.conflicts) == ((0, 1) if level == "sealed" else (1, 0))
    said = " ".join(n["message"] for n in result.notes() + result.conflict_rows())
    assert f"is stored public, but the row gives it as {level}: kept public" in said
    (detained,) = Event.objects.filter(type="detained")
    cited = detained.citations.get(source__url="https://example.org/witness")
    assert cited.confidentiality == level
    public = b"".join(export.export_public("csv")).decode()
    assert "2022-02-01" in public and "witness" not in public


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_person_known_only_by_restricted_or_sealed_facts_is_created_at_their_level(db, writer):
    # Created public: the name and birth year of someone whose every fact is sealed on the public list.
    data = (
        "ФИО;Год рождения;Дата задержания;event_confidentiality;confidentiality\n"
        "Шило Ганна;1990;01.02.2022;sealed;\n"
        "Новик Павел;1985;02.02.2022;restricted;\n"
        "Адкрыты Ян;1980;03.02.2022;restricted;public\n"  # the person's own level, given
        "Звычайны Ян;1981;04.02.2022;;\n"
    )
    result = run("staff.csv", data=data.encode(), mapping=None, writer=writer)
    assert result.created == 4, result.errors
    levels = dict(Person.objects.values_list("display_name", "confidentiality"))
    assert levels == {
        "Шило Ганна": "sealed",
        "Новик Павел": "restricted",
        "Адкрыты Ян": "public",
        "Звычайны Ян": "public",
    }
    said = [n["message"] for n in result.notes() if n["line"] == 2]
    assert "a new person whose every fact in this file is sealed: created sealed too" in " ".join(said)
    public = b"".join(export.export_public("csv")).decode()
    assert "Шило" not in public and "Новик" not in public and "Звычайны" in public


def test_a_one_row_per_event_person_with_one_public_fact_is_public(db):
    data = (
        "name,event_type,event_date,release_kind,event_confidentiality\n"
        "Шило Ганна,detained,2022-02-01,,sealed\n"
        "Шило Ганна,released,2022-08-01,end_of_term,public\n"
    )
    result = run("events.csv", data=data.encode(), mapping=None)
    assert result.created == 1, result.errors
    assert Person.objects.get().confidentiality == "public"


def test_namesakes_told_apart_by_birth_are_not_matched_by_a_row_without_one(db):
    # The row went to the first of them, at 1.00, and took the other's facts (a release withdrawn).
    header = "ФИО;Год рождения;Дата задержания"
    run(
        "two.csv",
        data=_csv(
            header, "Лебедев Павел Сергеевич;1982;01.03.2021", "Лебедев Павел Сергеевич;1991;01.03.2021"
        ),
    )
    assert Person.objects.count() == 2
    result = run("nobirth.csv", data=_csv(header, "Лебедев Павел Сергеевич;;05.03.2021"), partial=True)
    [error] = result.errors
    assert (error["line"], error["column"], error["value"]) == (2, "ФИО", "Лебедев Павел Сергеевич")
    assert "the name matches BY-000001, BY-000002, whom the registry tells apart" in error["message"]
    assert Event.objects.count() == 2
    # With a birth date the row is the one person's.
    result = run("birth.csv", data=_csv(header, "Лебедев Павел Сергеевич;1991;05.03.2021"))
    assert not result.errors and result.conflicts == 1


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_stricter_row_of_no_dated_fact_creates_its_person_at_its_level(db, writer):
    # A sealed row of a name, a birth year and a comment created a public person.
    data = (
        "ФИО;Год рождения;Статус;Комментарий;event_confidentiality\n"
        "Шило Ганна;1990;;семья просит не публиковать;sealed\n"
        "Моўчан Ян;1991;в заключении;;restricted\n"
    )
    result = run("staff.csv", data=data.encode(), mapping=None, writer=writer)
    assert result.created == 2, result.errors
    assert dict(Person.objects.values_list("display_name", "confidentiality")) == {
        "Шило Ганна": "sealed",
        "Моўчан Ян": "restricted",
    }
    public = b"".join(export.export_public("csv")).decode()
    assert "Шило" not in public and "Моўчан" not in public


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_public_row_later_in_the_file_makes_the_person_public(db, writer):
    data = (
        "ФИО;Год рождения;Дата задержания;Дата приговора;event_confidentiality\n"
        "Двойной Ян;1980;01.02.2022;;restricted\n"
        "Двойной Ян;1980;01.02.2022;01.06.2022;\n"
    )
    result = run("two.csv", data=data.encode(), mapping=None, writer=writer)
    assert not result.errors, result.errors
    assert Person.objects.get().confidentiality == "public"
    said = [n["message"] for n in result.notes() + result.conflict_rows() if n["line"] == 3]
    assert any("the person is created public" in text for text in said)


def test_a_later_lists_public_facts_of_a_restricted_person_say_they_are_not_seen(db):
    run(
        "first.csv",
        data="ФИО;Дата задержания;event_confidentiality\nСкрытый Ян;01.02.2022;restricted\n".encode(),
    )
    result = run(
        "later.csv", data="ФИО;Дата задержания;Дата приговора\nСкрытый Ян;01.02.2022;01.06.2022\n".encode()
    )
    assert Person.objects.get().confidentiality == "restricted"
    said = " ".join(n["message"] for n in result.notes())
    assert "the person is restricted: the public facts this row adds are seen in public only once" in said


def test_a_refused_public_row_does_not_make_the_person_public(db):
    # The person created restricted above was made public by a row that was then refused (--partial).
    data = (
        "ФИО;Год рождения;Дата задержания;Дата освобождения;event_confidentiality\n"
        "Двойной Ян;1980;01.02.2022;;restricted\n"
        "Двойной Ян;1980;01.02.2022;01.01.2020;\n"  # a release before the detention: refused
    )
    result = run("two.csv", data=data.encode(), mapping=None, partial=True)
    assert [e["line"] for e in result.errors] == [3]
    assert Person.objects.get().confidentiality == "restricted"


def test_a_more_open_row_later_in_the_file_lowers_the_level_and_picks_a_name_it_may_read(db):
    data = (
        "ФИО;Год рождения;Дата задержания;event_confidentiality\n"
        "Двойной Ян;1980;01.02.2022;sealed\n"
        "Двойной Ян;1980;01.03.2022;restricted\n"
    )
    run("two.csv", data=data.encode(), mapping=None)
    assert Person.objects.get().confidentiality == "restricted"
    names = "name,names_sealed,event_type,event_date,release_kind,event_confidentiality\n"
    data = (
        names + "Тайны Ян,Сапраўдны Ян,detained,2022-02-01,,sealed\nТайны Ян,,released,2022-03-01,pardon,\n"
    )
    result = run("events.csv", data=data.encode(), mapping=None)
    assert not result.errors, result.errors
    person = Person.objects.get(display_name="Тайны Ян")
    assert person.confidentiality == "public"


def test_a_latin_alias_does_not_outvote_full_names_whose_patronymics_differ_and_the_row_says_so(db):
    """A user's test against the demo registry: the Latin alias (no patronymic) of "Козлов Павел Викторович"
    matched the row "Козлов Павел Юрьевич" at 1.00, and the import replaced the other person's detention."""
    names = [{"text": "Козлов Павел Викторович", "kind": "primary"}, {"text": "Pavel Kazlou"}]
    stored = actions.create_person("t", "Козлов Павел Викторович", birth_date="1983", names=names)
    data = _csv("ФИО;Дата рождения;Дата задержания", "Козлов Павел Юрьевич;07.07.1983;01.02.2022")
    for writer in ("actions", "bulk"):
        with transaction.atomic():
            result = run("kozlov.csv", data=data, writer=writer)
            assert (result.created, result.updated) == (1, 0), writer
            stored.refresh_from_db()
            assert stored.birth_date_display == "1983" and stored.names.count() == 2
            notes = [render(m) for m in result.plans[0].messages]
            assert any(
                f"possible duplicate of {stored.public_id}: their full name 'Козлов Павел Викторович' does not "
                "match this row's 'Козлов Павел Юрьевич', though their 'Pavel Kazlou', without a patronymic, "
                "scores 1.00" in note
                for note in notes
            ), notes
            transaction.set_rollback(True)
    # A row without a patronymic is still that person by the alias.
    short = run("short.csv", data=_csv("ФИО;Дата рождения", "Pavel Kazlou;1983"))
    assert (short.created, Person.objects.count()) == (0, 1)


def test_a_row_with_another_id_of_the_same_list_is_another_person_whatever_the_name(db):
    """A user's test: v-101 "matched BY-000005 by name (1.00)", the person who holds v-100, and one person held
    both ids of a list that says they are two people."""
    run("first.csv", data=_csv("id;ФИО;Дата задержания", "v-100;Тарасов Глеб Олегович;01.02.2021"))
    stored = Person.objects.get()
    second = _csv(
        "id;ФИО;Дата задержания", "v-100;Тарасов Глеб;01.02.2021", "v-101;Тарасов Глеб Олегович;01.02.2021"
    )
    for writer in ("actions", "bulk"):
        with transaction.atomic():
            result = run("second.csv", data=second, writer=writer)
            assert [p.outcome for p in result.plans] == ["updated", "created"], writer
            assert set(ImportRow.objects.filter(person=stored).values_list("external_id", flat=True)) == {
                "v-100"
            }
            assert [render(m) for m in result.plans[1].messages][-1] == (
                f"{stored.public_id}, whose name 'Тарасов Глеб Олегович' matches this row's 'Тарасов Глеб Олегович' "
                "(1.00), holds id 'v-100' under 'id'; this row's id is 'v-101': created as another person; check "
                "if they are one"
            )
            transaction.set_rollback(True)
    # Within one file: x-2 is not x-1's person; x-1 again is.
    same = _csv(
        "id;ФИО;Дата задержания",
        "x-1;Голубев Иван Ильич;01.02.2021",
        "x-1;Голубев Иван Ильич;01.02.2021",
        "x-2;Голубев Иван Ильич;01.02.2021",
    )
    result = run("same.csv", data=same)
    assert [p.outcome for p in result.plans] == ["created", "unchanged", "created"]
    assert "holds id 'x-1' under 'id'; this row's id is 'x-2'" in render(result.plans[2].messages[-1])


def test_another_registrys_public_id_on_a_stranger_is_refused(db):
    # BY-000001 of another registry's export was read as ours: a stranger's name and events on our person.
    ours = actions.create_person("t", "Ціханоўскі Павел", birth_date="1980")
    theirs = [
        {
            "public_id": ours.public_id,
            "name": "Пусты Без Падзей",
            "events": [{"type": "detained", "date": "2024-02-03"}],
        }
    ]
    result = run("theirs.json", json.dumps(theirs, ensure_ascii=False).encode(), mapping=None)
    assert result.status == "failed" and [e["column"] for e in result.errors] == ["public_id"]
    assert (
        "is held here by 'Ціханоўскі Павел', whom the row's name 'Пусты Без Падзей' does not name"
        in (result.errors[0]["message"])
    )
    again = [{"public_id": ours.public_id, "name": "Tsikhanouski Pavel", "events": []}]
    assert run("ours.json", json.dumps(again).encode(), mapping=None).status == "completed"


def test_a_mapped_field_whose_header_the_file_spells_otherwise_is_named(db, tmp_path):
    """A mapping's header spelt otherwise in the file ("Дата задержаня") left the detention unread, with
    nothing said but the column among those ignored."""
    mapping = tmp_path / "partner.yaml"
    mapping.write_text("columns:\n  name: [ФИО]\n  detained_on: [Дата задержания]\n  judge: [Судья]\n")
    data = "ФИО;Дата задержаня;Судья\nНовик Павел;01.02.2022;Иванов\n".encode()
    result = run("typo.csv", data=data, mapping=str(mapping))
    assert result.status == "completed", result.errors
    [note] = [n["message"] for n in result.notes() if "none of its headers" in n["message"]]
    assert "detained_on ('Дата задержания')" in note and "'Дата задержаня'" in note and "judge" not in note
    # A file that has every column the mapping reads, or none it leaves unread, is told nothing.
    fine = run("fine.csv", data="ФИО;Судья\nНовик Павел;Иванов\n".encode(), mapping=str(mapping))
    assert not [n for n in fine.notes() if "none of its headers" in n["message"]]


def test_a_retried_files_rows_cite_the_source_of_the_file_and_not_another(db):
    """A row a partial import refused and a retry of the same file imports cites the file's source, the one its
    other rows cite; a retry under another --source cites that one."""
    data = _csv("ФИО;Дата задержания", "Новы Ян;01.02.2021", "Стары Ян;31.02.2021")
    first = run("r.csv", data=data, partial=True, mapping=None)
    assert first.errors and Source.objects.count() == 1
    again = run("r.csv", data=data, partial=True, mapping=None)
    assert again.errors and Source.objects.count() == 1
    other = run(
        "r.csv", data=data, partial=True, mapping=None, source_text="Спіс партнёраў <https://example.org/l>"
    )
    # Its every row refused again, it imports nothing: no source of its own, which nothing would cite.
    assert other.errors and Source.objects.count() == 1
    assert ImportBatch.objects.get(pk=other.batch_id).source is None
    fixed = _csv("ФИО;Дата задержания", "Новы Ян;01.02.2021", "Стары Ян;28.02.2021")
    cited = run(
        "r2.csv", data=fixed, partial=True, mapping=None, source_text="Спіс партнёраў <https://example.org/l>"
    )
    assert cited.created == 1 and Source.objects.count() == 2


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize("corrected_by", ["a later list", "an editor"])
def test_an_older_list_read_again_does_not_undo_a_correction_made_since(db, writer, corrected_by):
    """January's list, then February's correcting a detention date (or an editor in the admin), then
    January's list again, edited (another checksum): the correction was superseded back to January's date."""
    header = "ФИО;Год рождения;Дата задержания"
    run("january.csv", data=_csv(header, "Карпович Лев;1985;01.02.2022"))
    if corrected_by == "a later list":
        assert run("february.csv", data=_csv(header, "Карпович Лев;1985;03.02.2022")).conflicts == 1
    else:
        actions.correct_event("editor", Event.objects.get(type="detained"), date="2022-02-03")
    again = run(
        "january-edited.csv",
        data=_csv(header + ";Примечание", "Карпович Лев;1985;01.02.2022;"),
        writer=writer,
    )
    assert (again.status, again.conflicts, again.updated) == ("completed", 1, 0), again.errors
    [detained] = Event.objects.filter(type="detained", superseded_by__isnull=True)
    assert str(detained.date) == "2022-02-03"
    said = " ".join(n["message"] for n in again.conflict_rows())
    assert "the file gives it as the registry held it before a correction: the correction is kept" in said
    # A third date is a correction of its own, as before.
    third = run("march.csv", data=_csv(header, "Карпович Лев;1985;05.02.2022"), writer=writer)
    assert third.conflicts == 1
    [detained] = Event.objects.filter(type="detained", superseded_by__isnull=True)
    assert str(detained.date) == "2022-02-05"


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_version_stricter_than_the_correction_is_not_compared_with_a_row(db, writer):
    """A sealed detention an editor corrected in public: a list's date equal to the sealed one must not be told
    apart from any other date (the row's outcome would confirm the sealed value to a reader below it)."""
    person = actions.create_person("t", "Карпович Лев", birth_date="1985")
    sealed = actions.record_event("t", person, "detained", "2022-02-01", confidentiality="sealed")
    actions.correct_event("editor", sealed, date="2022-02-03", confidentiality="public")
    header = "ФИО;Год рождения;Дата задержания"
    result = run("list.csv", data=_csv(header, "Карпович Лев;1985;01.02.2022"), writer=writer)
    said = " ".join(n["message"] for n in result.conflict_rows())
    assert result.conflicts == 1 and "before a correction" not in said
    assert "recorded as a correction that supersedes the stored event" in said
