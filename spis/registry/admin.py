"""Staff editing. Every save goes through actions.py; editing an event adds a superseding correction.

Nothing is deleted from the admin: deletion is switched off for registry models, and history is kept by
django-simple-history (per-object history pages) and the audit log.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import actions
from .admin_base import NoDeleteMixin, ReadOnlyMixin
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


class CitationInline(NoDeleteMixin, GenericTabularInline):
    model = Citation
    extra = 0
    fields = ["source", "locator", "confidentiality"]
    autocomplete_fields = ["source"]


class NameInline(NoDeleteMixin, admin.TabularInline):
    model = Name
    extra = 1
    fields = ["text", "kind", "script", "language", "scheme", "source", "confidentiality"]
    autocomplete_fields = ["source"]


class EventInline(NoDeleteMixin, admin.TabularInline):
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
        "supersedes",
        "recorded_at",
    ]
    readonly_fields = ["supersedes", "recorded_at"]
    autocomplete_fields = ["facility", "case", "organization"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "case", "organization", "supersedes")


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "public_id",
        "display_name",
        "status",
        "recognized",
        "confidentiality",
        "region",
        "is_synthetic",
    ]
    list_filter = ["status", "recognized", "confidentiality", "gender", "region", "is_synthetic"]
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

    def get_search_results(self, request, queryset, search_term):
        # Search in any script: the shared search function ranks by the name matcher.
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        try:
            from spis.registry.search import search_person_ids
        except ImportError:  # pragma: no cover - search is part of the names issue
            return super().get_search_results(request, queryset, search_term)
        ids = search_person_ids(search_term, limit=500)
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
                if not sub.has_changed() or not sub.cleaned_data or sub.instance.pk:
                    continue
                data = dict(sub.cleaned_data)
                try:
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
            for sub in formset.forms:
                if sub.has_changed() and sub.cleaned_data and not sub.instance.pk:
                    actions.cite(
                        request.user,
                        sub.cleaned_data["source"],
                        person,
                        sub.cleaned_data.get("locator", ""),
                        sub.cleaned_data.get("confidentiality", "public"),
                    )
            return
        super().save_formset(request, form, formset, change)


@admin.register(Event)
class EventAdmin(NoDeleteMixin, SimpleHistoryAdmin):
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
    readonly_fields = ["supersedes", "recorded_at", "recorded_by"]
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
        for sub in formset.forms:
            if sub.has_changed() and sub.cleaned_data and not sub.instance.pk:
                actions.cite(
                    request.user,
                    sub.cleaned_data["source"],
                    form.instance,
                    sub.cleaned_data.get("locator", ""),
                    sub.cleaned_data.get("confidentiality", "public"),
                )


@admin.register(Facility)
class FacilityAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "name_ru", "kind", "region", "address_verified_on", "is_synthetic"]
    list_filter = ["kind", "region", "is_synthetic"]
    search_fields = ["name", "name_be", "name_ru", "postal_address"]


@admin.register(Case)
class CaseAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["number", "articles_display", "court", "judge"]
    search_fields = ["number", "judge", "prosecutor", "court_name"]
    autocomplete_fields = ["court"]


@admin.register(Organization)
class OrganizationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_be", "name_ru"]


@admin.register(Source)
class SourceAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "publisher_name", "published_on", "reliability", "confidentiality"]
    list_filter = ["reliability", "confidentiality"]
    search_fields = ["title", "url", "publisher_name", "document"]


@admin.register(Name)
class NameAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["text", "person", "kind", "script", "language", "scheme"]
    list_filter = ["kind", "script", "language"]
    search_fields = ["text", "keys", "person__public_id"]
    autocomplete_fields = ["person", "source"]
    readonly_fields = ["keys"]


@admin.register(GrantedPerson)
class GrantedPersonAdmin(admin.ModelAdmin):
    list_display = ["user", "person", "granted_at"]
    autocomplete_fields = ["person"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["seq", "at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_id", "action"]
