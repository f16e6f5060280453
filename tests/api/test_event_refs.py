"""Events are published by reference, never by their sequential id (spis/registry/refs.py).

Ids are issued to every event in turn, hidden ones included: a reader who saw a person's public events as 101,
102 and 104 learnt that 103 existed and was hidden from them.
"""

import json
import re

import pytest
from django.core.management import call_command

from spis.registry import actions
from spis.registry.models import Event, RefKey
from spis.registry.refs import event_refs

pytestmark = pytest.mark.django_db

REF = re.compile(r"^[0-9a-f]{16}$")


@pytest.fixture
def sandwich(registry):
    """Ivan's public events with a sealed one recorded between two of them."""
    ivan = registry["ivan"]
    actions.record_event("test", ivan, "transferred", "2022-01-10", confidentiality="sealed")
    actions.record_event("test", ivan, "transferred", "2022-02-01", facility=registry["colony"])
    return ivan


def test_the_api_publishes_references_not_ids(api, sandwich):
    ids = {str(pk) for pk in Event.objects.values_list("pk", flat=True)}
    events = api.get(f"/api/v1/people/{sandwich.public_id}/events").json()["results"]
    refs = [e["id"] for e in events]
    assert refs and all(REF.match(r) for r in refs) and not set(refs) & ids
    # The same references wherever an event shows, and on every request.
    detail = api.get(f"/api/v1/people/{sandwich.public_id}").json()["events"]
    listed = api.get("/api/v1/events", {"person": sandwich.public_id}).json()["results"]
    changed = api.get("/api/v1/changes", {"since": "2000-01-01"}).json()["events"]
    assert {e["id"] for e in detail} == {e["id"] for e in listed} == set(refs)
    assert set(refs) <= {e["id"] for e in changed}
    assert [e["id"] for e in api.get(f"/api/v1/people/{sandwich.public_id}/events").json()["results"]] == refs


def test_the_public_export_names_events_as_the_api_does_and_the_staff_export_by_id(api, sandwich, tmp_path):
    refs = {e["id"] for e in api.get(f"/api/v1/people/{sandwich.public_id}/events").json()["results"]}
    for public in (True, False):
        out = tmp_path / f"{public}.json"
        call_command("export", format="json", public=public, output=str(out), stdout=None)
        (record,) = [
            r for r in json.loads(out.read_text(encoding="utf-8")) if r["public_id"] == sandwich.public_id
        ]
        exported = {e["id"] for e in record["events"]}
        if public:
            assert exported == refs
        else:
            assert exported == set(
                Event.objects.filter(person=sandwich, superseded_by=None).values_list("pk", flat=True)
            )


def test_references_keep_no_order_and_change_with_the_key(db):
    ref = event_refs()
    ids = list(range(1, 51))
    assert len({ref(pk) for pk in ids}) == 50
    assert sorted(ids, key=ref) != ids  # in order by chance: 1 in 50!
    assert event_refs()(7) == ref(7)
    RefKey.objects.filter(pk=1).update(key="ab" * 32)
    assert event_refs()(7) != ref(7)
