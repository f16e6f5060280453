"""The people list sorted by a derived column (detention, sentence, expected release) as the reader may see it.

The stored columns count restricted events, so a plain ORDER BY would place a person by a restricted detention
date or sentence that the row itself does not show (spis.access.queries.order_as_seen).
"""

import datetime as dt
import re

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from spis.access import policy
from spis.access.queries import SeenOrder, as_seen, order_as_seen
from spis.registry import actions

pytestmark = pytest.mark.django_db
ORDERINGS = ["detained_on", "-detained_on", "sentence_months", "-sentence_months", "expected_release_on"]


@pytest.fixture
def people(users):
    """Eighteen public people: detention dates and sentences with ties and gaps, a third of them with a
    restricted detention or sentence (some the only one they have), a few never detained."""
    made = []
    for i in range(18):
        person = actions.create_person("t", f"Sortable Person{i:02d}")
        level = "restricted" if i % 3 == 0 else "public"
        if i % 7 != 6:
            day = dt.date(2020, 1 + i % 4, 1 + (i * 5) % 27)
            actions.record_event("t", person, "detained", day, confidentiality=level)
            if i % 2:
                verdict = "restricted" if i % 5 == 0 else "public"
                actions.record_event("t", person, "convicted", day, confidentiality=verdict)
                actions.record_event(
                    "t",
                    person,
                    "sentenced",
                    day,
                    sentence_months=12 * (1 + i % 3),
                    regime="general",
                    confidentiality=verdict,
                )
            if i % 4 == 1:  # a public detention too, so the restricted one moves the date, not the status
                actions.record_event("t", person, "detained", day + dt.timedelta(days=40))
        made.append(person)
    return made


def _expected(user, ordering: str) -> list[int]:
    """Brute force: every visible person, as_seen, sorted in Python (empty values last, then id)."""
    field = ordering.removeprefix("-")
    shown = as_seen(user, list(policy.persons(user)))

    def key(person):
        value = getattr(person, field)
        if value is None:
            return (True, 0, person.pk)
        rank = value.toordinal() if isinstance(value, dt.date) else value
        return (False, -rank if ordering.startswith("-") else rank, person.pk)

    return [person.pk for person in sorted(shown, key=key)]


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("role", ["anonymous", "volunteer", "researcher"])
def test_every_page_follows_the_values_the_reader_may_see(people, users, role, ordering):
    user = users[role]
    ordered = order_as_seen(user, policy.persons(user), ordering)
    expected = _expected(user, ordering)
    assert len(ordered) == len(expected)
    assert list(ordered[0 : len(expected)]) == expected
    for per_page in (1, 2, 5, 7):
        paginator = Paginator(ordered, per_page)
        pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
        assert [pk for page in pages for pk in page] == expected, per_page


def test_the_stored_order_would_reveal_them(people, users):
    # The fixture is strong enough to catch a plain ORDER BY on the stored column.
    user = users["anonymous"]
    stored = list(policy.persons(user).order_by("detained_on", "pk").values_list("pk", flat=True))
    assert stored != _expected(user, "detained_on")
    ordered = order_as_seen(user, policy.persons(user), "detained_on")
    assert isinstance(ordered, SeenOrder)
    assert not isinstance(
        order_as_seen(users["admin"], policy.persons(users["admin"]), "detained_on"), SeenOrder
    )


def test_a_filtered_list_is_ordered_within_the_filter(people, users):
    user = users["anonymous"]
    qs = policy.persons(user).filter(display_name__endswith="1")
    ordered = order_as_seen(user, qs, "-detained_on")
    wanted = set(qs.values_list("pk", flat=True))
    assert list(ordered[0:100]) == [pk for pk in _expected(user, "-detained_on") if pk in wanted]


def test_the_people_page_sorts_by_the_visible_detention(client, people):
    # Person00's only detention is restricted: the public sees no date, so the person comes last among the
    # "longest held", not first (the stored 2020-01-01 is the earliest date of all).
    page = client.get(reverse("web-people"), {"sort": "detained", "per_page": 100}).content.decode()
    listed = re.findall(r"Sortable Person(\d\d)", page)
    assert listed.index("00") > listed.index("04")
    expected = [f"{pk:02d}" for pk in _indexes(people, _expected(None, "detained_on"))]
    assert list(dict.fromkeys(listed)) == expected


def _indexes(people, pks):
    where = {person.pk: i for i, person in enumerate(people)}
    return [where[pk] for pk in pks]
