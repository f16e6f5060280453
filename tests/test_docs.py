"""Every setting that spis/settings.py reads from the environment is documented in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented():
    source = (ROOT / "spis" / "settings.py").read_text(encoding="utf-8")
    used = set(re.findall(r'_env(?:_bool|_int|_list)?\(\s*"([A-Z_]+)"', source))
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"), re.M)
    )
    assert used, "no settings found: the pattern is broken"
    assert used - documented == set()


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = "\n".join(lines[:6])
    assert "make run" in block and "make test" in block


def test_cli_reference_is_generated_from_the_help_text():
    from spis.docs_cli import render

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), "run `make docs`"
