import pytest

from spis.registry import actions
from spis.registry.models import Case, Facility


@pytest.fixture
def site_registry(db):
    """A small registry where every visible and hidden fact is known.

    Facilities and cases are plain rows (they have no write action yet); people and events go through actions.
    """
    colony = Facility.objects.create(
        name="Penal Colony No. 17, Shklow",
        name_ru="ИК-17, Шклов",
        kind="colony",
        region="Mogilev Region",
        postal_address="213004, г. Шклов, ул. 1-я Иловская, 8, ИК-17",
        latitude="54.21",
        longitude="30.29",
    )
    sizo = Facility.objects.create(
        name="SIZO No. 1, Minsk", kind="sizo", postal_address="220030, г. Минск, СИЗО-1"
    )
    case = Case.objects.create(number="CASE-1", articles=[{"code": "CC-BY", "article": "342", "part": "1"}])
    other_case = Case.objects.create(
        number="CASE-2", articles=[{"code": "CC-BY", "article": "361-1", "part": ""}]
    )
    statement = actions.create_source(
        "t", "Joint statement recognising political prisoners", url="https://spring96.org/en/news/1"
    )
    secret_source = actions.create_source("t", "A witness (confidential)", confidentiality="restricted")

    public = actions.create_person(
        "t",
        "Ціханоўскі Андрэй Паўлавіч",
        names=[
            {"text": "Ціханоўскі Андрэй Паўлавіч", "kind": "primary", "language": "be"},
            {"text": "Тихановский Андрей Павлович", "kind": "alias", "language": "ru"},
            {
                "text": "Andrei Tsikhanouski",
                "kind": "transliteration",
                "language": "be",
                "scheme": "national-2023",
            },
        ],
        birth_date="1980-07-15",
        gender="m",
        region="Gomel Region",
    )
    actions.record_event("t", public, "detained", "2021-03", facility=sizo, case=case)
    actions.record_event("t", public, "recognized", "2021-04-02", sources=[statement])
    actions.record_event("t", public, "convicted", "2021-10-01", case=case)
    actions.record_event(
        "t", public, "sentenced", "2021-10-01", case=case, sentence_months=60, regime="strict"
    )
    actions.record_event("t", public, "transferred", "2021-12-01", facility=colony, sources=[secret_source])
    actions.record_event(
        "t",
        public,
        "charged",
        "2022-02-01",
        case=other_case,
        confidentiality="restricted",
        note="HIDDEN-EVENT-NOTE",
    )

    released = actions.create_person("t", "Released Person", gender="f", region="Minsk")
    actions.record_event("t", released, "detained", "2020-09-01", facility=sizo)
    actions.record_event("t", released, "recognized", "2020-10-01")
    actions.record_event("t", released, "released", "2022-01-01", release_kind="end_of_term")

    restricted = actions.create_person("t", "Restricted Canary", confidentiality="restricted", region="Minsk")
    actions.record_event("t", restricted, "detained", "2022-05-01", facility=colony, case=case)
    sealed = actions.create_person("t", "Sealed Canary", confidentiality="sealed", region="Minsk")
    actions.record_event("t", sealed, "detained", "2022-05-01", facility=colony, case=case)
    actions.record_event("t", sealed, "recognized", "2022-05-02")
    return {
        "public": public,
        "released": released,
        "restricted": restricted,
        "sealed": sealed,
        "colony": colony,
        "sizo": sizo,
    }
