"""THE import: read a file, plan every row, then write all of it or (with `partial`) the good rows only.

Every run that writes is an ImportBatch with its rows (raw content, outcome, messages, person) and a Source
cited on every fact it wrote. A failed all-or-nothing run writes nothing to the registry; its batch and rows
are still kept (status "failed") so that nobody has to wonder what happened to a file.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from spis.access import policy
from spis.names import parse_name
from spis.registry import actions as registry
from spis.registry.actions import custody_deferred, refresh_planner_statistics
from spis.registry.custody import InvalidHistory
from spis.registry.search import bulk_loading

from . import actions, batch_source
from .mapping import Mapping, load_mapping
from .messages import Message, gettext_noop, render
from .models import ImportBatch, ImportRow
from .plan import NewPerson, Planner, RowPlan, blocks, held, progress_due
from .readers import ReadError, guess_format, read_table
from .records import Problem, build_records
from .writers import ActionWriter, BulkWriter

# Files with more rows than this are written in bulk (one audit entry per batch); smaller ones fact by fact.
BULK_ROWS = 1000
# Files larger than this are imported with the cyclic garbage collector paused (see _collector_paused).
LARGE_FILE_BYTES = 1_000_000

Reporter = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows an earlier batch of the same file imported, not read again (only the rows it refused are).
    imported_before: int = 0
    conflicts: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    status: str = ""
    batch_id: int | None = None
    dry_run: bool = False
    already_imported: int | None = None
    ignored_columns: list[str] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    would_have: dict[str, int] | None = None
    # What the run says of the whole file rather than of a row (its source kept restricted).
    said: list[Message] = field(default_factory=list)

    def notes(self, leave_out: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """What the rows that were (or would be) imported say beside it: a possible duplicate created for
        review, a recognition or a custody not recorded for want of a date, how a row was matched; without the
        messages whose templates are in `leave_out`. Conflicts are listed on their own (conflict_rows)."""
        return [
            {"line": plan.record.line, "message": render(message)}
            for plan in self.plans
            if plan.outcome in ("created", "updated", "unchanged")
            for message in plan.messages
            if message.text not in leave_out
        ]

    def conflict_rows(self) -> list[dict[str, Any]]:
        """Each row in conflict with the registry (the stored value kept, the file's kept as a superseding
        event, or left for a person to decide): its line and what it says."""
        return [
            {"line": plan.record.line, "message": "; ".join(render(m) for m in plan.messages)}
            for plan in self.plans
            if plan.outcome == "conflict"
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "conflict_rows": self.conflict_rows(),
            "errors": self.errors,
            "notes": self.notes(),
            "status": self.status,
            "batch": self.batch_id,
            "dry_run": self.dry_run,
            "already_imported": self.already_imported,
            "ignored_columns": self.ignored_columns,
            "file_notes": [render(m) for m in self.said],
            **({"would_have": self.would_have} if self.would_have else {}),
        }


class _Rollback(Exception):
    pass


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _collector_paused(func: Callable[..., ImportResult]) -> Callable[..., ImportResult]:
    """Run a large import with the cyclic garbage collector paused.

    A large file makes millions of small objects (cells, records, plans, rows) that form no cycles, and each
    full collection walks all of them again: a tenth of the import time at 100,000 rows, for nothing.
    """

    @functools.wraps(func)
    def run(data: bytes, **options: Any) -> ImportResult:
        if len(data) <= LARGE_FILE_BYTES or not gc.isenabled():
            return func(data, **options)
        gc.disable()
        try:
            return func(data, **options)
        finally:
            gc.enable()

    return run


@_collector_paused
def run_import(
    data: bytes,
    *,
    file_name: str = "upload",
    fmt: str | None = None,
    mapping: str | Mapping | None = None,
    source_text: str = "",
    dry_run: bool = False,
    partial: bool = False,
    actor: Any = "system:import",
    user: Any = None,
    conflict_policy: str = "supersede",
    writer: str = "auto",
    report: Reporter | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Import one file; see the module docstring. `writer`: auto, actions or bulk."""
    result = ImportResult(dry_run=dry_run)
    digest = checksum(data)
    fmt = fmt or guess_format(file_name, data)
    the_mapping = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    own = _own_source(the_mapping, source_text)
    result.said += _unlinked(own)
    titled = own.get("title", "") if source_text else ""  # ImportBatch.source_title: what --source gave
    read_with = the_mapping.digest()
    earlier, retry, retried = _earlier(digest, the_mapping.name, conflict_policy, read_with)
    if earlier is not None:
        # The same bytes again: nothing to do, and saying so is the idempotent answer (a dry run too: it
        # said what the import would do, which is nothing). (A file whose rows were held for an administrator,
        # or refused, is read again: _earlier.)
        result.rows = result.unchanged = int(earlier.counts.get("rows", 0))
        result.status, result.batch_id, result.already_imported = "unchanged", earlier.pk, earlier.pk
        return result
    try:
        table = read_table(data, fmt, file_name)
    except ReadError as exc:
        result.errors = [Problem(exc.line, "", "", exc.message).as_dict()]
        return _failed(
            result, actor, user, file_name, digest, fmt, the_mapping, partial, [], dry_run, batch, titled
        )
    records, result.ignored_columns, file_problems = build_records(table, the_mapping)
    if not records and not file_problems:
        result.said += table.notes  # a file of no rows (a change file of withdrawals alone): its notes
    del table  # the records hold what is needed; a 100,000-row table is memory better freed
    result.rows = len(records)
    if retry and not file_problems:
        # The same file, which an earlier batch imported but for the rows it refused: those alone are read
        # again (a row refused for what the registry lacked then may import now). Its imported rows are not: a
        # later list may have corrected what they wrote, and reading them again would correct it back.
        result.imported_before = sum(r.line not in retry for r in records)
        records = [r for r in records if r.line in retry]
    if file_problems:
        result.errors = [p.as_dict() for p in file_problems]
        return _failed(
            result, actor, user, file_name, digest, fmt, the_mapping, partial, [], dry_run, batch, titled
        )
    bulk = writer == "bulk" or (writer == "auto" and len(records) > BULK_ROWS)
    try:
        with transaction.atomic():
            if batch is not None:
                # The upload's row, held until the import commits: a confirmation taking over its claim as
                # abandoned (ImportBatch.claimable: a long import's claim grows stale) waits, then finds it
                # imported. Before, on PostgreSQL, one taken over while this import still planned imported the
                # file a second time. (SQLite ignores FOR UPDATE: there the import's writes hold the database.)
                ImportBatch.objects.select_for_update().filter(pk=batch.pk).values_list("pk").first()
            planner = Planner(
                mapping_name=the_mapping.name,
                conflict_policy=conflict_policy,
                preload=bulk,
                hidden=_hidden_from(user),
                sources=any(r.sources or any(e.sources for e in r.events) for r in records),
            )
            if bulk:
                planner.prefetch_named(records)
            progress = (lambda n: report("checked", n, len(records))) if report else None
            plans = planner.plan_all(records, progress)
            result.plans = plans
            # The planner's in-memory registry (every person's names and events, the name index, the
            # blocking keys of every name) is done with: freed here, its memory serves the writer's
            # (~250 MB at 100,000 rows). So are the parsed names (~70 MB): the writer needs only their
            # keys, which spis.names caches apart.
            del planner
            blocks.cache_clear()
            parse_name.cache_clear()
            bad = [p for p in plans if p.outcome == "error"]
            if bad and not partial:
                raise _Rollback
            # A partial file whose every row is refused imports nothing: no new source, which nothing would cite.
            source = _retried_source(retried, own, file_name)
            if source is None and len(bad) < len(plans):
                source = _source(actor, own, file_name)
            status = ImportBatch.Status.PARTIAL if bad else ImportBatch.Status.COMPLETED
            this_batch = batch or actions.record_batch(
                actor,
                file_name=file_name,
                checksum=digest,
                fmt=fmt,
                mapping=the_mapping.name,
                status=status,
                partial=partial,
                counts={},
                source=source,
                user=user,
                source_title=titled,
            )
            if report:
                # The marker that a batch has begun writing (the crash test waits for it).
                report("started", this_batch.pk, len(records))
            persons = _write(plans, actor, source, bulk, partial, report)
            _tally(result, plans)
            if any(p.outcome == "error" for p in plans):
                status = ImportBatch.Status.PARTIAL
            counts = _counts(result)
            counts["mapping_digest"] = read_with
            if conflict_policy != "supersede":
                counts["conflict_policy"] = conflict_policy
            for start in range(0, len(plans), 5000):
                # In chunks: 100,000 unsaved model instances at once would cost hundreds of MB.
                actions.record_rows(this_batch, _rows(plans[start : start + 5000], persons))
            actions.finish_batch(actor, this_batch, status, counts, source)
            result.status, result.batch_id = status, this_batch.pk
            if dry_run:
                raise _Rollback
    except _Rollback:
        _tally(result, result.plans)
        if dry_run:
            result.batch_id = None
            result.status = (
                "dry-run" if not any(p.outcome == "error" for p in result.plans) else "dry-run-failed"
            )
            return result
        return _failed(
            result,
            actor,
            user,
            file_name,
            digest,
            fmt,
            the_mapping,
            partial,
            result.plans,
            dry_run,
            batch,
            titled,
        )
    return result


def _hidden_from(user: Any) -> frozenset[int]:
    """The people an import by `user` must leave alone (none for the command line, which runs as the
    system with no user)."""
    if user is None:
        return frozenset()
    return frozenset(policy.hidden_persons(user).values_list("pk", flat=True))


def earlier_import(
    digest: str,
    mapping: str | None = None,
    conflict_policy: str = "supersede",
    mapping_digest: str | None = None,
) -> ImportBatch | None:
    """The latest batch that imported a file with these bytes the way it is imported now (with `mapping`, when
    given: another mapping reads other columns), unless importing it again would change what it did not:
    _read_again, or it refused rows (those are read again: _earlier)."""
    return _earlier(digest, mapping, conflict_policy, mapping_digest)[0]


def _earlier(
    digest: str, mapping: str | None, conflict_policy: str, mapping_digest: str | None
) -> tuple[ImportBatch | None, set[int], ImportBatch | None]:
    """The batch that imported the file as it is imported now (earlier_import), else the lines of the rows the
    latest batch of it refused (--partial kept the others), which an import of the file reads again: a row
    refused for what the registry lacked then (a detention a later list gave) may import now, and that batch.
    Neither when the whole file is read again (_read_again) or there is no such batch."""
    batch = _latest(digest, mapping)
    if batch is None or _read_again(batch, conflict_policy, mapping_digest):
        return None, set(), None
    if not batch.counts.get("errors"):
        return batch, set(), None
    return None, set(batch.rows.filter(outcome=ImportRow.Outcome.ERROR).values_list("line", flat=True)), batch


def _retried_source(batch: ImportBatch | None, own: dict[str, Any], file_name: str) -> Any:
    """The source of the batch whose refused rows this import reads again, when this one would cite the same:
    the file (the same bytes) under the same `--source` or mapping source. Each retry made a source of its own,
    cited by nothing when the rows were refused again."""
    source = batch.source if batch is not None else None
    if source is None:
        return None
    if own.get("title"):
        same = (source.title, source.url) == (own["title"], own.get("url", ""))
    else:
        same = source.title.startswith("Import of ") and source.document == file_name[:500]
    return source if same else None


def _latest(digest: str, mapping: str | None) -> ImportBatch | None:
    batches = ImportBatch.objects.filter(checksum=digest, status__in=["completed", "partial"]).order_by("-pk")
    if mapping is not None:
        named = [mapping, ""] if mapping == "builtin" else [mapping]  # (an upload of none stores "")
        batches = batches.filter(mapping__in=named)
    return batches.only("pk", "counts", "source").first()


def _read_again(batch: ImportBatch, conflict_policy: str, mapping_digest: str | None) -> bool:
    """Whether the whole file is read again: the batch held rows for an administrator (read again, its other
    rows then come out unchanged), or it kept the stored values of its conflicts (policy keep) and now they
    would be written, or it read the file with another mapping file of the same name."""
    counts = batch.counts
    kept = counts.get("conflict_policy") == "keep" and counts.get("conflicts") and conflict_policy != "keep"
    # Another file of the mapping's name that reads other columns (batches before the digest was kept: same).
    read_otherwise = (
        mapping_digest is not None and counts.get("mapping_digest", mapping_digest) != mapping_digest
    )
    return bool(counts.get("held") or kept or read_otherwise)


def _own_source(mapping: Mapping, source_text: str) -> dict[str, Any]:
    """The batch's source as Source fields: `source_text` (--source, the upload form's "Source to cite"), or the
    mapping's (checked when the mapping was read); {} for neither. A SourceError for a title the registry
    cannot cite, before any row is read."""
    if source_text:
        return batch_source.from_title(source_text)
    return dict(mapping.source)


def _source(actor: Any, own: dict[str, Any], file_name: str) -> Any:
    """The batch's source, cited on everything it writes: `--source`, or the mapping's. Without either it
    is only the file ("Import of FILE on DATE"): no publication anyone can check, and a file's name may name
    a person ("from Ivanova's sister.csv"), so it is restricted. So is a title without a link, as a file's
    source cell without one is: it may name a relative ("со слов сестры …"). The file name (document) is
    never public: the site and the public export leave it out."""
    fields = dict(own)
    title = fields.pop("title", "")
    fields.setdefault("document", file_name[:500])
    if not title:
        title = f"Import of {file_name} on {timezone.now().date().isoformat()}"
    if not fields.get("url"):
        fields["confidentiality"] = "restricted"
    return registry.create_source(actor, title, **fields)


def _unlinked(own: dict[str, Any]) -> list[Message]:
    """What the batch says of its source titled without a link: that it is kept restricted."""
    if own.get("title") and not own.get("url"):
        return [Message(batch_source.UNLINKED, source=repr(own["title"]))]
    return []


def _write(
    plans: list[RowPlan], actor: Any, source: Any, bulk: bool, partial: bool, report: Reporter | None
) -> dict[tuple, int]:
    good = [p for p in plans if p.outcome != "error"]
    if not good:
        return {}  # a partial file whose every row is refused writes nothing (and has no source)
    if bulk:
        writer = BulkWriter(actor, source)
        total = sum(len(p.ops) for p in good)
        # The name search index is filled once at the end instead of by a trigger per row.
        with bulk_loading():
            writer.write_plans(good, (lambda n: report("writing", n, total)) if report else None)
        refresh_planner_statistics()
        return dict(writer.persons)
    small = ActionWriter(actor, source)
    small.expect(good)
    # Every event is still validated against its person's whole history as it is recorded; the custody
    # spells of the people written are derived once at the end, not after each of their events.
    with custody_deferred():
        for number, plan in enumerate(good, 1):
            mark = small.mark()
            try:
                # A savepoint per row: with `partial`, a row the registry refuses is skipped, not fatal.
                with transaction.atomic():
                    small.write(plan.ops)
            except (InvalidHistory, ValueError) as exc:
                if not partial:
                    plan.outcome = "error"
                    plan.problems.append(Problem(plan.record.line, "", "", _refusal(exc)))
                    raise _Rollback from None
                small.forget(mark)
                plan.outcome, plan.ops = "error", []
                plan.problems.append(Problem(plan.record.line, "", "", _refusal(exc)))
            if report and progress_due(number, len(good)):
                report("writing", number, len(good))
    return {ref: person.pk for ref, person in small.persons.items()}


def _refusal(exc: ValueError) -> Message:
    """Why the registry refused a row: custody's reasons are templates the catalogues translate; the other
    refusals of spis.registry.actions are English text, shown as they are."""
    if isinstance(exc, InvalidHistory):
        return Message(
            gettext_noop("%(person)s: %(event)s: %(reason)s"),
            person=exc.person,
            event=exc.event,
            reason=Message(exc.reason, **exc.params),
        )
    return Message(str(exc))


def _tally(result: ImportResult, plans: list[RowPlan]) -> None:
    result.created = sum(p.outcome == "created" for p in plans)
    result.updated = sum(p.outcome == "updated" for p in plans)
    result.unchanged = sum(p.outcome == "unchanged" for p in plans) + result.imported_before
    result.conflicts = sum(p.outcome == "conflict" for p in plans)
    result.errors = [pr.as_dict() for p in plans for pr in p.problems] or result.errors


def _counts(result: ImportResult) -> dict[str, Any]:
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "conflicts": result.conflicts,
        "errors": len(result.errors),
        "held": sum(held(p) for p in result.plans),
    }


def _rows(plans: list[RowPlan], persons: dict[tuple, int]) -> list[tuple]:
    rows = []
    for plan in plans:
        person_id = None
        if plan.person is not None and plan.outcome != "error":
            person_id = persons.get(plan.person) if plan.person[0] == "new" else plan.person[1]
        # Stored structured (messages.py): each reader of the batch page reads them in their own language. A
        # problem is marked as one (told from the row's notes by whoever reads the stored row).
        # A row of a one-row-per-event list is the record's from its first line on: each problem keeps its own.
        problems = [{**_stored(p).as_json(), "problem": True, "line": p.line} for p in plan.problems]
        record = plan.record
        rows.append(
            (
                record.line,
                record.raw,
                plan.outcome,
                problems + [m.as_json() for m in plan.messages],
                record.external_id,
                person_id,
            )
        )
    return rows


_AT_COLUMN = gettext_noop("%(column)s: %(message)s")
_AT_COLUMN_VALUE = gettext_noop("%(column)s (%(value)s): %(message)s")


def _stored(problem: Problem) -> Message:
    """A row's problem as its stored message: the file's column, and the refused value where there is one,
    before the reason."""
    if not problem.column:
        return problem.message
    if problem.value in ("", None):
        return Message(_AT_COLUMN, column=problem.column, message=problem.message)
    return Message(
        _AT_COLUMN_VALUE,
        column=problem.column,
        value=_shown(problem.value),
        message=problem.message,
    )


def _shown(value: Any, limit: int = 60) -> str:
    """A refused cell's value as a stored message quotes it (the whole cell stays in the row's raw cells)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failed(
    result: ImportResult,
    actor: Any,
    user: Any,
    file_name: str,
    digest: str,
    fmt: str,
    mapping: Mapping,
    partial: bool,
    plans: list[RowPlan],
    dry_run: bool,
    batch: ImportBatch | None,
    source_title: str = "",
) -> ImportResult:
    """Record a failed run (nothing written to the registry) so that its errors stay on file."""
    result.status = "failed"
    if dry_run:
        result.status = "dry-run-failed"
        return result
    # Nothing was written: the counts say so, and what the good rows would have done goes apart.
    result.would_have = {k: getattr(result, k) for k in ("created", "updated", "unchanged", "conflicts")}
    result.created = result.updated = result.unchanged = result.conflicts = 0
    with transaction.atomic():
        if batch is None:
            batch = actions.record_batch(
                actor,
                file_name=file_name,
                checksum=digest,
                fmt=fmt,
                mapping=mapping.name,
                status="failed",
                partial=partial,
                counts={},
                user=user,
                source_title=source_title,
            )
        for plan in plans:
            # Good rows of a failed all-or-nothing run were not written: say so on the row.
            if plan.outcome != "error":
                plan.messages.append(
                    Message(
                        gettext_noop(
                            "not written: the import failed on other rows (use --partial to keep good ones)"
                        )
                    )
                )
            plan.person = plan.person if plan.person and plan.person[0] == "db" else None
        actions.record_rows(batch, _rows(plans, {}))
        actions.finish_batch(actor, batch, "failed", _counts(result))
    result.batch_id = batch.pk
    return result


def new_person_count(plans: list[RowPlan]) -> int:
    return sum(isinstance(op, NewPerson) for p in plans for op in p.ops)
