"""Issue: access. With the visibility policy on, list and API throughput stay within 10% of the same queries
with the policy replaced by a pass-through (one run, side by side, in-process WSGI requests, no cache).

Uses a demo registry of BENCH_PERSONS (default 20,000) in a temporary SQLite file. Writes
bench/results/policy.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSONS = int(os.environ.get("BENCH_PERSONS", "20000"))
URLS = [
    "/api/v1/people?limit=50",
    "/api/v1/people?limit=50&status=in_custody",
    "/people/?per_page=50",
    "/api/v1/facilities",
]
ROUNDS = 5
PER_ROUND = 20


@contextmanager
def policy_off():
    """Replace the policy's filters by pass-throughs: what the same queries cost without it."""
    from spis.access import policy
    from spis.registry.models import Citation, Event, Name, Person, Source

    saved = {
        name: getattr(policy, name)
        for name in ["persons", "can_see_person", "names", "events", "sources", "citations", "levels_for"]
    }
    policy.persons = lambda user, include_merged=False: (
        Person.objects.all() if include_merged else Person.objects.filter(merged_into=None)
    )
    policy.can_see_person = lambda user, person: True
    policy.names = lambda user, qs=None: Name.objects.all() if qs is None else qs
    policy.events = lambda user, qs=None: (Event.objects.all() if qs is None else qs).filter(
        superseded_by__isnull=True, retracts=False
    )
    policy.sources = lambda user, qs=None: Source.objects.all() if qs is None else qs
    policy.citations = lambda user, qs=None: Citation.objects.all() if qs is None else qs
    policy.levels_for = lambda user: ["public", "restricted", "sealed"]
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(policy, name, value)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="spis-bench-policy-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "spis.settings"
    os.environ["SPIS_API_ANON_RATE"] = "1000000/minute"
    env = dict(os.environ)
    subprocess.run([sys.executable, "-m", "spis.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "-m", "spis.cli", "demo", "--persons", str(PERSONS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    import django

    django.setup()
    from django.core.cache import caches
    from django.test import Client

    client = Client()

    def rate(url: str) -> float:
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            for cache in caches.all():  # memoised figures and whole pages: every request computes
                cache.clear()
            assert client.get(url).status_code == 200, url
        return PER_ROUND / (time.perf_counter() - start)

    rows = []
    for url in URLS:
        on, off = [], []
        rate(url)
        for _ in range(ROUNDS):  # interleaved so that machine load hits both alike
            on.append(rate(url))
            with policy_off():
                off.append(rate(url))
        rows.append(
            {
                "url": url,
                "policy_on_rps": round(statistics.median(on), 1),
                "policy_off_rps": round(statistics.median(off), 1),
                "ratio": round(statistics.median(on) / statistics.median(off), 3),
            }
        )
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "persons": PERSONS,
        "load_average": os.getloadavg(),
        "rows": rows,
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "policy.json").write_text(json.dumps(result, indent=2))
    print("| URL | policy on (req/s) | policy off (req/s) | on/off | target |\n|---|---|---|---|---|")
    for row in rows:
        print(
            f"| `{row['url']}` | {row['policy_on_rps']} | {row['policy_off_rps']} | {row['ratio']} | ≥ 0.90 |"
        )


if __name__ == "__main__":
    main()
