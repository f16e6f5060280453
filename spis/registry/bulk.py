"""Bulk loads: the demo registry, large imports and full spell rebuilds write 100,000s of rows at once.

Maintaining a B-tree index row by row costs several times the insert itself (random page writes); building
it once from the finished table is a sort. `secondary_indexes_dropped(...)` drops the non-unique indexes of
the given tables inside the caller's transaction and re-creates them from their own saved definitions when
the load is done: unique indexes and primary keys stay, so uniqueness is still enforced row by row. DDL is
transactional on SQLite and PostgreSQL, so a failed load rolls the indexes back with everything else. On
PostgreSQL the dropped indexes lock their tables until commit: bulk loads are maintenance, not traffic.

`bulk_insert` is the one raw executemany for such loads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

from django.db import connection

# Page cache for one bulk load on SQLite (KiB, negative = size, not pages); the default stays per settings.
BULK_CACHE_KIB = 262144
# Rows per INSERT statement on SQLite (within its limit on parameters per statement).
SQLITE_ROWS = 200


def _secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of each non-unique index on `table`."""
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
    else:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
            [table],
        )
    return [(name, sql) for name, sql in cursor.fetchall() if "UNIQUE" not in sql.upper().split("(")[0]]


@contextmanager
def secondary_indexes_dropped(models: Sequence[type], *, cache_kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """Load `models`' tables without their non-unique indexes; the indexes are rebuilt on exit.

    `cache_kib`: SQLite's page cache meanwhile (a caller that holds much in memory itself may want less).
    """
    if not connection.in_atomic_block:
        raise RuntimeError(
            "bulk loads run inside transaction.atomic(): a failure must bring the indexes back"
        )
    quote = connection.ops.quote_name
    saved: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        for model in models:
            for name, sql in _secondary_indexes(cursor, model._meta.db_table):
                cursor.execute(f"DROP INDEX {quote(name)}")
                saved.append(sql)
    try:
        # On an exception the caller's transaction rolls back, dropped indexes included.
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, and PostgreSQL refuses CREATE INDEX on a
                # table with pending deferred checks: run them now (a violation fails the load here).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in saved:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")


def bulk_insert(model: type, columns: Sequence[str], rows: list[tuple]) -> None:
    """Raw executemany in chunks, for bulk loads (demo, imports, spell rebuilds); callers write the audit entry.

    Django's bulk_create spends most of its time building SQL for 100,000s of rows.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - our own table and columns
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    if connection.vendor == "sqlite":
        _sqlite_insert(head, len(columns), rows)
        return
    sql = head + "({})".format(", ".join(["%s"] * len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def _sqlite_insert(head: str, width: int, rows: list[tuple]) -> None:
    """Rows in statements of up to SQLITE_ROWS rows each, on the sqlite3 cursor of Django's connection.

    A third faster than executemany of single rows: each statement is prepared, stepped and, on a table
    with AUTOINCREMENT, bookkept (sqlite_sequence) once for all its rows. Straight on the sqlite3 cursor
    (same connection and transaction): Django's wrapper rewrites placeholders and tee()s the parameters.
    """
    connection.ensure_connection()
    # This build's own limit (32,766 since SQLite 3.32; Django assumes the old 999 for every build).
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(SQLITE_ROWS, limit // width))
    one = "({})".format(", ".join(["?"] * width))
    whole = len(rows) - len(rows) % per
    cursor = connection.connection.cursor()
    # Errors still come out as Django's (IntegrityError etc.), as through connection.cursor().
    with connection.wrap_database_errors:
        try:
            if whole:
                sql = head + ", ".join([one] * per)
                for start in range(0, whole, per):
                    cursor.execute(sql, list(chain.from_iterable(rows[start : start + per])))
            if whole < len(rows):
                cursor.executemany(head + one, rows[whole:])
        finally:
            cursor.close()
