"""Benchmark `spis dedupe` at 100,000 persons with 5% planted cross-script duplicates, against Splink on DuckDB.

Run: .venv/bin/python bench/bench_dedupe.py [--persons 100000] [--share 0.05] [--db /tmp/spis_bench_100k.sqlite3]
(writes bench/results/dedupe.json). The demo registry from bench_search.py is copied to a temporary database,
then for 5% of its people a new record is planted whose only name is the Russian spelling of the person's
name, or a Latin romanisation of the Belarusian one (passport, BGN/PCGN, ICAO), with the same birth date.
Targets: ≤ 60 s and F1 ≥ 0.95 on the planted pairs (pairs scored ≥ SAME_THRESHOLD that touch a planted
record; pairs between two original demo records are namesakes whose truth the generator does not know).
Splink (pip install splink duckdb) gets the same records after the same name folding (surname skeleton,
given-name id, patronymic stem, birth date) -- it has no transliteration of its own -- and is timed from
the loaded database to its predictions, folding included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_search import DEFAULT_DB, ensure_registry, setup_django  # noqa: E402

SCHEMES = ["be-passport", "be-bgn", "ru-passport", "ru-bgn"]


def _copy(src: str, dst: str) -> None:
    with sqlite3.connect(src) as source, sqlite3.connect(dst) as target:
        source.backup(target)


def plant(share: float, seed: int) -> set[tuple[int, int]]:
    """Create the duplicates; the truth as (original id, duplicate id)."""
    from django.db import transaction
    from django.utils import timezone

    from spis.names import name_keys, transliterate
    from spis.registry.actions import issue_public_ids
    from spis.registry.models import Name, Person

    rng = random.Random(seed)
    originals = list(
        Person.objects.filter(merged_into=None).values_list(
            "pk", "display_name", "birth_date", "birth_date_precision", "gender", "confidentiality"
        )
    )
    picks = rng.sample(originals, int(len(originals) * share))
    russian = dict(
        Name.objects.filter(language="ru", person_id__in=[p[0] for p in picks]).values_list(
            "person_id", "text"
        )
    )
    now = timezone.now()
    ids = issue_public_ids(len(picks))
    truth = set()
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(
                    public_id=public_id,
                    display_name="",
                    birth_date=birth,
                    birth_date_precision=precision,
                    gender=gender,
                    confidentiality=confidentiality,
                    is_synthetic=True,
                )
                for public_id, (_pk, _name, birth, precision, gender, confidentiality) in zip(
                    ids, picks, strict=True
                )
            ],
            batch_size=5000,
        )
        names = []
        for person, (pk, be_name, *_rest) in zip(people, picks, strict=True):
            roll = rng.random()
            if roll < 0.4 and pk in russian:
                text, script, lang = russian[pk], "Cyrl", "ru"
            else:
                text, script, lang = transliterate(be_name, rng.choice(SCHEMES)), "Latn", "be"
            person.display_name = text
            names.append(
                Name(
                    person=person,
                    text=text,
                    script=script,
                    language=lang,
                    kind="primary",
                    keys=" ".join(name_keys(text)),
                    recorded_at=now,
                )
            )
            truth.add((pk, person.pk))
        Person.objects.bulk_update(people, ["display_name"], batch_size=5000)
        Name.objects.bulk_create(names, batch_size=5000)
    return truth


def score(
    predicted: set[tuple[int, int]], truth: set[tuple[int, int]], planted: set[int]
) -> dict[str, float]:
    """Precision, recall and F1 on pairs that touch a planted record."""
    norm = {(min(a, b), max(a, b)) for a, b in predicted}
    relevant = {p for p in norm if p[0] in planted or p[1] in planted}
    true = {(min(a, b), max(a, b)) for a, b in truth}
    tp = len(relevant & true)
    precision = tp / len(relevant) if relevant else 0.0
    recall = tp / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted_touching_planted": len(relevant),
        "true_positives": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def _splink_frame():
    """One row per record with the folded name parts, as Splink's input."""
    import pandas as pd

    from spis.names import parse_name
    from spis.names.given import load_table
    from spis.registry.models import Person

    canon = load_table().canonical
    rows = []
    for pk, name, birth, precision in Person.objects.filter(merged_into=None).values_list(
        "pk", "display_name", "birth_date", "birth_date_precision"
    ):
        try:
            p = parse_name(name)
        except ValueError:
            continue
        given = canon[min(p.given_ids)] if p.given_ids else p.given
        rows.append(
            {
                "unique_id": pk,
                "surname": p.surname or None,
                "given": given or None,
                "patronymic": p.patronymic_stem or None,
                "birth_date": birth.isoformat() if birth and precision == "day" else None,
                "birth_year": str(birth.year) if birth else None,
            }
        )
    return pd.DataFrame(rows)


def run_splink() -> tuple[set[tuple[int, int]], float, str]:
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError as exc:
        return set(), 0.0, f"skipped: {exc} (pip install splink duckdb)"
    started = time.perf_counter()
    frame = _splink_frame()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("surname", [0.95, 0.88]),
            cl.ExactMatch("given"),
            cl.JaroWinklerAtThresholds("patronymic", [0.95, 0.88]),
            cl.ExactMatch("birth_date"),
            cl.ExactMatch("birth_year"),
        ],
        # The same blocks as spis dedupe uses.
        blocking_rules_to_generate_predictions=[
            block_on("surname", "given", "birth_year"),
            block_on("given", "birth_date"),
            block_on("surname", "birth_date"),
        ],
    )
    linker = Linker(db_api.register(frame), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "given", "patronymic", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname", "given"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    pairs = {
        (int(a), int(b)) for a, b in zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True)
    }
    return pairs, elapsed, "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.05)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args()
    setup_django(args.db)
    ensure_registry(args.persons)
    from django.db import connections

    connections.close_all()
    work = Path(tempfile.mkdtemp(prefix="spis-bench-dedupe-")) / "registry.sqlite3"
    _copy(args.db, str(work))
    connections["default"].settings_dict["NAME"] = str(work)

    from spis.names import SAME_THRESHOLD
    from spis.registry import dedupe
    from spis.registry.models import DuplicateCandidate, Person

    truth = plant(args.share, seed=11)
    planted = {dup for _orig, dup in truth}
    persons = Person.objects.count()

    started = time.perf_counter()
    report = dedupe.run("system:bench")
    elapsed = time.perf_counter() - started
    ours = {(p.left_id, p.right_id) for p in report.pairs if p.score >= SAME_THRESHOLD}
    ours_score = score(ours, truth, planted)
    namesakes = sum(1 for p in report.pairs if p.left_id not in planted and p.right_id not in planted)

    splink_pairs, splink_seconds, splink_status = (set(), 0.0, "skipped: --no-splink")
    if not args.no_splink:
        try:
            splink_pairs, splink_seconds, splink_status = run_splink()
        except Exception as exc:  # noqa: BLE001 - a baseline that fails is reported, not fatal
            splink_status = f"skipped: {type(exc).__name__}: {exc}"
    versions = {}
    for module in ("splink", "duckdb"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = None
    results = {
        "date": dt.date.today().isoformat(),  # noqa: DTZ011
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cores": os.cpu_count(),
        },
        "persons": persons,
        "planted": len(truth),
        "spis_dedupe": {
            "seconds": round(elapsed, 1),
            "pairs_compared": report.compared,
            "queue": len(report.pairs),
            "stored": DuplicateCandidate.objects.count(),
            "likely_same": len(ours),
            "namesake_pairs_between_demo_records": namesakes,
            "oversized_blocks_skipped": report.oversized_blocks,
            **ours_score,
        },
        "splink_duckdb": {
            "status": splink_status,
            "versions": versions,
            "seconds": round(splink_seconds, 1) if splink_status == "ok" else None,
            **(score(splink_pairs, truth, planted) if splink_status == "ok" else {}),
        },
        "targets": {"seconds": 60, "f1": 0.95},
    }
    print(f"## Duplicate detection: {persons:,} records, {len(truth):,} planted cross-script duplicates\n")
    print("| engine | seconds | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    s = results["spis_dedupe"]
    print(
        f"| spis dedupe (blocking + spis.names.match) | {s['seconds']} | {s['precision']} | {s['recall']} | {s['f1']} |"
    )
    k = results["splink_duckdb"]
    if k["status"] == "ok":
        print(
            f"| Splink {versions['splink']} on DuckDB {versions['duckdb']} (same folded names) | {k['seconds']} | "
            f"{k['precision']} | {k['recall']} | {k['f1']} |"
        )
    else:
        print(f"| Splink | {k['status']} | | | |")
    print(
        f"\nQueue: {s['queue']} pairs ≥ review threshold ({s['likely_same']} ≥ same threshold); "
        f"{s['namesake_pairs_between_demo_records']} are namesakes among the original demo records."
    )
    out = ROOT / "bench" / "results" / "dedupe.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    work.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
