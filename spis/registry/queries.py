"""Reads of registry data that a user sees; every one goes through access.policy."""

from __future__ import annotations

from typing import Any

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
