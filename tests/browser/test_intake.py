"""The staff preview of an upload, in a real browser: where focus starts, and what axe finds."""

from django.test import Client
from django.urls import reverse

from spis.intake.models import ImportBatch
from tests.conftest import login_verified

from .conftest import AXE

WITH_ERRORS = "ФИО;Дата рождения\nПятрова Ганна;1980\nОшибкин Ян;31.02.1980\n"


def _signed_in(chromium, live_server, user, **options):
    """A browser context signed in as `user` (two-factor passed), through the test client's session."""
    client = login_verified(Client(), user)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en", **options)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return client, context


def test_a_preview_with_errors_starts_at_its_error_summary_and_has_no_serious_violations(
    transactional_db, live_server, chromium, users
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, context = _signed_in(chromium, live_server, users["editor"], bypass_csp=True)
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile("list.csv", WITH_ERRORS.encode())})
    batch = ImportBatch.objects.get()
    page = context.new_page()
    page.goto(live_server.url + reverse("intake:preview", args=[batch.pk]))
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.innerText]")
    assert focused[0] == "error-summary" and "1 row has an error" in focused[1]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert not bad, bad
