"""The Person admin's inlines write through actions: a name or a citation edited in place is saved, audited
and moves its person's clocks (it was skipped, unsaid)."""

import pytest
from django.test import Client

from spis.registry import actions
from spis.registry.models import AuditEntry, Citation, Event, Name, Person

from ..conftest import change_form_data, login_verified

pytestmark = pytest.mark.django_db


def _prefix_of(response, model, pk):
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.initial_forms:
            if inline.formset.model is model and form.instance.pk == pk:
                return form.prefix
    raise AssertionError(f"{model.__name__} {pk} is not on the page")


@pytest.fixture
def person(users):
    admin = users["admin"]
    source = actions.create_source(admin, "Witness Ivanov statement", url="https://example.org/w")
    person = actions.create_person(
        admin,
        "Пётр Цытатны",
        names=[{"text": "Пётр Цытатны", "kind": "primary"}, {"text": "Piotr Cytatny", "kind": "alias"}],
        source=source,
    )
    actions.record_event(admin, person, "detained", "2021-02-03", sources=[source])
    return person


def test_an_editor_changing_a_citation_level_and_a_name_in_the_inlines_saves_them_through_actions(
    users, person
):
    client = login_verified(Client(), users["editor"])
    path = f"/admin/registry/person/{person.pk}/change/"
    page = client.get(path)
    data = change_form_data(page)
    citation = Citation.objects.get(object_id=person.pk, content_type__model="person")
    alias = Name.objects.get(person=person, text="Piotr Cytatny")
    data[f"{_prefix_of(page, Citation, citation.pk)}-confidentiality"] = "restricted"
    data[f"{_prefix_of(page, Name, alias.pk)}-confidentiality"] = "restricted"
    data[f"{_prefix_of(page, Name, alias.pk)}-text"] = "Piotr  Cytatny-Ivanou"
    Person.objects.filter(pk=person.pk).update(updated_at="2020-01-01T00:00:00Z")
    response = client.post(path, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    citation.refresh_from_db()
    alias.refresh_from_db()
    assert citation.confidentiality == "restricted"
    assert (alias.text, alias.confidentiality) == ("Piotr Cytatny-Ivanou", "restricted")
    assert "ivanav" in alias.keys  # its search keys rebuilt with the text (folded: spis.names)
    assert AuditEntry.objects.filter(action="update_citation", object_id=str(citation.pk)).exists()
    assert AuditEntry.objects.filter(action="update_name", object_id=str(alias.pk)).exists()
    person.refresh_from_db()
    assert person.updated_at.year > 2020


def test_a_name_edit_that_would_withhold_the_display_name_is_refused_on_the_form(users, person):
    client = login_verified(Client(), users["editor"])
    path = f"/admin/registry/person/{person.pk}/change/"
    page = client.get(path)
    data = change_form_data(page)
    primary = Name.objects.get(person=person, text="Пётр Цытатны")
    data[f"{_prefix_of(page, Name, primary.pk)}-confidentiality"] = "restricted"
    response = client.post(path, data)
    primary.refresh_from_db()
    assert primary.confidentiality == "public"
    assert response.status_code == 200 and "display name" in str(response.context["errors"])


def test_an_event_pages_citation_inline_saves_an_edited_citation(users, person):
    client = login_verified(Client(), users["admin"])
    event = Event.objects.get(person=person)
    path = f"/admin/registry/event/{event.pk}/change/"
    page = client.get(path)
    data = change_form_data(page)
    citation = Citation.objects.get(object_id=event.pk, content_type__model="event")
    data[f"{_prefix_of(page, Citation, citation.pk)}-locator"] = "p. 3"
    response = client.post(path, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    citation.refresh_from_db()
    assert citation.locator == "p. 3"
