"""Views of /api/v1. Every read goes through access.policy; every list and detail runs a fixed number of
queries whatever the page size (select_related / Prefetch), which tests/api check at page sizes 5 and 50.

Statistics return exactly what the CLI prints with --json (`spis stats --json` == GET /api/v1/stats), so a
figure quoted from either is reproducible from the other.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import (
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from spis.access import changes, policy
from spis.access.queries import as_seen, filter_as_seen, get_person_for, held_counts, search
from spis.names import SAME_THRESHOLD, match
from spis.registry.actions import cluster_ids
from spis.registry.dates import parse_iso_date
from spis.registry.models import Case, Event, EventType, Facility, Name, Person
from spis.registry.models.common import LARGEST_INTEGER
from spis.registry.refs import event_refs
from spis.stats.breakdowns import DIMENSION_KEYS, breakdown
from spis.stats.counts import counts
from spis.stats.series import daily_series, monthly_flows

from . import cursors
from . import serializers as s
from .pagination import RememberedCountPagination
from .permissions import ReadOnlyOrMatch
from .throttling import MatchRateThrottle

SERIES_START = dt.date(2020, 5, 1)
# A search ranks at most this many people; deeper pages of a name search are not useful and cost time.
MAX_SEARCH_RESULTS = 500
MAX_CHANGES = 1000


def _date_param(request: Any, name: str, default: dt.date | None = None) -> dt.date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return parse_iso_date(raw, name)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None


def whole_number(raw: str, name: str) -> int:
    """A query parameter's whole number, or a 400 that names the parameter (never a 500 for a long one)."""
    try:
        number = int(raw)
    except ValueError:
        raise ValidationError({name: [f"{raw!r} is not a whole number"]}) from None
    if abs(number) > LARGEST_INTEGER:
        raise ValidationError({name: [f"{raw!r} is out of range"]})
    return number


def _int_param(request: Any, name: str) -> int | None:
    raw = request.query_params.get(name)
    return None if raw in (None, "") else whole_number(raw, name)


def _today() -> dt.date:
    return timezone.now().date()


class PublicReadMixin:
    permission_classes = [ReadOnlyOrMatch]


# ---------------------------------------------------------------- people

PEOPLE_FILTERS = [
    OpenApiParameter("q", str, description="Name in any script or transliteration; results ranked by match."),
    OpenApiParameter("status", str, enum=list(Person.Status.values)),
    OpenApiParameter("recognized", bool, description="Recognised as a political prisoner today."),
    OpenApiParameter("region", str, description="Region (voblasc), exactly as listed."),
    OpenApiParameter("gender", str, enum=list(Person.Gender.values)),
    OpenApiParameter("article", str, description="Criminal-code article number, e.g. 342 or 361-1."),
    OpenApiParameter("facility", int, description="Id of the facility where the person is held now."),
    OpenApiParameter("sentence_min", int, description="Latest sentence at least this many months."),
    OpenApiParameter("sentence_max", int, description="Latest sentence at most this many months."),
    OpenApiParameter("detention_year", int, description="Year the latest custody began."),
]


FILTER_NAMES = [p.name for p in PEOPLE_FILTERS if p.name != "q"]


def _article_person_ids(user: Any, article: str) -> QuerySet:
    """People with an event in force, visible to the user, whose case lists this article."""
    # JSON containment differs between SQLite and PostgreSQL; the JSON text reads the same on both
    # (Django and the importers write `"article": "342"`), so match it as text.
    needle = f'"article": "{article.strip()}"'
    cases = Case.objects.annotate(text=Cast("articles", TextField())).filter(text__contains=needle)
    return policy.events(user).filter(case__in=cases.values("pk")).values("person_id")


def filter_people(user: Any, qs: QuerySet[Person], params: Any) -> QuerySet[Person]:
    """Apply the list filters; a bad value raises ValidationError naming the parameter.

    Filters on derived columns (status, recognition, facility, sentence, detention) select by what the events
    the caller may see derive (access.queries.filter_as_seen): a restricted recognition, detention or
    sentence must not place a person in a filtered list.
    """
    derived: dict[str, Any] = {}
    value = params.get("status")
    if value:
        if value not in Person.Status.values:
            raise ValidationError({"status": [f"{value!r} is not one of {', '.join(Person.Status.values)}"]})
        derived["status"] = value
    value = params.get("recognized")
    if value:
        if value.lower() not in ("true", "false", "1", "0"):
            raise ValidationError({"recognized": [f"{value!r}: expected true or false"]})
        derived["recognized"] = value.lower() in ("true", "1")
    value = params.get("gender")
    if value:
        if value not in Person.Gender.values:
            raise ValidationError({"gender": [f"{value!r} is not one of {', '.join(Person.Gender.values)}"]})
        qs = qs.filter(gender=value)
    if params.get("region"):
        qs = qs.filter(region=params["region"])
    if params.get("article"):
        qs = qs.filter(pk__in=_article_person_ids(user, params["article"]))
    for name, lookup in [
        ("facility", "current_facility_id"),
        ("sentence_min", "sentence_months__gte"),
        ("sentence_max", "sentence_months__lte"),
        ("detention_year", "detained_on__year"),
    ]:
        raw = params.get(name)
        if raw not in (None, ""):
            number = whole_number(raw, name)
            # Dates only exist for years 1..9999; a year outside the registry's range simply matches nobody.
            if name == "detention_year" and not 1900 <= number <= 2100:
                raise ValidationError({name: [f"{number} is not a year between 1900 and 2100"]})
            derived[lookup] = number
    return filter_as_seen(user, qs, **derived)


class PersonList(PublicReadMixin, generics.ListAPIView):
    """People the caller may see; with `q`, ranked by name match (through spis.registry.search).

    With `q`, `count` is exact on the last page; before it, it counts the people ranked so far plus one, so
    that `next` is set whenever another page exists (at most 500 ranked results in all).
    """

    serializer_class = s.PersonSerializer

    def paginate_queryset(self, queryset: Any) -> list | None:
        page = super().paginate_queryset(queryset)
        if page is None or not page or not isinstance(page[0], Person):
            return page
        # Derived fields as the events the caller may see derive them (a restricted recognition stays hidden),
        # and `updated_at` as the time what the caller may see last changed.
        user = self.request.user
        return list(changes.stamp(user, as_seen(user, page)))

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        qs = policy.persons(user).select_related("current_facility").order_by("sort_name", "pk")
        return filter_people(user, qs, self.request.query_params)

    @extend_schema(parameters=PEOPLE_FILTERS, operation_id="people_list")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        query = (request.query_params.get("q") or "").strip()
        if not query:
            return super().get(request, *args, **kwargs)
        if len(query) > 200:
            raise ValidationError({"q": ["at most 200 characters"]})
        # Rank by search, then keep the filtered ones: the page is sliced from a ranked list of ids, and the
        # people on it are read in one query.
        # Ask search for just enough ranked people to fill this page and know whether another follows (the
        # cost of a search grows with its limit); filters drop some, so ask for more when they are set.
        offset = max(self.paginator.get_offset(request), 0)
        wanted = offset + self.paginator.get_limit(request) + 1
        filtered = any(request.query_params.get(name) for name in FILTER_NAMES)
        hits = search(request.user, query, min(MAX_SEARCH_RESULTS, wanted * (4 if filtered else 1)))
        ranked = [hit.person.pk for hit in hits]
        allowed = set(self.get_queryset().filter(pk__in=ranked).values_list("pk", flat=True))
        ids = [pk for pk in ranked if pk in allowed]
        page_ids = self.paginate_queryset(ids)
        found = list(self.get_queryset().filter(pk__in=page_ids))
        people = {p.pk: p for p in changes.stamp(request.user, as_seen(request.user, found))}
        data = self.get_serializer([people[pk] for pk in page_ids if pk in people], many=True).data
        return self.get_paginated_response(data)


class PersonDetail(PublicReadMixin, generics.GenericAPIView):
    serializer_class = s.PersonDetailSerializer

    @extend_schema(
        operation_id="people_retrieve",
        responses={
            200: s.PersonDetailSerializer,
            301: OpenApiResponse(description="A merged record: Location names the canonical person."),
            404: OpenApiResponse(description="No such person, or not visible to the caller."),
        },
    )
    def get(self, request: Any, public_id: str) -> Any:
        person = get_person_for(request.user, public_id)
        if person.public_id != public_id:
            # Merged duplicates keep their id forever and point at the record that absorbed them.
            return HttpResponsePermanentRedirect(reverse("api-person-detail", args=[person.public_id]))
        person = Person.objects.select_related("current_facility").get(pk=person.pk)
        # The record with those merged into it, as the site and the export show it (a merge is a link: their
        # names and events stay on their rows), each row at a level the caller may see.
        cluster = cluster_ids(person)
        person.visible_events = list(_visible_events(request.user).filter(person_id__in=cluster))
        person.visible_names = list(policy.names(request.user, Name.objects.filter(person_id__in=cluster)))
        # Status, recognition, dates and facility as the events the caller may see derive them.
        (person,) = changes.stamp(request.user, as_seen(request.user, [person]))
        return Response(self.get_serializer(person).data)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "shown_under": self.kwargs.get("public_id")}


def _visible_events(user: Any) -> QuerySet[Event]:
    return (
        policy.events(user)
        .select_related("person", "facility", "case", "organization")
        .order_by("date", "id")
    )


class PersonEvents(PublicReadMixin, generics.ListAPIView):
    """Events of one person, oldest first (the person must be visible; merged ids resolve)."""

    serializer_class = s.EventSerializer

    def get_queryset(self) -> QuerySet[Event]:
        person = get_person_for(self.request.user, self.kwargs["public_id"])
        self.shown_under = person.public_id
        return _visible_events(self.request.user).filter(person_id__in=cluster_ids(person))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "shown_under": getattr(self, "shown_under", None)}

    @extend_schema(operation_id="people_events_list")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


EVENT_FILTERS = [
    OpenApiParameter("type", str, enum=list(EventType.values)),
    OpenApiParameter("person", str, description="Public id."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Events on or after this date."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Events on or before this date."),
]


class EventList(PublicReadMixin, generics.ListAPIView):
    """Events in force of people the caller may see, newest first."""

    serializer_class = s.EventSerializer
    pagination_class = RememberedCountPagination

    def get_queryset(self) -> QuerySet[Event]:
        user = self.request.user
        # A public event of a sealed person is still about a sealed person: filter by person too. EXISTS per
        # event: the database then walks the index event_by_date newest first and stops at the page, instead of
        # sorting every visible event.
        public_id = self.request.query_params.get("person")
        if public_id:
            # One person's events are those of their merge cluster, as on their page (a merged record's id
            # resolves to it); the person decides who may see them, each event its own level.
            try:
                person = get_person_for(user, public_id)
            except Http404:
                # No event (each has a person); not none(): the remembered count compiles the query's SQL.
                visible = Q(person_id__isnull=True)
            else:
                self.shown_under = person.public_id
                visible = Q(person_id__in=cluster_ids(person))
        else:
            # Every person's events include those of the records merged into them, under the person, as their
            # page and `?person=` give them: the merges are read once, and a merged record's events pass by the
            # person it was merged into (EXISTS per event for the others, as before).
            self.merged_under = policy.merged_seen(user)
            visible = policy.of_cluster_seen(user, self.merged_under)
        return _visible_events(user).filter(visible, *self._filters()).order_by("-date", "-id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "shown_under": getattr(self, "shown_under", None),
            "merged_under": getattr(self, "merged_under", {}),
        }

    def _filters(self) -> list[Q]:
        params, filters = self.request.query_params, []
        if params.get("type"):
            if params["type"] not in EventType.values:
                raise ValidationError(
                    {"type": [f"{params['type']!r} is not one of {', '.join(EventType.values)}"]}
                )
            filters.append(Q(type=params["type"]))
        start, end = _date_param(self.request, "from"), _date_param(self.request, "to")
        if start:
            filters.append(Q(date__gte=start))
        if end:
            filters.append(Q(date__lte=end))
        return filters

    @extend_schema(parameters=EVENT_FILTERS, operation_id="events_list")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# ---------------------------------------------------------------- facilities


def _facilities(user: Any) -> QuerySet[Facility]:
    # The places the user may know of (policy.facilities), counted as the public sees them
    # (access.queries.held_counts), whoever asks: a count per facility is a small cell, restricted and sealed
    # people never appear in one, and a person is counted where the visible events place them, as on the site.
    held = held_counts(None)
    whens = [When(pk=pk, then=Value(n)) for pk, n in held.items()]
    people_held = models.Case(*whens, default=Value(0), output_field=IntegerField())
    return policy.facilities(user).annotate(people_held=people_held).order_by("name", "pk")


class FacilityList(PublicReadMixin, generics.ListAPIView):
    serializer_class = s.FacilitySerializer

    def get_queryset(self) -> QuerySet[Facility]:
        qs = _facilities(self.request.user)
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        region = self.request.query_params.get("region")
        if region:
            qs = qs.filter(region=region)
        return qs

    @extend_schema(
        operation_id="facilities_list",
        parameters=[
            OpenApiParameter("kind", str, enum=list(Facility.Kind.values)),
            OpenApiParameter("region", str),
        ],
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class FacilityDetail(PublicReadMixin, generics.RetrieveAPIView):
    serializer_class = s.FacilitySerializer
    queryset = Facility.objects.none()

    def get_object(self) -> Facility:
        facility = _facilities(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if facility is None:
            raise NotFound("No such facility")
        return facility

    @extend_schema(operation_id="facilities_retrieve")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# ---------------------------------------------------------------- statistics


class StatsView(PublicReadMixin, APIView):
    @extend_schema(
        operation_id="stats_retrieve",
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: today (UTC)."),
            OpenApiParameter("known_on", OpenApiTypes.DATE, description="Only events recorded by then."),
        ],
        responses={200: s.StatsSerializer},
    )
    def get(self, request: Any) -> Response:
        """The headline counts; the same object as `spis stats --as-of … [--known-on …] --json`."""
        as_of = _date_param(request, "as_of", _today())
        known_on = _date_param(request, "known_on")
        return Response(counts(as_of, known_on))


class SeriesView(PublicReadMixin, APIView):
    @extend_schema(
        operation_id="stats_series_retrieve",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="Default: 2020-05-01."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Default: today (UTC)."),
            OpenApiParameter(
                "known_on", OpenApiTypes.DATE, description="Daily only: events recorded by then."
            ),
            OpenApiParameter("interval", str, enum=["day", "month"], description="Default: day."),
        ],
        responses={200: s.SeriesSerializer},
    )
    def get(self, request: Any) -> Response:
        """Daily counts in custody (`interval=day`) or monthly flows (`interval=month`)."""
        start = _date_param(request, "start", SERIES_START)
        end = _date_param(request, "end", _today())
        known_on = _date_param(request, "known_on")
        interval = request.query_params.get("interval") or "day"
        if interval not in ("day", "month"):
            raise ValidationError({"interval": [f"{interval!r} is not one of day, month"]})
        if end < start:
            raise ValidationError({"end": [f"{end} is before start {start}"]})
        if (end - start).days > 366 * 30:
            raise ValidationError({"start": ["a series covers at most 30 years"]})
        body: dict[str, Any] = {"start": start, "end": end, "known_on": known_on, "interval": interval}
        if interval == "day":
            body["daily"] = daily_series(start, end, known_on=known_on)
        else:
            if known_on is not None:
                raise ValidationError({"known_on": ["only for interval=day"]})
            body["monthly"] = monthly_flows(start, end)
        return Response(s.SeriesSerializer(body).data)


class BreakdownView(PublicReadMixin, APIView):
    @extend_schema(
        operation_id="stats_breakdowns_retrieve",
        parameters=[
            OpenApiParameter("dimension", str, OpenApiParameter.PATH, enum=DIMENSION_KEYS),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: today (UTC)."),
        ],
        responses={200: s.BreakdownSerializer, 404: OpenApiResponse(description="Unknown dimension.")},
    )
    def get(self, request: Any, dimension: str) -> Response:
        """Recognised political prisoners in custody on `as_of` by one dimension; cells under the
        suppression threshold read "<5" with a null count; sealed records count only in `total`."""
        if dimension not in DIMENSION_KEYS:
            raise NotFound(f"dimension: {dimension!r} is not one of {', '.join(DIMENSION_KEYS)}")
        as_of = _date_param(request, "as_of", _today())
        return Response(breakdown(request.user, dimension, as_of).to_dict())


# ---------------------------------------------------------------- changes


class ChangesView(PublicReadMixin, APIView):
    @extend_schema(
        operation_id="changes_retrieve",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="YYYY-MM-DD or an ISO 8601 timestamp (UTC; URL-encode a + as %2B). Required "
                "unless `cursor` is given.",
            ),
            OpenApiParameter(
                "cursor",
                OpenApiTypes.STR,
                description="The `next` of the previous response: page on from where each list stopped "
                "(instead of `since`).",
            ),
            OpenApiParameter("limit", int, description=f"Per list, at most {MAX_CHANGES}; default 100."),
        ],
        responses={200: s.ChangesSerializer},
    )
    def get(self, request: Any) -> Response:
        """People whose record, as the caller may see it, changed since a moment, people the caller saw and no
        longer sees (withdrawn: made restricted or sealed, or merged into another record; take them down), and
        events recorded since then, oldest first; page on by passing `next` as `cursor` while a list is
        truncated. A change the caller may not see lists no one."""
        cursor = _changes_cursor(request)
        since = cursor.since
        limit = _int_param(request, "limit")
        limit = 100 if limit is None else limit
        if not 1 <= limit <= MAX_CHANGES:
            raise ValidationError({"limit": [f"between 1 and {MAX_CHANGES}"]})
        user = request.user
        at = cursor.positions.get
        # A person is listed when what the caller may see of them changed (access.changes), not when any
        # write touched them: a restricted event or an internal note must not surface a public person here.
        # Each list pages on from its own position (cursors): a `since` alone repeats a timestamp's rows.
        changes.refresh()
        people_since = at("people").at if at("people") else since
        found = changes.changed_since(
            user, policy.persons(user).select_related("current_facility"), people_since
        )
        people = list(cursors.after(found, "seen_updated_at", "public_id", at("people"))[: limit + 1])
        # EXISTS per event: the database then walks the events recorded since by their index, in order, and
        # stops at the limit (100,000 people, SQLite: 120 → 6 ms). An event of a record merged into a person is
        # that person's, as in /events and on their page.
        merged = policy.merged_seen(user)
        visible = policy.of_cluster_seen(user, merged)
        events_since = at("events").at if at("events") else since
        recorded = (
            _visible_events(user).filter(visible, recorded_at__gte=events_since).order_by("recorded_at", "id")
        )
        events = list(cursors.events_after(recorded, at("events"))[: limit + 1])
        withdrawn_since = at("withdrawn").at if at("withdrawn") else since
        gone = changes.withdrawn_since(user, withdrawn_since)
        withdrawn = list(
            cursors.after(gone, "withdrawn_at", "public_id", at("withdrawn")).values(
                "public_id", "withdrawn_at"
            )[: limit + 1]
        )
        truncated = {
            "people": len(people) > limit,
            "withdrawn": len(withdrawn) > limit,
            "events": len(events) > limit,
        }
        people, withdrawn, events = people[:limit], withdrawn[:limit], events[:limit]
        ref = event_refs()
        if people:
            cursor.moved("people", cursors.Position(people[-1].seen_updated_at, people[-1].public_id))
        if withdrawn:
            cursor.moved(
                "withdrawn", cursors.Position(withdrawn[-1]["withdrawn_at"], withdrawn[-1]["public_id"])
            )
        if events:
            cursor.moved("events", cursors.Position(events[-1].recorded_at, ref(events[-1].pk)))
        context = {"request": request, "merged_under": merged}
        return Response(
            {
                "since": since,
                "until": timezone.now(),
                "limit": limit,
                "next": cursor.dumps(),
                "people": s.PersonSerializer(
                    changes.stamp(user, as_seen(user, people)), many=True, context=context
                ).data,
                "people_truncated": truncated["people"],
                "withdrawn": s.WithdrawnSerializer(withdrawn, many=True).data,
                "withdrawn_truncated": truncated["withdrawn"],
                "events": s.EventSerializer(events, many=True, context=context).data,
                "events_truncated": truncated["events"],
            }
        )


def _changes_cursor(request: Any) -> cursors.Cursor:
    """Where each list of /changes starts: the `cursor` given, or a new one at `since`."""
    raw, token = request.query_params.get("since"), request.query_params.get("cursor")
    if token and raw:
        # The cursor carries its own `since`; two starting points would leave one of them silently unused.
        raise ValidationError({"cursor": ["give `since` or `cursor`, not both"]})
    if token:
        try:
            return cursors.loads(token)
        except cursors.BadCursor as exc:
            raise ValidationError({"cursor": [str(exc)]}) from None
    return cursors.Cursor(_since(raw), {})


def _since(raw: str | None) -> dt.datetime:
    if not raw:
        raise ValidationError({"since": ["required: YYYY-MM-DD or an ISO 8601 timestamp"]})
    if re.fullmatch(r"\S+ \d\d(:?\d\d)?", raw):
        # A + left unencoded in a query string arrives as a space (application/x-www-form-urlencoded).
        raise ValidationError(
            {"since": [f"{raw!r}: the offset's + arrived as a space; URL-encode the + as %2B"]}
        )
    try:
        if len(raw) == 10:
            return dt.datetime.combine(parse_iso_date(raw, "since"), dt.time.min, tzinfo=dt.UTC)
        moment = parse_datetime(raw)
    except ValueError as exc:
        # parse_datetime reads the form first and raises only for a well-formed but impossible moment.
        message = str(exc) if len(raw) == 10 else f"{raw!r}: not a real date or time"
        raise ValidationError({"since": [message]}) from None
    if moment is None:
        raise ValidationError({"since": [f"{raw!r}: expected YYYY-MM-DD or an ISO 8601 timestamp"]})
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------- match


class MatchView(PublicReadMixin, APIView):
    allows_post = True
    throttle_classes = [MatchRateThrottle]

    @extend_schema(
        operation_id="match_create",
        request=s.MatchRequestSerializer,
        responses={200: s.MatchResponseSerializer, 400: OpenApiResponse(description="Invalid request.")},
    )
    def post(self, request: Any) -> Response:
        """Batch name matching, like yente's /match: per query, the best candidates among people the caller
        may see, each with a calibrated score and a human-readable explanation. At most 100 queries."""
        body = s.MatchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        limit = body.validated_data["limit"]
        responses = [
            {"query": query, "results": _candidates(request.user, query, limit)}
            for query in body.validated_data["queries"]
        ]
        return Response({"threshold": SAME_THRESHOLD, "responses": responses}, status=status.HTTP_200_OK)


def _candidates(user: Any, query: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """Search retrieves candidates; each is then scored against every spelling the caller may see (one
    query for all of them), so a transliteration can win where the display name would not."""
    name, birth = query["name"], query.get("birth_date") or None
    hits = search(user, name, limit * 3)
    spellings: dict[int, list[str]] = {}
    visible_names = policy.names(user, Name.objects.filter(person_id__in=[h.person.pk for h in hits]))
    for person_id, text in visible_names.values_list("person_id", "text"):
        spellings.setdefault(person_id, []).append(text)
    results = []
    for hit in hits:
        person = hit.person
        # Compare only what the caller may see: the public compare birth years, not full dates.
        shown_birth = policy.birth_date_for(user, person)
        best = None
        for text in spellings.get(person.pk) or [hit.name]:
            try:
                outcome = match(name, text, birth, shown_birth or None)
            except ValueError as exc:
                raise ValidationError({"queries": [{"name": [str(exc)]}]}) from None
            if best is None or outcome.score > best[0].score:
                best = (outcome, text)
        if best is None:
            continue
        outcome, text = best
        results.append(
            {
                "public_id": person.public_id,
                "display_name": person.display_name,
                "matched_name": text,
                "birth_date": shown_birth,
                "score": outcome.score,
                "match": outcome.same,
                "explanation": outcome.explanation,
            }
        )
    results.sort(key=lambda r: (-r["score"], r["public_id"]))
    return results[:limit]


# ---------------------------------------------------------------- root

# The index at /api/v1/: (key, URL name) of each collection and computing route. Routes of other apps' api
# modules are listed when they are installed (v1.py includes them when they exist).
ROOT_ROUTES = [
    ("people", "api-person-list"),
    ("events", "api-event-list"),
    ("facilities", "api-facility-list"),
    ("stats", "api-stats"),
    ("stats_series", "api-stats-series"),
    ("changes", "api-changes"),
    ("match", "api-match"),
    ("ping", "api-ping"),
    ("campaigns", "api-campaign-list"),
    ("precedents", "api-campaign-precedents"),
    ("corridors", "api-corridor-list"),
    ("schema", "api-schema"),
    ("docs", "api-docs"),
]


class ApiRoot(PublicReadMixin, APIView):
    throttle_classes: list = []

    @extend_schema(operation_id="root_retrieve", responses={200: s.ApiRootSerializer})
    def get(self, request: Any) -> Response:
        """The API's routes: each collection's (or computing route's) absolute URL, by name."""
        routes = {}
        for key, name in ROOT_ROUTES:
            try:
                routes[key] = request.build_absolute_uri(reverse(name))
            except NoReverseMatch:
                continue
        return Response(routes)


# ---------------------------------------------------------------- health


def healthz(request: Any) -> JsonResponse:
    """A trivial view (no database): load balancers, and the baseline of bench/bench_web.py."""
    return JsonResponse({"ok": True})


class Ping(PublicReadMixin, APIView):
    throttle_classes: list = []

    @extend_schema(operation_id="ping_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Any) -> Response:
        return Response({"ok": True, "version": settings.SPECTACULAR_SETTINGS.get("VERSION", "")})
