"""Raw rows -> person records (names, birth date, events), each problem tied to its line, column and value.

Three shapes are read: wide rows (one per person, as on Viasna's list), long rows (one per event, as
`spis export --format csv` writes them) and nested objects (as `spis export --format json` writes them).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.conf import settings

from spis.names.given import given_name_forms
from spis.registry.actions import LAST_GIVEN_PUBLIC_ID_NUMBER, written_public_id
from spis.registry.custody import CUSTODIAL
from spis.registry.dates import PartialDate
from spis.registry.models.common import STRICTNESS

from .batch_source import LIMITS, NOT_A_LINK, RELIABILITY, TOO_LONG, valid_link
from .mapping import Mapping, fold_header
from .messages import Message, gettext_noop, render
from .parsing import (
    MAX_TERM_MONTHS,
    CellError,
    Status,
    facility_key,
    looks_like_formula,
    one_script_words,
    parse_articles,
    parse_date,
    parse_date_month_first,
    parse_gender,
    parse_sentence,
    parse_status,
    parse_status_month_first,
    place_and_words,
    slash_order,
    term_months,
)
from .readers import Formula, NoRows, RawRow, ReadError, Table

EVENT_TYPES = {
    "detained", "charged", "convicted", "sentenced", "transferred", "recognized",
    "recognition_withdrawn", "released", "died", "emigrated",
}  # fmt: skip
RELEASE_KINDS = {"end_of_term", "pardon", "amnesty", "expelled", "exchanged", "house_arrest", "other"}
REGIMES = {"general", "strengthened", "strict", "special", "prison", "open", "home", "fine", "other"}
LEVELS = {"public", "restricted", "sealed"}
# A level in a list's own words (a column "Конфиденциальность" of a partner's list). Only words that name a
# level beyond doubt; any other is refused, never read as public.
LEVEL_WORDS = {
    "публично": "public",
    "публичный": "public",
    "открыто": "public",
    "публічна": "public",
    "адкрыта": "public",
    "ограничено": "restricted",
    "ограниченный": "restricted",
    "для сотрудников": "restricted",
    "абмежавана": "restricted",
    "для супрацоўнікаў": "restricted",
    "закрыто": "sealed",
    "закрытый": "sealed",
    "секретно": "sealed",
    "закрыта": "sealed",
    "сакрэтна": "sealed",
}
# Name.Kind and Name.Script of the registry (tests/intake/test_records.py keeps them equal).
NAME_KINDS = {"primary", "transliteration", "alias", "former", "patronymic"}
SCRIPTS = {"Cyrl", "Latn", "Zyyy"}
# Organization.Kind of the registry (kept equal the same way).
ORGANIZATION_KINDS = {
    "recognizing_body", "court", "prosecutor", "government", "ngo", "trade_union", "media", "company", "other",
}  # fmt: skip
# The registry's field lengths (spis/registry/models): a longer value is refused, never cut.
NAME_LENGTH = 300
# A BCP 47 language tag as Name.language keeps it (35 characters): be, ru, en, be-Latn, be-tarask.
LANGUAGE_LENGTH = 35
# Keys a partner writes for a script rather than a language ("lat": Łacinka or a transliteration).
_SCRIPT_KEYS = {"lat", "latn", "latin", "cyrl", "cyrillic"}
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_FORMULA = Message(gettext_noop("looks like a spreadsheet formula; refused (write the value as text)"))
_MISSING_NAME = Message(gettext_noop("missing name: a person needs a name"))
# The note of a wide row's place of detention, which the row dates by its verdict.
UNDATED_PLACE = "place of detention as listed; the transfer date is not given (verdict date used)"
# The note of a release the import dates at the verdict: a sentence that keeps no one in custody ended it.
RELEASED_AT_VERDICT = (
    "released by a sentence that keeps no one in custody; the list gives no release date (the verdict's, the "
    "latest it can be)"
)
READ_AT_VERDICT_SAID = gettext_noop(
    "the sentence %(sentence)s keeps no one in custody and the row gives no release: read as released on the "
    "day of the verdict, the latest it can be (give the release date if it was earlier)"
)
PLACE_BESIDE_FREEDOM = gettext_noop(
    "the sentence %(sentence)s keeps no one in custody, but the row gives a place of detention (%(place)s): read as "
    "held there, no release read at the verdict; check the sentence and the place"
)
_RELEASE_WITHOUT_KIND = gettext_noop(
    "a release needs its kind (end of term, pardon, …; other when it is not known)"
)
_NOT_A_PERSON = gettext_noop(
    "missing name: the row holds only %(text)s (under %(column)s), a total or a note below the list rather "
    "than a person: delete the line, or keep the good rows (--partial)"
)
# Notes that a list can give on every one of its 100,000 rows: one message object for all of them.
_NOT_RECOGNISED = Message(
    gettext_noop("listed as recognised, but no date of recognition: recognition not recorded")
)
NO_END_DATE = Message(gettext_noop("status says released or died, but no date is given: not recorded"))
# A word with both Latin and Cyrillic letters ("Ивaнoв" typed with a Latin a and o): a slip that makes the
# name look the same and sort, search and match as another.
_MIXED_WORD = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0400-\u04ff])\w+")
_MIXED_SCRIPTS = gettext_noop(
    "%(name)s mixes Latin and Cyrillic letters in one word (a typing slip?): check its spelling"
)
# The words are the note: the cell says the person left, and the registry dates every emigration.
NO_EMIGRATION_DATE = gettext_noop(
    "status %(value)s says the person left the country, but gives no date: leaving not recorded"
)
_COMMENT_KEPT = gettext_noop(
    "the comment under %(column)s is not published (a list's comment may name relatives, phones or "
    "addresses): kept as a restricted source on the person, which only staff read (make it public in the "
    "admin if it is a publication)"
)
_COMMENT_KEPT_SEALED = gettext_noop(
    "the comment under %(column)s is not published: kept as a sealed source on the person, as the row is sealed, "
    "which only administrators read"
)
_COMMENT_KEPT_AT = gettext_noop(
    "line %(line)s: the comment under %(column)s is not published: kept as a restricted source on the person"
)
_LONG_COMMENT = gettext_noop(
    "the comment is %(length)s characters, more than one source's title holds: kept whole in %(parts)s "
    "restricted sources, numbered (1/%(parts)s) …"
)
# Penalties that keep no one in custody: a fine, restricted freedom at home, another penalty (a suspended term);
# custody.CUSTODIAL names the ones that do, and "" (no regime read) is neither.
NOT_CUSTODY = REGIMES - CUSTODIAL
# The date parser of the list being read: parse_date, or parse_date_month_first for a list whose dates with
# slashes are month first (parsing.slash_order), set by build_records around its rows.
_DATES: ContextVar[Callable[..., PartialDate | None]] = ContextVar("dates", default=parse_date)
# Whether a cell that a spreadsheet would run as a formula is refused: in a table (CSV, XLSX), not in JSON.
_FORMULAS_REFUSED: ContextVar[bool] = ContextVar("formulas_refused", default=True)
_DATE_FIELDS = {
    "birth_date",
    "detained_on",
    "verdict_on",
    "released_on",
    "died_on",
    "recognized_on",
    "event_date",
}
_MONTH_FIRST = gettext_noop(
    "this list writes its dates with slashes month first, as %(example)s shows: each such date is read month "
    "first (12/10/2020 is 2020-12-10)"
)
_VERDICT_BEFORE_DETENTION = gettext_noop(
    "the verdict (%(verdict)s, %(column)s) is dated before the detention (%(detained)s, %(detention)s): "
    "imported as given; check the dates (a verdict in absentia precedes an arrest)"
)
_NO_START_DATE = Message(
    gettext_noop("status says in custody, but no date of detention is given: custody not recorded")
)
_UNKNOWN_LEVEL = gettext_noop(
    "unknown level %(value)s (public, restricted, sealed; публично, ограничено, закрыто; публічна, абмежавана, "
    "закрыта)"
)
_UNKNOWN_VALUE = gettext_noop("unknown value %(value)s (%(known)s)")
# What a JSON value is, for a message that expected text.
_KINDS_OF_VALUE = {
    bool: gettext_noop("true or false"),
    int: gettext_noop("a number"),
    float: gettext_noop("a number"),
    list: gettext_noop("a list"),
    dict: gettext_noop("an object"),
    dt.datetime: gettext_noop("a date"),
    dt.date: gettext_noop("a date"),
}


@dataclass(slots=True)
class Problem:
    line: int
    column: str
    value: str
    message: Message

    def as_dict(self) -> dict[str, Any]:
        """The problem as the JSON summary gives it: the message in words, in the active language."""
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": render(self.message),
        }


@dataclass(slots=True)
class NameSpec:
    text: str
    language: str = ""
    kind: str = "alias"
    script: str = ""
    scheme: str = ""
    confidentiality: str = "public"


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source a file cites for its facts: a list's "Source" column (a link, or a title and its link), or a
    JSON export's source objects. The writers cite the stored source with the same link (or, without one, the
    same title, document and publisher) at the same level, and create it when there is none."""

    title: str
    url: str = ""
    document: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    reliability: str = "medium"
    source_confidentiality: str = "public"
    locator: str = ""
    confidentiality: str = "public"  # the citation's
    # A list's comment column kept as a source (_comment): no publication, whatever its text; not compared, so
    # that it is the same source as one of that title cited otherwise.
    comment: bool = field(default=False, compare=False)

    def source_key(self) -> tuple:
        """Which stored source this is: the one with its link (or, without one, its title, document and
        publisher) at its level."""
        found = (self.url,) if self.url else (self.title, self.document, self.publisher)
        return (*found, self.source_confidentiality)

    def cited_key(self) -> tuple:
        """Whether a fact cites this already: a citation of the same link (or, without one, the same title),
        at whatever place and level. A file may say less than what is stored (a CSV gives no locator, no
        document, one level for two), and saying less is no new citation; a stored citation is never made
        more visible by a file."""
        return ("url", self.url) if self.url else ("title", self.title)


def organisation_key(text: str) -> str:
    """A name of an organisation as two are compared: letter case and spacing aside."""
    return " ".join(text.split()).casefold()


# An organisation's fields as a file gives them and the registry stores them (Organization), in
# OrganizationSpec's order.
ORGANISATION_FIELDS = ("name", "name_be", "name_ru", "kind", "country", "url")


@dataclass(frozen=True, slots=True)
class OrganizationSpec:
    """An organisation a file names: the body that recognised a person or the court that convicted them (an
    event's organisation), or a case's court. The writers take the stored organisation that has one of its
    names, in any script, else create it; the planner's copies of stored events carry the stored one's id."""

    name: str
    name_be: str = ""
    name_ru: str = ""
    kind: str = "other"
    country: str = ""
    url: str = ""
    pk: int | None = None

    def model_fields(self) -> dict[str, str]:
        """The organisation as Organization is created from it."""
        return {name: getattr(self, name) for name in ORGANISATION_FIELDS}

    def keys(self) -> frozenset[str]:
        return frozenset(organisation_key(n) for n in (self.name, self.name_be, self.name_ru) if n)

    def same(self, other: OrganizationSpec) -> bool:
        """Whether the two are one organisation: the same stored one, or (one of them from a file) one that
        shares a name with the other."""
        if self.pk is not None and other.pk is not None:
            return self.pk == other.pk
        return bool(self.keys() & other.keys())


@dataclass(slots=True)
class EventSpec:
    type: str
    date: PartialDate
    column: str = ""
    release_kind: str = ""
    facility: str = ""
    sentence_months: int | None = None
    regime: str = ""
    fine_amount: str = ""
    note: str = ""
    confidentiality: str = "public"
    # A case's court, when the file gives it as an organisation, is its "court" (an OrganizationSpec; None when
    # a JSON export says the case is linked to none).
    case: dict[str, Any] | None = None
    # Who acted (the recognising body, the court): a detail of the fact, compared as the case's are.
    organization: OrganizationSpec | None = None
    # Cited besides the import's own source; not part of the fact (signature), so a file that gives the same
    # fact with another source changes nothing.
    sources: tuple[SourceSpec, ...] = ()
    # The file's line of a row that is one event (a one-row-per-event list): where a problem with the event is
    # said, rather than at the person's first row. 0: the record's own line.
    line: int = field(default=0, compare=False)

    def signature(self) -> tuple:
        """What makes two events the same fact (for idempotent re-imports)."""
        articles = tuple(sorted(article_key(a) for a in (self.case or {}).get("articles", [])))
        return (
            self.type,
            str(self.date),
            self.release_kind,
            facility_key(self.facility),
            self.sentence_months,
            self.regime,
            self.fine_amount,
            articles,
        )


def article_key(article: dict[str, Any]) -> str:
    """An article as two events' articles are compared (its code, number and part)."""
    return f"{article.get('code', 'CC-BY')}:{article.get('article', '')}:{article.get('part', '')}"


@dataclass(slots=True)
class PersonRecord:
    line: int
    raw: dict[str, Any]
    public_id: str = ""
    # The public ids of records merged into this one (a staff export's `merged_ids`): kept as links to the person,
    # so that an id once published still finds them and is never issued to someone else.
    merged_ids: tuple[str, ...] = ()
    external_id: str = ""
    external_id_column: str = ""  # the header it was read under, for a message about the id
    name_column: str = ""  # the header of the name, for a message about whom the name matches
    names: list[NameSpec] = field(default_factory=list)
    display_name: str = ""
    birth: PartialDate | None = None
    birth_column: str = ""  # the header of the birth date, for a message about it
    gender: str = ""
    region: str = ""
    occupation: str = ""
    # What the family agreed to publish (a staff export's): staff read it, as in the admin, at any level.
    consent_note: str = ""
    confidentiality: str = ""
    # A record of the synthetic demo registry (an export of it read back): still marked synthetic, so no
    # invented person reads as a real one.
    synthetic: bool = False
    events: list[EventSpec] = field(default_factory=list)
    # A release the status says how it came but not when ("освобождён по окончании срока"), dated here by the
    # row's detention: the planner fills in the kind of the stored release after it, or says it is not recorded.
    undated_release: EventSpec | None = None
    # The status column, when the status says the custody ended (released, died, left the country) and no date
    # is given: a release read at a verdict then stays, however the sentence is corrected.
    ended_undated: str = ""
    # The status column, when the status says the person is held now: said when the registry holds the custody
    # ended and the row gives no detention since.
    held_now: str = ""
    # The most open level the record's rows give their facts (event_confidentiality; "public" when none; "" when
    # no row gave one): a row that gives no dated fact has a level still. (One string, not a list of them: a
    # list on each of 100,000 records was some 6 MB.)
    rows_level: str = ""
    sources: tuple[SourceSpec, ...] = ()  # cited on the person when the import creates it
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    # Wide rows describe one custody period: a different date for the same kind of event is a conflict.
    singular: bool = True


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return value  # a CSV row: nothing to convert, and no copy (100,000 rows stay in memory)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    return str(value)


# Fields of free text (an event's note, a list's comment), whose lines are kept: "Paragraph one.\n\nParagraph
# two:\n- item" came back from a staff export as one line. Every other field is one line of text.
_FREE_TEXT = {"note", "consent_note"}


def _lines(value: Any) -> str:
    """A free text cell: each line's spacing as _text makes it, its line breaks kept (as LF; a blank line
    between paragraphs too), blank lines before and after dropped."""
    if type(value) is not str or ("\n" not in value and "\r" not in value):
        return _text(value)  # one line: most notes, read as every cell is
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()  # a spreadsheet's date cell, shown as the date it holds, not "… 00:00:00"
    text = " ".join(str(value).split())
    return text


# Fields a row may give in two columns at once (a second "Статья", "Артыкул" beside "Статья"): joined as
# the field's own cell separates its values. Name fields take a list (one name per column).
_JOINED = {
    "articles": ", ",
    "names": " | ",
    "names_restricted": " | ",
    "names_sealed": " | ",
    "sources": " | ",
    "sources_restricted": " | ",
    "sources_sealed": " | ",
    "person_sources": " | ",
    "person_sources_restricted": " | ",
    "person_sources_sealed": " | ",
    "note": "; ",
}
_NAME_FIELDS = {"name", "name_be", "name_ru", "name_en"}
# Fields read by a parser: two columns' values are the same when they parse alike.
_PARSERS: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(
        ("birth_date", "detained_on", "verdict_on", "released_on", "died_on", "recognized_on", "event_date"),
        parse_date,
    ),
    "gender": parse_gender,
    "status": parse_status,
    "sentence": parse_sentence,
}
_TWO_VALUES = gettext_noop(
    "the columns %(first)s and %(second)s both give this, with different values (%(value)s in the second): "
    "row refused; correct one, or map the second to another field with --mapping"
)
_DOUBLES_READ = gettext_noop(
    "the columns %(columns)s name one field (%(field)s): read together, a row's values in both joined"
)
_DOUBLES_ONE = gettext_noop(
    "the columns %(columns)s name one field (%(field)s): a row takes the value given; a row giving two "
    "different values is refused"
)


# Fields of the one-row-per-event shape (spis export --format csv) that a row of one person cannot place: its
# several events would each need their own.
_ONE_EVENT_FIELDS = {
    "event_date",
    "release_kind",
    "sentence_months",
    "regime",
    "fine_amount",
    "event_organization",
}
_READ_PER_EVENT = gettext_noop(
    "the columns %(columns)s give one event's details, and are read only with event_type and event_date (one "
    "row per event): ignored here"
)


# A sources cell of titles beside one of links ("Источник" | "Ссылка"): one link alone, as such a column holds.
_ONE_LINK = re.compile(r"https?://\S+")
# A second articles column that holds the part of the first's article ("342" | "ч.2").
_A_PART = re.compile(r"(?:ч\.?|часть|частка|part)\s*\d", re.IGNORECASE)
# Every sources column: each may come as a column of titles beside one of links.
_CITING_FIELDS = {
    f"{kind}{level}" for kind in ("sources", "person_sources") for level in ("", "_restricted", "_sealed")
}


def _joined(field_name: str, first: str, extra: str) -> str:
    """Two columns' values of one field as one cell: a title and its link as `title <link>` (a list's
    "Источник" and "Ссылка" name one source), an article and its part as one article, others joined as the
    field's cell separates its values."""
    if field_name in _CITING_FIELDS:
        for title, link in ((first, extra), (extra, first)):
            if _ONE_LINK.fullmatch(link.strip()) and "http" not in title and "<" not in title:
                return f"{title.strip()} <{link.strip()}>"
    if field_name == "articles" and _A_PART.match(extra.strip()) and "," not in first:
        return f"{first} {extra}"
    return _JOINED[field_name].join((first, extra))


_ONE_PERSON_FIELDS = {
    "detained_on",
    "verdict_on",
    "released_on",
    "died_on",
    "recognized_on",
    "status",
    "sentence",
}
_READ_PER_PERSON = gettext_noop(
    "the columns %(columns)s give the facts of a list of one row per person, and are not read beside "
    "event_type (one row per event): ignored here"
)


# What an object with a list of events gives in each event, not beside the list.
_BESIDE_EVENTS = _ONE_PERSON_FIELDS | _ONE_EVENT_FIELDS | {
    "event_type", "facility", "articles", "court", "judge", "prosecutor",
    "case_number", "court_organization",
}  # fmt: skip
_READ_IN_EVENTS = gettext_noop(
    "the keys %(columns)s are not read beside a list of events (each event gives its own): ignored here"
)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip()) and value != []


class _Row:
    """One raw row seen through the mapping: typed getters that record problems instead of raising."""

    def __init__(
        self,
        raw: RawRow,
        columns: dict[str, str],
        record: PersonRecord,
        header: dict[str, str] | None = None,
        doubles: dict[str, str] | None = None,
    ) -> None:
        self.raw, self.record = raw, record
        # A note read from several columns: each (header, value), when one is an export's own note.
        self.notes: tuple[tuple[str, Any], ...] = ()
        # field -> header; the same for every row of a file, so callers with many rows pass it in.
        self.header = header if header is not None else {f: h for h, f in columns.items()}
        values = raw.values
        self.values = {f: values.get(h) for h, f in columns.items()}
        if doubles:
            self._read_doubles(doubles)

    def _read_doubles(self, doubles: dict[str, str]) -> None:
        """A later column that names a field an earlier one took, read with it: a field that holds several
        values (names, articles, sources, notes) takes both; another takes the one given, and a row that
        gives two different values is refused, naming both columns (neither is read as the fact)."""
        for column, field_name in doubles.items():
            extra = self.raw.values.get(column)
            if not _given(extra):
                continue
            first = self.values.get(field_name)
            if not _given(first):
                self.values[field_name] = extra
                # A problem with the value names the column it came from.
                self.header = {**self.header, field_name: column}
            elif field_name in _JOINED and isinstance(first, str) and isinstance(extra, str):
                self.values[field_name] = _joined(field_name, first, extra)
                if field_name == "note":
                    # An export's own event note and a list's comment are never one text (_event_note).
                    parts = self.notes or ((self.header.get("note", "note"), first),)
                    self.notes = (*parts, (column, extra))
            elif field_name in _NAME_FIELDS and not isinstance(first, dict) and not isinstance(extra, dict):
                # A JSON list of names is several names; both columns' are the person's.
                listed = (first if isinstance(first, list) else [first]) + (
                    extra if isinstance(extra, list) else [extra]
                )
                self.values[field_name] = listed
            elif _text(first) != _text(extra) and not self._same(field_name, first, extra):
                self.problem(
                    field_name,
                    Message(
                        _TWO_VALUES,
                        first=repr(self.header.get(field_name, field_name)),
                        second=repr(column),
                        value=repr(_clip(_shown(extra.date() if isinstance(extra, dt.datetime) else extra))),
                    ),
                )
                self.values[field_name] = None

    @staticmethod
    def _same(field_name: str, first: Any, extra: Any) -> bool:
        """Whether two cells written differently say the same (`13.03.2021` and `2021-03-13`, a date cell and
        its text): both read by the field's parser to one value."""
        parser = _PARSERS.get(field_name)
        if parser is None:
            return False
        one, other = _parse(parser, first), _parse(parser, extra)
        return not isinstance(one, _Refused) and one == other

    def problem(self, field_name: str, message: Message, value: Any = None) -> None:
        column = self.header.get(field_name, field_name)
        shown = _shown(value if value is not None else self.values.get(field_name))
        problem = Problem(self.raw.line, column, shown[:200], message)
        # A cell read in several places (a status: its words, its date, its end) is said once.
        if problem not in self.record.problems:
            self.record.problems.append(problem)

    def text(self, field_name: str, limit: int | None = None) -> str:
        """The cell as one line of text; refused (a problem, and "") when it is a formula, not text (a JSON
        list or object), or longer than `limit`, the registry field's length."""
        value = self.values.get(field_name)
        if value is None:  # a column the file does not have
            return ""
        if isinstance(value, Formula):
            self.problem(field_name, _formula_without_value(value), value.text)
            return ""
        if type(value) is not str and self._not_text_here(field_name, value):
            self.problem(field_name, _not_text(_EXPECTED_TEXT, value))
            return ""
        text = _lines(value) if field_name in _FREE_TEXT else _text(value)
        if limit is not None and len(text) > limit:
            self.too_long(field_name, text, limit)
            return ""
        typed = self._typed(field_name, text)
        if typed and field_name in _NO_CONTACTS and has_contact(typed):
            self.problem(field_name, _CONTACTS_REFUSED, typed)
            return ""
        if typed and field_name in _NO_ADDRESSES and has_address(typed):
            self.problem(field_name, _ADDRESS_REFUSED, typed)
            return ""
        return "" if typed is None else typed

    @staticmethod
    def _not_text_here(field_name: str, value: Any) -> bool:
        """Whether a cell that is no text (a JSON value, a workbook's number) is refused where text is read: a
        list, an object or true/false always (read as "True", an occupation was stored so, and a status false
        was read as none); a number from a JSON file except where a field may be one (an id, a term in months,
        a fine, a case number). A workbook's number is its cell as shown (a region's code, a year)."""
        if isinstance(value, list | dict | bool):
            return True
        return (
            isinstance(value, int | float)
            and not _FORMULAS_REFUSED.get()
            and field_name not in _NUMBERS_AS_TEXT
        )

    def _typed(self, field_name: str, text: str, value: Any = None) -> str | None:
        """`text` as it was typed: the neutralising quote our CSV export puts before =, +, -, @ undone; None
        (and a problem) for what a spreadsheet would run as a formula."""
        if not _FORMULAS_REFUSED.get():
            return text  # JSON: as written (no quote of ours to undo either)
        if text[:1] == "'" and is_quoted(text):
            return text[1:]
        if looks_like_formula(text):
            self.problem(field_name, _FORMULA, value)
            return None
        return text

    def too_long(self, field_name: str, text: str, limit: int) -> None:
        message = Message(TOO_LONG, length=len(text), limit=limit)
        self.problem(field_name, message, _clip(text))

    def level(self, field_name: str) -> str | None:
        """A confidentiality level, in any case ("Sealed"); "" when the cell is empty, None (and a problem)
        when it names no level: an unknown level is never read as public."""
        before = len(self.record.problems)
        text = self.text(field_name)
        if len(self.record.problems) > before:  # refused as it stands (a formula, too long …)
            return None
        word = " ".join(text.lower().split())
        if not word or word in LEVELS:
            return word
        if word in LEVEL_WORDS:
            return LEVEL_WORDS[word]
        self.problem(field_name, Message(_UNKNOWN_LEVEL, value=repr(text)))
        return None

    def names(self, field_name: str) -> list[str]:
        """A name cell: text, or (JSON) a list of texts, each a name of its own; a number or an object is no
        name."""
        return self._name_texts(field_name, self.values.get(field_name))

    def _name_texts(self, field_name: str, value: Any) -> list[str]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        if isinstance(value, Formula):
            self.problem(field_name, _formula_without_value(value), value.text)
            return []
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            bad = next(item for item in items if not isinstance(item, str))
            self.problem(
                field_name, _not_text(gettext_noop("a name must be text, found %(found)s"), bad), value
            )
            return []
        found = []
        for item in items:
            typed = self._typed(field_name, _text(item), item)
            if typed is None:
                continue
            text = typed
            if len(text) > NAME_LENGTH:
                self.too_long(field_name, text, NAME_LENGTH)
            elif field_name in _NO_CONTACTS and has_contact(text):
                self.problem(field_name, _CONTACTS_REFUSED, text)
            elif field_name in _NO_ADDRESSES and has_address(text):
                self.problem(field_name, _ADDRESS_REFUSED, text)
            elif text:
                found.append(text)
        return found

    def names_by_language(self, field_name: str) -> list[tuple[str, str]]:
        """A name cell's names with the language each is given in: a JSON object keyed by language code
        (`{"ru": "Гусев Константин", "be": "Гусеў Канстанцін"}`, a partner's shape) gives its own; a text or a
        list of texts gives none ("")."""
        value = self.values.get(field_name)
        if value is None:
            return []  # a column the file does not have (three of a row's four name fields, most often)
        if not isinstance(value, dict):
            return [(text, "") for text in self._name_texts(field_name, value)]
        found = []
        for key, texts in value.items():
            language = str(key).lower()
            if language in _SCRIPT_KEYS:
                language = ""  # a partner's "lat" is the Latin script, not the Latin language: detected
            elif not (_LANGUAGE.fullmatch(language) and len(language) <= LANGUAGE_LENGTH):
                message = gettext_noop(
                    "a name object's keys are language codes (be, ru, en …), found %(key)s"
                )
                self.problem(field_name, Message(message, key=repr(key)), value)
                return []
            found += [(text, language) for text in self._name_texts(field_name, texts)]
        return found

    def parse(self, field_name: str, parser: Any) -> Any:
        value = self.values.get(field_name)
        if value is None:
            return None
        if isinstance(value, Formula):
            self.problem(field_name, _formula_without_value(value), value.text)
            return None
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if looks_like_formula(value) and _FORMULAS_REFUSED.get():
                self.problem(field_name, _FORMULA)
                return None
        elif isinstance(value, bool):
            # true or false is no date, status, gender or term (a status false was read as none, unsaid).
            self.problem(field_name, _not_text(_EXPECTED_TEXT, value))
            return None
        if parser is parse_date:
            parser = _DATES.get()  # month first in a list that writes its dates so (build_records)
        elif parser is parse_status and _DATES.get() is parse_date_month_first:
            parser = parse_status_month_first  # "освобожден 05/12/2023" in that list is 2023-05-12
        try:
            found = _PARSED.get((parser, value), _MISSING)
        except TypeError:  # a list or a mapping from a JSON file: not cacheable, parse it each time
            found, value = _parse(parser, value), None
        if found is _MISSING:
            if len(_PARSED) > 100_000:
                _PARSED.clear()
            found = _PARSED[(parser, value)] = _parse(parser, value)
        if isinstance(found, _Refused):
            self.problem(field_name, found.message)
            return None
        return found


def is_quoted(text: str) -> bool:
    """Whether a CSV cell is one our export quoted (export.neutralise): a `'` before quotes and then =, +, - or
    @; the import takes that one quote off, so a cell that began with its own `'=` reads back as it was."""
    return text[:1] == "'" and text.lstrip("'")[:1] in ("=", "+", "-", "@")


def _formula_without_value(formula: Formula) -> Message:
    return Message(
        gettext_noop(
            "a formula without a value: %(formula)s (open and save the file in a spreadsheet program, "
            "or type the value)"
        ),
        formula=formula.text,
    )


def _not_text(template: str, value: Any) -> Message:
    found = _KINDS_OF_VALUE.get(type(value))
    return Message(template, found=Message(found) if found else type(value).__name__)


_EXPECTED_TEXT = gettext_noop("expected text, found %(found)s")
# Fields whose JSON value may be a number, read as the number's text (200 is "200"): ids and counts.
_NUMBERS_AS_TEXT = {"external_id", "case_number", "sentence_months", "fine_amount"}


def _shown(value: Any) -> str:
    """A cell as a problem shows it: its text; a JSON list, object or true/false as JSON (`["a", "b"]`,
    `true`), which the file wrote, not as Python prints it (`['a', 'b']`, `True`)."""
    if type(value) is str or not isinstance(value, list | dict | bool) or _FORMULAS_REFUSED.get():
        return _text(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _clip(text: str) -> str:
    """A long value as a problem shows it: its start, enough to find the cell."""
    return text if len(text) <= 40 else text[:40] + "…"


# Parsed cells by (parser, text): a list repeats its dates, sentences and statuses thousands of times, and
# the parsers are pure and give immutable values, so one result (or error) serves every repeat.
_PARSED: dict[tuple, Any] = {}
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Refused:
    message: Message


def _parse(parser: Any, value: Any) -> Any:
    try:
        return parser(value)
    except CellError as exc:
        # The message only: an exception kept in the cache would keep its traceback's frames alive.
        return _Refused(exc.message)


def build_records(table: Table, mapping: Mapping) -> tuple[list[PersonRecord], list[str], list[Problem]]:
    """Person records, the ignored headers, and file-level problems (such as no name column)."""
    # A JSON file is no spreadsheet: its text is never run as a formula, and a staff export's note "-…" or
    # occupation "=…" is read back as written (refused, the export did not import back into an empty registry).
    refused = _FORMULAS_REFUSED.set(not table.keyed)
    try:
        return _build_records(table, mapping)
    finally:
        _FORMULAS_REFUSED.reset(refused)


def _build_records(table: Table, mapping: Mapping) -> tuple[list[PersonRecord], list[str], list[Problem]]:
    index = mapping.index()

    def resolve(headers: list[str]) -> dict[str, str]:
        return mapping.resolve(headers, index).mapped

    if table.sheet_name and says_who_may_see(table.sheet_name):
        # A workbook's sheet "Не публиковать" was read as any list: its people public.
        refusal = Message(_SHEET_SAYS_WHO_MAY_SEE, sheet=repr(table.sheet_name))
        return [], [], _file_problems(table, 1, refusal)

    try:
        # The header row is the first that names a person (a list's title may stand above it); the mapping
        # tells sub-headings under it from a first row of data.
        table.find_header(lambda headers: _names_a_person(resolve(headers)), resolve)
    except NoRows as exc:
        if _export_header(table.columns):
            return [], [], []  # `spis export --changed-since` when nothing changed: a file of no rows
        return [], [], _file_problems(table, exc.line, exc.message)
    except ReadError as exc:
        return [], [], _file_problems(table, exc.line, exc.message)
    if table.keyed and not table.rows:
        return [], [], []  # `[]`: a JSON export of nobody (a change file when nothing changed)
    refused = [r for r in table.rows if r.error is not None]
    rows = [r for r in table.rows if r.error is None] if refused else table.rows
    mapper = _own_keys if table.keyed else _header_keys
    columns_of, columns, ignored, doubles = mapper(rows, mapping, table.columns)
    # A list in blocks repeats its header over each (after a heading "Гомельская область"): no person.
    rows, repeats = _without_repeated_header(rows, columns, table)
    rows, withdrawn = _without_withdrawals(rows, table.keyed)
    if withdrawn:
        ignored = [h for h in ignored if fold_header(h) != _WITHDRAWN_AT]
        if not rows:
            # A public change file of a day that only withdrew people: nothing to import, said of the file (a
            # mirror applying the day's file failed on it).
            ids = [public_id for _, public_id in withdrawn]
            table.notes.append(Message(_WITHDRAWALS, count=len(ids), ids=", ".join(ids[:10])))
            return [], ignored, []
    # The shape is each object's own (a partner's JSON may give one person a list of events and the others
    # their facts as a row of one person gives them); a table's rows are text, never a list of events.
    nested = [r for r in rows if _nested(r)] if table.keyed else []
    flat = [r for r in rows if not _nested(r)] if nested else rows
    if nested:
        ignored = [c for c in ignored if c not in ("events", "names")]
    if not nested and {"schema", "properties"} <= set(table.columns):
        refusal = Message(
            gettext_noop(
                "a FollowTheMoney export (schema, properties) is for other tools to read, not to import: "
                "import the JSON or CSV export (spis export --format json|csv)"
            )
        )
        return [], [], _file_problems(table, table.header_line, refusal)
    unread_levels = [h for h in ignored if says_who_may_see(h)]
    if unread_levels:
        # "Не публиковать: да" beside a person was dropped with the other ignored columns: the person public.
        refusal = Message(
            gettext_noop(
                "column %(columns)s seems to say who may see the rows, but it is not a column the import reads: "
                "give it as confidentiality (the person's level: public, restricted, sealed) or "
                "event_confidentiality in a mapping file (--mapping), or remove it"
            ),
            columns=unread_levels,
        )
        return [], ignored, _file_problems(table, table.header_line, refusal)
    if not nested and not _names_a_person(columns):
        refusal = Message(gettext_noop("no name column (expected e.g. 'ФИО', 'Імя', 'Name')"))
        return [], ignored, _file_problems(table, table.header_line, refusal)
    # Each shape leaves some mapped fields unread (_not_read_here): said, and listed as ignored.
    records: list[PersonRecord] = []
    if nested:
        records = [_nested_record(r, *columns_of(r)[::2]) for r in nested]
        # Facts beside an object's list of events (a date of detention, a place) belong to no event of it; said
        # on the first object that has both, naming the keys of those objects only.
        beside_columns = _columns_of_rows(nested, columns_of)
        if _derived_status(nested):
            # `spis export --format json` writes each person's status, derived from the events beside it: the
            # export's own, nothing the file says that the events do not.
            beside_columns.pop("status", None)
            ignored = [h for h in ignored if h != "status"]
        beside = _not_read_here(beside_columns, _BESIDE_EVENTS, _READ_IN_EVENTS, records)
        ignored += [h for h in beside if h not in ignored]
    if flat:
        flat_columns = _columns_of_rows(flat, columns_of) if nested else columns
        # A list that writes its dates month first (08/21/2020) is read so throughout (parse_date_month_first).
        dated = [h for h, f in flat_columns.items() if f in _DATE_FIELDS or f == "status"]
        order = slash_order(r.values.get(h) for r in flat for h in dated)
        dates = _DATES.set(parse_date_month_first if order else parse_date)
        # A key read in the rows of one person is not the file's ignored column (the note names its objects).
        ignored = [h for h in ignored if h not in flat_columns]
        try:
            if "event_type" in flat_columns.values():
                found = _long_records(flat, columns_of)
                # The facts of a row of one person (a date of detention, a status): each row is one event.
                unread = _not_read_here(flat_columns, _ONE_PERSON_FIELDS, _READ_PER_PERSON, found)
            else:
                found = [_wide_record(r, *columns_of(r), mapping) for r in flat]
                # Fields of one event each, which a row of one person cannot place on any of its events.
                unread = _not_read_here(flat_columns, _ONE_EVENT_FIELDS, _READ_PER_EVENT, found)
        finally:
            _DATES.reset(dates)
        ignored += [h for h in unread if h not in ignored]
        if order and found:
            found[0].warnings.append(Message(_MONTH_FIRST, example=repr(order[1])))
        records += found
        if nested:
            records.sort(key=lambda r: r.line)
    if refused:
        records += [_refused_record(r) for r in refused]
        records.sort(key=lambda r: r.line)
    _say_repeats(records, repeats)
    if withdrawn and records:
        ids = [public_id for _, public_id in withdrawn]
        records[0].warnings.append(Message(_WITHDRAWALS, count=len(ids), ids=", ".join(ids[:10])))
    if (table.skipped or table.subheader_line) and records:
        # No file-wide notes in a batch's report: the first row carries it, where the editor looks first.
        records[0].warnings.append(_header_lines(table))
    if doubles and records:
        records[0].warnings.extend(_doubles_notes(columns, doubles, "event_type" in columns.values()))
    unfound = _mapped_unfound(mapping, columns, ignored)
    if unfound and records:
        records[0].warnings.append(unfound)
    if table.notes and records:
        # The same for the reader's notes (a workbook's sheets not read), on the first row that is not refused
        # as it stands: the summary lists the notes of the rows imported.
        noted = next((r for r in records if not r.problems), records[0])
        noted.warnings.extend(table.notes)
    for record in records:
        # An event's sources are cited at its level at least, wherever they are cited: a restricted row that
        # repeats a public fact cited its source (a witness's name, a link) on that fact publicly.
        for spec in [*record.events, *filter(None, [record.undated_release])]:
            spec.sources = _cited_at_least(spec.sources, spec.confidentiality)
        _said_not_to_publish(record)
        _born_after(record)
    return records, ignored, []


_MAPPED_UNFOUND = gettext_noop(
    "the mapping %(mapping)s reads %(fields)s, but the file has none of its headers for it; the file's columns "
    "%(ignored)s are not read: is one of them meant (a header spelt otherwise)?"
)


def _mapped_unfound(mapping: Mapping, columns: dict[str, str], ignored: list[str]) -> Message | None:
    """The fields a mapping file reads whose headers the file does not have, said when the file has columns
    the import does not read: a header spelt otherwise than the mapping's ("Дата задержаня") left its field
    unread, with nothing said but the column among those ignored."""
    if not mapping.variants or not ignored:
        return None
    found = set(columns.values())
    unfound = [
        f"{name} ({', '.join(map(repr, words[:3]))})"
        for name, words in mapping.variants.items()
        if name not in found
    ]
    if not unfound:
        return None
    return Message(
        _MAPPED_UNFOUND, mapping=repr(mapping.name), fields=unfound, ignored=list(map(repr, ignored[:10]))
    )


_BORN_AFTER = gettext_noop(
    "birth date %(date)s is after %(column)s %(on)s: one of them is wrong; row refused (correct the date, or "
    "leave the birth date empty)"
)
_BORN_YOUNG = gettext_noop(
    "birth date %(date)s makes the person %(age)s at %(column)s %(on)s, younger than the age of criminal "
    "responsibility (14): check the date (an Excel day number, or an event's date typed as the birth's?)"
)


def _born_after(record: PersonRecord) -> None:
    """Refuses a row whose birth date is after one of its events (`15.03.2022` beside a detention of 2021), and
    says a birth that makes the person under 14 at the first event (a detention's date typed as the birth's)."""
    if record.birth is None or record.problems or not record.events:
        return
    first = min(record.events, key=lambda e: e.date.value)
    column = repr(first.column) if first.column else first.type
    if record.birth.value > first.date.latest():
        message = Message(_BORN_AFTER, date=str(record.birth), column=column, on=str(first.date))
        record.problems.append(Problem(record.line, record.birth_column, str(record.birth), message))
        return
    age = first.date.value.year - record.birth.latest().year
    if age < 14:
        record.warnings.append(
            Message(_BORN_YOUNG, date=str(record.birth), age=max(age, 0), column=column, on=str(first.date))
        )


# Words in a cell that ask not to publish (`семья просит не публиковать`, `в СИЗО (не публиковать)`, `без
# огласки`, `do not publish`): the forms of a request, not of a report (`приговор не опубликован` is none).
_NOT_TO_PUBLISH = re.compile(
    r"\bне\s+(?:для\s+(?:публик|публік|печат|сайт|соцсет|огласк|агалоск|разглаш|разгалош)|(?:публиковать|"
    r"публикуйте|публікаваць|публікуйце|опубликовывать|апублікоўваць|разглашать|разгалошваць|показывать|"
    r"паказваць|выкладывать|выкладваць|называть|называць|распространять)(?!\s+(?:их\s+|его\s+|её\s+|яе\s+)?"
    # …unless it names what, which the import never publishes from a cell (`не публиковать адрес`)
    r"(?:адрес|адрас|телефон|тэлефон|контакт|кантакт|номер|фото)))|"
    r"(?:\bбез|\bпротив|\bсупраць)\s+(?:публикац|публікац|огласк|агалоск)|\bконфиденциально\b|"
    r"\bканфідэнцыяльна\b|\b(?:do\s+not|don'?t)\s+(?:publish|disclose|share|post|name)\b|"
    r"\bnot\s+for\s+(?:publication|publishing)\b|\bconfidential\b|\boff\s+the\s+record\b",
    re.I,
)
_SAID_NOT_TO_PUBLISH = gettext_noop(
    "%(words)s asks not to publish, but the row is public: the import cannot tell which of the row's facts it "
    "means, so the row is refused; give the row's level in a level column (restricted or sealed: "
    "`Конфиденциальность: ограничено`), or remove the words"
)


def _said_not_to_publish(record: PersonRecord) -> None:
    """Refuses a public row (own_level) any cell of which asks not to publish it (_NOT_TO_PUBLISH): the person
    was created public, the words kept where only staff read them. A row at a stricter level says so itself."""
    if record.problems or own_level(record) != "public":
        return
    for header, value in record.raw.items():
        if isinstance(value, str) and (found := _NOT_TO_PUBLISH.search(value)):
            message = Message(_SAID_NOT_TO_PUBLISH, words=repr(found[0]))
            record.problems.append(Problem(record.line, str(header), _clip(value), message))
            return


def _not_read_here(
    columns: dict[str, str], fields: set[str], template: str, records: list[PersonRecord]
) -> list[str]:
    """The headers mapped to `fields`, which this shape of file does not read: named on the first row (with
    `template`), to be listed as ignored, never dropped unseen."""
    unread = [h for h, f in columns.items() if f in fields]
    if not unread or not records:
        return []
    records[0].warnings.append(Message(template, columns=", ".join(map(repr, unread))))
    return unread


_REPEATED_HEADER = gettext_noop(
    "line %(line)s repeats the header row (a list in blocks, each under its own header): skipped, no person"
)


def _without_repeated_header(
    rows: list[RawRow], columns: dict[str, str], table: Table
) -> tuple[list[RawRow], list[int]]:
    """The rows without those that repeat the header (each cell given is its column's heading), and the lines
    of those: said on the row after each (_say_repeats), never imported as a person named "ФИО"."""
    name_header = next((h for h, f in columns.items() if f in _PERSON_NAME_FIELDS), None)
    if table.keyed or name_header is None:
        return rows, []
    heading = name_header.casefold()
    repeats = []
    for raw in rows:
        value = raw.values.get(name_header)
        # The name cell first: one comparison for each of a long list's rows.
        if isinstance(value, str) and " ".join(value.split()).casefold() == heading and _repeats_header(raw):
            repeats.append(raw.line)
    if not repeats or len(repeats) == len(rows):  # nothing but the header again: refused as rows, as before
        return rows, []
    skipped = set(repeats)
    return [r for r in rows if r.line not in skipped], repeats


# Headings of `spis export --format csv` (staff or public, full or a change file), as it writes them: a header
# with them and no rows under it is an export that lists nobody (nothing changed since), not a list left empty.
_EXPORT_HEADINGS = frozenset(fold_header(h) for h in ("public_id", "display_name", "names", "event_type"))


def _export_header(columns: list[str]) -> bool:
    return {fold_header(c) for c in columns} >= _EXPORT_HEADINGS


# A public change file (`spis export --public --changed-since`) ends with the people withdrawn from public view
# since: a public id and the moment, no name. For a mirror to remove; the import never withdraws a person.
_WITHDRAWN_AT = fold_header("withdrawn_at")
_PUBLIC_ID = fold_header("public_id")
_WITHDRAWALS = gettext_noop(
    "people withdrawn from public view that the file lists (a change file's withdrawals: %(count)s, %(ids)s): "
    "not imported; the import never withdraws a person (set their level in the admin)"
)


def _without_withdrawals(rows: list[RawRow], keyed: bool) -> tuple[list[RawRow], list[tuple[int, str]]]:
    """The rows without a change file's withdrawals, and those (line, public id): a row of a public id and
    `withdrawn_at` alone (a row that gives anything else, a name, is a person's, read as one)."""
    if rows and not keyed and all(fold_header(h) != _WITHDRAWN_AT for h in rows[0].values):
        return rows, []  # a table's rows share its headings: none is withdrawn_at
    folded: dict[str, str] = {}  # a heading's fold, once per heading (a table's rows share theirs)

    def fold(header: str) -> str:
        if header not in folded:
            folded[header] = fold_header(header)
        return folded[header]

    withdrawn: list[tuple[int, str]] = []
    kept: list[RawRow] = []
    for raw in rows:
        marks = [h for h in raw.values if fold(h) == _WITHDRAWN_AT]
        if not marks or not any(_text(raw.values[h]) for h in marks):
            kept.append(raw)
            continue
        filled = {fold(h) for h, v in raw.values.items() if _text(v)}
        if not filled <= {_WITHDRAWN_AT, _PUBLIC_ID}:
            kept.append(raw)  # a person's row, with a name or facts: read as one
            continue
        public_id = next((_text(v) for h, v in raw.values.items() if fold(h) == _PUBLIC_ID), "")
        withdrawn.append((raw.line, public_id))
    return (kept, withdrawn) if withdrawn else (rows, [])


def _repeats_header(raw: RawRow) -> bool:
    filled = [(header, text) for header, value in raw.values.items() if (text := _text(value))]
    return bool(filled) and all(fold_header(text) == fold_header(header) for header, text in filled)


def _say_repeats(records: list[PersonRecord], lines: list[int]) -> None:
    """A note on the row after each skipped repeat of the header (the last row for one below the list); the
    records are in line order (a list of many blocks is not walked once per block)."""
    if not lines or not records:
        return
    starts = [r.line for r in records]
    for line in lines:
        # The next row that is imported (a refused row's notes are not shown), else the last that is.
        at = bisect.bisect_right(starts, line)
        after = next((r for r in records[at:] if not r.problems), None)
        after = after or next((r for r in reversed(records[:at]) if not r.problems), records[-1])
        after.warnings.append(Message(_REPEATED_HEADER, line=line))


# A person's status as `spis export --format json` writes it (registry Person.Status): derived from the events.
_DERIVED_STATUSES = frozenset({"in_custody", "released", "died", "at_liberty"})


def _derived_status(rows: list[RawRow]) -> bool:
    """Whether every object's `status` is the export's (one the registry derives, beside the public id the
    export writes for each person), or none is given. A partner's `"status": "released"` beside a list of
    events that gives no release is still said."""
    return all(
        "status" not in raw.values
        or (
            isinstance(raw.values["status"], str)
            and raw.values["status"] in _DERIVED_STATUSES
            and bool(_text(raw.values.get("public_id")))
        )
        for raw in rows
    )


def _columns_of_rows(rows: list[RawRow], columns_of: Callable[[RawRow], _Mapped]) -> dict[str, str]:
    """{header: field} of these rows' own keys (a JSON file's objects map each their own)."""
    found: dict[str, str] = {}
    seen: set[int] = set()
    for raw in rows:
        mapped = columns_of(raw)
        if id(mapped) not in seen:  # one mapping per distinct set of keys
            seen.add(id(mapped))
            for header, field_name in mapped[0].items():
                found.setdefault(header, field_name)
    return found


def _doubles_notes(columns: dict[str, str], doubles: dict[str, str], per_event: bool) -> list[Message]:
    """What the file's columns that name one field are read as: the documenter sees that the second
    "Статья" was read, and how (`per_event`: a one-row-per-event list, whose own note and comment are apart)."""
    by_field: dict[str, list[str]] = {}
    for header, field_name in columns.items():
        by_field.setdefault(field_name, [header])
    for header, field_name in doubles.items():
        by_field.setdefault(field_name, []).append(header)
    notes = []
    for field_name, headers in by_field.items():
        if per_event and field_name == "note" and len({_own_note(h) for h in headers}) > 1:
            continue  # an event's own note and a list's comment: each read as what it is, and said (_comment)
        if len(headers) > 1:
            template = _DOUBLES_READ if field_name in _JOINED or field_name in _NAME_FIELDS else _DOUBLES_ONE
            notes.append(Message(template, columns=", ".join(map(repr, headers)), field=field_name))
    return notes


def _header_lines(table: Table) -> Message:
    """Where the header was found: below a title (the lines skipped), over two lines, or both."""
    skipped = ", ".join(str(n) for n in table.skipped)
    if not table.subheader_line:
        return Message(
            gettext_noop("the header row is line %(line)s; the lines above it were skipped (%(lines)s)"),
            line=table.header_line,
            lines=skipped,
        )
    if not table.skipped:
        return Message(
            gettext_noop("the header is lines %(line)s and %(second)s (sub-headings under headings)"),
            line=table.header_line,
            second=table.subheader_line,
        )
    return Message(
        gettext_noop(
            "the header is lines %(line)s and %(second)s (sub-headings under headings); the lines above it "
            "were skipped (%(lines)s)"
        ),
        line=table.header_line,
        second=table.subheader_line,
        lines=skipped,
    )


# A heading that speaks of who may see a row ("Не публиковать", "Секретно", "Private"): never dropped unread.
_SAYS_WHO_MAY_SEE = re.compile(
    # matched against the folded heading (mapping.fold_header: lower case, words apart)
    r"^(?:не|запрет\w*|забарон\w*|без)\s+(?:для\s+|на\s+)?(?:публик|публік|показ|паказ|раскры|раскрыв|разглаш|"
    r"разгалош|распростран)|"
    r"^(?:публикация|публікацыя|публичность|публічнасць|приватность|прыватнасць|конфиденциальн\w*|"
    r"канфідэнцыяльн\w*|секретность|сакрэтнасць|видимость|бачнасць|скрыт\w*|схаван\w*|закрыт\w*|аноним\w*|"
    r"ананім\w*|доступ|уровень доступа|узровень доступу|публиковать|публікаваць|не публиковать|показывать|"
    r"показывать на сайте|согласие\w*(?:\s+\w+){0,3})$|"
    r"^(?:согласие|згода)\s+на\s+(?:публикац|публікац|размещ|разме)|"
    r"^закрыт\w* (?:информац|інфармац|данн|звестк)|для служебного|для службовага|только для своих|толькі для сваіх|внутренн\w* пользован|унутран\w* карыстан|"
    r"^(?:do not|don t|dont|not)\s+(?:publish|show|disclose)|not for publication|internal use|"
    r"^(?:hidden|hide|private|privacy|public|publish|visible|visibility|confidential\w*|secret|secrecy|"
    r"anonymous|consent|show on site|sealed|restricted)$",
    re.I,
)
# Words that speak of who may see a row wherever they stand in a heading (`Уровень секретности`, `Можно
# публиковать`, `Только для сотрудников`, `Родные против публикации`, `Consent to publish`): a stem no other
# heading of a list holds (`публиков` is the verb, not `Публикации` or `Ссылка на публикацию`; `publish` not
# `Publisher`).
_WHO_MAY_SEE_WORDS = re.compile(
    r"(?:^|\s)(?:конфиденц|конфеденц|конф$|канфідэнц|канфедэнц|секретност|сакрэтнасц|секретно$|гриф|дсп$|"
    r"дсп\s|огласк|агалоск|агалосц|публиков|опубликов|публікав|апублікав|согласи|згод|privacy|private|sensitiv|confidential|"
    r"consent|publish(?!er)|staff only)|"
    r"(?:для|на)\s+сайт|(?:только|толькі)\s+для|для\s+(?:сотрудник|супрацоўнік)|(?:против|супраць)\s+"
    r"(?:публик|публік|огласк|агалоск)|(?:статус|разрешени\w*|дазвол\w*)\s+(?:на\s+)?(?:публик|публік)|"
    r"(?:уровень|режим|узровень|рэжым)\s+(?:доступ|секретност|сакрэтнасц)|(?:access|privacy)\s+level",
)
_SHEET_SAYS_WHO_MAY_SEE = gettext_noop(
    "the sheet read, %(sheet)s, seems by its name to say who may see its rows, but the import reads no level "
    "from a sheet's name: give the rows' level in a column (confidentiality, or event_confidentiality for the "
    "level of all a row says), or rename the sheet"
)
# What a heading may add to its words: the answers its cells give (`Публиковать (да/нет)`, `Public (Y/N)`),
# and `is` of a key (`is_public`).
_YES_NO_ADDED = re.compile(r"^is\s+|(?:\s+(?:да|нет|так|не|y|n|yes|no))+$")


def says_who_may_see(heading: str) -> bool:
    """Whether a heading (or a sheet's name) speaks of who may see the rows under it: folded (lower case, words
    apart, a Latin i typed for і read as і), as a whole without the answers it adds, or by its words."""
    folded = (
        fold_header(heading).replace("i", "і")
        if re.search("[а-яёіў]", heading, re.I)
        else fold_header(heading)
    )
    bare = _YES_NO_ADDED.sub("", folded)
    return bool(_SAYS_WHO_MAY_SEE.search(bare) or _WHO_MAY_SEE_WORDS.search(folded))


def _file_problems(table: Table, line: int, message: Message) -> list[Problem]:
    """Why the file cannot be imported; in a workbook of several sheets, naming the sheet read, with the
    reader's notes (the sheets not read: the list may be on one of them)."""
    if not table.sheet:
        return [Problem(line, "", "", message)]
    problem = Problem(
        line,
        "",
        "",
        Message(gettext_noop("sheet %(sheet)s: %(message)s"), sheet=repr(table.sheet), message=message),
    )
    return [problem, *(Problem(line, "", "", note) for note in table.notes)]


# A row's {header: field}, {field: header}, and {header: field} of its later columns naming a taken field.
_Mapped = tuple[dict[str, str], dict[str, str], dict[str, str]]


def _header_keys(
    rows: list[RawRow], mapping: Mapping, header: list[str]
) -> tuple[Callable[[RawRow], _Mapped], dict[str, str], list[str], dict[str, str]]:
    """A table's header mapped once, for all its rows; the headers mapped, those ignored, and the later
    columns that name a field an earlier one took."""
    columns, ignored, doubles = mapping.resolve(header)
    mapped = (columns, {f: h for h, f in columns.items()}, doubles)
    return (lambda raw: mapped), columns, ignored, doubles


def _own_keys(
    rows: list[RawRow], mapping: Mapping, order: list[str]
) -> tuple[Callable[[RawRow], _Mapped], dict[str, str], list[str], dict[str, str]]:
    """Each JSON object's own keys mapped: a key is a synonym of another only within one object, so that in a
    file giving the name as "name" in some objects and "ФИО" in others both are read (the union of the keys
    would map the first and ignore the other). Each distinct set of keys is mapped once. Also every key
    mapped somewhere, and the keys ignored somewhere (in the file's order): a uniform file's are the same as
    its header's."""
    index = mapping.index()
    by_keys: dict[tuple[str, ...], _Mapped] = {}
    mapped: dict[str, str] = {}
    ignored: set[str] = set()
    doubled: dict[str, str] = {}
    for raw in rows:
        keys = tuple(raw.values)
        if keys not in by_keys:
            columns, skipped, doubles = mapping.resolve(list(keys), index)
            by_keys[keys] = (columns, {f: h for h, f in columns.items()}, doubles)
            for header, field_name in columns.items():
                mapped.setdefault(header, field_name)
            ignored.update(skipped)
            doubled.update(doubles)

    def columns_of(raw: RawRow) -> _Mapped:
        return by_keys[tuple(raw.values)]

    return columns_of, mapped, [h for h in order if h in ignored], doubled


def _nested(raw: RawRow) -> bool:
    """The shape `spis export --format json` writes: a list of events, or of name objects."""
    names = raw.values.get("names")
    return isinstance(raw.values.get("events"), list) or (
        isinstance(names, list) and any(isinstance(item, dict) for item in names)
    )


def _names_a_person(columns: dict[str, str]) -> bool:
    return bool(set(columns.values()) & {*_PERSON_NAME_FIELDS, "public_id"})


def _refused_record(raw: RawRow) -> PersonRecord:
    """A line the reader could not read (a JSON line that is not JSON, a cell beyond the header): an error
    row of its own, with the cells that were read (else the line's text) kept as its raw content."""
    record = PersonRecord(raw.line, _jsonable(raw.values) if raw.values else {"line": raw.text})
    record.warnings.extend(raw.notes)
    record.problems.append(Problem(raw.line, raw.column, _clip(raw.text), raw.error or _MISSING_NAME))
    return record


@lru_cache(maxsize=100_000)
def detect_language(text: str) -> str:
    from spis.names import detect_language as detect

    return detect(text)


_NAME_PARTS = ("surname", "given_name", "patronymic")
_PERSON_NAME_FIELDS = {"name", "name_be", "name_ru", "name_en", "display_name", *_NAME_PARTS}


def _name_parts(row: _Row, record: PersonRecord) -> list[str]:
    """The parts of a name given in columns of their own (surname, given name, patronymic), in that order. A
    part without a letter ("—", "-": a patronymic the list does not know) is none; a stand-in for a part
    ("Имя скрыто") is left out and said, and a surname that is one is the whole name's stand-in (the row is
    refused as such, _no_name), never glued into a name ("Петров Имя скрыто", "Кузьмин Кирилл -")."""
    parts = []
    for field_name in _NAME_PARTS:
        part = row.text(field_name) if field_name in row.header else ""
        if not part or not _LETTER.search(part):
            continue
        if _is_placeholder(part):
            if field_name == "surname":
                return [part]
            column = row.header.get(field_name, field_name)
            record.warnings.append(Message(_STAND_IN_LEFT_OUT, name=repr(part), column=repr(column)))
            continue
        parts.append(part)
    return parts


def _names_from_row(row: _Row, record: PersonRecord) -> None:
    for field_name, language in (("name", ""), ("name_be", "be"), ("name_ru", "ru"), ("name_en", "en")):
        # A JSON list of names is several names, as "names" separated by " | " is in a row; an object gives
        # each name's language.
        for text, given in row.names_by_language(field_name):
            lang = given or language or _language(text, detect_language)
            if not any(n.text == text for n in record.names):
                record.names.append(NameSpec(text, lang, "alias"))
    whole = " ".join(_name_parts(row, record))
    if len(whole) > NAME_LENGTH:
        row.too_long(next(f for f in _NAME_PARTS if f in row.header), whole, NAME_LENGTH)
    elif whole and not any(n.text == whole for n in record.names):
        record.names.append(NameSpec(whole, _language(whole, detect_language), "alias"))
    listed = row.values.get("names")
    if isinstance(listed, list):
        # The nested shape's list is read by _nested_record; elsewhere a list of texts is names too.
        parts = [] if _nested(row.raw) else row.names("names")
    else:
        parts = _names_in(row.text("names"))
    _listed_names(row, record, "names", parts, "public")
    for level in ("restricted", "sealed"):
        # A staff export's withheld names come back at their level (a public spelling of the same text stays).
        _listed_names(row, record, f"names_{level}", _names_in(row.text(f"names_{level}")), level)
    for spec in record.names:
        if _MIXED_WORD.search(spec.text):
            record.warnings.append(Message(_MIXED_SCRIPTS, name=repr(spec.text)))
    display = row.names("display_name")
    record.display_name = display[0] if display else (record.names[0].text if record.names else "")
    for spec in record.names:
        if spec.text == record.display_name:
            spec.kind = "primary"
            break


def _names_in(cell: str) -> list[str]:
    """The names of one cell, " | " between them; one inside a name is escaped by the export (`\\|`)."""
    return [_unescaped(part) for part in cell.split(" | ")]


def _listed_names(row: _Row, record: PersonRecord, field_name: str, parts: list[str], level: str) -> None:
    """Names listed in one cell (" | " between them), each an alias at `level` unless the row has it already."""
    for part in parts:
        part = part.strip()
        if len(part) > NAME_LENGTH:
            row.too_long(field_name, part, NAME_LENGTH)
        elif part and not any(n.text == part for n in record.names):
            spec = NameSpec(part, _language(part, detect_language), "alias", confidentiality=level)
            record.names.append(spec)


def _language(text: str, detect: Any) -> str:
    try:
        lang = detect(text)
    except ValueError:
        return ""
    return lang if lang in ("be", "ru", "en", "pl", "uk") else ""


def _described_fields(row: _Row, record: PersonRecord) -> None:
    """The row's birth date (refused in the future or before 1900), gender, region and occupation."""
    record.birth = row.parse("birth_date", parse_date)
    if record.birth is not None:
        record.birth_column = row.header.get("birth_date", "")
    if record.birth and record.birth.value > dt.date.today():  # noqa: DTZ011 - a calendar date
        row.problem(
            "birth_date",
            Message(gettext_noop("birth date %(date)s is in the future"), date=str(record.birth)),
        )
        record.birth = None
    elif record.birth and record.birth.value.year < 1900:
        row.problem(
            "birth_date",
            Message(gettext_noop("birth year %(year)s is implausible"), year=record.birth.value.year),
        )
        record.birth = None
    record.gender = row.parse("gender", parse_gender) or ""
    record.region = row.text("region", 100)
    record.occupation = row.text("occupation", 200)


# A consent note is free text in the registry; a file's is kept to a length a note of it would have.
CONSENT_NOTE_LENGTH = 10000


def our_public_id(text: str) -> bool:
    """Whether `text` is a public id this registry issues, as it writes them (BY-000123: six digits at least,
    as registry.actions.issue_public_ids; `BY-123` would be a second id of number 123), that a file may give:
    up to LAST_GIVEN_PUBLIC_ID_NUMBER, so that adopting it leaves ids to issue."""
    found = re.fullmatch(re.escape(settings.SPIS_PUBLIC_ID_PREFIX) + r"-(\d{6,10})", text)
    return (
        found is not None
        and int(found[1]) <= LAST_GIVEN_PUBLIC_ID_NUMBER
        and text == written_public_id(int(found[1]))
    )


_NOT_AS_WRITTEN = gettext_noop(
    "%(value)s is not written as this registry writes its public ids (%(written)s): read so, it would be a "
    "second id of one number; write it so, or leave the public_id column out to match by name"
)


_NOT_OURS = gettext_noop(
    "%(value)s is not a public id of this registry, which writes them %(prefix)s- and a number of six to ten "
    "digits (%(example)s, at most %(last)s): correct the id, or leave the public_id column out to match by name"
)


def _public_id(row: _Row, record: PersonRecord) -> None:
    """The row's public id. One with this registry's prefix that it does not issue is refused: written otherwise
    (`BY-123`, `by-000123`), naming the id as the registry writes it, or no id of its at all (`BY-`, `BY-12a`, a
    number past the counter's last, which would leave no id to issue)."""
    text = row.text("public_id", 16)
    prefix = settings.SPIS_PUBLIC_ID_PREFIX
    if our_public_id(text) or not text.upper().startswith(prefix.upper() + "-"):
        record.public_id = text
        return
    found = re.fullmatch(re.escape(prefix) + r"-0*(\d{1,10})", text, re.IGNORECASE)
    if found and int(found[1]) <= LAST_GIVEN_PUBLIC_ID_NUMBER:
        message = Message(_NOT_AS_WRITTEN, value=repr(text), written=written_public_id(int(found[1])))
    else:
        message = Message(
            _NOT_OURS,
            value=repr(text),
            prefix=prefix,
            example=written_public_id(123),
            last=written_public_id(LAST_GIVEN_PUBLIC_ID_NUMBER),
        )
    row.problem("public_id", message)


_MERGED_IDS = gettext_noop(
    "%(value)s is not a public id of this registry: merged_ids lists the ids of records merged into this one "
    "(BY-000123), separated by commas"
)


def _merged_ids(row: _Row, record: PersonRecord) -> None:
    """The public ids of the records merged into the row's person: a JSON list of texts, or a cell of ids
    separated by commas or spaces (the staff CSV's)."""
    value = row.values.get("merged_ids")
    if value is None or value == "" or value == []:
        return
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = [item for item in re.split(r"[\s,;|]+", value) if item]
    else:
        row.problem("merged_ids", _not_text(_EXPECTED_TEXT, value))
        return
    found = []
    for item in items:
        if not (isinstance(item, str) and our_public_id(item.strip())):
            row.problem("merged_ids", Message(_MERGED_IDS, value=repr(_shown(item))), value)
            return
        found.append(item.strip())
    record.merged_ids = tuple(i for i in dict.fromkeys(found) if i != record.public_id)


def _person_fields(row: _Row, record: PersonRecord) -> None:
    _public_id(row, record)
    _merged_ids(row, record)
    record.consent_note = row.text("consent_note", CONSENT_NOTE_LENGTH)
    record.external_id = row.text("external_id", 100)
    if record.external_id:
        record.external_id_column = row.header.get("external_id", "")
    _names_from_row(row, record)
    record.name_column = row.header.get("name", "")
    _described_fields(row, record)
    record.confidentiality = row.level("confidentiality") or ""
    record.synthetic = _flag(row, "synthetic")
    name_fields = ("name", "name_be", "name_ru", "name_en", "names", "display_name", *_NAME_PARTS)
    name_columns = {row.header.get(f, f) for f in name_fields}
    refused = any(p.column in name_columns for p in record.problems)
    if not record.names and not record.public_id and not refused:
        filled = [(header, _text(value)) for header, value in row.raw.values.items() if _text(value)]
        if len(filled) == 1 and any(char.isalpha() for char in filled[0][1]):
            # "Итого: 2 человека", "* по данным …": words alone on a line under the list.
            header, text = filled[0]
            row.problem("name", Message(_NOT_A_PERSON, text=repr(_clip(text)), column=header), "")
        else:
            row.problem("name", _MISSING_NAME, "")
    elif record.public_id or refused:
        pass  # a registry's own record (a staff export read back): its names were taken there
    elif _digits_in_a_name(row, record):
        pass
    elif not _no_name(row, record) and len(record.names) == 1:
        _heading_in_the_name(row, record)


# A list's stand-in for a name it withholds ("Имя скрыто", "Анонимно (по просьбе семьи)", "???"): no name, and
# never to be matched by name (every "Имя скрыто" of every list would be one person). A word of the first set
# makes a text a placeholder when all its other words (the bracketed ones aside) are of the second.
_PLACEHOLDER = {
    "аноним", "анонимно", "анонимный", "анонимная", "ананім", "ананімна", "ананімны", "ананімная",
    "anonymous", "anonymously", "anon", "скрыто", "скрыт", "скрыта", "скрыты", "схавана", "схаваны",
    "hidden", "withheld", "неизвестно", "неизвестный", "неизвестная", "невядома", "невядомы", "невядомая",
    "unknown", "не указано", "не указан", "не пазначана", "указано", "указан", "указана", "указаны",
    "пазначана", "пазначаны", "неизвестен", "неизвестна", "неизвестны", "анон",
}  # fmt: skip
_PLACEHOLDER_TOO = {
    "имя", "фио", "и", "імя", "name", "не", "фамилия", "прозвішча", "surname", "по", "па", "просьбе",
    "политзаключенный", "политзаключенная", "палітвязень", "prisoner", "political",
    "семьи", "родных", "родственников", "сям", "і", "request", "of", "family", "the", "at", "by",
    "мужчина", "женщина", "человек", "чалавек", "man", "woman", "person", "данные", "звесткі", "is",
}  # fmt: skip
_TWO_SPELLINGS = gettext_noop(
    "%(name)s gives one name in two scripts: read as the names %(names)s of one person"
)
# One name in two scripts written with a slash: "Бабарико Виктор / Babaryka Viktar".
_SLASHED_NAMES = re.compile(r"(.+?)\s+/\s+(.+)")
# …or the other in brackets: "Колесникова Мария (Kalesnikava Maryia)".
_BRACKETED_NAME = re.compile(r"(.+?)\s*\(([^()]+)\)")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_STAND_IN_LEFT_OUT = gettext_noop(
    "%(name)s under %(column)s stands in for a name and is no name of the person: left out (the row's other "
    "names are read)"
)
# A word of letters, or an initial ("И." of "Иванов И.И."): a one-letter word is read only as an initial.
_WORD_OR_INITIAL = re.compile(r"[^\W\d_]{2,}|[^\W\d_](?=\.)")
_LETTER = re.compile(r"[^\W\d_]")
_FIO = re.compile(r"ф\.\s*и\.\s*о\.?", re.IGNORECASE)
_INITIAL = re.compile(r"(?<![^\W\d_])[^\W\d_]\.")
_PLACEHOLDER_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _PLACEHOLDER), key=len, reverse=True)) + r")\b"
)
_PLACEHOLDER_NAME = gettext_noop(
    "%(name)s stands in for a name the list withholds (anonymous, hidden, unknown), and is no name: a person "
    "without a name cannot be listed, nor matched to anyone by it; row refused (give the name, or leave the row "
    "out)"
)
# Two people in one cell: "Лукин Иван, Лукина Ольга" (each of two capitalised words or more, so "Иванов, Иван"
# and "Смирнов Алексей, студент БГУ" stay one).
_NAME_WORD = r"[A-ZА-ЯЁІЎЇЄҐ][\w.'’-]*"
_A_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD})+"
_TWO_NAMES = re.compile(rf"({_A_NAME})\s*(?:,|;|\s+и\s+|\s+і\s+|\s+and\s+)\s*({_A_NAME})")
_TWO_PEOPLE = gettext_noop(
    "%(name)s names two people (%(first)s and %(second)s): one row is one person, and a cell of two would be "
    "one person of both names, matched to either; row refused (give each their own row)"
)
# A name, then a description after a spaced dash ("Игнатович Андрей Петрович – студент БГУ"); a double
# surname's hyphen has no spaces ("Петрашевич-Соколова").
_DESCRIBED = re.compile(r"\s[–—-]\s+(?P<rest>\S.*)$")
_DESCRIPTION = gettext_noop(
    "%(name)s has %(rest)s after the name, read as no part of it (a place, a body, a role or a description): "
    "the name is %(kept)s; the rest stays in the row's record"
)
# Two given names of one surname: "Мороз Сергей и Анна", "Сергей и Анна Мороз", "Ян и Ева Новак".
_COUPLE = re.compile(
    r"(?:[^\W\d_][\w'’-]*\s+)?(?P<one>[^\W\d_][\w'’-]*)(?P<and>\s+(?:и|і|and|&)\s+)(?P<other>[^\W\d_][\w'’-]*)"
    r"(?:\s+[^\W\d_][\w'’-]*)?"
)


def _no_name(row: _Row, record: PersonRecord) -> bool:
    """Refuses a row whose names are all stand-ins for a name, or that names two people (True), at the name's
    own column. Else reads what a name cell holds besides a name, and says it: a stand-in beside a real name (a
    dash under `Name (EN)`, "Аноним" among other names) is left out; one name in two scripts becomes two
    names; a name followed by a place, a body, a role or a description is the name alone."""
    stand_ins = [spec for spec in record.names if _is_placeholder(spec.text)]
    if stand_ins and len(stand_ins) == len(record.names):
        text = stand_ins[0].text
        row.problem(_name_column(row, text), Message(_PLACEHOLDER_NAME, name=repr(text)), text)
        return True
    for spec in stand_ins:
        record.names.remove(spec)
        field_name = _name_column(row, spec.text)
        column = row.header.get(field_name, field_name)
        record.warnings.append(Message(_STAND_IN_LEFT_OUT, name=repr(spec.text), column=repr(column)))
    if stand_ins and record.display_name in {spec.text for spec in stand_ins}:
        record.display_name = record.names[0].text
        record.names[0].kind = "primary"
    for spec in list(record.names):
        # A slash parts spellings, never people ("Бабарико Виктор / Бабарыка Віктар" stays as written).
        two = _TWO_NAMES.fullmatch(spec.text)
        slashed = _SLASHED_NAMES.fullmatch(spec.text) or _BRACKETED_NAME.fullmatch(spec.text)
        if slashed and _script(slashed[1]) != _script(slashed[2]):
            _spellings(record, spec, [slashed[1], slashed[2]])
            continue
        if two and _script(two[1]) != _script(two[2]):
            # "Колесникова Мария, Kalesnikava Maryia": one person's name in two scripts, read as two names.
            _spellings(record, spec, [two[1], two[2]])
            continue
        people = _two_people(spec.text, two)
        if people:
            message = Message(
                _TWO_PEOPLE, name=repr(spec.text), first=repr(people[0]), second=repr(people[1])
            )
            row.problem(_name_column(row, spec.text), message, spec.text)
            return True
        # A name, then what is no part of it: a place, a body or a role after a comma ("Лосик Игорь, Радио
        # Свобода"), a description after a spaced dash ("… – студент БГУ"). The name alone is the person's (as
        # it is matched and shown); the rest is said, and stays in the row's record.
        described = _DESCRIBED.search(spec.text)
        if described and not any(char.islower() for char in described["rest"].split()[0][:1]):
            described = None
        name, rest = (
            (two[1], two[2])
            if two and _names_someone(two[1])
            else (spec.text[: described.start()].strip(), described["rest"])
            if described
            else _beside_name(spec.text)
        )
        if name:
            _rename(record, spec, name)
            record.warnings.append(
                Message(_DESCRIPTION, name=repr(spec.text), rest=repr(rest), kept=repr(name))
            )
    return False


_AND = {"и", "і", "and"}
# Words in brackets beside a name that are no name (a maiden name is one capitalised word: "Иванова (Петрова)
# Анна"): "(не публиковать)", "(ул. Ленина 12-34)", "(инвалид 2 гр.)".
_BRACKETED_WORDS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_NAME_LIKE = re.compile(rf"\s*{_NAME_WORD}(?:\s+{_NAME_WORD})*\s*")


def _beside_name(text: str) -> tuple[str, str]:
    """A name and the words beside it that are no part of it, or ("", ""): words in brackets that are no
    name ("Тихонов Андрей (инвалид 2 гр.)"), and what follows a comma after a name that names someone, itself
    naming no one ("Лебедев Артём, Гомель, ул. Советская 5"; "Иванов, Иван" stays one name). Such words were
    the public display name; they stay in the row's record, where only staff read them."""
    words = [m for m in _BRACKETED_WORDS.finditer(text) if not _NAME_LIKE.fullmatch(m[1])]
    name, rest = text, [m[1].strip() for m in words]
    for m in reversed(words):
        name = name[: m.start()] + name[m.end() :]
    head, comma, tail = name.partition(",")
    if comma and len(head.split()) > 1 and _names_someone(head) and not _names_someone(tail):
        name, rest = head, [tail.strip(), *rest]
    name = " ".join(name.split())
    return (name, "; ".join(r for r in rest if r)) if rest and name and name != text else ("", "")


def _two_people(text: str, two: re.Match[str] | None) -> tuple[str, str] | None:
    """The two people a name cell names, if it names two: two names each naming someone ("Лукин Иван, Лукина
    Ольга"; `two` is _TWO_NAMES' match), or two given names of one surname ("Мороз Сергей и Анна", "Ян и Ева
    Новак")."""
    if two and _names_someone(two[1]) and _names_someone(two[2]):
        return two[1], two[2]
    if two and text[two.end(1) : two.start(2)].strip() in _AND:
        # Two names of two words or more joined by "and" ("Smith John and Doe Jane"): two people, whether or not
        # their given names are in the registry's table (a place or a body follows a comma, not an "and").
        return two[1], two[2]
    couple = _COUPLE.fullmatch(text)
    if couple and _names_someone(couple["one"]) and _names_someone(couple["other"]):
        first, second = text.split(couple["and"], 1)
        return first, second
    return None


def _rename(record: PersonRecord, spec: NameSpec, name: str) -> None:
    """`spec` read as `name` (the display name with it), or left out when the record has `name` already."""
    if record.display_name == spec.text:
        record.display_name = name
    same = next((n for n in record.names if n.text == name), None)
    if same is not None:
        record.names.remove(spec)
        if spec.kind == "primary":
            same.kind = "primary"
    else:
        record.names[record.names.index(spec)] = replace(spec, text=name)


def _script(text: str) -> str:
    """ "Cyrl", "Latn", or "" for a text of both or neither."""
    cyrillic, latin = bool(_CYRILLIC.search(text)), bool(_LATIN.search(text))
    return "Cyrl" if cyrillic and not latin else "Latn" if latin and not cyrillic else ""


def _spellings(record: PersonRecord, spec: NameSpec, parts: list[str]) -> None:
    """A cell of one name in two scripts becomes the two names (the first where the cell was), said."""
    at = record.names.index(spec)
    specs = [NameSpec(p, _language(p, detect_language), spec.kind if i == 0 else "alias",
                      confidentiality=spec.confidentiality) for i, p in enumerate(parts)]  # fmt: skip
    record.names[at : at + 1] = [s for s in specs if not any(n.text == s.text for n in record.names)]
    if record.display_name == spec.text:
        record.display_name = parts[0]
    record.warnings.append(Message(_TWO_SPELLINGS, name=repr(spec.text), names=", ".join(map(repr, parts))))


_DIGIT = re.compile(r"\d")
# A word of letters and digits ("Козлов0083"), but not a year with its "г."/"гр" glued on ("1985г.р.").
_DIGITS_IN_A_WORD = re.compile(r"(?<!\w)(?!\d{2,4}(?:гг|гр|г)\b)\w*(?:[^\W\d_]\d|\d[^\W\d_])\w*")
_DIGITS_IN_A_NAME = gettext_noop(
    "%(name)s under %(column)s: a name holds no digits (%(word)s; a code or a number typed into the name, or "
    "two cells run together?): row refused (correct the name)"
)


def _digits_in_a_name(row: _Row, record: PersonRecord) -> bool:
    """Refuses a row (True) whose name has a word of letters and digits ("Козлов0083 Павел"), or is digits
    alone: no person's name, and stored it would be matched by no list. A number beside the name is the list's
    own (a year of birth, "Мороз Анна, г.р.: 1985"; a total, "Итого: 57", _heading_in_the_name)."""
    for spec in record.names:
        if not _DIGIT.search(spec.text):
            continue  # almost every name: one search
        mixed = _DIGITS_IN_A_WORD.search(spec.text)
        if mixed is None and _LETTER.search(spec.text):
            continue
        field_name = _name_column(row, spec.text)
        column = row.header.get(field_name, field_name)
        word = mixed[0] if mixed else spec.text
        message = Message(_DIGITS_IN_A_NAME, name=repr(spec.text), column=repr(column), word=repr(word))
        row.problem(field_name, message, spec.text)
        return True
    return False


def _names_someone(text: str) -> bool:
    """Whether a text names a person: a capitalised given name of the registry's table as it is written (Ольга,
    Ivan, Алесь; not "Марьина" of the town Марьина Горка, which only folds like Марина) or an initial (И.), not
    only words that a place, a body or a role is written with ("Радио Свобода", "Минская область")."""
    forms = given_name_forms()
    return any(
        word[:1].isupper() and (len(word) == 1 or word.casefold().replace("ё", "е") in forms)
        for word in _WORD_OR_INITIAL.findall(text)
    )


def _is_placeholder(text: str) -> bool:
    if not _LETTER.search(text):
        return True  # "???", "—", "***"
    text = _FIO.sub("ФИО", text)  # "Ф.И.О. скрыты": the heading's word, not initials
    folded = text.casefold().replace("ё", "е")
    if not _PLACEHOLDER_WORD.search(folded):
        return False  # no word of a stand-in (most names: one search)
    if _INITIAL.search(text):
        return False  # "Неизвестная О.", "Неизвестный И.О.": a surname with initials
    words = re.findall(r"\w+", re.sub(r"\([^()]*\)", " ", folded))
    joined = " ".join(words)
    return bool(words) and (
        joined in _PLACEHOLDER
        or (
            any(w in _PLACEHOLDER for w in words)
            and all(w in _PLACEHOLDER or w in _PLACEHOLDER_TOO for w in words)
        )
    )


def _name_column(row: _Row, text: str) -> str:
    """The column a name was read from (for a problem's column): the first whose cell holds it."""
    for field_name in (*_PERSON_NAME_FIELDS, "names", "names_restricted", "names_sealed"):
        header = row.header.get(field_name)
        if header is not None and text in _text(row.raw.values.get(header)):
            return field_name
    return "name"


# What a list writes in its name column that is no person's name, alone on its line: a total ("Итого: 57",
# "Всего по Гомельской области: 2"), a footnote ("Источник: …", "* данные на …"), a heading over a block of
# it ("Гомельская область", "Задержанные в 2023 году"). A name is words of letters, none of these.
_TOTAL_OR_NOTE = re.compile(
    r"^\W*(?:итого|всего|усяго|разам|total|in total|источник|источники|крыніца|крыніцы|source|sources|"
    r"примечание|примечания|заўвага|заўвагі|note|notes)\b|^\s*\*|:\s*\d+\W*$",
    re.IGNORECASE,
)
_HEADING_WORDS = {
    # a region or a district, in ru/be/en
    "область", "обл", "вобласць", "вобл", "oblast", "voblasts", "region", "регион", "рэгіён", "район",
    "раён", "district",
    # what a block of the list holds
    "задержанные", "задержаны", "осужденные", "осуждены", "освобожденные", "освобождены",
    "политзаключенные", "список", "затрыманыя", "асуджаныя", "вызваленыя", "палітвязні", "спіс",
    "detained", "convicted", "released", "prisoners", "году", "годзе", "year",
    # who a block of a list is, where it is
    "женщины", "мужчины", "журналисты", "студенты", "пенсионеры", "несовершеннолетние", "семья", "семьи",
    "жанчыны", "мужчыны", "журналісты", "студэнты", "сям'я", "women", "men", "journalists", "students",
    "год", "город", "г", "горад", "city",
}  # fmt: skip
_NOT_A_NAME = gettext_noop(
    "%(text)s under %(column)s reads as a total, a heading or a note of the list (%(sign)s), not a person's "
    "name, and the row gives nothing else: row refused; delete the line, or keep the good rows (--partial)"
)


def _heading_in_the_name(row: _Row, record: PersonRecord) -> None:
    """Refuses a row whose one text is a total, a heading or a footnote in the name column (with at most a
    number beside it: a row number, a total's count): never a public person named "Итого: 57"."""
    filled = 0
    for value in row.raw.values.values():
        shown = _text(value)
        if not shown or shown.replace(" ", "").isdigit():
            continue  # empty, or a number: a row number, a total's count
        filled += 1
        if filled > 1:
            return  # the row gives a fact besides its name (or its name is in parts): a person's row
    text = record.names[0].text
    if _names_someone(text):
        return  # "Список Сергей", "*Козлов Олег", "Мороз Анна, г.р.: 1985": a person, whatever else it says
    total = _TOTAL_OR_NOTE.search(text)
    words = re.findall(r"\w+", text.casefold().replace("ё", "е"))
    sign = total[0].strip() if total else next((w for w in words if w in _HEADING_WORDS), "")
    if not sign:
        return
    column = next((h for h, v in row.raw.values.items() if _text(v) == text), None)
    if column is None:
        return  # the name is not one cell's text (its parts, joined): a person's row, whatever it says
    message = Message(_NOT_A_NAME, text=repr(_clip(text)), column=repr(column), sign=repr(sign))
    record.problems.append(Problem(row.raw.line, column, _clip(text), message))


def _case(row: _Row) -> dict[str, Any] | None:
    articles = row.parse("articles", parse_articles) or []
    # A JSON export gives a linked court whole (its names in every script) besides the court as printed; the
    # CSV export by its name, an organisation that is a court.
    court = _organisation(row, "court_organization", kind="court")
    case = {
        "number": row.text("case_number", 100),
        "articles": articles,
        "court_name": _a_name(row, "court", 300) or (court.name if court else ""),
        "judge": _a_name(row, "judge", 200),
        "prosecutor": _a_name(row, "prosecutor", 200),
    }
    if court is not None:
        case["court"] = court
    elif row.values.get("court_organization", "") in (None, "") and "court_organization" in row.header:
        # A JSON export's null, or the CSV export's empty cell: the case is linked to no organisation,
        # whatever its court's printed name.
        case["court"] = None
    return case if any(case.values()) else None


# A cell that is a date alone (12.03.2021, 2021-03-12, an XLSX date cell): never a court's or a person's name.
_ONLY_A_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_A_DATE_NOT_A_NAME = Message(
    gettext_noop(
        "a date where a name is expected: check the column's heading (a heading merged over columns, one of "
        "them without a sub-heading?)"
    )
)


def _a_name(row: _Row, field_name: str, limit: int) -> str:
    """A court's, judge's or prosecutor's name; a date there is a column read under the wrong heading (a
    verdict date under a merged "Суд"), refused rather than stored as the court."""
    value = row.values.get(field_name)
    if isinstance(value, dt.date) or (isinstance(value, str) and _ONLY_A_DATE.fullmatch(value.strip())):
        row.problem(field_name, _A_DATE_NOT_A_NAME)
        return ""
    return row.text(field_name, limit)


# Organization's fields as the registry stores them: key -> length (country: ISO 3166-1 alpha-2).
_ORGANISATION_TEXT = {"name": 300, "name_be": 300, "name_ru": 300, "kind": 20, "country": 2, "url": 200}


def _organisation(row: _Row, field_name: str, kind: str = "other") -> OrganizationSpec | None:
    """An organisation: a name (a CSV cell, or text in JSON; one made of it is of `kind`), or a JSON export's
    object (name, name_be, name_ru, kind, country, url), each value checked as the registry stores it, a
    problem named at its key (events[2].organization.kind)."""
    value = row.values.get(field_name)
    if value is None or value == "":
        return None
    if isinstance(value, str | Formula):
        name = row.text(field_name, _ORGANISATION_TEXT["name"])
        return OrganizationSpec(name, kind=kind) if name else None
    if not isinstance(value, dict):
        found = _not_text(gettext_noop("an organisation must be text or an object, found %(found)s"), value)
        row.problem(field_name, found, value)
        return None
    column = row.header.get(field_name, field_name)
    problems = len(row.record.problems)
    texts = _object_texts(row, column, value, _ORGANISATION_TEXT)
    for key, limit in _ORGANISATION_TEXT.items():
        if len(texts.get(key, "")) > limit:
            row.too_long(f"{column}.{key}", texts[key], limit)
    kind = texts.get("kind", "").lower() or "other"
    _known(row, f"{column}.kind", kind, ORGANIZATION_KINDS, _UNKNOWN_VALUE)
    if texts.get("url") and not _valid_link(texts["url"]):
        row.problem(f"{column}.url", Message(NOT_A_LINK, value=repr(texts["url"])), texts["url"])
    if len(row.record.problems) > problems:
        return None
    name = texts["name"] or texts["name_ru"] or texts["name_be"]
    if not name:
        row.problem(column, Message(gettext_noop("an organisation needs a name")), "")
        return None
    return OrganizationSpec(name, texts["name_be"], texts["name_ru"], kind, texts["country"], texts["url"])


def _wide_record(
    raw: RawRow, columns: dict[str, str], header: dict[str, str], doubles: dict[str, str], mapping: Mapping
) -> PersonRecord:
    record = PersonRecord(raw.line, _jsonable(raw.values))
    record.warnings.extend(raw.notes)
    row = _Row(raw, columns, record, header, doubles)
    _person_fields(row, record)
    detained = row.parse("detained_on", parse_date)
    verdict = row.parse("verdict_on", parse_date)
    released = row.parse("released_on", parse_date)
    died_on = row.parse("died_on", parse_date)
    recognized_on = row.parse("recognized_on", parse_date)
    status = row.parse("status", parse_status)
    # A date the status gives is the status column's: a problem with it names that column.
    columns_of_dates = {
        name: row.header.get(name if given else "status", "")
        for name, given in (("released_on", released), ("died_on", died_on), ("recognized_on", recognized_on))
    }
    released, died_on, recognized_on = _status_dates(row, status, released, died_on, recognized_on)
    sentence = row.parse("sentence", parse_sentence)
    facility = row.text("facility", 300)
    case = _case(row)
    events = record.events
    if detained:
        # Articles known without a verdict belong to the case the person was detained in.
        events.append(
            EventSpec(
                "detained",
                detained,
                row.header.get("detained_on", ""),
                facility="" if verdict else facility,
                case=None if verdict else case,
            )
        )
    elif facility and not verdict:
        row.problem(
            "facility", Message(gettext_noop("a place of detention without a date of detention or verdict"))
        )
    if verdict:
        column = row.header.get("verdict_on", "")
        if detained and verdict.latest() < detained.value:
            # A verdict before the arrest is possible (in absentia), a slip of the pen far more often.
            record.warnings.append(
                Message(
                    _VERDICT_BEFORE_DETENTION,
                    verdict=str(verdict),
                    column=repr(column),
                    detained=str(detained),
                    detention=repr(row.header.get("detained_on", "")),
                )
            )
        events.append(EventSpec("convicted", verdict, column, case=case))
        if sentence:
            events.append(
                EventSpec(
                    "sentenced",
                    verdict,
                    row.header.get("sentence", column),
                    sentence_months=sentence.months,
                    regime=sentence.regime,
                    fine_amount=_fine(row, sentence.fine_amount),
                    note=sentence.note,
                    case=case,
                )
            )
        if facility:
            events.append(
                EventSpec(
                    "transferred",
                    verdict,
                    row.header.get("facility", ""),
                    facility=facility,
                    note=UNDATED_PLACE,
                )
            )
    elif sentence:
        row.problem(
            "sentence",
            Message(gettext_noop("a sentence without the date of the verdict cannot be placed in time")),
        )
    ends_custody = _released_by_the_sentence(detained, verdict, sentence, released, died_on, status)
    if (
        not ends_custody
        and died_on is not None
        and verdict is not None
        and died_on.value >= verdict.value
        and died_on.value <= verdict.latest()
        and _released_by_the_sentence(detained, verdict, sentence, released, None, status)
    ):
        # A death in the period of a verdict that keeps no one in custody (both "05.2022"): which came first
        # cannot be told, so no release is read at the verdict; said, as the death then ends a custody.
        record.warnings.append(Message(_DEATH_IN_VERDICTS_PERIOD, died=str(died_on), verdict=str(verdict)))
    # The status's words as parse_status read them ("памёр у калонii", typed with a Latin i).
    status_words = one_script_words(row.text("status"))
    if ends_custody and status is not None and status.died and _DIED_HELD.search(status_words):
        # "умер в заключении" beside a suspended term: the list says the person died held (held again, or the
        # sentence is wrong): no release read at the verdict, and said.
        ends_custody = False
        record.warnings.append(
            Message(
                _DIED_HELD_BESIDE_FREEDOM, value=repr(row.text("status")), sentence=repr(row.text("sentence"))
            )
        )
    if ends_custody and facility:
        # A place of detention beside a sentence that keeps no one in custody: the row says both held and not;
        # read as held (the place), never released at the verdict and moved to the place the same day.
        record.warnings.append(
            Message(
                PLACE_BESIDE_FREEDOM, sentence=repr(_text(row.values.get("sentence"))), place=repr(facility)
            )
        )
    elif ends_custody:
        # A fine, restricted freedom at home or a suspended term keeps no one in custody: held until the
        # verdict at the latest. Without this the person stayed "in custody" on every page, for ever.
        events.append(
            EventSpec(
                "released",
                verdict,
                row.header.get("sentence", ""),
                release_kind="other",
                note=RELEASED_AT_VERDICT,
            )
        )
        record.warnings.append(
            Message(READ_AT_VERDICT_SAID, sentence=repr(_text(row.values.get("sentence"))))
        )
    is_recognized = bool(recognized_on) or (status is not None and status.recognized)
    if mapping.options.get("listed_as_recognized"):
        is_recognized = True
    if recognized_on:
        events.append(EventSpec("recognized", recognized_on, columns_of_dates["recognized_on"]))
    elif is_recognized:
        record.warnings.append(_NOT_RECOGNISED)
    died = status is not None and status.died
    if released and not (died and died_on):
        column = columns_of_dates["released_on"]
        if died:  # a list that has no column for the date of death gives it as the end of custody
            events.append(EventSpec("died", released, column))
        else:
            kind = status.release_kind if status is not None and status.release_kind else "other"
            events.append(EventSpec("released", released, column, release_kind=kind))
            if kind in ("expelled", "exchanged"):
                events.append(EventSpec("emigrated", released, column))
    elif status is not None and (status.released or died) and not died_on and not status.other_events:
        if not died and detained:
            # "освобождён по окончании срока" with no date: how the release after this detention came, which
            # may fill in a stored one of no kind (the planner says "not recorded" where there is none); a
            # plain "освобождён" tells of it too (a release read at a verdict is kept for it).
            kind = status.release_kind or "other"
            record.undated_release = EventSpec("released", detained, row.header.get("status", ""), kind)
        else:  # (a date whose event cannot be told is said by _status_dates)
            record.warnings.append(NO_END_DATE)
    if died_on:
        events.append(EventSpec("died", died_on, columns_of_dates["died_on"]))
    if (
        status is not None
        and (status.released or status.died or status.emigrated)
        and not (released or died_on or status.held_now)
    ):
        record.ended_undated = row.header.get("status", "")
    if status is not None and status.held_now:
        record.held_now = row.header.get("status", "")
    if status is not None and status.held and not detained:
        record.warnings.append(_NO_START_DATE)
    if status is not None and status.emigrated and not any(spec.type == "emigrated" for spec in events):
        # An expulsion or exchange with its release date records the leaving above; other words for it
        # ("освобожден, уехал из Беларуси") were lost.
        record.warnings.append(Message(NO_EMIGRATION_DATE, value=repr(_text(row.values.get("status")))))
    # A list's sources back everything its row says: the person it creates and each event.
    record.sources = _row_sources(row)
    if record.sources:
        for spec in events:
            spec.sources = record.sources
    record.sources = _person_sources(row, record.sources)
    # A staff list's level for the row's events (the one-row-per-event shape gives one per event): each event
    # of the row at it; an unknown level refuses the row, never reads as public.
    level = row.level("event_confidentiality")
    _row_level(record, level or "public")
    _at_least(events, level)
    if record.undated_release is not None:
        _at_least([record.undated_release], level)
        record.undated_release.sources = events[0].sources if events else ()
    # The row's sources back its facts: cited on the person, they are at the row's level too (a restricted
    # row's source was cited publicly on a public person, its link in the public export).
    record.sources = _cited_at_least(record.sources, level)
    record.sources += _comment(row, level or "")
    record.sources += _private_words(row, events, level or "")
    return record


_BRACKETED = re.compile(r"\(([^()]*)\)")
# A phone number or an e-mail in a cell whose value is shown as it is (a name, a region, a place, a court): the
# row is refused, as a value without them cannot be told apart from them (`Гринь Алеся (сестра Ольга +375…)`).
_PHONE_OR_MAIL = re.compile(
    # +375 29 111-22-33, +7 (916) …; 8 (029) 111-22-33, 8-029-…, 80291112233, 8 044 7654321; 29 111 22 33;
    # 111-22-33; 375291112233 (a messenger's number)
    r"\+\d[\d\s()-]{8,}\d|(?<![№\d])\b8[\s-]*\(?0\d{2}\)?[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b|"
    r"\b(?:25|29|33|44)\s\d{3}[\s-]\d{2}[\s-]\d{2}\b|\b\d{3}-\d{2}-\d{2}\b|\b375\d{9}\b|"
    # an e-mail, also written out to pass filters; a messenger, a handle
    r"@[\w-]+\.\w|\w\s*@\s*\w+\.\w|\b\w+\s+at\s+\w+\s+dot\s+\w+|"
    r"\b(?:viber|вайбер|telegram|телеграм\w*|whatsapp|ватсап|signal)\b|(?<![\w.])@[a-z_]\w{3,}|"
    # the word for a phone: "тел. …"
    r"\bтел(?:ефон)?\b|\bтэл(?:ефон)?\b|\bphone\b|\btel\b|e-?mail",
    re.I,
)
_CONTACT_WORDS = re.compile(
    r"т[еэ]л|phone|tel|mail|viber|вайбер|telegram|телеграм|whatsapp|ватсап|signal| at "
)


def has_contact(text: str) -> bool:
    """Whether `text` names a phone number, an e-mail or a messenger (_PHONE_OR_MAIL), tried only when it could:
    it holds seven digits, an "@" or a word for one (every name and place of a long list passes here)."""
    if "@" not in text and sum(map(str.isdigit, text)) < 7 and not _CONTACT_WORDS.search(text.lower()):
        return False
    return _PHONE_OR_MAIL.search(text) is not None


_NO_CONTACTS = frozenset(
    {
        "name", "name_be", "name_ru", "name_en", "names", "region", "occupation", "facility", "court",
        "judge", "prosecutor", "fine_amount",
    }
)  # fmt: skip
_CONTACTS_REFUSED = Message(
    gettext_noop(
        "names a phone number or an e-mail, which this column's value would show as it is: the import "
        "publishes no contact details; put them in the comment column (kept where only staff read it), or "
        "remove them"
    )
)


# A street address with its house number (`ул. Сурганова 45-12`, `вул. Леніна, д. 5`, `пр-т Независимости 12`),
# or a flat (`кв. 34`), in a cell shown as it is: refused as a phone is. Not in a place of detention's name,
# whose address is a public institution's (`ул. Окрестина 36`); words beside a place are kept apart there
# (parsing.place_and_words).
_ADDRESS = re.compile(
    r"(?<![\w-])(?:ул|улица|вул|вуліца|пр-т|пр-кт|просп|проспект|пер|переулок|завулак|бульвар|б-р|тракт|"
    r"шоссе|шаша|street|st|ave|avenue)\.?\s+[^\d,;()]{2,40}?[\s,]*(?:д\.?\s*|дом\s+)?\d+|"
    r"(?<![\w-])(?:кв|квартира|apt)\.?\s*\d+",
    re.I,
)
_NO_ADDRESSES = _NO_CONTACTS - {"facility", "fine_amount"} | {"case_number"}
_ADDRESS_REFUSED = Message(
    gettext_noop(
        "names a street address, which this column's value would show as it is: the import publishes no "
        "one's address; put it in the comment column (kept where only staff read it), or remove it"
    )
)


def has_address(text: str) -> bool:
    """Whether `text` names a street address with its number, or a flat (_ADDRESS)."""
    return any(char.isdigit() for char in text) and _ADDRESS.search(text) is not None


def _unread_status_parts(status: str) -> list[str]:
    """The parts of a status cell after its first (between commas or semicolons) that say no status and give
    no date (`освобожден, живет у матери в Гродно`): the list's words, which were lost."""
    unread = []
    for part in re.split(r"[,;]", status)[1:]:
        part = part.strip()
        if not part:
            continue
        try:
            parse_status(part)
        except CellError:
            try:
                parse_date(part)
            except CellError:
                unread.append(part)
    return unread


def _private_words(row: _Row, events: list[EventSpec], level: str) -> tuple[SourceSpec, ...]:
    """A list's words in a cell that is no comment, kept where only staff read them, as a comment is (_comment):
    an event's note (the words of a sentence kept for want of a part read) that names a phone or an e-mail, no
    longer the event's note (`3 года колонии (адвокат …, тел. …)` was the public note); and the words in
    brackets in the status cell, which no event keeps (`освобождён 12.05.2023 (мать просит не звонить)` was
    read as the release and its words lost)."""
    kept: tuple[SourceSpec, ...] = ()
    for spec in events:
        # The sentence's words, kept as its note (the other notes are the import's own).
        if spec.type == "sentenced" and spec.note and spec.column and has_contact(spec.note):
            kept += _comment(row, level, spec.note, spec.column)
            spec.note = ""
        if spec.fine_amount and spec.column and has_contact(spec.fine_amount):
            # The fine's words (`штраф 100 базовых (оплатила сестра, тел. …)`): kept so, the fine without them.
            kept += _comment(row, level, spec.fine_amount, spec.column)
            bare = _BRACKETED.sub("", spec.fine_amount).strip()
            spec.fine_amount = "" if has_contact(bare) else bare
    status = row.text("status") if "status" in row.header else ""
    words = [part.strip() for part in _BRACKETED.findall(status) if part.strip()] if "(" in status else []
    if "," in status or ";" in status:
        words += _unread_status_parts(_BRACKETED.sub(" ", status))
    if words:
        kept += _comment(row, level, "; ".join(words), row.header["status"])
    for spec in events:
        # The words in brackets in a sentence (`… (в розыске)`, `… (онкология, нужны лекарства)`): the list's,
        # kept so (they were lost, or the sentence's public note).
        if spec.type == "sentenced" and spec.column and "(" in spec.note:
            said = "; ".join(part.strip() for part in _BRACKETED.findall(spec.note) if part.strip())
            if said:
                kept += _comment(row, level, said, spec.column)
                spec.note = " ".join(_BRACKETED.sub(" ", spec.note).split())
    for spec in events:
        # A place with words beside it (`ИК-15 (передачи через жену, ул. Ленина 12-34)`, `ИК-9, передачи через
        # …`, `ИВС … (ул. Ленина 12-34)`): the first spelling a list gives names the facility for everyone held
        # there, in public; the words are the list's comment. A town stays the place's (parsing.place_and_words).
        if spec.facility:
            place, said = place_and_words(spec.facility)
            if said and place:
                kept += _comment(row, level, said, row.header.get("facility", "facility"))
                spec.facility = place
    return kept


# A status cell beside a date column that says otherwise: two cells of one row that disagree, refused as two
# columns of one field that disagree are (_TWO_VALUES), naming both.
_HELD_BUT_ENDED = gettext_noop(
    "the columns %(first)s and %(second)s disagree: %(value)s says the person is held, %(second)s gives "
    "%(date)s: row refused; correct one of them (leave the date empty while the person is held)"
)
_OTHER_STATUS_DATE = gettext_noop(
    "the columns %(first)s and %(second)s disagree: %(value)s gives %(date)s, %(second)s gives %(other)s: row "
    "refused; correct one of them"
)
_STATUS_DATE_UNUSED = gettext_noop(
    "status %(value)s gives a date, but no release, death or recognition to date: the date is not recorded"
)
# The event a status's date would date, in _STATUS_DATE_WHOSE.
_RELEASE, _DEATH, _RECOGNITION = (
    gettext_noop("the release"),
    gettext_noop("the death"),
    gettext_noop("the recognition"),
)
_STATUS_DATE_WHOSE = gettext_noop(
    "status %(value)s gives a date, but names besides %(event)s %(words)s, whose date it may be as well: it "
    "cannot be told whose it is, so the date is not recorded (nor an event without it); give it in its column"
)
_STATUS_NOT_RECORDED = gettext_noop(
    "status %(value)s is not recorded: the registry has no event for it (record what happened, with its date)"
)


_DEATH_IN_VERDICTS_PERIOD = gettext_noop(
    "the death (%(died)s) and the verdict (%(verdict)s) of a sentence that keeps no one in custody fall in one "
    "period, so which came first cannot be told: no release is read at the verdict, and the person is counted "
    "as dying held (give the dates to the day)"
)
# A death the status places in custody ("умер в заключении", "скончался в колонии").
_DIED_HELD = re.compile(
    r"\b(?:в|ў|у)\s+(?:заключени|колони|сизо|сіза|тюрьм|турм|зняволен|калоні|ивс|изолятор|ізалятар)|"
    r"под стражей|пад вартай|in custody|in prison",
    re.I,
)
_DIED_HELD_BESIDE_FREEDOM = gettext_noop(
    "status %(value)s says the person died held, but the sentence %(sentence)s keeps no one in custody: no release "
    "is read at the verdict (record the detention after it, or correct the sentence)"
)


def _released_by_the_sentence(
    detained: PartialDate | None,
    verdict: PartialDate | None,
    sentence: Any,
    released: PartialDate | None,
    died_on: PartialDate | None,
    status: Status | None,
) -> bool:
    """Whether a row's custody ended with its sentence: one held before the verdict, sentenced to a penalty
    that keeps no one in custody (a fine, restricted freedom at home, a suspended term: custody.CUSTODIAL
    names the others), with no release given, no death before the verdict's day is over (one in custody), and
    no status saying they are held now (a past event, "осуждён", says nothing of the custody after the
    verdict). A death after the verdict, or one the status gives undated ("умер"), does not end a custody the
    verdict ended: a suspended term, then a death months later, counted a death in custody."""
    if not (detained and verdict and sentence) or released:
        return False
    if died_on is not None and died_on.value <= verdict.latest():
        return False
    if sentence.regime not in NOT_CUSTODY or verdict.value < detained.value:
        return False
    return status is None or not status.held_now


def _status_dates(
    row: _Row,
    status: Status | None,
    released: PartialDate | None,
    died_on: PartialDate | None,
    recognized_on: PartialDate | None,
) -> tuple[PartialDate | None, PartialDate | None, PartialDate | None]:
    """The dates of release, death and recognition, with the one the status cell gives ("освобожден 12.05.2023",
    "умер 05.06.2022", "признан политзаключённым 15.04.2021") beside the columns': a status saying held now
    beside a release or death date, or a status's date that is not the column's, is refused on the row; a date
    that may be another event's, and words that record nothing, are said on it."""
    if status is None:
        return released, died_on, recognized_on
    value = repr(_text(row.values.get("status")))

    def disagree(template: str, field_name: str, **dates: str) -> None:
        """The status and the date column `field_name` disagree: the row is refused, naming both."""
        first, second = (repr(row.header.get(f, f)) for f in ("status", field_name))
        row.problem("status", Message(template, first=first, second=second, value=value, **dates))

    def claimed(field_name: str, given: PartialDate | None) -> PartialDate | None:
        """The column's date, or the status's when the column gives none; refused when they disagree."""
        date = status.date
        if given is None or date is None or str(given) == str(date) or _within(date, given):
            return given or date
        if not _within(given, date):
            disagree(_OTHER_STATUS_DATE, field_name, date=str(status.date), other=str(given))
        return date

    if status.unrecorded:
        row.record.warnings.append(Message(_STATUS_NOT_RECORDED, value=value))
    if status.held_now and (released or died_on):
        disagree(_HELD_BUT_ENDED, "released_on" if released else "died_on", date=str(released or died_on))
        return released, died_on, recognized_on
    if status.date is None:
        return released, died_on, recognized_on
    if status.other_events:
        named = _DEATH if status.died else _RELEASE if status.released else _RECOGNITION
        row.record.warnings.append(
            Message(_STATUS_DATE_WHOSE, value=value, event=Message(named), words=status.other_events)
        )
        return released, died_on, recognized_on
    if status.date_of == "recognition":
        return released, died_on, claimed("recognized_on", recognized_on)
    if status.date_of != "end":
        row.record.warnings.append(Message(_STATUS_DATE_UNUSED, value=value))
        return released, died_on, recognized_on
    # A list with no column for the date of death gives it as the release date (see _wide_record).
    if status.died and (died_on or not released):
        return released, claimed("died_on", died_on), recognized_on
    return claimed("released_on", released), died_on, recognized_on


def _within(coarse: PartialDate, fine: PartialDate) -> bool:
    """Whether `fine` falls within `coarse` (2023-05-12 within 2023): the same date, said more precisely."""
    return coarse.value <= fine.value and fine.latest() <= coarse.latest()


def _comment(row: _Row, level: str, text: str | None = None, column: str = "") -> tuple[SourceSpec, ...]:
    """A list's comment column ("Примечание", "Комментарий") as a source cited on the person at "restricted"
    (or the row's stricter level): free text for the list's own readers, which may name relatives, phones
    and addresses ("семья просит не публиковать; жена …"), never a publication. Staff read it in the admin;
    the public and its export never do. A comment longer than a source's title is kept whole, in parts
    ("(1/3) …"), each a source of its own: never cut, and never the reason to refuse the row's facts."""
    text = row.text("note") if text is None else text
    if not text:
        return ()
    levels = ("restricted", level or "restricted", row.record.confidentiality or "restricted")
    kept = max(levels, key=STRICTNESS.__getitem__)
    header = column or row.header.get("note", "note")
    if (
        row.raw.line != row.record.line
    ):  # a later row of a one-row-per-event list's person: said with its line
        row.record.warnings.append(Message(_COMMENT_KEPT_AT, line=row.raw.line, column=repr(header)))
    else:
        row.record.warnings.append(_comment_kept(header, kept))
    parts = _parts(text, _SOURCE_TEXT["title"])
    if len(parts) > 1:
        row.record.warnings.append(Message(_LONG_COMMENT, length=len(text), parts=len(parts)))
    return tuple(
        SourceSpec(part, source_confidentiality=kept, confidentiality=kept, comment=True) for part in parts
    )


def _parts(text: str, limit: int) -> list[str]:
    """`text` whole when it fits in `limit` characters, else in numbered parts that each fit ("(1/3) …"), cut
    at a space where one is near (the space dropped), else inside a word."""
    if len(text) <= limit:
        return [text]
    room = limit - len("(999/999) ")
    chunks: list[str] = []
    rest = text
    while len(rest) > room:
        space = rest.rfind(" ", room // 2, room + 1)
        chunks.append(rest[:space] if space > 0 else rest[:room])
        rest = rest[space + 1 :] if space > 0 else rest[room:]
    chunks.append(rest)
    return [f"({n}/{len(chunks)}) {chunk}" for n, chunk in enumerate(chunks, 1)]


@lru_cache(maxsize=64)
def _comment_kept(column: str, level: str = "restricted") -> Message:
    # One message object for every row of a column (a list may comment on each of its 100,000 rows).
    return Message(_COMMENT_KEPT_SEALED if level == "sealed" else _COMMENT_KEPT, column=repr(column))


def _person_sources(row: _Row, sources: tuple[SourceSpec, ...] = ()) -> tuple[SourceSpec, ...]:
    """`sources` and those the row cites on the person alone (the CSV export's `person_sources` columns)."""
    return tuple(dict.fromkeys(sources + _row_sources(row, _PERSON_SOURCE_FIELDS)))


def _fine(row: _Row, amount: str) -> str:
    # A fine is stored as pronounced (Event.fine_amount, 100 characters); a longer sentence cell is refused.
    if len(amount) > 100:
        row.too_long("sentence", amount, 100)
        return ""
    return amount


def _known(row: _Row, field_name: str, code: str, known: set[str], template: str) -> bool:
    """Whether a cell's code is one of ours (or empty); if not, the row's problem says which ones are."""
    if not code or code in known:
        return True
    row.problem(field_name, Message(template, value=repr(code), known=sorted(known)), code)
    return False


# "title <link>", and as the CSV export writes a citation's place in its source (a page, a moment of a
# recording): "title <link> #p. 12" (or "<link>#p. 12"), "title <> #00:12:30" for a source without a link. The
# place is read only after a link in angle brackets, which lists do not write otherwise: a "#" in a title
# ("Бюлетэнь #5 <…>") or a link ("https://…/a#b") stays where it is. A bracket escaped by the export ("\<", a
# title's own) opens no link.
_TITLED_LINK = re.compile(r"(?P<title>.*?)\s*(?<!\\)<(?P<url>[^<>\s]*)>(?:\s*#(?P<locator>.*))?")
# What the CSV export escapes in a title or a place (export._escaped): "|", which would end the source, and
# "<", ">", which would read as its link; each after a backslash, the backslashes before one doubled.
_ESCAPED = re.compile(r"(\\+)([|<>])")
# A web link as a sources cell holds one (export.py writes `title <>` for a title holding one, by this).
LINK = re.compile(r"https?://\S+", re.IGNORECASE)
# "Наша Ніва: https://…", "Суд — https://…": a title, then one link.
_TRAILING_LINK = re.compile(r"(?P<title>[^<>]*?[^\s:–—-])[\s:–—-]+(?P<url>https?://\S+)", re.IGNORECASE)
_RELIABILITY = set(RELIABILITY)
# A source's fields as the registry stores them (Source, Citation): JSON key -> length (a source's own as a
# batch's source gives them, batch_source.LIMITS; a citation's locator).
_SOURCE_TEXT = {
    "title": LIMITS["title"],
    "url": LIMITS["url"],
    "document": LIMITS["document"],
    "publisher": LIMITS["publisher_name"],
    "locator": 300,
}
# The columns of a fact's sources, each read at its level: a staff export puts those only staff may read
# apart. The person's own (cited on the person, not on an event) are a column of their own in the CSV export,
# whose "sources" are its row's event's.
_SOURCE_FIELDS = {"sources": "public", "sources_restricted": "restricted", "sources_sealed": "sealed"}
_PERSON_SOURCE_FIELDS = {
    "person_sources": "public",
    "person_sources_restricted": "restricted",
    "person_sources_sealed": "sealed",
}
_UNLINKED_SOURCE = gettext_noop(
    "source %(source)s has no link: kept restricted, as it may name a person (make it public in the admin "
    "if it is a publication)"
)
_PRIVATE_TITLE = gettext_noop(
    "source %(source)s names a phone number, an e-mail or an address: kept restricted (make it public in the "
    "admin with a title that names none)"
)
# A cell with a link that is neither alone nor in brackets ("https://…/z#p. 3", "see https://a and https://b"):
# no one link to cite, and no "has no link" either, which would send the editor looking for one.
_UNREAD_LINK = gettext_noop(
    "source %(source)s holds a link that could not be read apart from its title: kept whole as a title without "
    "a link, restricted, as it may name a person (write it as `title <link>`, or make it public in the admin "
    "if it is a publication)"
)


def _row_sources(row: _Row, fields: dict[str, str] = _SOURCE_FIELDS) -> tuple[SourceSpec, ...]:
    """The sources a row cites: its "Source" cell (" | " between sources), and a staff export's sources that
    only staff may read, each column at its level (`fields`: the columns and their levels); or (JSON) a list
    of source objects or texts."""
    found: list[SourceSpec] = []
    levelled = False
    checked = False
    for field_name, level in fields.items():
        value = row.values.get(field_name)
        if value is None or value == "" or value == []:
            continue
        if not checked:
            checked = True
            # A staff export puts what only staff may read in columns of their own: the sources its public
            # column gives are public, a title without a link too (the rule for a list's column is not for it).
            levelled = any(lvl != "public" and name in row.header for name, lvl in fields.items())
        if isinstance(value, list):
            for number, item in enumerate(value, 1):
                if isinstance(item, dict):
                    spec = _source_object(row, field_name, number, item, level)
                    found += [spec] if spec else []
                elif isinstance(item, str):
                    found += _source_texts(row, field_name, item, level, levelled)
                else:
                    row.problem(
                        field_name,
                        _not_text(gettext_noop("a source must be text or an object, found %(found)s"), item),
                        item,
                    )
        elif isinstance(value, str | Formula):
            # Each source of the cell is checked for a formula (and a quote put before one undone) on its own,
            # as the export neutralises each: a quote before the first is not the cell's to take off.
            text = row.text(field_name) if isinstance(value, Formula) else _text(value)
            found += _source_texts(row, field_name, text, level, levelled)
        else:  # a JSON number or true: no source
            message = _not_text(gettext_noop("a source must be text or an object, found %(found)s"), value)
            row.problem(field_name, message, value)
    return tuple(dict.fromkeys(found))


_YES, _NO = ("true", "yes", "1", "да", "так"), ("false", "no", "0", "нет", "не", "")


def _flag(row: _Row, field_name: str) -> bool:
    """A yes/no cell (a JSON true or false, `true`/`false`, `да`/`нет` …); anything else is a problem."""
    value = row.values.get(field_name)
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = row.text(field_name).lower()
    if text not in _YES + _NO:
        row.problem(field_name, Message(_UNKNOWN_VALUE, value=repr(text), known="true, false"))
    return text in _YES


def _unescaped(text: str) -> str:
    """A title or a place as the CSV export wrote it, its escapes undone (`\\|` is "|"); a backslash before
    anything else, or an even run of them, is the list's own and stays."""

    def undo(match: re.Match[str]) -> str:
        run = len(match[1])
        return "\\" * (run // 2) + match[2] if run % 2 else match[0]

    return _ESCAPED.sub(undo, text) if "\\" in text else text


def _source_texts(
    row: _Row, field_name: str, text: str, level: str, levelled: bool = False
) -> list[SourceSpec]:
    """A cell's sources: `title <link>`, links alone (each a source, titled by its link), or a title alone;
    `title <link> #place` (or `title <> #place`) with the place cited in it. " | " between sources: one inside
    a title or a place is escaped by the export (`\\|`), and so never read as a separator. With `levelled` (a
    staff export's column, which gives each source its level) a title without a link keeps the column's."""
    found = []
    for part in text.split(" | "):
        part = " ".join(part.split())
        if not part:
            continue
        typed = row._typed(field_name, part, part)
        if typed is None:
            continue
        words = [word.rstrip(",;") for word in typed.split()]
        bracketed = _TITLED_LINK.fullmatch(typed)
        trailing = None if bracketed else _TRAILING_LINK.fullmatch(typed)
        if all(LINK.fullmatch(word) for word in words):  # links alone, or "link, link"
            cited = [(word, word, "") for word in words]
        elif bracketed and (bracketed["title"] or bracketed["url"]):
            # The link in angle brackets is said apart from the title, which may hold one of its own (the
            # export's "https://…/a3 copy <https://…/a4>"); without brackets such a title would be two links.
            title, locator = _unescaped(bracketed["title"]), _unescaped((bracketed["locator"] or "").strip())
            cited = [(title or bracketed["url"], bracketed["url"], locator)]
        elif trailing and not LINK.search(trailing["title"]):
            cited = [(trailing["title"], trailing["url"], "")]
        else:
            cited = [(_unescaped(typed), "", "")]
        # Kept whole as a title: say so when the cell held a link (`title <>` says it has none).
        unread = not bracketed and not cited[0][1] and LINK.search(typed)
        unlinked = _UNREAD_LINK if unread else _UNLINKED_SOURCE
        for title, url, locator in cited:
            if len(title) > _SOURCE_TEXT["title"] and title == url:
                title = url[: _SOURCE_TEXT["title"] - 1] + "…"  # the link is kept whole in its own field
            if not _source_checked(row, {"title": title, "url": url, "locator": locator}, part, field_name):
                continue
            source_level = level
            if not url and level == "public" and not levelled:
                # A source without a link is no published page: it may name a relative or a witness.
                source_level = "restricted"
                row.record.warnings.append(Message(unlinked, source=repr(title)))
            elif level == "public" and not levelled and (has_contact(title) or has_address(title)):
                # A title beside a link that names a relative's phone or address was shown with the link.
                source_level = "restricted"
                row.record.warnings.append(Message(_PRIVATE_TITLE, source=repr(title)))
            found.append(
                SourceSpec(
                    title, url, source_confidentiality=source_level, locator=locator, confidentiality=level
                )
            )
    return found


def _source_checked(row: _Row, values: dict[str, str], shown: str, column: str, keyed: bool = False) -> bool:
    """Whether a source's texts fit the registry (lengths, a link it can store). Problems are named at `column`
    (a cell), or with `keyed` at the object's key in it (events[2].sources[1].url)."""
    fits = True
    for key, text in values.items():
        at = f"{column}.{key}" if keyed else column
        if len(text) > _SOURCE_TEXT[key]:
            row.too_long(at, text, _SOURCE_TEXT[key])
            fits = False
        elif key == "url" and text and not _valid_link(text):
            row.problem(at, Message(NOT_A_LINK, value=repr(text)), text if keyed else shown)
            fits = False
    return fits


@lru_cache(maxsize=10_000)
def _valid_link(url: str) -> bool:
    """batch_source.valid_link, once per link (a list cites one link on many rows)."""
    return valid_link(url)


def _object_texts(row: _Row, column: str, obj: dict[str, Any], keys: Iterable[str]) -> dict[str, str]:
    """A JSON object's texts at `keys`, spaces folded ("" for one missing or null); a value that is not text
    is a problem named at its key (events[2].sources[1].url) and left out."""
    texts: dict[str, str] = {}
    for key in keys:
        value = obj.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            row.problem(
                f"{column}.{key}", _not_text(gettext_noop("expected text, found %(found)s"), value), value
            )
            continue
        texts[key] = " ".join(value.split())
    return texts


def _source_object(
    row: _Row, field_name: str, number: int, item: dict[str, Any], level: str
) -> SourceSpec | None:
    """A source object of a JSON export (title, url, document, publisher, published_on, reliability, locator,
    and in a staff export its two levels); each value checked as the registry stores it, a problem named at
    its key (events[2].sources[1].url)."""
    column = f"{row.header.get(field_name, field_name)}[{number}]"
    problems = len(row.record.problems)
    keys = (*_SOURCE_TEXT, "published_on", "reliability", "confidentiality", "source_confidentiality")
    texts = _object_texts(row, column, item, keys)
    for key, known, default in (
        ("reliability", _RELIABILITY, "medium"),
        ("confidentiality", LEVELS, level),
        ("source_confidentiality", LEVELS, level),
    ):
        if key in texts:
            texts[key] = texts[key].lower() or default
            _known(row, f"{column}.{key}", texts[key], known, _UNKNOWN_VALUE)
    published = None
    if texts.get("published_on"):
        try:
            published = dt.date.fromisoformat(texts["published_on"])
        except ValueError:
            message = Message(gettext_noop("not a date as YYYY-MM-DD"))
            row.problem(f"{column}.published_on", message, texts["published_on"])
    if len(row.record.problems) > problems:
        return None
    texts["title"] = texts["title"] or texts["url"]
    if not texts["title"]:
        row.problem(column, Message(gettext_noop("a source needs a title or a link")), "")
        return None
    if not _source_checked(row, {k: texts[k] for k in _SOURCE_TEXT}, texts["title"], column, keyed=True):
        return None
    if (
        not texts["url"]
        and not item.get("source_confidentiality")
        and texts["source_confidentiality"] == "public"
    ):
        # As a cell's source without a link (_source_texts): it may name a relative or a witness. A staff
        # export gives the source's level, which is kept.
        texts["source_confidentiality"] = "restricted"
        row.record.warnings.append(Message(_UNLINKED_SOURCE, source=repr(texts["title"])))
    return SourceSpec(
        texts["title"],
        texts["url"],
        texts["document"],
        texts["publisher"],
        published,
        texts["reliability"],
        texts["source_confidentiality"],
        texts["locator"],
        texts["confidentiality"],
    )


_NOT_MONTHS = gettext_noop("%(value)s is not a term in whole months (0 to %(most)s)")


def _event_from_values(row: _Row, record: PersonRecord, prefix_date: str = "event_date") -> None:
    kind = row.text("event_type")
    if not kind or not _known(
        row, "event_type", kind, EVENT_TYPES, gettext_noop("unknown event type %(value)s (%(known)s)")
    ):
        return
    date = row.parse(prefix_date, parse_date)
    if date is None:
        row.problem(prefix_date, Message(gettext_noop("an event needs a date")))
        return
    release_kind = row.text("release_kind")
    if not _known(
        row,
        "release_kind",
        release_kind,
        RELEASE_KINDS,
        gettext_noop("unknown release kind %(value)s (%(known)s)"),
    ):
        return
    if kind == "released" and not release_kind and "release_kind" in row.header:
        # Said under the empty column (without one, under the event's type, as the history check says it).
        row.problem("release_kind", Message(_RELEASE_WITHOUT_KIND))
        return
    regime = row.text("regime")
    if not _known(row, "regime", regime, REGIMES, gettext_noop("unknown regime %(value)s (%(known)s)")):
        return
    months_text = row.text("sentence_months")
    months = None
    if months_text:
        try:
            months = term_months(months_text)
        except ValueError:
            row.problem(
                "sentence_months",
                Message(_NOT_MONTHS, value=repr(months_text[:40]), most=MAX_TERM_MONTHS),
            )
            return
    level = row.level("event_confidentiality")
    if level is None:
        return
    _row_level(record, level or "public")
    record.events.append(
        EventSpec(
            kind,
            date,
            row.header.get("event_type", "event_type"),
            release_kind=release_kind,
            facility=row.text("facility", 300),
            sentence_months=months,
            regime=regime,
            fine_amount=row.text("fine_amount", 100),
            note=_event_note(row, record, level or ""),
            confidentiality=level or "public",
            case=_case(row),
            organization=_organisation(row, "event_organization"),
            sources=_row_sources(row),
            line=row.raw.line,
        )
    )


def _event_note(row: _Row, record: PersonRecord, level: str) -> str:
    """An event's note: the export's own column (`note`, a JSON event's `note`) at the event's level; a list's
    comment column (`Комментарий`, `Примечание`) is no public note but a restricted source on the person, as in
    a row of one person (_comment), for the same reason."""
    header = row.header.get("note", "note")
    if row.notes:  # the export's own note beside a comment column: each read as what it is
        own = [_lines(v) for h, v in row.notes if _own_note(h)]
        others = [(h, _lines(v)) for h, v in row.notes if not _own_note(h)]
        if own:
            comment = " ".join(v for _, v in others if v)
            column = others[0][0] if others else ""
            comments = set(record.sources)
            record.sources += tuple(c for c in _comment(row, level, comment, column) if c not in comments)
            return " ".join(v for v in own if v)
    elif _own_note(header):
        return row.text("note")
    comments = set(record.sources)
    record.sources += tuple(c for c in _comment(row, level) if c not in comments)
    return ""


def _own_note(header: str) -> bool:
    """Whether a note's column is an export's own (`note`, a JSON event's `events[n].note`)."""
    return header == "note" or header.endswith("].note")


def _long_records(rows: list[RawRow], columns_of: Callable[[RawRow], _Mapped]) -> list[PersonRecord]:
    records: list[PersonRecord] = []
    current_key: tuple[str, str] | None = None
    # Of each record, the level and line of the row that gave each of its person's fields (_fields_of_rows).
    given: list[dict[str, tuple[str, int, str]]] = []
    for raw in rows:
        columns, header, doubles = columns_of(raw)
        key = (
            _text(raw.values.get(header.get("public_id", ""))),
            _text(raw.values.get(header.get("display_name", header.get("name", "")))),
        )
        if current_key != key or not records:
            record = PersonRecord(raw.line, {"lines": []}, singular=False)
            row = _Row(raw, columns, record, header, doubles)
            _person_fields(row, record)
            # The person's columns repeat on each of their rows: read, as their names are, on the first.
            record.sources = _person_sources(row)
            records.append(record)
            level = _level_of(raw, columns, header, doubles)
            given.append(
                {
                    name: (level, raw.line, header.get(field_name, field_name))
                    for name, field_name in _LATER_FIELD_COLUMNS
                    if getattr(record, name)
                }
            )
            current_key = key
        else:
            _later_person_fields(raw, columns, header, doubles, records[-1], given[-1])
        record = records[-1]
        record.warnings.extend(raw.notes)
        record.raw["lines"].append(_jsonable(raw.values))
        _event_from_values(_Row(raw, columns, record, header, doubles), record)
    for record, fields in zip(records, given, strict=True):
        _fields_of_rows(record, fields)
    return records


def _level_of(raw: RawRow, columns: dict[str, str], header: dict[str, str], doubles: dict[str, str]) -> str:
    """A row's level (event_confidentiality), read apart: a problem with it is said once, by its event."""
    return (
        _Row(raw, columns, PersonRecord(raw.line, {}), header, doubles).level("event_confidentiality")
        or "public"
    )


def _fields_of_rows(record: PersonRecord, fields: dict[str, tuple[str, int, str]]) -> None:
    """A one-row-per-event person's fields that rows stricter than the person's most open row gave: not the
    person's, who is seen at that level (a sealed first row's birth day and region were public once a public
    row of the person followed); said, naming the row."""
    person = STRICTNESS[record.rows_level or "public"]
    stricter: dict[tuple[int, str], list[str]] = {}
    for name, (level, line, column) in fields.items():
        if STRICTNESS[level] > person:
            setattr(record, name, None if name == "birth" else "")
            stricter.setdefault((line, level), []).append(repr(column))
    for (line, level), columns in sorted(stricter.items()):
        record.warnings.append(Message(_LATER_FIELDS_STRICTER, line=line, columns=columns, level=level))


_LATER_FIELD_COLUMNS = (
    ("birth", "birth_date"),
    ("gender", "gender"),
    ("region", "region"),
    ("occupation", "occupation"),
)
_LATER_FIELD_DIFFERS = gettext_noop(
    "line %(line)s: %(column)s %(value)s differs from an earlier row of the person (%(first)s): the earlier is read"
)
_LATER_FIELDS_STRICTER = gettext_noop(
    "line %(line)s: %(columns)s of a row stricter (%(level)s) than the person's most open row: not the person's "
    "(a person's fields are seen at the person's level)"
)


def _later_person_fields(
    raw: RawRow,
    columns: dict[str, str],
    header: dict[str, str],
    doubles: dict[str, str],
    record: PersonRecord,
    given: dict[str, tuple[str, int, str]],
) -> None:
    """A one-row-per-event person's later row: its birth date, gender, region and occupation fill in what the
    rows above left empty (recorded in `given` with the row's level), and one that differs is said (they were
    not read, and lost unsaid)."""
    if not any(header.get(f) for _, f in _LATER_FIELD_COLUMNS):
        return
    later = PersonRecord(raw.line, {})
    _described_fields(_Row(raw, columns, later, header, doubles), later)
    record.problems.extend(replace(p, line=p.line or raw.line) for p in later.problems)
    level = _level_of(raw, columns, header, doubles)
    for name, field_name in _LATER_FIELD_COLUMNS:
        value, first = getattr(later, name), getattr(record, name)
        if not value:
            continue
        column = header.get(field_name, field_name)
        if not first:
            setattr(record, name, value)
            given[name] = (level, raw.line, column)
        elif str(value).casefold() != str(first).casefold():
            record.warnings.append(
                Message(
                    _LATER_FIELD_DIFFERS,
                    line=raw.line,
                    column=repr(column),
                    value=repr(str(value)),
                    first=repr(str(first)),
                )
            )
        elif STRICTNESS[level] < STRICTNESS[given.get(name, (level,))[0]]:
            given[name] = (level, raw.line, column)  # the same value, given more openly


_UNREAD_EVENT_KEYS = gettext_noop(
    "%(keys)s: not keys of an event (type, date, release_kind, facility, sentence_months, regime, fine_amount, "
    "note, confidentiality, articles, court, judge, prosecutor, case_number, sources, organization): not read"
)
# Keys of the nested (JSON export) shape, mapped onto the same field names as the columns.
_NESTED_EVENT_KEYS = {
    "type": "event_type",
    "date": "event_date",
    "release_kind": "release_kind",
    "facility": "facility",
    "sentence_months": "sentence_months",
    "regime": "regime",
    "fine_amount": "fine_amount",
    "note": "note",
    "confidentiality": "event_confidentiality",
    "articles": "articles",
    "court": "court",
    "judge": "judge",
    "prosecutor": "prosecutor",
    "case_number": "case_number",
    "sources": "sources",
    "organization": "event_organization",
    "court_organization": "court_organization",
}


def _nested_record(raw: RawRow, columns: dict[str, str], doubles: dict[str, str]) -> PersonRecord:
    record = PersonRecord(raw.line, _jsonable(raw.values), singular=False)
    row = _Row(raw, columns, record, doubles=doubles)
    _person_fields(row, record)
    names = raw.values.get("names")
    if isinstance(names, list):
        record.names = []
        for item in names:
            if isinstance(item, dict) and _text(item.get("text")):
                spec = _nested_name(row, item)
                if spec is not None:
                    record.names.append(spec)
            elif isinstance(item, str) and item.strip():
                text = " ".join(item.split())
                if len(text) > NAME_LENGTH:
                    row.too_long("names", text, NAME_LENGTH)
                else:
                    record.names.append(NameSpec(text))
            elif item not in (None, ""):
                row.problem(
                    "names", _not_text(gettext_noop("a name must be text, found %(found)s"), item), item
                )
        given = raw.values.get("display_name")  # read (and any refusal said) by _person_fields
        if not (isinstance(given, str) and given.strip() and record.display_name == _text(given)):
            record.display_name = record.names[0].text if record.names else ""
        if record.names or names:  # names given (those refused say why): not a missing name
            record.problems = [p for p in record.problems if p.message != _MISSING_NAME]
        if record.names and not record.public_id:
            _no_name(row, record)  # the list's names, checked as a row's are
    record.sources = _person_sources(row, _row_sources(row))
    events = raw.values.get("events") or []
    if not isinstance(events, list):
        row.problem("events", Message(gettext_noop("events must be a list of objects")))
        return record
    for number, item in enumerate(events, 1):
        if not isinstance(item, dict):
            row.problem("events", Message(gettext_noop("each event must be an object")))
            continue
        # Each key is named in problems as the file has it: events[2].date (events counted from 1).
        keys = {f"events[{number}].{k}": k for k in item if k in _NESTED_EVENT_KEYS}
        # "id": the export's own reference to the event, which a registry read back gives anew.
        unread = [
            f"events[{number}].{k}"
            for k in item
            if k not in _NESTED_EVENT_KEYS and k != "id" and item[k] not in (None, "")
        ]
        if unread:  # a partner's own keys ("comment", "place") are never dropped unseen
            record.warnings.append(Message(_UNREAD_EVENT_KEYS, keys=", ".join(map(repr, unread))))
        values = {header: item[key] for header, key in keys.items()}
        fields = {header: _NESTED_EVENT_KEYS[key] for header, key in keys.items()}
        # Articles given as a list of {code, article, part} are parsed as that structure (parse_articles).
        _event_from_values(_Row(RawRow(raw.line, values), fields, record), record)
    # A level given beside the list is the events' at least (as a row of one person's is): never read as public.
    level = row.level("event_confidentiality")
    _at_least(record.events, level)
    if level:
        _row_level(record, level)
    # A comment beside the list is the list's on the person (_comment), kept where only staff read it.
    record.sources += _comment(row, level or "")
    return record


def own_level(record: PersonRecord) -> str:
    """The level of what a row says of its person (fields, names): the person's own level it gives, else its
    facts' (facts_level), else public."""
    return record.confidentiality or facts_level(record) or "public"


def facts_level(record: PersonRecord) -> str | None:
    """The level of a person the record creates when it gives none of its own: the most open of its facts'
    levels (the events', else the levels its rows give), when none of them is public; else None (public).
    Created public, a person known only by restricted or sealed facts had their name and birth year, and the
    sealed case's very existence, on the public list."""
    if record.confidentiality:
        return None
    facts = [e.confidentiality for e in record.events] or ([record.rows_level] if record.rows_level else [])
    if not facts or "public" in facts:
        return None
    return min(facts, key=STRICTNESS.__getitem__)


def at_person_level(record: PersonRecord) -> None:
    """The row's facts, names and sources at the person's level it gives at least: for a stored person more
    open than that level, which the import keeps (a sealed person's export read onto a public namesake wrote the
    sealed detention, its note, a name and a witness's source at their own levels, public)."""
    level = record.confidentiality
    _at_least([*record.events, *filter(None, [record.undated_release])], level)
    for spec in [*record.events, *filter(None, [record.undated_release])]:
        spec.sources = _cited_at_least(spec.sources, level)
    record.sources = _cited_at_least(record.sources, level)
    record.names = [
        replace(n, confidentiality=level) if STRICTNESS[level] > STRICTNESS[n.confidentiality] else n
        for n in record.names
    ]


def _row_level(record: PersonRecord, level: str) -> None:
    if not record.rows_level or STRICTNESS[level] < STRICTNESS[record.rows_level]:
        record.rows_level = level


def _at_least(events: list[EventSpec], level: str | None) -> None:
    """Each event at `level` or a stricter one of its own (a file's level for all its events)."""
    if level and level != "public":
        for spec in events:
            if STRICTNESS[level] > STRICTNESS[spec.confidentiality]:
                spec.confidentiality = level


def _cited_at_least(sources: tuple[SourceSpec, ...], level: str | None) -> tuple[SourceSpec, ...]:
    """Each source cited at `level` or a stricter one of its own."""
    if not level or level == "public":
        return sources
    return tuple(
        replace(spec, confidentiality=level) if STRICTNESS[level] > STRICTNESS[spec.confidentiality] else spec
        for spec in sources
    )


def _nested_name(row: _Row, item: dict[str, Any]) -> NameSpec | None:
    """A name object of a JSON export, each value checked against what the registry stores."""
    text = _text(item.get("text"))
    if len(text) > NAME_LENGTH:
        row.too_long("names", text, NAME_LENGTH)
        return None
    kind = _text(item.get("kind")).lower() or "alias"
    script = _text(item.get("script"))
    script = next((s for s in SCRIPTS if s.lower() == script.lower()), script)
    language = _text(item.get("language"))
    primary, dash, rest = language.partition("-")
    language = primary.lower() + dash + rest  # BCP 47 tags are case-insensitive: "RU" is ru
    scheme = _text(item.get("scheme"))
    level = _text(item.get("confidentiality")).lower() or "public"
    checks = [
        _known(row, "names", kind, NAME_KINDS, gettext_noop("unknown name kind %(value)s (%(known)s)")),
        _known(row, "names", script, SCRIPTS, gettext_noop("unknown script %(value)s (%(known)s)")),
    ]
    if language and not (_LANGUAGE.fullmatch(language) and len(language) <= LANGUAGE_LENGTH):
        row.problem(
            "names",
            Message(gettext_noop("%(value)s is not a language code (e.g. be, ru, en)"), value=repr(language)),
            language,
        )
        checks.append(False)
    if len(scheme) > 32:
        row.too_long("names", scheme, 32)
        checks.append(False)
    if level not in LEVELS:
        given = item.get("confidentiality")
        row.problem("names", Message(_UNKNOWN_LEVEL, value=repr(_shown(given))), _shown(given))
        checks.append(False)
    if not all(checks):
        return None
    return NameSpec(text, language, kind, script, scheme, level)
