"""Reads for the letter-writing pages: only what the public may see (policy.persons(None)), whoever asks.

Volunteers write to people whose families agreed to publication; restricted and sealed records never
appear here, not even for admins, because these pages are made to be shared with supporters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from spis.access import policy
from spis.access.queries import as_seen, filter_as_seen, get_person_for
from spis.registry.custody import add_months
from spis.registry.dates import DAY, MONTH
from spis.registry.models import Event, EventType, Person

from .models import LetterLog


def writable() -> QuerySet[Person]:
    """Public, recognised political prisoners in custody now, with how many letters each has been sent."""
    return held_and_recognised().annotate(letter_count=Count("letters"))


def held_and_recognised() -> QuerySet[Person]:
    """Public people held and recognised now, as the public may see it: a restricted recognition or detention
    names nobody here (the letter pages, the briefs' named list)."""
    held = filter_as_seen(None, policy.persons(None), status=Person.Status.IN_CUSTODY, recognized=True)
    return held.select_related("current_facility")


def get_writable_person(public_id: str) -> Person:
    """The person if the public may see them and they are held now (404 otherwise), whoever asks."""
    (person,) = as_seen(None, [get_person_for(None, public_id)])
    if person.status != Person.Status.IN_CUSTODY or not person.recognized:
        raise Http404("Not in custody")
    return person


def days_to_birthday(person: Person, today: dt.date) -> int | None:
    """Days until the next birthday; None when only the year or month is known."""
    born = person.birth_date
    if born is None or person.birth_date_precision != DAY:
        return None
    for year in (today.year, today.year + 1):
        try:
            day = born.replace(year=year)
        except ValueError:  # 29 February: celebrated on 1 March in other years
            day = dt.date(year, 3, 1)
        if day >= today:
            return (day - today).days
    return None


def birthday_month(person: Person, today: dt.date) -> dt.date | None:
    """The first day of the birthday's month if it is this month or the next; None otherwise or unknown."""
    born = person.birth_date
    if born is None or person.birth_date_precision not in (MONTH, DAY):
        return None
    ahead = (born.month - today.month) % 12
    return add_months(today.replace(day=1), ahead) if ahead <= 1 else None


@dataclass
class Suggestion:
    person: Person
    letters: int
    # Days to the birthday, for those who may see birth days; the month (this or the next) for the others.
    birthday_in: int | None
    birthday_month: dt.date | None


def suggestions(today: dt.date, user: Any = None, limit: int = 50) -> list[Suggestion]:
    """Fewest letters first, then the nearest birthday (a card that arrives in time), then the longest held.

    Below researcher the policy shows birth years only, so the birthday counts in whole months, as the public
    birthdays feed does: a day count (or an order by it) would give the date away."""
    days = policy.shows_birth_day(user)
    rows = [
        Suggestion(
            p,
            p.letter_count,
            days_to_birthday(p, today) if days else None,
            None if days else birthday_month(p, today),
        )
        for p in as_seen(None, list(writable()))
    ]

    def soon(row: Suggestion) -> int:
        if row.birthday_in is not None:
            return row.birthday_in
        return (row.birthday_month - today.replace(day=1)).days if row.birthday_month else 400

    rows.sort(key=lambda s: (s.letters, soon(s), s.person.detained_on or today, s.person.public_id))
    return rows[:limit]


def last_transfer(person: Person) -> Event | None:
    """The latest public transfer event: supporters need to know a letter may follow the person."""
    qs = policy.events(None, person.events.filter(type=EventType.TRANSFERRED)).select_related("facility")
    return qs.order_by("-date", "-id").first()


def letters(person: Person) -> QuerySet[LetterLog]:
    return LetterLog.objects.filter(person=person).select_related("volunteer")


def letter_summary(person: Person, user: Any) -> dict[str, Any]:
    logs = list(letters(person)[:20])
    return {
        "count": letters(person).count(),
        "recent": logs,
        "mine": sum(1 for log in logs if user is not None and log.volunteer_id == getattr(user, "pk", None)),
    }
