"""The committed OpenAPI snapshot (docs/openapi.yaml) is the API contract: the test fails when it drifts.

Regenerate after an intended change with `spis spectacular --file docs/openapi.yaml` and review the diff.
"""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), stdout=StringIO(), stderr=StringIO())
    assert SNAPSHOT.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), (
        "docs/openapi.yaml is stale: run `spis spectacular --file docs/openapi.yaml` and commit the diff"
    )


def test_the_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/people" in schema.content
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200
    assert client.get("/api/healthz").json() == {"ok": True}


def test_the_docs_load_their_scripts_from_the_site_not_a_cdn(client, db):
    """A CDN would see who reads the API of a registry of political prisoners: the docs' scripts and styles
    are the site's own, under its Content Security Policy."""
    import re

    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        page = response.content.decode()
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', page), url
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], url
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
    assert client.get("/api/v1/ping").json()["ok"] is True
