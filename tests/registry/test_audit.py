"""The audit chain: every write appends; changing, deleting or reordering a row is detected and named."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spis.registry import actions
from spis.registry.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    person = actions.create_person("editor-1", "Калеснікава Марыя Аляксандраўна")
    actions.record_event("editor-1", person, "detained", "2020-09-07")
    actions.record_event("editor-1", person, "recognized", "2020-09-09")
    return list(AuditEntry.objects.order_by("seq"))


def verify_json():
    out = StringIO()
    try:
        call_command("audit", "verify", json=True, stdout=out)
    except CommandError as exc:
        return json.loads(out.getvalue()), str(exc)
    return json.loads(out.getvalue()), None


def test_an_intact_chain_verifies(chain):
    result, error = verify_json()
    assert error is None and result["ok"] and result["entries"] == len(chain)


def test_a_changed_row_is_named(chain):
    victim = chain[2]
    AuditEntry.objects.filter(pk=victim.pk).update(after={"tampered": True})
    result, error = verify_json()
    assert not result["ok"] and result["first_bad_seq"] == victim.seq
    assert f"entry {victim.seq}" in error


def test_a_deleted_row_is_named(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).delete()
    result, _ = verify_json()
    assert not result["ok"] and result["first_bad_seq"] == chain[1].seq
    assert "missing" in result["reason"]


def test_reordered_rows_are_detected(chain):
    a, b = chain[1], chain[2]
    # Swap the contents of two rows (keeping their ids): the order of the chain changes.
    fields = [
        "seq",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    ]
    va, vb = ({f: getattr(x, f) for f in fields} for x in (a, b))
    AuditEntry.objects.filter(pk=a.pk).update(seq=10_000)
    AuditEntry.objects.filter(pk=b.pk).update(**va)
    AuditEntry.objects.filter(pk=a.pk).update(**vb)
    result, _ = verify_json()
    assert not result["ok"] and result["first_bad_seq"] == a.seq


def test_a_rehashed_forgery_breaks_the_next_link(chain):
    from spis.registry.audit import entry_hash

    victim = chain[1]
    forged_after = {"forged": True}
    digest = entry_hash(
        victim.seq,
        victim.at,
        victim.actor,
        victim.action,
        victim.object_type,
        victim.object_id,
        victim.before,
        forged_after,
        victim.prev_hash,
    )
    AuditEntry.objects.filter(pk=victim.pk).update(after=forged_after, hash=digest)
    result, _ = verify_json()
    assert not result["ok"] and result["first_bad_seq"] == victim.seq + 1
