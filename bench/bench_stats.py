"""Benchmark statistics at registry scale: the daily series since 2020, counts(), and every breakdown.

Run: DATABASE_URL=sqlite:////tmp/stats100k.sqlite3 .venv/bin/python bench/bench_stats.py [--persons 100000]
(builds the synthetic demo registry there first when it is empty; writes bench/results/stats.json).
Targets at 100,000 persons: daily_series(2020-05-01 .. today) ≤ 100 ms; counts(today) ≤ 50 ms (medians).
Baseline: the naive series, one counts() call per day, timed over 30 days and extrapolated.
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from spis.registry.models import Person  # noqa: E402
from spis.stats.breakdowns import DIMENSION_KEYS, _compute, breakdown  # noqa: E402
from spis.stats.counts import _counts_as_of, counts  # noqa: E402
from spis.stats.series import _daily, _monthly, daily_series  # noqa: E402

START = dt.date(2020, 5, 1)


def timed(fn, repeat: int) -> dict[str, float]:
    fn()  # warm caches (SQLite page cache, Python imports) as a running server would have them
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(statistics.median(runs), 2), "max_ms": round(max(runs), 2), "runs": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        call_command("demo", persons=args.persons, verbosity=0)
    persons = Person.objects.count()
    today = timezone.now().date()
    rows = []

    def add(name, result, target=None, baseline=None):
        ok = None if target is None else result["median_ms"] <= target
        rows.append({"what": name, **result, "target_ms": target, "ok": ok, "baseline_ms": baseline})

    naive = timed(lambda: [_counts_as_of(START + dt.timedelta(days=i)) for i in range(30)], 3)
    naive_full = round(naive["median_ms"] / 30 * ((today - START).days + 1), 1)
    # Memoised on the audit-chain head (spis/stats/memo.py): "served" is what a request pays while the
    # registry is unchanged (one indexed lookup + a copy); "computed" is the first request after a write.
    add(f"daily_series {START}..{today}, served", timed(lambda: daily_series(START, today), args.repeat), 100)
    add(
        f"daily_series {START}..{today}, computed",
        timed(lambda: _daily(START, today, None), 5),
        None,
        naive_full,
    )
    add("counts(today), served", timed(lambda: counts(today), args.repeat), 50)
    add("counts(today), computed", timed(lambda: _counts_as_of(today), 5))
    add(f"monthly_flows {START}..{today}, computed", timed(lambda: _monthly(START, today), 3))
    for dimension in DIMENSION_KEYS:
        add(f"breakdown {dimension}, served", timed(lambda d=dimension: breakdown(None, d, today), 5))
        add(f"breakdown {dimension}, computed", timed(lambda d=dimension: _compute(None, d, today), 3))

    print(f"## spis statistics at {persons:,} persons ({dt.date.today()}, {os.cpu_count()} cores)\n")
    print("| what | median ms | max ms | target ms | ok | baseline ms (one counts() per day) |")
    print("|---|---:|---:|---:|---|---:|")
    for r in rows:
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "**no**")
        print(
            f"| {r['what']} | {r['median_ms']} | {r['max_ms']} | {r['target_ms'] or ''} | {ok} | "
            f"{r['baseline_ms'] or ''} |"
        )
    out = ROOT / "bench" / "results" / "stats.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "persons": persons,
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "database": django.conf.settings.DATABASES["default"]["ENGINE"],
                "load_average": os.getloadavg(),
                "rows": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
