"""The registry's generation, and its version: what caches of public figures and pages key on.

The generation is raised once per committed transaction that saved or deleted registry rows.

Connected to post_save/post_delete of each watched model (`watched`; registry.apps.RegistryConfig.ready).
The raise runs after commit (transaction.on_commit), once per transaction however many rows it wrote, and
not at all when the transaction rolls back; outside a transaction it runs at once. After commit rather
than inside the transaction so that a long import never holds the counter row locked against other
writers on PostgreSQL. Bulk loads that bypass signals (raw executemany) write an audit entry and new
spells, which registry_version reads as well.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import F

# Apps whose rows show on public pages (campaign pages show corridor scenarios of their measures).
WATCHED_APPS = frozenset({"registry", "campaigns", "corridors"})
# Written in bulk or derived: their writers leave an audit entry or new spell ids, read by registry_version.
IGNORED_MODELS = frozenset({"generation", "auditentry", "dailychange", "custodyspell"})


def current() -> int:
    from .models import Generation

    return Generation.objects.filter(pk=1).values_list("n", flat=True).first() or 0


def _raise() -> None:
    from .models import Generation

    if not Generation.objects.filter(pk=1).update(n=F("n") + 1):
        Generation.objects.get_or_create(pk=1, defaults={"n": 1})


def watched(model: Any) -> bool:
    """Whether saving or deleting a row of `model` changes what the public sees (registry.apps connects
    `changed` to these models' post_save and post_delete)."""
    meta = model._meta
    return meta.app_label in WATCHED_APPS and meta.model_name not in IGNORED_MODELS


def changed(sender: Any, **_: Any) -> None:
    # Once per transaction: a callback still queued for this transaction will raise it at commit.
    # (run_on_commit is Django's queue of on_commit callbacks; a rolled-back savepoint drops its own.)
    if any(func is _raise for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_raise)


def registry_version() -> str:
    """The state of everything the public sees: the audit head (every action), the newest spell id (spells
    get new ids on every rebuild, audited or not: bulk imports, merges) and the generation (every committed
    save, audited or not: admin edits of names, sources, facilities).

    One raw statement: it runs on every cached page view (spis/access/pagecache.py), where building ORM
    queries cost more than serving the page.
    """
    from .models import AuditEntry, CustodySpell, Generation

    audit, spells, generation = (
        connection.ops.quote_name(m._meta.db_table) for m in (AuditEntry, CustodySpell, Generation)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT seq FROM {audit} ORDER BY seq DESC LIMIT 1),"  # noqa: S608 - our own tables
            f" (SELECT hash FROM {audit} ORDER BY seq DESC LIMIT 1), (SELECT MAX(id) FROM {spells}),"
            f" (SELECT n FROM {generation} WHERE id = 1)"
        )
        seq, digest, spell, n = cursor.fetchone()
    head = f"{seq}:{digest}" if seq is not None else "empty"
    return f"{connection.alias}:{head}:{spell or 0}:{n or 0}"
