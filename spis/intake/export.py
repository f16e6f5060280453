"""Open data: the registry as CSV (one row per event), JSON (one object per person) or FollowTheMoney entities.

`--public` exports what an anonymous visitor may see, through spis.access.policy (birth year only); without
it, a staff export of everything with its confidentiality level, for backups and moves between instances
(CSV and JSON only: FollowTheMoney has no levels, STAFF_FTM).
Both export only events in force (corrections replace what they supersede). Public ids are stable; dates
print as entered; every name in every script is included. Exports are streamed in chunks of people.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from typing import Any

from django.db.models import Q

from spis.access import changes, policy
from spis.access.queries import seen_values
from spis.registry.actions import clusters
from spis.registry.custody import in_order
from spis.registry.dates import format_partial
from spis.registry.models import Event, Name, Organization, Person, Source, article_label
from spis.registry.models.common import STRICTNESS
from spis.registry.queries import citations_about
from spis.registry.refs import event_refs

from .records import LINK, ORGANISATION_FIELDS, is_quoted

FORMATS = ("csv", "json", "ftm")
CHUNK = 2000
CSV_PERSON = [
    "public_id",
    "display_name",
    "names",
    "birth_date",
    "gender",
    "region",
    "occupation",
    "synthetic",
]
# A record of the synthetic demo registry says so in every format: no invented person may read as a real one.
_SYNTHETIC_NOTE = "Synthetic demo record: not a real person."
# A staff CSV's names that only staff may read, by level (records.py reads them back at that level).
_WITHHELD = (policy.RESTRICTED, policy.SEALED)
CSV_WITHHELD_NAMES = [f"names_{level}" for level in _WITHHELD]
CSV_EVENT = [
    "event_type",
    "event_date",
    "release_kind",
    "facility",
    "articles",
    "sentence_months",
    "regime",
    "fine_amount",
    "court",
    "judge",
    "prosecutor",
    "case_number",
    "note",
    "sources",
    # Who acted (the recognising body, the court), by name; last, so that the columns before keep their places.
    "event_organization",
]
# A staff CSV's sources that only staff may read, by level (the stricter of the citation's and the source's).
CSV_WITHHELD_SOURCES = [f"sources_{level}" for level in _WITHHELD]
# The sources cited on the person rather than on an event, repeated on each of their rows as the names are;
# after the event's columns, so that those keep their places too.
CSV_PERSON_SOURCES = "person_sources"
CSV_WITHHELD_PERSON_SOURCES = [f"person_sources_{level}" for level in _WITHHELD]
# The organisation the event's case is linked to as its court, by name (empty when none): `court` is the court
# as printed, which may name it in another script or be a court of no known organisation. Last of all.
CSV_COURT_ORGANISATION = "court_organization"
# A staff CSV's last: the public ids of the records merged into the person ("BY-000002, BY-000007"), and what
# the family agreed to publish (Person.consent_note).
CSV_STAFF_LAST = ["merged_ids", "consent_note"]
# A public change file's (--changed-since) last column: when the public stopped seeing the person of a
# withdrawal row (made restricted or sealed, merged into another record), empty on the rows of a record.
CSV_WITHDRAWN = "withdrawn_at"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ftm": "application/x-ndjson",
}
_FTM_GENDER = {"m": "male", "f": "female", "x": "other"}
_SUFFIX = {"csv": "csv", "json": "json", "ftm": "ftm.jsonl"}
# FollowTheMoney is read by publication tools (Aleph, OpenSanctions' yente and datasets): they have no
# confidentiality level, and a file loaded into one is shown to whoever may read that collection. A staff
# FtM file would show restricted and sealed people, names and events as public ones, so none is written.
STAFF_FTM = (
    "--format ftm is for publication (Aleph, OpenSanctions), which has no confidentiality levels: a staff "
    "export would show restricted and sealed records as public ones. Add --public, or use --format json or "
    "csv for a staff export (each keeps every level)."
)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _persons(public: bool, changed_since: dt.date | None) -> Any:
    qs = policy.persons(None) if public else Person.objects.filter(merged_into=None)
    if public:
        # The clocks see what this file publishes: a person in it, sealed before the clocks were next read, was
        # never known to them as public, and no later change file said them withdrawn.
        changes.refresh()
    if changed_since is not None:
        since = _moment(changed_since)
        if public:
            # Those whose public record changed (access.changes): a restricted event recorded, or an internal
            # note edited, changes a person's stored record but not what the public may see of it.
            qs = changes.changed_since(None, qs, since)
        else:
            changed = Event.objects.filter(recorded_at__gte=since).values("person_id")
            qs = qs.filter(Q(updated_at__gte=since) | Q(pk__in=changed))
    return qs.order_by("public_id")


def withdrawn(changed_since: dt.date) -> list[dict[str, str]]:
    """The people the public saw and no longer sees since the day (made restricted or sealed, merged into
    another record), oldest first, each as `/api/v1/changes` lists them (`public_id`, `withdrawn_at`): a public
    change file says them too, or a mirror applying the files would keep a record withdrawn for someone's
    safety. The same clocks as the API's (access.changes.withdrawn_since): a person the public never saw is
    never named."""
    changes.refresh()
    return [
        {"public_id": public_id, "withdrawn_at": moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")}
        for public_id, moment in changes.withdrawn_since(None, _moment(changed_since)).values_list(
            "public_id", "withdrawn_at"
        )
    ]


def _article_text(articles: list[dict[str, Any]]) -> str:
    text = ", ".join(article_label(a) for a in articles)
    if any(a.get("code") == "AC-BY" for a in articles):
        text += " КоАП"
    return text


# The columns the export reads, as plain rows: building 100,000 people's model instances (and half a million
# events') cost two thirds of an export.
_PERSON = (
    "pk",
    "public_id",
    "display_name",
    "birth_date",
    "birth_date_precision",
    "gender",
    "region",
    "occupation",
    "status",
    "confidentiality",
    "is_synthetic",
    "consent_note",
)
_NAME = ("person_id", "text", "script", "language", "kind", "scheme", "confidentiality")
_EVENT = (
    "pk",
    "person_id",
    "type",
    "date",
    "date_precision",
    "release_kind",
    "facility__name",
    "organization_id",
    "case_id",
    "case__articles",
    "case__court_id",
    "case__court_name",
    "case__judge",
    "case__prosecutor",
    "case__number",
    "sentence_months",
    "regime",
    "fine_amount",
    "note",
    "confidentiality",
)


_SOURCE = ("title", "url", "document", "publisher_name", "published_on", "reliability", "confidentiality")


def _organisations() -> dict[int, dict[str, Any]]:
    """Every organisation as the export writes it, by id: its names in every script the registry has, what it
    is, its country and website (empty texts left out). Organisations are public knowledge (they have no
    level): a file shows one where an event it holds, or its case, names it. A registry holds tens of them."""
    return {
        row.pop("pk"): {key: value for key, value in row.items() if value != ""}
        for row in Organization.objects.values("pk", *ORGANISATION_FIELDS)
    }


class _Sources:
    """The sources cited on a chunk's people and events, as the export writes them: what each says and where
    (the locator). The public export has only the citations an anonymous visitor may see (public citation of
    a public source, policy.citations); the staff export has every one with both levels."""

    def __init__(self, public: bool) -> None:
        self.public = public
        self.known: dict[int, dict[str, Any]] = {}

    def _source(self, pk: int) -> dict[str, Any]:
        if pk not in self.known:
            for row in Source.objects.filter(pk=pk).values("pk", *_SOURCE):
                self.known[pk] = self._shown(row)
        return self.known[pk]

    def _shown(self, row: dict[str, Any]) -> dict[str, Any]:
        shown = {
            "title": row["title"],
            "url": row["url"],
            # A document reference (an imported file's name, an archive id) is for staff: as on the site.
            "document": "" if self.public else row["document"],
            "publisher": row["publisher_name"],
            "published_on": row["published_on"].isoformat() if row["published_on"] else "",
            "reliability": row["reliability"],
        }
        if not self.public:
            shown["source_confidentiality"] = row["confidentiality"]
        # Empty texts left out: every fact cites its import's source, and half a million of them each with
        # five empty keys would be a third of the file.
        return {key: value for key, value in shown.items() if value != ""}

    def of(self, model: type, chunk: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The citations of a chunk's people (Person) or of their events (Event), in the order they were made
        (by id), by the object's id."""
        qs = citations_about(model, chunk)
        qs = policy.citations(None, qs) if self.public else qs
        found: dict[int, list[dict[str, Any]]] = {}
        for object_id, source, locator, level in qs.order_by("id").values_list(
            "object_id", "source_id", "locator", "confidentiality"
        ):
            # One dict per source, shared by the citations that add nothing to it (no locator, public).
            cited = self._source(source)
            if locator or not self.public:
                cited = {**cited, "locator": locator} if locator else {**cited}
                if not self.public:
                    cited["confidentiality"] = level
            found.setdefault(object_id, []).append(cited)
        return found


def iter_records(public: bool = True, changed_since: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """One dict per person (the JSON export's objects), people in public id order."""
    ids = list(_persons(public, changed_since).values_list("pk", flat=True))
    # The stored status is derived from every event: the public export gives it as the public events derive
    # it, or a restricted detention would show as "in custody" beside events that show none.
    status = seen_values(None, "status") if public else {}
    # The public export names events by reference, not by their sequential ids (registry/refs.py); the staff
    # export, which holds every event, keeps the ids the admin shows.
    ref = event_refs() if public else None
    sources = _Sources(public)
    organisations = _organisations()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        people = Person.objects.filter(pk__in=chunk).order_by("public_id").values(*_PERSON)
        # A record merged into another is part of it, as on the site: its names, events and sources are the
        # canonical record's (a merge is a link; the export has no record of its own for it).
        root_of = {member: root for root, members in clusters(chunk).items() for member in members}
        everyone = list(root_of)
        names_qs = Name.objects.filter(person_id__in=everyone).order_by("person_id", "id")
        names_qs = policy.names(None, names_qs) if public else names_qs
        events_qs = Event.objects.filter(person_id__in=everyone)
        events_qs = (
            policy.events(None, events_qs)
            if public
            else events_qs.filter(superseded_by__isnull=True, retracts=False)
        )
        names: dict[int, list[dict[str, Any]]] = {}
        for name in names_qs.values(*_NAME):
            names.setdefault(root_of[name["person_id"]], []).append(name)
        events: dict[int, list[dict[str, Any]]] = {}
        for event in events_qs.order_by().values(*_EVENT):
            events.setdefault(root_of[event["person_id"]], []).append(event)
        cited: dict[int, list[dict[str, Any]]] = {}
        for member, found in sources.of(Person, everyone).items():
            known = cited.setdefault(root_of[member], [])
            known.extend(source for source in found if source not in known)  # both records cite one list
        cited_events = sources.of(Event, everyone)
        merged: dict[int, list[str]] = {}
        if not public:
            # A staff export keeps the public ids of the records merged into each person: read back, each still
            # finds them (and is never issued to someone else).
            members = [member for member, root in root_of.items() if member != root]
            for member, public_id in (
                Person.objects.filter(pk__in=members).order_by("public_id").values_list("pk", "public_id")
            ):
                merged.setdefault(root_of[member], []).append(public_id)
        for person in people:
            person["merged_ids"] = merged.get(person["pk"], [])
            person["status"] = status.get(person["pk"], person["status"])
            person["sources"] = cited.get(person["pk"], [])
            for event in events.get(person["pk"], []):
                event["sources"] = cited_events.get(event["pk"], [])
                event["organization"] = organisations.get(event["organization_id"])
                event["court_organization"] = organisations.get(event["case__court_id"])
            yield _record(person, names.get(person["pk"], []), events.get(person["pk"], []), ref)


def _record(
    person: dict[str, Any],
    names: list[dict[str, Any]],
    events: list[dict[str, Any]],
    ref: Callable[[int], str] | None,
) -> dict[str, Any]:
    """A person's export object: public (events by reference, `ref`) or, with `ref` None, the staff one."""
    public = ref is not None
    birth, precision = person["birth_date"], person["birth_date_precision"]
    record: dict[str, Any] = {
        "public_id": person["public_id"],
        "display_name": person["display_name"],
        "names": [
            {
                "text": n["text"],
                "script": n["script"],
                "language": n["language"],
                "kind": n["kind"],
                "scheme": n["scheme"],
                **({} if public else {"confidentiality": n["confidentiality"]}),
            }
            for n in names
        ],
        "birth_date": policy.birth_date_shown(None, birth, precision)
        if public
        else format_partial(birth, precision),
        "gender": person["gender"],
        "region": person["region"],
        "occupation": person["occupation"],
        "status": person["status"],
        "synthetic": person["is_synthetic"],
        "sources": person["sources"],
        "events": [],
    }
    if not public:
        record["confidentiality"] = person["confidentiality"]
        record["merged_ids"] = person["merged_ids"]
        record["consent_note"] = person["consent_note"]
    events = in_order(events, lambda e: (e["pk"], e["type"], e["date"], e["date_precision"]))
    for event in events:
        case = event["case_id"] is not None
        court = event["court_organization"]
        item = {
            "id": ref(event["pk"]) if ref else event["pk"],
            "type": event["type"],
            "date": format_partial(event["date"], event["date_precision"]),
            "release_kind": event["release_kind"],
            "facility": event["facility__name"] or "",
            "organization": event["organization"],
            "articles": list(event["case__articles"] or []) if case else [],
            "sentence_months": event["sentence_months"],
            "regime": event["regime"],
            "fine_amount": event["fine_amount"],
            # The court as printed, else the name of the court organisation the case is linked to (whole in
            # court_organization, so that a file read back links it again).
            "court": (event["case__court_name"] or (court or {}).get("name", "")) if case else "",
            "court_organization": court if case else None,
            "judge": event["case__judge"] if case else "",
            "prosecutor": event["case__prosecutor"] if case else "",
            "case_number": event["case__number"] if case else "",
            "note": event["note"],
            "sources": event["sources"],
        }
        if not public:
            item["confidentiality"] = event["confidentiality"]
        record["events"].append(item)
    return record


# What a spreadsheet runs as a formula when a cell starts with it (OWASP "CSV injection"), also after leading
# whitespace: some spreadsheets skip spaces, tabs and line breaks before "=".
_FORMULA_SIGNS = ("=", "+", "-", "@")


def neutralise(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP 'CSV injection'): a cell whose first sign
    after any leading whitespace is =, +, - or @ is written without that whitespace and after a `'`, and a cell
    led by a tab or a carriage return without them; a cell of quotes before such a sign gets one more. The
    import trims a cell's leading whitespace and takes off one `'` before quotes and such a sign
    (records.is_quoted), so each reads back as the import would read the original."""
    text = "" if value is None else str(value)
    bare = text.lstrip()
    # A cell that is quotes before such a sign ("'=A1 is how the list wrote it") is quoted once more: the
    # import takes one quote off, and the cell's own came back without it ("=A1 …").
    if bare[:1] in _FORMULA_SIGNS or is_quoted(bare):
        return "'" + bare
    return bare if text[:1] in ("\t", "\r") else text


# What records.py would read otherwise in a title or a place: "|" (the end of a source), "<" and ">" (its link),
# with any backslashes just before one (which would read as its escape).
_SPECIAL = re.compile(r"(\\*)([|<>])")
# A link records.py reads alone, not as `<link>`: one that ends as a list's "link, link" does not.
_BARE_LINK = re.compile(r"https?://\S*[^\s,;]", re.IGNORECASE)


def _escaped(text: str) -> str:
    """A title or a place as the sources cell writes it: "|", "<" and ">" after a backslash, and the
    backslashes before one doubled, so that records.py reads back the text and never a separator or a link."""
    return _SPECIAL.sub(lambda m: m[1] * 2 + "\\" + m[2], text) if _SPECIAL.search(text) else text


def _sources_at(sources: list[dict[str, Any]], level: str) -> str:
    """A fact's sources at one level as a CSV cell: `title <link>`, the link alone when it is the title, a
    title alone when there is no link; a citation's place in its source after the link, `title <link> #p. 3`
    (`title <> #p. 3` without a link: records.py reads a place only after angle brackets, so that a list's
    own "#" is never taken for one); " | " between them. A title or place is escaped (_escaped), and a title
    without a link that holds one is written `title <>`, so that each source reads back as it is stored.
    A public export's are all public."""
    cells = []
    for cited in sources:
        levels = (
            cited.get("confidentiality", policy.PUBLIC),
            cited.get("source_confidentiality", policy.PUBLIC),
        )
        if max(levels, key=STRICTNESS.__getitem__) != level:
            continue
        url, locator = cited.get("url", ""), _escaped(cited.get("locator", ""))
        title = "" if cited["title"] == url else _escaped(cited["title"])
        if locator:
            cell = f"{title + ' ' if title else ''}<{url}> #{locator}"
        elif not url:
            # A title that holds a link would read as that link (`title: link`): the empty brackets say none.
            cell = f"{title} <>" if LINK.search(title) else title
        elif title or not _BARE_LINK.fullmatch(url):
            cell = f"{title + ' ' if title else ''}<{url}>"
        else:
            cell = url
        cells.append(cell)
    # Each source neutralised, not only the cell's first: records.py reads them one by one. The first is the
    # cell's start, neutralised with the row's cells: twice, a quote of ours would read back as the title's.
    first, *others = dict.fromkeys(cells) or [""]
    return " | ".join(dict.fromkeys([first, *map(neutralise, others)]))


def _names_at(record: dict[str, Any], level: str) -> str:
    """The record's names at one confidentiality level, as a CSV cell (a public record's are all public),
    escaped as a source's title is, so that a name holding " | " reads back as one name."""
    names = record["names"]
    return " | ".join(_escaped(n["text"]) for n in names if n.get("confidentiality", policy.PUBLIC) == level)


def _csv(
    records: Iterator[dict[str, Any]], public: bool, gone: Callable[[], list[dict[str, str]]] | None = None
) -> Iterator[bytes]:
    """`gone`, in a public change file: the withdrawals, written after the records as rows of their own."""
    # A staff export keeps each name's level in a column of its own, so that a restricted name read back
    # (spis import) is restricted again, not public.
    header = CSV_PERSON + ([] if public else ["confidentiality", *CSV_WITHHELD_NAMES]) + CSV_EVENT
    header += [] if public else ["event_confidentiality", *CSV_WITHHELD_SOURCES]
    header += [CSV_PERSON_SOURCES, *([] if public else CSV_WITHHELD_PERSON_SOURCES), CSV_COURT_ORGANISATION]
    header += [] if public else CSV_STAFF_LAST
    # A change file's last column: empty on a record's rows, the moment on a withdrawal's (which gives the
    # public id alone). A full export has no such column, so its header is as it was.
    marker = [""] if gone is not None else []
    header += [CSV_WITHDRAWN] if gone is not None else []
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        person = [
            record["public_id"],
            record["display_name"],
            _names_at(record, policy.PUBLIC),
            record["birth_date"],
            record["gender"],
            record["region"],
            record["occupation"],
            "true" if record["synthetic"] else "",
        ] + (
            [] if public else [record["confidentiality"], *(_names_at(record, level) for level in _WITHHELD)]
        )
        person_sources = [_sources_at(record["sources"], policy.PUBLIC)]
        person_sources += [] if public else [_sources_at(record["sources"], level) for level in _WITHHELD]
        staff = [] if public else [", ".join(record["merged_ids"]), record["consent_note"]]
        for event in record["events"] or [None]:
            cells = [""] * len(CSV_EVENT)
            if event is not None:
                cells = [
                    event["type"],
                    event["date"],
                    event["release_kind"],
                    event["facility"],
                    _article_text(event["articles"]),
                    "" if event["sentence_months"] is None else event["sentence_months"],
                    event["regime"],
                    event["fine_amount"],
                    event["court"],
                    event["judge"],
                    event["prosecutor"],
                    event["case_number"],
                    event["note"],
                    _sources_at(event["sources"], policy.PUBLIC),
                    (event["organization"] or {}).get("name", ""),
                ]
            tail = []
            if not public:
                tail = [event["confidentiality"] if event else ""]
                tail += [_sources_at(event["sources"], level) if event else "" for level in _WITHHELD]
            court = ((event or {}).get("court_organization") or {}).get("name", "")
            writer.writerow(
                [neutralise(c) for c in person + cells + tail + person_sources + [court] + staff + marker]
            )
        yield buffer.getvalue().encode("utf-8")
    if gone is not None:
        buffer.seek(0)
        buffer.truncate()
        for item in gone():
            writer.writerow([item["public_id"], *[""] * (len(header) - 2), item["withdrawn_at"]])
        yield buffer.getvalue().encode("utf-8")


def _json(
    records: Iterator[dict[str, Any]], gone: Callable[[], list[dict[str, str]]] | None = None
) -> Iterator[bytes]:
    """`gone`, in a public change file: the withdrawals, after the records, each an object of `public_id` and
    `withdrawn_at` alone (a record never has `withdrawn_at`)."""
    yield b"["
    first = True
    for record in chain(records, gone() if gone is not None else ()):
        yield (("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)).encode("utf-8")
        first = False
    yield b"\n]\n"


def _ftm_organisation(organisation: dict[str, Any]) -> dict[str, Any]:
    """An organisation as a FollowTheMoney Organization: its id from its name (FtM's habit: the same body named
    by two exports, or on two lines, is one entity; the registry's ids are not published)."""
    digest = hashlib.sha1(organisation["name"].encode(), usedforsecurity=False).hexdigest()[:16]
    props = {
        "name": [organisation["name"]],
        "alias": [
            organisation[key]
            for key in ("name_be", "name_ru")
            if organisation.get(key) and organisation[key] != organisation["name"]
        ],
        "country": [organisation["country"].lower()] if organisation.get("country") else [],
        "website": [organisation["url"]] if organisation.get("url") else [],
    }
    return {
        "id": f"spis-org-{digest}",
        "schema": "Organization",
        "properties": {k: v for k, v in props.items() if v},
    }


def ftm_entities(record: dict[str, Any], seen: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """FollowTheMoney entities: a Person and one Event per event (`involved` points at the person and at the
    event's organisation, the body that recognised them or the court that convicted them), and an Organization
    before the first event that names it (once per export: `seen` holds the ids given already)."""
    seen = set() if seen is None else seen
    person_id = f"spis-{record['public_id']}"
    names = [n["text"] for n in record["names"]]
    # No nationality, citizenship or country: the registry records none (it lists foreigners held in Belarus
    # too), and FtM's `country` of a Thing says no more than "a country" of it. Where each event took place is
    # its Event's `country`.
    props: dict[str, list[str]] = {
        "name": [record["display_name"]],
        "alias": [n for n in names if n != record["display_name"]],
    }
    if record["birth_date"]:
        props["birthDate"] = [record["birth_date"]]
    if record["gender"] in _FTM_GENDER:
        props["gender"] = [_FTM_GENDER[record["gender"]]]
    if record["occupation"]:
        props["position"] = [record["occupation"]]
    if record["synthetic"]:
        props["notes"] = [_SYNTHETIC_NOTE]
    yield {"id": person_id, "schema": "Person", "properties": {k: v for k, v in props.items() if v}}
    for event in record["events"]:
        summary = []
        if event["articles"]:
            summary.append("articles " + _article_text(event["articles"]))
        if event["sentence_months"] is not None:
            summary.append(f"{event['sentence_months']} months")
        if event["regime"]:
            summary.append(event["regime"])
        if event["release_kind"]:
            summary.append(event["release_kind"].replace("_", " "))
        if event["facility"]:
            summary.append(event["facility"])
        involved = [person_id]
        if event["organization"]:
            organisation = _ftm_organisation(event["organization"])
            if organisation["id"] not in seen:
                seen.add(organisation["id"])
                yield organisation
            involved.append(organisation["id"])
        eprops = {
            "name": [event["type"]],
            "date": [event["date"]],
            "involved": involved,
            "country": ["by"],
            "summary": ["; ".join(summary)] if summary else [],
            "sourceUrl": list(dict.fromkeys(c["url"] for c in event["sources"] if "url" in c)),
            "publisher": list(dict.fromkeys(c["publisher"] for c in event["sources"] if "publisher" in c)),
        }
        yield {
            "id": f"{person_id}-event-{event['id']}",
            "schema": "Event",
            "properties": {k: v for k, v in eprops.items() if v},
        }


def _ftm(
    records: Iterator[dict[str, Any]], gone: Callable[[], list[dict[str, str]]] | None = None
) -> Iterator[bytes]:
    """`gone`, in a public change file: the withdrawals, after the entities, each a line as OpenSanctions'
    FtM delta files delete an entity (`{"op": "DEL", "entity": {"id": …}}`): the person's id, whose events'
    ids (`<id>-event-…`) go with it. Not an entity: a tool that loads entities only stops at it, rather
    than keep the person unseen."""
    seen: set[str] = set()
    for record in records:
        lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in ftm_entities(record, seen)]
        yield ("\n".join(lines) + "\n").encode("utf-8")
    for item in gone() if gone is not None else ():
        line = {
            "op": "DEL",
            "entity": {"id": f"spis-{item['public_id']}"},
            "withdrawn_at": item["withdrawn_at"],
        }
        yield (json.dumps(line, sort_keys=True) + "\n").encode("utf-8")


def export(fmt: str, *, public: bool = True, changed_since: dt.date | None = None) -> Iterator[bytes]:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "ftm" and not public:
        raise ValueError(STAFF_FTM)
    records = iter_records(public, changed_since)
    # A public change file ends with the people the public no longer sees (withdrawn), read once the records
    # are written. A full export needs none (what it leaves out is gone); a staff change file has none from
    # the level clocks, which staff do not read (as the API gives admins no `withdrawn`).
    gone = partial(withdrawn, changed_since) if public and changed_since is not None else None
    if fmt == "csv":
        return _csv(records, public, gone)
    if fmt == "json":
        return _json(records, gone)
    return _ftm(records, gone)


def export_public(fmt: str) -> Iterator[bytes]:
    """The open-data download the site links to: what an anonymous visitor may see."""
    return export(fmt, public=True)


def file_name(fmt: str) -> str:
    stamp = dt.datetime.now(dt.UTC).date().isoformat()
    return f"spis-{stamp}.{_SUFFIX[fmt]}"
