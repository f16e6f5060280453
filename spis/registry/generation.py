"""The registry's generation: raised once per committed transaction that saved or deleted registry rows.

Connected to post_save/post_delete of every model of the watched apps (registry.apps.RegistryConfig.ready).
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

WATCHED_APPS = frozenset({"registry", "campaigns"})
# Written in bulk or derived: their writers leave an audit entry or new spell ids, read by registry_version.
IGNORED_MODELS = frozenset({"generation", "auditentry", "dailychange", "custodyspell"})


def current() -> int:
    from .models import Generation

    return Generation.objects.filter(pk=1).values_list("n", flat=True).first() or 0


def _raise() -> None:
    from .models import Generation

    if not Generation.objects.filter(pk=1).update(n=F("n") + 1):
        Generation.objects.get_or_create(pk=1, defaults={"n": 1})


def changed(sender: Any, **_: Any) -> None:
    meta = sender._meta
    if meta.app_label not in WATCHED_APPS or meta.model_name in IGNORED_MODELS:
        return
    # Once per transaction: a callback still queued for this transaction will raise it at commit.
    # (run_on_commit is Django's queue of on_commit callbacks; a rolled-back savepoint drops its own.)
    if any(func is _raise for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_raise)
