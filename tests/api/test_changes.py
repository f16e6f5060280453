"""/api/v1/changes: people updated and events recorded since a moment, visible ones only."""

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone

from spis.access.models import SeenChange
from spis.registry import actions
from spis.registry.models import Event

pytestmark = pytest.mark.django_db


def test_it_lists_changes_since_a_date(api, registry):
    body = api.get("/api/v1/changes", {"since": "2000-01-01"}).json()
    assert [p["public_id"] for p in body["people"]] == [registry["ivan"].public_id]
    assert {e["person"] for e in body["events"]} == {registry["ivan"].public_id}
    assert "SEALEDCANARY" not in str(body) and "RESTRICTEDNOTE" not in str(body)
    assert body["people_truncated"] is False


def test_it_leaves_out_what_came_before(api, registry):
    Event.objects.update(recorded_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    later = timezone.now() + dt.timedelta(seconds=1)
    actions.record_event("test", registry["ivan"], "transferred", "2022-05-01", facility=registry["colony"])
    body = api.get("/api/v1/changes", {"since": later.isoformat()}).json()
    assert body["people"] == []
    body = api.get("/api/v1/changes", {"since": "2024-06-01"}).json()
    assert [e["date"] for e in body["events"]] == ["2022-05-01"]


def test_it_truncates_and_says_so(api, registry):
    body = api.get("/api/v1/changes", {"since": "2000-01-01", "limit": 2}).json()
    assert len(body["events"]) == 2 and body["events_truncated"] is True


@pytest.mark.parametrize("query", ["", "since=soon", "since=2021-02-30", "since=2021-01-01&limit=0"])
def test_it_rejects_bad_input(api, db, query):
    response = api.get(f"/api/v1/changes?{query}")
    assert response.status_code == 400


def _page_all(api, limit, **start):
    """Every row of each list, paging on with `next` as the docs say, and the number of calls it took."""
    got = {"people": [], "withdrawn": [], "events": []}
    params = {**start, "limit": limit}
    for calls in range(1, 50):
        body = api.get("/api/v1/changes", params).json()
        got["people"] += [p["public_id"] for p in body["people"]]
        got["withdrawn"] += [w["public_id"] for w in body["withdrawn"]]
        got["events"] += [e["id"] for e in body["events"]]
        if not any(body[f"{name}_truncated"] for name in got):
            return got, calls
        params = {"cursor": body["next"], "limit": limit}
    raise AssertionError("paging never ended")


def test_it_pages_past_rows_that_share_one_timestamp(api, db):
    people = [actions.create_person("test", f"Testavich Person{i}") for i in range(7)]
    for person in people:
        actions.record_event("test", person, "detained", "2021-03-01")
    api.get("/api/v1/changes", {"since": "2000-01-01"})  # dates the clocks
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    SeenChange.objects.update(public_changed_at=moment)
    Event.objects.update(recorded_at=moment)
    got, calls = _page_all(api, 2, since="2000-01-01")
    assert sorted(got["people"]) == sorted(p.public_id for p in people) and len(got["people"]) == 7
    assert len(got["events"]) == len(set(got["events"])) == 7
    assert calls == 4


def test_it_lists_every_person_withdrawn_at_once_exactly_once(api, db):
    people = [actions.create_person("test", f"Testavich Person{i}") for i in range(5)]
    api.get("/api/v1/changes", {"since": "2000-01-01"})  # the public saw them
    for person in people:
        actions.update_person("test", person, confidentiality="sealed")
    got, _ = _page_all(api, 2, since="2000-01-01")
    assert sorted(got["withdrawn"]) == sorted(p.public_id for p in people)
    assert got["people"] == []


def test_a_cursor_keeps_its_place_when_nothing_is_left(api, registry):
    body = api.get("/api/v1/changes", {"since": "2000-01-01"}).json()
    again = api.get("/api/v1/changes", {"cursor": body["next"]}).json()
    assert again["people"] == [] and again["events"] == [] and again["since"] == body["since"]
    actions.record_event("test", registry["ivan"], "transferred", "2022-05-01", facility=registry["colony"])
    after = api.get("/api/v1/changes", {"cursor": again["next"]}).json()
    assert [e["date"] for e in after["events"]] == ["2022-05-01"]
    assert [p["public_id"] for p in after["people"]] == [registry["ivan"].public_id]


def test_a_cursor_shows_nothing_hidden(api, registry):
    body = api.get("/api/v1/changes", {"since": "2000-01-01", "limit": 1}).json()
    token = signing.loads(body["next"], salt="spis.api.changes.cursor")
    # What the caller was shown, never a database id (they are issued in sequence to hidden rows too).
    assert token["people"][1] == registry["ivan"].public_id
    assert token["events"][1] == body["events"][0]["id"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("cursor=forged", "not a cursor this feed returned"),
        ("since=2026-11-31", "not a real date"),
        ("since=2026-11-31T10:00:00", "not a real date"),
        ("since=2026-11-30T21:22:00+03:00", "URL-encode the + as %2B"),
    ],
)
def test_it_says_what_is_wrong(api, db, query, says):
    response = api.get(f"/api/v1/changes?{query}")
    assert response.status_code == 400 and says in str(response.json())


def test_an_encoded_offset_is_read(api, db):
    response = api.get("/api/v1/changes?since=2026-11-30T21:22:00%2B03:00")
    assert response.status_code == 200 and response.json()["since"] == "2026-11-30T21:22:00+03:00"


def test_an_event_recorded_on_a_merged_record_is_listed_under_the_person(api, client_for, registry):
    """As `/events` and the person's detail give it: an event of a record merged into a person the caller may
    see, under that person, at a level the caller may see; none of a record merged into a sealed person."""
    from spis.registry.merge import merge

    ivan, canary = registry["ivan"], registry["canary"]
    other = actions.create_person("test", "Лебедзеў Леанід")
    merge("test", other, ivan)
    beside = actions.create_person("test", "Public Beside Canary")
    merge("test", beside, canary)
    since = timezone.now()
    actions.record_event("test", other, "detained", "2020-06-01", note="MERGEDEVENT")
    actions.record_event("test", other, "charged", "2020-06-02", confidentiality="restricted", note="HIDDEN")
    actions.record_event("test", beside, "detained", "2019-02-01", note="CANARYMERGED")
    params = {"since": since.isoformat()}
    body = api.get("/api/v1/changes", params).json()
    assert [(e["date"], e["person"]) for e in body["events"]] == [("2020-06-01", ivan.public_id)]
    assert "HIDDEN" not in str(body) and "CANARYMERGED" not in str(body)
    staff = client_for("researcher").get("/api/v1/changes", params).json()
    assert [(e["date"], e["person"]) for e in staff["events"]] == [
        ("2020-06-01", ivan.public_id),
        ("2020-06-02", ivan.public_id),
    ]
    admin = client_for("admin").get("/api/v1/changes", params).json()
    assert ("2019-02-01", canary.public_id) in [(e["date"], e["person"]) for e in admin["events"]]
