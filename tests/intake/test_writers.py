"""The bulk writer derives custody for the people it creates itself; it must agree with rebuild_custody."""

from spis.registry import actions
from spis.registry.models import CustodySpell, Person

from .helpers import fixture, run

VIASNA = "viasna_ru_bom_semicolon.csv"
DERIVED = (
    "status",
    "recognized",
    "first_recognized_on",
    "current_facility_id",
    "detained_on",
    "released_on",
    "expected_release_on",
    "sentence_months",
)


def _custody():
    people = list(Person.objects.order_by("pk").values_list("pk", *DERIVED))
    spells = sorted(
        CustodySpell.objects.values_list("person_id", "start", "end", "facility_id", "end_reason")
    )
    return people, spells


def test_it_derives_the_same_custody_as_a_full_rebuild(db):
    run(VIASNA, partial=True, writer="bulk")
    written = _custody()
    assert written[1], "the fixture has people in custody"
    actions.rebuild_custody(None)
    assert _custody() == written


def test_it_writes_a_file_that_only_updates_known_people(db):
    run(VIASNA, partial=True, writer="bulk")
    # The same people again with a later release date: no one new, one row a correction.
    data = fixture(VIASNA).replace(b"03.07.2023", b"05.07.2023")
    result = run(VIASNA, data=data, partial=True, writer="bulk")
    assert result.created == 0 and result.status == "partial"
    written = _custody()
    actions.rebuild_custody(None)
    assert _custody() == written
