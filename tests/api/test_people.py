"""/api/v1/people and /events: the visibility policy, filters, merged ids, and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spis.access import changes
from spis.api.views import EventList
from spis.registry import actions
from spis.registry.models import Facility

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["public_id"] for row in response.json()["results"]]


def test_it_lists_public_people_only_for_anonymous(api, registry):
    response = api.get("/api/v1/people")
    assert response.status_code == 200
    assert ids(response) == [registry["ivan"].public_id]
    assert "SEALEDCANARY" not in response.content.decode()


def test_it_lists_restricted_people_for_researchers(client_for, registry):
    listed = ids(client_for("researcher").get("/api/v1/people"))
    assert registry["restricted"].public_id in listed and registry["canary"].public_id not in listed
    assert registry["canary"].public_id in ids(client_for("admin").get("/api/v1/people"))


def test_it_shows_the_birth_year_only_to_the_public(api, client_for, registry):
    url = f"/api/v1/people/{registry['ivan'].public_id}"
    assert api.get(url).json()["birth_date"] == "1980"
    assert client_for("volunteer").get(url).json()["birth_date"] == "1980"
    assert client_for("researcher").get(url).json()["birth_date"] == "1980-04-12"


def test_it_gives_a_person_with_names_and_events(api, client_for, registry):
    body = api.get(f"/api/v1/people/{registry['ivan'].public_id}").json()
    assert body["status"] == "in_custody" and body["recognized"] is True
    assert body["current_facility"]["name"] == "Colony No. 1 (test)"
    assert {n["text"] for n in body["names"]} >= {"Иван Иванович Петров", "Ivan Piatrou"}
    assert [e["type"] for e in body["events"]] == [
        "detained",
        "recognized",
        "convicted",
        "sentenced",
        "transferred",
    ]
    assert body["events"][2]["articles"] == ["342 ч.1"]
    assert "RESTRICTEDNOTE" not in str(body)
    staff = client_for("researcher").get(f"/api/v1/people/{registry['ivan'].public_id}").json()
    assert "RESTRICTEDNOTE" in str(staff)


def test_it_hides_invisible_people_with_404(api, client_for, registry):
    for key in ("restricted", "canary"):
        assert api.get(f"/api/v1/people/{registry[key].public_id}").status_code == 404
        assert api.get(f"/api/v1/people/{registry[key].public_id}/events").status_code == 404
    assert client_for("researcher").get(f"/api/v1/people/{registry['canary'].public_id}").status_code == 404
    assert client_for("admin").get(f"/api/v1/people/{registry['canary'].public_id}").status_code == 200
    assert api.get("/api/v1/people/BY-999999").status_code == 404


def test_it_redirects_a_merged_id_to_the_canonical_record(api, registry):
    response = api.get(f"/api/v1/people/{registry['duplicate'].public_id}")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/people/{registry['ivan'].public_id}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=in_custody", True),
        ("status=released", False),
        ("region=Minsk", True),
        ("region=Brest+Region", False),
        ("gender=m", True),
        ("article=342", True),
        ("article=361-1", False),
        ("sentence_min=60&sentence_max=60", True),
        ("sentence_min=61", False),
        ("detention_year=2021", True),
        ("detention_year=2022", False),
        ("recognized=true", True),
    ],
)
def test_it_filters(api, registry, query, expected):
    assert (registry["ivan"].public_id in ids(api.get(f"/api/v1/people?{query}"))) is expected


def test_it_filters_by_facility(api, registry):
    assert ids(api.get(f"/api/v1/people?facility={registry['colony'].pk}")) == [registry["ivan"].public_id]


@pytest.mark.parametrize(
    "query",
    [
        "status=nope",
        "gender=q",
        "facility=x",
        "sentence_min=many",
        "recognized=maybe",
        # Past the databases' 64-bit integers: a 400, not an OverflowError (a 500).
        "facility=99999999999999999999999",
        "sentence_max=-99999999999999999999999",
    ],
)
def test_it_rejects_bad_filters_naming_the_parameter(api, registry, query):
    response = api.get(f"/api/v1/people?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_it_searches_in_any_script(api, registry):
    for query in ("Петров", "Piatrou", "Пятроў"):
        assert ids(api.get("/api/v1/people", {"q": query})) == [registry["ivan"].public_id], query
    assert ids(api.get("/api/v1/people", {"q": "Zzyzx"})) == []
    assert ids(api.get("/api/v1/people", {"q": "Петров", "region": "Brest Region"})) == []


def test_it_lists_events_of_visible_people_only(api, client_for, registry):
    events = api.get("/api/v1/events?limit=100").json()["results"]
    assert {e["person"] for e in events} == {registry["ivan"].public_id}
    admin = client_for("admin").get("/api/v1/events?limit=100").json()["results"]
    assert registry["canary"].public_id in {e["person"] for e in admin}
    typed = api.get("/api/v1/events?type=sentenced").json()["results"]
    assert [e["sentence_months"] for e in typed] == [60]
    ranged = api.get("/api/v1/events?from=2021-03-05&to=2021-09-01").json()["results"]
    assert [e["date"] for e in ranged] == ["2021-09-01", "2021-09-01", "2021-03-10"]
    assert api.get("/api/v1/events?from=2021-13-01").status_code == 400


def test_the_event_count_is_remembered_until_a_write(api, client_for, registry):
    public = api.get("/api/v1/events").json()["count"]
    assert client_for("admin").get("/api/v1/events").json()["count"] > public  # by caller level
    assert api.get("/api/v1/events?type=sentenced").json()["count"] == 1  # by filter
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/events").json()["count"] == public
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
    actions.record_event("test", registry["ivan"], "transferred", "2022-05-01", facility=registry["colony"])
    assert api.get("/api/v1/events").json()["count"] == public + 1
    actions.record_event(
        "test",
        registry["ivan"],
        "transferred",
        "2022-06-01",
        facility=registry["colony"],
        confidentiality="sealed",
    )
    assert api.get("/api/v1/events").json()["count"] == public + 1


def _event_list_plan() -> str:
    """SQLite's plan of the anonymous event list's first page."""
    view = EventList()
    view.request = type("R", (), {"user": None, "query_params": {}})()
    sql, params = view.get_queryset()[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        return " ".join(row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_the_event_list_walks_an_index_newest_first():
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's query plan")
    plan = _event_list_plan()
    assert "event_by_date" in plan and "TEMP B-TREE" not in plan, plan


def test_person_events_follow_a_merge(api, registry):
    response = api.get(f"/api/v1/people/{registry['duplicate'].public_id}/events")
    assert response.status_code == 200 and len(response.json()["results"]) == 5


def test_facilities_count_public_people_held(api, client_for, registry):
    colony = registry["colony"]
    for client in (api, client_for("admin")):
        body = client.get(f"/api/v1/facilities/{colony.pk}").json()
        assert body["people_held"] == 1  # Ivan; the sealed canary held there is never counted
    assert api.get("/api/v1/facilities").json()["results"][0]["people_held"] == 1
    assert api.get("/api/v1/facilities/999999").status_code == 404


def test_a_facility_count_leaves_out_a_restricted_transfer(api, client_for, registry):
    # Ivan (public) moved by a restricted transfer: the public count of the prison must not reveal it (it
    # counted stored columns, derived from every event); he stays where the public events place him.
    prison = Facility.objects.create(name="Prison No. 8 (test)", kind="prison", region="Minsk Region")
    actions.record_event(
        "test", registry["ivan"], "transferred", "2022-05-01", facility=prison, confidentiality="restricted"
    )
    # Named on a restricted event alone, the prison is none of the public's (policy.facilities).
    assert api.get(f"/api/v1/facilities/{prison.pk}").status_code == 404
    assert client_for("researcher").get(f"/api/v1/facilities/{prison.pk}").json()["people_held"] == 0
    for client in (api, client_for("admin")):
        assert client.get(f"/api/v1/facilities/{registry['colony'].pk}").json()["people_held"] == 1


def test_a_place_named_on_hidden_events_alone_is_not_listed(api, client_for, registry):
    # A sealed list's free text ("конспиративная квартира КГБ, Минск ул. …") became a facility the public
    # saw in the list of facilities, with 0 held.
    hidden = Facility.objects.create(name="конспиративная квартира, ул. Тайная 3", kind="other")
    sealed = actions.create_person("t", "Запечатанный Человек", confidentiality="sealed")
    actions.record_event("t", sealed, "detained", "2022-05-01", facility=hidden, confidentiality="sealed")
    restricted = actions.create_person("t", "Закрытый Человек", confidentiality="restricted")
    actions.record_event("t", restricted, "detained", "2022-05-01", facility=hidden)
    listed = {f["name"] for f in api.get("/api/v1/facilities").json()["results"]}
    assert hidden.name not in listed and registry["colony"].name in listed
    assert api.get(f"/api/v1/facilities/{hidden.pk}").status_code == 404
    assert client_for("researcher").get(f"/api/v1/facilities/{hidden.pk}").status_code == 200
    assert client_for("admin").get(f"/api/v1/facilities/{hidden.pk}").status_code == 200


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        ("/api/v1/people?limit={n}", 2),
        ("/api/v1/people?limit={n}&gender=m&status=released&article=342", 2),
        ("/api/v1/events?limit={n}", 2),
        ("/api/v1/facilities?limit={n}", 4),  # + hidden events, counts (access.queries.held_counts)
        ("/api/v1/changes?since=2000-01-01&limit={n}", 5),  # people, events, withdrawn; merges, roots
    ],
)
def test_lists_run_bounded_queries(api, crowd, url, max_queries, django_assert_max_num_queries):
    # People are shown as the caller's visible events derive them (access.queries.as_seen): +2 per page (their
    # clusters, their events), +1 when someone on it is seen elsewhere than stored (facilities); with
    # the time what the caller may see of them changed (access.changes): +2 to find the clocks current, +1 to
    # read a page's clocks (the feed reads them with the people). Bringing the clocks up to date after a write
    # is one refresh per write, whatever the page: done here first.
    changes.refresh()
    extra = 4 + (3 if "people" in url else 2 if "changes" in url else 0)
    for n in (5, 50):
        with django_assert_max_num_queries(max_queries + extra):
            response = api.get(url.format(n=n))
        assert response.status_code == 200
        body = response.json()
        rows = body["results"] if "results" in body else body["people"]
        assert len(rows) == min(n, body.get("count", n))
    assert body.get("count", 50) >= 5


def test_detail_runs_bounded_queries(api, crowd, registry, django_assert_max_num_queries):
    changes.refresh()
    # As in test_lists_run_bounded_queries: +7 at most; +1 a level of the person's merge cluster (the fixture's
    # duplicate: one level, and the look-up that finds none below it).
    with django_assert_max_num_queries(13):
        assert api.get(f"/api/v1/people/{registry['ivan'].public_id}").status_code == 200
    with django_assert_max_num_queries(6):  # 4, and the two look-ups of the merge cluster
        assert api.get(f"/api/v1/people/{registry['ivan'].public_id}/events").status_code == 200


def test_search_runs_bounded_queries_per_page(api, crowd, monkeypatch):
    # The search function's own queries are its business (they may grow with its limit); pin its limit so
    # that what is measured is this view's work: filtering and reading one page, whatever its size.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from spis.access.queries import search
    from spis.api import views

    monkeypatch.setattr(views, "search", lambda user, q, limit: search(user, q, 500)[:limit])
    api.get("/api/v1/people", {"q": "Testavich"})  # the search index checks itself once per connection
    sizes = []
    for n in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/v1/people", {"q": "Testavich", "limit": n})
        assert len(response.json()["results"]) == n
        sizes.append(len(ctx.captured_queries))
    assert sizes[0] == sizes[1]


def test_search_pages_through_every_result(api, crowd):
    seen, url = [], "/api/v1/people?q=Testavich&limit=20"
    while url:
        body = api.get(url).json()
        seen += [row["public_id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 55
    assert body["count"] == 55


def test_it_lists_people_in_alphabet_order(api):
    # Code-point order put Ў after я and І before А; the made-up surnames are for those letters.
    ordered = ["Арлова Ала", "Іванова Ірына", "Уладзімірава Вольга", "Ўзорная Ганна", "Фёдарава Ніна"]
    for name in reversed(ordered):
        actions.create_person("t", name)
    rows = api.get("/api/v1/people").json()["results"]
    assert [row["display_name"] for row in rows] == ordered


def test_a_persons_partial_dates_come_with_their_precision(api, client_for, registry):
    """A detention entered as "2021-05" is not the 1st of May: the date keeps its type (the period's first
    day, as published) and its precision is given beside it, as an event's `date_precision` is."""
    held = actions.create_person("t", "Месяц Затрыманы")
    actions.record_event("t", held, "recognized", "2020")
    actions.record_event("t", held, "detained", "2021-05")
    actions.record_event("t", held, "convicted", "2021-09-01")
    actions.record_event("t", held, "sentenced", "2021-09-01", sentence_months=24, regime="general")
    released = actions.create_person("t", "Год Вызвалены")
    actions.record_event("t", released, "detained", "2019-03-12")
    actions.record_event("t", released, "released", "2020", release_kind="end_of_term")
    detail = api.get(f"/api/v1/people/{held.public_id}").json()
    assert detail["detained_on"] == "2021-05-01" and detail["detained_on_precision"] == "month"
    assert detail["first_recognized_on"] == "2020-01-01" and detail["first_recognized_on_precision"] == "year"
    assert detail["expected_release_on_precision"] == "month"  # two years from a month: a month
    assert detail["released_on"] is None and detail["released_on_precision"] is None
    listed = {p["public_id"]: p for p in api.get("/api/v1/people").json()["results"]}
    assert listed[held.public_id]["detained_on_precision"] == "month"
    assert listed[released.public_id]["released_on_precision"] == "year"
    assert listed[released.public_id]["detained_on_precision"] == "day"
    changed = client_for("admin").get("/api/v1/changes", {"since": "2000-01-01"}).json()["people"]
    assert {p["public_id"]: p["detained_on_precision"] for p in changed}[held.public_id] == "month"


def test_a_dates_precision_is_that_of_the_events_the_caller_may_see(api, client_for, registry):
    """A restricted detention of another precision gives the public neither its date nor its precision."""
    person = actions.create_person("t", "Схаваная Дакладнасць")
    actions.record_event("t", person, "detained", "2021")
    actions.record_event("t", person, "released", "2021-06-01", release_kind="end_of_term")
    actions.record_event("t", person, "detained", "2022-02", confidentiality="restricted")
    public = api.get(f"/api/v1/people/{person.public_id}").json()
    assert (public["detained_on"], public["detained_on_precision"]) == ("2021-01-01", "year")
    staff = client_for("researcher").get(f"/api/v1/people/{person.public_id}").json()
    assert (staff["detained_on"], staff["detained_on_precision"]) == ("2022-02-01", "month")


def test_a_person_and_their_events_include_the_records_merged_into_them(api, client_for, registry):
    """As the site and the export show a merge cluster: the detail, `/events?person=` and the person's events
    give the names and events of records merged into the person, each at a level the caller may see."""
    from spis.registry.merge import merge

    ivan = registry["ivan"]
    other = actions.create_person(
        "test",
        "Лебедзеў Леанід",
        names=[
            {"text": "Лебедзеў Леанід", "kind": "primary"},
            {"text": "Тайнае Імя", "kind": "alias", "confidentiality": "restricted"},
        ],
    )
    actions.record_event("test", other, "detained", "2020-06-01")
    actions.record_event("test", other, "charged", "2021-04-01", confidentiality="restricted", note="HIDDEN")
    merge("test", other, ivan)

    detail = api.get(f"/api/v1/people/{ivan.public_id}").json()
    texts = [n["text"] for n in detail["names"]]
    assert "Лебедзеў Леанід" in texts and "Тайнае Імя" not in texts
    assert "2020-06-01" in [e["date"] for e in detail["events"]]
    assert "HIDDEN" not in str(detail) and {e["person"] for e in detail["events"]} == {ivan.public_id}
    listed = api.get("/api/v1/events", {"person": ivan.public_id}).json()["results"]
    assert sorted(e["id"] for e in listed) == sorted(e["id"] for e in detail["events"])
    assert {e["person"] for e in listed} == {ivan.public_id}
    # The merged record's own id names the same cluster.
    assert api.get("/api/v1/events", {"person": other.public_id}).json()["results"] == listed
    own = api.get(f"/api/v1/people/{ivan.public_id}/events").json()["results"]
    assert sorted(e["id"] for e in own) == sorted(e["id"] for e in detail["events"])
    # A researcher reads the restricted rows of the merged record too.
    researcher = client_for("researcher").get(f"/api/v1/people/{ivan.public_id}").json()
    assert "Тайнае Імя" in [n["text"] for n in researcher["names"]] and "HIDDEN" in str(researcher)
    # A person the caller may not see has no events by that filter.
    assert api.get("/api/v1/events", {"person": registry["canary"].public_id}).json()["results"] == []


def test_the_event_list_gives_the_events_of_merged_records_under_the_person(api, client_for, users, registry):
    """`/events` without `?person=` lists what the person's detail lists: the events of records merged into a
    person, attributed to that person, each at a level the caller may see, and none of a person the caller
    may not see, whatever the merged record's own level."""
    from spis.registry.merge import merge
    from spis.registry.models import GrantedPerson

    ivan, canary, restricted = registry["ivan"], registry["canary"], registry["restricted"]
    other = actions.create_person("test", "Лебедзеў Леанід")
    actions.record_event("test", other, "detained", "2020-06-01")
    actions.record_event("test", other, "charged", "2021-04-01", confidentiality="restricted", note="HIDDEN")
    merge("test", other, ivan)
    # A public record merged into the sealed canary: its public event is about a sealed person.
    beside = actions.create_person("test", "Public Beside Canary")
    actions.record_event("test", beside, "detained", "2019-02-01", note="CANARYMERGED")
    merge("test", beside, canary)
    GrantedPerson.objects.create(user=users["editor"], person=canary)

    def listed(client, **params):
        body = client.get("/api/v1/events", {"limit": 100, **params}).json()
        assert body["count"] == len(body["results"])
        return body["results"]

    def detail(client, person):
        return client.get(f"/api/v1/people/{person.public_id}").json()["events"]

    for role, people in [
        ("anonymous", [ivan]),
        ("researcher", [ivan, restricted]),
        ("editor", [ivan, restricted, canary]),
        ("admin", [ivan, restricted, canary]),
    ]:
        client = client_for(role)
        events = listed(client)
        expected = sorted((e["id"], e["person"]) for p in people for e in detail(client, p))
        # Every event of a visible person's detail, under that person, and no other.
        assert sorted((e["id"], e["person"]) for e in events) == expected, role
        assert other.public_id not in str(events) and beside.public_id not in str(events), role
        assert ("2020-06-01", ivan.public_id) in {(e["date"], e["person"]) for e in events}, role
        assert ("HIDDEN" in str(events)) == (role != "anonymous"), role
        assert ("CANARYMERGED" in str(events)) == (canary in people), role
        # A filter keeps the merged records' events too.
        assert [e["date"] for e in listed(client, type="detained", to="2020-12-31")] == (
            ["2020-06-01", "2019-02-01"] if canary in people else ["2020-06-01"]
        ), role
    assert "CANARYMERGED" not in str(listed(client_for("volunteer")))


def test_the_event_list_walks_an_index_newest_first_with_merged_records(registry):
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's query plan")
    actions.record_event("test", registry["duplicate"], "detained", "2020-06-01")
    plan = _event_list_plan()
    assert "event_by_date" in plan and "TEMP B-TREE" not in plan, plan
