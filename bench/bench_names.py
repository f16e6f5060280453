"""Benchmark spis.names against baselines on the real-name fixture pairs.

Run: .venv/bin/python bench/bench_names.py [--quick]

Quality (precision/recall/F1) and speed (pairs/s) of:
  * spis.names.match at its documented SAME_THRESHOLD, on names alone and with birth dates;
  * baseline: unidecode + rapidfuzz token_sort_ratio (threshold swept, best F1 reported - generous to it);
  * nomenklatura logic-v2 (threshold 0.7 as yente uses, and best swept), if importable here or through the
    interpreter named by SPIS_NOMENKLATURA_PYTHON (nomenklatura pins mypy>=2, which clashes with this project's
    test extra, so it is usually kept in a separate virtualenv); otherwise "skipped: reason".
Plus the throughput of `spis match --pairs` logic (spis.names.cli.run_pairs) on 100,000 generated pairs.
Writes bench/results/names.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spis.names import SAME_THRESHOLD, match  # noqa: E402
from spis.names.cli import run_pairs  # noqa: E402
from spis.names.evaluation import LabelledPair, load_fixture_pairs, prf  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "names.json"
NOMENKLATURA_THRESHOLD = 0.7


def clear_caches() -> None:
    """Cold start for every timed run: per-name caches would otherwise carry over between runs."""
    import importlib

    # spis.names re-exports functions named like its modules (clean, match), so fetch the modules explicitly.
    clean_mod = importlib.import_module("spis.names.clean")
    fold = importlib.import_module("spis.names.fold")
    parse = importlib.import_module("spis.names.parse")
    match_mod = importlib.import_module("spis.names.match")
    for fn in (clean_mod.clean, fold.skeleton, fold.working_latin, parse.parse_name, match_mod._score_names):
        fn.cache_clear()


def best_threshold(scores: Sequence[float], truth: Sequence[bool]) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in [i / 100 for i in range(30, 100)]:
        f1 = prf([s >= t for s in scores], truth).f1
        if f1 > best[1]:
            best = (t, f1)
    return best


def timed_scores(
    fn: Callable[[LabelledPair], float], pairs: Sequence[LabelledPair]
) -> tuple[list[float], float]:
    start = time.perf_counter()
    scores = [fn(p) for p in pairs]
    return scores, len(pairs) / (time.perf_counter() - start)


def row(
    name: str, scores: Sequence[float], truth: Sequence[bool], threshold: float, speed: float
) -> dict[str, object]:
    r = prf([s >= threshold for s in scores], truth)
    bt, bf1 = best_threshold(scores, truth)
    return {
        "matcher": name,
        "threshold": threshold,
        "precision": round(r.precision, 4),
        "recall": round(r.recall, 4),
        "f1": round(r.f1, 4),
        "best_threshold": bt,
        "best_f1": round(bf1, 4),
        "pairs_per_s": round(speed),
    }


def baseline_scorer() -> Callable[[LabelledPair], float] | str:
    try:
        from rapidfuzz import fuzz
        from unidecode import unidecode
    except ImportError as exc:
        return f"skipped: {exc} (pip install -e '.[bench]')"

    def score(p: LabelledPair) -> float:
        return float(fuzz.token_sort_ratio(unidecode(p.a).lower(), unidecode(p.b).lower())) / 100

    return score


NK_WORKER = """
import json, sys, time
from followthemoney import model
from nomenklatura.matching import LogicV2
cfg = LogicV2.default_config()
def ent(i, name, bd):
    e = model.make_entity("Person"); e.id = i; e.add("name", name)
    if bd: e.add("birthDate", bd)
    return e
pairs = json.load(sys.stdin)
out = {}
for mode in ("names", "dates"):
    start = time.perf_counter(); scores = []
    for i, (a, b, ba, bb) in enumerate(pairs):
        use = mode == "dates"
        # Unique ids per pair: nomenklatura caches per-entity analysis by id.
        qa, qb = ent(f"{mode}-a{i}", a, ba if use else None), ent(f"{mode}-b{i}", b, bb if use else None)
        scores.append(LogicV2.compare(qa, qb, cfg).score)
    out[mode] = {"scores": scores, "pairs_per_s": len(pairs) / (time.perf_counter() - start)}
json.dump(out, sys.stdout)
"""


def nomenklatura_scores(pairs: Sequence[LabelledPair]) -> dict[str, dict[str, object]] | str:
    payload = json.dumps([[p.a, p.b, p.birth_a, p.birth_b] for p in pairs])
    python = sys.executable
    try:
        import nomenklatura  # noqa: F401
    except ImportError:
        python = os.environ.get("SPIS_NOMENKLATURA_PYTHON", "")
        if not python:
            return "skipped: nomenklatura not installed here and SPIS_NOMENKLATURA_PYTHON not set"
    proc = subprocess.run(
        [python, "-c", NK_WORKER], input=payload, capture_output=True, text=True, check=False, timeout=3600
    )
    if proc.returncode:
        return f"skipped: nomenklatura worker failed: {proc.stderr.strip().splitlines()[-1:]}"
    result: dict[str, dict[str, object]] = json.loads(proc.stdout)
    return result


def generated_pairs(n: int, pool: int = 5000, seed: int = 2020) -> str:
    """TSV of n pairs drawn from a pool of distinct names, as a duplicate-detection run compares each name
    against many candidates. Names: the fixture spellings plus real surnames combined with given-name forms
    from data/names/given_names.csv, in mixed orders and scripts.
    """
    rng = random.Random(seed)
    pairs = load_fixture_pairs("full")
    names = sorted({p.a for p in pairs} | {p.b for p in pairs})
    with (ROOT / "data" / "names" / "given_names.csv").open(encoding="utf-8") as fh:
        given = [f for r in csv.DictReader(fh) for c in ("be", "ru", "latin") for f in r[c].split("|") if f]
    surnames = [n.replace(",", " ").split()[-1] for n in names]
    pool_names = list(names)
    while len(pool_names) < pool:
        g, s = rng.choice(given), rng.choice(surnames)
        pool_names.append(f"{g} {s}" if rng.random() < 0.5 else f"{s} {g}")
    out = io.StringIO()
    for _ in range(n):
        out.write(f"{rng.choice(pool_names)}\t{rng.choice(pool_names)}\n")
    return out.getvalue()


def throughput(n: int) -> dict[str, object]:
    text = generated_pairs(n)
    clear_caches()
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    bad = run_pairs(io.StringIO(text), out, err)
    cold = n / (time.perf_counter() - start)
    out2 = io.StringIO()
    start = time.perf_counter()
    run_pairs(io.StringIO(text), out2, io.StringIO())
    warm = n / (time.perf_counter() - start)
    clear_caches()
    out3 = io.StringIO()
    start = time.perf_counter()
    run_pairs(io.StringIO(text), out3, io.StringIO(), workers=2)
    two = n / (time.perf_counter() - start)
    if out3.getvalue() != out.getvalue():
        raise SystemExit("two-worker output differs from one-worker output")
    return {
        "pairs": n,
        "distinct_names": 5000,
        "bad_lines": bad,
        "cold_pairs_per_s": round(cold),
        "second_pass_pairs_per_s": round(warm),
        "cold_two_workers_pairs_per_s": round(two),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 throughput pairs instead of 100,000")
    args = parser.parse_args()

    results: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "same_threshold": SAME_THRESHOLD,
        # Other jobs on a shared machine skew pairs/s; the 1-minute load average at start says how much.
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }
    baseline = baseline_scorer()
    tables: dict[str, list[dict[str, object]]] = {}
    skipped: dict[str, str] = {}
    for form in ("short", "full"):
        pairs = load_fixture_pairs(form)
        truth = [p.same for p in pairs]
        rows: list[dict[str, object]] = []
        clear_caches()
        scores, speed = timed_scores(lambda p: match(p.a, p.b).score, pairs)
        rows.append(row("spis.names (names only)", scores, truth, SAME_THRESHOLD, speed))
        clear_caches()
        scores, speed = timed_scores(
            lambda p: match(p.a, p.b, p.birth_a or None, p.birth_b or None).score, pairs
        )
        rows.append(row("spis.names (names + birth dates)", scores, truth, SAME_THRESHOLD, speed))
        if isinstance(baseline, str):
            skipped["unidecode+rapidfuzz"] = baseline
        else:
            scores, speed = timed_scores(baseline, pairs)
            bt, _ = best_threshold(scores, truth)
            rows.append(row("unidecode + token_sort_ratio (best threshold)", scores, truth, bt, speed))
        nk = nomenklatura_scores(pairs)
        if isinstance(nk, str):
            skipped["nomenklatura logic-v2"] = nk
        else:
            for mode, label in (("names", "names only"), ("dates", "names + birth dates")):
                data = nk[mode]
                nk_scores = [float(s) for s in data["scores"]]  # type: ignore[attr-defined]
                speed = float(data["pairs_per_s"])  # type: ignore[arg-type]
                rows.append(
                    row(f"nomenklatura logic-v2 ({label})", nk_scores, truth, NOMENKLATURA_THRESHOLD, speed)
                )
        tables[form] = rows
        results[f"pairs_{form}"] = {"total": len(pairs), "same": sum(truth)}
    results["quality"] = tables
    results["skipped"] = skipped
    results["throughput_run_pairs"] = throughput(10_000 if args.quick else 100_000)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(
        f"# Name matching benchmark ({results['date']}, {results['machine']}, "
        f"load average {results['load_average_at_start']})\n"
    )
    for form, rows in tables.items():
        label = "given name + surname" if form == "short" else "full name with patronymic"
        print(f"## {label}: {results[f'pairs_{form}']}\n")
        print("| matcher | threshold | P | R | F1 | best F1 (at t) | pairs/s |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r['matcher']} | {r['threshold']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
                f"| {r['best_f1']:.3f} ({r['best_threshold']}) | {r['pairs_per_s']:,} |"
            )
        print()
    for name, reason in skipped.items():
        print(f"- {name}: {reason}")
    t = results["throughput_run_pairs"]
    print(f"\nrun_pairs throughput: {t}")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
