"""Writes through actions.py: validation, corrections, derived spells and the audit log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from spis.registry import actions, audit
from spis.registry.custody import InvalidHistory
from spis.registry.models import AuditEntry, CustodySpell, Event, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return actions.create_person("tester", "Ціханоўскі Андрэй Паўлавіч", birth_date="1978")


def test_public_ids_are_sequential_and_never_reused(person):
    second = actions.create_person("tester", "Second Person")
    assert person.public_id == "BY-000001" and second.public_id == "BY-000002"
    actions.issue_public_ids(5)  # e.g. reserved by an import that failed
    assert actions.create_person("tester", "Third").public_id == "BY-000008"


def test_partial_birth_date_is_stored_as_entered(person):
    person.refresh_from_db()
    assert person.birth_date == dt.date(1978, 1, 1) and person.birth_date_display == "1978"


def test_recording_events_rebuilds_spells_and_status(person):
    actions.record_event("tester", person, "detained", "2021-03-12")
    actions.record_event("tester", person, "recognized", "2021-04")
    person.refresh_from_db()
    assert person.status == "in_custody" and person.recognized
    assert CustodySpell.objects.filter(person=person).count() == 2
    actions.record_event("tester", person, "released", "2023-01-05", release_kind="pardon")
    person.refresh_from_db()
    assert person.status == "released" and person.released_on == dt.date(2023, 1, 5)


def test_custody_deferred_validates_each_event_and_derives_custody_once_at_the_end(person):
    with actions.custody_deferred():
        actions.record_event("tester", person, "detained", "2021-03-12")
        with actions.custody_deferred():  # nested: the outer block rebuilds
            actions.record_event("tester", person, "recognized", "2021-04")
        assert not CustodySpell.objects.filter(person=person).exists()
        # Validation is not deferred: an impossible event is refused as it is recorded.
        with pytest.raises(InvalidHistory, match="released before being detained"):
            actions.record_event("tester", person, "released", "2020-01-01", release_kind="pardon")
    person.refresh_from_db()
    assert person.status == "in_custody" and person.recognized
    assert CustodySpell.objects.filter(person=person).count() == 2


def test_custody_deferred_derives_nothing_when_its_block_fails(person):
    with pytest.raises(RuntimeError), actions.custody_deferred():
        actions.record_event("tester", person, "detained", "2021-03-12")
        raise RuntimeError("the caller's transaction rolls back")
    assert not CustodySpell.objects.filter(person=person).exists()


def test_an_invalid_history_is_rejected_and_nothing_is_written(person):
    before = Event.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InvalidHistory, match="released before being detained"):
        actions.record_event("tester", person, "released", "2021-01-01", release_kind="pardon")
    assert (Event.objects.count(), AuditEntry.objects.count()) == before


def test_a_correction_adds_a_row_and_keeps_the_old_one(person):
    first = actions.record_event("tester", person, "detained", "2021-03-12")
    fixed = actions.correct_event("tester", first, date="2021-03-10")
    assert Event.objects.filter(person=person).count() == 2
    assert fixed.supersedes == first
    first.refresh_from_db()
    assert first.date == dt.date(2021, 3, 12)
    person.refresh_from_db()
    assert person.detained_on == dt.date(2021, 3, 10)


def test_a_retraction_withdraws_an_event(person):
    actions.record_event("tester", person, "detained", "2021-03-12")
    release = actions.record_event("tester", person, "released", "2021-05-01", release_kind="amnesty")
    actions.retract_event("tester", release, "wrong person in the source")
    person.refresh_from_db()
    assert person.status == "in_custody"


def test_every_write_appends_to_a_valid_audit_chain(person):
    actions.record_event("tester", person, "detained", "2021-03-12")
    result = audit.verify()
    assert result.ok and result.entries == AuditEntry.objects.count() >= 3
    assert AuditEntry.objects.filter(action="record_event", actor="tester").exists()


def test_merged_person_events_count_once_under_the_canonical_person(person):
    other = actions.create_person("tester", "Тихановский Андрей Павлович")
    actions.record_event("tester", other, "detained", "2021-03-12")
    Person.objects.filter(pk=other.pk).update(merged_into=person)
    actions.rebuild_custody([person.pk])
    assert CustodySpell.objects.filter(person=person).count() == 1
    assert not CustodySpell.objects.filter(person=other).exists()
    with pytest.raises(InvalidHistory, match="merged into"):
        actions.record_event("tester", Person.objects.get(pk=other.pk), "charged", "2021-03-13")


def test_names_get_search_keys(person):
    name = person.names.get()
    assert name.keys and name.script == "Cyrl"


def test_a_rebuild_deletes_spells_without_loading_them(person):
    """Spells change no public figure by themselves (generation.IGNORED_MODELS): no delete signal is
    connected for them, so Django deletes them in one statement instead of loading each row to signal it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actions.record_event("tester", person, "detained", "2021-03-12")
    assert CustodySpell.objects.filter(person=person).exists()
    with CaptureQueriesContext(connection) as queries:
        actions._delete_spells([person.pk])
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["DELETE"]
    assert not CustodySpell.objects.filter(person=person).exists()


def test_canonical_ids_follow_merge_chains_to_the_root(person):
    from spis.registry.queries import canonical_ids

    middle = actions.create_person("tester", "Ціханоўскі Андрэй")
    duplicate = actions.create_person("tester", "Tsikhanouski Andrei")
    # A merged into B merged into C, as two merges leave it (the columns only: merges are links).
    Person.objects.filter(pk=duplicate.pk).update(merged_into=middle)
    Person.objects.filter(pk=middle.pk).update(merged_into=person)
    found = canonical_ids(iter([duplicate.pk, middle.pk, person.pk, 10**9]))
    assert found == {duplicate.pk: person.pk, middle.pk: person.pk, person.pk: person.pk}


def test_a_public_person_never_displays_a_name_only_staff_may_read(db):
    """The display name shows on every public list, page and file: never the text of a withheld name."""
    withheld = {"text": "Тайная Таццяна", "confidentiality": "restricted"}
    with pytest.raises(ValueError, match="display name"):
        actions.create_person("test", "Тайная Таццяна", names=[dict(withheld)])
    assert not Person.objects.exists()
    person = actions.create_person("test", "Т. Т.", names=[dict(withheld)])
    with pytest.raises(ValidationError):
        actions.update_person("test", person, display_name="Тайная Таццяна")
    person.refresh_from_db()
    with pytest.raises(ValueError, match="display name"):
        actions.add_name("test", person, "Т. Т.", confidentiality="sealed")
    # A public name with the same text keeps it public; a restricted person shows on no public page.
    actions.add_name("test", person, "Т. Т.")
    assert actions.add_name("test", person, "Т. Т.", confidentiality="sealed").pk
    hidden = actions.create_person(
        "test", "Тайная Таццяна", confidentiality="restricted", names=[dict(withheld)]
    )
    with pytest.raises(ValidationError):
        actions.update_person("test", hidden, confidentiality="public")
