"""The batch's own source (a mapping's `source:`, `--source`): checked as a file's sources are, before any row
is read; a title without a link kept restricted."""

import pytest

from spis.intake import importer
from spis.intake.mapping import MappingError, load_mapping
from spis.registry.models import Source

LIST = "ФИО;Дата рождения;Дата задержания\nИванов Иван Иванович;1980;12.03.2021\n".encode()


def _mapping(tmp_path, source: str):
    path = tmp_path / "src.yaml"
    path.write_text(f"columns:\n  name: [ФИО]\nsource:\n{source}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source", "said"),
    [
        (
            '  title: "Src"\n  url: "javascript:alert(1)"\n',
            "key 'source.url': 'javascript:alert(1)' is not a web link (http:// or https://)",
        ),
        ('  title: "Src"\n  reliability: superb\n', "key 'source.reliability': unknown value 'superb'"),
        ('  titel: "Src"\n', "key 'source.titel': unknown key 'titel' (known: title, url,"),
        ('  title: "   "\n', "key 'source.title': a source needs a title"),
        ('  url: "https://example.org/"\n', "key 'source.title': a source needs a title"),
        (f'  title: "{"x" * 501}"\n', "key 'source.title': 501 characters; at most 500 fit here"),
        ('  title: "Src"\n  published_on: "spring"\n', "key 'source.published_on': not a date as YYYY-MM-DD"),
        ("  title: [a, b]\n", "key 'source.title': expected text, found a list"),
    ],
)
def test_a_mapping_source_the_registry_cannot_cite_refuses_the_mapping(tmp_path, source, said):
    with pytest.raises(MappingError) as refused:
        load_mapping(_mapping(tmp_path, source))
    assert str(refused.value).startswith("mapping src.yaml: ") and said in str(refused.value)


def test_a_mapping_source_is_stored_with_its_date_and_reliability(db, tmp_path):
    spec = '  title: " Src\\n list "\n  url: "https://example.org/"\n  reliability: High\n  published_on: 2021-03-12\n'
    result = importer.run_import(LIST, file_name="list.csv", mapping=str(_mapping(tmp_path, spec)))
    assert result.status == "completed", result.errors
    source = Source.objects.get(title="Src list")
    assert (source.reliability, str(source.published_on), source.confidentiality) == (
        "high",
        "2021-03-12",
        "public",
    )
