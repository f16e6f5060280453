"""Planning: each person record -> a match, a list of write operations and an outcome, before anything is written.

The planner keeps every matched or new person's state in memory, so later rows of the same file see what
earlier rows will write (a Belarusian and a Russian spelling of one person on two lines become one person),
and it validates each person's resulting history with spis.registry.custody.derive, as actions.record_event
would. Both writers (writers.py) execute the same plan, so the small and the bulk path cannot disagree.

Conflict policy: an imported value never silently replaces a stored one. A row that gives a different date
or detail for an event the registry already holds (the same kind of event within a year, on a one-row-per-
person list) is a *conflict*: with policy "supersede" (the default) it is recorded as a new event that
supersedes the stored one and cites the import's source, so the old value stays in the history; with policy
"keep" nothing is written for it and the row is reported. Person fields (birth date, gender) are never
superseded: a different stored value is kept and reported as a conflict; an empty one is filled.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

from django.conf import settings

from spis.names import (
    REVIEW_THRESHOLD,
    SAME_THRESHOLD,
    PairMatch,
    birth_parts,
    match_names,
    name_keys,
    parts_differ,
)
from spis.registry import custody
from spis.registry.actions import RECORD_FIELDS, clusters, record_from_row
from spis.registry.custody import EventRecord, InvalidHistory, derive, effective
from spis.registry.dates import PartialDate
from spis.registry.models import Event, EventType, Facility, Name, Organization, Person, Regime, ReleaseKind
from spis.registry.models.common import STRICTNESS, Confidentiality
from spis.registry.queries import canonical_ids, citations_about, in_ids

from .messages import Message, gettext_noop
from .parsing import (
    facility_key,
    fine_amounts,
    fine_says_no_more,
    names_arrest,
    names_custody,
    probation_months,
    suspension_kind,
)
from .records import (
    NO_EMIGRATION_DATE,
    NO_END_DATE,
    NOT_CUSTODY,
    ORGANISATION_FIELDS,
    PLACE_BESIDE_FREEDOM,
    READ_AT_VERDICT_SAID,
    RELEASED_AT_VERDICT,
    UNDATED_PLACE,
    EventSpec,
    NameSpec,
    OrganizationSpec,
    PersonRecord,
    Problem,
    SourceSpec,
    article_key,
    at_person_level,
    facts_level,
    own_level,
)

SUPERSEDE, KEEP = "supersede", "keep"
_ORDER = {"unchanged": 0, "updated": 1, "created": 2, "conflict": 3, "error": 4}
_LABEL_ID = re.compile(r"event (-?\d+) ")
# derive()'s reasons that a row of a list explains better in its own terms (a wide row's place or release
# column makes an event the list never called a transfer).
_ROW_REASONS = {
    custody.NOT_IN_CUSTODY_TRANSFER: Message(
        gettext_noop(
            "a place of detention, but no date of detention before it (in this row or the registry): add the "
            "date of detention, or leave the place empty"
        )
    ),
    custody.NOT_IN_CUSTODY_RELEASE: Message(
        gettext_noop(
            "a release, but no date of detention before it (in this row or the registry): add the date of "
            "detention"
        )
    ),
}
# A row whose own date of detention comes after its release or place (by reason, as _ROW_REASONS).
_BEFORE_DETENTION = {
    custody.NOT_IN_CUSTODY_TRANSFER: gettext_noop(
        "a place of detention from %(date)s, before this row's date of detention (%(detained)s): check the dates"
    ),
    custody.NOT_IN_CUSTODY_RELEASE: gettext_noop(
        "a release on %(date)s, before this row's date of detention (%(detained)s): check the dates"
    ),
}
# A row's release or place after a release the registry or the file holds, with no detention between.
_AFTER_RELEASE = gettext_noop(
    "%(event)s on %(date)s, but the person was %(ended)s on %(on)s%(how)s, with no detention since (in this row or "
    "the registry): add the detention in between, or correct that release if it was wrong"
)
_HOW_AT_VERDICT = gettext_noop(
    " (as read at the verdict of a sentence that keeps no one in custody: if the person was held after it, "
    "correct the sentence)"
)
_HELD_BUT_ENDED_STORED = gettext_noop(
    "status (%(column)s) says held now, but the registry holds the person %(ended)s on %(on)s%(how)s, with no "
    "detention since: kept stored (record the new detention with its date, or correct that event if it was wrong)"
)
_STORED_BROKEN = gettext_noop(
    "with this row, an event the registry holds (%(event)s, %(date)s%(how)s) would be impossible (%(reason)s): "
    "check this row's dates against the person's record"
)
# A row stricter than the stored event it would correct: the correction would hide the event (the public would
# see the person never released, say); kept stored, for a person to decide.
_STRICTER_ROW = gettext_noop(
    "%(event)s (%(column)s): the row is %(row)s, the stored event %(stored)s: a correction would hide the event "
    "from those who see it now; kept stored (correct it in the admin if the row is right)"
)
_STRICTER_CORRECTION = gettext_noop(
    "%(event)s (%(column)s): %(differences)s; the row is %(row)s, the stored event %(stored)s: a correction would "
    "hide the event from those who see it now; kept stored (correct it in the admin if the row is right)"
)
# A row more open than the stored event it corrects: the correction keeps the event's level (_STORED_STRICTER
# for a row that repeats the event).
_CORRECTION_KEPT_STRICTER = gettext_noop(
    "%(event)s (%(column)s): the correction is recorded %(stored)s, as the stored event it corrects: the row, "
    "%(row)s, does not make it more open (the event may carry what only those who see it may read; make the "
    "correction %(row)s in the admin if it may be seen so)"
)
_CORRECTED_SINCE = gettext_noop(
    "%(event)s (%(column)s): %(differences)s; the file gives it as the registry held it before a correction: "
    "the correction is kept (correct it in the admin if the file is right)"
)
_UNDATED_OTHER_KIND = gettext_noop(
    "released (%(column)s): the status says %(file)s with no date; the release stored after this detention "
    "(%(date)s) is %(stored)s: kept stored"
)
# A release the import read at a verdict whose sentence keeps no one in custody, when a list corrects that
# sentence to one that may: it stood on the stored sentence alone (_verdict_releases_withdrawn).
_READ_AT_VERDICT = gettext_noop(
    "released on %(date)s: read at the verdict from the stored sentence (%(stored)s), which keeps no one in "
    "custody; the file's (%(column)s: %(file)s) may keep the person in custody"
)
# A sentence as such a message shows it when the list's words are not kept: its penalty and term.
_PENALTY_AND_TERM = gettext_noop("%(penalty)s, term %(months)s months")
_VERDICT_RELEASE_WITHDRAWN = gettext_noop(
    "%(why)s: the release is withdrawn (a retraction that cites this import)"
)
_VERDICT_RELEASE_GIVEN = gettext_noop(
    "%(why)s, and the file gives the release %(given)s: recorded at the file's date (a correction that cites this "
    "import)"
)
_VERDICT_RELEASE_KEPT = gettext_noop(
    "%(why)s, but the file's status (%(status)s) says the custody ended (released, died or left), with no date: "
    "the release at the verdict's date is kept, now the earliest the custody can have ended (a correction that "
    "cites this import)"
)
# The notes of that retraction and of that release kept (stored, as RELEASED_AT_VERDICT is).
VERDICT_RELEASE_RETRACTED = (
    "withdrawn: read at the verdict from a sentence that keeps no one in custody, which a later list corrected "
    "to one that may"
)
VERDICT_RELEASE_KEPT = (
    "custody ended, as a later list's status says, with no date: the verdict's date, the earliest it can have "
    "ended (the sentence, as that list corrected it, may keep the person in custody)"
)
_PERSON_AT_FACTS_LEVEL = gettext_noop(
    "a new person whose every fact in this file is %(level)s: created %(level)s too (give the person's own level in "
    "a column confidentiality to publish them)"
)
_PLACE_AFTER_VERDICT_RELEASE = gettext_noop(
    "place of detention (%(column)s: %(place)s): the registry holds the person released on %(date)s, as read at the "
    "verdict of a sentence that keeps no one in custody: not recorded, kept stored (if the person was held, correct "
    "the sentence)"
)
_PERSON_LEVEL_OPENED = gettext_noop(
    "a row above created this person at the level of its facts; this row gives more open ones: the person is "
    "created %(level)s"
)
_LEVEL_KEPT_FOR_NAMES = gettext_noop(
    "this row gives more open facts of a person a row above created %(level)s, but every name of theirs is "
    "stricter: kept %(level)s (give a name at the facts' level, or set the person's level in the admin)"
)
_FIELDS_OF_STRICTER_ROW = gettext_noop(
    "%(fields)s: the row is %(row)s, the person %(person)s: not recorded on the person, whose fields are seen "
    "at the person's level (the row keeps them; record them in the admin if they may be seen so)"
)
_FIELDS_OF_STRICTER_ROWS_DROPPED = gettext_noop(
    "%(fields)s given by stricter rows above (%(level)s) are not recorded on the person, now %(opened)s"
)
_PERSON_LEVEL_GIVEN = gettext_noop(
    "the row gives the person's level %(row)s, stored %(stored)s: kept %(stored)s (the import never changes a "
    "stored person's level: set it in the admin)"
)
_STORED_STRICTER = gettext_noop(
    "%(event)s %(date)s is stored %(stored)s: the row, %(row)s, does not make it more open (it may carry what "
    "only those who see it may read; make it %(row)s in the admin if it may be seen so)"
)
_OTHER_REGISTRYS_ID = gettext_noop(
    "public id %(id)s is held here by %(holder)s, whom the row's name %(name)s does not name: an id of another "
    "registry's export? row refused (leave the public_id column out to match by name, or correct the id)"
)
_A_HIDDEN_PERSON = gettext_noop("a person you may not see")
_CONSENT_NOTE_DIFFERS = gettext_noop(
    "consent note: the file gives another, %(file)s; the stored one kept (edit it in the admin)"
)
_MERGED_ID_HELD = gettext_noop(
    "merged_ids: %(id)s is another record here (%(holder)s): not linked; if they are one person, merge them in "
    "the admin"
)
_ROW_STRICTER = gettext_noop(
    "%(event)s %(date)s is stored %(stored)s, but the row gives it as %(row)s: kept %(stored)s (the import never "
    "withdraws what is shown; if the list now withholds it, set its level, or the person's, in the admin)"
)
_HELD_FOR_WANT_OF_A_DATE = gettext_noop(
    "status (%(column)s) %(value)s says the custody ended, but gives no date: nothing is recorded, so the person "
    "is shown and counted as held since %(since)s until the date of the release or death is recorded (give it "
    "in its column)"
)
_HELD_AGAIN = gettext_noop(
    "detained on %(date)s while held since %(since)s, with no release between: the custody runs on from "
    "%(since)s (give the release between, if there was one)"
)
_FILLED_IN = gettext_noop("%(fields)s filled in")
_FIELD_KEPT = gettext_noop("%(field)s: stored %(stored)s, file says %(file)s; kept stored")
_PERSON_FIELDS = {
    "birth_date": Message(gettext_noop("birth date")),
    "gender": Message(gettext_noop("gender")),
    "region": Message(gettext_noop("region")),
    "occupation": Message(gettext_noop("occupation")),
}
_PUBLIC_FACTS_OF_HIDDEN = gettext_noop(
    "the person is %(level)s: the public facts this row adds are seen in public only once the person is published "
    "(in the admin)"
)
_ANOTHER_PLACE = gettext_noop(
    "place of detention (%(column)s): stored %(stored)s, file says %(file)s; kept stored: the list gives no date of "
    "a transfer, so record the transfer with its date, or correct the stored place if it was wrong"
)
# Namesakes born apart whose names are compared for a note (more of them: a common name, no note).
_FEW_NAMESAKES = 5
# Candidates per blocking key at most; beyond it a key is too common to narrow anything down.
MAX_BLOCK = 200
# Rows whose stored candidates are loaded together (plan_all).
PREFETCH_ROWS = 2000
# The progress of a stage (checking rows, writing them) is reported this many times, and at its last item.
PROGRESS_STEPS = 100


def progress_due(number: int, total: int) -> bool:
    """Whether the `number`th of `total` items is one a stage's progress is reported at: about every hundredth,
    and the last (a bar reported every 5,000 rows stood still through a 4,000-row file and never reached
    the end of a 12,000-row one)."""
    return number == total or number % max(1, total // PROGRESS_STEPS) == 0


# Ids per `IN (…)` query when loading stored people (within SQLite's and PostgreSQL's parameter limits).
IDS_PER_QUERY = 2000
# The fields a conflict names, in words.
_FIELDS = {
    "date": Message(gettext_noop("date")),
    "release_kind": Message(gettext_noop("kind of release")),
    "sentence_months": Message(gettext_noop("term (months)")),
    "regime": Message(gettext_noop("penalty")),
    "fine_amount": Message(gettext_noop("fine")),
    "facility": Message(gettext_noop("place of detention")),
    "articles": Message(gettext_noop("articles")),
    "number": Message(gettext_noop("case number")),
    "court_name": Message(gettext_noop("court")),
    "judge": Message(gettext_noop("judge")),
    "prosecutor": Message(gettext_noop("prosecutor")),
    "note": Message(gettext_noop("note")),
    "organization": Message(gettext_noop("organisation")),
}
# A case's own fields, compared one by one (the articles apart, as a set).
_CASE_FIELDS = ("number", "court_name", "judge", "prosecutor")
# Stored codes a message names, by field: the registry's choices, whose labels the site's catalogues translate
# (spis/web/labels.py shows the same words).
_CHOICES = {
    "type": dict(EventType.choices),
    "release_kind": dict(ReleaseKind.choices),
    "regime": dict(Regime.choices),
    "gender": dict(Person.Gender.choices),
    "confidentiality": dict(Confidentiality.choices),
}
_EARLIER = Message(gettext_noop("a person earlier in this file"))
_AMBIGUOUS = gettext_noop(
    "the name matches %(people)s, whom the registry tells apart by their birth dates, which this row does not "
    "give (or gives too roughly): not imported; add the birth date, or the person's id"
)
# A person whose full name does not match the row's, though a name of theirs without a patronymic does: a
# Latin alias must not outvote two patronymics that differ (spis.names.match_names), but the row says so.
_FULL_NAMES_DIFFER = gettext_noop(
    "possible duplicate of %(person)s: their full name %(theirs)s does not match this row's %(mine)s, though "
    "their %(alias)s, without a patronymic, scores %(score)s: created as a new person for review; merge the two "
    "if they are one"
)
# A person whose name matches the row's but who holds another id of the same list (the same mapping): two ids
# of one list are two people, however alike their names (Голубев Иван Ильич x-1 and x-2).
_ANOTHER_ID = gettext_noop(
    "%(person)s, whose name %(theirs)s matches this row's %(mine)s (%(score)s), holds id %(held)s under "
    "%(column)s; this row's id is %(id)s: created as another person; check if they are one"
)
# How a row was matched: said on the row (the preview, --json), counted in the command's summary.
MATCHED_BY_NAME = gettext_noop("matched %(person)s by name %(name)s (%(score)s)")
_ID_IN_FILE = gettext_noop(
    "this id is given earlier in this file to %(name)s, whose names do not match this row's: not imported; "
    "check the id"
)
_ID_IN_BATCH = gettext_noop(
    "an earlier import gave this id to %(name)s, whose names do not match this row's: not imported; check the "
    "id, or import a list that numbers its rows its own way with a mapping of its own (--mapping)"
)
# A row that matches, or may be, a person the importing user may not see: its message names nobody.
_HELD = Message(
    gettext_noop("matches a record you may not see: not imported; an administrator must import this row")
)


@dataclass(slots=True)
class NewPerson:
    ref: tuple
    public_id: str
    display_name: str
    birth: PartialDate | None
    gender: str
    region: str
    occupation: str
    confidentiality: str
    names: list[NameSpec]
    sources: tuple[SourceSpec, ...] = ()
    synthetic: bool = False
    consent_note: str = ""


@dataclass(slots=True)
class AddName:
    person: tuple
    spec: NameSpec


@dataclass(slots=True)
class UpdatePerson:
    person: tuple
    changes: dict[str, Any]


@dataclass(slots=True)
class NewEvent:
    person: tuple
    ref: tuple
    spec: EventSpec
    supersedes: tuple | None = None
    retracts: bool = False  # withdraws `supersedes` (the fact was wrong), as registry.retract_event


@dataclass(slots=True)
class CiteSources:
    """Sources a file gives for a fact already stored (or written by an earlier row), which it does not cite
    yet: `target` an event's ref, or None for the person."""

    person: tuple
    target: tuple | None
    sources: tuple[SourceSpec, ...]


@dataclass(slots=True)
class KeepMergedIds:
    """Public ids of records merged into the person (a staff export's merged_ids) that no record here holds:
    each kept as a record merged into them, so that the id finds them and is never issued again."""

    person: tuple
    public_ids: tuple[str, ...]


@dataclass(slots=True)
class StateEvent:
    ref: tuple
    spec: EventSpec
    # A stored correction's earlier versions: the events it superseded, latest first (a file that gives one of
    # them again is not read as a correction of the correction: _CORRECTED_SINCE).
    before: tuple[EventSpec, ...] = ()


@dataclass(slots=True)
class Matched:
    """A row's events matched against a stored person's: the events to add (new, and corrections), the stored
    ones they replace (refs), which stored event each correction supersedes, the stored facts the row repeats
    with the sources it gives them, and the row's places on the day of a release read at a verdict (decided once
    the row's sentence is)."""

    added: list[StateEvent] = field(default_factory=list)
    replaced: set[tuple] = field(default_factory=set)
    supersedes: dict[tuple, tuple] = field(default_factory=dict)
    cites: list[tuple[StateEvent, tuple[SourceSpec, ...]]] = field(default_factory=list)
    places: list[tuple[EventSpec, StateEvent]] = field(default_factory=list)


@dataclass(slots=True)
class PersonState:
    ref: tuple
    public_id: str
    birth: PartialDate | None
    gender: str
    names: list[str]
    events: list[StateEvent]
    merged: bool = False
    region: str = ""
    occupation: str = ""
    sources: tuple[SourceSpec, ...] = ()  # cited on the person (loaded when the file gives sources)
    confidentiality: str = "public"
    consent_note: str = ""
    # A person this file creates at the level of their facts (records.facts_level): the op, which a later row
    # of the file that gives public facts of them makes public; and the changes to the person's fields that
    # rows at that level made meanwhile (not recorded once the person is more open than those rows).
    hidden_by: NewPerson | None = None
    hidden_changes: list[dict[str, Any]] = field(default_factory=list)
    # (birth, its text, its parts as match() compares them): worked out once per state, not once per row
    # it is a candidate for.
    birth_seen: tuple[PartialDate | None, str | None, tuple[int, ...] | None] = (None, None, None)

    def birth_for_match(self) -> tuple[str | None, tuple[int, ...] | None]:
        """The birth date as match() takes it (text) and compares it (parts); ValueError if it cannot."""
        if self.birth_seen[0] is not self.birth:
            text = str(self.birth) if self.birth else None
            self.birth_seen = (self.birth, text, birth_parts(text))
        return self.birth_seen[1], self.birth_seen[2]


@dataclass(slots=True)
class RowPlan:
    record: PersonRecord
    outcome: str = "unchanged"
    messages: list[Message] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ops: list[Any] = field(default_factory=list)
    person: tuple | None = None

    def bump(self, outcome: str) -> None:
        if _ORDER[outcome] > _ORDER[self.outcome]:
            self.outcome = outcome


# A stored event's row as the planner reads it: derive()'s columns (actions.RECORD_FIELDS), then the rest of
# what a spec compares. Plain rows: a refreshed list of 100,000 people loads half a million stored events, and
# building a model instance for each cost most of the loading.
_STORED_EVENT = (
    *RECORD_FIELDS,
    "fine_amount",
    "note",
    "confidentiality",
    "organization_id",
    "case_id",
    "case__number",
    "case__articles",
    "case__court_id",
    "case__court_name",
    "case__judge",
    "case__prosecutor",
)
_DERIVED = len(RECORD_FIELDS)


def _spec_from_row(
    event: Any,
    facility_names: dict[int, str],
    cases: dict[int, dict],
    organisations: dict[int, OrganizationSpec],
) -> EventSpec:
    """A stored event (a named row of _STORED_EVENT) as the planner compares it. A refreshed 100,000-row list
    holds half a million of them while it is planned: a case is one dict for the events that share it
    (`cases`, by id: a verdict's conviction and sentence), an organisation one spec for all its events, and the
    few distinct codes are interned rather than one string per event."""
    case = None
    if event.case_id:
        case = cases.get(event.case_id)
        if case is None:
            court = organisations.get(event.case__court_id) if event.case__court_id else None
            case = cases[event.case_id] = {
                "number": event.case__number,
                "articles": list(event.case__articles or []),
                # As the export writes it: as printed, else the linked court's name.
                "court_name": event.case__court_name or (court.name if court else ""),
                "judge": event.case__judge,
                "prosecutor": event.case__prosecutor,
            }
            if court is not None:
                case["court"] = court
    return EventSpec(
        sys.intern(event.type),
        PartialDate(event.date, event.date_precision),
        release_kind=sys.intern(event.release_kind),
        facility=facility_names.get(event.facility_id, "") if event.facility_id else "",
        sentence_months=event.sentence_months,
        regime=sys.intern(event.regime),
        fine_amount=event.fine_amount,
        note=event.note,
        confidentiality=sys.intern(event.confidentiality),
        case=case,
        organization=organisations.get(event.organization_id) if event.organization_id else None,
    )


def stored_citations(people: list[int], members: list[int]) -> dict[tuple[str, int], tuple[SourceSpec, ...]]:
    """What stored people cite (`people`), and the events of their clusters (`members`), as a file would give
    it (records.SourceSpec), by ("person", id) or ("event", id)."""
    found: dict[tuple[str, int], list[SourceSpec]] = {}
    for model, kind, ids in ((Person, "person", people), (Event, "event", members)):
        for object_id, *source, locator, level in (
            citations_about(model, in_ids(ids))
            .order_by()
            .values_list(
                "object_id",
                "source__title",
                "source__url",
                "source__document",
                "source__publisher_name",
                "source__confidentiality",
                "locator",
                "confidentiality",
            )
        ):
            title, url, document, publisher, source_level = source
            found.setdefault((kind, object_id), []).append(
                SourceSpec(
                    title,
                    url,
                    document,
                    publisher,
                    source_confidentiality=source_level,
                    locator=locator,
                    confidentiality=level,
                )
            )
    return {key: tuple(value) for key, value in found.items()}


def _uncited(given: tuple[SourceSpec, ...], cited: tuple[SourceSpec, ...]) -> tuple[SourceSpec, ...]:
    """The sources a file gives that a stored fact does not cite yet."""
    known = {s.cited_key() for s in cited}
    return tuple(s for s in given if s.cited_key() not in known)


def _contains(coarse: PartialDate, fine: PartialDate) -> bool:
    return coarse.value <= fine.value and fine.latest() <= coarse.latest()


def _value(spec: EventSpec, name: str) -> Any:
    """An event's value of a compared field: its own, or its case's."""
    if name in _CASE_FIELDS:
        return (spec.case or {}).get(name, "")
    if name == "articles":
        return sorted(article_key(a) for a in (spec.case or {}).get("articles", []))
    return getattr(spec, name)


_SENTENCE = ("sentence_months", "regime", "fine_amount")


def _penalty(spec: EventSpec) -> str:
    """What a sentence is, as far as it says: "fine" (a fine alone), "free" (another penalty that keeps no one
    in custody: a suspended or deferred term, restricted freedom at home), "arrest" (`арест 3 месяца`, a penalty
    of custody of its own, with no regime), "custody" (a regime of custody, or words that name it with no
    regime: `3 года колонии`, `лишение свободы`), "term" (a term of no kind said), or "" (nothing said)."""
    if spec.regime == "fine":
        return "fine"
    if spec.regime in NOT_CUSTODY:
        return "free"
    if not spec.regime and spec.sentence_months is not None and names_arrest(spec.note):
        return "arrest"
    if spec.regime or (spec.sentence_months is not None and names_custody(spec.note)):
        return "custody"
    return "term" if spec.sentence_months is not None else ""


# A term of no kind said is no other penalty than a term of a kind: it says less.
_VAGUER = ({"term", "free"}, {"term", "custody"}, {"term", "arrest"})


def _other_penalty(old: EventSpec, new: EventSpec) -> bool:
    """Whether the file gives a sentence of another kind than the stored one (a term where a fine alone was
    stored, a colony where a suspended term was, or the other way round): a different sentence, not the stored
    one with details added."""
    if not old.type == new.type == "sentenced":
        return False
    given, stored = _penalty(new), _penalty(old)
    return "" != given != stored != "" and {given, stored} not in _VAGUER


def _fewer_articles(old: EventSpec, new: EventSpec) -> bool:
    """Whether the file's articles only say less than the stored ones: some of them, or one without its part
    ("ч.1 ст.342" where "ч.2 ст.293, ч.1 ст.342" is stored; "342" where "342 ч.1" is). A list that names the
    main article only is no correction that drops the others."""
    stored = [article_key(a) for a in (old.case or {}).get("articles", [])]
    return all(
        any(key == given or (given.endswith(":") and key.startswith(given)) for key in stored)
        for given in (article_key(a) for a in (new.case or {}).get("articles", []))
    )


def _signature(spec: EventSpec, known: dict[int, tuple]) -> tuple:
    """`spec.signature()`, computed once for as long as `known` (keyed by the spec's id) is kept: one row."""
    found = known.get(id(spec))
    if found is None:
        found = known[id(spec)] = spec.signature()
    return found


def _differences(old: EventSpec, new: EventSpec, sentence_words: bool = False) -> list[str]:
    """Fields where the file gives a value that differs from the stored one (an empty cell is no claim; but a
    sentence of another kind differs in every field of the stored one).

    With sentence_words (a row of one person), a sentence's note is the words of the list's sentence cell, kept
    when a part of it was not read: the same sentence in other words or another language ("пажыццёва",
    "пожизненно", "life imprisonment") is compared by what was read of it (term, penalty, fine), never by its
    words, unless they say more than the stored words (_says_more). A corrected sentence's stored note (the old
    sentence's words) is a difference of its own: the correction carries the file's note, not the stored one."""
    diffs = _field_differences(old, new, sentence_words)
    if _sentence_corrected(old, new, diffs) and old.note != new.note and old.note and "note" not in diffs:
        diffs.append("note")
    return diffs


def _field_differences(
    old: EventSpec, new: EventSpec, sentence_words: bool, penalty: bool = True
) -> list[str]:
    if penalty and _other_penalty(old, new):
        # The rest compared as if the stored sentence were the file's (arrest and a colony differ by words alone).
        others = [name for name in _SENTENCE if _value(new, name) != _value(old, name)]
        return others + [
            name
            for name in _field_differences(
                replace(old, **_sentence_of(new)), new, sentence_words, penalty=False
            )
            if name not in others
        ]
    diffs = []
    if str(old.date) != str(new.date) and not _contains(new.date, old.date):
        diffs.append("date")
    for name in (
        "release_kind",
        "sentence_months",
        "regime",
        "fine_amount",
        "articles",
        *_CASE_FIELDS,
        "note",
    ):
        value = _value(new, name)
        if value not in ("", None, []) and value != _value(old, name):
            if name == "articles" and _fewer_articles(old, new):
                continue
            if name == "release_kind" and value == "other":
                continue  # "освобождена" says less than a stored pardon, not something else
            if name == "fine_amount" and old.fine_amount and fine_says_no_more(old.fine_amount, value):
                continue  # a bare "штраф", or the same amount in other words, says less than the stored fine
            if (
                name == "note"
                and sentence_words
                and new.type == "sentenced"
                and not _says_more(old.note, value)
            ):
                continue
            diffs.append(name)
    if new.facility and facility_key(new.facility) != facility_key(old.facility):
        diffs.append("facility")
    if new.organization and not (old.organization and old.organization.same(new.organization)):
        diffs.append("organization")
    return diffs


def _says_more(stored: str, given: str) -> bool:
    """Whether a sentence's words (`given`) say more than the stored ones, or else: every stored word, and more
    ("3 года условно с испытательным сроком 2 года" after "3 года условно"), every stored number, and more, in
    other words ("3 года с отсрочкой на 1 год" after "3 года с отсрочкой исполнения приговора": a term of deferral
    or probation the stored words lack), or another term of probation or deferral ("… на 1 год" after "… на 2
    года"). Words in another language say no more, and are no difference; these would
    be lost if they were none. A stored sentence without words (all of it read) tells nothing to compare with:
    "3 года" (its words kept for want of a regime) says less than it."""
    stored_words, given_words = (set(re.findall(r"\w+", text.lower())) for text in (stored, given))
    if not stored_words:
        return False
    if stored_words < given_words:
        return True
    # Numbers in letters ("три года") give none to compare: "3 года" after them says no more.
    stored_numbers = _numbers(stored)
    if stored_numbers and stored_numbers < _numbers(given):
        return True
    # A term of probation or deferral where none is stored ("три года условно с испытательным сроком 2 года"
    # after "3 года условно"), or another one.
    probation = probation_months(stored), probation_months(given)
    if probation[1] is not None and probation[0] != probation[1]:
        return True
    # A suspended term where a deferred one is stored, or back: both "other penalty", in the court's words another.
    kinds = suspension_kind(stored), suspension_kind(given)
    return "" not in kinds and kinds[0] != kinds[1]


def _numbers(text: str) -> Counter[str]:
    """The numbers a sentence's words give, each as often as it is given ("2,5" one number)."""
    return Counter(number.replace(",", ".") for number in re.findall(r"\d+(?:[.,]\d+)?", text))


def _sentence_corrected(old: EventSpec, new: EventSpec, diffs: list[str]) -> bool:
    """Whether the differences change a value of the stored sentence (not only fill in what it left empty)."""
    return old.type == "sentenced" and not _filled(old, new, [d for d in diffs if d in _SENTENCE])


def _best_pair(
    record: PersonRecord, names: list[str], birth: str | None, other: str | None
) -> tuple[float, str]:
    """The best score of one of the row's names against one of `names` (the first best), with that name;
    (0.0, "") when no pair can be compared (a name without letters, a malformed birth date). When both give
    a patronymic, only full names count (spis.names.match_names)."""
    counted, _ = match_names([spec.text for spec in record.names], names, birth, other)
    return (counted.score, counted.name_b) if counted is not None else (0.0, "")


def _details(spec: EventSpec) -> bool:
    """Whether the file gives details that an event's signature leaves out (a note, the organisation, the
    case's number, court, judge or prosecutor): only then can the same fact stored already lack some of them."""
    return (
        bool(spec.note)
        or spec.organization is not None
        or any((spec.case or {}).get(name) for name in _CASE_FIELDS)
    )


def _filled(old: EventSpec, new: EventSpec, diffs: list[str]) -> bool:
    """Whether every difference only fills in what the stored event left empty (nothing overwritten): a fine
    stored with no amount ("штраф") is filled in by one with its amount, a release of no kind said
    ("освобождена": "other") by one that says how ("по окончании срока"). A sentence of another kind fills in
    nothing ("3 года условно" where "3 года колонии" is stored, its regime empty, is a correction)."""
    if _other_penalty(old, new):
        return False
    return all(
        name != "date"
        and (
            _value(old, name) in ("", None, [])
            or (name == "fine_amount" and not fine_amounts(old.fine_amount))
            or (name == "release_kind" and old.release_kind == "other")
        )
        for name in diffs
    )


def _sentence_of(spec: EventSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in _SENTENCE}


def _merged_spec(old: EventSpec, new: EventSpec) -> EventSpec:
    """The correction: the file's values, with the stored ones where the file is silent (a sentence of another
    kind is the file's as a whole: a stored fine is not carried onto a term)."""
    corrected = new.type == "sentenced" and any(
        name in _SENTENCE for name in _field_differences(old, new, sentence_words=True)
    )
    if _other_penalty(old, new):
        old = replace(old, **_sentence_of(new))
    merged = replace(new)
    if _contains(new.date, old.date) and str(new.date) != str(old.date):
        merged.date = old.date
    for name in ("release_kind", "facility", "regime", "fine_amount", "note"):
        if not getattr(new, name):
            setattr(merged, name, getattr(old, name))
    if old.fine_amount and new.fine_amount and fine_says_no_more(old.fine_amount, new.fine_amount):
        merged.fine_amount = old.fine_amount  # a bare "штраф" keeps the stored amount
    if corrected:
        # The stored note holds the words of the stored sentence (what was not read of it): a sentence the file
        # corrects carries the file's words, not the old ones cited to this import.
        merged.note = new.note
    if old.note == RELEASED_AT_VERDICT:
        # A list's own release replaces the one read at the verdict, its "no date" and its date (an estimate).
        merged.note, merged.date = new.note, new.date
    if new.release_kind == "other" and old.release_kind:
        merged.release_kind = old.release_kind
    if new.sentence_months is None:
        merged.sentence_months = old.sentence_months
    if new.organization is None:
        merged.organization = old.organization
    if new.case is None or not any(new.case.values()):
        merged.case = old.case
    elif old.case:
        # Field by field: a file that names the judge alone keeps the stored articles and number.
        merged.case = {name: value or old.case.get(name, value) for name, value in new.case.items()}
        if _fewer_articles(old, new):
            merged.case["articles"] = old.case.get("articles", [])
        # The court organisation the file gives (a JSON export's), else the stored one while the court is the
        # stored one: a file names a court by its name, and an import never unlinks what the registry linked.
        court = new.case.get("court")
        if court is None and merged.case["court_name"] == old.case["court_name"]:
            court = old.case.get("court")
        if court is not None:
            merged.case["court"] = court
        elif "court" in new.case:
            merged.case["court"] = None  # the file's word that the case is linked to none
        else:
            merged.case.pop("court", None)
    return merged


class Planner:
    def __init__(
        self,
        *,
        mapping_name: str = "builtin",
        conflict_policy: str = SUPERSEDE,
        preload: bool = False,
        hidden: frozenset[int] = frozenset(),
        sources: bool = False,
    ) -> None:
        """`hidden`: ids of the people the importing user may not see (access.policy.hidden_persons). A row
        that matches one of them, or may be one of them, is held for an administrator: it neither writes to
        that record nor creates a second, visible record of the same person."""
        if conflict_policy not in (SUPERSEDE, KEEP):
            raise ValueError(f"conflict policy {conflict_policy!r}: use supersede or keep")
        self.mapping_name = mapping_name
        self.policy = conflict_policy
        self.hidden = hidden
        # The file gives sources: stored people are loaded with what they cite, to add only what is new.
        self.with_sources = sources
        self.states: dict[tuple, PersonState] = {}
        self.index: dict[str, set[tuple]] = {}
        self.by_public_id: dict[str, tuple] = {}
        self.by_external_id: dict[str, tuple] = {}
        # by_external_id the other way: the ids this file gave each person.
        self.ids_given: dict[tuple, set[str]] = {}
        self.external_ids: dict[str, int] | None = None
        self.ids_of_person: dict[int, set[str]] | None = None  # external_ids the other way
        # A merged record's id -> the state of the person it was merged into.
        self.aliases: dict[int, tuple] = {}
        self.next_person = 0
        self.next_event = 0
        self.prefix = settings.SPIS_PUBLIC_ID_PREFIX + "-"
        self.today = dt.date.today()  # noqa: DTZ011 - a calendar date, as actions.today()
        self.facility_names = dict(Facility.objects.values_list("pk", "name"))
        # Stored events' organisations as a file gives them (records.OrganizationSpec), by id.
        self.organisations = {
            pk: OrganizationSpec(*fields, pk=pk)
            for pk, *fields in Organization.objects.values_list("pk", *ORGANISATION_FIELDS)
        }
        # A registry that is empty needs no candidate look-ups at all (the bulk benchmark's case).
        self.registry_empty = not Person.objects.exists()
        self.preloaded = preload and not self.registry_empty
        # Stored people's birth dates as match() compares them (preloaded registries): which candidates a
        # row could match is known before their state is loaded, so they are loaded in bulk (plan_all).
        self.births: dict[int, tuple[int, ...] | None] = {}
        if self.preloaded:
            for person_id, text in Name.objects.filter(person__merged_into=None).values_list(
                "person_id", "text"
            ):
                self._index(("db", person_id), text)
            people = Person.objects.filter(merged_into=None).order_by()
            for person_id, value, precision in people.values_list("pk", "birth_date", "birth_date_precision"):
                try:
                    self.births[person_id] = (
                        birth_parts(str(PartialDate(value, precision))) if value else None
                    )
                except ValueError:
                    self.births[person_id] = None

    # ---- matching ----------------------------------------------------------------------------------------

    def _index(self, ref: tuple, text: str) -> None:
        for key in blocks(text):
            bucket = self.index.setdefault(key, set())
            # A block this common (a frequent surname and name) selects nothing; stop growing it.
            if len(bucket) <= MAX_BLOCK:
                bucket.add(ref)

    def _load(self, person_id: int) -> PersonState:
        ref = self.aliases.get(person_id, ("db", person_id))
        if ref not in self.states:
            self.prefetch([person_id])
            ref = self.aliases.get(person_id, ref)
        return self.states[ref]

    def plan_all(self, records: list[PersonRecord], progress: Any = None) -> list[RowPlan]:
        """Plan every record in order; with a preloaded registry, the stored people that a stretch of rows
        could match are loaded together first (`prefetch_candidates`), not one by one as rows meet them."""
        plans = []
        for start in range(0, len(records), PREFETCH_ROWS):
            stretch = records[start : start + PREFETCH_ROWS]
            self.prefetch_candidates(stretch)
            for record in stretch:
                plans.append(self.plan(record))
                if progress and progress_due(len(plans), len(records)):
                    progress(len(plans))
        return plans

    def prefetch_candidates(self, records: list[PersonRecord]) -> None:
        """Load the stored candidates of these rows' names whose birth dates do not rule them out (as
        _match_by_name will ask for them). A name the whole registry shares is capped by MAX_BLOCK.

        The candidates found here are not kept for _match_by_name: by the time it plans a row, the rows
        before it in the stretch may have added new people of this file to the index (one person on two
        lines), and those must be candidates too."""
        if not self.preloaded:
            return
        wanted: set[int] = set()
        for record in records:
            try:
                mine = birth_parts(str(record.birth) if record.birth else None)
            except ValueError:
                continue
            for kind, pk in self._candidates(record):
                if kind == "db" and pk not in wanted and not parts_differ(mine, self.births.get(pk)):
                    wanted.add(pk)
        self.prefetch(sorted(wanted))

    def prefetch_named(self, records: list[PersonRecord]) -> None:
        """Before a large file: load the stored people its rows name by public or external id at once."""
        ids: list[int] = []
        if any(r.external_id for r in records):
            known = self._earlier_external_ids()
            ids += [known[r.external_id] for r in records if r.external_id in known]
        public = [r.public_id for r in records if r.public_id] + [i for r in records for i in r.merged_ids]
        for start in range(0, len(public), IDS_PER_QUERY):
            found = Person.objects.filter(public_id__in=public[start : start + IDS_PER_QUERY]).order_by()
            ids += found.values_list("pk", flat=True)
        self.prefetch(ids)

    def prefetch(self, person_ids: list[int]) -> None:
        """Load stored people's state in bulk: their records, names and the events in force of their whole
        cluster (a merged record stands for the person it was merged into). One person at a time costs four
        queries; a refreshed list of 20,000 known people would spend most of its import on them."""
        wanted = [
            pk for pk in dict.fromkeys(person_ids) if ("db", pk) not in self.states and pk not in self.aliases
        ]
        for start in range(0, len(wanted), IDS_PER_QUERY):
            self._load_chunk(wanted[start : start + IDS_PER_QUERY])

    def _load_chunk(self, person_ids: list[int]) -> None:
        # A merged record stands for the person it was merged into.
        root_of_id = canonical_ids(person_ids)
        wanted = []
        for pk in person_ids:
            root = root_of_id[pk]
            if root != pk:
                self.aliases[pk] = ("db", root)
            if ("db", root) not in self.states:
                wanted.append(root)
        if not wanted:
            return
        wanted = list(dict.fromkeys(wanted))
        found = Person.objects.filter(pk__in=wanted).order_by()
        rows = {
            r[0]: r
            for r in found.values_list(
                "pk",
                "public_id",
                "birth_date",
                "birth_date_precision",
                "gender",
                "confidentiality",
                "region",
                "occupation",
                "consent_note",
            )
        }
        roots = {pk: rows[pk] for pk in wanted}  # in the order asked, as the people were met
        members = clusters(list(roots))
        root_of = {member: root for root, ids in members.items() for member in ids}
        events: dict[int, list[Any]] = {root: [] for root in roots}
        for event in Event.objects.filter(person_id__in=list(root_of)).values_list(
            *_STORED_EVENT, named=True
        ):
            events[root_of[event.person_id]].append(event)
        cases: dict[int, dict] = {}
        names: dict[int, list[str]] = {root: [] for root in roots}
        for owner, text in Name.objects.filter(person_id__in=list(roots)).values_list("person_id", "text"):
            names[owner].append(text)
        cited: dict[tuple[str, int], tuple[SourceSpec, ...]] = {}
        if self.with_sources:
            cited = stored_citations(list(roots), list(root_of))
        for root, (
            _,
            public_id,
            birth,
            precision,
            gender,
            level,
            region,
            occupation,
            consent,
        ) in roots.items():
            in_force = {r.id for r in effective([record_from_row(e[:_DERIVED]) for e in events[root]])}
            ref = ("db", root)
            stored = []
            # Superseded events are looked up only where there are some (most people have none).
            by_id = {e.id: e for e in events[root]} if len(in_force) < len(events[root]) else {}
            for e in events[root]:
                if e.id in in_force:
                    spec = _spec_from_row(e, self.facility_names, cases, self.organisations)
                    spec.sources = cited.get(("event", e.id), ())
                    stored.append(StateEvent(("db", e.id), spec, self._earlier_versions(e, by_id, cases)))
            self.states[ref] = PersonState(
                ref,
                public_id,
                PartialDate(birth, precision) if birth else None,
                gender,
                names[root],
                stored,
                sources=cited.get(("person", root), ()),
                confidentiality=level,
                region=region,
                occupation=occupation,
                consent_note=consent,
            )
            self.by_public_id[public_id] = ref

    def _earlier_versions(self, event: Any, by_id: dict[int, Any], cases: dict[int, dict]) -> tuple:
        """The events a stored correction superseded (StateEvent.before), latest first; none of a retraction."""
        before = []
        seen = {event.id}
        earlier = by_id.get(event.supersedes_id) if not event.retracts else None
        while earlier is not None and earlier.id not in seen:  # (a damaged history may loop)
            seen.add(earlier.id)
            if not earlier.retracts:
                before.append(_spec_from_row(earlier, self.facility_names, cases, self.organisations))
            earlier = by_id.get(earlier.supersedes_id)
        return tuple(before)

    def _candidates(self, record: PersonRecord) -> set[tuple]:
        refs: set[tuple] = set()
        for spec in record.names:
            keys = blocks(spec.text)
            for key in keys:
                bucket = self.index.get(key, ())
                if len(bucket) <= MAX_BLOCK:
                    refs.update(bucket)
            if not self.registry_empty and not self.preloaded:
                from spis.registry.search import name_ids_with_word_prefix, search_person_ids

                refs |= {("db", pid) for pid in search_person_ids(spec.text, limit=10)}
                # The search's keys are exact folds; a Belarusian and a Russian surname fold apart
                # (sintaticni / sintaticaski), so also look up the surname's first letters (by the
                # search's word index: a scan of every name per row would grow with the registry).
                for prefix in {k.split(" ")[0] for k in keys}:
                    ids = name_ids_with_word_prefix(prefix, 2000)
                    found = Name.objects.filter(pk__in=ids, person__merged_into=None).order_by()
                    for person_id, text in found.values_list("person_id", "text"):
                        if keys & blocks(text):
                            refs.add(("db", person_id))
        return refs

    def _match_by_name(self, record: PersonRecord, plan: RowPlan) -> PersonState | None:
        birth = str(record.birth) if record.birth else None
        best: tuple[float, PersonState | None, str] = (0.0, None, "")
        # Only a pair scoring at least REVIEW_THRESHOLD has an outcome, and the first best of those does not
        # depend on the pairs below it; match() caps a pair whose birth dates differ far below it, so such
        # candidates (most of a large list's: namesakes) are dropped before their names are compared.
        # A birth date match() refuses (ValueError) drops the candidate too: match() would refuse every pair.
        try:
            mine = birth_parts(birth)
        except ValueError:
            return None
        candidates = []
        born_apart = []  # candidates whose birth date rules them out
        for ref in self._candidates(record):
            if ref not in self.states and parts_differ(mine, self.births.get(ref[1])):
                born_apart.append(ref)
                continue  # a stored person not loaded yet, whose stored birth date rules them out
            state = self._load(ref[1]) if ref[0] == "db" else self.states[ref]
            try:
                other_birth, theirs = state.birth_for_match()
            except ValueError:
                continue
            if parts_differ(mine, theirs):
                born_apart.append(ref)
                continue
            candidates.append((ref, state, other_birth))
        candidates.sort(key=lambda item: str(item[0]))
        same: list[tuple[PersonState, str]] = []  # the candidates as sure as a match, with their birth dates
        # The closest person refused only because full names differ where an alias matches (said if no other).
        aside: tuple[PairMatch, PairMatch, PersonState] | None = None
        mine_names = [spec.text for spec in record.names]
        numbered: list[tuple[PersonState, PairMatch, str]] = []  # close, but holding another id of this list
        for _, state, other_birth in candidates:
            counted, set_aside = match_names(mine_names, state.names, birth, other_birth)
            score, text = (counted.score, counted.name_b) if counted is not None else (0.0, "")
            held = self._other_id(record, state) if counted is not None and score >= REVIEW_THRESHOLD else ""
            if held and counted is not None:
                numbered.append((state, counted, held))
                continue
            if score > best[0]:
                best = (score, state, text)
            if score >= SAME_THRESHOLD:
                same.append((state, other_birth))
            close = counted and set_aside and set_aside.score >= REVIEW_THRESHOLD
            if close and (aside is None or set_aside.score > aside[1].score):
                aside = (counted, set_aside, state)
        apart = _born_apart(same)
        if apart:
            # Namesakes the registry tells apart by birth date, which this row does not: the first of them was
            # taken, and got the other's facts.
            people = [s.public_id or _EARLIER for s in apart]
            reason = _HELD if any(self._hidden(s) for s in apart) else Message(_AMBIGUOUS, people=people)
            self._fail(plan, Problem(0, record.name_column, record.display_name, reason))
            return None
        score, state, text = best
        if state is not None and score >= REVIEW_THRESHOLD and self._hidden(state):
            return state  # held by plan(), without naming the person matched
        if (state is None or score < REVIEW_THRESHOLD) and aside is not None and self._hidden(aside[2]):
            return aside[2]  # may be that person: held as well
        if state is not None and score >= SAME_THRESHOLD:
            plan.messages.append(
                Message(
                    MATCHED_BY_NAME,
                    person=state.public_id or _EARLIER,
                    name=repr(text),
                    score=f"{score:.2f}",
                )
            )
            return state
        if state is not None and score >= REVIEW_THRESHOLD:
            plan.messages.append(
                Message(
                    gettext_noop(
                        "possible duplicate of %(person)s (%(name)s, score %(score)s): "
                        "created as a new person for review"
                    ),
                    person=state.public_id or _EARLIER,
                    name=repr(text),
                    score=f"{score:.2f}",
                )
            )
        elif aside is not None:
            full, alias, other = aside
            plan.messages.append(
                Message(
                    _FULL_NAMES_DIFFER,
                    person=other.public_id or _EARLIER,
                    theirs=repr(full.name_b),
                    mine=repr(full.name_a),
                    alias=repr(alias.name_b),
                    score=f"{alias.score:.2f}",
                )
            )
        elif born_apart and len(born_apart) <= _FEW_NAMESAKES:
            self._note_namesake(record, born_apart, plan)
        self._note_numbered(record, numbered, plan)
        return None

    def _other_id(self, record: PersonRecord, state: PersonState) -> str:
        """An id of this list (this mapping: earlier imports, earlier rows of this file) that the person holds
        and that is not the row's; "" when the row gives no id or the person holds none other. A list that
        numbers two rows apart says they are two people, whatever their names."""
        if not record.external_id:
            return ""
        held = set(self.ids_given.get(state.ref, ()))
        if state.ref[0] == "db":
            if self.ids_of_person is None:
                self.ids_of_person = {}
                for external_id, pk in self._earlier_external_ids().items():
                    self.ids_of_person.setdefault(pk, set()).add(external_id)
            # A merged record's ids are its person's (as _match finds them).
            for pk in [state.ref[1], *(pk for pk, ref in self.aliases.items() if ref == state.ref)]:
                held |= self.ids_of_person.get(pk, set())
        held.discard(record.external_id)
        return min(held, default="")

    def _note_numbered(
        self, record: PersonRecord, numbered: list[tuple[PersonState, PairMatch, str]], plan: RowPlan
    ) -> None:
        """Says the closest person of the row's name set aside for holding another id of this list: the row is
        created as another person, which may be wrong (a list that renumbered its rows)."""
        shown = [item for item in numbered if not self._hidden(item[0])]  # a hidden record is never named
        if not shown:
            return
        state, pair, held = max(shown, key=lambda item: item[1].score)
        plan.messages.append(
            Message(
                _ANOTHER_ID,
                person=state.public_id or _EARLIER,
                theirs=repr(pair.name_b),
                mine=repr(pair.name_a),
                score=f"{pair.score:.2f}",
                held=repr(held),
                column=repr(record.external_id_column),
                id=repr(record.external_id),
            )
        )

    def _note_namesake(self, record: PersonRecord, refs: list[tuple], plan: RowPlan) -> None:
        """A person of exactly this row's name whom only the birth date tells apart (a birth date corrected
        since, or a namesake) is said on the row: the row is created as a new person, for review."""
        texts = {spec.text.casefold() for spec in record.names}
        for ref in sorted(refs, key=str):
            state = self._load(ref[1]) if ref[0] == "db" else self.states[ref]
            same = next((name for name in state.names if name.casefold() in texts), None)
            if same is None or self._hidden(state):
                continue  # a hidden record is never named (plan() holds rows that may be one)
            plan.messages.append(
                Message(
                    gettext_noop(
                        "%(person)s has the same name (%(name)s) and another birth date (%(theirs)s; this row "
                        "%(mine)s): created as a new person for review; if the birth date was corrected, "
                        "merge the two"
                    ),
                    person=state.public_id or _EARLIER,
                    name=repr(same),
                    theirs=str(state.birth) if state.birth else "—",
                    mine=str(record.birth),
                )
            )
            return

    def _match(self, record: PersonRecord, plan: RowPlan) -> tuple[PersonState | None, str]:
        """The person the row is about, if any, and how it was found: "public_id", "file_id" (an external id
        given earlier in this file), "batch_id" (one an earlier import gave), "name" or ""."""
        if record.public_id:
            ref = self._held_by(record.public_id)
            if ref is not None:
                if not self._names_someone_of(record, self.states[ref]):
                    self._fail(plan, self._other_registrys_id(record, self.states[ref]))
                    return None, ""
                return self.states[ref], "public_id"
        if record.external_id:
            ref = self.by_external_id.get(record.external_id)
            if ref is not None:
                return self.states[ref], "file_id"
            pk = self._earlier_external_ids().get(record.external_id)
            if pk is not None:
                return self._load(pk), "batch_id"
        if record.public_id.startswith(self.prefix):
            # A public id of ours that the registry does not hold (a restore from an export): keep it.
            return None, ""
        state = self._match_by_name(record, plan)
        return state, "name" if state is not None else ""

    def _held_by(self, public_id: str) -> tuple | None:
        """The person who holds a public id (a record merged into them stands for them), or None: one of this
        file met or loaded, else the registry's."""
        ref = self.by_public_id.get(public_id)
        if ref is None:
            pk = Person.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
            ref = self._load(pk).ref if pk is not None else None
        return ref

    @staticmethod
    def _names_someone_of(record: PersonRecord, state: PersonState) -> bool:
        """Whether a row found by its public id names the person holding it: a name of theirs exactly (a
        registry's own export read back), else one the matcher would show for review at least. Another
        registry's export gives its own ids (BY-000001 is someone else there): read as ours, it wrote a stranger's
        name and events onto our person."""
        if not record.names:
            return True  # a row of an id alone (a change file's): nothing to tell by
        stored = {name.casefold() for name in state.names}
        if any(name.text.casefold() in stored for name in record.names):
            return True
        best, _ = match_names([n.text for n in record.names], state.names)
        return best is not None and best.score >= REVIEW_THRESHOLD

    def _other_registrys_id(self, record: PersonRecord, state: PersonState) -> Problem:
        """The refusal of a row whose public id is held by someone its names do not name (the holder named only
        to one who may see them)."""
        message = Message(
            _OTHER_REGISTRYS_ID,
            id=record.public_id,
            holder=self._holder(state),
            name=repr(record.names[0].text),
        )
        return Problem(record.line, "public_id", record.public_id, message)

    def _holder(self, state: PersonState) -> Message | str:
        """The person who holds an id, as a message names them: by name only to one who may see them, and by
        their display name, which their level lets read (their names are loaded at every level: the first
        may be a sealed alias of a person the importing editor sees). A person this file creates, by the
        file's own name of them."""
        if self._hidden(state):
            return Message(_A_HIDDEN_PERSON)
        if state.ref[0] == "db":
            shown = Person.objects.filter(pk=state.ref[1]).values_list("display_name", flat=True).first()
            return repr(shown or "")
        return repr(state.names[0] if state.names else "")

    def _earlier_external_ids(self) -> dict[str, int]:
        """{external id: person} from the earlier completed batches of this mapping, the latest row winning.

        Read once, at the first row that has an id: a look-up per row went through the batches' rows (the
        external-id index is useless to SQLite's planner when most rows have none), so re-importing a
        refreshed 20,000-row list took minutes and grew with every import before it.
        """
        if self.external_ids is None:
            from .models import ImportRow

            rows = (
                ImportRow.objects.filter(
                    batch__mapping=self.mapping_name,
                    batch__status__in=["completed", "partial"],
                    person__isnull=False,
                )
                .exclude(external_id="")
                .order_by("pk")
                .values_list("external_id", "person_id")
            )
            self.external_ids = dict(rows)
        return self.external_ids

    # ---- planning ----------------------------------------------------------------------------------------

    def plan(self, record: PersonRecord) -> RowPlan:
        plan = RowPlan(record, problems=list(record.problems), messages=list(record.warnings))
        if plan.problems:
            plan.outcome = "error"
            return plan
        hidden = facts_level(record)
        if hidden is not None:
            # A row known only by restricted or sealed facts gives its names at that level (as its person is
            # created at it): a later public row of the person makes them no more public than it was.
            record.names = [
                n
                if STRICTNESS[n.confidentiality] >= STRICTNESS[hidden]
                else replace(n, confidentiality=hidden)
                for n in record.names
            ]
        state, found_by = self._match(record, plan)
        if plan.outcome == "error":
            return plan
        if state is not None and self._hidden(state):
            self._fail(plan, Problem(0, "", "", _HELD))
            return plan
        if found_by in ("file_id", "batch_id") and state is not None and not self._names_agree(record, state):
            # One id for two people is not a reason to merge them: within one file it is the file contradicting
            # itself (a typo, a list renumbered); across files, most often two lists numbering their rows each
            # its own way under the same mapping. A respelt name of the same person still agrees.
            reason = _ID_IN_FILE if found_by == "file_id" else _ID_IN_BATCH
            name = repr(state.names[0] if state.names else "")
            column, value = record.external_id_column, record.external_id
            self._fail(plan, Problem(0, column, value, Message(reason, name=name)))
            return plan
        if record.undated_release is not None:
            self._undated_release(record, record.undated_release, state, plan)
        if state is None:
            self._plan_new(record, plan, hidden)
        else:
            self._plan_existing(record, state, plan)
        if plan.outcome != "error" and record.merged_ids and plan.person in self.states:
            self._keep_merged_ids(record, self.states[plan.person], plan)
        if plan.outcome != "error" and record.ended_undated and plan.person in self.states:
            self._held_for_want_of_a_date(record, self.states[plan.person], plan)
        if plan.outcome != "error" and record.external_id and plan.person:
            self.by_external_id[record.external_id] = plan.person
            self.ids_given.setdefault(plan.person, set()).add(record.external_id)
        return plan

    def _keep_merged_ids(self, record: PersonRecord, state: PersonState, plan: RowPlan) -> None:
        """The row's merged ids that no record holds, kept as the person's; one another record holds is said
        and not linked (whether two records are one person is for a reviewer: a merge in the admin)."""
        kept = []
        for public_id in record.merged_ids:
            ref = self._held_by(public_id)
            if ref == state.ref:
                continue  # merged into them already (an export read back again)
            if ref is None:
                kept.append(public_id)
                self.by_public_id[public_id] = state.ref
                continue
            plan.messages.append(
                Message(_MERGED_ID_HELD, id=public_id, holder=self._holder(self.states[ref])).conflicting()
            )
            if plan.outcome != "created":  # a new person is created still, and counted so
                plan.bump("conflict")
        if kept:
            plan.ops.append(KeepMergedIds(state.ref, tuple(kept)))
            plan.bump("updated")

    @staticmethod
    def _undated_release(
        record: PersonRecord, spec: EventSpec, state: PersonState | None, plan: RowPlan
    ) -> None:
        """A release the status says how it came but not when: the stored release that ended the row's
        detention (the first stored after it) is the one it tells of, and the row gives it at that date: a
        plain one's kind is filled in (at the stored event's level at least: its date is no more public for
        it); another kind stored is kept, the list being the vaguer. With none stored, or only a release read
        at a verdict (a date that is an estimate), nothing can be recorded."""
        after = [
            e.spec
            for e in (state.events if state is not None else [])
            if e.spec.type == "released" and e.spec.date.value >= spec.date.value
        ]
        stored = min(after, key=lambda e: e.date.value) if after else None
        if stored is None or stored.note == RELEASED_AT_VERDICT:
            plan.messages.append(NO_END_DATE)
            return
        if stored.confidentiality == "sealed" and _levels_differ(plan, spec, StateEvent(("stored",), stored)):
            # Met more openly, a sealed fact is a conflict, said at its level: a plain "unchanged" told an editor
            # that a sealed release ended the custody.
            plan.bump("conflict")
        if spec.release_kind == "other":
            return  # a plain "освобождён" says no more than the release stored
        if stored.release_kind not in ("", "other", spec.release_kind):
            plan.messages.append(
                Message(
                    _UNDATED_OTHER_KIND,
                    column=spec.column,
                    file=_term("release_kind", spec.release_kind),
                    date=_stored(stored, str(stored.date)),
                    stored=_stored(stored, _term("release_kind", stored.release_kind)),
                ).conflicting()
            )
            plan.bump("conflict")
            return
        level = max(spec.confidentiality, stored.confidentiality, key=STRICTNESS.__getitem__)
        added = [replace(spec, date=stored.date)]
        if spec.release_kind in ("expelled", "exchanged"):
            # Sent abroad: the leaving, as a dated row records it (records._wide_record), on the release's day.
            added.append(EventSpec("emigrated", stored.date, spec.column, confidentiality=level))
        record.events = [*record.events, *added]

    @staticmethod
    def _held_for_want_of_a_date(record: PersonRecord, state: PersonState, plan: RowPlan) -> None:
        """A status that says the custody ended, with no date, of a person the registry then holds in custody:
        the row says so in those terms (the person is shown held, and counted so, until a date is recorded),
        not only that nothing was recorded."""
        held = _held_since([e.spec for e in state.events])
        if held is None:
            return
        column = record.ended_undated or "status"
        plan.messages = [
            Message(
                _HELD_FOR_WANT_OF_A_DATE,
                column=column,
                value=repr(str(record.raw.get(column, "")).strip()),
                since=str(held.date),
            )
            if message is NO_END_DATE or message.text == NO_EMIGRATION_DATE
            else message
            for message in plan.messages
        ]

    def _names_agree(self, record: PersonRecord, state: PersonState) -> bool:
        """Whether one of the row's names could be one of the person's (birth dates aside: a different one is
        reported as a conflict of its own)."""
        if any(spec.text in state.names for spec in record.names):
            return True  # the usual repeated row: no need to compare
        return _best_pair(record, state.names, None, None)[0] >= REVIEW_THRESHOLD

    def _hidden(self, state: PersonState) -> bool:
        return state.ref[0] == "db" and state.ref[1] in self.hidden

    def _new_event_ref(self) -> tuple:
        self.next_event += 1
        return ("new", self.next_event)

    def _validate(
        self, state: PersonState, added: list[StateEvent], replaced: set[tuple], raw: dict[str, Any]
    ) -> Problem | None:
        """Why the history would be impossible, at its first impossible event's column and what the row (`raw`)
        wrote there (else the event's date); or None."""
        events = [e for e in state.events if e.ref not in replaced] + added
        records = []
        for number, item in enumerate(events, 1):
            spec = item.spec
            # Event n is -n here (derive names it in its error); a facility is known by its name alone.
            records.append(
                EventRecord(
                    -number,
                    spec.type,
                    spec.date.value,
                    spec.date.precision,
                    spec.release_kind,
                    _facility_key(spec.facility) if spec.facility else None,
                    spec.sentence_months,
                    spec.regime,
                )
            )
        try:
            derive(records, state.public_id or "new person", self.today)
        except InvalidHistory as exc:
            found = _LABEL_ID.search(exc.event)
            number = -int(found.group(1)) if found else 0
            item = events[number - 1] if 0 < number <= len(events) else None
            # The history is impossible with the stored events: the reason may stand on any of them (a sealed
            # death, a sealed release), so it is read at the strictest of their levels.
            stored_level = max(
                (e.spec.confidentiality for e in events if e not in added),
                key=STRICTNESS.__getitem__,
                default="public",
            )
            if item is None:
                return Problem(0, "", "", Message(exc.reason, **exc.params).at(stored_level))
            failed = item.spec
            reason = Message(exc.reason, **exc.params).at(stored_level)
            if item not in added:
                # A stored event the row's own events make impossible (a later date of detention before a stored
                # transfer): said at the row's column that moved it, naming the stored event by kind and date.
                failed = next((a.spec for a in added if a.spec.column), failed)
                reason = Message(
                    _STORED_BROKEN,
                    event=_term("type", item.spec.type),
                    date=str(item.spec.date),
                    how=_how(item.spec),
                    reason=reason,
                ).at(stored_level)
            elif exc.reason in _ROW_REASONS:
                detained = [a.spec for a in added if a.spec.type == "detained"]
                last = _last_end([e.spec for e in events if e is not item], until=failed.date.value)
                if detained and detained[0].date.value > failed.date.value:
                    dates = {"date": str(failed.date), "detained": str(detained[0].date)}
                    reason = Message(_BEFORE_DETENTION[exc.reason], **dates)
                elif last is not None:
                    # Held once, and released before this event: no "date of detention" is missing, but a
                    # detention in between, or the stored release is wrong (one read at a verdict, most often).
                    reason = Message(
                        _AFTER_RELEASE,
                        event=_term("type", failed.type),
                        date=str(failed.date),
                        ended=_term("type", last.type),
                        on=_stored(last, str(last.date)),
                        how=_how(last),
                    ).at(last.confidentiality)
                else:
                    reason = Message(_ROW_REASONS[exc.reason].text).at(stored_level)
            written = raw.get(failed.column) if failed.column and not failed.line else None
            if written not in (None, ""):
                value = str(written).strip()
            else:  # a row that is one event is said at its own line, under its type's column
                value = failed.type if failed.line else str(failed.date)
            return Problem(failed.line, failed.column, value, reason)
        return None

    def _fail(self, plan: RowPlan, problem: Problem) -> None:
        plan.problems.append(replace(problem, line=problem.line or plan.record.line))
        plan.outcome = "error"
        plan.ops = []
        # What the row would have written is not so: a refused row said "created sealed too" beside its refusal.
        plan.messages = [m for m in plan.messages if m.text not in _WOULD_WRITE]

    def _plan_new(self, record: PersonRecord, plan: RowPlan, hidden: str | None) -> None:
        self.next_person += 1
        ref = ("new", self.next_person)
        public_id = record.public_id if record.public_id.startswith(self.prefix) else ""
        # The record's own name specs (nothing changes them after planning); a copy only where one changes.
        names = list(record.names)
        display = record.display_name or (names[0].text if names else "")
        level = record.confidentiality
        if hidden is not None:
            level = hidden
            plan.messages.append(Message(_PERSON_AT_FACTS_LEVEL, level=_term("confidentiality", level)))
        if level in ("", "public") and display in _withheld(names):
            # The display name is on every public list and page: never one that only staff may read.
            public = [n.text for n in names if n.confidentiality == "public"]
            if not public:
                reason = Message(
                    gettext_noop(
                        "every name of this public person is restricted, so the public would read one: "
                        "give a public name or mark the person restricted"
                    )
                )
                self._fail(plan, Problem(0, "", "", reason))
                return
            display = public[0]
        elif hidden is not None:
            # Created at the level of their facts: a display name that level may read, where one is.
            visible = [n.text for n in names if STRICTNESS[n.confidentiality] <= STRICTNESS[hidden]]
            if visible and display not in visible:
                display = visible[0]
        if not any(n.kind == "primary" for n in names) and names:
            names[0] = replace(names[0], kind="primary")
        state = PersonState(
            ref,
            public_id,
            record.birth,
            record.gender,
            [n.text for n in names],
            [],
            sources=record.sources,
            region=record.region,
            occupation=record.occupation,
        )
        added = [StateEvent(self._new_event_ref(), spec) for spec in record.events]
        problem = self._validate(state, added, set(), record.raw)
        if problem:
            self._fail(plan, problem)
            return
        state.events = added
        _held_again([e.spec for e in added], [e.spec for e in added], plan)
        new_person = NewPerson(
            ref,
            public_id,
            display,
            record.birth,
            record.gender,
            record.region,
            record.occupation,
            level or "public",
            names,
            record.sources,
            record.synthetic,
            record.consent_note,
        )
        state.confidentiality = new_person.confidentiality
        state.consent_note = record.consent_note
        if hidden is not None:
            state.hidden_by = new_person
        plan.ops.append(new_person)
        plan.ops.extend(NewEvent(ref, e.ref, e.spec) for e in added)
        plan.outcome, plan.person = "created", ref
        self.states[ref] = state
        if public_id:
            self.by_public_id[public_id] = ref
        for text in state.names:
            self._index(ref, text)

    def _plan_existing(self, record: PersonRecord, state: PersonState, plan: RowPlan) -> None:
        plan.person = state.ref
        if record.confidentiality and STRICTNESS[record.confidentiality] > STRICTNESS[state.confidentiality]:
            at_person_level(record)  # the stored level stays (_PERSON_LEVEL_GIVEN); the row's facts are at it
        ops: list[Any] = []
        opened = _opened_level(record, state)  # applied once the row is known to be valid (below)
        public_facts = not record.confidentiality and any(
            e.confidentiality == "public" for e in record.events
        )
        if opened is None and state.hidden_by is None and state.confidentiality != "public" and public_facts:
            plan.messages.append(
                Message(_PUBLIC_FACTS_OF_HIDDEN, level=_term("confidentiality", state.confidentiality))
            )
        # The person's names as the row opens them, and those the opened level may read (applied once the row is
        # known to be valid, below).
        opening = self._opening_names(state, opened, record) if opened is not None else ([], [])
        if opened is not None and not opening[1]:
            opened = None  # every name stricter: the level stays, and the row says so
            plan.messages.append(
                Message(_LEVEL_KEPT_FOR_NAMES, level=_term("confidentiality", state.confidentiality))
            )
        changes, conflict = self._person_changes(record, state, plan, opened)
        consent = _consent_note(record, state, plan)
        outcome = "conflict" if conflict or consent is None else "unchanged"
        if changes:
            ops.append(UpdatePerson(state.ref, changes))
            if state.hidden_by is not None and opened is None:
                state.hidden_changes.append(changes)  # recorded at the hidden level (cleared if opened)
        if consent:
            # Staff read it at any level: never one of the fields a level clears (hidden_changes).
            ops.append(UpdatePerson(state.ref, {"consent_note": consent}))
        # A name differing in letter case only ("МЕЛЬНИК Ольга", as lists write surnames) is no new name.
        known = {name.casefold() for name in state.names}
        new_names = [n for n in record.names if n.text.casefold() not in known]
        for spec in new_names:
            ops.append(
                AddName(state.ref, replace(spec, kind="alias" if spec.kind == "primary" else spec.kind))
            )
        matched = Matched()
        added, replaced = matched.added, matched.replaced
        supersedes, cites = matched.supersedes, matched.cites
        # Each event's signature once a row (a stored event is compared with every event of the row).
        signatures: dict[int, tuple] = {}
        for spec in record.events:
            pool = [e for e in state.events if e.ref not in replaced] + added
            wanted = spec.signature()
            same = [e for e in pool if _signature(e.spec, signatures) == wanted]
            # The stored fact with every detail the file gives, compared once.
            unchanged = next((e for e in same if not _differences(e.spec, spec, record.singular)), None)
            if same and (not _details(spec) or unchanged is not None):
                # The fact is stored, with every detail the file gives; the file's sources may be new to it.
                if _levels_differ(plan, spec, unchanged or same[0]):
                    outcome = "conflict"
                if spec.note == RELEASED_AT_VERDICT:
                    # Read at the verdict before: the row's note that it is read so would say nothing new.
                    _unsay(plan, READ_AT_VERDICT_SAID)
                if spec.sources:
                    cites.append((unchanged or same[0], spec.sources))
                continue
            same_kind = [e for e in pool if e.spec.type == spec.type]
            near = [e for e in same_kind if abs((e.spec.date.value - spec.date.value).days) <= 366]
            if not record.singular:
                # A one-row-per-event list may give two events of a kind within a year (two detentions), but
                # not two sentences or releases of one day (or of a month that holds it): another one is the
                # stored one corrected (a release's kind filled in).
                near = [
                    e
                    for e in near
                    if e.spec.type in ("sentenced", "released")
                    and (_contains(e.spec.date, spec.date) or _contains(spec.date, e.spec.date))
                ]
            if near or same:
                # The same fact with details the file adds (a judge, a case number …), or the nearest of a kind.
                old = (
                    same[0]
                    if same
                    else min(near, key=lambda e: abs((e.spec.date.value - spec.date.value).days))
                )
                if spec.note == RELEASED_AT_VERDICT and old.spec.note != RELEASED_AT_VERDICT:
                    # The verdict's day is an estimate: a release a list gave ("2021-06") says more than it.
                    _unsay(plan, READ_AT_VERDICT_SAID)
                    continue
                diffs = _differences(old.spec, spec, record.singular)
                if not diffs:
                    if _levels_differ(plan, spec, old):
                        outcome = "conflict"
                    if spec.sources:
                        cites.append((old, spec.sources))
                    continue
                if _corrected_since(plan, old, spec, record.singular):
                    outcome = "conflict"
                    continue
                if diffs == ["facility"] and spec.note == UNDATED_PLACE:
                    # Another place on a later list is most often a transfer since, on a day the list does not
                    # give: superseding the stored place would move the person there from the verdict on.
                    plan.messages.append(
                        Message(
                            _ANOTHER_PLACE,
                            column=spec.column,
                            stored=_stored(old.spec, _show(old.spec, "facility")),
                            file=spec.facility,
                        ).conflicting()
                    )
                    outcome = "conflict"
                    continue
                if STRICTNESS[spec.confidentiality] > STRICTNESS[old.spec.confidentiality]:
                    plan.messages.append(
                        Message(
                            _STRICTER_CORRECTION,
                            event=_term("type", spec.type),
                            column=spec.column,
                            differences=_described(old.spec, spec, diffs),
                            row=_term("confidentiality", spec.confidentiality),
                            stored=_term("confidentiality", old.spec.confidentiality),
                        ).conflicting()
                    )
                    outcome = "conflict"
                    continue
                merged = _merged_spec(old.spec, spec)
                # A correction is at the stored event's level at least: it carries the stored values the file
                # does not give (a sealed event's note, its place), which a public row does not make public.
                merged.confidentiality = old.spec.confidentiality
                refine = diffs == ["date"] and _contains(old.spec.date, spec.date)
                filled = _filled(old.spec, spec, diffs)
                # A row that meets a sealed event more openly is a conflict even when it only refines the date or
                # fills a field: to an editor it must read as another date does (as _levels_differ makes a repeat).
                opens_sealed = old.spec.confidentiality == "sealed" and spec.confidentiality != "sealed"
                if opens_sealed or not (filled or refine):
                    outcome = "conflict"
                    if self.policy == KEEP:
                        plan.messages.append(
                            Message(
                                gettext_noop("%(event)s (%(column)s): %(differences)s; kept stored"),
                                event=_term("type", spec.type),
                                column=spec.column,
                                differences=_described(old.spec, spec, diffs),
                            ).conflicting()
                        )
                        continue
                if filled:
                    plan.messages.append(
                        Message(
                            gettext_noop(
                                "%(event)s (%(column)s): %(fields)s added; recorded as a correction that "
                                "supersedes the stored event and cites this import"
                            ),
                            event=_term("type", spec.type),
                            column=spec.column,
                            fields=[_FIELDS[d] for d in diffs],
                        ).at(old.spec.confidentiality)  # it tells what the stored event lacked
                    )
                elif not refine:
                    plan.messages.append(
                        Message(
                            gettext_noop(
                                "%(event)s (%(column)s): %(differences)s; recorded as a correction that "
                                "supersedes the stored event and cites this import"
                            ),
                            event=_term("type", spec.type),
                            column=spec.column,
                            differences=_described(old.spec, spec, diffs),
                        ).conflicting()
                    )
                else:
                    plan.messages.append(
                        Message(
                            gettext_noop("%(event)s: date %(stored)s refined to %(file)s"),
                            event=_term("type", spec.type),
                            stored=_stored(old.spec, str(old.spec.date)),
                            file=str(spec.date),
                        )
                    )
                if STRICTNESS[spec.confidentiality] < STRICTNESS[old.spec.confidentiality]:
                    kept = Message(
                        _CORRECTION_KEPT_STRICTER,
                        event=_term("type", spec.type),
                        column=spec.column,
                        stored=_stored(old.spec, _term("confidentiality", old.spec.confidentiality)),
                        row=_term("confidentiality", spec.confidentiality),
                    )
                    # What made the row a conflict when it only refines or fills a sealed event (above).
                    plan.messages.append(kept.conflicting() if opens_sealed else kept)
                item = StateEvent(self._new_event_ref(), merged)
                replaced.add(old.ref)
                supersedes[item.ref] = old.ref
                added.append(item)
                continue
            if spec.type == "transferred" and spec.note == UNDATED_PLACE:
                read = [
                    e
                    for e in pool
                    if e.spec.type == "released"
                    and e.spec.note == RELEASED_AT_VERDICT
                    and str(e.spec.date) == str(spec.date)
                ]
                if read:
                    matched.places.append((spec, read[0]))  # decided once the row's sentence is (below)
                    continue
            if any(_corrected_since(plan, e, spec, record.singular) for e in same_kind):
                # (a one-row-per-event list's detention, matched to none, is added beside the stored ones)
                outcome = "conflict"
                continue
            added.append(StateEvent(self._new_event_ref(), spec))
        withdrawn, settled = self._settle_at_verdict(record, state, matched, plan)
        if settled:
            outcome = "conflict"
        if added or withdrawn:
            problem = self._validate(state, added, replaced, plan.record.raw)
            if problem:
                self._fail(plan, problem)
                return
        _held_again(
            [e.spec for e in state.events if e.ref not in replaced] + [a.spec for a in added],
            [a.spec for a in added if a.ref not in supersedes],
            plan,
        )
        if record.held_now and self._ended_before(state, added, replaced, plan, record.held_now):
            outcome = "conflict"
        for item in added:
            ops.append(NewEvent(state.ref, item.ref, item.spec, supersedes.get(item.ref)))
        ops.extend(withdrawn)
        ops.extend(self._citations(record, state, matched, plan))
        if ops and outcome == "unchanged":
            outcome = "updated"
        # Commit the row into the in-memory state only once it is known to be valid.
        if opened is not None:
            self._open_level(state, opened, opening, plan)
        state.events = [e for e in state.events if e.ref not in replaced] + added
        state.names.extend(n.text for n in new_names)
        for spec in new_names:
            self._index(state.ref, spec.text)
        if "birth_date" in changes:
            state.birth = changes["birth_date"]
        for name in ("gender", "region", "occupation"):
            if name in changes:
                setattr(state, name, changes[name])
        state.consent_note = consent or state.consent_note
        plan.ops = ops
        plan.bump(outcome)

    @staticmethod
    def _person_changes(
        record: PersonRecord, state: PersonState, plan: RowPlan, opened: str | None
    ) -> tuple[dict[str, Any], bool]:
        """The person's fields the row fills in (birth date, gender, region, occupation: never overwritten), and
        whether it gives another value than a stored one (said, kept stored). A person's fields are seen at the
        person's level: a row stricter than the person (a restricted list's region of a public person) records
        none of them, and says so. A person this row makes more open (`opened`) keeps none of the fields that
        stricter rows above gave (_open_level): the row's are compared with none."""
        level = opened or state.confidentiality
        row = own_level(record)
        cleared = opened is not None and state.hidden_by is not None
        stored: dict[str, Any] = {
            "birth_date": None if cleared else state.birth,
            "gender": "" if cleared else state.gender,
            "region": "" if cleared else state.region,
            "occupation": "" if cleared else state.occupation,
        }
        if record.confidentiality and record.confidentiality != state.confidentiality and opened is None:
            plan.messages.append(
                Message(
                    _PERSON_LEVEL_GIVEN,
                    row=_term("confidentiality", record.confidentiality),
                    stored=_term("confidentiality", state.confidentiality),
                ).conflicting()
            )
            conflict = True
        else:
            conflict = False
        given = {
            "birth_date": record.birth,
            "gender": record.gender,
            "region": record.region,
            "occupation": record.occupation,
        }
        if STRICTNESS[row] > STRICTNESS[level]:
            told = [
                _PERSON_FIELDS[name]
                for name, value in given.items()
                if value and str(value).casefold() != str(stored[name] or "").casefold()
            ]
            if told:
                plan.messages.append(
                    Message(
                        _FIELDS_OF_STRICTER_ROW,
                        fields=told,
                        row=_term("confidentiality", row),
                        person=_term("confidentiality", level),
                    )
                )
            return {}, conflict
        changes: dict[str, Any] = {}
        birth, stored_birth = record.birth, stored["birth_date"]
        if birth:
            if stored_birth is None or (_contains(stored_birth, birth) and str(stored_birth) != str(birth)):
                changes["birth_date"] = birth
            elif not _contains(birth, stored_birth):
                plan.messages.append(
                    Message(
                        gettext_noop("birth date: stored %(stored)s, file says %(file)s; kept stored"),
                        stored=str(stored_birth),
                        file=str(birth),
                    ).conflicting()
                )
                conflict = True
        for name in ("gender", "region", "occupation"):
            value = given[name]
            if not value:
                continue
            if not stored[name]:
                changes[name] = value
            elif stored[name].casefold() != value.casefold():
                shown = (
                    (lambda v: _term("gender", v)) if name == "gender" else str
                )  # a gender's code in words
                plan.messages.append(
                    Message(
                        _FIELD_KEPT, field=_PERSON_FIELDS[name], stored=shown(stored[name]), file=shown(value)
                    ).conflicting()
                )
                conflict = True
        if changes:
            plan.messages.append(Message(_FILLED_IN, fields=[_PERSON_FIELDS[n] for n in changes]))
        return changes, conflict

    def _settle_at_verdict(
        self, record: PersonRecord, state: PersonState, matched: Matched, plan: RowPlan
    ) -> tuple[list[NewEvent], bool]:
        """The releases read at a verdict, once the row's events are matched: the row's own not read where the
        sentence in force keeps the person held, the stored ones settled by a sentence corrected to custody
        (_verdict_releases_withdrawn: the retractions returned), and the row's places on such a release's day
        recorded only where it went; and whether that is a conflict."""
        added, replaced, supersedes = matched.added, matched.replaced, matched.supersedes
        # A release read at the verdict stands on the sentence: not when the one in force on that day is another
        # (a stored colony the file's suspended term did not correct: a stricter row, policy keep).
        in_force = {
            str(e.spec.date): e.spec
            for e in [*state.events, *added]
            if e.spec.type == "sentenced" and e.ref not in replaced
        }
        for item in [a for a in added if a.spec.note == RELEASED_AT_VERDICT and a.ref not in supersedes]:
            sentence = in_force.get(str(item.spec.date))
            if sentence is not None and sentence.regime not in NOT_CUSTODY:
                added.remove(item)
                _unsay(plan, READ_AT_VERDICT_SAID)
        withdrawn = self._verdict_releases_withdrawn(record, state, matched, plan)
        conflict = bool(withdrawn)
        for spec, read in matched.places:
            if read.ref in replaced:
                # The release read at the verdict went with its sentence: the place stands.
                added.append(StateEvent(self._new_event_ref(), spec))
                continue
            # Released at the verdict, as the registry holds it, and held at the place from that day, as the row
            # says: kept stored, and the row's "read as held there" is not so.
            _unsay(plan, PLACE_BESIDE_FREEDOM)
            plan.messages.append(
                Message(
                    _PLACE_AFTER_VERDICT_RELEASE,
                    column=spec.column,
                    place=spec.facility,
                    date=str(spec.date),
                )
                .at(read.spec.confidentiality)  # it stands on the stored release
                .conflicting()
            )
            conflict = True
        return withdrawn, conflict

    @staticmethod
    def _citations(
        record: PersonRecord, state: PersonState, matched: Matched, plan: RowPlan
    ) -> list[CiteSources]:
        """The file's sources the person and the stored facts the row repeats do not cite yet."""
        found: list[CiteSources] = []
        # A stored fact a correction or retraction took is cited no more (the correction cites the file's sources).
        cites = [(stored, given) for stored, given in matched.cites if stored.ref not in matched.replaced]
        uncited = _uncited(record.sources, state.sources) if record.sources else ()
        if uncited:
            found.append(CiteSources(state.ref, None, uncited))
            state.sources += uncited
        for stored, given in cites:
            # Only what the fact does not cite yet (counting what this row cited on it a moment ago). Its spec is
            # replaced, not changed: an op written earlier may hold it.
            sources = _uncited(given, stored.spec.sources)
            if not sources:
                continue
            found.append(CiteSources(state.ref, stored.ref, sources))
            stored.spec = replace(stored.spec, sources=stored.spec.sources + sources)
            uncited += sources
        if uncited:
            titles = list(dict.fromkeys(s.title for s in uncited))
            plan.messages.append(
                Message(gettext_noop("stored facts now also cite %(sources)s"), sources=titles)
            )
        return found

    @staticmethod
    def _opening_names(
        state: PersonState, level: str, record: PersonRecord
    ) -> tuple[list[NameSpec], list[str]]:
        """For a person this file created at the level of their facts, whom the row makes `level`: their names
        with those the row gives more openly (the same text) at the row's level, and the names `level` may read
        (those, and the row's own)."""
        op = state.hidden_by
        if op is None:
            return [], []
        given = {n.text.casefold(): n.confidentiality for n in record.names}
        names = [
            replace(n, confidentiality=given[key])
            if (key := n.text.casefold()) in given and STRICTNESS[given[key]] < STRICTNESS[n.confidentiality]
            else n
            for n in op.names
        ]
        visible = [
            n.text for n in [*names, *record.names] if STRICTNESS[n.confidentiality] <= STRICTNESS[level]
        ]
        return names, list(dict.fromkeys(visible))

    @staticmethod
    def _open_level(
        state: PersonState, level: str, opening: tuple[list[NameSpec], list[str]], plan: RowPlan
    ) -> None:
        """A person this file created at the level of their facts, whose row here gives more open facts: at the
        level of those (public: listed in public by the file), with a display name that level may read (a name
        the row gives), and none of the fields stricter rows gave (their birth date, gender, region,
        occupation: seen at the person's level, they would be seen more openly than their rows)."""
        op = state.hidden_by
        if op is None:
            return
        op.names, visible = opening
        if op.display_name not in visible:
            op.display_name = visible[0]
        fields = [name for name in ("birth", "gender", "region", "occupation") if getattr(op, name)]
        fields += [name for changes in state.hidden_changes for name in changes]
        if fields:
            plan.messages.append(
                Message(
                    _FIELDS_OF_STRICTER_ROWS_DROPPED,
                    fields=[
                        _PERSON_FIELDS["birth_date" if f == "birth" else f] for f in dict.fromkeys(fields)
                    ],
                    level=_term("confidentiality", state.confidentiality),
                    opened=_term("confidentiality", level),
                )
            )
        op.birth, op.gender, op.region, op.occupation = None, "", "", ""
        for changes in state.hidden_changes:
            changes.clear()  # the UpdatePerson of a row above: writes nothing now
        state.hidden_changes.clear()
        state.birth, state.gender, state.region, state.occupation = None, "", "", ""
        op.confidentiality = state.confidentiality = level
        if level == "public":
            state.hidden_by = None
        plan.messages.append(Message(_PERSON_LEVEL_OPENED, level=_term("confidentiality", level)))

    @staticmethod
    def _ended_before(
        state: PersonState, added: list[StateEvent], replaced: set[tuple], plan: RowPlan, column: str
    ) -> bool:
        """Whether the registry, with this row, holds the person's custody ended (a release or death after their
        last detention) while the row's status says held now: said, as a conflict (the list may know of a
        detention the registry does not, or be out of date); nothing written for it."""
        events = [e.spec for e in [*state.events, *added] if e.ref not in replaced]
        last = _last_end(events)
        if last is None or _held_since(events) is not None:
            return False
        plan.messages.append(
            Message(
                _HELD_BUT_ENDED_STORED,
                column=column,
                ended=_term("type", last.type),
                on=_stored(last, str(last.date)),
                how=_how(last),
            ).conflicting()
        )
        return True

    def _verdict_releases_withdrawn(
        self, record: PersonRecord, state: PersonState, matched: Matched, plan: RowPlan
    ) -> list[NewEvent]:
        """The releases the import read at a verdict (RELEASED_AT_VERDICT) whose sentence this row corrects from
        one that keeps no one in custody (a fine, a suspended term) to one that may (a term of colony, a term
        of no kind said): such a release stood on the old sentence alone, and kept the person released on every
        page. Each is
        - corrected to the file's own release, when the row gives one on the verdict's day or in a period that
          holds it (`04.2021`), at the file's date;
        - else kept at the verdict's date, now the earliest it can be, when the row's status says released with
          no date (a correction of its note, and of its kind when the status says how);
        - else withdrawn: a retraction (returned, to be written after the row's events).
        Each at the level of the release and of the sentence's correction at least (one who sees only the
        release and the fine sees neither change). Corrections join the matched `added`; every release taken
        joins its `replaced`."""
        added, replaced, supersedes = matched.added, matched.replaced, matched.supersedes
        withdrawn: list[NewEvent] = []
        by_ref = {e.ref: e for e in [*state.events, *added]}
        for item in list(added):
            old = by_ref.get(supersedes.get(item.ref, ("none",)))
            if item.spec.type != "sentenced" or old is None:
                continue
            if old.spec.regime not in NOT_CUSTODY or item.spec.regime in NOT_CUSTODY:
                continue
            for stored in state.events:
                spec = stored.spec
                if stored.ref in replaced or spec.type != "released" or spec.note != RELEASED_AT_VERDICT:
                    continue
                if str(spec.date) != str(old.spec.date):
                    continue
                # A verdict of another day with another detention (moved, or added) is most often another case (a
                # person held again), which must not take the first case's release (the history then says what is
                # wrong); with the same detention, the verdict's date corrected.
                same_day = _contains(item.spec.date, old.spec.date) or _contains(
                    old.spec.date, item.spec.date
                )
                if not same_day and any(a.spec.type == "detained" for a in added):
                    continue
                given = next(
                    (e for e in record.events if e.type == "released" and _contains(e.date, spec.date)), None
                )
                levels = (spec, item.spec, *([given] if given is not None else []))
                level = max((e.confidentiality for e in levels), key=STRICTNESS.__getitem__)
                if STRICTNESS[level] > STRICTNESS[spec.confidentiality]:
                    # Superseded, the release would be gone from the pages of those who see it now, and nothing
                    # of this row shown in its place: kept, for a person to decide (as _STRICTER_ROW).
                    plan.messages.append(
                        Message(
                            _STRICTER_ROW,
                            event=_term("type", "released"),
                            column=item.spec.column,
                            row=_term("confidentiality", level),
                            stored=_term("confidentiality", spec.confidentiality),
                        )
                    )
                    continue
                why = Message(
                    _READ_AT_VERDICT,
                    date=_stored(spec, str(spec.date)),
                    stored=_stored(old.spec, _sentence_shown(old.spec)),
                    column=item.spec.column,
                    file=_sentence_shown(item.spec),
                )
                undated = record.undated_release
                ended = record.ended_undated
                if given is not None:
                    kind = given.release_kind if given.release_kind != "other" else spec.release_kind
                    correction = replace(given, release_kind=kind, confidentiality=level)
                    # A one-row-per-event list's release of another date than the stored one was added as an
                    # event of its own: the correction is it.
                    added[:] = [a for a in added if a.spec is not given]
                    plan.messages.append(
                        Message(_VERDICT_RELEASE_GIVEN, why=why, given=str(given.date)).conflicting()
                    )
                elif ended:
                    kind = spec.release_kind
                    if undated is not None and undated.release_kind != "other":
                        kind = undated.release_kind
                    correction = replace(
                        spec,
                        note=VERDICT_RELEASE_KEPT,
                        release_kind=kind,
                        confidentiality=level,
                        sources=record.events[0].sources if record.events else (),
                        column=ended,
                    )
                    # Recorded after all: the status's "no date: not recorded" is no longer so.
                    _unsay(plan, NO_END_DATE.text)
                    plan.messages.append(Message(_VERDICT_RELEASE_KEPT, why=why, status=ended).conflicting())
                else:
                    retraction = replace(
                        spec, note=VERDICT_RELEASE_RETRACTED, confidentiality=level, sources=(), line=0
                    )
                    withdrawn.append(
                        NewEvent(state.ref, self._new_event_ref(), retraction, stored.ref, retracts=True)
                    )
                    plan.messages.append(Message(_VERDICT_RELEASE_WITHDRAWN, why=why).conflicting())
                    replaced.add(stored.ref)
                    continue
                taken = StateEvent(self._new_event_ref(), correction)
                added.append(taken)
                supersedes[taken.ref] = stored.ref
                replaced.add(stored.ref)
        return withdrawn


def _last_end(specs: list[EventSpec], until: dt.date | None = None) -> EventSpec | None:
    """The latest release or death among `specs` (on or before `until`, when given); None if there is none."""
    ended = [e for e in specs if e.type in ("released", "died") and (until is None or e.date.value <= until)]
    return max(ended, key=lambda e: e.date.value) if ended else None


def _unsay(plan: RowPlan, template: str) -> None:
    """Take back the row's messages of `template` (a note that a later step of planning makes untrue)."""
    plan.messages = [m for m in plan.messages if m.text != template]


def _how(spec: EventSpec) -> Message | str:
    """Of a release read at a verdict, that it is (a message's %(how)s); else nothing."""
    return Message(_HOW_AT_VERDICT) if spec.note == RELEASED_AT_VERDICT else ""


def _consent_note(record: PersonRecord, state: PersonState, plan: RowPlan) -> str | None:
    """The consent note the row gives a person who has none ("" when it gives none or the same one); None
    when it gives another than the stored one, which is kept and said (what a family agreed to is never
    overwritten by a file: a reviewer reads both)."""
    given, stored = record.consent_note, state.consent_note
    if not given or " ".join(given.split()) == " ".join(stored.split()):
        return ""
    if not stored:
        return given
    plan.messages.append(Message(_CONSENT_NOTE_DIFFERS, file=repr(given[:200])).conflicting())
    return None


def _held_again(events: list[EventSpec], new: list[EventSpec], plan: RowPlan) -> None:
    """Said of a detention the row adds while the person is held since an earlier one, with no release or death
    between (`задержана повторно` after a release the list gives no date of): the custody then runs on from the
    first, and the row says so, naming both (a re-arrest at the gate is no mistake; a missing release is)."""
    for spec in new:
        if spec.type != "detained":
            continue
        since = _held_since([e for e in events if e is not spec and e.date.value < spec.date.value])
        if since is not None:
            plan.messages.append(
                Message(_HELD_AGAIN, date=str(spec.date), since=_stored(since, str(since.date)))
            )


def _held_since(specs: list[EventSpec]) -> EventSpec | None:
    """The latest detention among `specs` when no release or death came after it (on its day or later); None
    when the person is not held by them."""
    held = [e for e in specs if e.type == "detained"]
    if not held:
        return None
    since = max(held, key=lambda e: e.date.value)
    last = _last_end(specs)
    return since if last is None or last.date.value < since.date.value else None


def _corrected_since(plan: RowPlan, stored: StateEvent, spec: EventSpec, singular: bool) -> bool:
    """Whether the row gives the event as the registry held it before the stored correction (an older list, or
    an edited copy of it, read again would undo a correction made since): said, as a conflict, and kept."""
    if not any(not _differences(e, spec, singular) for e in _seen_with(stored)):
        return False
    plan.messages.append(
        Message(
            _CORRECTED_SINCE,
            event=_term("type", spec.type),
            column=spec.column,
            differences=_described(stored.spec, spec, _differences(stored.spec, spec, singular)),
        ).conflicting()
    )
    return True


def _seen_with(stored: StateEvent) -> list[EventSpec]:
    """The earlier versions of a stored correction that whoever reads it, and every reader of a batch's rows
    (editors: restricted facts at most), may read too. A sealed one, or one stricter than the correction (a
    sealed detention an editor corrected in public), is not compared with a row, whose outcome would tell its
    values to a reader below its level."""
    level = min(STRICTNESS[stored.spec.confidentiality], STRICTNESS["restricted"])
    return [e for e in stored.before if STRICTNESS[e.confidentiality] <= level]


def _levels_differ(plan: RowPlan, spec: EventSpec, stored: StateEvent) -> bool:
    """Said when the row gives a stored fact at another level than it is stored, which stays: more openly (the
    import makes no stored fact more open: it may carry a note or a place only those who see it may read), or
    more strictly: a list that now marks a published fact `закрыто` was "unchanged", with nothing said, and the
    fact stayed public. A conflict (True) when the row seals it; a staff list's `restricted` is most often the
    list's, not a request to withhold (a note, else every row of such a list would be a conflict)."""
    row, kept = STRICTNESS[spec.confidentiality], STRICTNESS[stored.spec.confidentiality]
    if row == kept:
        return False
    said = Message(
        _STORED_STRICTER if row < kept else _ROW_STRICTER,
        event=_term("type", spec.type),
        date=_stored(stored.spec, str(stored.spec.date)),
        stored=_term("confidentiality", stored.spec.confidentiality),
        row=_term("confidentiality", spec.confidentiality),
    )
    # A conflict when the row seals a fact, and when it meets a sealed one more openly: the outcome is read by
    # editors, who may not read sealed facts, and "unchanged" here beside "conflict" for another date told them
    # the sealed date was the list's.
    sealed = spec.confidentiality == "sealed" if row > kept else stored.spec.confidentiality == "sealed"
    plan.messages.append(said.conflicting() if sealed else said)
    return said.conflict


def _opened_level(record: PersonRecord, state: PersonState) -> str | None:
    """The more open level a row gives a person this file created at the level of their facts (records.
    facts_level), or None: the most open of the row's facts' (public when one is)."""
    if record.confidentiality or state.hidden_by is None:
        return None
    level = facts_level(record) or "public"
    return level if STRICTNESS[level] < STRICTNESS[state.confidentiality] else None


def _sentence_shown(spec: EventSpec) -> Message | str:
    """A sentence in a message: the list's words where they are kept (the fine's, the note's), else its penalty
    and term."""
    if spec.regime == "fine" and spec.fine_amount:
        return spec.fine_amount
    if spec.note:
        return spec.note
    return Message(_PENALTY_AND_TERM, penalty=_show(spec, "regime"), months=_show(spec, "sentence_months"))


def _born_apart(same: list[tuple[PersonState, str | None]]) -> list[PersonState]:
    """The people among those matched as sure by name whose known birth dates differ from one another (two
    people, not one recorded twice); [] when there are not two such."""
    born = [(state, parts) for state, text in same if text for parts in [birth_parts(text)] if parts]
    for i, (first, mine) in enumerate(born):
        others = [
            state for state, theirs in born[i + 1 :] if state is not first and parts_differ(mine, theirs)
        ]
        if others:
            return [first, *others]
    return []


def _withheld(names: list[NameSpec]) -> set[str]:
    """Texts that only staff may read: a name given as restricted or sealed, and no public name spelt alike."""
    return {n.text for n in names if n.confidentiality != "public"} - {
        n.text for n in names if n.confidentiality == "public"
    }


def held(plan: RowPlan) -> bool:
    """Whether the row was held for an administrator (it matches a person the importing user may not see)."""
    return any(problem.message is _HELD for problem in plan.problems)


@lru_cache(maxsize=10_000)
def _facility_key(name: str) -> int:
    """A stand-in facility id for validation: derive() only compares facilities with each other."""
    return abs(hash(facility_key(name))) % 10**9


@lru_cache(maxsize=200_000)
def blocks(text: str) -> frozenset[str]:
    """Blocking keys for candidate retrieval: surname's first five folded letters + (canonical) given name."""
    keys = name_keys(text)
    found = {keys[0]} if keys else set()
    surname = keys[1] if len(keys) > 1 else ""
    # Every "surname given" key, the full name's own included: "Лукашевич Андрей" has no key of its own for
    # it (its full name is that key), and must still share a block with "Лукашевич Андрей Петрович".
    for key in keys:
        first, _, given = key.partition(" ")
        if surname and first == surname and given and " " not in given:
            found.add(f"{surname[:5]} {given}")
    if len(found) < 2 and surname:
        found.add(surname[:5])
    return frozenset(found)


def _stored(spec: EventSpec, value: Any) -> Any:
    """A stored event's value as a message shows it: marked with the event's level when that is not public
    (Message.at), so that a batch's reader who may not read that level does not read the message
    (views._redact): its rows are planned against every stored event, and any editor reads a batch's page."""
    if spec.confidentiality in ("", "public"):
        return value
    return Message("%(value)s", value=value).at(spec.confidentiality)


def _described(old: EventSpec, new: EventSpec, diffs: list[str]) -> list[Message]:
    """The fields where the file's event differs from the stored one, each with both values."""
    return [
        Message(
            gettext_noop("%(field)s: stored %(stored)s, file says %(file)s"),
            field=_FIELDS[d],
            stored=_stored(old, _show(old, d, words="note" not in diffs)),
            file=_show(new, d, words="note" not in diffs),
        )
        for d in diffs
    ]


def _show(spec: EventSpec, name: str, words: bool = False) -> Message | str:
    """An event's value of a field as a conflict shows it: data as it is, a stored code in words; with words, a
    penalty said in words only (no regime read) as its words."""
    if name == "articles":
        from spis.registry.models import article_label

        return ", ".join(article_label(a) for a in (spec.case or {}).get("articles", [])) or "—"
    if name == "organization":
        return spec.organization.name if spec.organization else "—"
    value = (spec.case or {}).get(name, "") if name in _CASE_FIELDS else getattr(spec, name)
    if words and name == "regime" and not value and spec.note and _penalty(spec) in ("arrest", "custody"):
        return spec.note  # a penalty in words only ("3 месяца ареста"): no regime read, no less said
    if value in (None, ""):
        return "—"
    return _term(name, value) if name in _CHOICES else str(value)


@cache
def _term(name: str, code: str) -> Message | str:
    """A stored code (an event type, a release kind, a penalty, a gender) as the word the site shows for it
    (one message per code: a refreshed list names the same few on each of its rows)."""
    label = _CHOICES[name].get(code)
    return Message(str(label)) if label is not None else code


# Notes of what a row writes, untrue of a row refused after them (Planner._fail).
_WOULD_WRITE = frozenset(
    {
        _PERSON_AT_FACTS_LEVEL,
        _PERSON_LEVEL_OPENED,
        _FILLED_IN,
        _FIELDS_OF_STRICTER_ROWS_DROPPED,
        READ_AT_VERDICT_SAID,
    }
)
