"""Staff edit the corridor YAML in the admin: a bad text is refused with its line number and nothing is saved;
a good one is saved through the action, audited and kept in history."""

import pytest

from spis.campaigns import corridors_actions
from spis.campaigns.corridors_actions import ensure_default_corridor_model, save_corridor_model
from spis.campaigns.corridors_models import CorridorModel
from spis.corridors import DEFAULT_FILE, ScenarioError, SolverError
from spis.registry.models import AuditEntry

pytestmark = pytest.mark.django_db
GOOD = DEFAULT_FILE.read_text(encoding="utf-8")
# Flow F1's origin (line 366 of the shipped file) names a node that does not exist.
BAD = GOOD.replace(
    "origin: CN_XIAN,      destination: PL_LODZ", "origin: CN_NOWHERE,   destination: PL_LODZ", 1
)


def _form_data(obj, **changes):
    data = {
        "slug": obj.slug,
        "title": obj.title,
        "is_default": "on" if obj.is_default else "",
        "source_note": obj.source_note,
        "yaml_text": obj.yaml_text,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_it_rejects_a_bad_yaml_with_its_line_number_and_saves_nothing(verified_client, users):
    model = ensure_default_corridor_model("t")
    before_updated, audit_count = model.updated_at, AuditEntry.objects.count()
    client = verified_client(users["admin"])
    url = f"/admin/campaigns/corridormodel/{model.pk}/change/"
    response = client.post(url, _form_data(model, yaml_text=BAD))
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "line 366, column" in html
    assert "unknown node" in html and "CN_NOWHERE" in html
    model.refresh_from_db()
    assert model.yaml_text == GOOD and model.updated_at == before_updated
    assert AuditEntry.objects.count() == audit_count
    assert model.history.count() == 1


def test_it_refuses_a_new_model_whose_yaml_does_not_parse(verified_client, users):
    client = verified_client(users["admin"])
    response = client.post(
        "/admin/campaigns/corridormodel/add/",
        {"slug": "broken", "title": "Broken", "yaml_text": "flows: [1,\n  nodes"},
    )
    assert response.status_code == 200
    assert "line 2, column" in response.content.decode()
    assert not CorridorModel.objects.filter(slug="broken").exists()


def test_it_saves_a_good_edit_through_the_action_with_audit_and_history(verified_client, users):
    model = ensure_default_corridor_model("t")
    client = verified_client(users["admin"])
    edited = GOOD.replace(
        "value_of_time_usd_per_teu_day:\n    value: 100", "value_of_time_usd_per_teu_day:\n    value: 150"
    )
    assert edited != GOOD
    response = client.post(
        f"/admin/campaigns/corridormodel/{model.pk}/change/", _form_data(model, yaml_text=edited)
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert "value: 150" in model.yaml_text
    assert model.history.count() == 2
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "corridors.save_model" and entry.actor == "admin"


def test_the_action_refuses_bad_text_too():
    model = ensure_default_corridor_model("t")
    with pytest.raises(ScenarioError) as err:
        save_corridor_model("t", model, yaml_text=BAD)
    assert err.value.problems[0].line == 366
    assert CorridorModel.objects.get(pk=model.pk).yaml_text == GOOD


def test_it_keeps_one_default():
    first = ensure_default_corridor_model("t")
    second = save_corridor_model(
        "t", CorridorModel(slug="draft", title="Draft", yaml_text=GOOD, is_default=True)
    )
    first.refresh_from_db()
    assert second.is_default and not first.is_default
    assert ensure_default_corridor_model("t").pk == second.pk


def test_it_refuses_to_leave_the_site_without_a_default_model(verified_client, users):
    model = ensure_default_corridor_model("t")
    client = verified_client(users["admin"])
    response = client.post(
        f"/admin/campaigns/corridormodel/{model.pk}/change/", _form_data(model, is_default="")
    )
    assert response.status_code == 200
    assert "Mark another corridor model as the default" in response.content.decode()
    with pytest.raises(ValueError, match="is_default"):
        save_corridor_model("t", model, is_default=False)
    assert CorridorModel.objects.get(pk=model.pk).is_default


def test_it_refuses_a_text_that_loads_but_cannot_be_solved(verified_client, users, monkeypatch):
    # The save solves every scenario once; a solver failure becomes a form error and nothing is written.
    model = ensure_default_corridor_model("t")

    def failing_solve(*args, **kwargs):
        raise SolverError("LP infeasible (test)")

    monkeypatch.setattr(corridors_actions, "solve", failing_solve)
    client = verified_client(users["admin"])
    edited = GOOD.replace("# Default scenario", "# Edited scenario", 1)
    response = client.post(
        f"/admin/campaigns/corridormodel/{model.pk}/change/", _form_data(model, yaml_text=edited)
    )
    assert response.status_code == 200
    assert "the model loads but does not solve: LP infeasible (test)" in response.content.decode()
    assert CorridorModel.objects.get(pk=model.pk).yaml_text == GOOD
