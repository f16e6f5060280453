"""The public site: pages, filters, visibility for every role, languages and bounded queries."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spis.registry import actions
from spis.registry.models import Facility, Person
from tests.conftest import login_verified

HIDDEN = ["Sealed Canary", "Restricted Canary", "HIDDEN-EVENT-NOTE", "A witness (confidential)"]


def client_for(users, role):
    client = Client()
    if users[role] is None:
        return client
    if role in ("editor", "admin"):
        # Staff roles must pass two-factor on every page; tests log in as after a real TOTP check.
        return login_verified(client, users[role])
    client.force_login(users[role])
    return client


def text(response):
    return response.content.decode()


@pytest.mark.django_db
def test_it_shows_the_same_counts_as_the_stats_command(site_registry, client):
    out = StringIO()
    call_command("stats", "--as-of", timezone.now().date().isoformat(), "--json", stdout=out)
    expected = json.loads(out.getvalue())
    page = text(client.get(reverse("web-home")))
    for element, key in [
        ("recognized-in-custody", "recognized_in_custody"),
        ("in-custody", "in_custody"),
        ("recognized-total", "recognized_total"),
        ("released-total", "released_total"),
        ("died-in-custody", "died_in_custody"),
    ]:
        shown = re.search(rf'id="{element}">([^<]*)<', page).group(1)
        assert int(shown.replace(",", "")) == expected[key], element
    assert f"As of {expected['as_of']}" in page
    assert expected["recognized_in_custody"] == 2  # the public person and the sealed one (totals only)


@pytest.mark.django_db
def test_it_draws_the_custody_chart_on_the_home_page(site_registry, client):
    page = text(client.get(reverse("web-home")))
    assert page.count("<svg") >= 2 and "<polyline" in page
    assert 'role="img"' in page


@pytest.mark.parametrize("role", ["anonymous", "volunteer"])
def test_it_never_shows_sealed_or_restricted_people_below_researcher(site_registry, users, role):
    client = client_for(users, role)
    for key in ("sealed", "restricted"):
        person = site_registry[key]
        assert client.get(reverse("web-person", args=[person.public_id])).status_code == 404
    pages = [
        reverse("web-home"),
        reverse("web-people"),
        reverse("web-people") + "?q=Canary",
        reverse("web-people") + "?article=342",
        reverse("web-person", args=[site_registry["public"].public_id]),
        reverse("web-facilities"),
        reverse("web-facility", args=[site_registry["colony"].pk]),
        reverse("web-statistics"),
        reverse("web-birthdays"),
        reverse("web-releases"),
        reverse("web-open-data"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in HIDDEN:
            assert secret not in text(response), (url, secret)


def test_the_article_filter_offers_no_article_charged_only_to_a_hidden_person(site_registry, users):
    """The article options: a public charge of a sealed or restricted person is still about a hidden person;
    an article only they are charged under would tell that someone hidden is."""
    from spis.registry.models import Case

    for key, article in (("sealed", "999-9"), ("restricted", "888-8")):
        case = Case.objects.create(number=f"CASE-{key}", articles=[{"code": "CC-BY", "article": article}])
        actions.record_event("t", site_registry[key], "charged", "2022-05-03", case=case)

    def options(role):
        page = text(client_for(users, role).get(reverse("web-people")))
        select = page.split('id="article"')[1].split("</select>")[0]
        return set(re.findall(r"<option(?: selected)?>([^<]*)</option>", select))

    assert "342" in options("anonymous") and not {"999-9", "888-8"} & options("anonymous")
    assert "888-8" in options("researcher") and "999-9" not in options("researcher")


def test_it_shows_restricted_people_and_events_to_researchers(site_registry, users):
    client = client_for(users, "researcher")
    response = client.get(reverse("web-person", args=[site_registry["restricted"].public_id]))
    assert response.status_code == 200
    page = text(client.get(reverse("web-person", args=[site_registry["public"].public_id])))
    assert "HIDDEN-EVENT-NOTE" in page
    assert "1980-07-15" in page  # the full birth date, which the public sees only as a year
    assert client.get(reverse("web-person", args=[site_registry["sealed"].public_id])).status_code == 404
    assert (
        client_for(users, "admin")
        .get(reverse("web-person", args=[site_registry["sealed"].public_id]))
        .status_code
        == 200
    )


def test_it_shows_a_person_page_with_names_timeline_sources_and_letter_address(site_registry, client):
    page = text(client.get(reverse("web-person", args=[site_registry["public"].public_id])))
    for name in ["Ціханоўскі Андрэй Паўлавіч", "Тихановский Андрей Павлович", "Andrei Tsikhanouski"]:
        assert name in page
    assert ">2021-03<" in page  # the partial date as entered
    assert "https://spring96.org/en/news/1" in page  # the recognition statement
    assert "ул. 1-я Иловская" in page and "Тихановский Андрей Павлович, 1980 г.р." in page
    assert "1980" in page and "1980-07-15" not in page
    assert "HIDDEN-EVENT-NOTE" not in page and "A witness (confidential)" not in page


def test_a_source_link_that_is_no_web_link_is_shown_as_its_title_only(site_registry, client):
    # An import stored a mapping's `javascript:` link as it was written; the page rendered it as a link.
    public = site_registry["public"]
    script = actions.create_source("t", "Scripted source", url="javascript:alert(1)")
    actions.cite("t", script, public)
    page = text(client.get(reverse("web-person", args=[public.public_id])))
    assert "Scripted source" in page and "javascript:" not in page


def test_a_restricted_transfer_moves_no_one_on_the_public_pages(site_registry, client):
    # The public events hold them at the colony: the person page, both facility pages and the facility filter
    # agree with the API on that, and none reveals the restricted move (a page that dropped them would).
    public = site_registry["public"]
    prison, colony = site_registry["sizo"], site_registry["colony"]
    actions.record_event(
        "t", public, "transferred", "2023-01-01", facility=prison, confidentiality="restricted"
    )
    page = text(client.get(reverse("web-person", args=[public.public_id])))
    assert "СИЗО-1" not in page and "Write a letter" in page and "ИК-17" in page
    assert public.display_name not in text(client.get(reverse("web-facility", args=[prison.pk])))
    assert public.display_name in text(client.get(reverse("web-facility", args=[colony.pk])))
    listed = text(client.get(reverse("web-people"), {"facility": colony.pk}))
    assert public.display_name in listed


def test_it_redirects_a_merged_id_to_the_canonical_person(site_registry, client):
    public = site_registry["public"]
    duplicate = actions.create_person("t", "Tikhanovsky Andrei")
    # No merge action exists in registry/actions yet; a merge is only this link (DESIGN.md: merges are links).
    Person.objects.filter(pk=duplicate.pk).update(merged_into=public)
    response = client.get(reverse("web-person", args=[duplicate.public_id]))
    assert response.status_code == 301
    assert response["Location"] == reverse("web-person", args=[public.public_id])
    assert client.get(reverse("web-person", args=["BY-999999"])).status_code == 404


@pytest.mark.django_db
def test_it_finds_a_person_stored_only_in_belarusian_from_a_latin_query(client):
    person = actions.create_person("t", "Ціханоўскі Андрэй Паўлавіч")
    page = text(client.get(reverse("web-people"), {"q": "Tikhanovsky"}))
    assert reverse("web-person", args=[person.public_id]) in page


@pytest.mark.parametrize(
    ("params", "shown", "not_shown"),
    [
        ({"status": "in_custody"}, ["Ціханоўскі"], ["Released Person"]),
        ({"status": "released"}, ["Released Person"], ["Ціханоўскі"]),
        ({"region": "Minsk"}, ["Released Person"], ["Ціханоўскі"]),
        ({"gender": "f"}, ["Released Person"], ["Ціханоўскі"]),
        ({"article": "342"}, ["Ціханоўскі"], ["Released Person"]),
        ({"article": "361-1"}, [], ["Ціханоўскі"]),  # only a restricted event carries that article
        ({"sentence": "5-10"}, ["Ціханоўскі"], ["Released Person"]),
        ({"sentence": "1-3"}, [], ["Ціханоўскі"]),
        ({"year": "2020"}, ["Released Person"], ["Ціханоўскі"]),
        ({"q": "Tsikhanouski", "status": "in_custody"}, ["Ціханоўскі"], ["Released Person"]),
    ],
)
def test_it_filters_the_list(site_registry, client, params, shown, not_shown):
    page = text(client.get(reverse("web-people"), params))
    for name in shown:
        assert name in page, params
    for name in not_shown:
        assert f">{name}" not in page, params


def test_it_filters_by_facility_through_visible_events(site_registry, client):
    page = text(client.get(reverse("web-people"), {"facility": site_registry["colony"].pk}))
    assert "Ціханоўскі" in page and "Released Person" not in page


def test_it_keeps_filters_in_pagination_links(site_registry, client):
    for i in range(12):
        actions.create_person("t", f"Filler {i:02d}", region="Brest")
    page = text(client.get(reverse("web-people"), {"region": "Brest", "per_page": "10", "sort": "name"}))
    assert "Page 1 of 2" in page
    assert 'href="?page=2&amp;per_page=10&amp;region=Brest&amp;sort=name"' in page
    second = text(client.get(reverse("web-people"), {"region": "Brest", "per_page": "10", "page": "2"}))
    assert "Filler 11" in second and "Filler 00" not in second


@pytest.mark.parametrize("per_page", [10, 100])
def test_it_lists_a_page_in_a_bounded_number_of_queries(db, client, django_assert_max_num_queries, per_page):
    from spis.registry import demo

    demo.build(persons=300, seed=3)
    # +2 for the people shown as the reader's visible events derive them (access.queries.as_seen: their merge
    # clusters, their events), +1 when someone on the page is seen elsewhere than stored (facilities):
    # whatever the page size.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("web-people"), {"per_page": per_page, "sort": "-detained"})
    assert text(response).count('<th scope="row"><a href="/people/') == per_page


def test_it_lists_facilities_with_people_held(site_registry, client):
    page = text(client.get(reverse("web-facilities")))
    assert "Penal Colony No. 17, Shklow" in page
    detail = text(client.get(reverse("web-facility", args=[site_registry["colony"].pk])))
    assert "Ціханоўскі Андрэй Паўлавіч" in detail and "ул. 1-я Иловская" in detail and "54.21" in detail
    assert client.get(reverse("web-facility", args=[99999])).status_code == 404


def test_a_place_named_on_sealed_events_alone_is_none_of_the_publics(site_registry, client, users):
    hidden = Facility.objects.create(name="конспиративная квартира, ул. Тайная 3", kind="other")
    actions.record_event(
        "t", site_registry["sealed"], "transferred", "2022-06-01", facility=hidden, confidentiality="sealed"
    )
    for url in (reverse("web-facilities"), reverse("web-people")):
        assert "Тайная" not in text(client.get(url))
    assert client.get(reverse("web-facility", args=[hidden.pk])).status_code == 404
    login_verified(client, users["admin"])
    assert "Тайная" in text(client.get(reverse("web-facilities")))
    assert client.get(reverse("web-facility", args=[hidden.pk])).status_code == 200


def test_it_shows_every_breakdown_with_a_csv(site_registry, client):
    from spis.stats.breakdowns import DIMENSION_KEYS

    page = text(client.get(reverse("web-statistics")))
    for key in DIMENSION_KEYS:
        assert f'id="{key}"' in page
        response = client.get(reverse("web-statistics-csv", args=[key]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert response.content.decode().startswith("key,label,count")
    assert "&lt;5" in page  # small cells are suppressed
    assert client.get("/statistics/nonsense.csv").status_code == 404


def test_it_lists_upcoming_releases_and_birthdays_of_public_people_only(site_registry, users):
    today = timezone.now().date()
    soon = actions.create_person(
        "t", "Soon Free", birth_date=(today + dt.timedelta(days=3)).replace(year=1990)
    )
    actions.record_event("t", soon, "detained", today - dt.timedelta(days=300))
    actions.record_event("t", soon, "convicted", today - dt.timedelta(days=200))
    actions.record_event(
        "t", soon, "sentenced", today - dt.timedelta(days=200), sentence_months=12, regime="general"
    )
    hidden = actions.create_person(
        "t",
        "Hidden Soon",
        confidentiality="restricted",
        birth_date=(today + dt.timedelta(days=3)).replace(year=1990),
    )
    actions.record_event("t", hidden, "detained", today - dt.timedelta(days=300))
    actions.record_event("t", hidden, "convicted", today - dt.timedelta(days=200))
    actions.record_event(
        "t", hidden, "sentenced", today - dt.timedelta(days=200), sentence_months=12, regime="general"
    )
    for role in ("anonymous", "researcher"):
        client = client_for(users, role)
        releases = text(client.get(reverse("web-releases")))
        assert "Soon Free" in releases and "Hidden Soon" not in releases
        birthdays = text(client.get(reverse("web-birthdays")))
        assert "Soon Free" in birthdays and "Hidden Soon" not in birthdays
    day = (today + dt.timedelta(days=3)).strftime("%Y-%m-%d").replace("1990", "")
    assert f'datetime="{(today + dt.timedelta(days=3)).isoformat()}"' in text(
        client_for(users, "researcher").get(reverse("web-birthdays"))
    )
    assert "datetime=" not in text(client_for(users, "anonymous").get(reverse("web-birthdays"))), day


@pytest.mark.django_db
def test_it_describes_and_links_the_open_data(client):
    page = text(client.get(reverse("web-open-data")))
    assert "CSV" in page and "JSON" in page and "FollowTheMoney" in page


@pytest.mark.django_db
def test_it_speaks_belarusian_and_russian(client):
    be = text(client.get(reverse("web-people"), HTTP_ACCEPT_LANGUAGE="be"))
    assert '<html lang="be">' in be and "Людзі" in be
    ru = text(client.get(reverse("web-people"), HTTP_ACCEPT_LANGUAGE="ru"))
    assert '<html lang="ru">' in ru and "Люди" in ru
    response = client.post(reverse("set_language"), {"language": "be", "next": "/people/"})
    assert response.status_code == 302
    assert "Людзі" in text(client.get("/people/"))


@pytest.mark.django_db
def test_it_has_no_inline_script_and_labels_every_control(client):
    for url in [reverse("web-home"), reverse("web-people")]:
        page = text(client.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert " on" + "click=" not in page
        for control_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page):
            assert f'for="{control_id}"' in page, control_id
        assert 'class="skip" href="#main"' in page


@pytest.mark.django_db
def test_each_page_title_names_the_site_once(client):
    """A page's own title, then the site's: the campaign, corridor and sign-in pages used to add the site's
    short name before it as well ("Campaigns · spis · spis: …")."""
    for name in [
        "web-home",
        "web-people",
        "campaigns:campaign-list",
        "campaigns:campaign-precedents",
        "campaigns:corridor-list",
        "access-login",
    ]:
        title = re.search(r"<title>(.*?)</title>", text(client.get(reverse(name))), re.S)[1]  # the head's
        assert title.count("spis") == 1, (name, title)


@pytest.mark.django_db
def test_it_ignores_malformed_list_parameters(client):
    actions.create_person("t", "Somebody")
    for params in [
        {"page": "abc"},
        {"page": "-3"},
        {"year": "20x0"},
        {"facility": "1; DROP TABLE"},
        {"facility": "99999999999999999999999"},
        {"year": "-99999999999999999999999"},
        {"per_page": "7"},
        {"sort": "password"},
        {"status": "nonsense"},
        {"q": "x" * 5000},
        {"article": '342"}]'},
    ]:
        response = client.get(reverse("web-people"), params)
        assert response.status_code == 200, params


def _born(name, birth_date):
    person = actions.create_person("t", name, birth_date=birth_date)
    actions.record_event("t", person, "detained", "2021-01-01")
    return person


def _birthdays_on(monkeypatch, client, day):
    from django.core.cache import caches

    from spis.web import views

    monkeypatch.setattr(views, "_today", lambda: day)
    for cache in caches.all(initialized_only=True):  # the page cache keys on the real day, not this one
        cache.clear()
    page = text(client.get(reverse("web-birthdays")))
    return {name for name in ("Early March", "Late April", "Early May", "Mid April") if name in page}


def test_the_public_birthdays_feed_moves_only_when_the_month_does(db, users, monkeypatch):
    # A rolling window ("the next 30 days") would add a name on the day its birthday comes into range: read
    # daily, that gives the exact birthday away to readers the policy shows only the year.
    _born("Early March", "1980-03-05")
    _born("Mid April", "1981-04-10")
    _born("Late April", "1982-04-25")
    _born("Early May", "1983-05-01")
    for role in ("anonymous", "volunteer"):
        client = client_for(users, role)
        seen = {frozenset(_birthdays_on(monkeypatch, client, dt.date(2024, 3, day))) for day in range(1, 32)}
        assert seen == {frozenset({"Early March", "Mid April", "Late April"})}, role
        assert _birthdays_on(monkeypatch, client, dt.date(2024, 4, 1)) == {
            "Mid April",
            "Late April",
            "Early May",
        }
    # Researchers see the day anyway: for them the next 30 days.
    researcher = client_for(users, "researcher")
    assert _birthdays_on(monkeypatch, researcher, dt.date(2024, 3, 20)) == {"Mid April"}


def test_the_feeds_say_they_list_people_in_custody(db, client):
    # docs/site.md: the feeds list public people in custody, recognised or not; the headings say so.
    for name in ("web-birthdays", "web-releases"):
        page = text(client.get(reverse(name)))
        assert "People in custody whose" in page and "Political prisoners whose" not in page


def test_the_birthdays_feed_wraps_from_december_to_january(db, client, monkeypatch):
    _born("Early January", "1980-01-03")
    from spis.web import views

    monkeypatch.setattr(views, "_today", lambda: dt.date(2024, 12, 31))
    page = text(client.get(reverse("web-birthdays")))
    assert "Early January" in page and "between 1 December and the end of January" in page


# Code-point order put Ў after я and І before А; the made-up surnames are for those letters.
ALPHABETICAL = [
    "Арлова Ала",
    "Іванова Ірына",
    "Уладзімірава Вольга",
    "Ўзорная Ганна",
    "Фёдарава Ніна",
    "Zhuk Anna",
]


@pytest.mark.django_db
def test_it_lists_people_and_a_facilitys_people_in_alphabet_order(client):
    from spis.registry.models import Facility

    colony = Facility.objects.create(name="Penal Colony No. 4, Gomel", kind="colony")
    for name in reversed(ALPHABETICAL):
        person = actions.create_person("t", name)
        actions.record_event("t", person, "detained", "2021-03-12", facility=colony)
    for url in ["/people/", "/people/?sort=name", reverse("web-facility", args=[colony.pk])]:
        page = text(client.get(url))
        at = [page.index(name) for name in ALPHABETICAL]
        assert at == sorted(at), url
    listed = text(client.get("/people/"))
    assert listed.index("Уладзімірава") < listed.index("Ўзорная") < listed.index("Фёдарава")


@pytest.mark.django_db
def test_the_article_choices_come_from_cases_the_reader_may_see(site_registry, users):
    # 361-1 is named only by a case of a restricted event: offering it would tell the public such a case exists.
    def choices(client):
        page = text(client.get(reverse("web-people")))
        return set(re.findall(r"<option(?: selected)?>([\d.-]+)</option>", page))

    assert "342" in choices(client_for(users, "anonymous")) and "361-1" not in choices(
        client_for(users, "anonymous")
    )
    assert "361-1" not in choices(client_for(users, "volunteer"))
    assert {"342", "361-1"} <= choices(client_for(users, "researcher"))


def test_the_birthdays_feed_lists_a_month_in_alphabet_order(db, client, monkeypatch):
    from spis.web import views

    for number, name in enumerate(reversed(ALPHABETICAL), 1):
        _born(name, f"1980-03-{number:02d}")  # birth days in the other order: the anonymous feed shows months
    monkeypatch.setattr(views, "_today", lambda: dt.date(2024, 3, 1))
    page = text(client.get(reverse("web-birthdays")))
    at = [page.index(name) for name in ALPHABETICAL]
    assert at == sorted(at)


def test_statistics_and_lists_name_places_and_articles_in_the_visitors_language(site_registry, client):
    # Stored in English (regions), by code (articles) or with names per language (facilities).
    wanted = {
        "en": ["Gomel Region", "CC-BY art. 342", "Penal Colony No. 17, Shklow"],
        "ru": ["Гомельская область", "ст. 342 УК", "ИК-17, Шклов"],
        # No Belarusian name for the colony: a Belarusian reader gets the Russian one, not the English.
        "be": ["Гомельская вобласць", "арт. 342 КК", "ИК-17, Шклов"],
    }
    for language, labels in wanted.items():
        page = text(client.get(reverse("web-statistics"), HTTP_ACCEPT_LANGUAGE=language))
        for label in labels:
            assert label in page, (language, label)
    assert "Gomel Region" not in text(client.get(reverse("web-statistics"), HTTP_ACCEPT_LANGUAGE="ru"))
    people = text(client.get(reverse("web-people"), HTTP_ACCEPT_LANGUAGE="be"))
    # The filter still sends the stored value; the visitor reads it in their language.
    assert '<option value="Gomel Region">Гомельская вобласць</option>' in people
    person = text(
        client.get(reverse("web-person", args=[site_registry["public"].public_id]), HTTP_ACCEPT_LANGUAGE="ru")
    )
    assert "Гомельская область" in person


def test_the_people_list_shows_a_partial_detention_date_as_entered(db, client):
    """A detention in "2020" is not 2020-01-01, nor one in "2021-03" the 1st of March (the person page
    shows them so already); the term's end counted from a month is a month."""
    year = actions.create_person("t", "Год Затрыманы")
    actions.record_event("t", year, "detained", "2020")
    month = actions.create_person("t", "Месяц Затрыманы")
    actions.record_event("t", month, "detained", "2021-03")
    actions.record_event("t", month, "convicted", "2021-09-01")
    actions.record_event("t", month, "sentenced", "2021-09-01", sentence_months=120, regime="general")
    day = actions.create_person("t", "Дзень Затрыманы")
    actions.record_event("t", day, "detained", "2021-03-12")
    page = text(client.get(reverse("web-people")))
    assert "<td>2020</td>" in page and "<td>2021-03</td>" in page and "<td>2021-03-12</td>" in page
    assert "2020-01-01" not in page and "2021-03-01" not in page
    detail = text(client.get(reverse("web-person", args=[month.public_id])))
    assert "<dd>2031-03</dd>" in detail and "2031-03-01" not in detail
