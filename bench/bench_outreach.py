"""Benchmark the outreach mail-merge: a letter with live, cited figures to 200 recipients, as one PDF.

Run: .venv/bin/python bench/bench_outreach.py [--recipients 200] [--persons 5000]  (writes bench/results/outreach.json)
Uses its own SQLite file (/tmp/spis-bench-outreach.sqlite3, built once with `spis demo`) unless DATABASE_URL is
set. Target: 200 letters to one PDF (`spis brief … --to-all --one-pdf`) in ≤ 60 s. Baseline: the naive way, each
letter rendered on its own (figures recomputed, laid out in one process), timed on a sample and scaled up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/spis-bench-outreach.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spis.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from spis.campaigns.seed import seed_demo_campaign  # noqa: E402
from spis.outreach import actions, render  # noqa: E402
from spis.outreach.models import Contact  # noqa: E402
from spis.registry.models import Person  # noqa: E402


def _contacts(n: int) -> None:
    actions.seed_demo("system:bench")
    for i in range(Contact.objects.count(), n):
        actions.create_contact(
            "system:bench",
            f"Member of Parliament, committee on foreign affairs (bench contact {i})",
            name=f"Bench Recipient {i}",
            language=["en", "be", "ru"][i % 3],
            address=f"Parliament building, office {i}\nSynthetic city",
            is_synthetic=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=10, help="letters timed for the naive baseline")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        call_command("demo", persons=args.persons)
    campaign = seed_demo_campaign("system:bench")
    _contacts(args.recipients)
    contacts = list(Contact.objects.order_by("pk")[: args.recipients])
    today = timezone.now().date()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "merge.pdf"
        ids = [arg for c in contacts for arg in ("--to", str(c.pk))]
        start, cpu = time.perf_counter(), time.process_time()
        call_command("brief", campaign.slug, *ids, "--one-pdf", "-o", str(target), stdout=io.StringIO())
        merged = time.perf_counter() - start
        merged_cpu = time.process_time() - cpu
        pages = len(PdfReader(str(target)).pages)
        rows.append(("mail-merge to one PDF (`spis brief --one-pdf`)", len(contacts), merged, 60.0, pages))
        start = time.perf_counter()
        call_command(
            "brief",
            campaign.slug,
            *ids,
            "--format",
            "html",
            "-o",
            str(Path(tmp) / "html"),
            stdout=io.StringIO(),
        )
        rows.append(
            (
                "mail-merge to HTML files (figures + templates only)",
                len(contacts),
                time.perf_counter() - start,
                None,
                None,
            )
        )
    start = time.perf_counter()
    for contact in contacts[: args.sample]:
        doc = render.render_document(
            "letter", campaign, lang=contact.language, as_of=today, recipients=[contact]
        )
        render.to_pdf([doc])
    naive = (time.perf_counter() - start) / args.sample * len(contacts)
    rows.append(
        (f"baseline: one letter at a time (timed on {args.sample}, scaled)", len(contacts), naive, None, None)
    )
    print(
        f"## outreach mail-merge ({dt.date.today().isoformat()}, {os.cpu_count()} cores, {platform.python_version()})"
    )
    print(f"(one-PDF merge: {merged_cpu:.1f} s of CPU; load average {os.getloadavg()[0]:.1f} when it ended)")
    print()
    print("| case | letters | seconds | target | pages |")
    print("|---|---:|---:|---:|---:|")
    for label, n, seconds, target_s, n_pages in rows:
        print(
            f"| {label} | {n} | {seconds:.1f} | {f'≤ {target_s:.0f}' if target_s else ''} | {n_pages or ''} |"
        )
    result = {
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "persons": Person.objects.count(),
        "rows": [
            {
                "case": label,
                "letters": n,
                "seconds": round(seconds, 2),
                "target_seconds": target_s,
                "pages": n_pages,
            }
            for label, n, seconds, target_s, n_pages in rows
        ],
        "merge_cpu_seconds": round(merged_cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "speedup_vs_baseline": round(naive / merged, 2),
        "meets_target": merged <= 60.0,
    }
    out = ROOT / "bench" / "results" / "outreach.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
