"""Query helpers over registry tables. What a user may see is decided above, in spis.access.queries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL


def id_values(ids: list[Any], array_type: str = "bigint") -> tuple[str, list[Any]]:
    """A subquery yielding `ids` (ids, or texts with array_type "text"), with them as one parameter (a JSON
    array on SQLite, an array of `array_type` on PostgreSQL): Django's `pk__in=[...]` prepares and binds every
    value on its own, and SQLite caps the count."""
    if connection.vendor == "postgresql":
        return f"SELECT unnest(%s::{array_type}[])", [list(ids)]  # noqa: S608 - a type name from the code
    return "SELECT value FROM json_each(%s)", [json.dumps(list(ids))]


def keyed_values(values: dict[int, Any], db_type: str) -> tuple[str, list[Any]]:
    """A subquery yielding one row (id, value) per item of `values` ({id: a date, number or None}), the values
    of SQL type `db_type` (a column's Field.db_type), as one parameter: a JSON object on both databases."""
    data = json.dumps(
        {str(pk): value.isoformat() if hasattr(value, "isoformat") else value for pk, value in values.items()}
    )
    if connection.vendor == "postgresql":
        sql = f"SELECT key::bigint AS id, value::{db_type} AS value FROM jsonb_each_text(%s::jsonb)"  # noqa: S608 - a column type
        return sql, [data]
    return "SELECT CAST(key AS INTEGER) AS id, value AS value FROM json_each(%s)", [data]


def in_ids(ids: list[int]) -> RawSQL:
    """For `filter(pk__in=in_ids(ids))` on thousands of ids."""
    return RawSQL(*id_values(ids))  # noqa: S611 - fixed SQL, the ids go as a parameter


def citations_about(model: type, people: Any) -> Any:
    """The citations of `people` (ids, or a subquery yielding them) themselves (`model` Person) or of their
    events (Event). Events are named by a subquery on their people: tens of thousands of event ids as
    parameters cost more than the rows."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Citation, Event, Person

    targets = people if model is Person else Event.objects.filter(person_id__in=people).values("pk")
    content_type = ContentType.objects.get_for_model(model).pk
    return Citation.objects.filter(content_type_id=content_type, object_id__in=targets)


def canonical_ids(person_ids: Iterable[int]) -> dict[int, int]:
    """Each existing person's canonical id: the root of the merges above them (merges are links, a merged
    record points at the person it was merged into, who may have been merged in turn). Reads ids, not
    people: an import rebuilds the custody of 100,000 at once. Ids of no person are left out."""
    from .models import Person

    asked = list(dict.fromkeys(person_ids))
    parent: dict[int, int | None] = {}
    wanted = asked
    while wanted:
        rows = list(
            Person.objects.filter(pk__in=in_ids(wanted)).order_by().values_list("pk", "merged_into_id")
        )
        parent.update(rows)
        wanted = [up for _, up in rows if up is not None and up not in parent]

    def root(pk: int) -> int:
        while (up := parent.get(pk)) is not None:
            pk = up
        return pk

    return {pk: root(pk) for pk in asked if pk in parent}
