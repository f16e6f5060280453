"""Import batches in the admin, and what every registry admin page may show (RegistryRows).

RegistryRows is here, not in the registry, because the registry may not import spis.access (DESIGN.md arrows):
this module may, and Django's admin loads it (with every app's admin module) before it serves a page. Each rule
is spis.access.policy's word on one model; registry/admin_base.py applies them to every list, page, search,
look-up and action of the registry admin.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import BigIntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from spis.access import policy, queries
from spis.registry import admin_base
from spis.registry.models import (
    AuditEntry,
    Case,
    Citation,
    Event,
    Facility,
    GrantedPerson,
    Judgement,
    Name,
    Organization,
    Person,
    Source,
)
from spis.registry.queries import id_values

from . import admin_review  # noqa: F401  (registers the duplicate review queue)
from .models import ImportBatch, ImportRow
from .views import _hidden_people, _redact


def _people(user):
    # Merged records too: the admin lists them (each page says what it was merged into).
    return policy.persons(user, include_merged=True).values("pk")


def _person_rows(user, qs):
    return qs.filter(pk__in=_people(user))


def _name_rows(user, qs):
    return policy.names(user, qs).filter(person__in=_people(user))


def _event_rows(user, qs):
    # Corrected and retracted events stay listed (the admin shows what a correction replaced), at the levels
    # the user may see.
    hidden = policy.hidden_events(user, in_force=False).values("pk")
    return qs.filter(person__in=_people(user)).exclude(pk__in=hidden)


def _case_rows(user, qs):
    # A case is known through the events that cite it: shown when the user may see one of them, or when no
    # event cites it yet (a new case, waiting to be attached).
    cited = Event.objects.filter(case__isnull=False)
    return qs.filter(Q(pk__in=_event_rows(user, cited).values("case")) | ~Q(pk__in=cited.values("case")))


def _citation_rows(user, qs):
    qs = policy.citations(user, qs)
    for model, rule in [(Person, _person_rows), (Name, _name_rows), (Event, _event_rows), (Case, _case_rows)]:
        shown = rule(user, model.objects.all()).values("pk")
        qs = qs.exclude(Q(content_type=ContentType.objects.get_for_model(model)) & ~Q(object_id__in=shown))
    return qs


def _source_rows(user, qs):
    return policy.sources(user, qs)


def _rows_of_people(user, qs):
    # A row about one person (a grant, an import row, a letter): shown when the person is, or when it has none.
    return qs.filter(Q(person=None) | Q(person__in=_people(user)))


def _every_row(user, qs):
    # Places and bodies (prisons, courts, recognising organisations) are public knowledge.
    return qs


# Keys of the audit log's before/after values that hold a person's public id (actions.py, merge.py, outreach).
_PERSON_KEYS = ["person", "left", "right", "merged_into", "public_id"]


def _audit_rows(user, qs):
    """Entries about nothing the user may not see: an entry whose object is a hidden person, name, event,
    citation, source, case or judgement, or whose values name a hidden person, is left out."""
    if policy.sees_every_level(user):
        return qs  # an admin: every person, name, event and source
    hidden = Q()
    for model, rule in [
        (Person, _person_rows),
        (Name, _name_rows),
        (Event, _event_rows),
        (Citation, _citation_rows),
        (Source, _source_rows),
        (Case, _case_rows),
    ]:
        # Each rule asked only about the rows the log names (few, next to a registry's imported events), and
        # asked once: the change list counts and pages with the answer.
        label = model._meta.label_lower
        named = model.objects.filter(pk__in=_logged_ids(label))
        unseen = named.exclude(pk__in=rule(user, named).values("pk")).values_list("pk", flat=True)
        hidden |= Q(object_type=label, object_id__in=_values([str(pk) for pk in unseen]))
    people = policy.hidden_persons(user)
    judgements = Judgement.objects.filter(Q(left__in=people) | Q(right__in=people)).values_list(
        "pk", flat=True
    )
    hidden |= Q(
        object_type=Judgement._meta.label_lower, object_id__in=_values([str(pk) for pk in judgements])
    )
    public_ids = _values(list(people.values_list("public_id", flat=True)))
    keys = {f"{side}_{key}": KT(f"{side}__{key}") for side in ["before", "after"] for key in _PERSON_KEYS}
    for alias in keys:
        hidden |= Q(**{f"{alias}__in": public_ids})
    # By id: a NULL value (an entry without that key) must count as naming nobody, not as unknown.
    return qs.exclude(pk__in=AuditEntry.objects.alias(**keys).filter(hidden).values("pk"))


def _logged_ids(label):
    """Ids of the rows of one model that audit entries are about (the log stores them as text)."""
    logged = AuditEntry.objects.filter(object_type=label).exclude(object_id="")
    return logged.annotate(row_id=Cast("object_id", BigIntegerField())).values("row_id")


def _values(texts):
    """A subquery yielding `texts` as one parameter: a hidden set may be longer than SQLite lets a statement
    bind values one by one."""
    return RawSQL(*id_values(texts, "text"))  # noqa: S611 - fixed SQL, the values go as a parameter


class RegistryRows:
    """admin_base.Visibility through spis.access.policy."""

    RULES = {
        Person: _person_rows,
        Name: _name_rows,
        Event: _event_rows,
        Case: _case_rows,
        Citation: _citation_rows,
        Source: _source_rows,
        GrantedPerson: _rows_of_people,
        AuditEntry: _audit_rows,
        Facility: _every_row,
        Organization: _every_row,
        ImportRow: _rows_of_people,
    }

    def rows(self, user, queryset):
        model = queryset.model
        rule = self.RULES.get(model)
        if rule is None and any(f.name == "person" and f.related_model is Person for f in model._meta.fields):
            rule = _rows_of_people  # another app's rows about one person (outreach's letter log)
        if rule is None:
            # A model added to the admin without a rule is refused rather than shown whole.
            raise ImproperlyConfigured(f"No visibility rule for {model._meta.label} in the admin")
        return rule(user, queryset)

    def name_levels(self, user):
        return policy.levels_for(user)

    def as_seen(self, user, people):
        return queries.as_seen(user, people)

    def filter_derived(self, user, queryset, **lookups):
        return queries.filter_as_seen(user, queryset, **lookups)


admin_base.use_visibility(RegistryRows())


class ImportRowInline(admin_base.VisibleInlineMixin, admin.TabularInline):
    model = ImportRow
    extra = 0
    can_delete = False
    fields = ["line", "outcome", "shown_messages", "person"]
    readonly_fields = fields
    show_change_link = False

    def get_formset(self, request, obj=None, **kwargs):
        # A row matched to a person the user may not see is not listed (RegistryRows); a listed row's messages
        # may still name one (a possible duplicate), and are read as the batch page reads them (views._redact).
        base = super().get_formset(request, obj, **kwargs)
        hidden = _hidden_people(request.user)

        class Redacted(base):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                form.instance.redacted_messages = _redact(form.instance.messages, hidden)
                return form

        return Redacted

    @admin.display(description="messages")
    def shown_messages(self, row: ImportRow) -> str:
        # In words (the stored JSON holds templates and their parameters), in the admin's language; without
        # the redaction get_formset makes, nothing.
        return "; ".join(said.text for said in getattr(row, "redacted_messages", []))


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    # Provenance is read-only: batches are written by the import, never edited by hand.
    list_display = ["file_name", "status", "actor", "created_at", "mapping"]
    list_filter = ["status", "format", "mapping"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields if f.name != "content"]
    inlines = [ImportRowInline]

    def get_exclude(self, request, obj=None):
        # The source a batch cites (and its title, kept beside it) is shown only to those who may see it.
        if (
            obj is not None
            and obj.source_id
            and not policy.sources(request.user).filter(pk=obj.source_id).exists()
        ):
            return [*self.exclude, "source", "source_title"]
        return self.exclude

    def get_readonly_fields(self, request, obj=None):
        hidden = self.get_exclude(request, obj)
        return [name for name in self.readonly_fields if name not in hidden]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
