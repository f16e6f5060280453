"""Property-based API testing: schemathesis generates valid and invalid requests from our own OpenAPI schema
and calls the WSGI app in-process (no network). Every response must be non-5xx and match the schema.

Bounded: 20 examples per operation, derandomized (the same inputs every run), no shrinking. Runs on a
synthetic demo registry of ~50 persons built inside the test. Other apps' routes are tested by their owners.

The stateful test chains calls along the schema's OpenAPI links (spis/api/schema_links.py): a list, then the
detail of an id it returned, then that item's sub-resources, so detail routes see ids that exist (40
derandomized scenarios of at most 6 calls: with 20, whether a walk happened to reach a person's events
hung on unrelated changes).
"""

from collections import defaultdict

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from spis.registry.demo import build
from spis.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def api_schema(db, monkeypatch):
    build(persons=50, seed=5)
    cache.clear()
    # Hundreds of generated requests from one address would hit the anonymous rate limit (429, correct but
    # not what is under test here).
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    # Calling the WSGI handler directly fires request_started/finished, whose close_old_connections would
    # close the test's database connection mid-transaction (it sees autocommit off inside the test's transaction);
    # Django's own test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    schema.config.generation.update(
        modes=["positive", "negative"], max_examples=20, deterministic=True, no_shrink=True
    )
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Only the routes of spis/api (campaigns and other contributed routes are their owners' to fuzz).
OWN_ROUTES = r"^/api/v1/(people|events|facilities|stats|changes|match|ping)"
schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=OWN_ROUTES)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=20, derandomize=True)
@pytest.mark.slow
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
def test_linked_calls_conform_to_their_schema(api_schema):
    # Only the links the schema publishes: schemathesis's own guesses would hide a link that went missing.
    api_schema.config.phases.stateful.inference.algorithms = []
    workflow = api_schema.include(path_regex=OWN_ROUTES).as_state_machine()
    # Operations reached by following a link, with the statuses they answered.
    followed = defaultdict(set)

    class APIWorkflow(workflow):
        def step(self, input):
            output = super().step(input)
            if input.transition is not None and input.is_applied:
                followed[input.case.operation.label].add(output.response.status_code)
            return output

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response, checks=CHECKS, transport_kwargs=kwargs or None, recorder=self.recorder
            )

    APIWorkflow.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The links carry ids that exist: each detail route answered 200 at least once when reached through one.
    assert {label for label, statuses in followed.items() if 200 in statuses} >= {
        "GET /api/v1/people/{public_id}",
        "GET /api/v1/people/{public_id}/events",
        "GET /api/v1/facilities/{id}",
    }
