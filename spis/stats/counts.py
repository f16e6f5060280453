"""Counts "as of" a date (from stored custody spells) and "as known on" a date (replaying recorded events).

Definitions, shared by both paths and documented in docs/statistics.md:
- in_custody: persons held on D (recognised or not);
- recognized_in_custody: persons held on D and recognised as political prisoners on D (Viasna's headline);
- recognized_total: persons first recognised on or before D;
- released_total / released_by_kind: releases on or before D of persons recognised by D;
- died_in_custody: deaths in custody on or before D of persons recognised by D.
Sealed persons count in every total; merged duplicates count once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, Q

from spis.registry import ledger
from spis.registry.actions import custody_as_known_on
from spis.registry.models import CustodySpell, Person, ReleaseKind

from .memo import memoised

RELEASE_KINDS = list(ReleaseKind.values)


def _empty(as_of: dt.date, known_on: dt.date | None) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "known_on": known_on.isoformat() if known_on else None,
        "in_custody": 0,
        "recognized_in_custody": 0,
        "recognized_total": 0,
        "released_total": 0,
        "released_by_kind": dict.fromkeys(RELEASE_KINDS, 0),
        "died_in_custody": 0,
    }


def counts(as_of: dt.date, known_on: dt.date | None = None) -> dict[str, Any]:
    """The headline counts; `known_on` replays only events recorded by the end of that day (UTC)."""
    if known_on is not None:
        return _counts_known_on(as_of, known_on)
    found = memoised("counts", as_of.isoformat(), lambda: _counts_as_of(as_of))
    return {**found, "released_by_kind": dict(found["released_by_kind"])}


def _counts_as_of(as_of: dt.date) -> dict[str, Any]:
    """From the per-day ledger (registry/ledger.py): each measure summed over changes on or before `as_of`."""
    result = _empty(as_of, None)
    totals = ledger.totals(as_of)
    result["in_custody"] = totals.get(ledger.HELD, 0)
    result["recognized_in_custody"] = totals.get(ledger.HELD_RECOGNIZED, 0)
    result["recognized_total"] = totals.get(ledger.RECOGNIZED, 0)
    for measure, n in sorted(totals.items()):
        for prefix in (ledger.ENDED, ledger.ENDED_BEFORE):
            if measure.startswith(prefix) and n:
                _add_ending(result, measure.removeprefix(prefix), n)
    return result


def counts_from_spells(as_of: dt.date) -> dict[str, Any]:
    """The same counts by scanning every spell and person: the definition the ledger is checked against."""
    result = _empty(as_of, None)
    held = Q(start__lte=as_of) & (Q(end__isnull=True) | Q(end__gt=as_of))
    totals = CustodySpell.objects.aggregate(
        in_custody=Count("id", filter=held),
        recognized_in_custody=Count("id", filter=held & Q(recognized=True)),
    )
    result.update(totals)
    ended = (
        CustodySpell.objects.filter(end__lte=as_of, person_first_recognized_on__lte=as_of)
        .exclude(end_reason="")
        .values_list("end_reason")
        .annotate(n=Count("id"))
    )
    for reason, n in ended:
        _add_ending(result, reason, n)
    result["recognized_total"] = Person.objects.filter(
        merged_into=None, first_recognized_on__lte=as_of
    ).count()
    return result


def _add_ending(result: dict[str, Any], reason: str, n: int) -> None:
    if reason == "died":
        result["died_in_custody"] += n
    else:
        result["released_by_kind"][reason] = result["released_by_kind"].get(reason, 0) + n
        result["released_total"] += n


def _counts_known_on(as_of: dt.date, known_on: dt.date) -> dict[str, Any]:
    result = _empty(as_of, known_on)
    endings: Counter[str] = Counter()
    for _pk, custody in custody_as_known_on(known_on):
        recognized_by = custody.first_recognized_on is not None and custody.first_recognized_on <= as_of
        result["recognized_total"] += recognized_by
        for spell in custody.spells:
            if spell.start <= as_of and (spell.end is None or spell.end > as_of):
                result["in_custody"] += 1
                result["recognized_in_custody"] += spell.recognized
            if spell.end_reason and spell.end is not None and spell.end <= as_of and recognized_by:
                endings[spell.end_reason] += 1
    for reason, n in endings.items():
        _add_ending(result, reason, n)
    return result
