"""Staff document pages (editors) and letter-writing pages (volunteers): access, content, the letter log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from spis.outreach.models import LetterLog
from spis.registry.models import AuditEntry
from tests.conftest import login_verified

from .conftest import AS_OF


def _client(user):
    """Signed in (with two-factor passed, as editors and admins must) or anonymous."""
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


@pytest.mark.parametrize(
    ("role", "status"), [("volunteer", 404), ("researcher", 404), ("editor", 200), ("admin", 200)]
)
def test_it_shows_the_document_page_to_editors_only(users, campaign, role, status):
    assert _client(users[role]).get("/outreach/").status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(users, campaign, registry):
    for url in [
        "/outreach/",
        f"/outreach/{campaign.slug}/document/",
        "/outreach/write/",
        f"/outreach/write/{registry['anna'].public_id}/",
    ]:
        response = _client(None).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_it_previews_and_downloads_documents(users, campaign, contacts):
    client = _client(users["editor"])
    url = f"/outreach/{campaign.slug}/document/"
    query = {
        "kind": "letter",
        "lang": "ru",
        "as_of": AS_OF.isoformat(),
        "to": [contacts[0].pk],
        "format": "html",
    }
    html = client.get(url, query)
    assert html.status_code == 200 and "Ваше Превосходительство" in html.content.decode()
    pdf = client.get(url, {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    assert client.get(url, {**query, "as_of": "2999-01-01"}).status_code == 400
    assert _client(users["researcher"]).get(url, query).status_code == 404


def test_the_write_list_shows_only_public_prisoners_in_custody(users, registry):
    page = _client(users["admin"]).get("/outreach/write/").content.decode()
    for key in ("anna", "boris", "cyril", "dana"):
        assert registry[key].public_id in page, key
    for key in ("restricted", "sealed", "released", "died", "unrecognized"):
        assert registry[key].public_id not in page, key


def test_the_write_list_puts_fewest_letters_then_nearest_birthday_first(users, registry):
    from spis.outreach import actions, queries

    today = dt.date(2025, 11, 20)  # Barys's birthday (1 December) is 11 days away; Anna's is in June
    order = [s.person.public_id for s in queries.suggestions(today)]
    assert order[0] == registry["boris"].public_id
    actions.record_letter(users["volunteer"], registry["boris"], dt.date(2025, 11, 1))
    order = [s.person.public_id for s in queries.suggestions(today)]
    assert order[-1] == registry["boris"].public_id


def test_the_write_list_gives_volunteers_the_birthday_month_only(users, registry):
    # Volunteers may see birth years only (access.policy): "in 11 days" would give the date away.
    from spis.outreach import queries

    today = dt.date(2025, 11, 20)
    boris = registry["boris"].public_id
    [volunteer] = [s for s in queries.suggestions(today, users["volunteer"]) if s.person.public_id == boris]
    assert volunteer.birthday_in is None and volunteer.birthday_month == dt.date(2025, 12, 1)
    [researcher] = [s for s in queries.suggestions(today, users["researcher"]) if s.person.public_id == boris]
    assert researcher.birthday_in == 11
    with translation.override("en"):
        page = _client(users["volunteer"]).get("/outreach/write/").content.decode()
    assert " days<" not in page and " day<" not in page


@pytest.mark.parametrize("key", ["restricted", "sealed", "released", "unrecognized"])
def test_the_write_page_is_404_for_anyone_not_public_and_held(users, registry, key):
    assert _client(users["admin"]).get(f"/outreach/write/{registry[key].public_id}/").status_code == 404


def test_the_write_page_gives_address_guidance_and_last_transfer(users, registry):
    page = _client(users["volunteer"]).get(f"/outreach/write/{registry['anna'].public_id}/").content.decode()
    assert "ИК-1, ул. Тестовая" in page and "2025-03-01" in page
    assert "2022-02-01" in page  # the transfer to the colony
    assert "Belarusian or Russian" in page and "No politics" in page
    assert "1980-06-10" not in page  # volunteers see the birth year only (access.policy)


def test_it_logs_a_letter_with_an_audit_entry(users, registry):
    anna = registry["anna"]
    client = _client(users["volunteer"])
    today = timezone.now().date()
    response = client.post(f"/outreach/write/{anna.public_id}/", {"sent_on": today.isoformat()})
    assert response.status_code == 302
    log = LetterLog.objects.get(person=anna)
    assert log.volunteer == users["volunteer"] and log.sent_on == today
    entry = AuditEntry.objects.filter(action="record_letter").get()
    assert entry.after["person"] == anna.public_id and entry.actor == "volunteer"
    page = client.get(f"/outreach/write/{anna.public_id}/").content.decode()
    assert "1 letter logged" in page
    future = client.post(f"/outreach/write/{anna.public_id}/", {"sent_on": "2999-01-01"})
    assert future.status_code == 200 and LetterLog.objects.count() == 1


def test_record_letter_refuses_non_public_people(users, registry):
    from spis.outreach import actions

    with pytest.raises(ValueError, match="public records only"):
        actions.record_letter(users["volunteer"], registry["sealed"], dt.date(2025, 1, 1))


def test_letters_rest_only_on_what_the_public_may_see(users, registry):
    """A public person whose recognition is restricted is no one to write to on these shared pages; one whose
    transfer to a colony is restricted is written to at the place the public knows, not the colony."""
    from spis.registry import actions
    from spis.registry.models import Facility

    quiet = actions.create_person("test", "Ціхі Тэставы")
    actions.record_event("test", quiet, "detained", "2021-01-01")
    actions.record_event("test", quiet, "recognized", "2021-02-01", confidentiality="restricted")
    secret_colony = Facility.objects.create(
        name="Colony No. 9 (test)", kind="colony", postal_address="ИК-9, Тайны"
    )
    moved = actions.create_person("test", "Пераведзены Тэставы")
    actions.record_event("test", moved, "detained", "2021-01-01")
    actions.record_event("test", moved, "recognized", "2021-02-01")
    actions.record_event(
        "test", moved, "transferred", "2022-01-01", facility=secret_colony, confidentiality="restricted"
    )
    client = _client(users["volunteer"])
    listing = client.get("/outreach/write/").content.decode()
    assert quiet.public_id not in listing and moved.public_id in listing
    assert client.get(f"/outreach/write/{quiet.public_id}/").status_code == 404
    page = client.get(f"/outreach/write/{moved.public_id}/").content.decode()
    assert "ИК-9" not in page and "Colony No. 9" not in page
