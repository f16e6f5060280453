"""Benchmark the change clocks (spis/access/changes.py) on the synthetic demo registry, SQLite.

Run: .venv/bin/python bench/bench_changes.py [--persons N]  (writes bench/results/changes.json)
No target in the issues; the baseline is the same request once the clocks are current. Measured: the first
refresh of a registry (every person digested at two levels: once after the migration, and after a bulk import
of that many people), a refresh after no write (what every reader pays), and `GET /api/v1/changes`,
`GET /api/v1/people` and `GET /api/v1/events` just after a one-event write (the refresh digests that person; the
event list counts again) against the same requests again; and what event references (registry/refs.py) cost beside the public export that gives them.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-changes-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'spis.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("demo", persons=args.persons, verbosity=0)
    from spis.access import changes
    from spis.access.models import SeenChange
    from spis.registry import actions
    from spis.registry.models import Person

    def timed(fn) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    first = timed(changes.refresh)
    clocks = SeenChange.objects.count()
    idle = min(timed(changes.refresh) for _ in range(20))
    client = Client()
    for url in (
        "/api/v1/changes?since=2000-01-01",
        "/api/v1/people",
        "/api/v1/events",
    ):  # the process's first requests: imports
        client.get(url)
    # A mirror's poll: what changed since its last one, here just before the writes below. Not "a minute ago":
    # the registry is built and first refreshed within a minute or two, so that window held every person on
    # some runs and none on others (the feed took 7 or 110 ms once current, by the clock).
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = []
    for url in (f"/api/v1/changes?since={since}", "/api/v1/people", "/api/v1/events"):
        person = Person.objects.filter(status="in_custody", confidentiality="public").order_by("?").first()
        detained = person.detained_on
        actions.record_event("bench", person, "charged", detained.isoformat(), confidentiality="restricted")

        def get(url: str = url) -> None:
            assert client.get(url).status_code == 200

        after_write = timed(get)
        again = min(timed(get) for _ in range(5))
        rows.append(
            {"request": url.split("?")[0], "after_a_write_ms": after_write * 1000, "current_ms": again * 1000}
        )
    stale = min(timed(changes._stale) for _ in range(5))
    # Event references (registry/refs.py): what they add to the public export, which names every event so.
    from spis.intake import export
    from spis.registry.models import Event
    from spis.registry.refs import event_refs

    ids = list(Event.objects.values_list("pk", flat=True))
    ref = event_refs()
    refs_seconds = timed(lambda: [ref(pk) for pk in ids])

    def public_export() -> None:
        for _ in export.export("json", public=True):
            pass

    export_seconds = timed(public_export)
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "persons": Person.objects.count(),
        "clocks": clocks,
        "first_refresh_seconds": round(first, 2),
        "refresh_after_no_write_ms": round(idle * 1000, 2),
        "stale_scan_ms": round(stale * 1000, 1),
        "events": len(ids),
        "event_refs_seconds": round(refs_seconds, 2),
        "public_json_export_seconds": round(export_seconds, 2),
        "requests": [{k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()} for row in rows],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(f"Change clocks at {result['persons']:,} persons ({result['machine']}, SQLite)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| first refresh ({clocks:,} people, two levels) | {first:.2f} s |")
    print(f"| refresh after no write | {idle * 1000:.2f} ms |")
    print(f"| the scan for people whose markers moved (every person) | {stale * 1000:.0f} ms |")
    for row in rows:
        print(
            f"| `{row['request']}` after a one-event write / once current | {row['after_a_write_ms']:.0f} ms / "
            f"{row['current_ms']:.0f} ms = {row['after_a_write_ms'] / row['current_ms']:.1f}× |"
        )
    print(
        f"| references of all {len(ids):,} events / the public JSON export that gives them | {refs_seconds:.2f} s / {export_seconds:.1f} s |"
    )
    print(f"| peak memory | {result['peak_rss_mb']} MB |")
    out = ROOT / "bench" / "results" / "changes.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
