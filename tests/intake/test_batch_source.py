"""The batch's own source (a mapping's `source:`, `--source`): checked as a file's sources are, before any row
is read; a title without a link kept restricted."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from spis.intake import importer
from spis.intake.forms import UploadForm
from spis.intake.mapping import MappingError, load_mapping
from spis.intake.models import ImportBatch
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


def _command(tmp_path, *options):
    path = tmp_path / "list.csv"
    path.write_bytes(LIST)
    out = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("import", str(path), *options, stdout=out)
    return stopped.value.code, out.getvalue()


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("   ", "a source needs a title"),  # was a traceback: ValueError: title: a source needs a title
        ("x" * 800, "800 characters; at most 500 fit here"),  # was cut to 500
        ("Bulletin\x07 5", "holds a control character (U+0007)"),  # was stored raw
    ],
)
def test_a_source_title_the_registry_cannot_cite_fails_before_any_row_is_read(db, tmp_path, title, said):
    code, out = _command(tmp_path, "--source", title, "--json")
    refused = json.loads(out)
    assert code == 1 and refused["status"] == "failed"
    assert refused["errors"][0]["message"].startswith(f"the source to cite (--source): {said}")
    assert not Source.objects.exists() and not ImportBatch.objects.exists()


def test_a_source_title_without_a_link_is_kept_restricted_and_recorded_on_the_batch(db, tmp_path):
    # It may name a relative, as a file's source cell without a link may (that one was restricted, this public).
    path = tmp_path / "list.csv"
    path.write_bytes(LIST)
    out = io.StringIO()
    call_command("import", str(path), "--source", "со слов\nсестры\tИванова", stdout=out)
    source = Source.objects.get(title="со слов сестры Иванова")
    assert source.confidentiality == "restricted"
    assert "note: source 'со слов сестры Иванова' has no link: kept restricted" in out.getvalue()
    assert ImportBatch.objects.get().source_title == "со слов сестры Иванова"


def test_the_upload_form_checks_its_source_as_the_command_does_and_says_it_is_kept_restricted():
    upload = SimpleUploadedFile("list.csv", LIST)
    form = UploadForm({"source": "Bulletin\x01"}, {"file": upload})
    assert not form.is_valid() and "control character" in form.errors["source"][0]
    form = UploadForm({"source": " Bulletin\n 5 "}, {"file": SimpleUploadedFile("list.csv", LIST)})
    assert form.is_valid() and form.cleaned_data["source"] == "Bulletin 5"
    assert "kept restricted" in str(form.fields["source"].help_text)


def test_every_failure_before_the_rows_is_one_json_object_with_json(db, tmp_path):
    # Each was a CommandError on stderr: a caller parsing stdout got nothing.
    broken = tmp_path / "broken.yaml"
    broken.write_text("columns: [", encoding="utf-8")
    for args, said in (
        ([str(tmp_path / "nosuch.csv")], "No such file"),
        ([str(tmp_path)], "Is a directory"),
        ([str(tmp_path / "list.csv"), "--mapping", "nosuch"], "mapping 'nosuch': no such file"),
        ([str(tmp_path / "list.csv"), "--mapping", str(broken)], "mapping broken.yaml: not valid YAML"),
    ):
        (tmp_path / "list.csv").write_bytes(LIST)
        out = io.StringIO()
        with pytest.raises(SystemExit) as stopped:
            call_command("import", *args, "--json", stdout=out)
        refused = json.loads(out.getvalue())
        assert stopped.value.code == 1 and refused["status"] == "failed", args
        assert said in refused["errors"][0]["message"]
