"""A process killed (SIGKILL) in the middle of a large import leaves the database as it was."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SPIS = [sys.executable, "-m", "spis.cli"]
TABLES = [
    "registry_person",
    "registry_name",
    "registry_event",
    "registry_citation",
    "registry_source",
    "registry_auditentry",
    "intake_importbatch",
    "intake_importrow",
]


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


SYLLABLES = ["ка", "ло", "мі", "ра", "ту", "ве", "ны", "со", "да", "ле", "ба", "го", "жу", "пе", "ха", "за"]
GIVEN = [
    "Янка",
    "Пётр",
    "Алесь",
    "Сымон",
    "Андрэй",
    "Павел",
    "Ігар",
    "Віктар",
    "Марыя",
    "Алена",
    "Вольга",
    "Ірына",
]


def _big_file(path: Path, rows: int) -> None:
    lines = ["ФИО;Дата рождения;Дата задержания;Статьи;Дата приговора;Приговор;Статус;Дата освобождения"]
    n = len(SYLLABLES)
    for i in range(rows):
        surname = SYLLABLES[i % n] + SYLLABLES[i // n % n] + SYLLABLES[i // n // n % n] + "енка"
        name = f"{surname.capitalize()} {GIVEN[i // n**3 % len(GIVEN)]}"
        lines.append(
            f"{name};{1950 + i % 50};{1 + i % 28}.03.2021;342 ч.1;01.09.2021;"
            f"3 года колонии общего режима;помилован;{1 + i % 28}.07.2023"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_killed_import_leaves_the_database_as_it_was(tmp_path):
    db = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1"}
    subprocess.run([*SPIS, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*SPIS, "import", str(FIXTURES / "partner.jsonl"), "--json"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    before = _counts(db)
    assert before["registry_person"] == 1
    big = tmp_path / "big.csv"
    _big_file(big, 20000)
    proc = subprocess.Popen(
        [*SPIS, "import", str(big), "--writer", "bulk"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    seen = []
    for raw in proc.stderr:
        seen.append(raw)
        if b"started writing" in raw:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, b"".join(seen)
    assert _counts(db) == before
