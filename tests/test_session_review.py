"""Found by a review of the fixes of 2026-12-01 (citation digests, the staff export's file, display names of
merged records, the open-data version): each test failed on the code before its fix."""

from django.urls import reverse

from spis.intake import export
from spis.registry import actions
from spis.registry.models import Citation, Name, Person


def _download(client, fmt="json"):
    response = client.get(reverse("intake:open-data", args=[fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_a_citations_source_swapped_in_place_leaves_the_open_data_download(client, db):
    # update_citation (the admin's citation inline) may change a citation's source. The digest keeps the
    # citations as (id, locator) and their sources only as a *set* of source digests over the whole person, so
    # moving one event's citation to a source the person already cites elsewhere changes no digest: no public
    # clock moves, and the download keeps serving the old attribution (event 1 "reported by" the old source).
    person = actions.create_person("t", "Адкрыты Чалавек")
    first = actions.record_event("t", person, "detained", "2021-03-01")
    second = actions.record_event("t", person, "convicted", "2021-09-01")
    a = actions.create_source("t", "Крыніца А", url="https://example.org/a")
    b = actions.create_source("t", "Крыніца Б", url="https://example.org/b")
    citation = actions.cite("t", a, first)
    actions.cite("t", b, second)
    actions.cite("t", a, second)
    assert _download(client) == b"".join(export.export_public("json")).decode()
    actions.update_citation("t", Citation.objects.get(pk=citation.pk), source=b)
    fresh = b"".join(export.export_public("json")).decode()
    assert _download(client) == fresh


def test_a_withdrawn_persons_deletion_does_not_move_the_download_version(
    db, django_capture_on_commit_callbacks
):
    # docs/access.md: "a hidden person's deletion exports nothing". A person made sealed keeps the moment
    # their public digest emptied (the withdrawal) as their public clock; deleted outright later (the public
    # sees neither them nor their deletion), that clock, the newest, goes with them, and the version moves:
    # the next download exports again (seconds), telling a poller a hidden write happened.
    from spis.intake import published

    actions.create_person("t", "Адкрыты Чалавек")
    gone = actions.create_person("t", "Будзе Запячатаны")
    published.public_version()
    actions.update_person("t", Person.objects.get(pk=gone.pk), confidentiality="sealed")
    before = published.public_version()  # the withdrawal: a public change, the newest clock
    with django_capture_on_commit_callbacks(execute=True):
        Name.objects.filter(person=gone).delete()
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.filter(pk=gone.pk).delete()
    assert published.public_version() == before


def test_two_exports_to_one_file_never_leave_a_half_file_under_its_name(tmp_path, monkeypatch):
    # `-o FILE` promises "one that fails leaves no half file" and exclusivity from its first byte (O_EXCL), but
    # it first unlinks whatever `.FILE.part` exists: a second export (a timer's run overlapping a manual one)
    # deletes the first's part and creates its own; the first then renames the *second's* half-written part
    # into place and reports success. FILE is a truncated export.
    import threading

    from django.core.management import call_command

    from spis.intake import export as export_module

    target = tmp_path / "backup.json"
    second_started = threading.Event()
    first_done = threading.Event()

    def fake_export(fmt, public=True, changed_since=None):
        if threading.current_thread().name == "second":
            yield b"HALF-"
            second_started.set()
            first_done.wait(10)
            yield b"OF-THE-SECOND"
        else:
            yield b"FIRST-"
            threading.Thread(target=run_second, name="second").start()
            second_started.wait(10)
            yield b"COMPLETE"

    errors = []

    def run_second():
        try:
            call_command("export", "--format", "json", "-o", str(target))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    monkeypatch.setattr(export_module, "export", fake_export)
    call_command("export", "--format", "json", "-o", str(target))
    content = target.read_bytes()
    first_done.set()
    for thread in threading.enumerate():
        if thread.name == "second":
            thread.join(10)
    assert content in (b"FIRST-COMPLETE", b"HALF-OF-THE-SECOND"), content
