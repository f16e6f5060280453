"""Build labelled name pairs from the real-name fixtures and measure precision, recall and F1.

Shared by tests/names/test_eval.py and bench/bench_names.py so that both report the same figures.
Fixture format: see tests/names/fixtures/README.md.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Literal

Form = Literal["short", "full"]


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two spellings, their birth dates (ISO partial or ''), and whether they are the same person."""

    a: str
    b: str
    birth_a: str
    birth_b: str
    same: bool
    kind: str


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int


def iso_date(value: str) -> str:
    """'26.5.1958' -> '1958-05-26'; ISO partial dates pass through; '' stays ''."""
    value = (value or "").strip()
    if "." in value:
        d, m, y = value.split(".")
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    return value


def load_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _variants(group: dict[str, object], form: Form) -> list[str]:
    key = "short_variants" if form == "short" else "variants"
    values = group[key]
    if not isinstance(values, list):
        raise ValueError(f"fixture group {group.get('id')}: {key} is not a list")
    return list(dict.fromkeys(str(v) for v in values))


def build_pairs(
    groups: Sequence[dict[str, object]],
    negatives: Sequence[dict[str, object]],
    form: Form,
    cross_sample: int = 4000,
    seed: int = 765,
) -> list[LabelledPair]:
    """Same-person pairs within each group; different-person pairs from hard negatives and across groups.

    Cross-group pairs are a deterministic sample (fixed seed) of ``cross_sample`` pairs.
    """
    pairs: list[LabelledPair] = []
    for g in groups:
        birth = iso_date(str(g.get("birth_date") or ""))
        for a, b in combinations(_variants(g, form), 2):
            pairs.append(LabelledPair(a, b, birth, birth, True, "same"))
    for n in negatives:
        av, bv = n["a_variants"], n["b_variants"]
        if not isinstance(av, list) or not isinstance(bv, list):
            raise ValueError(f"hard negative {n.get('id')}: variants are not lists")
        if form == "short":
            # Hard negatives carry only full names; their short form drops a patronymic-looking middle word.
            av, bv = [_shorten(str(v)) for v in av], [_shorten(str(v)) for v in bv]
        ba, bb = iso_date(str(n.get("a_birth_date") or "")), iso_date(str(n.get("b_birth_date") or ""))
        for a in dict.fromkeys(av):
            for b in dict.fromkeys(bv):
                pairs.append(LabelledPair(str(a), str(b), ba, bb, False, f"hard:{n['reason']}"))
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not security
    for _ in range(cross_sample):
        ga, gb = rng.sample(list(groups), 2)
        a = rng.choice(_variants(ga, form))
        b = rng.choice(_variants(gb, form))
        da, db = iso_date(str(ga.get("birth_date") or "")), iso_date(str(gb.get("birth_date") or ""))
        pairs.append(LabelledPair(a, b, da, db, False, "cross"))
    return pairs


def _shorten(name: str) -> str:
    from spis.names.parse import parse_name

    parsed = parse_name(name)
    if not parsed.patronymic:
        return name
    words = name.replace(",", " ").split()
    kept = [w for w in words if not _same_word(w, name, parsed.patronymic)]
    return " ".join(kept)


def _same_word(word: str, name: str, patronymic_skeleton: str) -> bool:
    from spis.names.fold import skeleton

    return skeleton(word) == patronymic_skeleton


def prf(predicted: Iterable[bool], truth: Iterable[bool]) -> PRF:
    tp = fp = fn = tn = 0
    for p, t in zip(predicted, truth, strict=True):
        if p and t:
            tp += 1
        elif p:
            fp += 1
        elif t:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, tp, fp, fn, tn)


def evaluate(
    pairs: Sequence[LabelledPair], decide: Callable[[LabelledPair], bool]
) -> tuple[PRF, list[LabelledPair]]:
    """Run ``decide`` on every pair; return the PRF and the misclassified pairs."""
    predicted = [decide(p) for p in pairs]
    errors = [p for p, d in zip(pairs, predicted, strict=True) if d != p.same]
    return prf(predicted, (p.same for p in pairs)), errors


def fixtures_dir() -> Path:
    """tests/names/fixtures in the repository checkout."""
    return Path(__file__).resolve().parents[2] / "tests" / "names" / "fixtures"


def load_fixture_pairs(form: Form, directory: Path | None = None) -> list[LabelledPair]:
    d = directory or fixtures_dir()
    return build_pairs(load_jsonl(d / "name_groups.jsonl"), load_jsonl(d / "hard_negatives.jsonl"), form)
