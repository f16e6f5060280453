"""The role matrix: for each view and endpoint, each role gets exactly what it should.

Person data a role may not see is a 404 (never a 403: a refusal would confirm that the person exists);
staff areas refuse or send to sign-in.
"""

import pytest
from django.test import Client

from spis.access import policy
from spis.registry import actions
from spis.registry.models import GrantedPerson, Person

from ..conftest import login_verified

ROLES = ["anonymous", "volunteer", "researcher", "editor", "admin"]
SEE = {
    "public": set(ROLES),
    "restricted": {"researcher", "editor", "admin"},
    "sealed": {"admin"},
    "sealed_granted": {"editor", "admin"},
}


@pytest.fixture
def people(db):
    made = {}
    for level in ["public", "restricted", "sealed", "sealed_granted"]:
        confidentiality = "sealed" if level.startswith("sealed") else level
        person = actions.create_person(
            "t", f"Person {level}", confidentiality=confidentiality, birth_date="1980-02-03"
        )
        actions.record_event("t", person, "detained", "2021-01-10")
        actions.record_event("t", person, "recognized", "2021-02-01")
        made[level] = person
    return made


def client_for(role, users):
    client = Client()
    user = users[role]
    if user is None:
        return client
    if role in {"editor", "admin"}:
        return login_verified(client, user)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_person_pages_and_api_follow_the_visibility_levels(role, users, people):
    GrantedPerson.objects.create(user=users["editor"], person=people["sealed_granted"])
    client = client_for(role, users)
    for level, person in people.items():
        expected = 200 if role in SEE[level] else 404
        for path in [
            f"/people/{person.public_id}/",
            f"/api/v1/people/{person.public_id}",
            f"/api/v1/people/{person.public_id}/events",
        ]:
            response = client.get(path)
            assert response.status_code == expected, (role, level, path, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_hidden_people_are_exactly_those_a_role_may_not_see(role, users, people):
    GrantedPerson.objects.create(user=users["editor"], person=people["sealed_granted"])
    # A grant to someone other than an editor opens nothing.
    GrantedPerson.objects.create(user=users["researcher"], person=people["sealed"])
    merged = actions.create_person("t", "Merged sealed", confidentiality="sealed")
    Person.objects.filter(pk=merged.pk).update(merged_into=people["sealed"])
    user = users[role]
    hidden = set(policy.hidden_persons(user).values_list("pk", flat=True))
    assert hidden == set(Person.objects.values_list("pk", flat=True)) - set(
        policy.persons(user, include_merged=True).values_list("pk", flat=True)
    )
    expected = {level for level in people if role not in SEE[level]}
    assert {people[level].pk for level in expected} <= hidden
    assert (merged.pk in hidden) == (role != "admin")


@pytest.mark.parametrize("role", ROLES)
def test_full_birth_dates_only_for_researchers_and_above(role, users, people):
    client = client_for(role, users)
    body = client.get(f"/api/v1/people/{people['public'].public_id}").content.decode()
    assert ("1980-02-03" in body) == (role in {"researcher", "editor", "admin"}), role
    assert "1980" in body


PUBLIC_PAGES = [
    "/",
    "/people/",
    "/facilities/",
    "/statistics/",
    "/open-data/",
    "/birthdays/",
    "/releases/",
    "/campaigns/",
    "/campaigns/precedents/",
    "/api/v1/people",
    "/api/v1/stats",
    "/api/v1/facilities",
]
# path -> roles that get 200; everyone else is refused (302 to sign-in, 403 or 404)
STAFF_PAGES = {
    "/admin/": {"editor", "admin"},
    "/admin/registry/person/": {"editor", "admin"},
    "/intake/": {"editor", "admin"},
    "/outreach/": {"editor", "admin"},
    "/outreach/write/": {"volunteer", "researcher", "editor", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_answer_everyone(role, users, people):
    client = client_for(role, users)
    for path in PUBLIC_PAGES:
        assert client.get(path).status_code == 200, (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_staff_areas_answer_only_their_roles(role, users, people):
    client = client_for(role, users)
    for path, allowed in STAFF_PAGES.items():
        status = client.get(path).status_code
        if role in allowed:
            assert status == 200, (role, path, status)
        else:
            assert status in {302, 403, 404}, (role, path, status)
