"""Breakdowns: sealed persons only in totals, small cells suppressed in every output, bounded queries, and\ncells that count each person as the events the reader may see place them."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from spis.registry import actions
from spis.registry.models import Case, Facility, Person
from spis.stats.breakdowns import DIMENSION_KEYS, breakdown
from spis.stats.counts import counts

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2022, 6, 1)


@pytest.fixture
def registry(prisoner):
    case = Case.objects.create(number="1", articles=[{"code": "CC-BY", "article": "342", "part": "1"}])
    for i in range(6):
        p = prisoner(f"Minsk {i}", region="Minsk", gender="m", birth_date="1990")
        actions.record_event("test", p, "convicted", "2021-09-01", case=case)
        actions.record_event("test", p, "sentenced", "2021-09-01", sentence_months=36, regime="general")
    for i in range(2):
        prisoner(f"Brest {i}", region="Brest Region", gender="f", birth_date="1960-04-02")
    prisoner("SEALED CANARY", region="Secret Region", gender="x", confidentiality="sealed")
    prisoner("Free", region="Minsk", released="2022-01-05", kind="amnesty")
    prisoner("Not recognised", region="Gomel Region", recognized=None)


def rows_of(result):
    return {row["key"]: row for row in result.rows}


def test_it_shows_sealed_people_only_in_the_total(registry, users):
    for user in users.values():
        result = breakdown(user, "region", AS_OF)
        assert result.total == 9 == counts(AS_OF)["recognized_in_custody"]
        assert "Secret Region" not in rows_of(result)
        assert "Secret Region" not in result.to_csv()


def test_it_suppresses_small_cells(registry):
    rows = rows_of(breakdown(None, "region", AS_OF))
    assert rows["Minsk"] == {"key": "Minsk", "label": "Minsk", "count": 6, "display": "6"}
    assert rows["Brest Region"]["count"] is None and rows["Brest Region"]["display"] == "<5"
    assert "Gomel Region" not in rows  # not recognised: not in the population
    csv = breakdown(None, "region", AS_OF).to_csv().splitlines()
    assert csv[0] == "key,label,count"
    assert "Brest Region,Brest Region,<5" in csv and csv[-1] == "total,Total,9"


def test_it_counts_each_dimension(registry):
    assert rows_of(breakdown(None, "gender", AS_OF))["m"]["count"] == 6
    assert "x" not in {k for k, r in rows_of(breakdown(None, "gender", AS_OF)).items() if r["count"]}
    assert rows_of(breakdown(None, "article", AS_OF))["CC-BY:342"]["count"] == 6
    assert rows_of(breakdown(None, "sentence_length", AS_OF))["3 to under 5 years"]["count"] == 6
    assert rows_of(breakdown(None, "age_band", AS_OF))["25–34"]["count"] == 6
    assert rows_of(breakdown(None, "age_band", AS_OF))["55–64"]["display"] == "<5"
    assert rows_of(breakdown(None, "detention_year", AS_OF))["2021"]["count"] == 8
    released = breakdown(None, "release_kind", AS_OF)
    assert released.total == 1 and rows_of(released)["amnesty"]["display"] == "<5"
    assert rows_of(released)["pardon"] == {"key": "pardon", "label": "pardon", "count": 0, "display": "0"}


def test_it_counts_articles_only_from_events_by_the_date(registry):
    assert breakdown(None, "article", dt.date(2021, 6, 1)).rows == []


def test_restricted_people_are_cells_only_for_researchers(registry, users):
    actions.update_person("test", Person.objects.get(display_name="Minsk 0"), confidentiality="restricted")
    assert rows_of(breakdown(None, "region", AS_OF))["Minsk"]["count"] == 5
    assert rows_of(breakdown(users["researcher"], "region", AS_OF))["Minsk"]["count"] == 6


def test_it_rejects_an_unknown_dimension(db):
    with pytest.raises(ValueError, match="dimension"):
        breakdown(None, "shoe_size", AS_OF)


@pytest.mark.parametrize("dimension", DIMENSION_KEYS)
def test_it_runs_bounded_queries(registry, dimension, django_assert_max_num_queries):
    # The registry's version (twice: the breakdown's memo, the hidden events' memo), the hidden events, the
    # total, the cells, and for some dimensions a second query (facility names, sentences or cases).
    with django_assert_max_num_queries(7):
        result = breakdown(None, dimension, AS_OF)
    assert result.dimension == dimension and result.as_of == AS_OF
    assert all(row["count"] is None or row["count"] == 0 or row["count"] >= 5 for row in result.rows)


# --- cells as the reader may see them ---------------------------------------------------------------------
#
# A public person moved, freed or detained by a restricted event is counted where the events the reader may
# see place them: a cell that counted the hidden event would disagree with their page, the list and the
# facility pages, and "<5" against no row, stepped through as_of, would say where and on which day.

RESTRICTED = {"confidentiality": "restricted"}
DAYS = [dt.date(2024, 6, 9), dt.date(2024, 6, 10), dt.date(2024, 7, 1), dt.date(2025, 1, 1)]


@pytest.fixture
def hidden(db):
    """Public people each with one restricted custody event, a control, and a sealed person; facilities A and
    D are where people were detained in public, B and C receive people only through restricted events."""
    a, b, c, d = (Facility.objects.create(name=f"Colony {letter} (test)") for letter in "ABCD")

    def make(name, region, events, **fields):
        person = actions.create_person("test", name, region=region, gender="m", birth_date="1980", **fields)
        for kind, day, more in events:
            actions.record_event("test", person, kind, day, **more)
        return person

    people = {
        "moved": make(
            "Moved",
            "Brest Region",
            [
                ("detained", "2023-03-01", {"facility": a}),
                ("recognized", "2023-04-01", {}),
                ("transferred", "2024-06-10", {"facility": b, **RESTRICTED}),
            ],
        ),
        "freed": make(
            "Freed",
            "Gomel Region",
            [
                ("detained", "2023-03-01", {"facility": a}),
                ("recognized", "2023-04-01", {}),
                ("released", "2024-07-01", {"release_kind": "pardon", **RESTRICTED}),
            ],
        ),
        "taken": make(
            "Taken",
            "Vitebsk Region",
            [("detained", "2022-05-05", {"facility": c, **RESTRICTED}), ("recognized", "2022-06-01", {})],
        ),
        "control": make(
            "Control",
            "Minsk",
            [("detained", "2023-03-01", {"facility": a}), ("recognized", "2023-04-01", {})],
        ),
        "sealed": make(
            "SEALED CANARY",
            "Secret Region",
            [
                ("detained", "2023-03-01", {"facility": d}),
                ("recognized", "2023-04-01", {}),
                ("transferred", "2024-06-10", {"facility": b, **RESTRICTED}),
            ],
            confidentiality="sealed",
        ),
    }
    return {"a": a, "b": b, "c": c, "d": d, **people}


def cells(user, dimension, as_of):
    """{key: count} of the non-empty cells (exact counts: the tests set the threshold to 1)."""
    return {row["key"]: row["count"] for row in breakdown(user, dimension, as_of).rows if row["count"]}


@pytest.fixture
def exact(settings):
    settings.SPIS_SUPPRESSION_THRESHOLD = 1


def test_the_public_counts_people_where_their_public_events_place_them(hidden, exact):
    a = str(hidden["a"].pk)
    for day in DAYS:
        # Moved stays at A (the transfer is hidden), Freed stays held (the release is), Taken is never held
        # (the detention is); the sealed person is in no cell.
        assert cells(None, "facility", day) == {a: 3}, day
        assert cells(None, "region", day) == {"Brest Region": 1, "Gomel Region": 1, "Minsk": 1}, day
        assert cells(None, "detention_year", day) == {"2023": 3}, day
        assert cells(None, "gender", day) == {"m": 3}, day
        assert cells(None, "age_band", day) == ({"35–44": 3} if day.year < 2025 else {"45–54": 3}), day
        assert cells(None, "sentence_length", day) == {"not yet sentenced": 3}, day
    assert cells(None, "release_kind", dt.date(2025, 1, 1)) == {}


def test_a_researcher_counts_the_restricted_facts(hidden, exact, users):
    a, b, c = (str(hidden[key].pk) for key in "abc")
    for role in ("researcher", "editor", "admin"):
        user = users[role]
        assert cells(user, "facility", dt.date(2024, 6, 9)) == {a: 3, c: 1}, role
        assert cells(user, "facility", dt.date(2024, 6, 10)) == {a: 2, b: 1, c: 1}, role
        assert cells(user, "facility", dt.date(2024, 7, 1)) == {a: 1, b: 1, c: 1}, role
        assert cells(user, "region", dt.date(2024, 6, 30)) == {
            "Brest Region": 1,
            "Gomel Region": 1,
            "Minsk": 1,
            "Vitebsk Region": 1,
        }, role
        assert "Gomel Region" not in cells(user, "region", dt.date(2024, 7, 1)), role
        assert cells(user, "detention_year", dt.date(2025, 1, 1)) == {"2022": 1, "2023": 2}, role
        assert cells(user, "release_kind", dt.date(2025, 1, 1)) == {"pardon": 1}, role


def test_sealed_people_never_enter_a_cell_and_every_total_is_the_headline(hidden, exact, users):
    for user in users.values():
        for day in DAYS:
            for dimension in DIMENSION_KEYS:
                result = breakdown(user, dimension, day)
                keys = {row["key"] for row in result.rows if row["count"]}
                assert "Secret Region" not in keys and str(hidden["d"].pk) not in keys
                headline = counts(day)
                expected = (
                    sum(headline["released_by_kind"].values())
                    if dimension == "release_kind"
                    else headline["recognized_in_custody"]
                )
                assert result.total == expected
    # Every event and every person, the sealed one and the hidden facts included: the same for every reader.
    assert breakdown(None, "facility", dt.date(2024, 6, 9)).total == 5
    assert breakdown(None, "facility", dt.date(2025, 1, 1)).total == 4


def test_a_restricted_sentence_or_case_is_counted_only_for_researchers(registry, exact, users):
    case = Case.objects.create(number="2", articles=[{"code": "CC-BY", "article": "361-1", "part": "1"}])
    person = Person.objects.get(display_name="Brest 0")
    actions.record_event("test", person, "convicted", "2021-10-01", case=case, **RESTRICTED)
    actions.record_event("test", person, "sentenced", "2021-10-01", sentence_months=120, **RESTRICTED)
    for user, seen in ((None, False), (users["researcher"], True)):
        assert ("CC-BY:361-1" in cells(user, "article", AS_OF)) is seen
        assert ("10 years or more" in cells(user, "sentence_length", AS_OF)) is seen
        assert cells(user, "sentence_length", AS_OF)["not yet sentenced"] == (1 if seen else 2)


def test_the_smallest_cell_does_not_reveal_a_hidden_transfer(hidden, users):
    # The reviewer's reproduction: B, empty in public, read "<5" from the day of the restricted transfer.
    b = str(hidden["b"].pk)
    for day in DAYS:
        assert b not in {row["key"] for row in breakdown(None, "facility", day).rows}, day
    rows = {row["key"]: row["display"] for row in breakdown(users["researcher"], "facility", DAYS[1]).rows}
    assert rows[b] == "<5"


def test_cells_agree_with_the_public_list(hidden, exact, client):
    today = timezone.now().date()
    for dimension, parameter in (("facility", "facility"), ("region", "region")):
        for key, count in cells(None, dimension, today).items():
            url = f"/api/v1/people?{parameter}={key}&recognized=true&status=in_custody&limit=1"
            assert client.get(url).json()["count"] == count, (dimension, key)


def test_the_statistics_page_its_csv_and_the_api_agree(hidden, client, users):
    today = timezone.now().date().isoformat()
    b = str(hidden["b"].pk)
    for user, seen in ((None, False), (users["researcher"], True)):
        if user is not None:
            client.force_login(user)
        page = client.get("/statistics/").content.decode()
        lines = list(csv.reader(io.StringIO(client.get("/statistics/facility.csv").content.decode())))
        api = client.get(f"/api/v1/stats/breakdowns/facility?as_of={today}").json()
        assert [(key, count) for key, _label, count in lines[1:-1]] == [
            (row["key"], row["display"]) for row in api["rows"]
        ]
        assert lines[-1] == ["total", "Total", str(api["total"])]
        assert (b in {row["key"] for row in api["rows"]}) is seen
        assert ("Colony B (test)" in page) is seen and ("Colony C (test)" in page) is seen
        assert "Colony A (test)" in page and "Colony D (test)" not in page


def test_each_levels_memo_is_its_own_and_a_write_refreshes_it(hidden, exact, users):
    b, day = str(hidden["b"].pk), dt.date(2025, 1, 1)
    researcher = users["researcher"]
    assert b not in cells(None, "facility", day)
    assert cells(researcher, "facility", day)[b] == 1
    assert b not in cells(None, "facility", day)  # served from the public's memo, not the researcher's
    actions.record_event(
        "test", hidden["control"], "transferred", "2024-09-01", facility=hidden["b"], **RESTRICTED
    )
    assert cells(researcher, "facility", day)[b] == 2
    assert b not in cells(None, "facility", day)


def test_queries_do_not_grow_with_the_people_derived_again(hidden):
    def queries():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            for dimension in DIMENSION_KEYS:
                breakdown(None, dimension, AS_OF)
        return len(captured)

    before = queries()
    for i in range(5):
        person = actions.create_person("test", f"More {i}")
        actions.record_event("test", person, "detained", "2021-03-01", facility=hidden["a"])
        actions.record_event("test", person, "recognized", "2021-04-01", **RESTRICTED)
    assert queries() == before
