"""`spis match` management command: a thin wrapper over spis.names (no database needed)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def test_it_prints_json_for_two_names():
    out = io.StringIO()
    call_command("match", "Ціханоўскі Сяргей Леанідавіч", "Sergei Tikhanovsky", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["same"] is True
    assert 0.8 <= data["score"] <= 1.0


def test_it_separates_namesakes_by_birth_date():
    out = io.StringIO()
    call_command(
        "match", "Mikhail Volkau", "Михаил Волков", "--birth-a", "1963-09-23", "--birth-b", "1955", stdout=out
    )
    assert "different people" in out.getvalue()


def test_it_reads_pairs_and_fails_at_the_end_on_bad_lines(tmp_path, capsys):
    path = tmp_path / "pairs.tsv"
    path.write_text("Алесь Бяляцкі\tAles Bialiatski\nbad line\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 bad line"):
        call_command("match", "--pairs", str(path))
    captured = capsys.readouterr()
    assert captured.out.endswith("\t1\n")
    assert "line 2:" in captured.err


def test_it_needs_two_names_or_pairs():
    with pytest.raises(CommandError, match="two names"):
        call_command("match", "Only One")
