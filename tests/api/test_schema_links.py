"""OpenAPI links (spis/api/schema_links.py): read off the paths, published in the schema, loud when stale."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.generators import SchemaGenerator

from spis.api import schema_links


def _links(schema, path):
    return {
        name: link["parameters"]
        for name, link in schema["paths"][path]["get"]["responses"]["200"].get("links", {}).items()
    }


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_it_links_each_list_to_its_items(schema):
    assert _links(schema, "/api/v1/people") == {
        "people_retrieve": {"public_id": "$response.body#/results/0/public_id"},
        "people_events_list": {"public_id": "$response.body#/results/0/public_id"},
    }
    assert _links(schema, "/api/v1/facilities") == {
        "facilities_retrieve": {"id": "$response.body#/results/0/id"}
    }
    assert _links(schema, "/api/v1/corridors/") == {
        "corridors_detail": {"scenario_id": "$response.body#/scenarios/0/id"}
    }


def test_it_links_an_item_to_its_sub_resources_and_references(schema):
    assert _links(schema, "/api/v1/people/{public_id}") == {
        "people_events_list": {"public_id": "$response.body#/public_id"},
        "facilities_retrieve": {"id": "$response.body#/current_facility/id"},
    }
    assert _links(schema, "/api/v1/campaigns/") == {"campaigns_detail": {"slug": "$response.body#/0/slug"}}
    assert _links(schema, "/api/v1/campaigns/{slug}/") == {"campaigns_series": {"slug": "$request.path.slug"}}
    assert set(_links(schema, "/api/v1/events")) == {"people_retrieve", "facilities_retrieve"}
    # Two arrays of items (/changes) or no item route (/stats/series): nothing to guess.
    assert _links(schema, "/api/v1/changes") == {}
    assert _links(schema, "/api/v1/stats/series") == {}


def _tiny(list_schema):
    ok = {"200": {"content": {"application/json": {"schema": list_schema}}}}
    return {
        "paths": {
            "/things": {"get": {"operationId": "things_list", "responses": ok}},
            "/things/{key}": {"get": {"operationId": "things_retrieve", "responses": {"200": {}}}},
        },
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
    }


def test_it_reads_a_bare_array_and_falls_back_to_id(monkeypatch):
    monkeypatch.setattr(schema_links, "EXTRA_LINKS", [])
    result = schema_links.add_links(_tiny({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}))
    assert _links(result, "/things") == {"things_retrieve": {"key": "$response.body#/0/id"}}


def test_it_raises_when_a_linked_operation_is_gone(monkeypatch):
    monkeypatch.setattr(schema_links, "EXTRA_LINKS", [("things_list", "things_gone", {"key": "$x"}, "Gone.")])
    with pytest.raises(ImproperlyConfigured, match="things_gone"):
        schema_links.add_links(_tiny({"type": "object"}))


def test_it_skips_a_link_of_an_app_that_is_not_installed(monkeypatch):
    monkeypatch.setattr(
        schema_links, "EXTRA_LINKS", [("plans_list", "plans_detail", {"key": "$x"}, "Absent.")]
    )
    result = schema_links.add_links(_tiny({"type": "object"}))
    assert _links(result, "/things") == {}
