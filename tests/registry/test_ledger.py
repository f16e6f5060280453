"""The per-day count ledger stays equal to the spells it summarises, whatever is written, merged or undone.

Each example writes random histories and applies random corrections, retractions, merges and unmerges; after
every step the stored ledger must equal one recomputed from the spells and persons, and counts() (which
reads the ledger) must equal counts_from_spells() (which scans every spell) on dates around every change.
"""

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spis.registry import actions, ledger, merge
from spis.registry.custody import InvalidHistory
from spis.registry.merge import MergeError
from spis.registry.models import DailyChange, Event, Person
from spis.stats.counts import counts, counts_from_spells

pytestmark = pytest.mark.django_db
START = dt.date(2021, 1, 1)
KINDS = ["end_of_term", "pardon", "amnesty", "expelled", "exchanged", "house_arrest", "other"]


def _day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


history = st.fixed_dictionaries(
    {
        "detained": st.integers(0, 900),
        "recognized": st.none() | st.integers(0, 1200),
        "transfer": st.none() | st.integers(1, 300),
        "ends": st.none() | st.tuples(st.integers(1, 700), st.sampled_from([*KINDS, "died"])),
        "again": st.none() | st.integers(1, 300),
    }
)
step = st.one_of(
    st.tuples(st.just("merge"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("unmerge"), st.integers(0, 9), st.just(0)),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(-200, 200)),
    st.tuples(st.just("retract"), st.integers(0, 99), st.just(0)),
)


def _write(index: int, spec: dict) -> Person:
    person = actions.create_person("t", f"Ledger test {index}")
    detained = spec["detained"]
    facts = [("detained", detained, {})]
    if spec["transfer"]:
        facts.append(("transferred", detained + spec["transfer"], {}))
    if spec["ends"]:
        after, kind = spec["ends"]
        end = detained + after
        facts.append(("died", end, {}) if kind == "died" else ("released", end, {"release_kind": kind}))
        if spec["again"] and kind != "died":
            facts.append(("detained", end + spec["again"], {}))
    if spec["recognized"] is not None:
        facts.append(("recognized", spec["recognized"], {}))
    for event_type, offset, fields in sorted(facts, key=lambda fact: fact[1]):
        # A history the registry refuses (a transfer after a release …) is simply not written.
        with contextlib.suppress(InvalidHistory):
            actions.record_event("t", person, event_type, _day(offset), **fields)
    return person


def _apply(kind: str, a: int, b: int, people: list[Person]) -> None:
    try:
        if kind == "merge":
            dup, into = people[a % len(people)], people[b % len(people)]
            merge.merge("t", actions.canonical(dup), actions.canonical(into))
        elif kind == "unmerge":
            merge.unmerge("t", Person.objects.get(pk=people[a % len(people)].pk))
        else:
            events = list(Event.objects.filter(person__in=people, retracts=False).order_by("pk"))
            if not events:
                return
            event = events[a % len(events)]
            if kind == "move":
                actions.correct_event("t", event, date=(event.date + dt.timedelta(days=b)).isoformat())
            else:
                actions.retract_event("t", event, "wrong")
    except (InvalidHistory, MergeError, ValueError):
        pass  # refused changes leave everything as it was, which the checks below also cover


def _check() -> None:
    assert ledger.verify() == []
    days = {START, dt.date(2030, 1, 1)}
    for day in DailyChange.objects.values_list("day", flat=True):
        days |= {day - dt.timedelta(days=1), day}
    for day in sorted(days):
        assert counts(day) == counts_from_spells(day), day


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=st.lists(history, min_size=2, max_size=5), steps=st.lists(step, max_size=6))
def test_the_ledger_equals_the_spells_after_any_writes(histories, steps):
    people = [_write(i, spec) for i, spec in enumerate(histories)]
    _check()
    for kind, a, b in steps:
        _apply(kind, a, b, people)
        _check()


def test_a_full_rebuild_gives_the_same_ledger_as_the_writes_did():
    people = [
        _write(i, {"detained": 10 * i, "recognized": 20 * i, "transfer": 5, "ends": (400, kind), "again": 30})
        for i, kind in enumerate([*KINDS, "died"])
    ]
    merge.merge("t", people[1], people[0])
    before = ledger.stored()
    actions.rebuild_custody()
    assert ledger.stored() == before
    assert ledger.verify() == []


def test_verify_names_the_day_and_measure_that_drifted():
    person = _write(0, {"detained": 0, "recognized": 3, "transfer": None, "ends": None, "again": None})
    assert person.pk and ledger.verify() == []
    DailyChange.objects.filter(measure=ledger.HELD).update(n=5)
    assert ledger.verify() == ["2021-01-01 held: stored +5, from the spells +1"]


def test_a_recognition_after_release_counts_among_the_released_from_that_day():
    _write(0, {"detained": 0, "recognized": 100, "transfer": None, "ends": (50, "pardon"), "again": None})
    assert counts(START + dt.timedelta(days=99))["released_total"] == 0
    assert counts(START + dt.timedelta(days=100))["released_by_kind"]["pardon"] == 1
    _check()


def test_stats_verify_reports_drift_and_repair_rederives(capsys):
    from django.core.management import CommandError, call_command

    _write(0, {"detained": 0, "recognized": 3, "transfer": 40, "ends": (90, "amnesty"), "again": None})
    call_command("stats", "--verify")
    assert "in step" in capsys.readouterr().out
    DailyChange.objects.filter(measure=ledger.RECOGNIZED).delete()
    with pytest.raises(CommandError, match="differs from the spells on 1 day"):
        call_command("stats", "--verify")
    assert "2021-01-04 recognized: stored +0, from the spells +1" in capsys.readouterr().err
    call_command("stats", "--verify", "--repair")
    assert "repaired: 1 ledger rows differed" in capsys.readouterr().out
    assert ledger.verify() == []


def test_stats_repair_alone_is_refused():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--repair: only with --verify"):
        call_command("stats", "--repair")
