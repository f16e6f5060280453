"""The public site. Every person, name, event and citation shown is read through spis.access.policy."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from spis.access import policy
from spis.access.pagecache import public_page
from spis.access.queries import (
    as_seen,
    filter_as_seen,
    get_person_for,
    held_at,
    held_counts,
    order_as_seen,
    search_visible_ids,
)
from spis.registry.actions import cluster_ids
from spis.registry.custody import in_order
from spis.registry.models import Case, Citation, Event, Facility, Name, Person
from spis.registry.models.common import LARGEST_INTEGER
from spis.registry.queries import in_ids
from spis.stats import breakdowns, charts, series
from spis.stats.counts import counts
from spis.stats.memo import memoised

from . import labels

SERIES_START = dt.date(2020, 1, 1)
SEARCH_LIMIT = 500
# Researchers (who see full birth dates) get the next 30 days; everyone else this month and the next, so
# that the feed changes only when the month does and the day a name appears tells nothing of the birthday.
BIRTHDAY_DAYS = 30
RELEASE_DAYS = 90
# Feeds are read by people choosing whom to write to; past a few hundred names a page stops being useful.
FEED_LIMIT = 300


def _today() -> dt.date:
    return timezone.now().date()


def _cached(name: str, parts: tuple, build):
    """`build()` memoised on the registry's version (stats.memo: audit head, newest spell, generation), per
    language: it changes only when the registry does, admin edits included."""
    return memoised(f"web:{name}", ":".join(str(p) for p in (*parts, get_language())), build)


@public_page
def home(request):
    as_of = _today()
    # Counts, the daily series since 2020 and the monthly flows take seconds at 100,000 people; they change
    # only when the registry does.
    context = _cached("home", (as_of,), lambda: _home_context(as_of))
    return render(request, "web/home.html", context)


def _home_context(as_of: dt.date) -> dict:
    daily = series.daily_series(SERIES_START, as_of)
    flows = series.monthly_flows(SERIES_START, as_of)
    context = {
        "stats": counts(as_of),
        "custody_chart": charts.line_chart_svg(
            daily,
            ["in_custody", "recognized_in_custody"],
            title=_("People in custody since 2020"),
            labels={
                "in_custody": _("in custody"),
                "recognized_in_custody": _("recognised political prisoners in custody"),
            },
        ),
        "custody_table": charts.monthly_points(daily),
        "flows": flows,
        "flows_chart": charts.line_chart_svg(
            flows,
            ["released", "recognized"],
            title=_("Releases and new recognitions per month"),
            labels={"released": _("released"), "recognized": _("newly recognised")},
        ),
        "dimensions": _dimensions(),
    }
    return context


def _dimensions() -> list[tuple[str, str]]:
    return list(breakdowns.DIMENSIONS)


def _translated_rows(key: str, rows: list[dict]) -> list[dict]:
    """Breakdown rows with labels in the visitor's language where the site has one: words by table, places by
    the facility's own name in that language, articles in the language's abbreviation of the code."""
    if key == "facility":
        table = {
            str(f.pk): f.name_in(get_language())
            for f in Facility.objects.filter(pk__in=[r["key"] for r in rows if r["key"].isdigit()])
        }
    elif key == "article":
        table = {}
        for row in rows:
            code, _, number = row["key"].partition(":")
            if code in labels.CODE_ARTICLE:
                table[row["key"]] = labels.CODE_ARTICLE[code] % {"number": number}
    else:
        table = {"gender": labels.GENDER, "release_kind": labels.RELEASE, "region": labels.REGION}.get(
            key, labels.BREAKDOWN_ROW
        )
    return [{**row, "label": table.get(row["key"], row["label"])} for row in rows]


# --- the list ---------------------------------------------------------------------------------------------


def _articles(user) -> list[str]:
    """Article numbers of the cases that events the user may see, of people the user may see, link to (an
    article only a restricted case names, or only the charge of a hidden person, would reveal that one
    exists), memoised on the registry and the user's levels."""

    def collect() -> list[str]:
        seen: set[str] = set()
        # A public event of a sealed person is still about a sealed person (as the events API filters). By
        # level alone, as the memo's key: an editor's granted sealed people are not every editor's.
        visible = policy.of_person_seen(user, granted=False)
        cases = Case.objects.filter(pk__in=policy.events(user).filter(visible).values("case_id"))
        # Most cases repeat a few lists of articles: the database gives each distinct list once (100,000 demo
        # people: 0.8 → 0.4 s).
        for articles in (
            cases.values_list("articles", flat=True).order_by().distinct().iterator(chunk_size=5000)
        ):
            for article in articles or []:
                if article.get("article"):
                    seen.add(str(article["article"]))
        return sorted(seen, key=_article_sort_key)

    return memoised("web:articles", ",".join(policy.levels_for(user)), collect)


def _article_sort_key(article: str) -> tuple:
    head, _, tail = article.partition("-")
    return (int(head) if head.isdigit() else 10**6, head, tail)


def _int_param(request, name: str, default: int | None = None) -> int | None:
    try:
        number = int(request.GET.get(name, ""))
    except ValueError:
        return default
    return number if abs(number) <= LARGEST_INTEGER else default


@public_page
def person_list(request):
    user = request.user
    params = request.GET
    people = policy.persons(user)
    q = params.get("q", "").strip()[:200]
    ranked: list[int] | None = None
    if q:
        ranked = search_visible_ids(user, q, SEARCH_LIMIT)
        people = people.filter(pk__in=in_ids(ranked))
    # Derived columns (status, sentence, detention) are filtered as the reader's visible events derive them:
    # a restricted detention or sentence must not place a person in a list (access.queries.filter_as_seen).
    status = params.get("status", "")
    if status in labels.STATUS:
        people = filter_as_seen(user, people, status=status)
    region = params.get("region", "")
    if region:
        people = people.filter(region=region)
    gender = params.get("gender", "")
    if gender in labels.GENDER:
        people = people.filter(gender=gender)
    article = params.get("article", "").strip()
    if article:
        # Through the user's visible events only: a restricted charge must not place a person in a list.
        # The stored JSON is written with json.dumps defaults, so the quoted pair pins the exact article.
        cases = Case.objects.filter(articles__icontains=f'"article": "{article}"').values("pk")
        with_article = policy.events(user).filter(case_id__in=cases)
        people = people.filter(pk__in=with_article.values("person_id"))
    facility = _int_param(request, "facility")
    if facility:
        people = held_at(user, [facility], people)
    band = labels.SENTENCE_BANDS.get(params.get("sentence", ""))
    if band:
        _, low, high = band
        within = {"sentence_months__gte": low} | ({} if high is None else {"sentence_months__lt": high})
        people = filter_as_seen(user, people, **within)
    year = _int_param(request, "year")
    if year:
        people = filter_as_seen(user, people, detained_on__year=year)
    sort = params.get("sort", "")
    if sort not in labels.SORTS:
        sort = "relevance" if ranked is not None else "name"
    if sort == "relevance":
        # Search order: the rank from the search function, applied in Python to at most SEARCH_LIMIT ids.
        order = {pk: i for i, pk in enumerate(ranked or [])}
        id_list = sorted(people.values_list("pk", flat=True), key=lambda pk: order.get(pk, len(order)))
    else:
        # Left to the database (COUNT, then LIMIT/OFFSET): at 100,000 people a page costs two small queries.
        # A derived column sorts as the reader's visible events derive it: a restricted detention date must
        # not place a person in the list (access.queries.order_as_seen).
        id_list = order_as_seen(user, people, labels.SORTS[sort][1][0])
    per_page = _int_param(request, "per_page", 25)
    if per_page not in labels.PAGE_SIZES:
        per_page = 25
    page = Paginator(id_list, per_page).get_page(params.get("page"))
    rows = _page_people(user, list(page.object_list))
    facilities = policy.facilities(user).order_by("name").only("id", "name", "name_be", "name_ru")
    levels = tuple(policy.levels_for(user))
    regions = _cached("regions", levels, lambda: _regions(user))
    years = range(_today().year, SERIES_START.year - 1, -1)
    context = {
        "page": page,
        "people": rows,
        "total": page.paginator.count,
        "q": q,
        "filters": {
            "status": status,
            "region": region,
            "gender": gender,
            "article": article,
            "facility": facility,
            "sentence": params.get("sentence", ""),
            "year": year,
            "sort": sort,
            "per_page": per_page,
        },
        "statuses": labels.STATUS.items(),
        "genders": labels.GENDER.items(),
        "bands": [(key, value[0]) for key, value in labels.SENTENCE_BANDS.items()],
        "sorts": [(key, value[0]) for key, value in labels.SORTS.items()],
        "page_sizes": labels.PAGE_SIZES,
        "regions": regions,
        "facilities": facilities,
        "articles": _articles(user),
        "years": years,
    }
    return render(request, "web/person_list.html", context)


def _regions(user) -> list[str]:
    # By level only (not an editor's sealed grants), so that the cache key of levels is exact.
    visible = policy.persons(user).filter(confidentiality__in=policy.levels_for(user))
    visible = visible.exclude(region="").order_by("region")
    return list(visible.values_list("region", flat=True).distinct())


def _page_people(user, ids: list[int]) -> list[Person]:
    """One page of people in the given order, with their visible names and facility: a fixed number of queries."""
    # No ORDER BY: sorting all names by kind makes SQLite walk the whole table instead of the person index.
    visible_names = policy.names(user, Name.objects.order_by())
    people = policy.persons(user).filter(pk__in=ids).select_related("current_facility")
    people = people.prefetch_related(Prefetch("names", queryset=visible_names, to_attr="visible_names"))
    by_pk = {p.pk: p for p in people}
    return list(as_seen(user, [by_pk[pk] for pk in ids if pk in by_pk]))


# --- one person -------------------------------------------------------------------------------------------


@public_page
def person_detail(request, public_id: str):
    user = request.user
    person = get_person_for(user, public_id)
    if person.public_id != public_id:
        # A merged duplicate: its id stays valid forever and points at the record it was merged into.
        return redirect("web-person", public_id=person.public_id, permanent=True)
    # Status, recognition, dates and facility as the events this reader may see derive them.
    (person,) = as_seen(user, [person])
    cluster = cluster_ids(person)
    names = sorted(
        policy.names(user, Name.objects.filter(person_id__in=cluster)),
        key=lambda n: (n.kind != Name.Kind.PRIMARY, n.script != Name.Script.CYRILLIC, n.language, n.pk),
    )
    events = in_order(
        policy.events(user, Event.objects.filter(person_id__in=cluster))
        .select_related("facility", "case", "organization")
        .order_by("date", "id"),
        lambda e: (e.pk, e.type, e.date, e.date_precision),
    )
    citations = _citations_for(user, events, person)
    timeline = [{"event": event, "sources": citations.get(("event", event.pk), [])} for event in events]
    # Where the visible events place them, as the facility pages and the API do (access.queries.held_at): a
    # restricted transfer moves no one here either, and hiding the place would reveal that one exists.
    facility = person.current_facility
    held = person.status == Person.Status.IN_CUSTODY
    recognitions = [row for row in timeline if row["event"].type == "recognized"]
    cyrillic = [n for n in names if n.script == Name.Script.CYRILLIC]
    letter_name = next((n.text for n in cyrillic if n.language == "ru"), None) or next(
        (n.text for n in cyrillic), person.display_name
    )
    birth = policy.birth_date_for(user, person)
    context = {
        "person": person,
        "names": names,
        "timeline": timeline,
        "person_sources": citations.get(("person", person.pk), []),
        "facility": facility if held else None,
        "held": held,
        "recognitions": recognitions,
        "birth": birth,
        "letter_name": letter_name,
        "letter_year": birth[:4],
        "cases": _cases(events),
    }
    return render(request, "web/person_detail.html", context)


def _cases(events: list[Event]) -> list[Case]:
    seen: dict[int, Case] = {}
    for event in events:
        if event.case_id and event.case_id not in seen:
            seen[event.case_id] = event.case
    return list(seen.values())


def _citations_for(user, events: list[Event], person: Person) -> dict[tuple[str, int], list[Citation]]:
    event_type = ContentType.objects.get_for_model(Event)
    person_type = ContentType.objects.get_for_model(Person)
    qs = policy.citations(
        user,
        Citation.objects.filter(
            Q(content_type=event_type, object_id__in=[e.pk for e in events])
            | Q(content_type=person_type, object_id=person.pk)
        ),
    ).select_related("source")
    found: dict[tuple[str, int], list[Citation]] = {}
    for citation in qs.order_by("id"):
        kind = "event" if citation.content_type_id == event_type.pk else "person"
        found.setdefault((kind, citation.object_id), []).append(citation)
    return found


# --- facilities -------------------------------------------------------------------------------------------


@public_page
def facility_list(request):
    held = held_counts(request.user)
    facilities = list(policy.facilities(request.user).order_by("kind", "name"))
    for facility in facilities:
        facility.held = held.get(facility.pk, 0)
    return render(request, "web/facility_list.html", {"facilities": facilities})


@public_page
def facility_detail(request, pk: int):
    facility = get_object_or_404(policy.facilities(request.user), pk=pk)
    # Sorted here rather than by the database: the page lists everyone held (a few thousand at most), and an
    # ORDER BY on the key tempts SQLite into walking the public's whole name index (registry_person_sort)
    # instead of the facility's people.
    held = held_at(request.user, [facility.pk]).order_by()
    people = sorted(held, key=lambda person: (person.sort_name, person.pk))
    return render(request, "web/facility_detail.html", {"facility": facility, "people": people})


# --- statistics and open data -----------------------------------------------------------------------------


@public_page
def statistics(request):
    as_of = _today()
    # Rows depend only on the levels the reader may see (sealed people never enter a cell).
    levels = tuple(policy.levels_for(request.user))
    tables = _cached("statistics", (as_of, *levels), lambda: _statistics_tables(request.user, as_of))
    return render(request, "web/statistics.html", {"tables": tables, "as_of": as_of})


def _statistics_tables(user, as_of: dt.date) -> list[dict]:
    tables = []
    for key, title in breakdowns.DIMENSIONS:
        result = breakdowns.breakdown(user, key, as_of)
        rows = _translated_rows(key, result.rows)
        tables.append(
            {
                "key": key,
                "title": title,
                "rows": rows,
                "total": result.total,
                "chart": charts.bar_chart_svg(rows, title=str(title)),
            }
        )
    return tables


@public_page
def statistics_csv(request, dimension: str):
    if dimension not in breakdowns.DIMENSION_KEYS:
        raise Http404("No such breakdown")
    as_of = _today()
    result = breakdowns.breakdown(request.user, dimension, as_of)
    response = HttpResponse(result.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="spis-{dimension}-{as_of.isoformat()}.csv"'
    return response


@public_page
def open_data(request):
    return render(request, "web/open_data.html", {"formats": ["csv", "json", "ftm"]})


# --- feeds ------------------------------------------------------------------------------------------------


def _public_in_custody(user, **lookups):
    # Feeds invite letters and cards, so they list only people whose families agreed to publication,
    # whatever the reader's role; "in custody" (and any further derived `lookups`) as the events the reader
    # may see derive it, in one filter_as_seen.
    public = policy.persons(user).filter(confidentiality="public")
    return filter_as_seen(user, public, status=Person.Status.IN_CUSTODY, **lookups)


def _birthday_window(user, today: dt.date) -> list[dt.date]:
    """The days the birthdays feed covers: the next 30 for readers who see birth days; otherwise every day
    of this month and the next, a window that moves only when the month changes."""
    if policy.shows_birth_day(user):
        return [today + dt.timedelta(days=i) for i in range(BIRTHDAY_DAYS)]
    first = today.replace(day=1)
    after_next = (first + dt.timedelta(days=62)).replace(day=1)
    return [first + dt.timedelta(days=i) for i in range((after_next - first).days)]


@public_page
def birthdays(request):
    """Birthdays in the coming weeks; a full date shows only to roles the policy allows, else the month."""
    user = request.user
    today = _today()
    window = _birthday_window(user, today)
    full = policy.shows_birth_day(user)
    month_days = {(d.month, d.day): d for d in window}
    months = {d.month for d in window}
    people = _public_in_custody(user).filter(birth_date__month__in=months, birth_date_precision="day")
    # Unordered (sorted below): the model's order by name would have SQLite walk the name index of every person.
    people = people.order_by()
    rows = []
    for person in people:
        born = (person.birth_date.month, person.birth_date.day)
        # 29 February counts, in a common year, on the 28th.
        when = month_days.get(born) or (month_days.get((2, 28)) if born == (2, 29) else None)
        if when is None:
            continue
        rows.append({"person": person, "on": when, "full": full})
    if full:
        rows.sort(key=lambda row: (row["on"], row["person"].sort_name, row["person"].pk))
    else:
        # Below researcher the policy shows birth years only: the feed groups by month, without the day.
        rows.sort(
            key=lambda row: (row["on"].year, row["on"].month, row["person"].sort_name, row["person"].pk)
        )
    context = {
        "rows": rows[:FEED_LIMIT],
        "total": len(rows),
        "days": BIRTHDAY_DAYS,
        "full": full,
        "first_month": window[0],
        "last_month": window[-1],
        "today": today,
    }
    return render(request, "web/birthdays.html", context)


@public_page
def releases(request):
    user = request.user
    today = _today()
    people = as_seen(
        user,
        list(
            _public_in_custody(
                user,
                expected_release_on__gte=today,
                expected_release_on__lte=today + dt.timedelta(days=RELEASE_DAYS),
            ).order_by("expected_release_on", "sort_name", "pk")
        ),
    )
    # Sorted again after as_seen: the stored order would place a person by a date the reader may not see.
    people = sorted(people, key=lambda person: (person.expected_release_on, person.sort_name, person.pk))
    context = {"people": people[:FEED_LIMIT], "total": len(people), "days": RELEASE_DAYS, "today": today}
    return render(request, "web/releases.html", context)
