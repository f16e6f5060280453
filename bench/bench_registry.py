"""Issue: registry core. `spis demo --persons 100000` plus a full spell rebuild (target ≤ 60 s together) and
`spis stats --as-of` latency at 100,000 persons (target ≤ 50 ms, without process start-up).

Baseline in the same run: a bare sqlite3 executemany of the same number of event rows, for scale.
Writes bench/results/registry.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSONS = int(os.environ.get("BENCH_PERSONS", "100000"))


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="spis-bench-registry-"))
    db = tmp / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")
    env = dict(os.environ)
    subprocess.run([sys.executable, "-m", "spis.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "spis.cli", "demo", "--persons", str(PERSONS), "--json"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    demo_seconds = time.perf_counter() - start
    built = json.loads(out.stdout.strip().splitlines()[-1])

    import django

    django.setup()
    from spis.registry.actions import rebuild_custody
    from spis.stats.counts import counts

    start = time.perf_counter()
    rebuild_custody()
    rebuild_seconds = time.perf_counter() - start

    days = [dt.date(2021, 1, 1) + dt.timedelta(days=37 * i) for i in range(50)]
    counts(days[0])
    timings = []
    for day in days:
        t0 = time.perf_counter()
        counts(day)
        timings.append((time.perf_counter() - t0) * 1000)

    baseline = _bare_executemany(built["events"], tmp)
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "persons": PERSONS,
        "events": built["events"],
        "demo_seconds": round(demo_seconds, 2),
        "rebuild_seconds": round(rebuild_seconds, 2),
        "demo_plus_rebuild_seconds": round(demo_seconds + rebuild_seconds, 2),
        "stats_as_of_ms_median": round(statistics.median(timings), 2),
        "stats_as_of_ms_p95": round(sorted(timings)[int(0.95 * len(timings)) - 1], 2),
        "bare_executemany_events_seconds": round(baseline, 2),
        "load_average": os.getloadavg(),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "registry.json").write_text(json.dumps(result, indent=2))
    print("| measure | value | target |\n|---|---|---|")
    print(f"| demo {PERSONS:,} persons | {demo_seconds:.1f} s | |")
    print(f"| full spell rebuild | {rebuild_seconds:.1f} s | |")
    print(f"| demo + rebuild | {demo_seconds + rebuild_seconds:.1f} s | ≤ 60 s |")
    print(
        f"| stats --as-of (median / p95) | {result['stats_as_of_ms_median']} / {result['stats_as_of_ms_p95']} ms | ≤ 50 ms |"
    )
    print(f"| baseline: bare executemany of {built['events']:,} event rows | {baseline:.1f} s | |")


def _bare_executemany(rows: int, tmp: Path) -> float:
    con = sqlite3.connect(tmp / "bare.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE e (id INTEGER PRIMARY KEY, person_id INT, type TEXT, date TEXT, note TEXT)")
    data = [(i, i // 6, "detained", "2021-01-01", "") for i in range(rows)]
    start = time.perf_counter()
    with con:
        con.executemany("INSERT INTO e VALUES (?, ?, ?, ?, ?)", data)
    con.close()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
