"""THE registry of named queries behind every number an outreach document prints.

A template never prints a number itself: `{% figure "stats.recognized_in_custody" %}` runs the named query
at the document's as-of date and adds a numbered note saying what was counted, as of when, from which data
and on which sources, and how to reproduce it. A query without a description cannot be used (FigureError),
so no figure reaches a reader without its note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max

from spis.access import policy
from spis.registry.models import Citation, Event, ReleaseKind

from . import lang as L


class FigureError(Exception):
    """A figure that cannot be cited: unknown query, no description, bad arguments."""


@dataclass
class Answer:
    value: Any
    data: str = ""
    sources: list[str] = field(default_factory=list)
    reproduce: str = ""
    unavailable: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    name: str
    description: Mapping[str, str]
    compute: Callable[[FigureBook, dict[str, Any]], Answer]
    kind: str = "count"  # count | signed | rate | teu | usd | date | series


@dataclass
class Note:
    number: int
    query: str
    value: Any
    text: str
    description: str
    as_of: dt.date
    data: str
    sources: list[str]
    reproduce: str
    unavailable: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "query": self.query,
            "value": self.value.isoformat() if isinstance(self.value, dt.date) else self.value,
            "text": self.text,
            "description": self.description,
            "as_of": self.as_of.isoformat(),
            "data": self.data,
            "sources": self.sources,
            "reproduce": self.reproduce,
            "unavailable": self.unavailable,
        }


QUERIES: dict[str, Query] = {}


def register(query: Query) -> Query:
    QUERIES[query.name] = query
    return query


def _key(name: str, kwargs: dict[str, Any]) -> tuple:
    def part(value: Any) -> str:
        if hasattr(value, "_meta"):
            return f"{value._meta.label_lower}:{value.pk}"
        return repr(value)

    return (name, *sorted((k, part(v)) for k, v in kwargs.items()))


class FigureBook:
    """The figures of one document: computes each named query once and numbers its note.

    `cache` may be shared between documents of one mail-merge (same date and language), so 200 letters
    cost one set of queries.
    """

    def __init__(
        self, as_of: dt.date, lang: str, known_on: dt.date | None = None, cache: dict | None = None
    ) -> None:
        self.as_of, self.lang, self.known_on = as_of, lang, known_on
        self.notes: list[Note] = []
        self._by_key: dict[tuple, Note] = {}
        self.cache = {} if cache is None else cache

    def figure(self, name: str, **kwargs: Any) -> Note:
        query = QUERIES.get(name)
        if query is None:
            known = ", ".join(sorted(QUERIES))
            raise FigureError(f"figure {name!r}: no such query (known: {known})")
        if not (query.description.get(self.lang) or query.description.get("en") or "").strip():
            raise FigureError(f"figure {name!r}: the query has no description, so it cannot be cited")
        key = _key(name, kwargs)
        if key in self._by_key:
            return self._by_key[key]
        cache_key = (key, self.as_of, self.known_on, self.lang)
        if cache_key not in self.cache:
            self.cache[cache_key] = query.compute(self, kwargs)
        answer: Answer = self.cache[cache_key]
        description = (query.description.get(self.lang) or query.description["en"]).format(**answer.params)
        note = Note(
            number=len(self.notes) + 1,
            query=name,
            value=answer.value,
            text=self.format(answer.value, query.kind, answer.unavailable),
            description=description,
            as_of=self.as_of,
            data=answer.data,
            sources=answer.sources,
            reproduce=answer.reproduce,
            unavailable=answer.unavailable,
        )
        self.notes.append(note)
        self._by_key[key] = note
        return note

    def format(self, value: Any, kind: str, unavailable: str = "") -> str:
        if unavailable or value is None:
            return L.phrase(self.lang, "na")
        if kind == "date":
            return L.format_date(value, self.lang)
        if kind == "teu":
            return L.format_teu(value, self.lang)
        if kind == "usd":
            return L.format_usd(value, self.lang)
        if kind == "series":
            key = next(k for k in value[-1] if k != "date") if value else ""
            first, last = (value[0][key], value[-1][key]) if value else (0, 0)
            return f"{L.format_number(first, self.lang)} → {L.format_number(last, self.lang)}"
        if kind == "rate":
            return L.format_number(value, self.lang, 1)
        return L.format_number(value, self.lang, signed=kind == "signed")

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


# ----------------------------------------------------------------------------------------- registry counts


def _registry_provenance(book: FigureBook) -> tuple[str, list[str]]:
    """Where registry counts come from: the spells as of D, and the public sources cited on events. A document
    goes out of the registry: its sources and the date of its last record are those of what the public may
    see (public events of public people), so that neither names a source cited only on a hidden person nor
    dates a hidden write."""

    def build() -> tuple[Any, int, list[tuple[str, int]]]:
        shown = policy.events(None).filter(policy.of_person_seen(None))
        recorded = shown.aggregate(last=Max("recorded_at"))["last"]
        cited = Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Event),
            object_id__in=shown.values("pk"),
            confidentiality="public",
            source__confidentiality="public",
        )
        n_sources = cited.values("source").distinct().count()
        top = list(
            cited.values_list("source__publisher_name")
            .annotate(n=Count("id"))
            .order_by("-n", "source__publisher_name")[:3]
        )
        return recorded, n_sources, [(name or "?", n) for name, n in top]

    recorded, n_sources, top = book.memo("registry-provenance", build)
    recorded_text = L.format_date(recorded.date(), book.lang) if recorded else "—"
    data = L.phrase(
        book.lang, "registry_data", date=L.format_date(book.as_of, book.lang), recorded=recorded_text
    )
    sources = [L.phrase(book.lang, "registry_sources", n=L.format_number(n_sources, book.lang))]
    if top:
        chiefly = ", ".join(f"{name} ({L.format_number(n, book.lang)})" for name, n in top)
        sources[0] += f"; {L.phrase(book.lang, 'chiefly')}: {chiefly}"
    return data, sources


def _counts(book: FigureBook) -> dict[str, Any]:
    from spis.stats.counts import counts

    return book.memo(f"counts:{book.as_of}:{book.known_on}", lambda: counts(book.as_of, book.known_on))


def _stat(path: str) -> Callable[[FigureBook, dict[str, Any]], Answer]:
    def compute(book: FigureBook, kwargs: dict[str, Any]) -> Answer:
        if kwargs:
            raise FigureError(f"figure stats.{path}: takes no arguments (got {', '.join(kwargs)})")
        value: Any = _counts(book)
        for part in path.split("."):
            value = value[part]
        data, sources = _registry_provenance(book)
        known = f" --known-on {book.known_on.isoformat()}" if book.known_on else ""
        return Answer(
            value=value,
            data=data,
            sources=sources,
            reproduce=f"spis stats --as-of {book.as_of.isoformat()}{known} --json → {path}",
        )

    return compute


_STATS = {
    "in_custody": {
        "en": "People held in custody in political cases (recognised or not)",
        "be": "Людзі, якія ўтрымліваюцца пад вартай па палітычных справах (прызнаныя ці не)",
        "ru": "Люди, содержащиеся под стражей по политическим делам (признанные или нет)",
    },
    "recognized_in_custody": {
        "en": "Recognised political prisoners held in custody",
        "be": "Прызнаныя палітвязні, якія ўтрымліваюцца пад вартай",
        "ru": "Признанные политзаключённые, содержащиеся под стражей",
    },
    "recognized_total": {
        "en": "People recognised as political prisoners since 2020 (cumulative)",
        "be": "Людзі, прызнаныя палітвязнямі з 2020 года (усяго)",
        "ru": "Люди, признанные политзаключёнными с 2020 года (всего)",
    },
    "released_total": {
        "en": "Recognised political prisoners released (all kinds of release, cumulative)",
        "be": "Вызваленыя прызнаныя палітвязні (усе віды вызвалення, усяго)",
        "ru": "Освобождённые признанные политзаключённые (все виды освобождения, всего)",
    },
    "died_in_custody": {
        "en": "Recognised political prisoners who died in custody (cumulative)",
        "be": "Прызнаныя палітвязні, якія памерлі пад вартай (усяго)",
        "ru": "Признанные политзаключённые, умершие под стражей (всего)",
    },
}
for _name, _description in _STATS.items():
    register(Query(f"stats.{_name}", _description, _stat(_name)))

_KIND_WORDS = {
    "en": {k.value: k.label for k in ReleaseKind},
    "be": {
        "end_of_term": "па заканчэнні тэрміну",
        "pardon": "памілаванне",
        "amnesty": "амністыя",
        "expelled": "вызваленне з прымусовай высылкай",
        "exchanged": "абмен",
        "house_arrest": "перавод пад хатні арышт",
        "other": "іншае вызваленне",
    },
    "ru": {
        "end_of_term": "по окончании срока",
        "pardon": "помилование",
        "amnesty": "амнистия",
        "expelled": "освобождение с принудительной высылкой",
        "exchanged": "обмен",
        "house_arrest": "перевод под домашний арест",
        "other": "иное освобождение",
    },
}
for _kind in ReleaseKind.values:
    register(
        Query(
            f"stats.released.{_kind}",
            {
                "en": f"Recognised political prisoners released: {_KIND_WORDS['en'][_kind]} (cumulative)",
                "be": f"Вызваленыя прызнаныя палітвязні: {_KIND_WORDS['be'][_kind]} (усяго)",
                "ru": f"Освобождённые признанные политзаключённые: {_KIND_WORDS['ru'][_kind]} (всего)",
            },
            _stat(f"released_by_kind.{_kind}"),
        )
    )


# ----------------------------------------------------------------------------------------- compliance

_COMPLIANCE = {
    "in_scope": (
        "count",
        "People covered by the demand «{demand}»",
        "Людзі, якіх тычыцца патрабаванне «{demand}»",
        "Люди, на которых распространяется требование «{demand}»",
    ),
    "released": (
        "count",
        "People covered by the demand «{demand}» who have been released",
        "Вызваленыя з тых, каго тычыцца патрабаванне «{demand}»",
        "Освобождённые из тех, на кого распространяется требование «{demand}»",
    ),
    "still_held": (
        "count",
        "People covered by the demand «{demand}» who are still held",
        "Тыя, каго тычыцца патрабаванне «{demand}» і хто дагэтуль за кратамі",
        "Те, на кого распространяется требование «{demand}» и кто всё ещё под стражей",
    ),
    "died": (
        "count",
        "People covered by the demand «{demand}» who died in custody",
        "Тыя, каго тычыцца патрабаванне «{demand}» і хто памёр пад вартай",
        "Те, на кого распространяется требование «{demand}» и кто умер под стражей",
    ),
    "newly_recognized": (
        "count",
        "People recognised as political prisoners since the scope date of the demand «{demand}»",
        "Людзі, прызнаныя палітвязнямі пасля даты патрабавання «{demand}»",
        "Люди, признанные политзаключёнными после даты требования «{demand}»",
    ),
    "net_change": (
        "signed",
        "Change in the number of recognised political prisoners held since the scope date of the demand «{demand}»",
        "Змена колькасці палітвязняў за кратамі пасля даты патрабавання «{demand}»",
        "Изменение числа политзаключённых под стражей после даты требования «{demand}»",
    ),
    "release_rate_90d": (
        "rate",
        "Releases per day over the last 90 days among people covered by the demand «{demand}»",
        "Вызваленняў у дзень за апошнія 90 дзён сярод тых, каго тычыцца патрабаванне «{demand}»",
        "Освобождений в день за последние 90 дней среди тех, на кого распространяется требование «{demand}»",
    ),
    "projected_empty_on": (
        "date",
        "Date by which all covered by the demand «{demand}» would be free at the last 90 days' net pace",
        "Дата, калі ўсе, каго тычыцца патрабаванне «{demand}», былі б на волі пры тэмпе апошніх 90 дзён",
        "Дата, к которой все, на кого распространяется требование «{demand}», были бы на свободе при темпе последних 90 дней",
    ),
}


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _compliance_answer(field_name: str) -> Callable[[FigureBook, dict[str, Any]], Answer]:
    def compute(book: FigureBook, kwargs: dict[str, Any]) -> Answer:
        demand = kwargs.get("demand")
        if demand is None or set(kwargs) != {"demand"}:
            raise FigureError(f"figure compliance.{field_name}: needs exactly demand=<a Demand>")
        params = {"demand": _short(demand.text)}
        try:
            from spis.campaigns.compliance import compliance
        except ImportError:  # the campaigns app is optional for the letters that do not quote compliance
            return Answer(None, unavailable="spis.campaigns.compliance", params=params)
        result = book.memo(
            f"compliance:{demand.pk}:{book.as_of}:{book.known_on}",
            lambda: compliance(demand, book.as_of, book.known_on, None, name_limit=0).as_dict(),
        )
        value = result[field_name]
        if field_name == "released":
            value = value["total"]
        if field_name == "projected_empty_on" and value:
            value = dt.date.fromisoformat(value)
        data, sources = _registry_provenance(book)
        campaign = demand.campaign
        scope = L.format_date(demand.scope_date, book.lang)
        data = f"{campaign.title} — {_short(demand.text)} ({demand.scope_kind}, {scope}); {data}"
        return Answer(
            value=value,
            data=data,
            sources=sources,
            reproduce=f"spis campaign status {campaign.slug} --as-of {book.as_of.isoformat()} "
            f"--demand {demand.pk} --json → {field_name}",
            params=params,
        )

    return compute


for _name, (_kind, _en, _be, _ru) in _COMPLIANCE.items():
    register(
        Query(f"compliance.{_name}", {"en": _en, "be": _be, "ru": _ru}, _compliance_answer(_name), _kind)
    )


# ----------------------------------------------------------------------------------------- corridors

_REPORTS: dict[tuple, Any] = {}
_SOURCE_ID = re.compile(r"\bS_[A-Z0-9_]+\b")


def corridor_report(scenario: str) -> tuple[Any, Any]:
    """(network, report) for a scenario of the default corridor model: the staff-edited copy in the database
    that the site and the API show, so a brief quotes the same figures; solved once per model version."""
    from spis.campaigns.corridors_results import corridor_model, network_for
    from spis.corridors import report

    model = corridor_model()
    key = (model.pk, model.updated_at, scenario)
    if key not in _REPORTS:
        network = network_for(model)
        _REPORTS[key] = (network, report(network, scenario))
    return _REPORTS[key]


def _corridor_sources(network: Any, scenario_id: str) -> list[str]:
    """Sources named by the closed links, the flows and the scenario itself, with their URLs."""
    scenario = network.scenario(scenario_id)
    texts: list[str] = []
    for link_id in scenario.closed_links:
        link = network.links.get(link_id)
        if link:
            texts += [link.days.source, link.cost_usd_per_teu.source, link.capacity_teu_per_year.source]
    for flow in network.flows.values():
        texts += [flow.teu_per_year.source, flow.value_usd_per_teu.source]
    if scenario.duration_days is not None:
        texts.append(scenario.duration_days.source)
    ids = sorted({sid for text in texts if text for sid in _SOURCE_ID.findall(text)})
    assumptions = sum(1 for text in texts if text and text.startswith("assumption"))
    listed = [f"{sid} {network.sources[sid].get('url', '')}".strip() for sid in ids if sid in network.sources]
    if assumptions:
        listed.append(f"{assumptions} × assumption: (labelled in the scenario file)")
    return listed


_CORRIDORS = {
    "stranded_teu": (
        "teu",
        "Freight that could not be rerouted within its time limit",
        "Грузы, якія нельга перанакіраваць у межах тэрміну",
        "Грузы, которые нельзя перенаправить в пределах срока",
    ),
    "stranded_value_usd": (
        "usd",
        "Value of the freight that could not be rerouted",
        "Кошт грузаў, якія нельга перанакіраваць",
        "Стоимость грузов, которые нельзя перенаправить",
    ),
    "added_cost_usd": (
        "usd",
        "Added freight and time cost per year of rerouting China–EU freight",
        "Дадатковы кошт перавозкі і часу за год пры перанакіраванні грузаў Кітай–ЕС",
        "Дополнительные расходы на перевозку и время за год при перенаправлении грузов Китай–ЕС",
    ),
    "teu": (
        "teu",
        "China–EU freight volume modelled per year",
        "Аб'ём грузаў Кітай–ЕС у мадэлі за год",
        "Объём грузов Китай–ЕС в модели за год",
    ),
}


def _corridor_answer(field_name: str) -> Callable[[FigureBook, dict[str, Any]], Answer]:
    def compute(book: FigureBook, kwargs: dict[str, Any]) -> Answer:
        scenario = kwargs.get("scenario")
        if not scenario or set(kwargs) != {"scenario"}:
            raise FigureError(f"figure corridors.{field_name}: needs exactly scenario=<scenario id>")
        try:
            network, rep = corridor_report(str(scenario))
        except ImportError:
            return Answer(None, unavailable="spis.corridors", params={"scenario": scenario})
        except ValueError as exc:  # ScenarioError: an unknown id in a measure is the campaigner's typo
            raise FigureError(f"figure corridors.{field_name}: {exc}") from None
        meta = network.meta
        from spis.corridors import DEFAULT_FILE

        shipped = str(Path(DEFAULT_FILE).resolve().relative_to(settings.BASE_DIR))
        data = (
            f"{rep.scenario}: {rep.description} — the site's corridor model ({network.filename}; "
            f"shipped as {shipped}, editable by staff) "
            f"({meta.get('name', '')} v{meta.get('version', '')}, "
            f"base year {meta.get('base_year', '')}); min-cost flow, solver {rep.solver}"
        )
        return Answer(
            value=getattr(rep.totals, field_name),
            data=data,
            sources=_corridor_sources(network, str(scenario)),
            reproduce=f"spis corridors run --scenario {scenario} --json → totals.{field_name}",
            params={"scenario": scenario},
        )

    return compute


for _name, (_kind, _en, _be, _ru) in _CORRIDORS.items():
    register(Query(f"corridors.{_name}", {"en": _en, "be": _be, "ru": _ru}, _corridor_answer(_name), _kind))


# ----------------------------------------------------------------------------------------- time series


def _series_answer(key: str) -> Callable[[FigureBook, dict[str, Any]], Answer]:
    def compute(book: FigureBook, kwargs: dict[str, Any]) -> Answer:
        since = kwargs.get("since")
        if not since or set(kwargs) != {"since"}:
            raise FigureError(f"figure series.{key}: needs exactly since=<YYYY-MM-DD>")
        try:
            start = dt.date.fromisoformat(str(since))
        except ValueError:
            raise FigureError(f"figure series.{key}: since={since!r} is not YYYY-MM-DD") from None
        params = {"since": L.format_date(start, book.lang)}
        try:
            from spis.stats.series import daily_series
        except ImportError:
            return Answer(None, unavailable="spis.stats.series", params=params)
        rows = daily_series(start, book.as_of, known_on=book.known_on)
        data, sources = _registry_provenance(book)
        return Answer(
            value=[{"date": r["date"], key: r[key]} for r in rows],
            data=data,
            sources=sources,
            reproduce=f"spis.stats.series.daily_series({start.isoformat()}, {book.as_of.isoformat()}) → {key}",
            params=params,
        )

    return compute


_SERIES = {
    "recognized_in_custody": {
        "en": "Recognised political prisoners held in custody, day by day since {since}",
        "be": "Прызнаныя палітвязні пад вартай, па днях з {since}",
        "ru": "Признанные политзаключённые под стражей, по дням с {since}",
    },
    "in_custody": {
        "en": "People held in custody in political cases, day by day since {since}",
        "be": "Людзі пад вартай па палітычных справах, па днях з {since}",
        "ru": "Люди под стражей по политическим делам, по дням с {since}",
    },
}
for _name, _description in _SERIES.items():
    register(Query(f"series.{_name}", _description, _series_answer(_name), "series"))


# ----------------------------------------------------------------------------------------- precedents


def _precedent_answer(book: FigureBook, kwargs: dict[str, Any]) -> Answer:
    precedent = kwargs.get("precedent")
    if precedent is None or set(kwargs) != {"precedent"}:
        raise FigureError("figure precedents.number_released: needs exactly precedent=<a Precedent>")
    params = {"code": precedent.code, "country": precedent.country, "date": precedent.date_text}
    caveat = f"; {precedent.caveats}" if precedent.caveats else ""
    return Answer(
        value=precedent.number_released,
        data=f"data/precedents/precedents.csv, row {precedent.code} (“{precedent.number_text}”, "
        f"confidence {precedent.confidence}{caveat})",
        sources=precedent.source_list,
        reproduce=f"spis precedents list --json → {precedent.code}",
        unavailable="" if precedent.number_released is not None else "number not stated in the source",
        params=params,
    )


register(
    Query(
        "precedents.number_released",
        {
            "en": "People released in precedent {code} ({country}, {date}), as the sources state it",
            "be": "Вызваленыя ў прэцэдэнце {code} ({country}, {date}), паводле крыніц",
            "ru": "Освобождённые в прецеденте {code} ({country}, {date}), по данным источников",
        },
        _precedent_answer,
    )
)
