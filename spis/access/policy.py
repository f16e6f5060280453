"""THE visibility policy: the only code that decides what a user may see.

Levels: public (everyone), restricted (researchers and above), sealed (admins, and editors granted that
person). Every view, API endpoint, search, statistic, export and feed reads people, names, events, sources
and citations through these functions. Field rules: below researcher, a birth date shows as its year only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from spis.registry.dates import format_partial
from spis.registry.models import Citation, Event, Name, Person, Source

from .roles import ADMIN, EDITOR, RESEARCHER, at_least, role_of

PUBLIC, RESTRICTED, SEALED = "public", "restricted", "sealed"


def levels_for(user: Any) -> list[str]:
    if at_least(user, ADMIN):
        return [PUBLIC, RESTRICTED, SEALED]
    if at_least(user, RESEARCHER):
        return [PUBLIC, RESTRICTED]
    return [PUBLIC]


def persons(user: Any, *, include_merged: bool = False) -> QuerySet[Person]:
    """People the user may see (canonical records only unless asked)."""
    qs = Person.objects.all() if include_merged else Person.objects.filter(merged_into=None)
    allowed = Q(confidentiality__in=levels_for(user))
    if role_of(user) == EDITOR:
        allowed |= Q(confidentiality=SEALED, grants__user=user)
    return qs.filter(allowed)


def hidden_persons(user: Any) -> QuerySet[Person]:
    """People the user may not see, merged records included: what an import by this user must leave alone."""
    return Person.objects.exclude(pk__in=persons(user, include_merged=True).values("pk"))


def can_see_person(user: Any, person: Person) -> bool:
    if person.confidentiality in levels_for(user):
        return True
    if person.confidentiality == SEALED and role_of(user) == EDITOR:
        return person.grants.filter(user=user).exists()
    return False


def names(user: Any, qs: QuerySet[Name] | None = None) -> QuerySet[Name]:
    qs = Name.objects.all() if qs is None else qs
    return qs.filter(confidentiality__in=levels_for(user))


def events(user: Any, qs: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Events in force (not superseded) at a level the user may see."""
    qs = Event.objects.all() if qs is None else qs
    return qs.filter(confidentiality__in=levels_for(user), superseded_by__isnull=True, retracts=False)


def sources(user: Any, qs: QuerySet[Source] | None = None) -> QuerySet[Source]:
    qs = Source.objects.all() if qs is None else qs
    return qs.filter(confidentiality__in=levels_for(user))


def citations(user: Any, qs: QuerySet[Citation] | None = None) -> QuerySet[Citation]:
    qs = Citation.objects.all() if qs is None else qs
    levels = levels_for(user)
    return qs.filter(confidentiality__in=levels, source__confidentiality__in=levels)


def birth_date_for(user: Any, person: Person) -> str:
    """Full partial date for researchers and above; the year alone for everyone else."""
    return birth_date_shown(user, person.birth_date, person.birth_date_precision)


def birth_date_shown(user: Any, birth_date: dt.date | None, precision: str) -> str:
    """birth_date_for, from the stored columns (for readers of plain rows, as the export is)."""
    if birth_date is None:
        return ""
    if at_least(user, RESEARCHER):
        return format_partial(birth_date, precision)
    return f"{birth_date.year:04d}"


def may_write(user: Any) -> bool:
    return at_least(user, EDITOR)
