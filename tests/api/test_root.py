"""/api/v1/ itself: the index the open-data page and the README point at."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_the_routes(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["people"] == "http://testserver/api/v1/people"
    assert (
        body["stats"] == "http://testserver/api/v1/stats"
        and body["schema"] == "http://testserver/api/schema/"
    )
    for url in (body["people"], body["events"], body["facilities"], body["stats"], body["campaigns"]):
        assert api.get(url).status_code == 200, url
