"""Reads of registry data that a user sees; every one goes through access.policy."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404

from spis.access import policy
from spis.registry.models import Person


def get_person_for(user: Any, public_id: str) -> Person:
    """The person with this public id if the user may see them; 404 otherwise (never 403: no existence leak).

    A merged record resolves to the person it was merged into (callers redirect).
    """
    person = (
        Person.objects.filter(public_id=public_id).select_related("merged_into", "current_facility").first()
    )
    if person is None:
        raise Http404("No such person")
    while person.merged_into_id:
        person = person.merged_into
    if not policy.can_see_person(user, person):
        raise Http404("No such person")
    return person


def id_values(ids: list[int]) -> tuple[str, list[Any]]:
    """A subquery yielding `ids`, with the ids as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): Django's `pk__in=[...]` prepares and binds every id on its own, and SQLite caps the count."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [list(ids)]
    return "SELECT value FROM json_each(%s)", [json.dumps(list(ids))]


def in_ids(ids: list[int]) -> RawSQL:
    """For `filter(pk__in=in_ids(ids))` on thousands of ids."""
    return RawSQL(*id_values(ids))  # noqa: S611 - fixed SQL, the ids go as a parameter
