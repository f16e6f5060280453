"""`spis brief`: one document, a joint letter, a mail-merge into a directory or one PDF; clear errors."""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from spis.stats.counts import counts

from .conftest import AS_OF


def _brief(*args):
    out = StringIO()
    call_command("brief", *args, stdout=out)
    return out.getvalue()


def test_it_writes_a_text_letter_and_reports_its_figures_as_json(campaign, contacts, tmp_path):
    target = tmp_path / "letter.txt"
    report = json.loads(
        _brief(
            campaign.slug,
            "--to",
            str(contacts[0].pk),
            "--lang",
            "be",
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "txt",
            "-o",
            str(target),
            "--json",
        )
    )
    text = target.read_text(encoding="utf-8")
    assert "Ваша Эксцэленцыя" in text and "Minister of Foreign Affairs" in text
    held = next(f for f in report["figures"] if f["query"] == "stats.recognized_in_custody")
    assert held["value"] == counts(AS_OF)["recognized_in_custody"]
    assert f"[{held['number']}] {held['value']} —" in text


def test_it_mail_merges_one_file_per_recipient(campaign, contacts, tmp_path):
    report = json.loads(
        _brief(
            campaign.slug,
            "--to-all",
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "html",
            "-o",
            str(tmp_path / "out"),
            "--json",
        )
    )
    assert report["documents"] == 2 and len(report["files"]) == 2
    bodies = [Path(f).read_text(encoding="utf-8") for f in report["files"]]
    assert "Minister of Foreign Affairs" in bodies[0] and "Ambassador" not in bodies[0].split("Re:")[0]
    assert "Ambassador Extraordinary" in bodies[1]


def test_it_mail_merges_into_one_pdf(campaign, contacts, tmp_path):
    target = tmp_path / "all.pdf"
    _brief(
        campaign.slug,
        "--to",
        "Minister",
        "--to",
        "Ambassador",
        "--one-pdf",
        "--as-of",
        AS_OF.isoformat(),
        "-o",
        str(target),
    )
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.count("Your Excellency,") == 2


def test_it_writes_one_joint_letter(campaign, contacts, tmp_path):
    target = tmp_path / "joint.html"
    _brief(
        campaign.slug,
        "--to-all",
        "--joint",
        "--format",
        "html",
        "--as-of",
        AS_OF.isoformat(),
        "-o",
        str(target),
    )
    html = target.read_text(encoding="utf-8")
    assert (
        "Your Excellencies" in html and "Minister of Foreign" in html and "Ambassador Extraordinary" in html
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-campaign"], "not found"),
        (["{slug}", "--to", "Nobody at all"], "0 contacts match"),
        (["{slug}", "--to", "People's Republic"], "2 contacts match"),
        (["{slug}", "--as-of", "2025-13-01"], "expected YYYY-MM-DD"),
        (["{slug}", "--as-of", "2999-01-01"], "in the future"),
        (["{slug}", "--lang", "pl"], "exists in be, en, ru"),
        (["{slug}", "--format", "txt", "--one-pdf"], "only with --format pdf"),
    ],
)
def test_it_explains_bad_input(campaign, contacts, tmp_path, args, message):
    args = [a.format(slug=campaign.slug) for a in args]
    with pytest.raises(CommandError, match=message):
        _brief(*args, "-o", str(tmp_path / "x.pdf"))


def test_outreach_seed_is_idempotent_and_marks_demo_contacts(db):
    out = StringIO()
    call_command("outreach", "seed", "--json", stdout=out)
    first = json.loads(out.getvalue())
    out = StringIO()
    call_command("outreach", "seed", "--json", stdout=out)
    assert first == {"contacts": 2, "signatories": 2}
    assert json.loads(out.getvalue()) == {"contacts": 0, "signatories": 0}
    from spis.outreach.models import Contact

    assert all(c.is_synthetic and not c.name for c in Contact.objects.all())
