"""Benchmark the public site's pages on the synthetic demo registry at 100,000 persons.

Run: .venv/bin/python bench/bench_site.py [--persons 100000]  (writes bench/results/site.json)
Uses its own SQLite file (/tmp/spis-bench-site.sqlite3, built once with `spis demo`) unless DATABASE_URL is set.
Each page is fetched through Django's test client as an anonymous visitor (median of --repeat runs, after one
warm-up) with its SQL query count. Targets: list pages ≤ 300 ms, a person page ≤ 100 ms; home and statistics ≤ 100 ms from the cache
(keyed on the audit-log head, so any write invalidates it) and ≤ 10 s cold.
Baseline for the list: the first version, which fetched every matching id into Python and paginated the list.
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
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/spis-bench-site.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from spis.access import policy  # noqa: E402
from spis.registry.models import Person  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.DEBUG = True  # only so that connection.queries records the count


def _fetch(client: Client, url: str, repeat: int, cold: bool = False) -> tuple[float, int, int]:
    client.get(url)
    times = []
    for _ in range(repeat):
        if cold:
            # The computed figures and the rendered page both: a page from the page cache is not cold.
            cache.clear()
            caches["pages"].clear()
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(connection.queries), len(response.content)


def _baseline_list(per_page: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        ids = list(policy.persons(None).order_by("display_name", "pk").values_list("pk", flat=True))
        Paginator(ids, per_page).get_page(1).object_list  # noqa: B018
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        call_command("demo", persons=args.persons)
    person = policy.persons(None).filter(status="in_custody").order_by("pk").first()
    client = Client()
    pages = [
        ("home, cold (cache empty)", "/", 10.0),
        ("home, cached until the next write", "/", 0.1),
        ("list, 25 per page, by name", "/people/", 0.3),
        ("list, 100 per page, by name", "/people/?per_page=100", 0.3),
        ("list, last page", "/people/?page=999999", 0.3),
        ("list, filtered (in custody, article 342)", "/people/?status=in_custody&article=342", 0.3),
        ("list, search 'Tikhanovsky'", "/people/?q=Tikhanovsky", 0.5),
        ("person page", f"/people/{person.public_id}/", 0.1),
        ("facilities", "/facilities/", 0.3),
        ("statistics (8 breakdowns), cold", "/statistics/", 10.0),
        ("statistics, cached until the next write", "/statistics/", 0.1),
        ("releases feed", "/releases/", 0.3),
        ("birthdays feed", "/birthdays/", 0.3),
    ]
    rows = []
    for name, url, target in pages:
        seconds, queries, size = _fetch(client, url, args.repeat, cold="cold" in name)
        rows.append(
            {
                "page": name,
                "url": url,
                "ms": round(seconds * 1000, 1),
                "queries": queries,
                "kb": round(size / 1024),
                "target_ms": target * 1000,
            }
        )
    baseline = _baseline_list(25, args.repeat)
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "persons": Person.objects.count(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": connection.vendor,
        "pages": rows,
        "baseline_list_ids_in_python_ms": round(baseline * 1000, 1),
    }
    print(f"Public site at {result['persons']:,} persons ({result['machine']}, {result['database']})\n")
    print("| page | median ms | target ms | SQL queries | KB |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['page']} | {row['ms']} | {row['target_ms']:.0f} | {row['queries']} | {row['kb']} |")
    print(
        f"\nBaseline (all ids into Python, then paginate): {result['baseline_list_ids_in_python_ms']} ms "
        "before rendering anything."
    )
    out = ROOT / "bench" / "results" / "site.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
