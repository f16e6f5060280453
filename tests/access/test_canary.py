"""The canary: a sealed person, a restricted event, restricted names and a confidential source carry unique
markers; every page of the site (from the URL resolver), every API route (from the OpenAPI schema), every
public export and the search are visited as anonymous and as volunteer, and no marker may ever appear.
"""

import datetime as dt
import io
import json
from urllib.parse import quote, quote_plus

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from spis.access.queries import search
from spis.registry import actions
from spis.registry.models import Facility, Person

from .urlwalk import site_paths

MARKERS = [
    "zzcanaryseal",
    "ззканарыйсеал",
    "qqmarker",
    "canary-occupation-x9",
    "canaryregion",
    "canary-consent",
    "canary-sealed-note",
    "canary-restricted-note",
    "canary-source-title",
    "canary-source.example",
    "canary-restricted-alias",
    "canary-sealed-source",
]


@pytest.fixture
def canary(db):
    call_command("demo", persons=40, seed=5, stdout=io.StringIO())
    sealed = actions.create_person(
        "t",
        "Zzcanaryseal Qqmarker",
        confidentiality="sealed",
        occupation="canary-occupation-x9",
        region="Canaryregion",
        consent_note="canary-consent",
        birth_date="1977-05-05",
        names=[
            {"text": "Zzcanaryseal Qqmarker", "kind": "primary"},
            {"text": "Ззканарыйсеал Ккмаркер", "kind": "alias", "language": "be"},
        ],
    )
    facility = Facility.objects.filter(kind="colony").first()
    hidden_source = actions.create_source(
        "t", "canary-sealed-source", url="https://canary-source.example/sealed", confidentiality="sealed"
    )
    actions.record_event(
        "t",
        sealed,
        "detained",
        "2022-02-02",
        facility=facility,
        note="canary-sealed-note",
        sources=[hidden_source],
    )
    actions.record_event("t", sealed, "recognized", "2022-03-01")
    public = Person.objects.filter(confidentiality="public", status="in_custody").order_by("pk").first()
    witness = actions.create_source(
        "t", "canary-source-title", url="https://canary-source.example/w", confidentiality="restricted"
    )
    actions.record_event(
        "t",
        public,
        "transferred",
        timezone.now().date() - dt.timedelta(days=1),
        facility=facility,
        note="canary-restricted-note",
        confidentiality="restricted",
        sources=[witness],
    )
    actions.add_name("t", public, "canary-restricted-alias", confidentiality="restricted")
    return {"sealed": sealed, "public": public}


def _values(canary):
    from spis.campaigns.models import Campaign
    from spis.stats.breakdowns import DIMENSIONS

    people = [canary["sealed"].public_id, canary["public"].public_id]
    facilities = [str(pk) for pk in Facility.objects.values_list("pk", flat=True)[:3]]
    slugs = list(Campaign.objects.values_list("slug", flat=True)) + ["all_eu_by_closed", "baseline"]
    dims = [d if isinstance(d, str) else d[0] for d in DIMENSIONS]
    return {
        "public_id": people,
        "pk": facilities,
        "id": facilities,
        "dimension": dims,
        "slug": slugs,
        "fmt": ["csv", "json", "ftm"],
        "format": ["csv", "json", "ftm"],
        "scenario_id": slugs,
    }


def _assert_clean(where: str, body: bytes | str, sealed_id: str, *echoes: str) -> None:
    text = (body.decode("utf-8", "replace") if isinstance(body, bytes) else body).lower()
    # A page may repeat the visitor's own query (search box, pagination links); that is not a leak.
    for echo in filter(None, echoes):
        for form in {echo, quote(echo), quote_plus(echo), quote(echo, safe="")}:
            text = text.replace(form.lower(), "")
    leaked = [m for m in MARKERS if m in text]
    assert not leaked, f"{where} shows {leaked}"
    assert sealed_id.lower() not in text, f"{where} shows the sealed person's public id"


def _clients(users):
    anonymous = Client()
    volunteer = Client()
    volunteer.force_login(users["volunteer"])
    return {"anonymous": anonymous, "volunteer": volunteer}


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_no_page_of_the_site_shows_a_canary(canary, users):
    paths, unfilled = site_paths(_values(canary))
    assert not unfilled, f"URL parameters without test values: {unfilled}"
    assert len(paths) > 20
    sealed_id = canary["sealed"].public_id
    for role, client in _clients(users).items():
        for path in paths:
            for query in ["", "?q=Zzcanaryseal", "?q=Ккмаркер"]:
                response = client.get(path + query)
                assert response.status_code < 500, f"{role} {path}{query}: {response.status_code}"
                _assert_clean(f"{role} {path}{query}", _body(response), sealed_id, query.partition("=")[2])


def test_no_api_route_shows_a_canary(canary, users):
    schema = yaml.safe_load(_body(Client().get("/api/schema/")))
    values = _values(canary)
    sealed_id = canary["sealed"].public_id
    for role, client in _clients(users).items():
        for route, operations in schema["paths"].items():
            if "get" not in operations:
                continue
            names = [p.strip("{}") for p in route.split("/") if p.startswith("{")]
            candidates = [route]
            for name in names:
                candidates = [
                    c.replace("{" + name + "}", v) for c in candidates for v in values.get(name, ["1"])
                ]
            for path in candidates:
                for query in ["", "?q=Zzcanaryseal", "?region=Canaryregion"]:
                    response = client.get(path + query, HTTP_ACCEPT="application/json")
                    assert response.status_code < 500, f"{role} {path}{query}: {response.status_code}"
                    _assert_clean(
                        f"{role} GET {path}{query}", _body(response), sealed_id, query.partition("=")[2]
                    )
        match = client.post(
            "/api/v1/match",
            {
                "queries": [
                    {"name": "Zzcanaryseal Qqmarker"},
                    {"name": "Ззканарыйсеал Ккмаркер", "birth_date": "1977"},
                ]
            },
            content_type="application/json",
        )
        assert match.status_code < 500
        # The response repeats each query; only a candidate would be a leak.
        for answer in match.json()["responses"]:
            assert answer["results"] == [] or all(
                r.get("public_id") != sealed_id for r in answer["results"]
            ), answer
        _assert_clean(
            f"{role} POST /api/v1/match",
            match.content,
            sealed_id,
            "Zzcanaryseal Qqmarker",
            "Ззканарыйсеал Ккмаркер",
        )


def test_no_public_export_shows_a_canary(canary, tmp_path):
    for fmt in ["csv", "json", "ftm"]:
        out = tmp_path / f"export.{fmt}"
        call_command("export", format=fmt, public=True, output=str(out), stdout=io.StringIO())
        _assert_clean(f"export {fmt}", out.read_bytes(), canary["sealed"].public_id)


def test_search_never_returns_the_sealed_person(canary, users):
    for role in ["anonymous", "volunteer", "researcher"]:
        for query in ["Zzcanaryseal", "Ззканарыйсеал Ккмаркер", "Qqmarker", "canary-restricted-alias"]:
            hits = search(users[role], query, 20)
            assert all(h.person.pk != canary["sealed"].pk for h in hits), (role, query)
            if role != "researcher":
                assert all("canary" not in h.name.lower() for h in hits), (role, query)


def test_the_sealed_person_cannot_be_inferred_from_breakdowns(canary, users):
    from spis.stats.breakdowns import DIMENSIONS, breakdown
    from spis.stats.counts import counts

    as_of = dt.date(2023, 1, 1)
    for dim in DIMENSIONS:
        dim = dim if isinstance(dim, str) else dim[0]
        result = breakdown(users["anonymous"], dim, as_of)
        shown = [r for r in result.rows if r["count"] is not None]
        assert all(r["count"] == 0 or r["count"] >= 5 for r in shown), (dim, shown)
        assert all("canary" not in str(r["label"]).lower() for r in result.rows), dim
        _assert_clean(f"breakdown {dim} CSV", result.to_csv(), canary["sealed"].public_id)
    # Sealed persons count in totals.
    assert counts(as_of)["recognized_in_custody"] >= 1
    assert json.dumps(counts(as_of))
