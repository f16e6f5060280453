"""Benchmark the site under load: a name search on the people list against a trivial view, same server, same run.

Run: DATABASE_URL=sqlite:////tmp/web100k.sqlite3 .venv/bin/python bench/bench_web.py [--seconds 15] [--port 8105]
(builds the 100,000-person synthetic demo registry there first when it is empty; writes bench/results/web.json).
gunicorn with 2 sync workers serves the app on 127.0.0.1; an asyncio load generator in this process keeps 32
connections busy for a fixed time per URL (no network beyond loopback; bounded in time).
Targets: the search page sustains ≥ 50% of the requests per second of /api/healthz, p95 ≤ 100 ms, no errors.
The search page is the site's /people/?q=… (falls back to /api/v1/people?q=… when the site has no such page).
The 8 rotating names are served from the public page cache once each worker has rendered them; a third run
asks a different name on every request (full names from the registry), so every one is a cache miss: what a
query nobody asked before costs. It is reported beside the target, not part of it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
# Names in several scripts and schemes, as people type them; rotated so no single query dominates.
QUERIES = [
    "Іван",
    "Петров",
    "Aliaksandr",
    "Ціханоўская",
    "Kovalenko",
    "Наталья Иванова",
    "Siarhei",
    "Лукашевич",
]


def _env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    # The anonymous API rate limit would turn a load test into a test of 429s.
    env.setdefault("SPIS_API_ANON_RATE", "100000000/minute")
    env.setdefault("SPIS_LOG_LEVEL", "ERROR")
    env.setdefault("SPIS_ALLOWED_HOSTS", "127.0.0.1,localhost")
    return env


def _prepare(env: dict[str, str], persons: int) -> int:
    spis = str(VENV_BIN / "spis")
    subprocess.run([spis, "migrate", "-v0"], env=env, check=True)
    count = subprocess.run(
        [
            spis,
            "shell",
            "-v0",
            "-c",
            "from spis.registry.models import Person; print(Person.objects.count())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if int(count.splitlines()[-1]) == 0:
        subprocess.run([spis, "demo", "--persons", str(persons)], env=env, check=True)
        return persons
    return int(count.splitlines()[-1])


def _cold_queries(env: dict[str, str], count: int) -> list[str]:
    """Distinct full names of public people: one query per request that no cache has seen."""
    code = (
        "import json; from spis.registry.models import Name; print(json.dumps(list(Name.objects.filter("
        f"kind='primary', confidentiality='public').values_list('text', flat=True).distinct()[:{count}])))"
    )
    out = subprocess.run(
        [str(VENV_BIN / "spis"), "shell", "-v0", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


async def _one(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - start
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, elapsed


async def _load(
    port: int, paths: list[str], seconds: float, concurrency: int, step: int = 1
) -> dict[str, object]:
    """`step`: how far each connection moves along `paths` per request (`concurrency`: no path asked twice)."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < deadline:
            try:
                status, elapsed = await _one(port, paths[i % len(paths)])
            except OSError:
                status, elapsed = 0, 0.0
            if status != 200:
                errors += 1
            else:
                latencies.append(elapsed)
            i += step

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    wall = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.mean(ordered) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--target", choices=["site", "api"], default="site", help="search page to load")
    args = parser.parse_args()
    env = _env(args.port)
    persons = _prepare(env, args.persons)
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "spis.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if _get(f"{base}/api/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        search_path = "/people/?q="
        if args.target == "api" or _get(f"{base}/people/?q=test") != 200:
            search_path = "/api/v1/people?q="
        search = [search_path + urllib.parse.quote(q) for q in QUERIES]
        for path in search * 2:  # warm both workers (imports, SQLite page cache, search index)
            _get(base + path)
        trivial = asyncio.run(_load(args.port, ["/api/healthz"], args.seconds, args.concurrency))
        searched = asyncio.run(_load(args.port, search, args.seconds, args.concurrency))
        cold_paths = [search_path + urllib.parse.quote(q) for q in _cold_queries(env, 20000)]
        cold = asyncio.run(_load(args.port, cold_paths, args.seconds, args.concurrency, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)

    ratio = round(searched["rps"] / trivial["rps"], 3) if trivial["rps"] else 0.0
    ok = ratio >= 0.5 and searched["p95_ms"] <= 100 and searched["errors"] == 0 and trivial["errors"] == 0
    print(
        f"## spis web under load: {persons:,} persons, SQLite, gunicorn {args.workers} workers, "
        f"{args.concurrency} connections, {args.seconds:.0f} s per URL ({dt.date.today()}, {os.cpu_count()} cores)\n"
    )
    print("| URL | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in [
        ("/api/healthz (trivial view)", trivial),
        (f"{search_path}… ({len(QUERIES)} names)", searched),
        (f"{search_path}… (a different name each request: cache misses, not the target)", cold),
    ]:
        print(
            f"| {name} | {r['requests']} | {r['errors']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} |"
        )
    print(
        f"\nsearch / trivial req/s = {ratio} (target ≥ 0.5); p95 target ≤ 100 ms; zero errors -> {'ok' if ok else 'NOT MET'}"
    )
    out = ROOT / "bench" / "results" / ("web.json" if args.target == "site" else "web-api.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "cores": os.cpu_count(),
                "persons": persons,
                "workers": args.workers,
                "concurrency": args.concurrency,
                "seconds": args.seconds,
                "search_path": search_path,
                "queries": QUERIES,
                "load_average": os.getloadavg(),
                "trivial": trivial,
                "search": searched,
                "search_cold": cold,
                "ratio": ratio,
                "ok": ok,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(main())
