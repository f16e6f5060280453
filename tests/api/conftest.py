import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from spis.registry import actions
from spis.registry.demo import build
from spis.registry.models import Case, Facility, Person


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts with a full budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for(users):
    def make(role="anonymous"):
        client = APIClient()
        if users.get(role) is not None:
            client.force_authenticate(users[role])
        return client

    return make


@pytest.fixture
def api(client_for):
    return client_for("anonymous")


@pytest.fixture
def registry(db):
    """A public prisoner with a full history, a restricted one, a sealed canary, and a merged duplicate."""
    colony = Facility.objects.create(name="Colony No. 1 (test)", kind="colony", region="Gomel Region")
    case = Case.objects.create(number="K-1", articles=[{"code": "CC-BY", "article": "342", "part": "1"}])
    ivan = actions.create_person(
        "test",
        "Іван Іванавіч Пятроў",
        birth_date="1980-04-12",
        gender="m",
        region="Minsk",
        names=[
            {"text": "Іван Іванавіч Пятроў", "kind": "primary"},
            {"text": "Иван Иванович Петров", "kind": "transliteration", "language": "ru"},
            {"text": "Ivan Piatrou", "kind": "transliteration", "language": "en"},
        ],
    )
    actions.record_event("test", ivan, "detained", "2021-03-01")
    actions.record_event("test", ivan, "recognized", "2021-03-10")
    actions.record_event("test", ivan, "convicted", "2021-09-01", case=case)
    actions.record_event("test", ivan, "sentenced", "2021-09-01", sentence_months=60, regime="general")
    actions.record_event("test", ivan, "transferred", "2021-10-01", facility=colony)
    actions.record_event(
        "test", ivan, "charged", "2021-05-01", note="RESTRICTEDNOTE", confidentiality="restricted"
    )
    restricted = actions.create_person(
        "test", "Restricted Person", confidentiality="restricted", region="Minsk"
    )
    actions.record_event("test", restricted, "detained", "2022-01-01")
    canary = actions.create_person(
        "test", "SEALEDCANARY Zzyzx", confidentiality="sealed", region="Minsk", birth_date="1970"
    )
    actions.record_event("test", canary, "detained", "2021-04-01")
    actions.record_event("test", canary, "recognized", "2021-04-02")
    actions.record_event("test", canary, "transferred", "2021-10-01", facility=colony)
    duplicate = actions.create_person("test", "Ivan Petrov (duplicate)")
    # The merge action lives in the registry; a link is all that a merge is, so set it directly here.
    Person.objects.filter(pk=duplicate.pk).update(merged_into=ivan)
    return {
        "ivan": ivan,
        "restricted": restricted,
        "canary": canary,
        "duplicate": duplicate,
        "colony": colony,
    }


@pytest.fixture
def crowd(db):
    """The synthetic demo registry at 300 persons plus 60 facilities: pages of 50 of everything."""
    build(persons=300, seed=11)
    Facility.objects.bulk_create(Facility(name=f"Facility {i:02d} (test)", kind="other") for i in range(60))
    for i in range(55):
        actions.create_person("test", f"Testavich Person{i:02d}")
