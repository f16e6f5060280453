"""Bad scenario files give every problem with its line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from spis.corridors import ScenarioError, load_scenario, load_scenario_text
from spis.corridors.loader import DEFAULT_FILE

GOOD = """\
sources:
  S_ONE: {url: "https://example.org", date: 2025, note: "a source"}
model_parameters:
  value_of_time_usd_per_teu_day: {value: 100, source: "assumption: test"}
nodes:
  - {id: A, name: A, country: CN, lat: 30, lon: 100, source: S_ONE}
  - {id: B, name: B, country: PL, lat: 52, lon: 20, source: "assumption: approximate"}
  - {id: C, name: C, country: BY, lat: 53, lon: 27, source: "assumption: approximate"}
links:
  - {id: L1, from: A, to: C, mode: rail, days: {v: 10, s: S_ONE}, cost_usd_per_teu: {v: 1000, s: "assumption"}}
  - {id: L2, from: C, to: B, mode: rail_border, days: {v: 1, s: S_ONE}, cost_usd_per_teu: {v: 400, s: "derived: S_ONE"}}
flows:
  - {id: F1, origin: A, destination: B, teu_per_year: {v: 100, s: S_ONE}, value_usd_per_teu: {v: 30000, s: S_ONE}, shipper_group: g}
scenarios:
  - {id: baseline}
  - {id: by_pl, closed_country_pairs: ["BY-PL"], duration_days: {v: 13, s: S_ONE}}
"""


def _errors(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, filename="bad.yaml")
    return info.value


def test_a_good_file_loads_and_keeps_every_source():
    net = load_scenario_text(GOOD)
    assert net.links["L1"].days.value == 10 and net.links["L1"].days.source == "S_ONE"
    assert net.links["L1"].days.line == 10
    assert net.links["L2"].capacity_teu_per_year.value is None
    assert net.scenarios["by_pl"].closed_country_pairs == (("BY", "PL"),)


def test_an_unknown_node_id_is_reported_with_its_line():
    err = _errors(GOOD.replace("from: C, to: B", "from: C, to: Q"))
    assert [(p.line, "unknown node 'Q'" in p.message) for p in err.problems][0] == (11, True)
    assert "bad.yaml:11:" in str(err)


def test_a_negative_value_is_reported_with_its_line():
    err = _errors(GOOD.replace("teu_per_year: {v: 100", "teu_per_year: {v: -5"))
    assert any(p.line == 13 and "negative" in p.message for p in err.problems)


def test_a_missing_value_is_reported_with_its_line():
    err = _errors(GOOD.replace("days: {v: 1, s: S_ONE}", "days: {s: S_ONE}"))
    assert any(p.line == 11 and "no value" in p.message for p in err.problems)
    err = _errors(GOOD.replace(', cost_usd_per_teu: {v: 1000, s: "assumption"}', ""))
    assert any(p.line == 10 and "missing 'cost_usd_per_teu'" in p.message for p in err.problems)


def test_an_unreachable_destination_is_reported_with_the_flow_line():
    err = _errors(GOOD.replace("from: C, to: B", "from: B, to: C"))
    assert any(p.line == 13 and "unreachable" in p.message for p in err.problems)


def test_all_problems_are_listed_at_once_in_file_order():
    bad = GOOD.replace("to: Q", "").replace("from: C, to: B", "from: C, to: Q").replace("{v: 30000", "{v: -1")
    bad = bad.replace("source: S_ONE}\n  - {id: B", "source: S_NOPE}\n  - {id: B")
    err = _errors(bad)
    lines = [p.line for p in err.problems]
    assert lines == sorted(lines) and {6, 11, 13} <= set(lines)
    assert "unknown source id(s) S_NOPE" in str(err)


def test_unknown_ids_in_scenarios_are_reported():
    err = _errors(GOOD.replace('closed_country_pairs: ["BY-PL"]', "closed_links: [L9], closed_nodes: [Z]"))
    messages = " ".join(p.message for p in err.problems)
    assert "unknown link 'L9'" in messages and "unknown node 'Z'" in messages
    assert all(p.line == 16 for p in err.problems)


def test_yaml_syntax_errors_carry_a_position():
    err = _errors(GOOD.replace("  - {id: L1,", "  - {id: L1"))
    assert err.problems[0].line is not None and "YAML syntax" in err.problems[0].message


def test_a_missing_file_is_a_scenario_error(tmp_path: Path):
    with pytest.raises(ScenarioError, match="cannot read file"):
        load_scenario(tmp_path / "nope.yaml")


def test_the_shipped_file_loads_and_every_number_has_a_source():
    net = load_scenario()
    assert Path(net.filename) == DEFAULT_FILE
    assert len(net.flows) == 7 and "eu_by_all_rail_closed" in net.scenarios
    for link in net.links.values():
        for q in (
            link.days,
            link.cost_usd_per_teu,
            link.capacity_teu_per_year,
            link.background_use_teu_per_year,
        ):
            assert q.source.strip()
    china_eu = sum(f.teu_per_year.value for f in net.flows.values() if not f.background)
    assert china_eu == pytest.approx(
        272_150
    )  # the 2025 China->EU rail figure (S_TE2025), as split in the file


def test_it_rejects_a_non_numeric_value_for_a_parameter_the_model_reads():
    import re

    from spis.corridors.loader import DEFAULT_FILE, load_scenario_text
    from spis.corridors.model import ScenarioError

    text = DEFAULT_FILE.read_text(encoding="utf-8")
    broken = re.sub(r"(teu_per_train:\s*\{\s*value:\s*)[0-9.]+", r"\1lots", text, count=1)
    if broken == text:
        broken = re.sub(r"(teu_per_train:\s*\n\s*value:\s*)[0-9.]+", r"\1lots", text, count=1)
    assert broken != text, "fixture pattern did not match the shipped file"
    try:
        load_scenario_text(broken, "broken.yaml")
    except ScenarioError as exc:
        assert "teu_per_train" in exc.render() and "not a number" in exc.render()
    else:
        raise AssertionError("a non-numeric teu_per_train was accepted")
