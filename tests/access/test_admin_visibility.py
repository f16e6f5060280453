"""The admin shows staff only what access.policy lets them see.

An editor without a grant must not learn that a sealed person exists from any admin page: lists, searches,
filters, look-ups and the audit log leave the person out, and the person's pages (and those of their names,
events and audit entries) are a 404, as a missing row's are. Only admins grant access to a sealed person.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from spis.access.roles import ensure_groups
from spis.intake.models import ImportBatch, ImportRow
from spis.registry import actions, merge
from spis.registry.models import AuditEntry, Case, DuplicateCandidate, Event, GrantedPerson, Name

from ..conftest import change_form_data, login_verified

SEALED_NAME = "Аляксандр Запячатаны"
GRANTED_NAME = "Аляксандр Дазволены"
PUBLIC_NAME = "Аляксандр Публічны"


@pytest.fixture
def registry(db, users):
    admin = users["admin"]
    source = actions.create_source(admin, "Viasna list")
    public = actions.create_person(admin, PUBLIC_NAME, birth_date="1980-02-03", source=source)
    actions.record_event(admin, public, "detained", "2021-01-10")
    # A sealed alias and a sealed event on a public person: hidden from editors, though the person is not.
    actions.add_name(admin, public, "Тайнае Імя", confidentiality="sealed")
    hidden_event = actions.record_event(admin, public, "recognized", "2021-02-01", confidentiality="sealed")
    sealed = actions.create_person(
        admin, SEALED_NAME, confidentiality="sealed", birth_date="1975-09-09", source=source
    )
    case = Case.objects.create(number="SEALED-CASE-7", judge="Judge Only-Sealed")
    actions.record_event(admin, sealed, "detained", "2022-05-06", case=case)
    granted = actions.create_person(admin, GRANTED_NAME, confidentiality="sealed", birth_date="1990-01-01")
    GrantedPerson.objects.create(user=users["editor"], person=granted)
    # A public record merged into the sealed person: its own page must not name where it went.
    merged = actions.create_person(admin, "Мікола Далучаны")
    merge.merge(admin, merged, sealed)
    return {
        "public": public,
        "sealed": sealed,
        "granted": granted,
        "merged": merged,
        "hidden_event": hidden_event,
        "case": case,
    }


def staff(users, role):
    return login_verified(Client(), users[role])


def shows(body, person):
    return person.display_name in body or person.public_id in body


LISTS = [
    "/admin/registry/person/",
    "/admin/registry/person/?confidentiality__exact=sealed",
    "/admin/registry/person/?q=Аляксандр",
    "/admin/registry/person/?_to_field=id&_popup=1",  # the raw-id look-up
    "/admin/registry/event/",
    "/admin/registry/event/?q=Аляксандр",
    "/admin/registry/event/?confidentiality__exact=sealed",
    "/admin/registry/name/",
    "/admin/registry/name/?q=Аляксандр",
    "/admin/registry/case/",
    "/admin/autocomplete/?app_label=registry&model_name=event&field_name=person&term=Аляксандр",
    "/admin/autocomplete/?app_label=registry&model_name=name&field_name=person&term=Запячатаны",
]


@pytest.mark.parametrize("path", LISTS)
def test_an_editor_without_a_grant_finds_no_sealed_person_in_admin_lists(path, users, registry):
    response = staff(users, "editor").get(path)
    assert response.status_code == 200, path
    body = response.content.decode()
    assert not shows(body, registry["sealed"]), path
    assert "SEALED-CASE-7" not in body


@pytest.mark.parametrize("path", LISTS)
def test_an_admin_finds_every_person_in_admin_lists(path, users, registry):
    response = staff(users, "admin").get(path)
    assert response.status_code == 200, path
    body = response.content.decode()
    if "confidentiality__exact" not in path and "/case/" not in path:
        assert shows(body, registry["sealed"]), path


def test_a_granted_editor_finds_the_granted_person_and_no_other_sealed_one(users, registry):
    client = staff(users, "editor")
    body = client.get("/admin/registry/person/").content.decode()
    assert shows(body, registry["public"]) and shows(body, registry["granted"])
    assert not shows(body, registry["sealed"])
    sealed_list = client.get("/admin/registry/person/?confidentiality__exact=sealed").content.decode()
    assert shows(sealed_list, registry["granted"]) and not shows(sealed_list, registry["sealed"])
    page = client.get(f"/admin/registry/person/{registry['granted'].pk}/change/")
    assert page.status_code == 200 and "1990-01-01" in page.content.decode()


def _person_pages(person):
    version = person.history.order_by("history_id").first().history_id
    return [
        f"/admin/registry/person/{person.pk}/change/",
        f"/admin/registry/person/{person.pk}/history/",
        f"/admin/registry/person/{person.pk}/history/{version}/",
        f"/admin/registry/person/{person.pk}/delete/",
    ]


def _child_pages(person):
    pages = []
    for model, rows in [
        ("event", Event.objects.filter(person=person)),
        ("name", Name.objects.filter(person=person)),
    ]:
        for pk in rows.values_list("pk", flat=True):
            pages += [f"/admin/registry/{model}/{pk}/change/", f"/admin/registry/{model}/{pk}/history/"]
    return pages


def test_the_pages_of_a_sealed_person_are_404_for_an_editor_without_a_grant(users, registry):
    sealed = registry["sealed"]
    client = staff(users, "editor")
    pages = [*_person_pages(sealed), *_child_pages(sealed)]
    pages += [f"/admin/registry/case/{registry['case'].pk}/change/"]
    pages += [f"/admin/registry/event/{registry['hidden_event'].pk}/change/"]
    about = AuditEntry.objects.filter(object_type="registry.person", object_id=str(sealed.pk))
    pages += [f"/admin/registry/auditentry/{pk}/change/" for pk in about.values_list("pk", flat=True)]
    assert len(pages) > 10
    for path in pages:
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert not shows(response.content.decode(), sealed), path
    # A hidden row answers exactly as a missing one does.
    assert client.get("/admin/registry/person/999999/change/").status_code == 404


def test_admins_and_granted_editors_open_those_pages(users, registry):
    editor, admin = staff(users, "editor"), staff(users, "admin")
    for path in [*_person_pages(registry["granted"])[:3], *_child_pages(registry["granted"])]:
        assert editor.get(path).status_code == 200, path
    for path in [*_person_pages(registry["sealed"])[:3], *_child_pages(registry["sealed"])]:
        response = admin.get(path)
        assert response.status_code == 200, path
        assert shows(response.content.decode(), registry["sealed"]) or "/event/" in path or "/name/" in path


def test_a_record_merged_into_a_hidden_person_does_not_name_them(users, registry):
    path = f"/admin/registry/person/{registry['merged'].pk}/change/"
    body = staff(users, "editor").get(path).content.decode()
    assert "Мікола Далучаны" in body
    assert not shows(body, registry["sealed"])
    assert shows(staff(users, "admin").get(path).content.decode(), registry["sealed"])


def test_a_hidden_alias_does_not_find_its_person_in_the_admin_search(users, registry):
    path = "/admin/registry/person/?q=Тайнае Імя"
    editor_rows = staff(users, "editor").get(path).context["cl"].result_list
    admin_rows = staff(users, "admin").get(path).context["cl"].result_list
    assert registry["public"] not in editor_rows
    assert registry["public"] in admin_rows


def test_the_audit_log_leaves_out_entries_about_people_the_editor_may_not_see(users, registry):
    sealed = registry["sealed"]
    editor_entries = set(staff(users, "editor").get("/admin/registry/auditentry/").context["cl"].queryset)
    admin_entries = set(staff(users, "admin").get("/admin/registry/auditentry/").context["cl"].queryset)
    assert admin_entries == set(AuditEntry.objects.all())
    about_sealed = {
        e
        for e in admin_entries
        if (e.object_type == "registry.person" and e.object_id == str(sealed.pk))
        or sealed.public_id in str(e.before) + str(e.after)
        or (e.object_type == "registry.event" and e.object_id == str(registry["hidden_event"].pk))
    }
    # create_person, the name, the event, the citation; the merge and its judgement; the sealed event.
    assert {e.action for e in about_sealed} >= {"create_person", "add_name", "record_event", "judge", "merge"}
    assert not editor_entries & about_sealed
    assert editor_entries, "the editor still reads the entries about what they may see"
    for entry in editor_entries:
        assert SEALED_NAME not in str(entry.after) + str(entry.before)
    cite = AuditEntry.objects.filter(action="cite", after__target=f"registry.person:{sealed.pk}")
    assert cite.exists() and not editor_entries & set(cite)


def test_only_admins_grant_access_to_a_sealed_person(users, registry):
    editor, sealed = users["editor"], registry["sealed"]
    assert not editor.has_perm("registry.add_grantedperson")
    client = staff(users, "editor")
    assert client.get("/admin/registry/grantedperson/add/").status_code == 403
    assert client.get("/admin/registry/grantedperson/").status_code == 403
    response = client.post("/admin/registry/grantedperson/add/", {"user": editor.pk, "person": sealed.pk})
    assert response.status_code == 403
    assert not GrantedPerson.objects.filter(person=sealed).exists()
    response = staff(users, "admin").post(
        "/admin/registry/grantedperson/add/", {"user": editor.pk, "person": sealed.pk}
    )
    assert response.status_code == 302
    assert GrantedPerson.objects.filter(user=editor, person=sealed).exists()


def test_migrate_takes_grant_permissions_away_from_an_existing_editor_group(db):
    editors = Group.objects.get(name="editor")
    editors.permissions.add(*Permission.objects.filter(codename__endswith="_grantedperson"))
    ensure_groups()
    for role in ["volunteer", "researcher", "editor"]:
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert not {c for c in codenames if c.endswith("_grantedperson")}, role
    assert "change_person" in set(editors.permissions.values_list("codename", flat=True))
    admins = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert {"add_grantedperson", "change_grantedperson", "view_grantedperson"} <= admins


def test_an_editor_cannot_record_an_event_for_a_person_hidden_from_them(users, registry):
    sealed = registry["sealed"]
    before = Event.objects.filter(person=sealed).count()
    response = staff(users, "editor").post(
        "/admin/registry/event/add/",
        {"person": sealed.pk, "type": "detained", "date": "2023-01-01", "date_precision": "day"},
    )
    assert response.status_code == 200  # the form again, with the person refused as not a valid choice
    assert Event.objects.filter(person=sealed).count() == before
    assert not shows(response.content.decode(), sealed)


def test_an_import_batch_page_hides_rows_and_messages_about_a_sealed_person(users, registry):
    sealed, public = registry["sealed"], registry["public"]
    batch = ImportBatch.objects.create(file_name="list.csv", checksum="0" * 64, format="csv", actor="admin")
    ImportRow.objects.create(batch=batch, line=2, raw={}, outcome="updated", person=sealed)
    duplicate = {
        "text": "possible duplicate of %(person)s (%(name)s, score %(score)s): created as a new person for review",
        "params": {"person": sealed.public_id, "name": repr(SEALED_NAME), "score": "0.91"},
    }
    ImportRow.objects.create(
        batch=batch, line=3, raw={}, outcome="created", person=public, messages=[duplicate]
    )
    path = f"/admin/intake/importbatch/{batch.pk}/change/"
    body = staff(users, "editor").get(path).content.decode()
    assert shows(body, public)
    assert not shows(body, sealed)
    assert shows(staff(users, "admin").get(path).content.decode(), sealed)


def test_a_batch_citing_a_sealed_source_does_not_name_it_to_an_editor(users, registry):
    secret = actions.create_source(users["admin"], "SEALEDSOURCE witness list", confidentiality="sealed")
    batch = ImportBatch.objects.create(
        file_name="list.csv",
        checksum="1" * 64,
        format="csv",
        actor="admin",
        source=secret,
        source_title=secret.title,
        created_by=users["editor"],
    )
    admin_page = f"/admin/intake/importbatch/{batch.pk}/change/"
    staff_page = f"/intake/batches/{batch.pk}"
    for path in (admin_page, staff_page):
        editor = staff(users, "editor").get(path)
        assert editor.status_code == 200, path
        assert "SEALEDSOURCE" not in editor.content.decode(), path
        assert "SEALEDSOURCE" in staff(users, "admin").get(path).content.decode(), path
    # Left out, not turned into a field the editor could fill in.
    assert 'name="source"' not in staff(users, "editor").get(admin_page).content.decode()


def test_derived_columns_read_as_the_events_the_editor_may_see(users, registry):
    # The public person's recognition is a sealed event: stored, they are recognised; an editor may not know it.
    public = registry["public"]
    public.refresh_from_db()
    assert public.recognized
    editor, admin = staff(users, "editor"), staff(users, "admin")

    def listed(client, query=""):
        return {p.pk: p for p in client.get(f"/admin/registry/person/{query}").context["cl"].result_list}

    assert listed(editor)[public.pk].recognized is False
    assert listed(admin)[public.pk].recognized is True
    assert public.pk not in listed(editor, "?recognized__exact=1")
    assert public.pk in listed(editor, "?recognized__exact=0")
    assert public.pk in listed(admin, "?recognized__exact=1")
    # Other look-ups on derived columns, sorting by them, and facet counts would read the stored values.
    assert editor.get("/admin/registry/person/?recognized=1").status_code == 400
    assert editor.get("/admin/registry/person/?first_recognized_on__isnull=False").status_code == 400
    assert editor.get("/admin/registry/person/?_facets=1").context["cl"].add_facets is False
    page = editor.get(f"/admin/registry/person/{public.pk}/change/")
    assert page.context["adminform"].form.instance.recognized is False
    assert page.context["adminform"].form.instance.first_recognized_on is None
    assert (
        admin.get(f"/admin/registry/person/{public.pk}/change/").context["adminform"].form.instance.recognized
    )


def test_an_editor_saving_a_person_leaves_their_stored_columns_as_the_events_derive_them(users, registry):
    public = registry["public"]
    editor = staff(users, "editor")
    path = f"/admin/registry/person/{public.pk}/change/"
    data = change_form_data(editor.get(path))
    data["occupation"] = "teacher"
    response = editor.post(path, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    public.refresh_from_db()
    assert public.occupation == "teacher"
    assert public.recognized is True
    assert str(public.first_recognized_on) == "2021-02-01"
    assert Name.objects.filter(person=public, text="Тайнае Імя").exists()  # not in the editor's form, kept


def test_an_event_at_a_level_the_editor_may_not_see_is_not_listed(users, registry):
    hidden = registry["hidden_event"]
    for query in ["", "?confidentiality__exact=sealed", f"?q={registry['public'].public_id}"]:
        path = f"/admin/registry/event/{query}"
        assert hidden not in staff(users, "editor").get(path).context["cl"].result_list, query
        assert hidden in staff(users, "admin").get(path).context["cl"].result_list, query
    # Nor in the events of its person's page, which lists the others.
    page = staff(users, "editor").get(f"/admin/registry/person/{registry['public'].pk}/change/")
    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is Event)
    shown = {form.instance.pk for form in inline.formset.initial_forms}
    assert hidden.pk not in shown and shown


def test_the_admin_rules_cover_rows_about_one_person_and_refuse_models_they_do_not_know(users, registry):
    from django.core.exceptions import ImproperlyConfigured

    from spis.campaigns.models import Campaign
    from spis.outreach.models import LetterLog
    from spis.registry.admin_base import visibility

    for person in [registry["public"], registry["sealed"]]:
        LetterLog.objects.create(
            person=person, sent_on="2024-01-01"
        )  # the sealed one: sealed after the letter
    rows = visibility().rows
    assert {log.person for log in rows(users["editor"], LetterLog.objects.all())} == {registry["public"]}
    page = staff(users, "editor").get("/admin/outreach/letterlog/")
    assert {log.person for log in page.context["cl"].result_list} == {registry["public"]}
    assert rows(users["admin"], LetterLog.objects.all()).count() == 2
    with pytest.raises(ImproperlyConfigured):
        rows(users["editor"], Campaign.objects.all())


def test_the_duplicate_queue_shows_an_editor_no_sealed_alias_and_no_status_it_derives(users, registry):
    # `spis dedupe` scores names of every level: the pair's best match may be the public person's sealed alias.
    public = registry["public"]
    other = actions.create_person(users["admin"], "Тайнае Імя Другое")
    candidate = DuplicateCandidate.objects.create(
        left=public,
        right=other,
        score=0.9,
        left_name="Тайнае Імя",
        right_name="Тайнае Імя Другое",
        explanation="Тайнае Імя ~ Тайнае Імя Другое: surname and given name agree",
        found_at=timezone.now(),
    )
    editor = staff(users, "editor")
    for path in (
        "/admin/registry/duplicatecandidate/",
        f"/admin/registry/duplicatecandidate/{candidate.pk}/change/",
        "/admin/registry/duplicatecandidate/?q=Тайнае",
    ):
        body = editor.get(path).content.decode()
        assert "Тайнае Імя<" not in body and "Тайнае Імя ~" not in body, path
        assert "Тайнае Імя," not in body and "surname and given name agree" not in body, path
    page = editor.get(f"/admin/registry/duplicatecandidate/{candidate.pk}/change/").content.decode()
    assert PUBLIC_NAME in page and "(a name you may not see)" in page
    assert "Тайнае Імя Другое" in page  # the other side's name, which the editor may see
    body = (
        staff(users, "admin")
        .get(f"/admin/registry/duplicatecandidate/{candidate.pk}/change/")
        .content.decode()
    )
    assert "Тайнае Імя ~ Тайнае Імя Другое" in body


def test_the_display_name_cannot_be_withheld_in_the_admin(users, registry):
    """The display name is on every public list and page: making the one name with its text restricted
    would have left it public there (and in the open data)."""
    public = registry["public"]
    name = Name.objects.get(person=public, text=PUBLIC_NAME)
    admin = staff(users, "admin")
    path = f"/admin/registry/name/{name.pk}/change/"
    data = change_form_data(admin.get(path))
    data["confidentiality"] = "restricted"
    response = admin.post(path, data)
    assert response.status_code == 200  # the form again, with the error
    assert "display name" in str(response.context["adminform"].form.errors["confidentiality"])
    name.refresh_from_db()
    assert name.confidentiality == "public"
    # With another public display name first, the name may be withheld.
    actions.add_name(users["admin"], public, "Аляксандр П.")
    actions.update_person(users["admin"], public, display_name="Аляксандр П.")
    assert admin.post(path, data).status_code == 302
    name.refresh_from_db()
    assert name.confidentiality == "restricted"
