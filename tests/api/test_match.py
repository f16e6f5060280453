"""POST /api/v1/match: batch matching with scores and explanations, over visible people only."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_matches_a_batch(api, registry):
    response = api.post(
        "/api/v1/match",
        {"queries": [{"name": "Petrov Ivan", "birth_date": "1980"}, {"name": "Nobody Atall"}]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    first, second = body["responses"]
    best = first["results"][0]
    assert best["public_id"] == registry["ivan"].public_id
    assert best["match"] is True and best["score"] >= body["threshold"]
    assert "birth dates agree" in best["explanation"]
    assert best["birth_date"] == "1980"
    assert second["query"] == {"name": "Nobody Atall"} and second["results"] == []


def test_it_compares_only_the_birth_year_for_the_public(api, client_for, registry):
    query = {"queries": [{"name": "Ivan Petrov", "birth_date": "1980-05-01"}]}
    public = api.post("/api/v1/match", query, format="json").json()["responses"][0]["results"][0]
    staff = (
        client_for("researcher").post("/api/v1/match", query, format="json").json()["responses"][0]["results"]
    )
    assert "birth dates agree" in public["explanation"]
    assert "birth dates differ" in staff[0]["explanation"]


def test_it_never_returns_the_sealed_canary(api, registry):
    body = api.post("/api/v1/match", {"queries": [{"name": "Sealedcanary Zzyzx"}]}, format="json").json()
    assert body["responses"][0]["results"] == []


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"queries": []},
        {"queries": [{"name": "A B"}] * 101},
        {"queries": [{"name": "Ivan", "birth_date": "12.1980"}]},
        {"queries": [{"birth_date": "1980"}]},
        {"queries": [{"name": "Ivan"}], "limit": 50},
    ],
)
def test_it_rejects_bad_requests(api, db, payload):
    assert api.post("/api/v1/match", payload, format="json").status_code == 400


def test_it_is_read_only_elsewhere(api, registry):
    assert api.post("/api/v1/people", {}, format="json").status_code in (403, 405)
