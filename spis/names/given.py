"""Given-name equivalents (Аляксандр = Александр = Aliaksandr = Alexander = Алесь = Саша ...).

The table lives in the repository at ``data/names/given_names.csv`` (one row per name, with its source). Every form in a
row is folded to its skeleton; two given names are equivalent when their skeletons share a row.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spis.names.fold import skeleton

# Overridable for deployments that ship data elsewhere; the default is the repository's data/ directory, which an
# editable install (pip install -e) resolves to as well, because __file__ stays inside the checkout.
DATA_DIR_ENV = "SPIS_NAMES_DATA_DIR"
_FORM_COLUMNS = ("be", "ru", "uk", "pl", "latin", "diminutives")
_PATRONYMIC_SUFFIX = re.compile(r"(?:avic|avna|icna|inicna)$")


def data_dir() -> Path:
    """Directory holding given_names.csv."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "data" / "names"


@dataclass(frozen=True)
class GivenNameTable:
    """Skeleton -> row ids, for given names and for patronymic stems."""

    by_skeleton: dict[str, frozenset[str]]
    by_stem: dict[str, frozenset[str]]
    canonical: dict[str, str]
    gender: dict[str, str]

    def ids(self, skel: str) -> frozenset[str]:
        return self.by_skeleton.get(skel, frozenset())

    def stem_ids(self, stem: str) -> frozenset[str]:
        return self.by_stem.get(stem, frozenset())


def name_stem(skel: str) -> str:
    """Stem a given-name skeleton the way patronymics are built: Сяргей -> sarh(-avic), Мікалай -> mikal(-avic)."""
    return skel.rstrip("aiu") or skel


def patronymic_stem(skel: str) -> str | None:
    """Stem of a patronymic skeleton (Аляксандравіч -> alaksandr), or None when it has no patronymic suffix."""
    if skel == "ilic" or skel == "ilinicna":  # Ильич, Ильинична: the only common -ич patronymic outside -авіч
        return "il"
    m = _PATRONYMIC_SUFFIX.search(skel)
    if m is None or m.start() < 2:
        return None
    return name_stem(skel[: m.start()])


def _add(index: dict[str, set[str]], key: str, row_id: str) -> None:
    if key:
        index.setdefault(key, set()).add(row_id)


@lru_cache(maxsize=4)
def given_name_forms(path: Path | None = None) -> frozenset[str]:
    """Every written form of the table's given names and their diminutives, case-folded ("ольга", "volha",
    "оля"): to tell a word that is a given name as written from one that only folds like one ("Марьина", of
    the town Марьина Горка, folds as "Марина")."""
    path = path or data_dir() / "given_names.csv"
    forms: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for col in _FORM_COLUMNS:
                forms.update(
                    form.strip().casefold().replace("ё", "е") for form in row[col].split("|") if form.strip()
                )
    return frozenset(forms)


@lru_cache(maxsize=4)
def load_table(path: Path | None = None) -> GivenNameTable:
    """Load and index the given-name table (cached)."""
    path = path or data_dir() / "given_names.csv"
    if not path.exists():
        raise FileNotFoundError(f"given-name table not found at {path}; set {DATA_DIR_ENV} to its directory")
    by_skel: dict[str, set[str]] = {}
    by_stem: dict[str, set[str]] = {}
    canonical: dict[str, str] = {}
    gender: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            row_id = row["id"]
            gender[row_id] = row["gender"]
            canonical[row_id] = skeleton(row["ru"].split("|")[0])
            for col in _FORM_COLUMNS:
                for form in row[col].split("|"):
                    skel = skeleton(form.strip())
                    _add(by_skel, skel, row_id)
                    if col == "diminutives":
                        continue
                    stem = name_stem(skel)
                    _add(by_stem, stem, row_id)
                    # Fleeting vowel: Павел -> Паўлавіч / Павлович, Лев -> Львович.
                    if len(stem) > 3 and stem[-2] == "a" and stem[-1] in "lrv":
                        _add(by_stem, stem[:-2] + stem[-1], row_id)
    return GivenNameTable(
        by_skeleton={k: frozenset(v) for k, v in by_skel.items()},
        by_stem={k: frozenset(v) for k, v in by_stem.items()},
        canonical=canonical,
        gender=gender,
    )
