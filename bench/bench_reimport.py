"""Benchmark a refreshed list: a list with an id column imported, then its next export imported again.

Run: .venv/bin/python bench/bench_reimport.py [--persons N]  (writes bench/results/reimport.json)
The common workflow of a documenting group: the partner's list comes monthly, each row keeps its id, and
every row is now matched by that id. Here every row of the second file gives a later release date than the
first, so each becomes a conflict recorded as a superseding, cited event. No target in the issues; recorded
because a look-up per row once made this quadratic (20,000 rows: 317 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_intake import HEADER, rows  # noqa: E402


def export(persons: int, *, later: bool) -> bytes:
    lines = ["ID;" + HEADER]
    for number, row in enumerate(rows(persons), 1):
        cells = list(row)
        if later:
            cells[9] = "01.08.2024"  # the release date, a month after the first file's
        lines.append(f"V-{number};" + ";".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=20_000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-reimport-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'spis.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from spis.intake import importer

    timings = {}
    for name, later in (("first", False), ("refreshed", True)):
        data = export(args.persons, later=later)
        start = time.perf_counter()
        result = importer.run_import(data, file_name=f"{name}.csv", actor="system:bench")
        timings[name] = time.perf_counter() - start
        assert result.status == "completed", result.errors[:3]
        if later:
            assert result.conflicts == args.persons and result.created == 0, result.as_dict()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "persons": args.persons,
        "first_import_seconds": round(timings["first"], 2),
        "refreshed_import_seconds": round(timings["refreshed"], 2),
        "peak_rss_mb_both": round(peak_mb),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print("| measure | value |")
    print("|---|---|")
    print(f"| first import, {args.persons:,} rows with ids | {timings['first']:.1f} s |")
    print(
        f"| the refreshed list, every row matched by id, every row a superseding release | {timings['refreshed']:.1f} s |"
    )
    print(f"| peak memory of both (ru_maxrss) | {peak_mb:.0f} MB |")
    out = ROOT / "bench" / "results" / "reimport.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
