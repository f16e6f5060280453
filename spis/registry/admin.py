"""Staff editing. Every save goes through actions.py; editing an event adds a superseding correction.

Nothing is deleted from the admin: deletion is switched off for registry models, and history is kept by
django-simple-history (per-object history pages) and the audit log. Every admin and inline here shows only
what the signed-in user may see (admin_base.VisibleRowsMixin, with the rules of spis.access.policy): a sealed
person is absent from every list, search and look-up of an editor without a grant, and a 404 on its pages.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import actions
from .admin_base import NoDeleteMixin, ReadOnlyMixin, VisibleInlineMixin, VisibleRowsMixin, visibility
from .custody import InvalidHistory
from .dates import PartialDate
from .models import (
    AuditEntry,
    Case,
    Citation,
    Event,
    Facility,
    GrantedPerson,
    Name,
    Organization,
    Person,
    Source,
)
from .search import ranked


class CitationInline(VisibleInlineMixin, NoDeleteMixin, GenericTabularInline):
    model = Citation
    extra = 0
    fields = ["source", "locator", "confidentiality"]
    autocomplete_fields = ["source"]


class NameInline(VisibleInlineMixin, NoDeleteMixin, admin.TabularInline):
    model = Name
    extra = 1
    fields = ["text", "kind", "script", "language", "scheme", "source", "confidentiality"]
    autocomplete_fields = ["source"]


class _Corrects:
    @admin.display(description="supersedes")
    def corrects(self, event):
        # The id alone: the corrected event may be at a level the user may not see, and its text would show it.
        return f"#{event.supersedes_id}" if event.supersedes_id else "-"


class EventInline(_Corrects, VisibleInlineMixin, NoDeleteMixin, admin.TabularInline):
    model = Event
    fk_name = "person"
    extra = 1
    fields = [
        "type",
        "release_kind",
        "date",
        "date_precision",
        "facility",
        "case",
        "organization",
        "sentence_months",
        "regime",
        "confidentiality",
        "note",
        "corrects",
        "recorded_at",
    ]
    readonly_fields = ["corrects", "recorded_at"]
    autocomplete_fields = ["facility", "case", "organization"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "case", "organization")


# The columns derived from all of a person's events (actions.DERIVED_FIELDS): a user who may not see every event
# reads them as the events they may see derive them, as on the site (access.queries.as_seen).
_DERIVED = {name.removesuffix("_id") for name in actions.DERIVED_FIELDS}
# The parameters of the filters below; any other look-up on a derived column would filter by the stored value.
_SEEN_LOOKUPS = {"status__exact", "status__isnull", "recognized__exact", "recognized__isnull"}


class _SeenFilter:
    """A change-list filter on a derived column as the user may see it."""

    def queryset(self, request, queryset):
        lookups = {}
        for key, given in self.used_parameters.items():
            values = given if isinstance(given, list) else [given]
            name, _, test = key.partition("__")
            try:
                if test == "isnull":
                    lookups[key] = bool(values[-1])
                else:
                    lookups[f"{name}__in"] = [self.field.to_python(value) for value in values]
            except ValidationError as exc:
                raise IncorrectLookupParameters(exc) from exc
        return visibility().filter_derived(request.user, queryset, **lookups) if lookups else queryset


class _SeenStatusFilter(_SeenFilter, admin.ChoicesFieldListFilter):
    pass


class _SeenRecognizedFilter(_SeenFilter, admin.BooleanFieldListFilter):
    pass


@admin.register(Person)
class PersonAdmin(VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "public_id",
        "name",
        "status",
        "recognized",
        "confidentiality",
        "region",
        "is_synthetic",
    ]
    list_filter = [
        ("status", _SeenStatusFilter),
        ("recognized", _SeenRecognizedFilter),
        "confidentiality",
        "gender",
        "region",
        "is_synthetic",
    ]
    # Not by derived columns, nor with facet counts: both would read the stored values.
    sortable_by = ["public_id", "name", "confidentiality", "region", "is_synthetic"]
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["public_id", "display_name", "names__text", "names__keys"]
    readonly_fields = [
        "public_id",
        "merged_into",
        "status",
        "recognized",
        "first_recognized_on",
        "current_facility",
        "detained_on",
        "released_on",
        "expected_release_on",
        "sentence_months",
        "created_at",
        "updated_at",
    ]
    fields = [
        "public_id",
        "display_name",
        "birth_date",
        "birth_date_precision",
        "gender",
        "region",
        "occupation",
        "confidentiality",
        "consent_note",
        "is_synthetic",
        *readonly_fields[1:],
    ]
    inlines = [NameInline, EventInline, CitationInline]
    list_select_related = ["current_facility"]
    show_full_result_count = False

    @admin.display(description="display name", ordering="sort_name")
    def name(self, obj):
        # The column sorts in alphabet order (the stored key), not by the name's code points.
        return obj.display_name

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.partition("__")[0] in _DERIVED and lookup not in _SEEN_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.result_list = visibility().as_seen(request.user, list(changelist.result_list))
        return changelist

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The page is rendered after any save and saves nothing: what as_seen changes is only shown.
            visibility().as_seen(request.user, [obj])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.spis_past_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # As simple_history does it, less the derived columns (see get_fields).
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=_DERIVED, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if getattr(request, "spis_past_version", False):
            # The history table holds derived columns as they stood at each edit (custody rebuilds write no
            # history), counting events the user may not see: past versions show the fields people edit.
            fields = [f for f in fields if f not in _DERIVED]
        if (
            obj is not None
            and obj.merged_into_id
            and not self.get_queryset(request).filter(pk=obj.merged_into_id).exists()
        ):
            # Merged into a record the user may not see: the link would name that person.
            fields = [f for f in fields if f != "merged_into"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        # Search in any script: the shared search function ranks by the name matcher, over the names the user
        # may see (a hidden alias must not find its person); `queryset` holds only people they may see.
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        levels = visibility().name_levels(request.user)
        ids = [pid for pid, _score, _name in ranked(search_term, 500, levels)[:500]]
        exact = queryset.filter(public_id__iexact=search_term.strip())
        return (queryset.filter(pk__in=ids) | exact), False

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in actions.PERSON_FIELDS if f in form.cleaned_data}
        if change:
            changed = {f: v for f, v in data.items() if f in form.changed_data}
            if changed:
                actions.update_person(request.user, obj, **changed)
        else:
            name = data.pop("display_name")
            birth = data.pop("birth_date", None)
            precision = data.pop("birth_date_precision", "day")
            created = actions.create_person(
                request.user,
                name,
                names=[],
                birth_date=PartialDate(birth, precision) if birth else None,
                is_synthetic=form.cleaned_data.get("is_synthetic", False),
                **data,
            )
            obj.pk, obj.public_id = created.pk, created.public_id
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        # Inline rows are written by actions, never by formset.save(); the admin's change message still reads
        # what that would have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        person = form.instance
        if formset.model is Event:
            for sub in formset.forms:
                if not sub.has_changed() or not sub.cleaned_data or sub.cleaned_data.get("DELETE"):
                    continue
                data = {
                    k: v
                    for k, v in sub.cleaned_data.items()
                    if k in {f.split("_id")[0] for f in actions.EVENT_FIELDS}
                }
                kind = data.pop("type")
                date = PartialDate(data.pop("date"), data.pop("date_precision") or "day")
                data = {k: v for k, v in data.items() if v not in (None, "")}
                try:
                    if sub.instance.pk:
                        actions.correct_event(
                            request.user, Event.objects.get(pk=sub.instance.pk), type=kind, date=date, **data
                        )
                    else:
                        actions.record_event(request.user, person, kind, date, **data)
                except (InvalidHistory, ValueError) as exc:
                    messages.error(request, f"Event not saved: {exc}")
            return
        if formset.model is Name:
            for sub in formset.forms:
                if not sub.has_changed() or not sub.cleaned_data:
                    continue
                data = dict(sub.cleaned_data)
                try:
                    if sub.instance.pk:
                        # An existing name edited in place: through its action (keys, audit, clocks), not
                        # formset.save(), which wrote it unaudited (and before, was skipped unsaid).
                        changed = {f: data[f] for f in sub.changed_data if f in actions.NAME_FIELDS}
                        actions.update_name(request.user, Name.objects.get(pk=sub.instance.pk), **changed)
                        continue
                    actions.add_name(
                        request.user,
                        person,
                        data["text"],
                        kind=data.get("kind") or "alias",
                        script=data.get("script") or "",
                        language=data.get("language") or "",
                        scheme=data.get("scheme") or "",
                        source=data.get("source"),
                        confidentiality=data.get("confidentiality") or "public",
                    )
                except ValueError as exc:
                    messages.error(request, f"Name not saved: {exc}")
            return
        if formset.model is Citation:
            _save_citations(request, formset, person)
            return
        super().save_formset(request, form, formset, change)


def _save_citations(request, formset, target) -> None:
    """The rows of a citation inline through actions: a new row cites, an edited one is updated in place (its
    level, place or source; audited, its person's clocks moved)."""
    for sub in formset.forms:
        if not sub.has_changed() or not sub.cleaned_data:
            continue
        data = sub.cleaned_data
        try:
            if sub.instance.pk:
                changed = {f: data[f] for f in sub.changed_data if f in actions.CITATION_FIELDS}
                actions.update_citation(request.user, Citation.objects.get(pk=sub.instance.pk), **changed)
            else:
                actions.cite(
                    request.user,
                    data["source"],
                    target,
                    data.get("locator", ""),
                    data.get("confidentiality", "public"),
                )
        except ValueError as exc:
            messages.error(request, f"Citation not saved: {exc}")


@admin.register(Event)
class EventAdmin(_Corrects, VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "person",
        "type",
        "release_kind",
        "date_display",
        "facility",
        "confidentiality",
        "recorded_at",
    ]
    list_filter = ["type", "release_kind", "confidentiality", "date_precision"]
    search_fields = ["person__public_id", "person__display_name", "note"]
    autocomplete_fields = ["person", "facility", "case", "organization"]
    readonly_fields = ["corrects", "recorded_at", "recorded_by"]
    exclude = ["supersedes"]
    inlines = [CitationInline]
    list_select_related = ["person", "facility"]

    def save_model(self, request, obj, form, change):
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k in {f.split("_id")[0] for f in actions.EVENT_FIELDS}
        }
        kind = data.pop("type")
        date = PartialDate(data.pop("date"), data.pop("date_precision") or "day")
        data = {k: v for k, v in data.items() if v not in (None, "")}
        try:
            if change:
                new = actions.correct_event(
                    request.user, Event.objects.get(pk=obj.pk), type=kind, date=date, **data
                )
            else:
                new = actions.record_event(request.user, form.cleaned_data["person"], kind, date, **data)
        except (InvalidHistory, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        obj.pk = new.pk

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        _save_citations(request, formset, form.instance)


@admin.register(Facility)
class FacilityAdmin(VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "name_ru", "kind", "region", "address_verified_on", "is_synthetic"]
    list_filter = ["kind", "region", "is_synthetic"]
    search_fields = ["name", "name_be", "name_ru", "postal_address"]


@admin.register(Case)
class CaseAdmin(VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["number", "articles_display", "court", "judge"]
    search_fields = ["number", "judge", "prosecutor", "court_name"]
    autocomplete_fields = ["court"]


@admin.register(Organization)
class OrganizationAdmin(VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_be", "name_ru"]


@admin.register(Source)
class SourceAdmin(VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "publisher_name", "published_on", "reliability", "confidentiality"]
    list_filter = ["reliability", "confidentiality"]
    search_fields = ["title", "url", "publisher_name", "document"]


@admin.register(Name)
class NameAdmin(VisibleRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["text", "person", "kind", "script", "language", "scheme"]
    list_filter = ["kind", "script", "language"]
    search_fields = ["text", "keys", "person__public_id"]
    autocomplete_fields = ["person", "source"]
    readonly_fields = ["keys"]


@admin.register(GrantedPerson)
class GrantedPersonAdmin(VisibleRowsMixin, admin.ModelAdmin):
    # Only admins hold permissions on grants (access/roles.py); the person field offers, as every foreign key
    # to a person here does, only people the user may see, so nobody can grant a person hidden from them.
    list_display = ["user", "person", "granted_at"]
    autocomplete_fields = ["person"]


@admin.register(AuditEntry)
class AuditEntryAdmin(VisibleRowsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["seq", "at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_id", "action"]
    # Below admin, leaving out what the user may not see reads every entry: count once a page, not twice.
    show_full_result_count = False
