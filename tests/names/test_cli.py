"""`spis match --pairs`: the TSV logic in spis.names.cli (the management command is a thin wrapper)."""

import io
import json

from spis.names import match
from spis.names.cli import format_result, run_pairs


def test_it_writes_one_line_per_pair_in_input_order():
    infile = io.StringIO(
        "Ціханоўскі Сяргей\tSergei Tikhanovsky\n"
        "Mikhail Volkau\tMikhail Volkau\t1963-09-23\t1955-01-26\n"
        "Алесь Бяляцкі\tAles Bialiatski\t\t\n"
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_pairs(infile, out, err, chunk=1) == 0
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [r[0] for r in rows] == ["Ціханоўскі Сяргей", "Mikhail Volkau", "Алесь Бяляцкі"]
    assert [r[3] for r in rows] == ["1", "0", "1"]
    assert err.getvalue() == ""


def test_it_reports_bad_lines_with_their_number_and_keeps_going():
    infile = io.StringIO(
        "only one field\nA B\tC D\t1999-13\t1999\n🙂\tSergei\nАлесь Бяляцкі\tAles Bialiatski\n"
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_pairs(infile, out, err) == 3
    messages = err.getvalue().splitlines()
    assert messages[0].startswith("line 1: expected 2 or 4")
    assert messages[1].startswith("line 2: birth date")
    assert messages[2].startswith("line 3: name has no")
    assert out.getvalue().count("\n") == 1


def test_json_output_has_score_same_and_explanation():
    data = json.loads(format_result(match("Алесь Бяляцкі", "Ales Bialiatski"), as_json=True))
    assert set(data) == {"score", "same", "explanation"}
    assert data["same"] is True
    assert "same person" in format_result(match("Алесь Бяляцкі", "Ales Bialiatski"), as_json=False)


def test_two_workers_give_the_same_output_in_the_same_order():
    lines = "".join(
        f"{a}\t{b}\n"
        for a, b in [("Алесь Бяляцкі", "Ales Bialiatski"), ("Mikhail Volkau", "Yuri NAZARANKA"), ("x", "🙂")]
        * 50
    )
    one, two = io.StringIO(), io.StringIO()
    err1, err2 = io.StringIO(), io.StringIO()
    assert run_pairs(io.StringIO(lines), one, err1, chunk=7) == 50
    assert run_pairs(io.StringIO(lines), two, err2, chunk=7, workers=2) == 50
    assert one.getvalue() == two.getvalue()
    assert err1.getvalue() == err2.getvalue()
    assert err1.getvalue().startswith("line 3: ")
