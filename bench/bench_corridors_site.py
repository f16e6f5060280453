"""Benchmark the corridor pages and API: cold (parse + solve + page tornado) against served from the cache.

Run: .venv/bin/python bench/bench_corridors_site.py [--repeat 5]  (writes bench/results/corridors-site.json)
Uses its own SQLite file (/tmp/spis-bench-corridors-site.sqlite3) unless DATABASE_URL is set. Each URL is fetched
through Django's test client as an anonymous visitor. "cold" clears the cache and the per-process parse cache
first (what the first visitor after an admin edit waits for); "cached" is the median of --repeat later fetches.
Baseline: cold, i.e. the page without a cache. Target: cached ≤ 100 ms per page.
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
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/spis-bench-corridors-site.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from spis.campaigns import corridors_results  # noqa: E402

URLS = [
    "/campaigns/corridors/",
    "/campaigns/corridors/pl_by_closure_sep2025/",
    "/campaigns/corridors/eu_by_all_rail_closed/",
    "/api/v1/corridors/",
    "/api/v1/corridors/pl_by_closure_sep2025",
]


def _fetch(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    client = Client()
    rows = []
    for url in URLS:
        cache.clear()
        corridors_results._parsed.cache_clear()
        cold = _fetch(client, url)
        cached = statistics.median(_fetch(client, url) for _ in range(args.repeat))
        rows.append({"url": url, "cold_ms": round(cold * 1000, 1), "cached_ms": round(cached * 1000, 1)})
    print("| URL | cold (no cache, baseline) ms | cached ms | speed-up |\n|---|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['url']} | {r['cold_ms']:,.0f} | {r['cached_ms']:,.1f} | {r['cold_ms'] / r['cached_ms']:,.0f}× |"
        )
    out = ROOT / "bench" / "results" / "corridors-site.json"
    out.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                "repeat": args.repeat,
                "rows": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
