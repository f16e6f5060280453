"""Loading the shipped precedents, and setting them beside the list."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spis.campaigns.actions import PRECEDENTS_FILE, load_precedents
from spis.campaigns.models import Precedent
from spis.campaigns.precedents import precedent_rows, pressure_group, registry_list_on
from spis.registry import actions
from spis.stats.counts import counts

pytestmark = pytest.mark.django_db


def test_it_loads_every_row_and_column_idempotently():
    assert load_precedents("t") == {"created": 51, "updated": 0, "unchanged": 0}
    assert load_precedents("t") == {"created": 0, "updated": 0, "unchanged": 51}
    nic = Precedent.objects.get(code="NIC-2023-02")
    assert (nic.country, nic.date, nic.number_released, nic.kind) == (
        "Nicaragua",
        dt.date(2023, 2, 9),
        222,
        "expulsion",
    )
    assert nic.confidence == "high" and nic.source_list
    month = Precedent.objects.get(code="BLR-2024-08")
    assert (month.date, month.date_text) == (dt.date(2024, 8, 1), "2024-08")
    approx = Precedent.objects.get(code="VEN-2023-12")
    assert approx.number_released == 30 and approx.is_approximate


def test_it_restores_a_changed_figure_on_reload():
    load_precedents("t")
    Precedent.objects.filter(code="NIC-2023-02").update(number_released=1)
    assert load_precedents("t")["updated"] == 1
    assert Precedent.objects.get(code="NIC-2023-02").number_released == 222


def test_it_names_line_and_field_of_a_bad_row(tmp_path):
    bad = tmp_path / "p.csv"
    header = PRECEDENTS_FILE.read_text(encoding="utf-8").splitlines()[0] + "\n"
    bad.write_text(header + "X-1,Land,someday,,,e,1,,pardon,,,none,,http://x,high,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2, field date"):
        call_command("precedents", "load", "--file", str(bad), stdout=StringIO())


def test_it_sets_a_release_beside_the_list_on_its_date():
    load_precedents("t")
    for n in range(4):
        person = actions.create_person("t", f"P{n}")
        actions.record_event("t", person, "detained", "2022-06-01")
        actions.record_event("t", person, "recognized", "2022-07-01")
    rows = {r["code"]: r for r in precedent_rows({"country": "Nicaragua"})}
    nic = rows["NIC-2023-02"]
    assert nic["registry_list_on_date"] == counts(dt.date(2023, 2, 9))["recognized_in_custody"] == 4
    assert nic["share_of_list_pct"] == 5550.0
    # The nearest earlier Viasna "currently held" figure: 31 Dec 2022 (two sources, 1,446 and 1,448).
    assert nic["published_list_date"] == "2022-12-31" and nic["published_list"] in {1446, 1448}
    assert nic["share_of_published_list_pct"] in {15.3, 15.4}


def test_it_agrees_with_stats_counts_on_many_dates():
    person = actions.create_person("t", "P")
    actions.record_event("t", person, "detained", "2022-06-01")
    actions.record_event("t", person, "recognized", "2022-07-01")
    actions.record_event("t", person, "released", "2023-01-01", release_kind="pardon")
    days = [
        dt.date(2022, 6, 15),
        dt.date(2022, 7, 1),
        dt.date(2022, 12, 31),
        dt.date(2023, 1, 1),
        dt.date(2023, 5, 1),
    ]
    assert registry_list_on(days) == {d: counts(d)["recognized_in_custody"] for d in days}


def test_it_groups_pressure_categories():
    assert pressure_group("sanctions relief (followed)") == "relief"
    assert pressure_group("asset unfreezing") == "relief"
    assert pressure_group("sanctions pressure / conditional normalisation") == "pressure"
    assert pressure_group("religious mediation") == "other"
