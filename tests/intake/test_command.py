"""`spis import` as a documenter reads it: what each row says, a dry run, the same file again."""

import contextlib
import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LIST = (
    "ФИО;Дата рождения;Дата задержания;Статус;Дата освобождения\n"
    "Иванов Иван Иванович;1980;12.03.2021;в заключении;\n"
    "Петров Пётр;1975;;освобожден;\n"
    "Сидоров;31.02.1980;01.01.2022;;\n"
)


def _import(tmp_path, *options, data=LIST):
    path = tmp_path / "list.csv"
    path.write_text(data, encoding="utf-8")
    out = io.StringIO()
    with contextlib.suppress(SystemExit):  # a failed import exits 1, as the command line should
        call_command("import", str(path), *options, stdout=out)
    return out.getvalue()


def test_the_summary_says_what_each_imported_row_notes(tmp_path):
    out = _import(tmp_path, "--json", "--dry-run")
    notes = json.loads(out)["notes"]
    assert {"line": 3, "message": "status says released or died, but no date is given: not recorded"} in notes
    out = _import(tmp_path, "--partial")
    assert "note: line 3: status says released or died, but no date is given: not recorded" in out
    assert "error: line 4, column 'Дата рождения' ('31.02.1980'): '31.02.1980' is not a real date" in out


CLEAN = LIST.rsplit("Сидоров", 1)[0]


def test_a_dry_run_of_a_file_imported_says_that_nothing_would_change(tmp_path):
    # It read the rows against the registry the file had filled, and listed conflicts that importing the file
    # again would not make (it changes nothing).
    _import(tmp_path, data=CLEAN)
    out = _import(tmp_path, "--dry-run", data=CLEAN)
    assert out.startswith("Dry run (nothing written): list.csv: already imported as batch")
    assert "importing it again would change nothing (2 rows)" in out and "conflict" not in out
    result = json.loads(_import(tmp_path, "--dry-run", "--json", data=CLEAN))
    assert (result["dry_run"], result["unchanged"], len(result["errors"])) == (True, 2, 0)


def test_a_dry_run_does_not_say_it_started_a_batch(tmp_path, capsys):
    _import(tmp_path, "--dry-run", "--partial")
    err = capsys.readouterr().err  # progress goes to the process's stderr, as the crash test reads it
    assert "started writing" not in err and "dry run" in err


def test_the_same_file_again_reads_the_rows_it_refused_again(tmp_path):
    # "Already imported: correct them in the file": a row refused for what the registry lacked then could
    # never be imported from the file that gives it.
    _import(tmp_path, "--partial")
    out = _import(tmp_path, "--partial")
    assert "already imported" not in out
    assert "created 0, updated 0, unchanged 2, conflicts 0, errors 1" in out
    assert "error: line 4, column 'Дата рождения' ('31.02.1980'): '31.02.1980' is not a real date" in out
    out = _import(tmp_path, "--json")
    [error] = json.loads(out)["errors"]
    assert (error["line"], error["column"], error["value"]) == (4, "Дата рождения", "31.02.1980")


def test_a_row_refused_for_want_of_a_detention_imports_once_a_later_list_gives_it(tmp_path):
    release = "ФИО;Год рождения;Статус;Дата освобождения\nТуровец Максим;1992;освобождён по окончании срока;20.01.2024\n"
    assert "errors 1" in _import(tmp_path, "--partial", data=release)
    detention = "ФИО;Год рождения;Дата задержания\nТуровец Максим;1992;01.03.2021\n"
    (tmp_path / "detention.csv").write_text(detention, encoding="utf-8")
    call_command("import", str(tmp_path / "detention.csv"), stdout=io.StringIO())
    out = _import(tmp_path, "--partial", data=release)
    assert "updated 1" in out and "errors 0" in out


def test_rows_matched_by_name_are_counted_not_listed(tmp_path):
    _import(tmp_path, "--partial")
    respelt = "ФИО;Год рождения;Дата задержания\nИваноў Іван Іванавіч;1980;12.03.2021\n"
    out = _import(tmp_path, "--json", "--dry-run", data=respelt)
    assert json.loads(out)["notes"][0]["message"].startswith("matched BY-")
    out = _import(tmp_path, data=respelt)
    assert "matched by name: 1 rows" in out and "note: line 2: matched" not in out


def test_a_note_on_many_rows_is_said_once_with_its_count(tmp_path):
    given = ["Андрей", "Борис", "Виктор", "Глеб", "Денис"]
    rows = "".join(f"Тестовый {name};1980;;освобожден;\n" for name in given)
    out = _import(tmp_path, data=LIST.splitlines(keepends=True)[0] + rows)
    assert "note on 5 rows: status says released or died, but no date is given: not recorded" in out
    assert "note: line 2:" not in out


def test_a_followthemoney_export_is_refused_as_one(tmp_path):
    data = '{"id": "x", "schema": "Person", "properties": {"name": ["Тэставы"]}}\n'
    path = tmp_path / "export.ftm"
    path.write_text(data, encoding="utf-8")
    out = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("import", str(path), "--format", "jsonl", stdout=out)
    assert "a FollowTheMoney export (schema, properties) is for other tools to read" in out.getvalue()


def test_the_same_file_after_policy_keep_or_with_another_mapping_is_read_again(tmp_path):
    # "Already imported; nothing would change": the conflicts kept stored could not be written, nor the file read
    # with another mapping, without renaming it.
    _import(tmp_path, data="ФИО;Год рождения;Дата задержания\nИванов Иван;1980;12.03.2021\n")
    later = "ФИО;Год рождения;Дата задержания\nИванов Иван;1980;15.03.2021\n"
    kept = json.loads(_import(tmp_path, "--on-conflict", "keep", "--json", data=later))
    assert kept["conflicts"] == 1 and not kept["already_imported"]
    assert json.loads(_import(tmp_path, "--on-conflict", "keep", "--json", data=later))["already_imported"]
    written = json.loads(_import(tmp_path, "--json", data=later))
    assert written["conflicts"] == 1 and not written["already_imported"]
    assert json.loads(_import(tmp_path, "--json", data=later))["already_imported"]
    other = json.loads(_import(tmp_path, "--json", "--mapping", "viasna", data=later))
    assert not other["already_imported"] and other["unchanged"] == 1


def test_another_mapping_file_of_the_same_name_is_another_import(tmp_path):
    # Both named "partner"; the second also reads the level column: "already imported", the sealed row public.
    first, second = tmp_path / "m1.yaml", tmp_path / "m2.yaml"
    first.write_text("name: partner\ncolumns:\n  name: [Имя]\n  detained_on: [Дата]\n")
    second.write_text(
        "name: partner\ncolumns:\n  name: [Имя]\n  detained_on: [Дата]\n  event_confidentiality: [Уровень]\n"
    )
    data = "Имя;Дата;Уровень\nИванов Иван;12.03.2021;sealed\n"
    assert not json.loads(_import(tmp_path, "--json", "--mapping", str(first), data=data))["already_imported"]
    assert json.loads(_import(tmp_path, "--json", "--mapping", str(first), data=data))["already_imported"]
    again = json.loads(_import(tmp_path, "--json", "--mapping", str(second), data=data))
    assert not again["already_imported"]


def test_reading_a_partial_file_again_reads_only_the_rows_it_refused(tmp_path):
    # Read whole again, the file's imported rows corrected back what a later list had corrected since.
    first = (
        "ФИО;Дата задержания;Приговор;Дата приговора\nЛевченко Ирина;12.03.2021;3 года колонии;10.09.2021\n"
    )
    first += "Рябова Нина;31.02.2021;;\n"
    assert "errors 1" in _import(tmp_path, "--partial", data=first)
    later = first.splitlines()[0] + "\nЛевченко Ирина;12.03.2021;4 года колонии общего режима;10.09.2021\n"
    (tmp_path / "later.csv").write_text(later, encoding="utf-8")
    call_command("import", str(tmp_path / "later.csv"), stdout=io.StringIO())
    out = _import(tmp_path, "--partial", data=first)
    assert "created 0, updated 0, unchanged 1, conflicts 0, errors 1" in out
    assert "1 rows imported from this file before were not read again (counted unchanged)" in out
    from spis.registry.models import Event

    sentence = Event.objects.get(type="sentenced", superseded_by__isnull=True)
    assert (sentence.sentence_months, sentence.regime) == (48, "general")


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_the_progress_of_each_stage_moves_about_every_hundredth_row_and_ends_at_its_last(db, writer):
    # A bar reported every 5,000 rows stood still through a shorter file, and stopped short of a longer one's
    # end (12,000 rows: at 10,000).
    from bench.bench_intake import HEADER, rows
    from spis.intake import importer

    data = ("\n".join([HEADER] + [";".join(row) for row in rows(250)]) + "\n").encode()
    seen: dict[str, list[tuple[int, int]]] = {}
    importer.run_import(
        data, file_name="list.csv", writer=writer, report=lambda *r: seen.setdefault(r[0], []).append(r[1:])
    )
    for stage in ("checked", "writing"):
        done = [number for number, _total in seen[stage]]
        total = seen[stage][0][1]
        assert done == sorted(done) and done[-1] == total and len(done) >= 50, (stage, done, total)
