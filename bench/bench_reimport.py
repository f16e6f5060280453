"""Benchmark a refreshed list: a list imported, then its next export imported again (with ids, and without).

Run: .venv/bin/python bench/bench_reimport.py [--persons N]  (writes bench/results/reimport.json)
The common workflow of a documenting group: the partner's list comes monthly and every row of the next export
is matched to the person the first one created: by its id when the list has an id column, else by name and
birth date. Every row of the second file gives a later release date than the first, so each becomes a
conflict recorded as a superseding, cited event. No target in the issues; recorded because a look-up per
row once made this quadratic (20,000 rows: 317 s with ids, 91 s by name).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_intake import HEADER, django_on_a_new_database, rows  # noqa: E402


def export(persons: int, *, later: bool, ids: bool) -> bytes:
    lines = [("ID;" if ids else "") + HEADER]
    for number, row in enumerate(rows(persons), 1):
        cells = list(row)
        if later:
            cells[9] = "01.08.2024"  # the release date, a month after the first file's
        lines.append((f"V-{number};" if ids else "") + ";".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def scenario(directory: Path, persons: int, ids: bool) -> tuple[float, float]:
    """(first import, refreshed import) seconds, into a fresh database of their own."""
    from django.core.management import call_command
    from django.db import connection, connections

    from spis.intake import importer

    connection.close()
    connections["default"].settings_dict["NAME"] = str(
        directory / f"spis-{'ids' if ids else 'names'}.sqlite3"
    )
    call_command("migrate", verbosity=0)
    timings = []
    for later in (False, True):
        data = export(persons, later=later, ids=ids)
        start = time.perf_counter()
        result = importer.run_import(data, file_name=f"list-{later}.csv", actor="system:bench")
        timings.append(time.perf_counter() - start)
        assert result.status == "completed", result.errors[:3]
        if later:
            assert result.conflicts == persons and result.created == 0, result.as_dict()
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=20_000)
    args = parser.parse_args()
    directory = django_on_a_new_database("bench-reimport-")
    with_ids = scenario(directory, args.persons, ids=True)
    by_name = scenario(directory, args.persons, ids=False)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "persons": args.persons,
        "with_ids_seconds": [round(t, 2) for t in with_ids],
        "by_name_seconds": [round(t, 2) for t in by_name],
        "peak_rss_mb": round(peak_mb),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print("| measure | value |")
    print("|---|---|")
    for label, (first, refreshed) in (
        ("with an id column", with_ids),
        ("without ids (by name and birth)", by_name),
    ):
        print(
            f"| {args.persons:,} rows {label}: first import / the refreshed list | {first:.1f} s / {refreshed:.1f} s |"
        )
    print(f"| peak memory of all four (ru_maxrss) | {peak_mb:.0f} MB |")
    out = ROOT / "bench" / "results" / "reimport.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
