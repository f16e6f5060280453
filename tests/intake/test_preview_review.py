"""Found by a review of the cached upload preview (views.PREVIEWS, 2026-12-01): each test failed on the code
before its fix."""

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spis.intake import importer, mapping, views
from spis.intake.mapping import Mapping
from spis.intake.models import ImportBatch

MINE = "columns:\n  external_id: [Номер]\n  name: [ФИО]\n  birth_date: [Год]\n"


def _forget_previews():
    """Empty the preview cache (absent before the change: then there is nothing to forget)."""
    if hasattr(views, "PREVIEWS"):
        caches[views.PREVIEWS].clear()


def _outcomes(client, batch):
    response = client.get(reverse("intake:preview", args=[batch.pk]))
    assert response.status_code == 200
    return {row["name"]: row["outcome"] for row in response.context["rows"]}


def test_a_mapping_file_renamed_in_place_plans_the_preview_again(
    verified_client, users, tmp_path, monkeypatch
):
    """The mapping's `name:` decides which earlier batches' external ids a row is matched by (Planner.
    _earlier_external_ids reads rows of batches of that name), yet Mapping.digest() leaves it out, and so does
    _preview_key: after the mapping file is edited to another name, the preview still says "created" for a row
    the import now refuses (or writes onto an existing person)."""
    monkeypatch.setattr(mapping, "MAPPINGS_DIR", tmp_path)
    (tmp_path / "mine.yaml").write_text(MINE, encoding="utf-8")
    other = Mapping(name="other", variants={"external_id": ["Номер"], "name": ["ФИО"], "birth_date": ["Год"]})
    importer.run_import(
        "Номер;ФИО;Год\nA-1;Иванов Иван Иванович;1970\n".encode(),
        file_name="old.csv",
        mapping=other,
        actor="t",
    )
    client = verified_client(users["editor"])
    upload = SimpleUploadedFile("new.csv", "Номер;ФИО;Год\nA-1;Петров Пётр Петрович;1980\n".encode())
    client.post(reverse("intake:upload"), {"file": upload, "mapping": "mine"})
    batch = ImportBatch.objects.get(file_name="new.csv")
    assert _outcomes(client, batch) == {"Петров Пётр Петрович": "created"}
    # The operator gives the mapping the name of the lists it reads (the columns are the same: same digest).
    (tmp_path / "mine.yaml").write_text("name: other\n" + MINE, encoding="utf-8")
    assert mapping.load_mapping("mine").digest() == other.digest()
    shown = _outcomes(client, batch)
    _forget_previews()
    fresh = _outcomes(client, batch)
    assert fresh == {"Петров Пётр Петрович": "error"}  # what the import would now do
    assert shown == fresh


def test_a_preview_planned_yesterday_is_not_shown_today(verified_client, users, monkeypatch):
    """The dry run reads today's date (records._described_fields refuses a birth date in the future; the
    planner derives custody as of Planner.today), but _preview_key does not: a preview planned before midnight is
    served after it for up to the cache's TIMEOUT (600 s), saying what the import no longer does."""
    import datetime as real
    import types

    from spis.intake import plan, records
    from spis.registry import actions as registry

    day = {"today": real.date.today()}

    class Today(real.date):
        @classmethod
        def today(cls):
            return day["today"]

    shim = types.SimpleNamespace(**{k: getattr(real, k) for k in dir(real) if not k.startswith("__")})
    shim.date = Today
    for module in (records, plan, views):
        monkeypatch.setattr(module, "dt", shim)
    monkeypatch.setattr(registry, "today", lambda: day["today"])
    tomorrow = day["today"] + real.timedelta(days=1)
    client = verified_client(users["editor"])
    upload = SimpleUploadedFile(
        "born.csv", f"ФИО;Дата рождения\nЗаўтрашні Ян Янавіч;{tomorrow:%d.%m.%Y}\n".encode()
    )
    client.post(reverse("intake:upload"), {"file": upload, "partial": True})
    batch = ImportBatch.objects.get(file_name="born.csv")
    assert _outcomes(client, batch) == {"Заўтрашні Ян Янавіч": "error"}  # born "in the future"
    day["today"] = tomorrow  # midnight passes; nothing is written
    shown = _outcomes(client, batch)
    _forget_previews()
    fresh = _outcomes(client, batch)
    assert fresh == {"Заўтрашні Ян Янавіч": "created"}
    assert shown == fresh
