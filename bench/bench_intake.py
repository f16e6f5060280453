"""Benchmark the import: 100,000 persons with 500,000 events from one Viasna-style CSV, on SQLite.

Run: .venv/bin/python bench/bench_intake.py [--persons N]  (writes bench/results/intake.json)
Targets: ≤ 60 s; within 10× a bare sqlite3.executemany insert of the same rows (timed side by side in this
run); peak memory ≤ 1 GB (resource.getrusage). Each row gives 5 events: detained, convicted, sentenced,
transferred (the colony), released (pardon).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYLLABLES = ["ка", "ло", "мі", "ра", "ту", "ве", "ны", "со", "да", "ле", "ба", "го", "жу", "пе", "ха", "за"]
GIVEN = [
    "Янка",
    "Пётр",
    "Алесь",
    "Сымон",
    "Андрэй",
    "Павел",
    "Ігар",
    "Віктар",
    "Марыя",
    "Алена",
    "Вольга",
    "Ірына",
    "Антон",
    "Мікола",
    "Юлія",
    "Ганна",
    "Таццяна",
    "Кацярына",
    "Святлана",
    "Наталля",
    "Васіль",
    "Зміцер",
    "Сяргей",
    "Дзмітрый",
    "Кастусь",
]
# The partner list imported after the big one (row-by-row path: fewer rows than importer.BULK_ROWS).
SMALL_FILE = 200
HEADER = "ФИО;Дата рождения;Пол;Дата задержания;Статьи;Дата приговора;Приговор;Место заключения;Статус;Дата освобождения"


def rows(persons: int, start: int = 0):
    """Synthetic, distinct names (syllable surnames × given names) with one custody period each."""
    n = len(SYLLABLES)
    for i in range(start, start + persons):
        surname = SYLLABLES[i % n] + SYLLABLES[i // n % n] + SYLLABLES[i // n // n % n] + "енка"
        name = f"{surname.capitalize()} {GIVEN[i // n**3 % len(GIVEN)]}"
        day = 1 + i % 28
        yield (
            name,
            f"{day:02d}.{1 + i % 12:02d}.{1950 + i % 50}",
            "м" if i % 7 else "ж",
            f"{day:02d}.03.2021",
            "342 ч.1, 361-1" if i % 3 else "130 ч.3",
            f"{day:02d}.09.2021",
            f"{2 + i % 5} года колонии {'общего' if i % 2 else 'усиленного'} режима",
            f"ИК-{1 + i % 20}",
            "помилован",
            f"{day:02d}.07.2024",
        )


def write_csv(path: Path, persons: int, start: int = 0) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        for row in rows(persons, start):
            handle.write(";".join(row) + "\n")


def small_file_into(directory: Path, registry_size: int, persons: int) -> float:
    """A partner list's size after the big one: `persons` new people into the registry just filled. Under
    importer.BULK_ROWS rows this is the row-by-row path (every fact through the registry's actions, audited
    one by one), matching each row against the whole registry by the search's indexes."""
    from spis.intake import importer

    path = directory / f"partner-{persons}.csv"
    write_csv(path, persons, start=registry_size)
    start = time.perf_counter()
    result = importer.run_import(path.read_bytes(), file_name=path.name, actor="system:bench")
    elapsed = time.perf_counter() - start
    assert result.status == "completed" and result.created == persons, (result.status, result.errors[:3])
    return elapsed


def baseline(persons: int, directory: Path) -> tuple[float, float]:
    """A bare sqlite3.executemany of the same people and events into two plain tables (no parsing)."""
    conn = sqlite3.connect(directory / "baseline.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, public_id TEXT, name TEXT, birth TEXT, gender TEXT)"
    )
    conn.execute(
        "CREATE TABLE event (id INTEGER PRIMARY KEY, person_id INTEGER, type TEXT, date TEXT, facility TEXT, "
        "articles TEXT, sentence TEXT, release_kind TEXT)"
    )
    data = list(rows(persons))
    start, cpu = time.perf_counter(), time.process_time()
    people = [(i + 1, f"BY-{i + 1:06d}", r[0], r[1], r[2]) for i, r in enumerate(data)]
    events = []
    for i, r in enumerate(data):
        pid = i + 1
        events += [
            (pid, "detained", r[3], "", "", "", ""),
            (pid, "convicted", r[5], "", r[4], "", ""),
            (pid, "sentenced", r[5], "", r[4], r[6], ""),
            (pid, "transferred", r[5], r[7], "", "", ""),
            (pid, "released", r[9], "", "", "", "pardon"),
        ]
    with conn:
        conn.executemany("INSERT INTO person VALUES (?, ?, ?, ?, ?)", people)
        conn.executemany(
            "INSERT INTO event (person_id, type, date, facility, articles, sentence, release_kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return elapsed, cpu


def _kept(conn: sqlite3.Connection) -> tuple[list[str], list[tuple[str, str]]]:
    """On `conn` (the empty schema, the imported database attached as `src`): the tables the import filled
    that are empty here, and the non-unique indexes on them (name, CREATE statement)."""
    virtual = ("registry_name_fts", "registry_name_words")
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM src.sqlite_master WHERE type = 'table' ORDER BY name")
        if not name.startswith(("sqlite_", *virtual))
        and not conn.execute(f'SELECT 1 FROM main."{name}" LIMIT 1').fetchone()  # noqa: S608
        and conn.execute(f'SELECT 1 FROM src."{name}" LIMIT 1').fetchone()  # noqa: S608
    ]
    indexes = [
        (name, sql)
        for table in tables
        for name, sql in conn.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [table],
        )
        if "UNIQUE" not in sql.upper().split("(")[0]
    ]
    return tables, indexes


def _store_kept_rows(
    empty: Path, filled: Path, copy: Callable[[sqlite3.Connection, str], int]
) -> tuple[float, int]:
    """Time storing what the import kept into a fresh copy of the migrated `empty` database: in one
    transaction, indexes and the name search index dropped, every filled table written by `copy(conn,
    table)` (returns the rows written), then the indexes and the name search index built once, as the bulk
    path does, and the commit. Returns the time (copy's own untimed work excluded) and the rows written."""
    from importlib import import_module

    search = import_module("spis.registry.migrations.0002_review_and_search")
    fresh = empty.with_name(f"{empty.stem}-{copy.__qualname__.split('.')[0]}.sqlite3")
    shutil.copyfile(empty, fresh)
    conn = sqlite3.connect(fresh, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("ATTACH DATABASE ? AS src", [str(filled)])
    tables, indexes = _kept(conn)
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("PRAGMA cache_size = -65536")
    for statement in search.SQLITE_BACKWARD[:3]:
        conn.execute(statement)
    for name, _ in indexes:
        conn.execute(f'DROP INDEX main."{name}"')
    copied = 0
    for table in tables:
        copied += copy(conn, table)
    for _, sql in indexes:
        conn.execute(sql)
    for statement in search.SQLITE_FORWARD:
        conn.execute(statement)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    for leftover in fresh.parent.glob(f"{fresh.name}*"):
        leftover.unlink()
    return elapsed - getattr(copy, "untimed", 0.0), copied


def sqlite_floor(empty: Path, filled: Path) -> tuple[float, int]:
    """SQLite alone storing what the import kept: every row it wrote, copied by INSERT … SELECT from the
    imported database. No Python per row at all: the floor under any importer that keeps the same rows
    (names, cases, citations, spells, raw import rows) in the same schema."""

    def copy(conn: sqlite3.Connection, table: str) -> int:
        return conn.execute(f'INSERT INTO main."{table}" SELECT * FROM src."{table}"').rowcount  # noqa: S608

    return _store_kept_rows(empty, filled, copy)


def bound_floor(empty: Path, filled: Path) -> tuple[float, int]:
    """The same rows as sqlite_floor, bound from Python: read back from the imported database beforehand
    (not timed), then inserted the way the bulk path inserts (registry.bulk: statements of up to
    SQLITE_ROWS rows each, a third faster than executemany of single rows). The floor under any importer in
    Python that keeps the import's rows in this schema, before it has read, parsed, matched or checked
    anything."""
    from spis.registry.bulk import SQLITE_ROWS

    def copy(conn: sqlite3.Connection, table: str) -> int:
        before = time.perf_counter()
        rows = conn.execute(f'SELECT * FROM src."{table}"').fetchall()  # noqa: S608
        copy.untimed += time.perf_counter() - before  # type: ignore[attr-defined]
        width = len(rows[0])
        per = max(1, min(SQLITE_ROWS, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
        one = "({})".format(", ".join("?" * width))
        whole = len(rows) - len(rows) % per
        head = f'INSERT INTO main."{table}" VALUES '  # noqa: S608
        statement = head + ", ".join([one] * per)
        for at in range(0, whole, per):
            conn.execute(statement, list(chain.from_iterable(rows[at : at + per])))
        conn.executemany(head + one, rows[whole:])
        return len(rows)

    copy.untimed = 0.0  # type: ignore[attr-defined]
    return _store_kept_rows(empty, filled, copy)


def django_on_a_new_database(prefix: str) -> Path:
    """A new temporary directory, Django set up on an SQLite file in it (not migrated yet)."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'spis.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")
    import django

    django.setup()
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    directory = django_on_a_new_database("bench-intake-")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    connection.close()
    empty = directory / "empty.sqlite3"
    shutil.copyfile(directory / "spis.sqlite3", empty)
    from spis.intake import importer
    from spis.registry.models import Event, Person

    source = directory / "list.csv"
    write_csv(source, args.persons)
    data = source.read_bytes()
    base, base_cpu = baseline(args.persons, directory)
    # CPU time beside wall time: the machine is shared, and other processes' load inflates wall time only.
    load_before = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    result = importer.run_import(data, file_name=source.name, actor="system:bench")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    load_after = os.getloadavg()[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    persons, events = Person.objects.count(), Event.objects.count()
    assert result.status == "completed", result.errors[:5]
    ratio = elapsed / base if base else float("inf")
    connection.close()
    floor, floor_rows = sqlite_floor(empty, directory / "spis.sqlite3")
    bound, _ = bound_floor(empty, directory / "spis.sqlite3")
    # After the floor, which copies what the big import kept and nothing else.
    small = small_file_into(directory, args.persons, SMALL_FILE)
    figures = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "persons": persons,
        "events": events,
        "rows": result.rows,
        "import_seconds": round(elapsed, 2),
        "import_cpu_seconds": round(cpu, 2),
        "baseline_executemany_seconds": round(base, 2),
        "baseline_cpu_seconds": round(base_cpu, 2),
        "ratio": round(ratio, 2),
        "sqlite_floor_seconds": round(floor, 2),
        "sqlite_floor_rows": floor_rows,
        "sqlite_floor_ratio": round(floor / base, 2) if base else None,
        "bound_floor_seconds": round(bound, 2),
        "bound_floor_ratio": round(bound / base, 2) if base else None,
        "cpu_ratio": round(cpu / base_cpu, 2) if base_cpu else None,
        "small_file_rows": SMALL_FILE,
        "small_file_seconds": round(small, 2),
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        "peak_rss_mb": round(peak_mb),
        "targets": {"import_seconds": 60, "ratio": 10, "peak_rss_mb": 1024},
        "ok": elapsed <= 60 and ratio <= 10 and peak_mb <= 1024,
    }
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| persons / events written | {persons:,} / {events:,} | 100,000 / 500,000 |")
    print(f"| `spis import` (bulk path), wall / CPU | {elapsed:.1f} s / {cpu:.1f} s | ≤ 60 s |")
    print(f"| bare sqlite3.executemany, same rows, wall / CPU | {base:.2f} s / {base_cpu:.2f} s | baseline |")
    print(f"| ratio (wall) | {ratio:.1f}× | ≤ 10× |")
    print(
        f"| SQLite alone storing the {floor_rows:,} rows the import kept (INSERT … SELECT, indexes once) "
        f"| {floor:.2f} s = {floor / base:.1f}× the baseline | the floor |"
    )
    print(
        f"| the same {floor_rows:,} rows bound from Python as the bulk path inserts (read back beforehand) "
        f"| {bound:.2f} s = {bound / base:.1f}× the baseline | the floor for Python |"
    )
    print(
        f"| then {SMALL_FILE} new people into those {persons:,} (row-by-row path, every fact audited) "
        f"| {small:.1f} s = {small / SMALL_FILE * 1000:.0f} ms a row | |"
    )
    print(f"| load average (1 min) before / after | {load_before:.2f} / {load_after:.2f} | 2 cores |")
    print(f"| peak memory (ru_maxrss) | {peak_mb:.0f} MB | ≤ 1024 MB |")
    out = ROOT / "bench" / "results" / "intake.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
