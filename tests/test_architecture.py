"""The house plan's arrows (DESIGN.md, docs/architecture.md), read off the source with ast.

`web`, `api` -> `outreach`, `intake`, `campaigns` -> `stats` -> `access` -> `registry` -> `names`;
`campaigns` and `outreach` may use `corridors` (and the briefs in `outreach` call `campaigns`' compliance);
`names` and `corridors` never import Django; nothing imports `web` or `api`.
"""

import ast
from pathlib import Path

import pytest

SPIS = Path(__file__).resolve().parents[1] / "spis"
LEVEL = {
    "names": 0,
    "corridors": 0,
    "registry": 1,
    "access": 2,
    "stats": 3,
    "intake": 4,
    "campaigns": 4,
    "outreach": 4,
    "api": 5,
    "web": 5,
}
# Allowed beside the levels: the freight model for campaigns and outreach; compliance for the briefs.
SIDEWAYS = {("campaigns", "corridors"), ("outreach", "corridors"), ("outreach", "campaigns")}


def _imports(path: Path) -> set[str]:
    """Top-level module names imported by `path`: spis packages by their package name, others by their own."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            found.add(parts[1] if parts[0] == "spis" and len(parts) > 1 else parts[0])
    return found


def _files(package: str) -> list[Path]:
    return sorted((SPIS / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(LEVEL))
def test_a_package_imports_only_what_lies_below_it(package):
    wrong = []
    for path in _files(package):
        for other in _imports(path) & set(LEVEL):
            allowed = other == package or LEVEL[other] < LEVEL[package] or (package, other) in SIDEWAYS
            if not allowed:
                wrong.append(f"{path.relative_to(SPIS.parent)} imports spis.{other}")
    assert not wrong, wrong


@pytest.mark.parametrize("package", ["names", "corridors"])
def test_the_pure_packages_never_import_django(package):
    wrong = [str(p.relative_to(SPIS.parent)) for p in _files(package) if "django" in _imports(p)]
    assert not wrong, wrong


def test_the_check_sees_an_upward_import(tmp_path):
    # The reader itself: a registry module importing access must be caught.
    sample = tmp_path / "sample.py"
    sample.write_text("from spis.access import policy\nimport spis.web.views\n", encoding="utf-8")
    assert {"access", "web"} <= _imports(sample)
