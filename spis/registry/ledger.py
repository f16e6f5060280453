"""The per-day ledger of headline measures: counts "as of D" as a sum over a few thousand rows.

Every stored spell and every person's first recognition contributes +1/-1 changes on the days they take
effect (`DailyChange` rows). A count on D is the sum of the changes dated on or before D, so the counts and
the series read the ledger instead of scanning every spell. The ledger is derived, like the
spells: `actions.rebuild_custody` and the bulk intake writer keep it in step in the same transaction,
subtracting what the rebuilt people contributed before and adding what they contribute now; `verify()`
recomputes it from the spells and persons (`spis stats --verify`).

Measures (see docs/statistics.md for the definitions they implement):
- held / held_recognized: +1 on a spell's start, -1 on its end (recognised spells only for the second);
- detained: +1 on the start of a custody period (the spell that begins it);
- recognized: +1 on a person's first recognition (merged duplicates carry none: they count under the
  person they were merged into);
- ended:<reason>: +1 on the day custody ended (release kind or "died"), for people recognised by then;
- ended_before:<reason>: +1 on the day of first recognition, for custody that ended before it (a person
  recognised after release counts among the released from the day of recognition).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Q, Sum

from .models import CustodySpell, DailyChange, Person

HELD = "held"
HELD_RECOGNIZED = "held_recognized"
DETAINED = "detained"
RECOGNIZED = "recognized"
ENDED = "ended:"
ENDED_BEFORE = "ended_before:"

Changes = Counter[tuple[dt.date, str]]
# The spell fields the ledger reads, in this order.
SPELL_FIELDS = ("start", "end", "recognized", "end_reason", "custody_start", "person_first_recognized_on")


def spell_changes(spells: Iterable[Sequence], into: Changes | None = None) -> Changes:
    """Changes contributed by spells given as SPELL_FIELDS tuples."""
    changes: Changes = Counter() if into is None else into
    for start, end, recognized, reason, custody_start, first_recognized in spells:
        changes[start, HELD] += 1
        if recognized:
            changes[start, HELD_RECOGNIZED] += 1
        if start == custody_start:
            changes[start, DETAINED] += 1
        if end is None:
            continue
        changes[end, HELD] -= 1
        if recognized:
            changes[end, HELD_RECOGNIZED] -= 1
        if reason and first_recognized is not None:
            if first_recognized <= end:
                changes[end, ENDED + reason] += 1
            else:
                changes[first_recognized, ENDED_BEFORE + reason] += 1
    return changes


def recognition_changes(dates: Iterable[dt.date | None], into: Changes | None = None) -> Changes:
    """Changes contributed by persons' first-recognition dates (None: never recognised)."""
    changes: Changes = Counter() if into is None else into
    for day in dates:
        if day is not None:
            changes[day, RECOGNIZED] += 1
    return changes


def apply(changes: Changes) -> None:
    """Add the changes to the stored ledger (one upsert per changed day and measure)."""
    rows = [(day, measure, n) for (day, measure), n in changes.items() if n]
    if not rows:
        return
    table = connection.ops.quote_name(DailyChange._meta.db_table)
    sql = (
        f"INSERT INTO {table} (day, measure, n) VALUES (%s, %s, %s) "  # noqa: S608 - our own table
        f"ON CONFLICT (measure, day) DO UPDATE SET n = {table}.n + excluded.n"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rebuild() -> None:
    """Replace the stored ledger by one recomputed from the spells and persons (`spis stats --verify --repair`)."""
    changes = compute()
    DailyChange.objects.all().delete()
    apply(changes)


def compute() -> Changes:
    """The ledger recomputed from every stored spell and person."""
    changes = spell_changes(CustodySpell.objects.values_list(*SPELL_FIELDS).iterator(chunk_size=20000))
    recognized = Person.objects.filter(first_recognized_on__isnull=False)
    return recognition_changes(recognized.values_list("first_recognized_on", flat=True).iterator(), changes)


def stored() -> Changes:
    return Counter(
        {(day, measure): n for day, measure, n in DailyChange.objects.values_list("day", "measure", "n")}
    )


def verify() -> list[str]:
    """Differences between the stored ledger and one recomputed from spells and persons (empty: in step)."""
    have, want = stored(), compute()
    problems = []
    for key in sorted(set(have) | set(want)):
        if have[key] != want[key]:
            day, measure = key
            problems.append(
                f"{day.isoformat()} {measure}: stored {have[key]:+d}, from the spells {want[key]:+d}"
            )
    return problems


def totals(as_of: dt.date) -> dict[str, int]:
    """Each measure's sum over changes dated on or before `as_of`."""
    rows = DailyChange.objects.filter(day__lte=as_of).values_list("measure").annotate(total=Sum("n"))
    return dict(rows)


def measure_on(measure: str, days: Sequence[dt.date]) -> list[int]:
    """One measure's total on each of `days` (the sum of its changes dated on or before each), in one query."""
    if not days:
        return []
    sums = {f"d{i}": Sum("n", filter=Q(day__lte=day), default=0) for i, day in enumerate(days)}
    found = DailyChange.objects.filter(measure=measure, day__lte=max(days)).aggregate(**sums)
    return [found[f"d{i}"] for i in range(len(days))]


def changes_between(
    start: dt.date, end: dt.date, measures: Iterable[str] = ()
) -> list[tuple[dt.date, str, int]]:
    """(day, measure, n) for changes dated within [start, end], in day order."""
    rows = DailyChange.objects.filter(day__range=(start, end))
    wanted = list(measures)
    if wanted:
        rows = rows.filter(measure__in=wanted)
    return list(rows.order_by("day").values_list("day", "measure", "n"))
