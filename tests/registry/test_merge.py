"""Merges are links: the duplicate counts once, its public id resolves, and unmerge restores exactly."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404

from spis.access.queries import get_person_for
from spis.registry import actions, merge
from spis.registry.models import AuditEntry, Citation, CustodySpell, Event, Judgement, Name, Person
from spis.stats.counts import counts

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2024, 1, 1)


def _prisoner(name, *, birth="1978-08-18", detained="2021-03-12", confidentiality="public"):
    person = actions.create_person("t", name, birth_date=birth, confidentiality=confidentiality)
    source = actions.create_source("t", f"Viasna page on {name}")
    actions.record_event("t", person, "detained", detained, sources=[source])
    actions.record_event("t", person, "recognized", "2021-04-01")
    return person


def _snapshot():
    """Everything a merge may touch, without row ids of derived rows (spells are re-created)."""
    persons = [
        {k: v for k, v in row.items() if k != "updated_at"} for row in Person.objects.order_by("pk").values()
    ]
    spells = sorted(
        CustodySpell.objects.values_list(
            "person_id", "start", "end", "facility_id", "recognized", "end_reason", "custody_start",
            "person_first_recognized_on",
        )
    )  # fmt: skip
    return {
        "persons": persons,
        "spells": spells,
        "names": list(Name.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("pk").values()),
        "citations": list(Citation.objects.order_by("pk").values()),
    }


def test_it_restores_exactly_what_was_there_after_unmerge():
    a = _prisoner("Ціханоўскі Сяргей Леанідавіч")
    b = _prisoner("Tikhanovsky Sergei", detained="2022-01-10")
    before = _snapshot()
    merge.merge("t", b, a)
    assert _snapshot() != before
    merge.unmerge("t", Person.objects.get(pk=b.pk))
    assert _snapshot() == before


def test_it_counts_a_merged_duplicate_once():
    a = _prisoner("Ціханоўскі Сяргей Леанідавіч")
    b = _prisoner("Тихановский Сергей Леонидович")
    _prisoner("Новік Андрэй Паўлавіч")
    assert counts(AS_OF)["recognized_in_custody"] == 3
    assert counts(AS_OF)["recognized_total"] == 3
    merge.merge("t", b, a)
    assert counts(AS_OF)["recognized_in_custody"] == 2
    assert counts(AS_OF)["recognized_total"] == 2
    merge.unmerge("t", Person.objects.get(pk=b.pk))
    assert counts(AS_OF)["recognized_in_custody"] == 3


def test_it_combines_the_histories_under_the_canonical_person():
    a = actions.create_person("t", "Ціханоўскі Сяргей Леанідавіч")
    b = actions.create_person("t", "Tikhanovsky Sergei")
    actions.record_event("t", b, "detained", "2020-05-29")
    merge.merge("t", b, a)
    a.refresh_from_db()
    assert a.status == "in_custody" and a.detained_on == dt.date(2020, 5, 29)
    assert not CustodySpell.objects.filter(person=b).exists()


def test_it_keeps_the_duplicate_public_id_resolving(users):
    a = actions.create_person("t", "Ціханоўскі Сяргей")
    b = actions.create_person("t", "Tikhanovsky Sergei")
    merge.merge("t", b, a)
    assert get_person_for(users["anonymous"], b.public_id) == a


def test_it_appends_merges_and_judgements_to_the_audit_log():
    a = actions.create_person("t", "Ціханоўскі Сяргей")
    b = actions.create_person("t", "Tikhanovsky Sergei")
    merge.merge("reviewer", b, a, note="same photo")
    merge.unmerge("reviewer", Person.objects.get(pk=b.pk))
    logged = list(AuditEntry.objects.filter(actor="reviewer").values_list("action", flat=True))
    assert logged == ["judge", "merge", "undo_judgement", "unmerge"]
    judgement = Judgement.objects.get()
    assert (
        judgement.actor == "reviewer" and judgement.note == "same photo" and judgement.undone_by == "reviewer"
    )


def test_it_refuses_to_show_a_sealed_duplicate_under_a_public_person():
    public = actions.create_person("t", "Ціханоўскі Сяргей")
    sealed = actions.create_person("t", "Tikhanovsky Sergei", confidentiality="sealed")
    with pytest.raises(merge.MergeError, match="sealed"):
        merge.merge("t", sealed, public)
    merge.merge("t", public, sealed)
    with pytest.raises(Http404):
        get_person_for(None, public.public_id)


def test_it_refuses_a_level_that_the_merge_cluster_would_publish():
    """A cluster is shown at its root's level: sealing a record merged into a public one would hide nothing
    (its names and events stay on the public page), and opening a root would publish what is merged into it."""
    from django.core.exceptions import ValidationError

    public = actions.create_person("t", "Ціханоўскі Сяргей")
    duplicate = actions.create_person("t", "Tikhanovsky Sergei")
    merge.merge("t", duplicate, public)
    duplicate = Person.objects.get(pk=duplicate.pk)
    with pytest.raises(ValidationError, match=f"merged into {public.public_id}"):
        actions.update_person("t", duplicate, confidentiality="sealed")
    assert Person.objects.get(pk=duplicate.pk).confidentiality == "public"
    # Sealed at the root, the whole cluster is hidden; the duplicate may then be sealed too, not the root opened.
    actions.update_person("t", public, confidentiality="sealed")
    actions.update_person("t", duplicate, confidentiality="sealed")
    with pytest.raises(ValidationError, match=f"{duplicate.public_id} \\(sealed\\)"):
        actions.update_person("t", Person.objects.get(pk=public.pk), confidentiality="public")
    with pytest.raises(Http404):
        get_person_for(None, duplicate.public_id)


def test_it_refuses_events_on_a_merged_record():
    a = actions.create_person("t", "Ціханоўскі Сяргей")
    b = actions.create_person("t", "Tikhanovsky Sergei")
    merge.merge("t", b, a)
    with pytest.raises(ValueError, match=f"merged into {a.public_id}"):
        actions.record_event("t", Person.objects.get(pk=b.pk), "detained", "2021-01-01")


def test_it_merges_and_unmerges_from_the_command_line():
    a = actions.create_person("t", "Ціханоўскі Сяргей")
    b = actions.create_person("t", "Tikhanovsky Sergei")
    out = StringIO()
    call_command("merge", b.public_id, a.public_id, "--json", stdout=out)
    assert f'"into": "{a.public_id}"' in out.getvalue()
    assert Person.objects.get(pk=b.pk).merged_into_id == a.pk
    call_command("merge", "--undo", b.public_id, stdout=StringIO())
    assert Person.objects.get(pk=b.pk).merged_into_id is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["BY-999999", "BY-000001"], "duplicate: no record"),
        (["BY-000001"], "give two public ids"),
        (["BY-000001", "BY-000001"], "already merged"),
        (["--undo", "BY-000001"], "not merged"),
    ],
)
def test_it_gives_clear_errors_on_the_command_line(args, message):
    actions.create_person("t", "Ціханоўскі Сяргей")
    with pytest.raises(CommandError, match=message):
        call_command("merge", *args)


def test_a_rebuild_of_one_person_reads_only_their_cluster():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kept, duplicate = _prisoner("Адзін Чалавек"), _prisoner("Адзін Чалавек", detained="2021-03-13")
    merge.merge("t", duplicate, kept)
    assert actions.cluster_ids(kept) == [kept.pk, duplicate.pk]
    with CaptureQueriesContext(connection) as queries:
        actions.rebuild_custody([kept.pk])
    wheres = [q["sql"].partition(" WHERE ")[2] for q in queries if q["sql"].startswith("SELECT")]
    reads = [where for where in wheres if "merged_into_id" in where]
    # Merged records are looked up under the person (an index seek), never all of them in name order.
    assert reads and all('merged_into_id" IN (' in where and "ORDER BY" not in where for where in reads)
