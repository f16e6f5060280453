"""Public pages cached for anonymous visitors: served again only while the registry, language and URL match.

Every check here is about what the cache must not do: show a sealed or restricted person after the change
committed, show a staff member's page to the public (or the reverse), hand one visitor's CSRF token to another.
"""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spis.registry import actions, generation
from spis.registry.models import Name
from tests.web.test_views import client_for, text

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_repeat_visit_is_served_from_the_cache_with_one_query(site_registry, django_assert_num_queries):
    url = reverse("web-people") + "?q=Tsikhanouski"
    first = Client().get(url)
    assert "Ціханоўскі" in text(first)
    with django_assert_num_queries(1):  # the registry's version; nothing else
        again = Client().get(url)
    assert TOKEN.sub("", text(again)) == TOKEN.sub("", text(first))


def test_a_person_sealed_leaves_the_cached_pages_at_once(site_registry):
    public = site_registry["public"]
    pages = [reverse("web-people"), reverse("web-people") + "?q=Tsikhanouski"]
    for url in pages:
        assert "Ціханоўскі" in text(Client().get(url))
    actions.update_person("t", public, confidentiality="sealed")
    for url in pages:
        assert "Ціханоўскі" not in text(Client().get(url)), url
    assert Client().get(reverse("web-person", args=[public.public_id])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_name_restricted_in_the_admin_leaves_the_cached_pages_when_it_commits(site_registry):
    # Admin edits of a name save the row directly (no audit entry): the generation counter, raised when the
    # save commits, carries them. (transaction=True: the fixture's writes and this save really commit.)
    url = reverse("web-person", args=[site_registry["public"].public_id])
    assert "Tsikhanouski" in text(Client().get(url))
    before = generation.current()
    name = Name.objects.get(text="Andrei Tsikhanouski")
    name.confidentiality = "restricted"
    name.save()  # with its history row: autocommit, so each rises it
    assert generation.current() > before
    assert "Tsikhanouski" not in text(Client().get(url))


@pytest.mark.django_db(transaction=True)
def test_the_generation_rises_once_per_committed_transaction_and_not_on_rollback():
    before = generation.current()
    with transaction.atomic():
        for i in range(3):
            actions.create_person("t", f"Person {i}")
    assert generation.current() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.create_person("t", "Rolled back")
        raise RuntimeError
    assert generation.current() == before + 1


def test_signed_in_users_neither_fill_nor_read_the_public_cache(site_registry, users):
    url = reverse("web-people")
    researcher = client_for(users, "researcher")
    assert "Restricted Canary" in text(researcher.get(url))
    assert "Restricted Canary" not in text(Client().get(url))
    assert "Restricted Canary" in text(researcher.get(url))


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(site_registry):
    url = reverse("web-people")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token_1 = TOKEN.search(text(first.get(url))).group(1)
    page = second.get(url)  # served from the cache
    token_2 = TOKEN.search(text(page)).group(1)
    assert token_1 != token_2 and "csrftoken" in page.cookies
    posted = second.post(
        reverse("set_language"), {"language": "be", "next": url, "csrfmiddlewaretoken": token_2}
    )
    assert posted.status_code == 302
    assert '<html lang="be">' in text(second.get(url))
    assert '<html lang="en">' in text(first.get(url))


def test_a_page_cached_for_one_host_is_not_served_for_another(site_registry, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    url = reverse("web-people")
    Client().get(url)
    with CaptureQueriesContext(connection) as same_host:
        Client().get(url)
    with CaptureQueriesContext(connection) as other_host:
        assert Client().get(url, HTTP_HOST="mirror.example").status_code == 200
    assert len(same_host) == 1 and len(other_host) > 1  # the other host's page was rendered, not served
