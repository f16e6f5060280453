"""A small hand-built registry (public, restricted and sealed people), the seed campaign and demo contacts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from spis.outreach import actions as outreach_actions
from spis.registry import actions
from spis.registry.models import Facility

AS_OF = dt.date(2025, 6, 1)


def _held(name, detained, recognized, facility=None, confidentiality="public", birth=None, transfer=None):
    person = actions.create_person("test", name, confidentiality=confidentiality, birth_date=birth)
    actions.record_event("test", person, "detained", detained, facility=facility)
    if recognized:
        actions.record_event("test", person, "recognized", recognized)
    if transfer:
        actions.record_event("test", person, "transferred", transfer[0], facility=transfer[1])
    return person


@pytest.fixture
def registry(db):
    colony = Facility.objects.create(
        name="Penal colony No. 1 (test)",
        kind="colony",
        postal_address="ИК-1, ул. Тестовая, 1, г. Тестов, 000000, Беларусь",
        address_verified_on=dt.date(2025, 3, 1),
    )
    sizo = Facility.objects.create(name="SIZO No. 1 (test)", kind="sizo", postal_address="СИЗО-1, г. Тестов")
    people = {
        "anna": _held(
            "Анна Тэставая",
            "2021-01-10",
            "2021-02-01",
            sizo,
            birth="1980-06-10",
            transfer=("2022-02-01", colony),
        ),
        "boris": _held("Барыс Тэставы", "2022-03-01", "2022-03-20", colony, birth="1975-12-01"),
        "cyril": _held("Кірыл Тэставы", "2022-05-01", "2022-06-01", colony, birth="1990"),
        "dana": _held("Дана Тэставая", "2021-07-01", "2021-08-01", colony),
        "restricted": _held(
            "Restricted Canary", "2021-01-01", "2021-02-01", colony, confidentiality="restricted"
        ),
        "sealed": _held("Sealed Canary", "2021-01-01", "2021-02-01", colony, confidentiality="sealed"),
        "unrecognized": _held("Яўген Непрызнаны", "2024-01-01", None, sizo),
    }
    released = actions.create_person("test", "Вольга Вызваленая")
    actions.record_event("test", released, "detained", "2021-01-01")
    actions.record_event("test", released, "recognized", "2021-01-20")
    actions.record_event("test", released, "released", "2024-08-01", release_kind="pardon")
    people["released"] = released
    died = actions.create_person("test", "Памерлы Тэставы")
    actions.record_event("test", died, "detained", "2021-01-01")
    actions.record_event("test", died, "recognized", "2021-01-20")
    actions.record_event("test", died, "died", "2023-05-01")
    people["died"] = died
    return people


@pytest.fixture
def campaign(registry):
    call_command("campaign", "seed", stdout=StringIO())
    from spis.campaigns.models import Campaign

    return Campaign.objects.get(slug="demo-march-2023-letter")


@pytest.fixture
def contacts(db):
    outreach_actions.seed_demo("test")
    from spis.outreach.models import Contact

    return list(Contact.objects.order_by("pk"))
