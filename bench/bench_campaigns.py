"""Benchmark campaign compliance on the synthetic demo registry at 100,000 persons.

Run: .venv/bin/python bench/bench_campaigns.py [--persons 100000]  (writes bench/results/campaigns.json)
Uses its own SQLite file (/tmp/spis-bench-campaigns.sqlite3, built once with `spis demo`) unless DATABASE_URL
is set. Targets: compliance() for the seed demand in ≤ 200 ms; draining_series() since the snapshot in ≤ 1 s.
Baseline: the naive way, one stats.counts() call per week for the whole list, for the series.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/spis-bench-campaigns.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from spis.campaigns.compliance import compliance, draining_series  # noqa: E402
from spis.campaigns.seed import seed_demo_campaign  # noqa: E402
from spis.registry.models import Person  # noqa: E402
from spis.stats.counts import counts  # noqa: E402


def _time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        call_command("demo", persons=args.persons)
    demand = seed_demo_campaign("system:bench").demands.get()
    as_of, end = dt.date(2025, 6, 30), dt.date(2026, 3, 31)
    rows = []
    t, c = _time(lambda: compliance(demand, as_of), args.repeat)
    rows.append(("compliance (as of 2025-06-30, names listed)", t, 0.2, f"in scope {c.in_scope:,}"))
    t, c = _time(lambda: compliance(demand, as_of, name_limit=0), args.repeat)
    rows.append(("compliance (counts only)", t, 0.2, f"still held {c.still_held:,}"))
    t, series = _time(lambda: draining_series(demand, end), args.repeat)
    rows.append(("draining_series since 2023-03-16 (weekly)", t, 1.0, f"{len(series)} rows"))
    t, series = _time(lambda: draining_series(demand, end, step_days=1), args.repeat)
    rows.append(("draining_series since 2023-03-16 (daily)", t, 1.0, f"{len(series)} rows"))
    weeks = [
        demand.scope_date + dt.timedelta(days=7 * i) for i in range((end - demand.scope_date).days // 7 + 1)
    ]
    t, _ = _time(lambda: [counts(day) for day in weeks], 1)
    rows.append(("baseline: stats.counts() once per week (whole list only)", t, None, f"{len(weeks)} calls"))
    load = os.getloadavg()[0]
    print(
        f"\nCampaign compliance, {args.persons:,} persons, {os.cpu_count()} cores, load {load:.1f}, {dt.date.today()}\n"
    )
    print("| what | median s | target s | note |")
    print("|---|---:|---:|---|")
    for what, secs, target, note in rows:
        print(f"| {what} | {secs:.3f} | {target if target is not None else '–'} | {note} |")
    out = ROOT / "bench" / "results" / "campaigns.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "persons": args.persons,
                "cores": os.cpu_count(),
                "load_average_1min": round(load, 2),
                "python": platform.python_version(),
                "database": "sqlite" if "sqlite" in os.environ["DATABASE_URL"] else "postgresql",
                "results": [
                    {"what": w, "median_seconds": round(s, 4), "target_seconds": tg, "note": n}
                    for w, s, tg, n in rows
                ],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
