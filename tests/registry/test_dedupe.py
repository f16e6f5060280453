"""The duplicate review queue: cross-script pairs found with explanations; judgements transitive and undoable.

Names: Марыя Калеснікава (be) = Мария Колесникова (ru) = Maryia Kalesnikava (national romanisation, as on
spring96.org); Сяргей Ціханоўскі = Сергей Тихановский = Siarhei Tsikhanouski.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from spis.registry import actions, dedupe, merge
from spis.registry.actions import canonical
from spis.registry.models import AuditEntry, DuplicateCandidate, Judgement, Person, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    p = {
        "be": actions.create_person("t", "Калеснікава Марыя Аляксандраўна", birth_date="1982-04-24"),
        "ru": actions.create_person("t", "Колесникова Мария Александровна", birth_date="1982-04-24"),
        "lat": actions.create_person("t", "Kalesnikava Maryia", birth_date="1982"),
        "sister": actions.create_person("t", "Калеснікава Вольга Аляксандраўна", birth_date="1982-04-24"),
        "namesake": actions.create_person("t", "Колесникова Мария Ивановна", birth_date="1990-02-03"),
        "ts_be": actions.create_person("t", "Ціханоўскі Сяргей Леанідавіч", birth_date="1978-08-18"),
        "ts_ru": actions.create_person("t", "Тихановский Сергей Леонидович"),
    }
    return p


def _pairs(report):
    return {frozenset((p.left_id, p.right_id)) for p in report.pairs}


def _pair(a, b):
    return frozenset((a.pk, b.pk))


def _refresh(person):
    return Person.objects.get(pk=person.pk)


def test_it_finds_cross_script_duplicates_and_not_namesakes(registry):
    report = dedupe.find()
    found = _pairs(report)
    r = registry
    assert {_pair(r["be"], r["ru"]), _pair(r["be"], r["lat"]), _pair(r["ru"], r["lat"])} <= found
    assert _pair(r["ts_be"], r["ts_ru"]) in found  # no birth date on one side: compared anyway
    assert _pair(r["be"], r["sister"]) not in found
    assert not any(r["namesake"].pk in pair for pair in found)
    best = next(p for p in report.pairs if {p.left_id, p.right_id} == {r["be"].pk, r["ru"].pk})
    assert best.same and "birth dates agree" in best.explanation


def test_it_stores_the_queue_and_keeps_judged_pairs(registry):
    report = dedupe.run("t")
    assert DuplicateCandidate.objects.filter(status="open").count() == len(report.pairs) >= 4
    entry = DuplicateCandidate.objects.get(left=registry["ts_be"], right=registry["ts_ru"])
    merge.judge("reviewer", entry.left, entry.right, Verdict.UNSURE, candidate=entry)
    again = dedupe.run("t")
    assert again.stored_new == 0
    entry.refresh_from_db()
    assert entry.status == "unsure"
    assert AuditEntry.objects.filter(action="dedupe").count() == 2


def test_it_applies_same_judgements_transitively(registry):
    r = registry
    merge.judge("reviewer", r["be"], r["ru"], Verdict.SAME)
    merge.judge("reviewer", r["ru"], r["lat"], Verdict.SAME)
    root = canonical(_refresh(r["lat"]))
    assert root.pk == r["be"].pk and canonical(_refresh(r["ru"])).pk == r["be"].pk
    assert not any({r["lat"].pk, r["ru"].pk} & set(pair) for pair in _pairs(dedupe.find()))


def test_it_stops_asking_about_clusters_judged_different(registry):
    r = registry
    dedupe.run("t")
    merge.judge("reviewer", r["be"], r["ru"], Verdict.SAME)
    merge.judge("reviewer", r["lat"], r["ru"], Verdict.DIFFERENT)
    # lat is different from ru, hence from every member of ru's cluster, be included.
    assert not any(r["lat"].pk in pair for pair in _pairs(dedupe.find()))
    entry = DuplicateCandidate.objects.get(left=r["be"], right=r["lat"])
    assert entry.status == "settled"
    with pytest.raises(merge.MergeError, match="judged different"):
        merge.judge("reviewer", r["be"], r["lat"], Verdict.SAME)


def test_it_undoes_a_judgement_and_asks_again(registry):
    r = registry
    dedupe.run("t")
    merge.judge("reviewer", r["be"], r["ru"], Verdict.SAME)
    different = merge.judge("reviewer", r["lat"], r["ru"], Verdict.DIFFERENT)
    merge.undo("reviewer", different)
    assert _pair(r["be"], r["lat"]) in _pairs(dedupe.find())
    assert DuplicateCandidate.objects.get(left=r["be"], right=r["lat"]).status == "open"
    assert Judgement.objects.get(pk=different.pk).undone_by == "reviewer"


def test_it_keeps_a_cluster_joined_by_a_remaining_judgement_after_undo(registry):
    r = registry
    ab = merge.judge("reviewer", r["be"], r["ru"], Verdict.SAME)
    merge.judge("reviewer", r["ru"], r["lat"], Verdict.SAME)
    merge.judge("reviewer", r["be"], r["lat"], Verdict.SAME)  # redundant: already one cluster
    merge.undo("reviewer", ab)
    # be=lat and ru=lat still hold, so all three stay one person.
    roots = {canonical(_refresh(r[k])).pk for k in ("be", "ru", "lat")}
    assert len(roots) == 1


def test_it_splits_the_cluster_when_the_only_link_is_undone(registry):
    r = registry
    ab = merge.judge("reviewer", r["be"], r["ru"], Verdict.SAME)
    merge.judge("reviewer", r["ru"], r["lat"], Verdict.SAME)
    merge.undo("reviewer", ab)
    assert canonical(_refresh(r["be"])).pk == r["be"].pk
    assert canonical(_refresh(r["lat"])).pk == canonical(_refresh(r["ru"])).pk != r["be"].pk


def test_it_judges_from_the_queue_and_settles_the_rest_of_the_cluster(registry):
    r = registry
    dedupe.run("t")
    first = DuplicateCandidate.objects.get(left=r["be"], right=r["ru"])
    merge.judge("reviewer", first.left, first.right, Verdict.SAME, candidate=first)
    second = DuplicateCandidate.objects.get(left=r["ru"], right=r["lat"])
    merge.judge("reviewer", second.left, second.right, Verdict.SAME, candidate=second)
    third = DuplicateCandidate.objects.get(left=r["be"], right=r["lat"])
    assert third.status == "settled"
    first.refresh_from_db()
    assert first.status == "same"


def test_it_reports_as_json_from_the_command_line(registry):
    out = StringIO()
    call_command("dedupe", "--json", "--limit", "2", stdout=out)
    data = json.loads(out.getvalue())
    assert data["candidates"] >= 4 and len(data["pairs"]) == 2 and data["stored_new"] == 2
    assert {"left", "right", "score", "explanation"} <= set(data["pairs"][0])
    dry = StringIO()
    call_command("dedupe", "--dry-run", stdout=dry)
    assert "0 new" in dry.getvalue()


def _admin_request(user):
    # The admin actions are called directly: the admin's two-factor gate is tested in tests/access.
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().post("/admin/registry/duplicatecandidate/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_the_admin_queue_judges_with_who_and_when(registry, users):
    from django.contrib import admin

    r = registry
    dedupe.run("t")
    entry = DuplicateCandidate.objects.get(left=r["be"], right=r["ru"])
    model_admin = admin.site._registry[DuplicateCandidate]
    request = _admin_request(users["editor"])
    queue = list(model_admin.get_queryset(request))
    assert queue[0].status == "open" and entry in queue
    model_admin.judge_same(request, DuplicateCandidate.objects.filter(pk=entry.pk))
    judgement = Judgement.objects.get()
    assert judgement.by == users["editor"] and judgement.verdict == "same" and judgement.at is not None
    assert _refresh(r["ru"]).merged_into_id == r["be"].pk
    model_admin.undo_judgement(request, DuplicateCandidate.objects.filter(pk=entry.pk))
    assert _refresh(r["ru"]).merged_into_id is None
    entry.refresh_from_db()
    assert entry.status == "open"
    # Judged again, then undone from the judgements' own list; an undone judgement is not undone twice.
    model_admin.judge_same(request, DuplicateCandidate.objects.filter(pk=entry.pk))
    judgements = admin.site._registry[Judgement]
    assert not judgements.has_change_permission(request) and not judgements.has_delete_permission(request)
    judgements.undo(request, Judgement.objects.all())
    assert _refresh(r["ru"]).merged_into_id is None
    assert Judgement.objects.filter(undone_at=None).count() == 0 and Judgement.objects.count() == 2


def test_the_admin_queue_is_closed_to_volunteers_and_hides_sealed_pairs(registry, users):
    from django.contrib import admin

    sealed = actions.create_person("t", "Kalesnikava Maryia Aliaksandrauna", confidentiality="sealed")
    dedupe.run("t")
    model_admin = admin.site._registry[DuplicateCandidate]
    assert not model_admin.has_view_permission(_admin_request(users["volunteer"]))
    editor_queue = model_admin.get_queryset(_admin_request(users["editor"]))
    admin_queue = model_admin.get_queryset(_admin_request(users["admin"]))
    assert not editor_queue.filter(right=sealed).exists()
    assert admin_queue.filter(right=sealed).exists()
