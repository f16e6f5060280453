"""/api/v1/changes: people updated and events recorded since a moment, visible ones only."""

import datetime as dt

import pytest
from django.utils import timezone

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
