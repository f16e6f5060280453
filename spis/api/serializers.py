"""Serializers for /api/v1: output shapes only (the API is read-only except /match, which writes nothing).

Objects arrive already filtered by access.policy (views do that); field rules that depend on the user, such as
the birth date (the year alone below researcher), go through policy here, with the request's user.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spis.access import policy
from spis.registry.dates import DAY, PRECISIONS
from spis.registry.models import Event, Facility, Person, article_label
from spis.registry.refs import event_refs

MAX_MATCH_QUERIES = 100


def _user(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class FacilityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "name_be", "name_ru", "kind", "region"]


class FacilitySerializer(serializers.ModelSerializer):
    people_held = serializers.IntegerField(
        read_only=True,
        help_text="Public records of people held there now (restricted and sealed never counted).",
    )

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "name_be",
            "name_ru",
            "kind",
            "region",
            "postal_address",
            "latitude",
            "longitude",
            "address_verified_on",
            "is_synthetic",
            "people_held",
        ]


def _months() -> serializers.IntegerField:
    # Declared, not derived from the model: the derived bounds depend on the database (64-bit on SQLite,
    # 32-bit on PostgreSQL), and the published schema must be the same whichever database serves it.
    return serializers.IntegerField(
        min_value=0,
        max_value=2147483647,
        allow_null=True,
        read_only=True,
        help_text="Sentence length in months.",
    )


class DatePrecisionField(serializers.ChoiceField):
    """How much of a derived date of a person is known (`year`, `month`, `day`; null with no date), as an
    event's `date_precision`: the date field keeps its type (the first day of the period) for the clients
    that read it, and `2021-01-01` with precision `year` is "2021". Set on the person by access.queries.as_seen,
    from the events the caller may see."""

    def __init__(self, date_field: str, **kwargs: Any) -> None:
        self.date_field = date_field
        kwargs.setdefault(
            "help_text", f"How much of `{date_field}` is known: year, month or day; null with no date."
        )
        super().__init__(choices=PRECISIONS, read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance: Any) -> str | None:
        if getattr(instance, self.date_field) is None:
            return None
        return getattr(instance, f"{self.date_field}_precision", DAY)


class PersonSerializer(serializers.ModelSerializer):
    sentence_months = _months()
    first_recognized_on_precision = DatePrecisionField("first_recognized_on")
    detained_on_precision = DatePrecisionField("detained_on")
    released_on_precision = DatePrecisionField("released_on")
    expected_release_on_precision = DatePrecisionField("expected_release_on")

    """A person in lists: the public fields, the birth date as the policy allows."""

    birth_date = serializers.SerializerMethodField(
        help_text="YYYY for the public; YYYY[-MM[-DD]] for researchers."
    )
    current_facility = FacilityRefSerializer(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(
        read_only=True,
        help_text="When what the caller may see of this person last changed (UTC): a change the caller may "
        "not see (a restricted event, an internal note) does not move it (spis.access.changes).",
    )

    class Meta:
        model = Person
        fields = [
            "public_id",
            "display_name",
            "birth_date",
            "gender",
            "region",
            "occupation",
            "status",
            "recognized",
            "first_recognized_on",
            "detained_on",
            "released_on",
            "expected_release_on",
            "sentence_months",
            "current_facility",
            "is_synthetic",
            "updated_at",
            # After the published fields, so that they keep their places.
            "first_recognized_on_precision",
            "detained_on_precision",
            "released_on_precision",
            "expected_release_on_precision",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_birth_date(self, person: Person) -> str:
        return policy.birth_date_for(_user(self), person)


class NameSerializer(serializers.Serializer):
    text = serializers.CharField()
    script = serializers.CharField()
    language = serializers.CharField()
    kind = serializers.CharField()
    scheme = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    sentence_months = _months()
    id = serializers.SerializerMethodField(
        help_text="The event's reference: 16 hex digits, stable, in no order (registry.refs: a sequential id "
        "would show where an event the caller may not see fell)."
    )

    person = serializers.CharField(source="person.public_id", read_only=True, help_text="Public id.")
    date = serializers.CharField(
        source="date_display", read_only=True, help_text="As entered: YYYY[-MM[-DD]]."
    )
    facility = FacilityRefSerializer(read_only=True, allow_null=True)
    articles = serializers.SerializerMethodField(help_text="Criminal-code articles of the case.")
    case_number = serializers.SerializerMethodField()
    organization = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "person",
            "type",
            "release_kind",
            "date",
            "date_precision",
            "facility",
            "articles",
            "case_number",
            "organization",
            "sentence_months",
            "regime",
            "fine_amount",
            "note",
            "recorded_at",
        ]

    def to_representation(self, event: Event) -> dict[str, Any]:
        data = super().to_representation(event)
        # One person's events (their page, `?person=`) include those of records merged into them, shown under
        # the person asked for, as the site and the export show them; in the list of every event, those of a
        # merged record under the person it was merged into (`merged_under`: {record id: canonical public id}).
        if self.context.get("shown_under"):
            data["person"] = self.context["shown_under"]
        elif event.person_id in self.context.get("merged_under", {}):
            data["person"] = self.context["merged_under"][event.person_id]
        return data

    @extend_schema_field(OpenApiTypes.STR)
    def get_id(self, event: Event) -> str:
        # One key look-up per response: the context is shared by every event serialised in it.
        refs = self.context.get("event_refs")
        if refs is None:
            refs = self.context["event_refs"] = event_refs()
        return refs(event.pk)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_articles(self, event: Event) -> list[str]:
        return [article_label(a) for a in (event.case.articles if event.case else [])]

    @extend_schema_field(OpenApiTypes.STR)
    def get_case_number(self, event: Event) -> str:
        return event.case.number if event.case else ""


class PersonDetailSerializer(PersonSerializer):
    names = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "names", "events"]

    @extend_schema_field(NameSerializer(many=True))
    def get_names(self, person: Person) -> list[dict[str, Any]]:
        # The view read the names of the person's merge cluster the caller may see onto `visible_names`.
        names = getattr(person, "visible_names", None)
        if names is None:
            names = policy.names(_user(self), person.names.all())
        return NameSerializer(names, many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, person: Person) -> list[dict[str, Any]]:
        # The view prefetched the visible events onto `visible_events` (one query for any history length).
        events = getattr(person, "visible_events", None)
        if events is None:
            events = policy.events(_user(self), person.events.all())
        return EventSerializer(events, many=True, context=self.context).data


class StatsSerializer(serializers.Serializer):
    """Exactly the object of `spis stats --json` (stats.counts.counts)."""

    as_of = serializers.DateField()
    known_on = serializers.DateField(allow_null=True)
    in_custody = serializers.IntegerField()
    recognized_in_custody = serializers.IntegerField()
    recognized_total = serializers.IntegerField()
    released_total = serializers.IntegerField()
    released_by_kind = serializers.DictField(child=serializers.IntegerField())
    died_in_custody = serializers.IntegerField()


class SeriesPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    in_custody = serializers.IntegerField()
    recognized_in_custody = serializers.IntegerField()


class FlowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    recognized = serializers.IntegerField()
    detained = serializers.IntegerField()
    released = serializers.IntegerField()
    released_by_kind = serializers.DictField(child=serializers.IntegerField())
    died = serializers.IntegerField()


class SeriesSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    known_on = serializers.DateField(allow_null=True)
    interval = serializers.ChoiceField(choices=["day", "month"])
    daily = SeriesPointSerializer(many=True, required=False)
    monthly = FlowSerializer(many=True, required=False)


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="None when suppressed (0 < n < threshold).")
    display = serializers.CharField(help_text='The count, or "<5" when suppressed.')


class BreakdownSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    label = serializers.CharField()
    as_of = serializers.DateField()
    total = serializers.IntegerField(help_text="Everyone counted, sealed records included.")
    suppression_threshold = serializers.IntegerField()
    rows = BreakdownRowSerializer(many=True)


class WithdrawnSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    withdrawn_at = serializers.DateTimeField(help_text="When the record stopped being shown to the caller.")


class ChangesSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    limit = serializers.IntegerField()
    next = serializers.CharField(
        help_text="Pass as `cursor` to page on: each list resumes after its last row here, so rows that share "
        "one timestamp are each listed once."
    )
    people = PersonSerializer(many=True)
    people_truncated = serializers.BooleanField()
    withdrawn = WithdrawnSerializer(
        many=True,
        help_text="Records the caller saw and no longer sees (made restricted or sealed, merged): take them down.",
    )
    withdrawn_truncated = serializers.BooleanField()
    events = EventSerializer(many=True)
    events_truncated = serializers.BooleanField()


class ApiRootSerializer(serializers.Serializer):
    """The index at /api/v1/: absolute URLs of the routes (those of apps not installed are left out)."""

    people = serializers.URLField()
    events = serializers.URLField()
    facilities = serializers.URLField()
    stats = serializers.URLField()
    stats_series = serializers.URLField()
    changes = serializers.URLField()
    match = serializers.URLField(help_text="POST only.")
    ping = serializers.URLField()
    campaigns = serializers.URLField(required=False)
    precedents = serializers.URLField(required=False)
    corridors = serializers.URLField(required=False)
    schema = serializers.URLField()
    docs = serializers.URLField()


class MatchQuerySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300, help_text="A name in any script or order.")
    birth_date = serializers.RegexField(
        r"^\d{4}(-\d{2}(-\d{2})?)?$",
        required=False,
        allow_blank=True,
        help_text="YYYY, YYYY-MM or YYYY-MM-DD.",
    )


class MatchRequestSerializer(serializers.Serializer):
    queries = MatchQuerySerializer(many=True, allow_empty=False, max_length=MAX_MATCH_QUERIES)
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5, help_text="Candidates per query.")


class MatchCandidateSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    display_name = serializers.CharField()
    matched_name = serializers.CharField(help_text="The spelling that matched best.")
    birth_date = serializers.CharField(help_text="As the policy shows it (the year for the public).")
    score = serializers.FloatField(help_text="Calibrated score in [0, 1].")
    match = serializers.BooleanField(help_text="score >= the documented 'same person' threshold.")
    explanation = serializers.CharField()


class MatchResponseItemSerializer(serializers.Serializer):
    query = MatchQuerySerializer()
    results = MatchCandidateSerializer(many=True)


class MatchResponseSerializer(serializers.Serializer):
    threshold = serializers.FloatField()
    responses = MatchResponseItemSerializer(many=True)
