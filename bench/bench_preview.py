"""Benchmark the staff upload preview of a refreshed list: its first page, then the next pages and a filter.

Run: .venv/bin/python bench/bench_preview.py [--persons N]  (writes bench/results/preview.json)
A list of N people imported, then the next month's export of it uploaded on the page (every row a conflict:
a later release date). The first page plans the dry run (importer.run_import); the next page and the
conflicts filter read it from the preview cache (intake.views.PREVIEWS), which before planned it again on
every page. No target in the issues; both figures are timed through Django's test client, in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_intake import django_on_a_new_database  # noqa: E402
from bench_reimport import export  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=5_000)
    args = parser.parse_args()
    os.environ["SPIS_REQUIRE_2FA"] = "0"
    django_on_a_new_database("bench-preview-")
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from spis.intake import importer

    call_command("migrate", verbosity=0)
    importer.run_import(
        export(args.persons, later=False, ids=False), file_name="list.csv", actor="system:bench"
    )
    client = Client()
    client.force_login(User.objects.create_superuser("bench", "bench@example.invalid", "bench-password-1"))
    upload = SimpleUploadedFile("next.csv", export(args.persons, later=True, ids=False))
    preview = client.post("/intake/", {"file": upload, "source": "the next export"})["Location"]

    def timed(query: str) -> float:
        start = time.perf_counter()
        response = client.get(preview + query)
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - start

    first, second, conflicts = timed(""), timed("?page=2"), timed("?outcome=conflict&page=3")
    figures = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "persons": args.persons,
        "first_page_seconds": round(first, 2),
        "next_page_seconds": round(second, 3),
        "conflicts_filter_page_seconds": round(conflicts, 3),
        "first_over_next": round(first / second, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print("| measure | value |")
    print("|---|---|")
    print(f"| {args.persons:,}-row refreshed list: first preview page (plans the dry run) | {first:.2f} s |")
    cached = f"{second:.3f} s / {conflicts:.3f} s"
    print(f"| next page / the conflicts filter's third page (read from the preview cache) | {cached} |")
    out = ROOT / "bench" / "results" / "preview.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
