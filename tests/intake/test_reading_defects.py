"""Files that used to be read wrong, end to end: refused with a reason where they cannot be read, never
imported as something else."""

import pytest

from spis.intake import importer
from spis.intake.mapping import MappingError, load_mapping
from spis.registry.models import Name, Person


def _import(data: bytes, name: str, **options):
    return importer.run_import(data, file_name=name, mapping=None, **options)


def test_one_bad_json_line_fails_only_its_row_and_the_good_rows_are_kept(db):
    data = '{"name": "Ульянов Ульян"}\n{"name": "Broken", \n{"name": "Фёдоров Фёдор"}\n'.encode()
    result = _import(data, "broken.jsonl", partial=True)
    assert result.status == "partial" and result.created == 2
    [error] = result.errors
    assert error["line"] == 2 and "not valid JSON at line 2, column" in error["message"]
    assert set(Name.objects.values_list("text", flat=True)) == {"Ульянов Ульян", "Фёдоров Фёдор"}


def test_a_header_only_file_fails_with_no_data_rows(db):
    result = _import("ФИО;Дата рождения;Дата задержания\n".encode(), "list.csv")
    assert result.status == "failed" and "no data rows" in result.errors[0]["message"]


def test_a_list_with_a_title_above_its_header_imports(db):
    data = "Список политзаключённых на 01.03.2023\n\nФИО;Дата рождения;Дата задержания\nСидоров Сидор;1970;12.03.2021\n"
    result = _import(data.encode(), "list.csv")
    assert result.status == "completed" and result.created == 1 and not result.ignored_columns
    assert result.plans[0].record.line == 4


def test_a_suspended_sentence_leaves_no_one_in_custody(db):
    data = "ФИО;Дата рождения;Дата задержания;Дата приговора;Приговор;Статус;Дата освобождения\nУсловный Ус;1980;12.03.2021;15.09.2021;3 года условно;освобожден;15.09.2021\n"
    result = _import(data.encode(), "list.csv")
    assert result.created == 1, result.errors
    person = Person.objects.get()
    sentenced = person.events.get(type="sentenced")
    assert (sentenced.regime, sentenced.sentence_months, sentenced.note) == ("other", 36, "3 года условно")
    assert person.status != "in_custody"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("- name\n- ФИО\n", "expected keys"),
        ('columns:\n  name: ФИО\nsource: "Viasna"\n', "key 'source'"),
        ("columns:\n  name: [ФИО]\noptions: [1]\n", "key 'options'"),
        ("columns:\n  name: [{a: 1}]\n", "key 'columns.name'"),
    ],
)
def test_a_mapping_of_the_wrong_shape_is_a_mapping_error(tmp_path, text, said):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as refused:
        load_mapping(path)
    assert "bad.yaml" in str(refused.value) and said in str(refused.value)


def test_a_mapping_not_in_utf8_or_a_directory_is_a_mapping_error(tmp_path):
    path = tmp_path / "cp1251.yaml"
    path.write_bytes("columns:\n  name: [ФИО]\n".encode("cp1251"))
    with pytest.raises(MappingError, match="cp1251.yaml: is not UTF-8"):
        load_mapping(path)
    with pytest.raises(MappingError, match="is a directory"):
        load_mapping(tmp_path)
