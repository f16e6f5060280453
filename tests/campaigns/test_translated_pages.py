"""A campaign page in Belarusian or Russian: the kinds of measures and supporters, their statuses and
stances, the precedents' confidence and comparison sentence are in the reader's words and number format."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from spis.campaigns import actions as campaign_actions
from spis.campaigns.actions import load_precedents
from spis.campaigns.models import Precedent
from spis.registry import actions
from spis.registry.models import Facility, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    load_precedents("t")
    person = actions.create_person("t", "Бачны Вязень")
    actions.record_event("t", person, "detained", "2022-01-01")
    actions.record_event("t", person, "recognized", "2022-02-01")
    campaign = campaign_actions.create_campaign("t", "Free them all", slug="free", start_date=None)
    campaign_actions.add_demand("t", campaign, "Release everyone", dt.date(2023, 3, 16))
    campaign_actions.add_measure("t", campaign, "border_closure", "EU", status="proposed")
    campaign_actions.add_supporter("t", campaign, name="Union", kind="trade_union", stance="endorses")
    campaign_actions.link_precedent("t", campaign, Precedent.objects.get(code="NIC-2023-02"))
    return campaign


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("be", ["закрыццё мяжы", "прапанавана", "прафсаюз", "падтрымлівае", "вызваленне 222 чалавек"]),
        ("ru", ["закрытие границы", "предложено", "профсоюз", "поддерживает", "освобождение 222 человек"]),
    ],
)
def test_a_campaign_page_speaks_the_readers_language(campaign, language, words):
    client = Client()
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get("/campaigns/free/").content.decode()
    assert not [w for w in words if w not in page]
    for english in ("border closure", "trade_union", "endorses", "release of 222"):
        assert english not in page
    precedents = client.get("/campaigns/precedents/").content.decode()
    assert "высокая" in precedents and "high</strong>" not in precedents


@pytest.mark.parametrize(
    ("language", "words", "english"),
    [
        ("be", ["памілаванне", "Калонія № 17 (Шклоў)"], ["pardon", "end of term", "Penal Colony No. 17"]),
        ("ru", ["помилование", "ИК-17, Шклов"], ["pardon", "end of term", "Penal Colony No. 17"]),
    ],
)
def test_release_kinds_and_places_of_the_named_read_in_the_readers_language(
    campaign, language, words, english
):
    colony = Facility.objects.create(
        name="Penal Colony No. 17, Shklow",
        name_be="Калонія № 17 (Шклоў)",
        name_ru="ИК-17, Шклов",
        kind="colony",
    )
    person = Person.objects.get(display_name="Бачны Вязень")
    actions.record_event("t", person, "transferred", "2022-03-01", facility=colony)
    freed = actions.create_person("t", "Вызвалены Вязень")
    for kind, day in (("detained", "2022-01-01"), ("recognized", "2022-02-01")):
        actions.record_event("t", freed, kind, day)
    actions.record_event("t", freed, "released", "2024-01-01", release_kind="pardon")
    client = Client()
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get("/campaigns/free/").content.decode()
    assert not [w for w in words if w not in page]
    assert not [w for w in english if w in page]
    # The API keeps the stored names.
    assert "Penal Colony No. 17, Shklow" in client.get("/api/v1/campaigns/free").content.decode()
