"""The derivation of custody and recognition from events, on plain records (no database)."""

import datetime as dt

import pytest

from spis.registry.custody import EventRecord, InvalidHistory, derive, effective

TODAY = dt.date(2026, 1, 1)


def ev(i, kind, day, precision="day", **kw):
    return EventRecord(i, kind, dt.date.fromisoformat(day), precision, **kw)


def test_it_holds_a_person_from_detention_until_release():
    custody = derive(
        [
            ev(1, "detained", "2021-03-12", facility_id=5),
            ev(2, "released", "2023-03-12", release_kind="end_of_term"),
        ],
        "P",
        TODAY,
    )
    assert custody.status == "released"
    assert [(s.start, s.end, s.end_reason) for s in custody.spells] == [
        (dt.date(2021, 3, 12), dt.date(2023, 3, 12), "end_of_term")
    ]
    assert custody.released_on == dt.date(2023, 3, 12)


@pytest.mark.parametrize(
    "kind", ["end_of_term", "pardon", "amnesty", "expelled", "exchanged", "house_arrest"]
)
def test_every_release_kind_ends_custody_with_that_kind(kind):
    custody = derive(
        [ev(1, "detained", "2021-01-01"), ev(2, "released", "2022-01-01", release_kind=kind)], "P", TODAY
    )
    assert custody.status == "released"
    assert custody.spells[-1].end_reason == kind


def test_charged_convicted_and_sentenced_do_not_change_custody_but_set_the_term():
    custody = derive(
        [
            ev(1, "detained", "2021-01-10"),
            ev(2, "charged", "2021-01-15"),
            ev(3, "convicted", "2021-06-01"),
            ev(4, "sentenced", "2021-06-01", sentence_months=36, regime="general"),
        ],
        "P",
        TODAY,
    )
    assert custody.status == "in_custody"
    assert len(custody.spells) == 1 and custody.spells[0].end is None
    assert custody.sentence_months == 36
    assert custody.expected_release_on == dt.date(2024, 1, 10)


def test_a_transfer_splits_the_spell_and_moves_the_current_facility():
    custody = derive(
        [ev(1, "detained", "2021-01-10", facility_id=1), ev(2, "transferred", "2021-09-01", facility_id=2)],
        "P",
        TODAY,
    )
    assert [(s.facility_id, s.start, s.end) for s in custody.spells] == [
        (1, dt.date(2021, 1, 10), dt.date(2021, 9, 1)),
        (2, dt.date(2021, 9, 1), None),
    ]
    assert custody.current_facility_id == 2


def test_recognition_and_its_withdrawal_mark_spells():
    custody = derive(
        [
            ev(1, "detained", "2021-01-10"),
            ev(2, "recognized", "2021-02-01"),
            ev(3, "recognition_withdrawn", "2022-02-01"),
        ],
        "P",
        TODAY,
    )
    assert [(s.start, s.recognized) for s in custody.spells] == [
        (dt.date(2021, 1, 10), False),
        (dt.date(2021, 2, 1), True),
        (dt.date(2022, 2, 1), False),
    ]
    assert custody.recognized is False
    assert custody.first_recognized_on == dt.date(2021, 2, 1)


def test_recognition_after_release_is_a_former_political_prisoner():
    custody = derive(
        [
            ev(1, "detained", "2021-01-10"),
            ev(2, "released", "2021-05-01", release_kind="end_of_term"),
            ev(3, "recognized", "2021-08-01"),
        ],
        "P",
        TODAY,
    )
    assert all(not s.recognized for s in custody.spells)
    assert custody.recognized and custody.first_recognized_on == dt.date(2021, 8, 1)


def test_death_in_custody_ends_the_spell_as_died():
    custody = derive([ev(1, "detained", "2021-01-10"), ev(2, "died", "2021-05-21")], "P", TODAY)
    assert custody.status == "died" and custody.spells[-1].end_reason == "died"


def test_emigration_after_release_is_allowed():
    custody = derive(
        [
            ev(1, "detained", "2021-01-10"),
            ev(2, "released", "2021-05-01", release_kind="pardon"),
            ev(3, "emigrated", "2021-05-02"),
        ],
        "P",
        TODAY,
    )
    assert custody.status == "released"


def test_rearrest_opens_a_second_spell():
    custody = derive(
        [
            ev(1, "detained", "2021-01-10"),
            ev(2, "released", "2022-01-10", release_kind="end_of_term"),
            ev(3, "detained", "2023-01-10"),
        ],
        "P",
        TODAY,
    )
    assert [s.custody_start for s in custody.spells] == [dt.date(2021, 1, 10), dt.date(2023, 1, 10)]
    assert custody.status == "in_custody" and custody.detained_on == dt.date(2023, 1, 10)


def test_a_correction_replaces_the_event_it_supersedes():
    events = [
        ev(1, "detained", "2021-01-10"),
        ev(2, "released", "2021-02-01", release_kind="pardon"),
        ev(3, "released", "2021-03-01", release_kind="amnesty", supersedes_id=2),
    ]
    custody = derive(effective(events), "P", TODAY)
    assert custody.spells[-1].end == dt.date(2021, 3, 1) and custody.spells[-1].end_reason == "amnesty"


def test_a_retraction_removes_the_event():
    events = [
        ev(1, "detained", "2021-01-10"),
        ev(2, "released", "2021-02-01", release_kind="pardon"),
        ev(3, "released", "2021-02-01", release_kind="pardon", supersedes_id=2, retracts=True),
    ]
    assert derive(effective(events), "P", TODAY).status == "in_custody"


def test_known_on_ignores_what_was_recorded_later():
    at = lambda d: dt.datetime.fromisoformat(d + "T12:00:00+00:00")  # noqa: E731
    events = [
        ev(1, "detained", "2021-01-10", recorded_at=at("2021-01-11")),
        ev(2, "recognized", "2021-02-01", recorded_at=at("2021-06-01")),
    ]
    early = derive(effective(events, at("2021-03-01")), "P", TODAY)
    late = derive(effective(events, at("2021-07-01")), "P", TODAY)
    assert not early.recognized and late.recognized


def test_partial_dates_order_by_kind_when_they_overlap():
    # Released in "2021" after a detention on 2021-03-12: possible, so accepted.
    custody = derive(
        [ev(1, "detained", "2021-03-12"), ev(2, "released", "2021-01-01", "year", release_kind="pardon")],
        "P",
        TODAY,
    )
    assert custody.status == "released"
    assert custody.spells == [] or custody.spells[-1].end >= custody.spells[-1].start


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        (
            [ev(1, "released", "2021-01-01", release_kind="pardon"), ev(2, "detained", "2021-02-01")],
            "released before",
        ),
        (
            [ev(1, "detained", "2021-01-01"), ev(2, "sentenced", "2021-05-01", sentence_months=12)],
            "without a conviction",
        ),
        ([ev(1, "detained", "2027-01-01")], "in the future"),
        ([ev(1, "transferred", "2021-01-01", facility_id=1)], "not in custody"),
        (
            [
                ev(1, "detained", "2021-01-01"),
                ev(2, "died", "2021-02-01"),
                ev(3, "released", "2021-03-01", release_kind="pardon"),
            ],
            "after the person's death",
        ),
        ([ev(1, "detained", "2021-01-01"), ev(2, "released", "2021-03-01")], "needs its kind"),
        ([ev(1, "recognition_withdrawn", "2021-01-01")], "never given"),
        ([ev(1, "detained", "2021-01-01"), ev(2, "emigrated", "2021-03-01")], "while in custody"),
    ],
)
def test_it_rejects_impossible_histories_naming_person_and_event(events, reason):
    with pytest.raises(InvalidHistory) as caught:
        derive(events, "BY-000042", TODAY)
    assert reason in str(caught.value)
    assert "BY-000042" in str(caught.value) and "event" in str(caught.value)
