"""Staff upload (editors): upload, a row-by-row dry-run preview, confirm; and the public open-data download."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import DatabaseError, OperationalError
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from spis.access import policy
from spis.access.roles import at_least
from spis.registry import actions as registry_actions
from spis.registry.generation import registry_version
from spis.registry.models.common import Confidentiality

from . import actions, export, importer, messages, published
from .batch_source import SourceError
from .forms import UploadForm
from .mapping import Mapping, MappingError, load_mapping
from .models import ImportBatch, ImportRow
from .plan import NewPerson
from .records import Problem

log = logging.getLogger(__name__)

# Rows per page on the preview and batch pages: a 100,000-row file is read a page at a time, and its errors
# and conflicts are one filter away.
ROWS_PER_PAGE = 500

# Every staff page here (upload, preview, confirm, batch) shows person data: never_cache sends Cache-Control:
# no-store, so no browser or proxy keeps a copy, and Back after a confirmation fetches the page again (the
# preview of an imported upload redirects to its batch) instead of showing a stale "Import" button.


def _editor(request) -> None:
    # 404 rather than 403: the page shows person data, and its existence is nobody else's business.
    if not at_least(request.user, "editor"):
        raise Http404("No such page")


# An upload not imported (waiting, being imported, or discarded) is its uploader's and the administrators' alone.
_UNIMPORTED = (ImportBatch.Status.UPLOADED, ImportBatch.Status.RUNNING, ImportBatch.Status.DISCARDED)


def _unimported(batch: ImportBatch) -> bool:
    """Whether the batch is an upload not imported (waiting, being imported, or discarded)."""
    return batch.status in _UNIMPORTED


def _own_or_admin(user, batch: ImportBatch) -> bool:
    return at_least(user, "admin") or (batch.created_by_id is not None and batch.created_by_id == user.pk)


def _batch(request, pk: int) -> ImportBatch:
    """The batch, or 404. An upload not yet imported is its uploader's and the administrators' alone: its
    preview names the rows held for an administrator (which says a sealed person of that name exists), and
    whether to import it is the uploader's decision."""
    _editor(request)
    batch = get_object_or_404(ImportBatch, pk=pk)
    if _unimported(batch) and not _own_or_admin(request.user, batch):
        raise Http404("No such page")
    return batch


def _file_label(user, batch: ImportBatch) -> str:
    """The batch's file as this user may read it: its name for the uploader and administrators; for other
    editors only whose it is, since a file's name may name a person (as importer._source restricts a source
    titled by it)."""
    if _own_or_admin(user, batch):
        return batch.file_name
    return _("a file imported by %(actor)s") % {"actor": batch.actor}


def _recent(user) -> list[ImportBatch]:
    """The latest batches this editor may open: other people's uploads not yet imported are left out."""
    batches = ImportBatch.objects.defer("content")
    if not at_least(user, "admin"):
        batches = batches.exclude(Q(status__in=_UNIMPORTED) & ~Q(created_by=user))
    recent = list(batches[:20])
    for batch in recent:
        batch.file_label = _file_label(user, batch)
    return recent


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def upload(request):
    _editor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        chosen = load_mapping(form.cleaned_data["mapping"] or None)
        earlier = importer.earlier_import(
            importer.checksum(content), chosen.name, mapping_digest=chosen.digest()
        )
        if earlier is not None:
            # The same bytes were imported already: importing them again would change nothing.
            return _again(earlier.pk)
        batch = actions.record_batch(
            request.user,
            file_name=upload.name,
            checksum=importer.checksum(content),
            fmt=form.cleaned_data["format"] or importer.guess_format(upload.name, content),
            mapping=form.cleaned_data["mapping"],
            status=ImportBatch.Status.UPLOADED,
            partial=form.cleaned_data["partial"],
            counts={},
            user=request.user,
            content=content,
            source_title=form.cleaned_data["source"],
        )
        return redirect("intake:preview", pk=batch.pk)
    return render(request, "intake/upload.html", {"form": form, "batches": _recent(request.user)})


def _again(batch_id: int) -> HttpResponseRedirect:
    """To the batch that imported these bytes, saying that importing them again changes nothing."""
    return redirect(reverse("intake:batch", args=[batch_id]) + "?again=1")


def _run(batch: ImportBatch, request, dry_run: bool) -> importer.ImportResult:
    return importer.run_import(
        bytes(batch.content or b""),
        file_name=batch.file_name,
        fmt=batch.format,
        mapping=batch.mapping or None,
        source_text=batch.source_title,
        dry_run=dry_run,
        partial=batch.partial,
        actor=request.user,
        user=request.user,
        batch=None if dry_run else batch,
    )


class Unseen(NamedTuple):
    """What a reader of an import's messages may not see: people (public id, display name: sealed, not
    granted) and levels of stored facts (those above policy.levels_for)."""

    people: list[tuple[str, str]]
    levels: frozenset[str]


def _hidden_people(user) -> Unseen:
    """What `user` may not see of an import's messages (Unseen)."""
    people = list(policy.hidden_persons(user).values_list("public_id", "display_name"))
    return Unseen(people, frozenset({policy.RESTRICTED, policy.SEALED}) - set(policy.levels_for(user)))


_WITHHELD = gettext_lazy(
    "this row meets a stored fact at a level you may not read: what it says of it is not shown; an "
    "administrator reads it on this page"
)


class Said(NamedTuple):
    """A row's message as a reader reads it (_redact), and whether it says what made the row a conflict (else
    a note; messages.is_conflict)."""

    text: str
    conflict: bool


def _unreadable(message: Any, hidden: Unseen) -> bool:
    """Whether a message shows a stored fact at a level the reader may not read (messages.levels_shown)."""
    return bool(messages.levels_shown(message) & hidden.levels)


def _redact(stored: list[Any], hidden: Unseen, line: int = 0) -> list[Said]:
    """Messages as this editor reads them: in their language (messages.render; a stored row's structured
    messages or an older row's plain strings), without naming a person they may not see, and without the
    values of a stored fact at a level they may not read (messages.levels_shown: a conflict names the stored
    event's date, place, articles or note). A problem of another line than the row's (a one-row-per-event
    list's person spans several) names its line."""
    # A match message names the person matched; an editor without a grant must not learn a sealed one.
    # What is withheld is said once a row, as a note: how many messages it withholds, and whether one says a
    # conflict, would tell apart rows that meet a stored fact differently (a sealed date the list's or not).
    out = []
    withheld = False
    for message in stored:
        text = messages.render(message)
        conflict = messages.is_conflict(message)
        if any(pid in text or (name and name in text) for pid, name in hidden.people):
            text = _("matched a person whose record you may not see; an administrator will review this row")
        elif _unreadable(message, hidden):
            if withheld:
                continue
            withheld, conflict = True, False
            text = str(_WITHHELD)
        elif isinstance(message, dict) and message.get("line") not in (None, 0, line):
            text = _("line %(line)s") % {"line": message["line"]} + ", " + text
        out.append(Said(_for_the_page(text), conflict))
    return out


def _new_level(plan: Any) -> str:
    """The level a row creates its person at, when it is not public (the preview says it: a restricted or sealed
    person is on no public list); else ""."""
    for op in plan.ops:
        if isinstance(op, NewPerson) and op.confidentiality != "public":
            return str(Confidentiality(op.confidentiality).label)
    return ""


def _problem_seen(problem: Any, hidden: Unseen) -> dict[str, Any]:
    """A row's problem on the preview, its reason withheld as _redact withholds a message (a refusal may stand
    on a stored sealed event: a release, a death)."""
    shown = problem.as_dict()
    if _unreadable(problem.message, hidden):
        shown["message"] = _WITHHELD
    return _problem_for_the_page(shown)


def _problem_for_the_page(problem: dict[str, Any]) -> dict[str, Any]:
    return {**problem, "message": _for_the_page(problem["message"])}


def _for_the_page(text: str) -> str:
    """A message as the upload page's reader acts on it: the command line's options named as the form's (the
    same messages serve `spis import`)."""
    for option, field in (("--partial", "partial"), ("--mapping", "mapping")):
        if option in text:
            text = text.replace(option, f"“{UploadForm.base_fields[field].label}”")
    return text


def _outcome(request) -> str:
    """The outcome the rows are filtered by (?outcome=error …); empty for all rows."""
    outcome = request.GET.get("outcome", "")
    return outcome if outcome in ImportRow.Outcome.values else ""


# What the good rows of a failed batch would have done: the batch wrote nothing (importer._failed), yet its rows
# keep the outcome planned for them; labelled "created" they said a record was written.
_NOT_WRITTEN = {
    ImportRow.Outcome.CREATED: pgettext_lazy("import row outcome", "not written (would be created)"),
    ImportRow.Outcome.UPDATED: pgettext_lazy("import row outcome", "not written (would be updated)"),
    ImportRow.Outcome.CONFLICT: pgettext_lazy("import row outcome", "not written (a conflict)"),
}


def _outcome_labels(batch: ImportBatch | None = None) -> dict[str, str]:
    """Each stored outcome's label on the page: of a failed batch, what its rows would have done, not written."""
    labels = {value: str(label) for value, label in ImportRow.Outcome.choices}
    if batch is not None and batch.status == ImportBatch.Status.FAILED:
        labels.update({value: str(label) for value, label in _NOT_WRITTEN.items()})
    return labels


def _rows_page(
    request, rows: Any, counts: Counter, outcome: str, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """One page (?page=n) of rows already filtered by `outcome`, with the filter links and their counts."""
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    labels = labels or _outcome_labels()
    filters = [("", _("all"), sum(counts.values()))] + [
        (value, labels[value], counts[value]) for value in ImportRow.Outcome.values if counts[value]
    ]
    return {"page": page, "outcome": outcome, "filters": filters}


@login_required
@never_cache
@require_GET
def preview(request, pk: int):
    batch = _batch(request, pk)
    if not _to_confirm(batch):
        return redirect("intake:batch", pk=batch.pk)
    chosen = load_mapping(batch.mapping or None)
    earlier = importer.earlier_import(batch.checksum, chosen.name, mapping_digest=chosen.digest())
    if earlier is not None:
        return _again(earlier.pk)  # uploaded twice, and the other upload was imported meanwhile
    key = _preview_key(batch, request.user, chosen)
    shown = caches[PREVIEWS].get(key)
    if shown is None:
        shown = _dry_run(batch, request)
        caches[PREVIEWS].set(key, shown)
    result = shown.result
    outcome = _outcome(request)
    lines = shown.lines
    counts = Counter(row["outcome"] for row in lines)
    listing = _rows_page(
        request, [row for row in lines if row["outcome"] == outcome] if outcome else lines, counts, outcome
    )
    # A row to import: with every row refused, "Import the good rows" would import none (a batch of errors).
    importable = any(row["outcome"] != ImportRow.Outcome.ERROR for row in lines)
    context = {
        "batch": batch,
        "result": result,
        "lines": lines,
        "rows": list(listing["page"]),
        "can_confirm": importable and (batch.partial or not result.errors),
        "importable": importable,
        "file_errors": shown.file_errors,
        "file_notes": shown.file_notes,
        # Rows, as the outcome filter counts them (a row may have several problems); a file that could not be
        # read has no rows, and its reasons are its errors.
        "error_rows": counts[ImportRow.Outcome.ERROR] if lines else len(result.errors),
        **listing,
    }
    return render(request, "intake/preview.html", context)


# The preview's dry run is read once for all its pages and outcome filters (a 5,000-row list took 8 s to plan,
# every page): kept in this cache (settings.CACHES; per process, a few previews, minutes) under _preview_key.
PREVIEWS = "previews"


@dataclass
class Preview:
    """A dry run as the preview page shows it to one reader: its counts (`result`, without its plans), the
    file's reasons and notes, and every row in their language, redacted for them (_redact, _problem_seen)."""

    result: importer.ImportResult
    file_errors: list[dict[str, Any]]
    file_notes: list[str]
    lines: list[dict[str, Any]]


def _preview_key(batch: ImportBatch, user: Any, chosen: Mapping) -> str:
    """Everything a preview depends on: the upload and the mapping that reads it; the day; the reader (their
    levels: what is withheld from them, and which people the import leaves alone) and their language; the
    registry (registry_version: every write, grants included); and the imports whose rows matching by external
    id reads (importer.earlier_import: a file imported meanwhile is a batch, and its writes a new registry
    version)."""
    imports = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.COMPLETED, ImportBatch.Status.PARTIAL]
    ).aggregate(n=Count("pk"), last=Max("pk"))
    parts = [
        batch.pk,
        batch.checksum,
        chosen.name,  # the earlier imports a row's external id is matched in (Mapping.digest leaves it out)
        chosen.digest(),
        # The day: a date after it is refused (a birth date "in the future" may be today's by tomorrow), as the
        # parser reads it (the local day) and as the registry does (UTC's).
        dt.date.today().isoformat(),  # noqa: DTZ011 - a calendar date, as records._described_fields
        registry_actions.today().isoformat(),
        user.pk,
        ",".join(policy.levels_for(user)),
        get_language() or "",
        registry_version(),
        imports["n"],
        imports["last"],
    ]
    return "spis-intake:preview:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _dry_run(batch: ImportBatch, request) -> Preview:
    try:
        result = _run(batch, request, dry_run=True)
    except (MappingError, SourceError) as exc:  # (a title stored before titles were checked)
        result = importer.ImportResult(errors=[Problem(0, "", "", exc.message).as_dict()])
    hidden = _hidden_people(request.user)
    return Preview(
        result=dataclasses.replace(result, plans=[]),
        # The file's reasons, shown when it gave no rows (a row's problems are shown on the row, redacted).
        file_errors=[] if result.plans else [_problem_for_the_page(error) for error in result.errors],
        file_notes=[_for_the_page(messages.render(note)) for note in result.said],
        lines=[
            {
                "line": p.record.line,
                "outcome": p.outcome,
                "outcome_label": str(ImportRow.Outcome(p.outcome).label),
                "name": p.record.display_name,
                # What the row would write: a refused row writes nothing.
                "events": 0 if p.outcome == ImportRow.Outcome.ERROR else len(p.record.events),
                "level": _new_level(p),
                "problems": [_problem_seen(problem, hidden) for problem in p.problems],
                "messages": _redact(p.messages, hidden),
            }
            for p in result.plans
        ],
    )


@login_required
@never_cache
@require_POST
def confirm(request, pk: int):
    batch = _batch(request, pk)
    if batch.status == ImportBatch.Status.DISCARDED:
        return redirect("intake:batch", pk=batch.pk)  # which says it was discarded
    if not _claim(request.user, batch):
        # Confirmed already (another tab, another editor): that confirmation imports it, this one nothing.
        return redirect(reverse("intake:batch", args=[batch.pk]) + "?taken=1")
    try:
        result = _run(batch, request, dry_run=False)
    except (MappingError, SourceError):
        # Expected, and before any write: the upload's mapping is gone, or its title was stored before titles were
        # checked. Its preview says which (and offers no import).
        actions.release_batch(request.user, batch)
        return redirect("intake:preview", pk=batch.pk)
    except Exception:
        # Anything else is unexpected (a database error, a bug): logged with its traceback either way, never
        # swallowed unseen.
        if _finished(batch):
            # The import committed and a step after it failed (on SQLite, a lock held by another writer): its
            # batch page says what it wrote, and answering 500 would say that nothing was.
            log.exception("import batch %s was imported; a step after its commit failed", batch.pk)
            return redirect("intake:batch", pk=batch.pk)
        log.exception("import batch %s failed before writing; released to confirm again", batch.pk)
        _release(request.user, batch)
        raise
    if result.already_imported:
        actions.release_batch(request.user, batch)
        return _again(result.already_imported)
    return redirect("intake:batch", pk=batch.pk)


@login_required
@never_cache
@require_POST
def discard(request, pk: int):
    """Discard an upload not imported: its uploader's or an administrator's decision (_batch), as confirming is."""
    batch = _batch(request, pk)
    if not _own_or_admin(request.user, batch):
        raise Http404("No such page")  # an imported batch: any editor reads it, nobody discards it
    if not actions.discard_batch(request.user, batch) and batch.status != ImportBatch.Status.DISCARDED:
        batch.refresh_from_db(fields=["status"])
        if batch.status == ImportBatch.Status.RUNNING:
            # Confirmed meanwhile (another tab, an administrator): that confirmation imports it.
            return redirect(reverse("intake:batch", args=[batch.pk]) + "?taken=1")
    return redirect("intake:batch", pk=batch.pk)  # which says it was discarded, or what it imported


def _release(user, batch: ImportBatch) -> None:
    """Release a claim after a failed import, as far as the database lets: left "running", the claim is taken
    as abandoned after ImportBatch's CLAIM_ABANDONED_AFTER, and the upload can be confirmed again then."""
    try:
        actions.release_batch(user, batch)
    except DatabaseError:
        log.exception(
            "import batch %s could not be released; it stays running until its claim is stale", batch.pk
        )


def _to_confirm(batch: ImportBatch) -> bool:
    """Whether the upload waits for a confirmation: not yet imported, or its import was killed (which wrote
    nothing: ImportBatch.claim_abandoned)."""
    return batch.status == ImportBatch.Status.UPLOADED or batch.claim_abandoned()


def _claim(user, batch: ImportBatch) -> bool:
    """Whether this confirmation is the one that imports the upload (actions.claim_batch)."""
    if not _to_confirm(batch):
        # Read first: a write would wait on SQLite for the running import's lock, then fail.
        return False
    try:
        return actions.claim_batch(user, batch)
    except OperationalError:
        # Locked by another writer past the busy timeout: taken, if that was this upload's import.
        batch.refresh_from_db(fields=["status", "claimed_at"])
        if not _to_confirm(batch):
            return False
        raise


def _finished(batch: ImportBatch) -> bool:
    """Whether the batch's import has committed (its final status is stored)."""
    batch.refresh_from_db(fields=["status"])
    return batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.RUNNING)


@login_required
@never_cache
@require_GET
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    outcome = _outcome(request)
    grouped = batch.rows.order_by().values("outcome").annotate(n=Count("pk"))
    counts = Counter({group["outcome"]: group["n"] for group in grouped})
    rows = batch.rows.select_related("person").order_by("line", "pk")
    labels = _outcome_labels(batch)
    listing = _rows_page(request, rows.filter(outcome=outcome) if outcome else rows, counts, outcome, labels)
    rows = list(listing["page"])
    hidden = _hidden_people(request.user)
    hidden_ids = {pid for pid, _name in hidden.people}
    for row in rows:
        row.messages = _redact(row.messages, hidden, row.line)
        row.outcome_label = labels[row.outcome]
        if row.person is not None and row.person.public_id in hidden_ids:
            row.person = None
    # Rows in error, as the outcome filter counts them (the stored count is of problems, a row may have several).
    # A file that could not be read has no rows: its stored count is of its reasons.
    errors = counts[ImportRow.Outcome.ERROR] if counts else batch.counts.get("errors", 0)
    shown = {**batch.counts, "errors": errors} if batch.counts else {}
    source = _cited(request.user, batch)
    context = {
        "batch": batch,
        "file_label": _file_label(request.user, batch),
        "source": source,
        "rows": rows,
        "counts": shown,
        "again": "again" in request.GET,
        "taken": "taken" in request.GET,
        "abandoned": batch.claim_abandoned(),
        **listing,
    }
    return render(request, "intake/batch.html", context)


def _cited(user, batch: ImportBatch) -> Any:
    """The source the batch cites, only for those who may see it; and not when its title names the file
    ("Import of FILE on DATE") to an editor who may not read the file's name (_file_label)."""
    if not batch.source_id:
        return None
    source = policy.sources(user).filter(pk=batch.source_id).first()
    if source is not None and batch.file_name in source.title and not _own_or_admin(user, batch):
        return None
    return source


@require_safe
def open_data(request, fmt: str):
    """The public export (anonymous visibility) as a download; the open-data page links here. Served from the
    file written once per registry version (published.py); a client holding the same content gets 304 Not
    Modified."""
    if fmt not in export.FORMATS:
        raise Http404("No such format")
    handle, digest = published.open_public_file(fmt)
    etag = f'"{digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        handle.close()
    else:
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=export.file_name(fmt),
            content_type=export.CONTENT_TYPES[fmt],
        )
    response["ETag"] = etag  # on the 304 too, as Django's `condition` decorator sets it
    return response
