"""Compliance from stored spells (SQL and a fold per person) equals the replay's pure core, on random registries.

The replay path (known_on) rebuilds every custody from events and measures it with `_measure`, which reads
all spells; the stored path reads only the scope's spells, counts the refill on an index and takes the
list from the ledger. Random histories with transfers, re-arrests, deaths, late recognitions and merges
must give the same figures both ways, for snapshot and rolling scopes, on days around every change.
"""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spis.campaigns import actions as campaign_actions
from spis.campaigns.compliance import compliance
from spis.campaigns.models import Demand
from tests.registry.test_ledger import START, _apply, _write, history

pytestmark = pytest.mark.django_db
merges = st.lists(st.tuples(st.just("merge"), st.integers(0, 9), st.integers(0, 9)), max_size=2)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(history, min_size=2, max_size=6),
    steps=merges,
    scope_offset=st.integers(0, 1000),
    spans=st.lists(st.integers(0, 900), min_size=1, max_size=3),
)
def test_stored_compliance_equals_the_replay(histories, steps, scope_offset, spans):
    people = [_write(i, spec) for i, spec in enumerate(histories)]
    for kind, a, b in steps:
        _apply(kind, a, b, people)
    campaign = campaign_actions.create_campaign("t", "Property", slug=f"p{people[0].pk}")
    scope = START + dt.timedelta(days=scope_offset)
    today = timezone.now().date()
    for kind in (Demand.ScopeKind.SNAPSHOT, Demand.ScopeKind.ROLLING):
        demand = campaign_actions.add_demand("t", campaign, "All", scope, scope_kind=kind)
        for span in spans:
            as_of = scope + dt.timedelta(days=span)
            stored = compliance(demand, as_of).as_dict()
            replay = compliance(demand, as_of, known_on=today).as_dict()
            stored.pop("known_on"), replay.pop("known_on")
            assert stored == replay, (kind, scope, as_of)
