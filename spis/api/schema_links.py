"""OpenAPI links between the GET operations of the schema, added by a drf-spectacular postprocessing hook.

A link says where a value for one operation's parameter can be found in another operation's response
(OpenAPI 3.0, "Link Object"). API clients may follow them, and schemathesis's state machine chains calls along
them (tests/api/test_schemathesis.py), so detail routes are fuzzed with ids that exist, not only random 404s.

Most links are read off the paths, so a new list/detail pair is linked without touching this file:
- list to item: `GET <list>/{param}<rest>` is linked from `GET <list>` when the list's 200 response holds one
  array of objects (a bare array, a page's `results`, or one array property) whose items carry `param` (or
  `id`); the first item's value is used. `<rest>` may add literal segments (`/people/{public_id}/events`).
- item to sub-resource: `GET <item>/<literal>` is linked from `GET <item>` with the same path parameters.
What the paths cannot show is in EXTRA_LINKS, kept short; the hook raises when one end of such a link is gone,
so a rename cannot silently drop it (both ends gone means their app is not installed).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_PARAM = re.compile(r"^\{(\w+)\}$")

# (source operationId, target operationId, {target parameter: runtime expression}, description); the
# expressions read the source's 200 response.
EXTRA_LINKS: list[tuple[str, str, dict[str, str], str]] = [
    # An event names its person by public id and its facility by a nested reference.
    (
        "events_list",
        "people_retrieve",
        {"public_id": "$response.body#/results/0/person"},
        "The first event's person.",
    ),
    (
        "events_list",
        "facilities_retrieve",
        {"id": "$response.body#/results/0/facility/id"},
        "The first event's facility.",
    ),
    (
        "people_retrieve",
        "facilities_retrieve",
        {"id": "$response.body#/current_facility/id"},
        "Where they are held now.",
    ),
    # The campaign list declares no item schema (a bare object), so its items cannot be read off the schema.
    ("campaigns_list", "campaigns_detail", {"slug": "$response.body#/0/slug"}, "The first campaign listed."),
]


def add_links(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: add `links` to the 200 responses of GET operations."""
    schemas = result.get("components", {}).get("schemas", {})
    gets = {
        tuple(path.strip("/").split("/")): item["get"]
        for path, item in result["paths"].items()
        if "get" in item
    }
    for source_path, source in gets.items():
        for target_path, target in gets.items():
            parameters = _list_to_item(source_path, source, target_path, schemas)
            if parameters:
                _add(source, target["operationId"], parameters, "The first item listed.")
            parameters = _item_to_sub(source_path, source, target_path, schemas)
            if parameters:
                _add(source, target["operationId"], parameters, "The same item.")

    by_id = {op["operationId"]: op for op in gets.values()}
    for source_id, target_id, parameters, description in EXTRA_LINKS:
        missing = sorted({source_id, target_id} - by_id.keys())
        if len(missing) == 2:
            # Neither end: the contributing app (spis/api/v1.py includes spis.campaigns.api when it exists) is absent.
            continue
        if missing:
            raise ImproperlyConfigured(
                f"spis.api.schema_links.EXTRA_LINKS names operations the schema no longer has: {missing}"
            )
        _add(by_id[source_id], target_id, parameters, description)
    return result


def _list_to_item(
    source_path: tuple[str, ...], source: dict, target_path: tuple[str, ...], schemas: dict
) -> dict[str, str] | None:
    n = len(source_path)
    if len(target_path) <= n or target_path[:n] != source_path:
        return None
    match = _PARAM.match(target_path[n])
    if not match or any(_PARAM.match(segment) for segment in target_path[n + 1 :]):
        return None
    found = _item_array(_response_schema(source, schemas), schemas)
    if found is None:
        return None
    pointer, item = found
    param = match.group(1)
    field = param if param in item else "id" if "id" in item else None
    if field is None:
        return None
    parameters = _carried_path_params(source_path, {})
    parameters[param] = f"$response.body#{pointer}/0/{field}"
    return parameters


def _item_to_sub(
    source_path: tuple[str, ...], source: dict, target_path: tuple[str, ...], schemas: dict
) -> dict[str, str] | None:
    n = len(source_path)
    if len(target_path) <= n or target_path[:n] != source_path:
        return None
    if not any(_PARAM.match(segment) for segment in source_path):
        return None
    if any(_PARAM.match(segment) for segment in target_path[n:]):
        return None
    body = _response_schema(source, schemas) or {}
    return _carried_path_params(source_path, body.get("properties", {}))


def _carried_path_params(path: tuple[str, ...], body_properties: dict) -> dict[str, str]:
    """The source's path parameters, passed on unchanged; the response's own copy is preferred when it has one."""
    parameters = {}
    for segment in path:
        match = _PARAM.match(segment)
        if match:
            name = match.group(1)
            parameters[name] = (
                f"$response.body#/{name}" if name in body_properties else f"$request.path.{name}"
            )
    return parameters


def _resolve(schema: dict | None, schemas: dict) -> dict | None:
    if schema and "$ref" in schema:
        return schemas.get(schema["$ref"].rsplit("/", 1)[-1])
    return schema


def _response_schema(operation: dict, schemas: dict) -> dict | None:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    return _resolve(content.get("application/json", {}).get("schema"), schemas)


def _item_array(schema: dict | None, schemas: dict) -> tuple[str, dict] | None:
    """The JSON pointer to the response's one array of objects, and the properties of its items."""
    if not schema:
        return None
    if schema.get("type") == "array":
        item = _resolve(schema.get("items"), schemas) or {}
        return ("", item["properties"]) if "properties" in item else None
    arrays = []
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(prop, schemas) or {}
        item = _resolve(prop.get("items"), schemas) or {}
        if prop.get("type") == "array" and "properties" in item:
            arrays.append((f"/{name}", item["properties"]))
    # Two arrays (people and events in /changes) would make "the item" a guess.
    return arrays[0] if len(arrays) == 1 else None


def _add(source: dict, target_id: str, parameters: dict[str, str], description: str) -> None:
    response = source.get("responses", {}).get("200")
    if response is None:
        raise ImproperlyConfigured(f"{source['operationId']} has no 200 response to link from")
    # Named after the target: one link per target and source, as clients and schemathesis expect.
    response.setdefault("links", {})[target_id] = {
        "operationId": target_id,
        "parameters": parameters,
        "description": description,
    }
