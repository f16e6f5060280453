"""Rows that show with people, edited in place: a source retitled or made public, a facility or organisation
renamed, a case's court or judge corrected. Such an edit changes what readers see of every person whose
events or citations name the row, though none of those people's own rows was written. It moves their
`updated_at`, the change feed of those who see every level and the marker that has the change clocks
(spis/access/changes.py) digest them again; a level's clock then moves only if what it may see changed.

Connected to pre_save and post_save of `WATCHED` (registry.apps). A save that changes no column (the admin's
"Save" on an untouched form) moves nothing; a new row names no one yet. Events, people and citations are never
edited in place by the registry's actions (corrections are new rows) or carry their own markers.

A name is a person's own row, but the admin's name inline (and a history revert) saves and deletes it in place,
with no action to move its person's `updated_at`: `name_saved` and `name_deleted` do, for any save or delete
(a text, a kind, a level changed), so that the staff change feed (`spis export --changed-since`) and the
`updated_at` admins read list the person. The level clocks read the name's history rows as a marker already,
and move only if what their level sees changed (a public name made sealed moves the public clock; a
restricted one made sealed does not).

A citation is written by actions (cite, set_citation_level, update_citation), which move its person's
`updated_at`; one saved or deleted by a model write (a shell, a history revert) moved nothing, so the change
clocks never digested it again and the open-data download kept a source made restricted. `citation_saved` and
`citation_deleted` move the `updated_at` of the person whose fact it cites (the person, or the person of
the event or name), for any save or delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Case, Citation, Event, Facility, Name, Organization, Person, Source

WATCHED = (Source, Facility, Organization, Case)


def _columns(model: type) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def people_showing(row: Any) -> QuerySet[Person]:
    """The people whose events or citations show `row` (a source, facility, organisation or case)."""
    if isinstance(row, Source):
        return _citing(Source.objects.filter(pk=row.pk))
    if isinstance(row, Facility):
        return Person.objects.filter(pk__in=Event.objects.filter(facility=row).values("person_id"))
    if isinstance(row, Case):
        return Person.objects.filter(pk__in=Event.objects.filter(case=row).values("person_id"))
    events = Event.objects.filter(Q(organization=row) | Q(case__court=row)).values("person_id")
    return Person.objects.filter(pk__in=events) | _citing(Source.objects.filter(publisher=row))


def _citing(sources: QuerySet[Source]) -> QuerySet[Person]:
    kind = ContentType.objects.get_for_models(Person, Event)
    cites = Citation.objects.filter(source__in=sources)
    themselves = cites.filter(content_type=kind[Person]).values("object_id")
    events = Event.objects.filter(pk__in=cites.filter(content_type=kind[Event]).values("object_id"))
    return Person.objects.filter(Q(pk__in=themselves) | Q(pk__in=events.values("person_id")))


def before_save(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """Keep the stored columns of a row about to be saved (none for a new row, or one loaded raw)."""
    if raw or instance.pk is None:
        return
    instance._shown_was = sender.objects.filter(pk=instance.pk).values_list(*_columns(sender)).first()


def after_save(sender: Any, instance: Any, created: bool = False, raw: bool = False, **_: Any) -> None:
    """Move the `updated_at` of the people who show `instance` if the save changed a column."""
    was = instance.__dict__.pop("_shown_was", None)
    if raw or created or was is None:
        return
    if tuple(getattr(instance, column) for column in _columns(sender)) == tuple(was):
        return
    people_showing(instance).update(updated_at=timezone.now())


def name_before_save(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """Keep the person a name about to be saved belonged to: a name moved to another record changes both."""
    if raw or instance.pk is None:
        return
    instance._person_was = sender.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first()


def name_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """Move the `updated_at` of the person a name was saved on (and of the one it left, if moved)."""
    was = instance.__dict__.pop("_person_was", None)
    if not raw:
        _touch({instance.person_id, was} - {None})


def name_deleted(sender: Any, instance: Any, **_: Any) -> None:
    """Move the `updated_at` of the person a deleted name was one of."""
    _touch({instance.person_id})


def _citing_person(content_type_id: int, object_id: int) -> int | None:
    """The person a citation's fact belongs to (the person cited, or the person of the event or name cited)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is Person:
        return object_id
    if model in (Event, Name):
        return model.objects.filter(pk=object_id).values_list("person_id", flat=True).first()
    return None


def citation_before_save(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """Keep the fact a citation about to be saved cited: a citation moved to another fact changes both people."""
    if raw or instance.pk is None:
        return
    instance._cited_was = (
        sender.objects.filter(pk=instance.pk).values_list("content_type_id", "object_id").first()
    )


def citation_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """Move the `updated_at` of the person whose fact a citation was saved on (its level, source or place
    changed in place by a model write: the change clocks and the open-data version read that marker)."""
    was = instance.__dict__.pop("_cited_was", None)
    if raw:
        return
    cited = {(instance.content_type_id, instance.object_id), *([tuple(was)] if was else [])}
    _touch({_citing_person(*fact) for fact in cited} - {None})


def citation_deleted(sender: Any, instance: Any, **_: Any) -> None:
    """Move the `updated_at` of the person whose fact a deleted citation cited."""
    _touch({_citing_person(instance.content_type_id, instance.object_id)} - {None})


def _touch(person_ids: set[int]) -> None:
    # As actions._touch: a bare UPDATE, no save(), so that no history row of the person is written.
    Person.objects.filter(pk__in=person_ids).update(updated_at=timezone.now())
